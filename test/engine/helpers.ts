/** Seeded models and batches for engine tests, and the error measure every tier uses. */
import { mulberry32, normal, type Random } from '../../src/engine/random.ts';
import { initParams, type CellType, type InitOptions, type LossKind, type LstmOptions, type ModelConfig, type OutputFeedback, type OutputMode } from '../../src/engine/model.ts';
import type { Batch } from '../../src/engine/batch.ts';
import type { TensorMap } from '../../src/engine/tensor.ts';

/** A small test case: a model, its parameters and a batch. */
export interface Case {
  config: ModelConfig;
  params: TensorMap;
  batch: Batch;
}

/** What a case varies. */
export interface CaseSpec {
  cell: CellType;
  numLayers: number;
  bidirectional: boolean;
  loss: LossKind;
  outputMode: OutputMode;
  B?: number;
  T?: number;
  H?: number;
  I?: number;
  O?: number;
  vocab?: number;
  seed?: number;
  lstm?: LstmOptions;
  outputFeedback?: OutputFeedback;
  init?: InitOptions;
}

/** Builds a seeded case; parameters are scaled up so gates leave their linear range. */
export function makeCase(spec: CaseSpec): Case {
  const { B = 2, T = 4, H = 3, I = 3, O = 3, seed = 1 } = spec;
  const config: ModelConfig = {
    cell: spec.cell,
    inputSize: I,
    hiddenSize: H,
    numLayers: spec.numLayers,
    bidirectional: spec.bidirectional,
    outputSize: O,
    ...(spec.vocab ? { embedding: { vocabSize: spec.vocab } } : {}),
    ...(spec.lstm ? { lstm: spec.lstm } : {}),
    ...(spec.outputFeedback ? { outputFeedback: spec.outputFeedback } : {}),
  };
  const params = initParams(config, seed, spec.init);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  const rand = mulberry32(seed + 1000);
  const N = spec.outputMode === 'last' ? B : B * T;
  const batch: Batch = {
    ...(spec.vocab
      ? { tokens: { shape: [B, T], data: Int32Array.from({ length: B * T }, () => Math.floor(rand() * spec.vocab!)) } }
      : { inputs: { shape: [B, T, I], data: Float64Array.from({ length: B * T * I }, () => normal(rand)) } }),
    targets:
      spec.loss === 'mse'
        ? { shape: spec.outputMode === 'last' ? [B, O] : [B, T, O], data: Float64Array.from({ length: N * O }, () => normal(rand)) }
        : { shape: spec.outputMode === 'last' ? [B] : [B, T], data: Float64Array.from({ length: N }, () => Math.floor(rand() * O)) },
    loss: spec.loss,
    outputMode: spec.outputMode,
  };
  return { config, params, batch };
}

/** max |a - b| / max(max |b|, 1e-12): the relative error of a tensor against its reference b. */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-12);
}

/** Re-exported so tests draw from one seeded source. */
export { mulberry32, type Random };

/** ‖a - b‖ / max(‖b‖, 1e-12): the relative error by norm the GPU tolerances are stated in. */
export function normError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let d = 0;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12);
}

/** The lectures' LSTM ladder (000, "LSTM"), plus the 1997 LSTM without a forget gate. */
export const LSTM_LADDER = {
  residual: { input: false, forget: false, output: false },
  'input gate': { input: true, forget: false, output: false },
  'input+forget': { input: true, forget: true, output: false },
  'full LSTM': { input: true, forget: true, output: true },
  'LSTM 1997 (no forget)': { input: true, forget: false, output: true },
} as const;
