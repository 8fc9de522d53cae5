/**
 * The page's starting configuration for each task: the settings test/gpu/trainer.test.ts
 * and docs/trainer.md show training well in a few hundred steps (one LSTM layer, Adam with
 * clipping by norm 1, B = 32), so pressing play on any task shows learning.
 */
import { defaultOptimizer, PYTORCH_INIT } from '../engine/index.ts';
import type { Architecture, TaskSettings } from '../tasks/index.ts';
import type { TrainerConfig } from '../train/config.ts';

/** The task the page opens with. */
export const FIRST_TASK = 'adding';

/**
 * Validate every this many steps on the page (the top bar's validation loss and metric):
 * a generated task's 256 examples cost about an eighth of the training time at this rate.
 */
export const PAGE_EVAL_EVERY = 20;

/** What differs from the common defaults, per task. */
interface TaskDefaults {
  settings: Partial<TaskSettings>;
  model?: Partial<Architecture>;
  lr?: number;
  seed?: number;
  /** Validation interval, where the validation set is large. */
  evalEvery?: number;
}

const PER_TASK: Record<string, TaskDefaults> = {
  'time-series': { settings: { T: 50 } },
  adding: { settings: { T: 30 }, lr: 0.02 },
  copy: { settings: { k: 3, delay: 5 }, model: { hiddenSize: 32 }, lr: 0.02 },
  // The held-out tenth of the text is about 900 windows of 32: validating every 100 steps keeps its cost near 10%.
  'char-model': { settings: { T: 32 }, model: { hiddenSize: 32 }, evalEvery: 100 },
  reber: { settings: {}, seed: 1 },
  sentiment: { settings: { encoding: 'one-hot' } },
  // Reverse 3-5 digits: a GRU of 32 gets most sequences right in a few hundred steps (docs/trainer.md).
  seq2seq: { settings: { operation: 'reverse', minLength: 3, maxLength: 5 }, model: { cell: 'gru', hiddenSize: 32 } },
  tagging: { settings: {}, model: { bidirectional: true }, lr: 0.02 },
};

/** The page's default config for a task (the common defaults where the task has none of its own). */
export function defaultConfig(taskId: string): TrainerConfig {
  const d = PER_TASK[taskId] ?? { settings: {} };
  return {
    task: { id: taskId, settings: d.settings },
    seed: d.seed ?? 7,
    model: { cell: 'lstm', hiddenSize: 16, numLayers: 1, bidirectional: false, embeddingSize: 16, ...d.model },
    init: PYTORCH_INIT,
    training: {
      optimizer: { ...defaultOptimizer('adam'), lr: d.lr ?? 0.01, clipNorm: 1 },
      batchSize: 32,
      window: null,
      stateful: false,
      dropout: 0,
      evalEvery: d.evalEvery ?? PAGE_EVAL_EVERY,
    },
  };
}
