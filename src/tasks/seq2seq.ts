/**
 * Sequence to sequence: map a short sequence of digits to its reverse, its sorted order, or
 * its sorted distinct digits, with an encoder-decoder. The encoder reads the source; the
 * decoder starts from `<s>` and emits the target, then `</s>`. Lengths vary per example,
 * and for `sort-distinct` the target is shorter than its source.
 *   source          3 1 3 2 _ _          (B, S), S = max length
 *   decoder input   <s> 1 2 3 _ _ _      (B, U), U = S + 1: teacher forcing
 *   target          1 2 3 </s> _ _ _     (B, U)
 */
import type { Seq2SeqConfig } from '../engine/seq2seq.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { Architecture } from './modelConfig.ts';
import { argmax, meanOf } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings, TaskError, textOf } from './settings.ts';
import { randomInt, seededBatches } from './streams.ts';
import type { EncoderDecoderTask, Seq2SeqBatch, Seq2SeqNeeds, TaskInfo } from './types.ts';

/** Padding, start and end symbols, then the digits 0-9 (ids 3-12). */
export const SEQ2SEQ_VOCABULARY: readonly string[] = ['_', '<s>', '</s>', ...'0123456789'];
const [PAD, START, END, DIGIT0] = [0, 1, 2, 3];

/** What the decoder must produce. */
export type Seq2SeqOperation = 'reverse' | 'sort' | 'sort-distinct';

/** The target digits for a source. */
export function seq2seqTarget(op: Seq2SeqOperation, digits: readonly number[]): number[] {
  if (op === 'reverse') return [...digits].reverse();
  const sorted = [...digits].sort((a, b) => a - b);
  return op === 'sort' ? sorted : sorted.filter((d, i) => i === 0 || d !== sorted[i - 1]);
}

const info: TaskInfo = {
  id: 'seq2seq',
  title: 'Sequence to sequence',
  description:
    'Read a sequence of digits, then write its reverse or its sorted order: many-to-many where input and output are not synced ' +
    'and may differ in length, as in translation. An encoder RNN reads the whole source into its final state; a decoder RNN ' +
    'starts from that state and writes the target one symbol at a time, fed its previous output, or the true previous symbol ' +
    'under teacher forcing. Reversal is easiest: the first digit out is the last one in.',
  shape: 'seq2seq',
  settings: [
    {
      kind: 'choice',
      key: 'operation',
      label: 'Operation',
      help: 'Reverse the digits, sort them, or sort them dropping repeats (a shorter target)',
      default: 'reverse',
      options: [
        { value: 'reverse', label: 'reverse' },
        { value: 'sort', label: 'sort' },
        { value: 'sort-distinct', label: 'sort, drop repeats' },
      ],
    },
    integerSetting('minLength', 'Shortest source', 3, 1, 12, 'Fewest digits in a source sequence'),
    integerSetting('maxLength', 'Longest source', 8, 1, 12, 'Most digits in a source sequence'),
  ],
  loss: 'cross_entropy',
  outputMode: 'sequence',
  bidirectional: 'forbidden',
  bidirectionalNote: 'this encoder-decoder has a unidirectional encoder (a bidirectional one is not built yet); the decoder always runs forward',
  files: [],
};

/** Whole-sequence accuracy: an example counts when every target symbol up to and including `</s>` is the decoder's argmax. */
export function sequenceCorrect(logits: Tensor, batch: Seq2SeqBatch, b: number): boolean {
  const [, U, V] = logits.shape;
  for (let u = 0; u < batch.targetLengths[b]; u++) {
    if (argmax(logits.data, (b * U + u) * V, V) !== batch.targets.data[b * U + u]) return false;
  }
  return true;
}

/**
 * The encoder-decoder for the user's architecture: both stacks take its cell, width and depth;
 * one-hot symbols of the vocabulary in, its logits out. What the engine's encoder-decoder does
 * not have is refused with the reason.
 */
export function seq2seqModel(needs: Seq2SeqNeeds, arch: Architecture): Seq2SeqConfig {
  if (arch.bidirectional) throw new TaskError(`${info.title} cannot use a bidirectional model: ${info.bidirectionalNote}`);
  if (arch.outputFeedback) throw new TaskError(`${info.title}: the decoder already feeds back its outputs; Jordan output feedback does not apply`);
  const lstm = arch.lstm;
  if (lstm && (lstm.peepholes || !lstm.gates.input || !lstm.gates.forget || !lstm.gates.output)) {
    throw new TaskError(`${info.title} trains the standard LSTM only (all gates, no peepholes)`);
  }
  return { cell: arch.cell, hiddenSize: arch.hiddenSize, numLayers: arch.numLayers, vocabSize: needs.vocabulary.length };
}

/** The sequence-to-sequence task. */
export const seq2seqTask: EncoderDecoderTask = {
  kind: 'encoder-decoder',
  info,
  create(given, seed) {
    const s = resolveSettings(info.settings, given);
    const op = textOf<Seq2SeqOperation>(s, 'operation');
    const [minLength, S] = [numberOf(s, 'minLength'), numberOf(s, 'maxLength')];
    if (minLength > S) throw new TaskError(`The shortest source (${minLength}) must not be longer than the longest (${S}).`);
    const U = S + 1;
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Seq2SeqBatch => {
      const source = new Int32Array(B * S).fill(PAD);
      const decoderInputs = new Int32Array(B * U).fill(PAD);
      const targets = new Int32Array(B * U).fill(PAD);
      const sourceLengths = new Int32Array(B);
      const targetLengths = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        const digits = Array.from({ length: minLength + randomInt(rand, S - minLength + 1) }, () => randomInt(rand, 10));
        const out = seq2seqTarget(op, digits);
        source.set(digits.map((d) => DIGIT0 + d), b * S);
        decoderInputs.set([START, ...out.map((d) => DIGIT0 + d)], b * U);
        targets.set([...out.map((d) => DIGIT0 + d), END], b * U);
        sourceLengths[b] = digits.length;
        targetLengths[b] = out.length + 1;
      }
      return {
        source: { shape: [B, S], data: source },
        sourceLengths,
        decoderInputs: { shape: [B, U], data: decoderInputs },
        targets: { shape: [B, U], data: targets },
        targetLengths,
      };
    });
    const B = validation.sourceLengths.length;
    let echoes = 0;
    for (let b = 0; b < B; b++) {
      const n = validation.sourceLengths[b];
      const same = n + 1 === validation.targetLengths[b] && validation.source.data.subarray(b * S, b * S + n).every((x, i) => x === validation.targets.data[b * U + i]);
      if (same) echoes++;
    }
    return {
      needs: { vocabulary: SEQ2SEQ_VOCABULARY, sourceLength: S, targetLength: U },
      trainBatch,
      validation,
      metric: {
        name: 'sequence accuracy',
        description: 'Fraction of examples whose whole target, through </s>, is the decoder’s argmax at every step',
        better: 'higher',
        tally: (logits, batch) => {
          const n = batch.targetLengths.length;
          let sum = 0;
          for (let b = 0; b < n; b++) if (sequenceCorrect(logits, batch, b)) sum++;
          return { sum, count: n };
        },
        value: meanOf,
        baseline: { value: echoes / B, description: `echoing the source unchanged: right on ${((100 * echoes) / B).toFixed(1)}% of validation examples (those already in the target order)` },
      },
    };
  },
};
