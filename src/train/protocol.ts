/**
 * The messages between the page (TrainerClient) and the training worker (worker.ts).
 * Commands carry an id and are answered once, by `done` or `failed` with the same id;
 * metrics are pushed, batched, at most about every 16 ms while training runs.
 */
import type { ExampleTrace } from '../engine/backend.ts';
import type { ModelConfig } from '../engine/model.ts';
import type { TrainerConfig } from './config.ts';
import type { InspectRequest, InspectView } from './inspect.ts';
import type { TrainerSnapshot } from './snapshot.ts';
import type { MetricInfo, MetricsBatch, ValidationPoint } from './Trainer.ts';
import type { AnyWalkView, WalkRequest } from './walk.ts';

/** Which backend to train on: WebGPU when the browser has it (else the CPU), or the CPU. */
export type BackendChoice = 'auto' | 'cpu';

/** A command for the worker. */
export type Command =
  /** Builds a run (task data, weights, backend) from a config; the run starts paused at step 0. */
  | {
      type: 'init';
      config: TrainerConfig;
      backend: BackendChoice;
      /** Absolute URL of public/ as the page sees it (a worker resolves relative URLs against its own script). */
      filesBase: string;
      /** Allows the test-only commands (debugLoseDevice); never set by the page. */
      debugFaults?: boolean;
    }
  /** Trains at full speed until paused. */
  | { type: 'play' }
  /** Stops after the step in progress; answered once the GPU is idle and the last metrics posted. */
  | { type: 'pause' }
  /** One training step while paused. */
  | { type: 'step' }
  /** Back to step 0 with the same config: the same seed gives the same weights and batches. */
  | { type: 'reset' }
  /** Applies live settings (optimizer, window, stateful, dropout, validation interval), or answers why a new run is needed. */
  | { type: 'configure'; config: TrainerConfig }
  /** One validation pass now. */
  | { type: 'evaluate' }
  /** The full record of validation example `index` at the current weights. */
  | { type: 'record'; index: number }
  /** What a task view shows (an example, sampled text, a sentence word by word) at the current weights, on the CPU engine. */
  | { type: 'inspect'; request: InspectRequest }
  /** One example's BPTT walk (and σ_max of each W_hh) at the current weights with the run's window, on the CPU engine (seq2seq: through encoder and decoder). */
  | { type: 'walk'; request: WalkRequest }
  /** A CPU-side copy of the run (weights, optimizer state, step index, config in force), for a saved session. */
  | { type: 'snapshot' }
  /** Carries the current run on from a copy of it (same task, seed, model, batch size, optimizer kind); paused after. */
  | { type: 'restore'; snapshot: TrainerSnapshot }
  /** Test only (init with debugFaults): destroys the GPU device, as a lost GPU would. */
  | { type: 'debugLoseDevice' };

/** A command with its id. */
export type Request = Command & { id: number };

/** What `init` answers: the backend the run got, and the metric it is scored by. */
export interface RunInfo {
  backend: 'cpu' | 'webgpu';
  /** The adapter's name, or "CPU". */
  name: string;
  /** Why WebGPU is not used, when the choice was `auto` and the CPU was taken. */
  cpuReason?: string;
  metric: MetricInfo;
  /** The model the run trains (sizes from the task's data). */
  model: ModelConfig;
  /** Training examples in one pass over a fixed training set; null when every step draws fresh examples. */
  examplesPerEpoch: number | null;
}

/** The answers, by command. */
export interface Results {
  init: RunInfo;
  play: null;
  pause: null;
  step: null;
  reset: null;
  /** Empty when applied; otherwise why a new run (`init`) is needed, and nothing was changed. */
  configure: string[];
  evaluate: ValidationPoint;
  record: ExampleTrace[];
  inspect: InspectView;
  walk: AnyWalkView;
  snapshot: TrainerSnapshot;
  restore: null;
  debugLoseDevice: null;
}

/** A message from the worker. */
export type Reply =
  | { type: 'done'; id: number; result: Results[Command['type']] }
  | { type: 'failed'; id: number; message: string }
  | { type: 'metrics'; metrics: MetricsBatch; playing: boolean }
  /** Training stopped on an error outside any command (a step that threw while playing). */
  | { type: 'error'; message: string }
  /** The GPU device was lost and training carries on from the copy at `step` (on a new device, or on the CPU). */
  | { type: 'recovered'; step: number; backend: 'cpu' | 'webgpu'; name: string; message: string }
  /** A step's loss or gradient norm was not finite: training paused at finite weights; `message` explains. */
  | { type: 'diverged'; step: number; message: string };
