/**
 * What the page's task views show, computed on the CPU reference engine (`forward`) from a
 * float64 copy of the current weights, so it works the same on either backend and while a
 * run trains: one validation example's input, target and prediction (with a free-running
 * forecast for time series), text sampled from a prompt (one-to-many), and a sentence's
 * class probabilities as each word arrives (the many-to-one model run on every prefix).
 */
import type { Batch } from '../engine/batch.ts';
import { forward, type RecurrentState } from '../engine/network.ts';
import type { TensorMap } from '../engine/tensor.ts';
import { argmax, codePoints, freeRunForecast, numberOf, resolveSettings, sampleText, TaskError, type InputNeeds } from '../tasks/index.ts';
import { recallPositions } from '../tasks/copy.ts';
import { longRangeStep } from '../tasks/reber.ts';
import { PAD, tokenizeWords, UNK } from '../tasks/sentiment.ts';
import type { PreparedRun } from './Trainer.ts';
import { batchSize, sliceBatch } from './slices.ts';

/** What a task view asks the worker for. */
export type InspectRequest =
  /** Validation example `index`: input, target and prediction per output; `forecast` more steps free-running (one-feature regression only). */
  | { kind: 'example'; index: number; forecast?: number }
  /** `length` symbols sampled after `prompt` at `temperature` (0: greedy), seeded. */
  | { kind: 'sample'; prompt: string; length: number; temperature: number; seed: number }
  /** The class probabilities after each word of `text` (many-to-one classification). */
  | { kind: 'sentence'; text: string };

/** One validation example as the page draws it. */
export interface ExampleView {
  kind: 'example';
  index: number;
  /** Per input step: the symbol read, or the feature values. */
  inputs: string[] | number[][];
  /** Names of the input features (empty for symbols). */
  featureLabels: string[];
  /** Per output row (every step, or one at the last): the target class name or value. */
  targets: (string | number)[];
  /** Per output row: the predicted class (argmax) or value. */
  predictions: (string | number)[];
  /** Per output row, classification only: softmax probability of the predicted class. */
  confidence: number[] | null;
  /** Output rows the task's metric scores (all rows when empty). */
  scored: number[];
  /** Free-running forecast after the example's last target (one-feature regression), else null. */
  forecast: number[] | null;
}

/** Text sampled from the current weights. */
export interface SampleView {
  kind: 'sample';
  prompt: string;
  text: string;
}

/** A sentence read word by word. */
export interface SentenceView {
  kind: 'sentence';
  /** The words as the model reads them (unknown words as `<unk>`). */
  words: string[];
  /** Class names. */
  labels: string[];
  /** Per word: the probability of each class after reading the sentence up to that word. */
  probabilities: number[][];
}

/** Any view's data. */
export type InspectView = ExampleView | SampleView | SentenceView;

/** Longest sample the page may ask for. */
export const MAX_SAMPLE_LENGTH = 2000;
/** Longest free-running forecast. */
export const MAX_FORECAST = 500;

/** Softmax of data[offset .. offset + O). */
function softmax(data: ArrayLike<number>, offset: number, O: number): number[] {
  let max = -Infinity;
  for (let k = 0; k < O; k++) max = Math.max(max, data[offset + k]);
  const e = Array.from({ length: O }, (_, k) => Math.exp(data[offset + k] - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The symbols a task reads, or an error naming the task when it reads features. */
function vocabularyOf(run: PreparedRun): readonly string[] {
  const input: InputNeeds = run.data.needs.input;
  if (input.kind === 'features') throw new TaskError(`${run.info.title} reads numbers, not symbols`);
  return input.vocabulary;
}

/** A batch of (B, T) token ids in the model's encoding (one-hot or embedding), with dummy targets. */
function tokenBatch(run: PreparedRun, ids: Int32Array, B: number, T: number, outputMode: Batch['outputMode']): Batch {
  const V = vocabularyOf(run).length;
  const targets = { shape: outputMode === 'sequence' ? [B, T] : [B], data: new Float64Array(outputMode === 'sequence' ? B * T : B) };
  if (run.model.embedding) return { tokens: { shape: [B, T], data: ids }, targets, loss: 'cross_entropy', outputMode };
  const data = new Float64Array(B * T * V);
  for (let n = 0; n < B * T; n++) data[n * V + ids[n]] = 1;
  return { inputs: { shape: [B, T, V], data }, targets, loss: 'cross_entropy', outputMode };
}

/** The output rows the task's metric scores for one example, where it scores only some. */
function scoredRows(run: PreparedRun, example: Batch): number[] {
  const T = run.data.needs.sequenceLength;
  if (run.info.id === 'reber') return [longRangeStep(example.targets.data, 0, T)];
  if (run.info.id === 'copy') {
    const s = resolveSettings(run.info.settings, run.config.task.settings);
    return recallPositions(numberOf(s, 'k'), numberOf(s, 'delay'));
  }
  return [];
}

/** Validation example `index` with the model's outputs at `params`. */
export function inspectExample(run: PreparedRun, params: TensorMap, index: number, forecastSteps = 0): ExampleView {
  const N = batchSize(run.data.validation);
  if (!(Number.isInteger(index) && index >= 0 && index < N)) throw new RangeError(`validation example ${index} is not in a set of ${N}`);
  if (!(Number.isInteger(forecastSteps) && forecastSteps >= 0 && forecastSteps <= MAX_FORECAST)) throw new RangeError(`a forecast is 0 to ${MAX_FORECAST} steps, not ${forecastSteps}`);
  const example = sliceBatch(run.data.validation, index, 1);
  const { outputs } = forward(run.model, params, example);
  const T = run.data.needs.sequenceLength;
  const O = run.data.needs.outputSize;
  const rows = example.outputMode === 'sequence' ? T : 1;
  const input = run.data.needs.input;
  const view: ExampleView = { kind: 'example', index, inputs: [], featureLabels: [], targets: [], predictions: [], confidence: null, scored: scoredRows(run, example), forecast: null };
  if (input.kind === 'features') {
    const I = input.labels.length;
    const x = example.inputs!.data;
    view.featureLabels = [...input.labels];
    view.inputs = Array.from({ length: T }, (_, t) => Array.from(x.subarray(t * I, (t + 1) * I)));
  } else {
    const ids = example.tokens ? Array.from(example.tokens.data) : Array.from({ length: T }, (_, t) => argmax(example.inputs!.data, t * input.vocabulary.length, input.vocabulary.length));
    view.inputs = ids.map((id) => input.vocabulary[id]);
  }
  if (run.info.loss === 'mse') {
    if (O !== 1) throw new TaskError(`${run.info.title}: the example view draws one output value, not ${O}`);
    view.targets = Array.from(example.targets.data);
    view.predictions = Array.from(outputs.data);
  } else {
    const labels = run.data.needs.outputLabels ?? Array.from({ length: O }, (_, k) => String(k));
    view.targets = Array.from(example.targets.data, (k) => labels[k]);
    view.confidence = [];
    for (let r = 0; r < rows; r++) {
      const k = argmax(outputs.data, r * O, O);
      view.predictions.push(labels[k]);
      view.confidence.push(softmax(outputs.data, r * O, O)[k]);
    }
  }
  if (forecastSteps > 0) view.forecast = forecast(run, params, view, forecastSteps);
  return view;
}

/** Free-running forecast: the inputs and the last target as history, each prediction fed back in over a window of T. */
function forecast(run: PreparedRun, params: TensorMap, view: ExampleView, steps: number): number[] {
  if (run.info.loss !== 'mse' || run.data.needs.input.kind !== 'features' || run.data.needs.input.labels.length !== 1 || run.info.outputMode !== 'sequence') {
    throw new TaskError(`${run.info.title} has no free-running forecast: it needs one input value per step predicting the next`);
  }
  const history = [...(view.inputs as number[][]).map((v) => v[0]), view.targets[view.targets.length - 1] as number];
  const T = run.data.needs.sequenceLength;
  return freeRunForecast(history, steps, (window) => {
    const batch: Batch = { inputs: { shape: [1, T, 1], data: Float64Array.from(window) }, targets: { shape: [1, T, 1], data: new Float64Array(T) }, loss: 'mse', outputMode: 'sequence' };
    return forward(run.model, params, batch).outputs.data[T - 1];
  }, T);
}

/** Samples text one-to-many from the character model at `params`, carrying the state one symbol at a time. */
export function inspectSample(run: PreparedRun, params: TensorMap, prompt: string, length: number, temperature: number, seed: number): SampleView {
  if (run.info.outputMode !== 'sequence' || run.info.loss !== 'cross_entropy') throw new TaskError(`${run.info.title} does not predict a next symbol to sample from`);
  if (run.model.outputFeedback) throw new TaskError('sampling is not offered for models with output feedback');
  if (!(Number.isInteger(length) && length >= 1 && length <= MAX_SAMPLE_LENGTH)) throw new RangeError(`sample length must be 1 to ${MAX_SAMPLE_LENGTH}, not ${length}`);
  const vocabulary = vocabularyOf(run);
  if (codePoints(prompt).length > MAX_SAMPLE_LENGTH) throw new TaskError(`the prompt is longer than ${MAX_SAMPLE_LENGTH} symbols`);
  let state: RecurrentState | undefined;
  const text = sampleText({
    vocabulary,
    prompt,
    length,
    temperature,
    seed,
    step(token) {
      const result = forward(run.model, params, tokenBatch(run, Int32Array.of(token), 1, 1, 'sequence'), { initialState: state });
      state = result.finalState;
      return result.outputs.data;
    },
  });
  return { kind: 'sample', prompt, text };
}

/** The class probabilities after each word of a sentence: every prefix, front-padded as in training, read at its last word. */
export function inspectSentence(run: PreparedRun, params: TensorMap, text: string): SentenceView {
  if (run.info.outputMode !== 'last' || run.info.loss !== 'cross_entropy') throw new TaskError(`${run.info.title} does not classify sentences`);
  const vocabulary = vocabularyOf(run);
  if (vocabulary[0] !== PAD) throw new TaskError(`${run.info.title} does not read words`);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const T = run.data.needs.sequenceLength;
  const words = tokenizeWords(text).slice(-T);
  if (words.length === 0) throw new TaskError('Type a sentence with at least one word.');
  const labels = [...(run.data.needs.outputLabels ?? [])];
  const B = words.length;
  const ids = new Int32Array(B * T); // 0 = <pad>
  for (let b = 0; b < B; b++) for (let i = 0; i <= b; i++) ids[b * T + T - 1 - b + i] = index.get(words[i]) ?? 1;
  const { outputs } = forward(run.model, params, tokenBatch(run, ids, B, T, 'last'));
  const O = run.data.needs.outputSize;
  return {
    kind: 'sentence',
    words: words.map((w) => (index.has(w) ? w : UNK)),
    labels,
    probabilities: Array.from({ length: B }, (_, b) => softmax(outputs.data, b * O, O)),
  };
}

/** Answers a view's request at `params`. */
export function inspect(run: PreparedRun, params: TensorMap, request: InspectRequest): InspectView {
  switch (request.kind) {
    case 'example':
      return inspectExample(run, params, request.index, request.forecast ?? 0);
    case 'sample':
      return inspectSample(run, params, request.prompt, request.length, request.temperature, request.seed);
    case 'sentence':
      return inspectSentence(run, params, request.text);
  }
}
