/**
 * What a training run is made of: the task and its settings, the seed, the model, and how
 * it trains. Some settings can change while a run is paused (the optimizer's numbers, the
 * BPTT window, stateful, dropout, how often to validate, the teacher-forcing schedule); the rest make a new run, and
 * `rebuildReasons` names them.
 */
import type { InitOptions } from '../engine/model.ts';
import type { OptimizerConfig } from '../engine/optimizer.ts';
import type { Architecture, TaskSettings } from '../tasks/index.ts';

/** How a run trains. */
export interface TrainingConfig {
  optimizer: OptimizerConfig;
  /** Examples per step (B); the GPU backend is built for it. */
  batchSize: number;
  /** Truncated BPTT window k; null: full BPTT over the sequence. */
  window: number | null;
  /** Carry the hidden state from one step's batch to the next (for contiguous windows of a stream). */
  stateful: boolean;
  /** Dropout p between stacked layers (0: none). */
  dropout: number;
  /** Validate every this many steps (0: only when asked). */
  evalEvery: number;
  /** Encoder-decoder tasks: the decoder's teacher-forcing ratio by step (absent: teacher forcing, r = 1). */
  teacherForcing?: TeacherForcingSchedule;
}

/**
 * The teacher-forcing ratio r by training step: the probability that the decoder reads the true
 * previous symbol rather than its own previous output. Scheduled sampling (Bengio et al. 2015)
 * lowers r as training goes on:
 *   constant:         r
 *   linear:           from `start` to `end` over `steps` steps, then `end`
 *   inverse_sigmoid:  r = k / (k + exp(step / k)), k ≥ 1 (near 1 for step ≪ k·ln k)
 */
export type TeacherForcingSchedule =
  | { kind: 'constant'; ratio: number }
  | { kind: 'linear'; start: number; end: number; steps: number }
  | { kind: 'inverse_sigmoid'; k: number };

/** Teacher forcing throughout: the default. */
export const TEACHER_FORCING: TeacherForcingSchedule = { kind: 'constant', ratio: 1 };

/** Throws, naming the problem, on a schedule whose ratios would leave [0, 1]. */
export function checkSchedule(s: TeacherForcingSchedule): void {
  const ratio = (name: string, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`teacher forcing: ${name} must be in [0, 1], got ${v}`);
  };
  if (s.kind === 'constant') ratio('ratio', s.ratio);
  else if (s.kind === 'linear') {
    ratio('start', s.start);
    ratio('end', s.end);
    if (!(Number.isInteger(s.steps) && s.steps >= 1)) throw new RangeError(`teacher forcing: linear steps must be a whole number ≥ 1, got ${s.steps}`);
  } else if (s.kind === 'inverse_sigmoid') {
    if (!(s.k >= 1 && Number.isFinite(s.k))) throw new RangeError(`teacher forcing: inverse sigmoid k must be ≥ 1, got ${s.k}`);
  } else throw new RangeError(`teacher forcing: unknown schedule ${JSON.stringify(s)}`);
}

/** The ratio r at a training step (0-based). */
export function teacherForcingRatio(s: TeacherForcingSchedule, step: number): number {
  if (s.kind === 'constant') return s.ratio;
  if (s.kind === 'linear') return step >= s.steps ? s.end : s.start + ((s.end - s.start) * step) / s.steps;
  return s.k / (s.k + Math.exp(step / s.k));
}

/** Everything that defines a run; the same config and seed give the same run. */
export interface TrainerConfig {
  task: { id: string; settings: Partial<TaskSettings> };
  /** Seeds the data, the initial weights and the dropout masks. */
  seed: number;
  /** The architecture; the input encoding (one-hot or embedding) is the task's `encoding` setting. */
  model: Architecture;
  /** How the seeded initial weights are drawn. */
  init: InitOptions;
  training: TrainingConfig;
}

/** The settings a Trainer applies while it runs. */
export type LiveSettings = Pick<TrainingConfig, 'optimizer' | 'window' | 'stateful' | 'dropout' | 'evalEvery' | 'teacherForcing'>;

/** Structural equality of plain data (settings, architectures). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Why going from `current` to `next` needs a new run (empty when the change can be applied
 * live): the task, the seed, the model, the batch size, or the optimizer's kind.
 */
export function rebuildReasons(current: TrainerConfig, next: TrainerConfig): string[] {
  const reasons: string[] = [];
  if (!same(current.task, next.task)) reasons.push('the task or its settings changed (new data)');
  if (current.seed !== next.seed) reasons.push('the seed changed');
  if (!same(current.model, next.model) || !same(current.init, next.init)) reasons.push('the model or its initialization changed (new weights)');
  if (current.training.batchSize !== next.training.batchSize) reasons.push('the batch size changed (the backend is built for one batch shape)');
  if (current.training.optimizer.kind !== next.training.optimizer.kind) reasons.push('the optimizer kind changed (its state has another shape)');
  return reasons;
}
