/**
 * What every task tells the trainer, the URL schema and the UI. A task is static
 * information (TaskInfo: what it tests, its settings, the model it needs) plus
 * `create(settings, seed, files)`, which builds its seeded data: training batches by
 * step, a fixed validation set, and a metric with its trivial baseline.
 */
import type { Batch } from '../engine/batch.ts';
import type { Seq2SeqBatch } from '../engine/seq2seq.ts';
import type { LossKind, OutputMode } from '../engine/model.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { SettingSpec, TaskSettings } from './settings.ts';

/** The lectures' input/output patterns. */
export const SEQUENCE_SHAPES = ['one-to-many', 'many-to-one', 'many-to-many', 'many-to-many (delayed)', 'seq2seq', 'bidirectional'] as const;
/** How a task maps an input sequence to its outputs. */
export type SequenceShape = (typeof SEQUENCE_SHAPES)[number];

/**
 * Whether a bidirectional model suits the task: `needed` (a unidirectional model runs but
 * cannot see the future some outputs depend on), `optional`, or `forbidden` (the reverse
 * direction would read the very values it is asked to predict).
 */
export type BidirectionalUse = 'needed' | 'optional' | 'forbidden';

/** Static facts about a task: what the UI shows before any data exists. */
export interface TaskInfo {
  /** Stable key, used in URLs. */
  id: string;
  title: string;
  /** One paragraph in the lectures' words: what the task tests and why. */
  description: string;
  shape: SequenceShape;
  /** Settings in display order; values go through resolveSettings. */
  settings: readonly SettingSpec[];
  loss: LossKind;
  /** Where the head is read: every step, or only the last. */
  outputMode: OutputMode;
  bidirectional: BidirectionalUse;
  /** One line on why, for the UI beside the bidirectional switch. */
  bidirectionalNote: string;
  /** Files under public/ the task reads (e.g. `data/sentiment.json`); the caller loads them into `files`. */
  files: readonly string[];
}

/** What the network reads at each step. */
export type InputNeeds =
  /** Real-valued features, one per label. */
  | { kind: 'features'; labels: readonly string[] }
  /** Symbols as one-hot vectors of length vocabulary.length. */
  | { kind: 'one-hot'; vocabulary: readonly string[] }
  /** Symbols as token ids looked up in a learned embedding of vocabulary.length rows. */
  | { kind: 'tokens'; vocabulary: readonly string[] };

/** The model a task's data needs, once its settings (and text) are known. */
export interface ModelNeeds {
  input: InputNeeds;
  /** Features (mse) or classes (cross_entropy) per output. */
  outputSize: number;
  /** Class names for cross_entropy, index = class id; absent for regression. */
  outputLabels?: readonly string[];
  /** T of every batch. */
  sequenceLength: number;
}

/** A sum and a count, so metrics over slices of a set combine by adding. */
export interface Tally {
  sum: number;
  count: number;
}

/** A reference value for a metric, with what produces it. */
export interface MetricReference {
  value: number;
  description: string;
}

/** A measure beside the loss, computed from the head's outputs and the batch. */
export interface Metric<TBatch = Batch> {
  name: string;
  /** One line: what is measured, and on which outputs. */
  description: string;
  better: 'higher' | 'lower';
  /** Sum and count over one batch; outputs are the engine's `outputs` ((B, T, O) or (B, O)). */
  tally(outputs: Tensor, batch: TBatch): Tally;
  /** The metric of a (combined) tally. */
  value(tally: Tally): number;
  /** What a trivial predictor scores; a trained model should beat it. */
  baseline: MetricReference;
  /** The best any unidirectional (causal) model can score, where the task needs the future. */
  causalLimit?: MetricReference;
}

/** A task's seeded data for one set of settings. */
export interface TaskData {
  needs: ModelNeeds;
  /** The training batch of a step: a pure function of (seed, settings, step, B). */
  trainBatch(step: number, B: number): Batch;
  /** The same examples for every seed and every call. */
  validation: Batch;
  metric: Metric;
}

/** File contents by path under public/, as listed in TaskInfo.files. */
export type TaskFiles = ReadonlyMap<string, string>;

/** Builds a task's data; throws TaskError with a message for the user on bad settings or text. */
export type CreateTaskData<D> = (settings: Partial<TaskSettings>, seed: number, files?: TaskFiles) => D;

/** A task the recurrent models in src/engine train. */
export interface RecurrentTask {
  kind: 'recurrent';
  info: TaskInfo;
  create: CreateTaskData<TaskData>;
}

/** Encoder-decoder batches: source and target sequences of their own lengths, padded (defined by the engine). */
export type { Seq2SeqBatch };

/** The encoder-decoder's needs: one vocabulary shared by source and target. */
export interface Seq2SeqNeeds {
  vocabulary: readonly string[];
  sourceLength: number;
  targetLength: number;
}

/** A sequence-to-sequence task's seeded data. */
export interface Seq2SeqData {
  needs: Seq2SeqNeeds;
  trainBatch(step: number, B: number): Seq2SeqBatch;
  validation: Seq2SeqBatch;
  /** Reads decoder logits (B, U, V). */
  metric: Metric<Seq2SeqBatch>;
}

/** A task that needs an encoder-decoder model (src/engine/seq2seq.ts). */
export interface EncoderDecoderTask {
  kind: 'encoder-decoder';
  info: TaskInfo;
  /** Why it cannot be trained yet, while that is so; absent: it trains (seq2seq does). */
  coming?: string;
  create: CreateTaskData<Seq2SeqData>;
}

/** Any task in the registry. */
export type Task = RecurrentTask | EncoderDecoderTask;
