/**
 * The training loop, free of the DOM so it runs in a worker or a page. From a TrainerConfig
 * it builds the task's seeded data, the model, seeded initial weights and a backend (the
 * CPU reference, or WebGPU when given a device), then trains one step at a time.
 *
 * Metrics never block training: `step` submits and takes whatever metrics the backend has
 * ready (on a GPU they lag a step or two, and a step that found no free staging buffer is
 * not sampled); `takeMetrics` hands over everything gathered since the last call, batched.
 * Validation runs on the training backend in slices of the training batch shape (slices.ts).
 */
import type { ExampleTrace, StepMetrics, TrainingBackend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpuBackend.ts';
import { initParams, type ModelConfig } from '../engine/model.ts';
import { GpuBackend } from '../gpu/GpuBackend.ts';
import type { BatchShape } from '../gpu/GpuNetwork.ts';
import { addTallies, modelConfig, taskById, TaskError, type MetricReference, type TaskData, type TaskFiles, type TaskInfo } from '../tasks/index.ts';
import { rebuildReasons, type LiveSettings, type TrainerConfig } from './config.ts';
import { batchSize, firstExamples, lossTally, sliceBatch } from './slices.ts';

/** One training step's metrics as published. */
export type TrainPoint = StepMetrics;

/** One validation pass. */
export interface ValidationPoint {
  /** Optimizer steps taken when it ran. */
  step: number;
  loss: number;
  /** The task's metric on the validation set. */
  metric: number;
}

/** What a task's metric is, without its functions (so it can be posted from a worker). */
export interface MetricInfo {
  name: string;
  better: 'higher' | 'lower';
  baseline: MetricReference;
  /** The best a unidirectional model can score, where the task needs the future. */
  causalLimit?: MetricReference;
}

/** Everything gathered since the last `takeMetrics`. */
export interface MetricsBatch {
  train: TrainPoint[];
  validation: ValidationPoint[];
  /** Training steps per second over the last few seconds (0 before two steps). */
  stepsPerSecond: number;
  /** Steps submitted so far. */
  stepsSubmitted: number;
}

/** What a run is built from once its task data exists: the model and the batch shape a backend is built for. */
export interface PreparedRun {
  config: TrainerConfig;
  info: TaskInfo;
  data: TaskData;
  model: ModelConfig;
  shape: BatchShape;
}

/** A WebGPU device to train on, with the adapter's name for the user. */
export interface GpuTarget {
  device: GPUDevice;
  name: string;
}

/** Builds a run's data and model config; throws TaskError for the user on bad settings (seq2seq included). */
export function prepareRun(config: TrainerConfig, files?: TaskFiles): PreparedRun {
  const task = taskById(config.task.id);
  if (task.kind !== 'recurrent') throw new TaskError(`${task.info.title} cannot be trained yet: ${task.coming}`);
  const data = task.create(config.task.settings, config.seed, files);
  const model = modelConfig(task.info, data.needs, config.model);
  const shape: BatchShape = { B: config.training.batchSize, T: data.needs.sequenceLength, loss: task.info.loss, outputMode: task.info.outputMode };
  return { config, info: task.info, data, model, shape };
}

/** Steps whose times feed steps per second. */
const RATE_WINDOW = 64;
/** GPU steps allowed in flight before `advance` waits for the oldest. */
const MAX_IN_FLIGHT = 3;

/** Trains one run. */
export class Trainer {
  readonly backend: TrainingBackend;
  /** The settings in force. */
  private config: TrainerConfig;
  private submitted = 0;
  private lastPublished = 0;
  /** A validation pass or record is using the network's buffers. */
  private busy = false;
  private train: TrainPoint[] = [];
  private validation: ValidationPoint[] = [];
  /** Wall-clock times (ms) of the latest steps, for steps per second. */
  private readonly times: number[] = [];
  private readonly inFlight: Promise<void>[] = [];

  constructor(
    readonly run: PreparedRun,
    private readonly gpu?: GpuTarget,
  ) {
    this.config = run.config;
    const params = initParams(run.model, run.config.seed, run.config.init);
    const optimizer = run.config.training.optimizer;
    this.backend = gpu ? new GpuBackend(gpu.device, gpu.name, run.model, run.shape, params, optimizer) : new CpuBackend(run.model, params, optimizer);
    this.applyLive(run.config.training);
  }

  /** The config in force: the run's, with live changes applied. */
  get settings(): TrainerConfig {
    return this.config;
  }

  /** Steps submitted so far; the next step trains on trainBatch(stepIndex, B). */
  get stepIndex(): number {
    return this.submitted;
  }

  /** The task's metric: name, direction, baseline and (where the task needs the future) the causal limit. */
  get metric(): MetricInfo {
    const { name, better, baseline, causalLimit } = this.run.data.metric;
    return { name, better, baseline, causalLimit };
  }

  /** One training step on trainBatch(stepIndex, B). Does not wait for a GPU. */
  step(): void {
    if (this.busy) throw new Error('a validation pass or record is running; await it before stepping');
    this.backend.trainStep(this.run.data.trainBatch(this.submitted, this.config.training.batchSize));
    this.submitted++;
    const now = performance.now();
    this.times.push(now);
    if (this.times.length > RATE_WINDOW) this.times.shift();
    this.collect(this.backend.latestMetrics());
  }

  /**
   * One step, then, on a GPU, waits while more than a few steps are queued (so a loop at
   * full speed cannot queue unbounded work); validates when `evalEvery` says so.
   */
  async advance(): Promise<void> {
    this.step();
    if (this.gpu) {
      this.inFlight.push(this.gpu.device.queue.onSubmittedWorkDone());
      if (this.inFlight.length > MAX_IN_FLIGHT) await this.inFlight.shift();
    }
    const every = this.config.training.evalEvery;
    if (every > 0 && this.submitted % every === 0) await this.evaluate();
  }

  /** Waits for every submitted step and publishes the last one's metrics. */
  async flush(): Promise<StepMetrics | null> {
    const last = await this.backend.flush();
    this.inFlight.length = 0;
    this.collect(last);
    return last;
  }

  /** Loss and metric on the validation set at the current weights; published too. */
  async evaluate(): Promise<ValidationPoint> {
    return this.exclusively(async () => {
      const { validation, metric } = this.run.data;
      const B = this.config.training.batchSize;
      const N = batchSize(validation);
      let loss = { sum: 0, count: 0 };
      let score = { sum: 0, count: 0 };
      for (let start = 0; start < N; start += B) {
        const count = Math.min(B, N - start);
        const outputs = firstExamples(await this.backend.predict(sliceBatch(validation, start, count, B)), count);
        const real = sliceBatch(validation, start, count);
        loss = addTallies(loss, lossTally(outputs, real));
        score = addTallies(score, metric.tally(outputs, real));
      }
      const point: ValidationPoint = { step: this.submitted, loss: loss.sum / loss.count, metric: metric.value(score) };
      this.validation.push(point);
      return point;
    });
  }

  /** The full record (gates, h, c, dL/dh_t, dL/dc_t per layer and direction) of validation example `index`, at the current weights. */
  async recordExample(index: number): Promise<ExampleTrace[]> {
    const N = batchSize(this.run.data.validation);
    if (!(Number.isInteger(index) && index >= 0 && index < N)) throw new RangeError(`validation example ${index} is not in a set of ${N}`);
    return this.exclusively(() => this.backend.recordExample(sliceBatch(this.run.data.validation, index, 1, this.config.training.batchSize), 0));
  }

  /** Everything gathered since the last call. */
  takeMetrics(): MetricsBatch {
    this.collect(this.backend.latestMetrics());
    const out: MetricsBatch = { train: this.train, validation: this.validation, stepsPerSecond: this.stepsPerSecond(), stepsSubmitted: this.submitted };
    this.train = [];
    this.validation = [];
    return out;
  }

  /**
   * Applies a new config if it only changes live settings (optimizer numbers, window,
   * stateful, dropout, validation interval) and returns []; otherwise changes nothing and
   * returns why a new run is needed.
   */
  reconfigure(next: TrainerConfig): string[] {
    const reasons = rebuildReasons(this.config, next);
    if (reasons.length) return reasons;
    const before = this.config.training;
    const after = next.training;
    if (JSON.stringify(before.optimizer) !== JSON.stringify(after.optimizer)) this.backend.setOptimizer(after.optimizer);
    if (before.window !== after.window) this.backend.setWindow(after.window ?? this.run.shape.T);
    if (before.stateful !== after.stateful) this.backend.setStateful(after.stateful);
    // Step n's mask is drawn with seed + n whenever dropout was switched on, as if it had been on from the start.
    if (before.dropout !== after.dropout) this.backend.setDropout(after.dropout, (this.config.seed + this.submitted) >>> 0);
    this.config = next;
    return [];
  }

  /** Frees the backend. */
  dispose(): void {
    this.backend.dispose();
  }

  /** Runs a pass that uses the network's buffers (validation, a record); no step or other pass may start meanwhile. */
  private async exclusively<T>(pass: () => Promise<T>): Promise<T> {
    if (this.busy) throw new Error('a validation pass or record is already running');
    this.busy = true;
    try {
      return await pass();
    } finally {
      this.busy = false;
    }
  }

  /** Applies every live setting (at construction). */
  private applyLive(t: LiveSettings): void {
    this.backend.setWindow(t.window ?? this.run.shape.T);
    this.backend.setStateful(t.stateful);
    this.backend.setDropout(t.dropout, this.config.seed >>> 0);
  }

  /** Publishes a step's metrics unless they were published already. */
  private collect(m: StepMetrics | null): void {
    if (!m || m.step <= this.lastPublished) return;
    this.lastPublished = m.step;
    this.train.push(m);
  }

  private stepsPerSecond(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    return ((n - 1) * 1000) / (this.times[n - 1] - this.times[0]);
  }
}
