/**
 * A CPU-side copy of a run: the weights, the optimizer's moments and step count, and the step
 * index of the data stream. The worker keeps one current while training (every few seconds and
 * at every pause) so a lost GPU costs at most the steps since; saved sessions store the same
 * thing. Everything in it survives structured cloning (postMessage, IndexedDB).
 */
import type { OptimizerSnapshot } from '../engine/backend.ts';
import type { TensorMap } from '../engine/tensor.ts';
import type { TrainerConfig } from './config.ts';

/** What a rebuilt Trainer needs to carry on where the copy was taken. */
export interface TrainerSnapshot {
  /** Training steps submitted: the next step trains on trainBatch(stepIndex). */
  stepIndex: number;
  /** Optimizer steps taken (skipped steps not counted): the `step` the metrics show. */
  step: number;
  /** float64 copies of every parameter. */
  params: TensorMap;
  optimizer: OptimizerSnapshot;
  /** The settings in force when the copy was taken (live changes included). */
  config: TrainerConfig;
}

/** Names the first parameter holding NaN or ±Inf, or null when all are finite. */
export function firstNonFinite(params: TensorMap): string | null {
  for (const [name, t] of params) {
    for (let i = 0; i < t.data.length; i++) if (!Number.isFinite(t.data[i])) return `${name}[${i}] = ${t.data[i]}`;
  }
  return null;
}
