/**
 * The sequence-to-sequence output view: one validation example's source, its target through
 * `</s>`, and what the decoder writes free-running (each step fed its own previous symbol,
 * as validation is scored), computed by the reference engine from the current weights.
 */
import { FREE_RUNNING, seq2seqForward, sliceSeq2SeqBatch } from '../engine/seq2seq.ts';
import type { TensorMap } from '../engine/tensor.ts';
import type { ExampleView } from './inspect.ts';
import type { PreparedSeq2SeqRun } from './Trainer.ts';

/** Validation example `index` of an encoder-decoder run, decoded greedily at `params`. */
export function inspectSeq2SeqExample(run: PreparedSeq2SeqRun, params: TensorMap, index: number): ExampleView {
  const validation = run.data.validation;
  const N = validation.targetLengths.length;
  if (!(Number.isInteger(index) && index >= 0 && index < N)) throw new RangeError(`validation example ${index} is not in a set of ${N}`);
  const example = sliceSeq2SeqBatch(validation, index, 1);
  const { logits, predictions } = seq2seqForward(run.seq2seq, params, example, FREE_RUNNING);
  const vocabulary = run.data.needs.vocabulary;
  const V = vocabulary.length;
  const S = example.source.shape[1];
  const U = example.targets.shape[1];
  const sourceLength = example.sourceLengths[0];
  const targetLength = example.targetLengths[0];
  const confidence: number[] = [];
  for (let u = 0; u < targetLength; u++) {
    const row = logits.data.subarray(u * V, (u + 1) * V);
    const max = Math.max(...row);
    let sum = 0;
    for (const z of row) sum += Math.exp(z - max);
    confidence.push(Math.exp(row[predictions.data[u]] - max) / sum);
  }
  return {
    kind: 'example',
    index,
    inputs: Array.from(example.source.data.subarray(0, Math.min(sourceLength, S)), (id) => vocabulary[id]),
    featureLabels: [],
    targets: Array.from(example.targets.data.subarray(0, Math.min(targetLength, U)), (id) => vocabulary[id]),
    predictions: Array.from(predictions.data.subarray(0, Math.min(targetLength, U)), (id) => vocabulary[id]),
    confidence,
    scored: [],
    forecast: null,
  };
}
