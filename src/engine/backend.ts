/**
 * The interface every compute backend trains through (the CPU reference here, WebGPU in
 * src/gpu/GpuBackend.ts), so one test suite and one trainer serve both. A backend is
 * built for one model and one batch shape. Encoder-decoders train through Seq2SeqBackend.
 */
import type { Batch } from './batch.ts';
import type { OptimizerConfig, OptimizerKind } from './optimizer.ts';
import type { Seq2SeqBatch, Seq2SeqForward, Seq2SeqGrads, TeacherForcing } from './seq2seq.ts';
import type { Tensor, TensorMap } from './tensor.ts';

/** What one training step reports. */
export interface StepMetrics {
  /** Optimizer steps taken so far (skipped steps are not counted). */
  step: number;
  loss: number;
  /** ‖g‖ before clipping (not finite when a gradient was not). */
  gradNorm: number;
  /** ‖g‖ after clipping: what the update used. */
  clippedNorm: number;
  /** True when a non-finite gradient norm made the step skip its update. */
  skipped: boolean;
  /** Per (layer, direction), index layer * D + dir: (T) ‖dL/dh_t‖ over the batch. */
  dhNorm: Float64Array[];
  /** The same for ‖dL/dc_t‖ (LSTM only). */
  dcNorm: Float64Array[] | null;
  /** Encoder-decoder only: the teacher-forcing ratio r the step's decoder used. */
  teacherForcing?: number;
}

/** Loss, outputs and gradients at the current parameters, with the per-step gradient norms. */
export interface GradEvaluation {
  loss: number;
  /** The head's outputs: (B, T, O) for `sequence`, (B, O) for `last`. */
  outputs: Tensor;
  grads: TensorMap;
  dhNorm: Float64Array[];
  dcNorm: Float64Array[] | null;
}

/** One example's full record through one (layer, direction), indexed by time. */
export interface ExampleTrace {
  layer: number;
  dir: number;
  /** (T, G*H) activated gates in PyTorch's row order. */
  gates: Float64Array;
  /** (T, H) h_t. */
  h: Float64Array;
  /** (T, H) c_t (LSTM only). */
  c: Float64Array | null;
  /** (T, H) dL/dh_t. */
  dh: Float64Array;
  /** (T, H) dL/dc_t (LSTM only). */
  dc: Float64Array | null;
}

/**
 * An optimizer's state in plain, structured-clone-safe form: what a rebuilt backend (after a lost
 * GPU, or from a saved session) needs to carry on exactly where the old one stopped.
 * Both moments are (P) in paramLayout order, whatever the kind; a moment the kind has not is zeros.
 */
export interface OptimizerSnapshot {
  kind: OptimizerKind;
  /** Steps taken (skipped steps not counted); Adam's bias corrections use it. */
  t: number;
  /** (P) momentum buffer b, or Adam's first moment m. */
  m: Float64Array;
  /** (P) RMSprop's and Adam's second moment v. */
  v: Float64Array;
}

/** Throws unless a snapshot fits an optimizer of this kind over P parameters. */
export function checkOptimizerSnapshot(s: OptimizerSnapshot, kind: OptimizerKind, P: number): void {
  if (s.kind !== kind) throw new Error(`optimizer state is for ${s.kind}, this optimizer is ${kind}`);
  if (!(Number.isInteger(s.t) && s.t >= 0 && s.t < 2 ** 32)) throw new Error(`optimizer state: step count t = ${s.t} is not a whole number in [0, 2³²)`);
  if (s.m.length !== P || s.v.length !== P) throw new Error(`optimizer state has ${s.m.length}/${s.v.length} values per moment, the model ${P}`);
}

/** What every backend has, whatever the model: its name, metrics, parameters, optimizer state and its end. */
export interface BackendCore {
  readonly kind: 'cpu' | 'webgpu';
  /** What the user sees, e.g. the adapter's name. */
  readonly name: string;
  /** The newest metrics available now; never waits (on a GPU they may lag a step or two). */
  latestMetrics(): StepMetrics | null;
  /** Waits for every submitted step and returns the last step's metrics. */
  flush(): Promise<StepMetrics | null>;
  /** A float64 copy of the parameters. */
  getParams(): Promise<TensorMap>;
  /** Replaces the parameters (and keeps the optimizer state). */
  setParams(params: TensorMap): void;
  /** Changes the optimizer's hyperparameters (the kind must stay the same; make a new backend to change it). */
  setOptimizer(config: OptimizerConfig): void;
  /** Resets the optimizer's moments and step count. */
  resetOptimizer(): void;
  /** A copy of the optimizer's moments and step count. */
  getOptimizerState(): Promise<OptimizerSnapshot>;
  /** Replaces the optimizer's moments and step count (the kind and size must match). */
  setOptimizerState(state: OptimizerSnapshot): void;
  /** Frees what the backend holds. */
  dispose(): void;
}

/** A compute backend that trains one model on batches of one shape. */
export interface TrainingBackend extends BackendCore {
  /** Loss and gradients at the current parameters, without updating them. */
  evaluate(batch: Batch): Promise<GradEvaluation>;
  /** The head's outputs at the current parameters: forward only, no dropout, from the zero state (validation, sampling). */
  predict(batch: Batch): Promise<Tensor>;
  /**
   * Runs forward and backward on a batch at the current parameters (no update) and returns
   * example b's record per (layer, direction). Only steps that ask pay for it.
   */
  recordExample(batch: Batch, b: number): Promise<ExampleTrace[]>;
  /** One training step (forward, backward, optimizer). Does not wait for a GPU to finish. */
  trainStep(batch: Batch): void;
  /** Truncated BPTT window k (the sequence length or more: full BPTT). */
  setWindow(k: number): void;
  /**
   * Stateful training: each training step starts from the state the previous one ended in
   * (consecutive windows of a stream), instead of zero. Evaluation always starts from zero.
   */
  setStateful(on: boolean): void;
  /** Back to the zero state (a new pass over the stream). */
  resetState(): void;
  /**
   * Dropout p between stacked layers during training (0: none); training step n after this
   * call draws its mask with seed (seed + n) mod 2³², the same on every backend.
   */
  setDropout(p: number, seed: number): void;
}

/** An encoder-decoder's loss, logits, realized inputs, gradients and step norms at the current parameters. */
export type Seq2SeqEvaluation = Seq2SeqGrads;

/**
 * A compute backend that trains one encoder-decoder (src/engine/seq2seq.ts) on batches of one
 * shape: the TrainingBackend of the recurrent tasks, less what an encoder-decoder does not have
 * (truncated BPTT, stateful runs, dropout, per-example records), plus the decoder's teacher forcing.
 * Step metrics' dhNorm lists the encoder's layers, then the decoder's.
 */
export interface Seq2SeqBackend extends BackendCore {
  /** Loss, logits, realized inputs and gradients at the current parameters, without updating them. */
  evaluate(batch: Seq2SeqBatch, tf: TeacherForcing): Promise<Seq2SeqEvaluation>;
  /** Greedy free-running decoding (r = 0): logits (B, U, V), realized inputs and predictions, and the loss. */
  predict(batch: Seq2SeqBatch): Promise<Seq2SeqForward>;
  /** One training step (forward, backward, optimizer) with this teacher forcing. Does not wait for a GPU. */
  trainStep(batch: Seq2SeqBatch, tf: TeacherForcing): void;
}
