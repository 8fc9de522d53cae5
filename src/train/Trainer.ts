/**
 * The training loop, free of the DOM so it runs in a worker or a page. From a TrainerConfig
 * it builds the task's seeded data, the model, seeded initial weights and a backend (the
 * CPU reference, or WebGPU when given a device), then trains one step at a time.
 *
 * Metrics never block training: `step` submits and takes whatever metrics the backend has
 * ready (on a GPU they lag a step or two, and a step that found no free staging buffer is
 * not sampled); `takeMetrics` hands over everything gathered since the last call, batched.
 * Validation runs on the training backend in slices of the training batch shape (slices.ts).
 *
 * Encoder-decoder tasks (seq2seq) train an encoder-decoder (src/engine/seq2seq.ts) through a
 * Seq2SeqBackend: each step's decoder reads the true previous symbol with the probability the
 * teacher-forcing schedule gives at that step, and validation decodes free running (r = 0).
 */
import type { ExampleTrace, Seq2SeqBackend, StepMetrics, TrainingBackend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpuBackend.ts';
import { initParams, type ModelConfig } from '../engine/model.ts';
import { initSeq2SeqParams, sliceSeq2SeqBatch, stackConfig, type Seq2SeqConfig, type TeacherForcing } from '../engine/seq2seq.ts';
import { Seq2SeqCpuBackend } from '../engine/seq2seqCpuBackend.ts';
import { GpuBackend } from '../gpu/GpuBackend.ts';
import type { BatchShape } from '../gpu/GpuNetwork.ts';
import { Seq2SeqGpuBackend } from '../gpu/Seq2SeqGpuBackend.ts';
import { seq2seqModel } from '../tasks/seq2seq.ts';
import { addTallies, modelConfig, negLogSoftmax, taskById, TaskError, type MetricReference, type Seq2SeqData, type TaskData, type TaskFiles, type TaskInfo, type Tally } from '../tasks/index.ts';
import { checkSchedule, rebuildReasons, TEACHER_FORCING, teacherForcingRatio, type LiveSettings, type TrainerConfig } from './config.ts';
import { batchSize, firstExamples, lossTally, sliceBatch } from './slices.ts';
import type { TrainerSnapshot } from './snapshot.ts';

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
  kind: 'recurrent';
  config: TrainerConfig;
  info: TaskInfo;
  data: TaskData;
  model: ModelConfig;
  shape: BatchShape;
}

/**
 * An encoder-decoder run. `model` and `shape` describe one stack and the decoder's batch shape
 * (U steps, the longer of the two), which is what a device's limits are checked against.
 */
export interface PreparedSeq2SeqRun {
  kind: 'encoder-decoder';
  config: TrainerConfig;
  info: TaskInfo;
  data: Seq2SeqData;
  seq2seq: Seq2SeqConfig;
  model: ModelConfig;
  shape: BatchShape;
}

/** A run of either kind of task. */
export type AnyRun = PreparedRun | PreparedSeq2SeqRun;

/** A WebGPU device to train on, with the adapter's name for the user. */
export interface GpuTarget {
  device: GPUDevice;
  name: string;
}

/**
 * Builds a recurrent task's data and model config; throws TaskError for the user on bad
 * settings, and for an encoder-decoder task, which callers that handle both prepare with
 * `prepareAnyRun`.
 */
export function prepareRun(config: TrainerConfig, files?: TaskFiles): PreparedRun {
  const run = prepareAnyRun(config, files);
  if (run.kind !== 'recurrent') throw new TaskError(`${run.info.title} is an encoder-decoder task: this caller handles recurrent runs only (prepare it with prepareAnyRun)`);
  return run;
}

/** Builds a run's data and model config, for either kind of task; throws TaskError for the user on bad settings. */
export function prepareAnyRun(config: TrainerConfig, files?: TaskFiles): AnyRun {
  const task = taskById(config.task.id);
  const B = config.training.batchSize;
  if (task.kind === 'encoder-decoder') {
    checkSeq2SeqTraining(task.info, config.training);
    const data = task.create(config.task.settings, config.seed, files);
    const seq2seq = seq2seqModel(data.needs, config.model);
    const shape: BatchShape = { B, T: data.needs.targetLength, loss: task.info.loss, outputMode: task.info.outputMode };
    return { kind: 'encoder-decoder', config, info: task.info, data, seq2seq, model: stackConfig(seq2seq), shape };
  }
  const data = task.create(config.task.settings, config.seed, files);
  const model = modelConfig(task.info, data.needs, config.model);
  const shape: BatchShape = { B, T: data.needs.sequenceLength, loss: task.info.loss, outputMode: task.info.outputMode };
  return { kind: 'recurrent', config, info: task.info, data, model, shape };
}

/** Throws, for the user, on training settings the encoder-decoder does not have. */
function checkSeq2SeqTraining(info: TaskInfo, t: TrainerConfig['training']): void {
  if (t.window !== null) throw new TaskError(`${info.title} trains with full BPTT: clear the BPTT window`);
  if (t.stateful) throw new TaskError(`${info.title} starts every example from the encoder's state: turn stateful off`);
  if (t.dropout > 0) throw new TaskError(`${info.title}: the encoder-decoder has no dropout yet; set it to 0`);
  checkSchedule(t.teacherForcing ?? TEACHER_FORCING);
}

/** Steps whose times feed steps per second. */
const RATE_WINDOW = 64;
/** GPU steps allowed in flight before `advance` waits for the oldest. */
const MAX_IN_FLIGHT = 3;

/** Trains one run. */
export class Trainer {
  readonly backend: TrainingBackend | Seq2SeqBackend;
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
  /** Metrics of a step undone by `restore`, never to be published. */
  private stale: StepMetrics | null = null;

  constructor(
    /** The run, of either kind. */
    readonly prepared: AnyRun,
    private readonly gpu?: GpuTarget,
  ) {
    const run = prepared;
    this.config = run.config;
    const optimizer = run.config.training.optimizer;
    if (run.kind === 'encoder-decoder') {
      const params = initSeq2SeqParams(run.seq2seq, run.config.seed, run.config.init);
      const { B, T: U } = run.shape;
      const S = run.data.needs.sourceLength;
      this.backend = gpu ? new Seq2SeqGpuBackend(gpu.device, gpu.name, run.seq2seq, { B, S, U }, params, optimizer) : new Seq2SeqCpuBackend(run.seq2seq, params, optimizer);
      return;
    }
    const params = initParams(run.model, run.config.seed, run.config.init);
    const backend = gpu ? new GpuBackend(gpu.device, gpu.name, run.model, run.shape, params, optimizer) : new CpuBackend(run.model, params, optimizer);
    this.backend = backend;
    this.applyLive(backend, run.config.training);
  }

  /** A recurrent task's run; an encoder-decoder run is `prepared` (this getter says so rather than return it as the other kind). */
  get run(): PreparedRun {
    if (this.prepared.kind !== 'recurrent') throw new Error(`${this.prepared.info.title} is an encoder-decoder run: read trainer.prepared`);
    return this.prepared;
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
    const { name, better, baseline, causalLimit } = this.prepared.data.metric;
    return { name, better, baseline, causalLimit };
  }

  /** Encoder-decoder runs: the teacher forcing of the next training step (its ratio from the schedule, seeded coins). */
  teacherForcing(): TeacherForcing {
    const schedule = this.config.training.teacherForcing ?? TEACHER_FORCING;
    return { ratio: teacherForcingRatio(schedule, this.submitted), seed: this.config.seed >>> 0, step: this.submitted >>> 0 };
  }

  /** One training step on trainBatch(stepIndex, B). Does not wait for a GPU. */
  step(): void {
    if (this.busy) throw new Error('a validation pass or record is running; await it before stepping');
    const B = this.config.training.batchSize;
    if (this.prepared.kind === 'encoder-decoder') (this.backend as Seq2SeqBackend).trainStep(this.prepared.data.trainBatch(this.submitted, B), this.teacherForcing());
    else (this.backend as TrainingBackend).trainStep(this.prepared.data.trainBatch(this.submitted, B));
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
    if (this.prepared.kind === 'encoder-decoder') return this.evaluateSeq2Seq(this.prepared, this.backend as Seq2SeqBackend);
    const backend = this.backend as TrainingBackend;
    return this.exclusively(async () => {
      const { validation, metric } = this.run.data;
      const B = this.config.training.batchSize;
      const N = batchSize(validation);
      let loss = { sum: 0, count: 0 };
      let score = { sum: 0, count: 0 };
      for (let start = 0; start < N; start += B) {
        const count = Math.min(B, N - start);
        const outputs = firstExamples(await backend.predict(sliceBatch(validation, start, count, B)), count);
        const real = sliceBatch(validation, start, count);
        loss = addTallies(loss, lossTally(outputs, real));
        score = addTallies(score, metric.tally(outputs, real));
      }
      const point: ValidationPoint = { step: this.submitted, loss: loss.sum / loss.count, metric: metric.value(score) };
      this.validation.push(point);
      return point;
    });
  }

  /**
   * Encoder-decoder validation: free-running greedy decoding (r = 0) in slices of B; the loss is
   * the cross-entropy of those free-running logits over the real target positions.
   */
  private async evaluateSeq2Seq(run: PreparedSeq2SeqRun, backend: Seq2SeqBackend): Promise<ValidationPoint> {
    return this.exclusively(async () => {
      const { validation, metric } = run.data;
      const B = this.config.training.batchSize;
      const N = validation.targetLengths.length;
      let loss: Tally = { sum: 0, count: 0 };
      let score: Tally = { sum: 0, count: 0 };
      for (let start = 0; start < N; start += B) {
        const count = Math.min(B, N - start);
        const { logits } = await backend.predict(sliceSeq2SeqBatch(validation, start, count, B));
        const real = sliceSeq2SeqBatch(validation, start, count);
        const [, U, V] = logits.shape;
        const outputs = { shape: [count, U, V], data: logits.data.subarray(0, count * U * V) };
        for (let b = 0; b < count; b++) {
          for (let u = 0; u < real.targetLengths[b]; u++) loss = addTallies(loss, { sum: negLogSoftmax(outputs.data, (b * U + u) * V, V, real.targets.data[b * U + u]), count: 1 });
        }
        score = addTallies(score, metric.tally(outputs, real));
      }
      const point: ValidationPoint = { step: this.submitted, loss: loss.sum / loss.count, metric: metric.value(score) };
      this.validation.push(point);
      return point;
    });
  }

  /** The full record (gates, h, c, dL/dh_t, dL/dc_t per layer and direction) of validation example `index`, at the current weights. */
  async recordExample(index: number): Promise<ExampleTrace[]> {
    if (this.prepared.kind === 'encoder-decoder') throw new Error(`the record of one example is not available for seq2seq yet`);
    const backend = this.backend as TrainingBackend;
    const N = batchSize(this.run.data.validation);
    if (!(Number.isInteger(index) && index >= 0 && index < N)) throw new RangeError(`validation example ${index} is not in a set of ${N}`);
    return this.exclusively(() => backend.recordExample(sliceBatch(this.run.data.validation, index, 1, this.config.training.batchSize), 0));
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
    if (this.prepared.kind === 'encoder-decoder') {
      // Checked before anything changes: a refused setting leaves the run as it was.
      checkSeq2SeqTraining(this.prepared.info, after);
    }
    if (JSON.stringify(before.optimizer) !== JSON.stringify(after.optimizer)) this.backend.setOptimizer(after.optimizer);
    if (this.prepared.kind === 'recurrent') {
      const backend = this.backend as TrainingBackend;
      if (before.window !== after.window) backend.setWindow(after.window ?? this.run.shape.T);
      if (before.stateful !== after.stateful) backend.setStateful(after.stateful);
      // Step n's mask is drawn with seed + n whenever dropout was switched on, as if it had been on from the start.
      if (before.dropout !== after.dropout) backend.setDropout(after.dropout, (this.config.seed + this.submitted) >>> 0);
    }
    this.config = next;
    return [];
  }

  /** A CPU-side copy of the weights, the optimizer state and the step index (waits for the steps submitted so far). */
  async snapshot(): Promise<TrainerSnapshot> {
    const stepIndex = this.submitted;
    const [params, optimizer] = await Promise.all([this.backend.getParams(), this.backend.getOptimizerState()]);
    return { stepIndex, step: optimizer.t, params, optimizer, config: this.config };
  }

  /**
   * Carries on from a snapshot of this run (same task, seed, model, batch size and optimizer kind):
   * its weights and optimizer state, and the data stream at its step index. A stateful run starts
   * its next window from the zero state; dropout masks go on as if never interrupted.
   */
  restore(s: TrainerSnapshot): void {
    // Its live settings (learning rate, window, ...) apply first; anything else must match.
    const reasons = this.reconfigure(s.config);
    if (reasons.length) throw new Error(`the copy is of another run: ${reasons.join('; ')}`);
    this.backend.setParams(s.params);
    this.backend.setOptimizerState(s.optimizer);
    this.submitted = s.stepIndex;
    this.lastPublished = s.step;
    // The backend's newest metrics are of a step the copy undoes: not to be published again.
    this.stale = this.backend.latestMetrics();
    this.times.length = 0;
    if (this.prepared.kind === 'recurrent') {
      const backend = this.backend as TrainingBackend;
      backend.resetState();
      const { dropout } = this.config.training;
      backend.setDropout(dropout, (this.config.seed + s.stepIndex) >>> 0);
    }
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

  /** Applies every live setting of a recurrent run (at construction). */
  private applyLive(backend: TrainingBackend, t: LiveSettings): void {
    backend.setWindow(t.window ?? this.run.shape.T);
    backend.setStateful(t.stateful);
    backend.setDropout(t.dropout, this.config.seed >>> 0);
  }

  /** Publishes a step's metrics unless they were published already. */
  private collect(m: StepMetrics | null): void {
    if (!m || m === this.stale || m.step <= this.lastPublished) return;
    this.lastPublished = m.step;
    this.train.push(m);
  }

  private stepsPerSecond(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    return ((n - 1) * 1000) / (this.times[n - 1] - this.times[0]);
  }
}
