/**
 * The training worker: a Trainer off the main thread, so the page stays responsive while
 * it trains at full speed. WebGPU works in workers, so the device is requested here, with
 * the limits the run needs (requestDeviceFor). Commands are handled one at a time, in
 * order; `play` starts a loop that runs steps in slices of a few milliseconds and yields
 * between them so commands get in. Metrics go out batched, at most about every 16 ms.
 */
import { detectBackend } from '../gpu/backend.ts';
import { LimitError, requestDeviceFor } from '../gpu/limits.ts';
import { SHIPPED_TEXT, VALIDATION_FRACTION } from '../tasks/charModel.ts';
import { codePoints, resolveSettings, taskById, type TaskFiles } from '../tasks/index.ts';
import { parseSentimentSet, SENTIMENT_FILE, splitSentences } from '../tasks/sentiment.ts';
import type { TrainerConfig } from './config.ts';
import { inspect } from './inspect.ts';
import type { BackendChoice, Command, Reply, Request, Results, RunInfo } from './protocol.ts';
import { inspectSeq2SeqExample } from './inspectSeq2Seq.ts';
import type { TensorMap } from '../engine/tensor.ts';
import { firstNonFinite, type TrainerSnapshot } from './snapshot.ts';
import { prepareAnyRun, Trainer, type AnyRun, type GpuTarget } from './Trainer.ts';
import { ViewsClient } from './viewsClient.ts';
import type { AnyWalkView, WalkRequest } from './walk.ts';

/** The worker's global scope, as much of it as this file uses. */
const scope = self as unknown as { postMessage(message: Reply): void; onmessage: ((event: MessageEvent<Request>) => void) | null };

/** Milliseconds of steps between yields to the event loop. */
const SLICE_MS = 8;
/** Least milliseconds between metrics messages. */
const METRICS_MS = 16;

/** Least milliseconds between the CPU-side copies taken while training. */
const COPY_MS = 3000;
/** The one-line explanation a diverged run shows. */
const EXPLODING =
  'exploding gradients: backpropagation through time multiplies the gradient by W_hh and the gates\' derivatives at every step back, ' +
  'so once the weights grow it can grow without bound; lower the learning rate or turn on gradient clipping, and see the gradient-over-time and clipping views';

let trainer: Trainer | null = null;
let gpu: GpuTarget | null = null;
let loop: Promise<void> | null = null;
let playing = false;
let lastPost = 0;
/** The CPU-side copy of the run (weights, optimizer state, step), current every few seconds while training and at every pause. */
let copy: TrainerSnapshot | null = null;
let copiedAt = 0;
/** GPU devices lost by this run; after two it moves to the CPU. */
let gpuLosses = 0;
/** The loop stopped because the device was lost: recovery plays again. */
let resumeAfterLoss = false;
/** Test-only commands (debugLoseDevice) allowed; set by init. */
let debugFaults = false;
/** Devices this worker destroyed on purpose (a rebuild): their loss is no fault. */
const retired = new WeakSet<GPUDevice>();

/** The message of anything thrown. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resolves after pending messages are handled (a macrotask, without setTimeout's clamping). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Posts the metrics gathered since the last post. */
function postMetrics(): void {
  if (!trainer) return;
  lastPost = performance.now();
  scope.postMessage({ type: 'metrics', metrics: trainer.takeMetrics(), playing });
}

/** The files a task reads, fetched from public/ at `base`. */
async function loadFiles(paths: readonly string[], base: string): Promise<TaskFiles> {
  const entries = await Promise.all(
    paths.map(async (path) => {
      const response = await fetch(new URL(path, base));
      if (!response.ok) throw new Error(`could not load ${path}: HTTP ${response.status}`);
      return [path, await response.text()] as const;
    }),
  );
  return new Map(entries);
}

/**
 * Training examples in one epoch for the tasks with a fixed training set: the character
 * model's training text in windows of T, the sentiment sentences; null for generated tasks.
 */
function examplesPerEpoch(run: AnyRun, files: TaskFiles): number | null {
  if (run.kind !== 'recurrent') return null;
  if (run.info.id === 'char-model') {
    const settings = resolveSettings(run.info.settings, run.config.task.settings);
    const text = settings.source === 'pasted' ? String(settings.text) : (files.get(SHIPPED_TEXT) ?? '');
    return Math.floor((codePoints(text).length * (1 - VALIDATION_FRACTION)) / run.data.needs.sequenceLength);
  }
  const json = files.get(SENTIMENT_FILE);
  if (run.info.id === 'sentiment' && json !== undefined) return splitSentences(parseSentimentSet(json)).train.length;
  return null;
}

/** Takes the CPU-side copy of a trainer's run now. */
async function keepCopy(t: Trainer): Promise<void> {
  copy = await t.snapshot();
  copiedAt = performance.now();
}

/**
 * The kept copy when it may stand for the current weights: while training (it is at most COPY_MS old, and whoever reads it
 * is told its step), or paused when it is of the current step. Reading it spares a pause of the loop and a GPU readback.
 */
function servingCopy(): TrainerSnapshot | null {
  return copy && trainer && (playing || copy.stepIndex === trainer.stepIndex) ? copy : null;
}

/** Trains until `playing` is cleared, or until a step's update is skipped (not finite): then it pauses and says why. */
async function runLoop(t: Trainer): Promise<void> {
  // Metrics from before this play (say, the skipped step that paused it) are not a new divergence.
  const before = t.backend.latestMetrics();
  while (playing) {
    const start = performance.now();
    while (playing && performance.now() - start < SLICE_MS) {
      await t.advance();
      const latest = t.backend.latestMetrics();
      if (latest && latest !== before && (latest.skipped || !Number.isFinite(latest.loss))) {
        playing = false;
        await diverged(t, latest.skipped ? latest.step + 1 : latest.step, latest.skipped);
        return;
      }
    }
    if (performance.now() - copiedAt >= COPY_MS) await keepCopy(t);
    if (performance.now() - lastPost >= METRICS_MS) postMetrics();
    await yieldToEvents();
  }
}

/** Validation loss at the trainer's current weights, published only when finite (a probe after divergence). */
async function probeLoss(t: Trainer): Promise<number> {
  postMetrics();
  const { loss } = await t.evaluate();
  const probe = t.takeMetrics();
  probe.validation = probe.validation.filter((v) => Number.isFinite(v.loss));
  scope.postMessage({ type: 'metrics', metrics: probe, playing: false });
  return loss;
}

/**
 * A step's gradient norm (so the optimizer skipped its update) or loss was not finite. Keeps the
 * current weights when they are finite and so is the validation loss at them; otherwise goes
 * back to the last copy (the weights, optimizer state and step of a few seconds earlier). Then
 * tells the page where training paused and why.
 */
async function diverged(t: Trainer, step: number, skipped: boolean): Promise<void> {
  // On a GPU a few later steps were already queued; their updates (if any) are kept.
  const at = (await t.flush())?.step ?? 0;
  const bad = firstNonFinite(await t.backend.getParams());
  const loss = bad === null ? await probeLoss(t) : NaN;
  const cause = skipped ? 'the gradient norm was not finite, so its update was skipped' : 'the loss was not finite';
  let kept: string;
  if (Number.isFinite(loss)) {
    kept = `training paused with the weights of step ${at}, all finite (validation loss ${loss.toPrecision(4)})`;
    await keepCopy(t);
  } else if (copy && copy.step < at) {
    const why = bad === null ? 'their validation loss was not finite' : `they were not finite (${bad})`;
    t.restore(copy);
    const restored = await probeLoss(t);
    kept = `the weights of step ${at} could not be kept (${why}), so training paused at the copy from step ${copy.step} (validation loss ${restored.toPrecision(4)})`;
  } else {
    kept = `the weights of step ${at} are ${bad === null ? 'finite but give a non-finite validation loss' : `not finite (${bad})`} and there is no earlier copy; reset the run`;
  }
  postMetrics();
  scope.postMessage({ type: 'diverged', step, message: `Training diverged at step ${step}: ${cause}, and ${kept}. This is ${EXPLODING}.` });
}

/** True when `device` is lost within `ms` (an error in the loop may come just before the loss is reported). */
function lostWithin(device: GPUDevice, ms: number): Promise<boolean> {
  return Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

/** Starts the loop unless it runs; a step that throws stops it and is reported (unless the GPU was lost: recovery handles that). */
function start(): void {
  if (playing) return;
  playing = true;
  const device = gpu?.device;
  loop = runLoop(current()).catch(async (error: unknown) => {
    playing = false;
    if (device && (await lostWithin(device, 1000))) {
      resumeAfterLoss = true;
      return;
    }
    scope.postMessage({ type: 'error', message: messageOf(error) });
  });
}

/** Recovers from a lost device once it is reported; a device retired on purpose is ignored. */
function watch(target: GpuTarget): void {
  void target.device.lost.then((info) => {
    if (retired.has(target.device) || gpu?.device !== target.device) return;
    queue = queue.then(() => recover(info.message).catch((error: unknown) => scope.postMessage({ type: 'error', message: `GPU device lost and not recovered: ${messageOf(error)}` })));
  });
}

/**
 * After a lost device: a new device (or the CPU after a second loss, or when none can be had),
 * a new trainer at the copy's step with its weights and optimizer state, a message for the page,
 * and play again if it was playing. Steps since the copy are lost.
 */
async function recover(reason: string): Promise<void> {
  const wasPlaying = playing;
  playing = false;
  await loop;
  loop = null;
  const resume = wasPlaying || resumeAfterLoss;
  resumeAfterLoss = false;
  const old = current();
  const saved = copy;
  if (!saved) throw new Error('there is no copy of the run to restore');
  gpuLosses++;
  let next: GpuTarget | null = null;
  let why = 'the GPU was lost twice (Chromium blocks WebGPU for a page after repeated losses)';
  if (gpuLosses < 2) {
    const found = await detectBackend(undefined, (adapter) => requestDeviceFor(adapter, [{ config: old.prepared.model, shape: old.prepared.shape }]));
    if (found.kind === 'webgpu') next = { device: found.device, name: found.name };
    else why = found.reason;
  }
  old.dispose();
  const rebuilt = new Trainer({ ...old.prepared, config: saved.config }, next ?? undefined);
  rebuilt.restore(saved);
  trainer = rebuilt;
  gpu = next;
  if (next) watch(next);
  const where = next ? `on a new device (${next.name})` : `on the CPU: ${why}`;
  scope.postMessage({
    type: 'recovered',
    step: saved.step,
    backend: rebuilt.backend.kind,
    name: rebuilt.backend.name,
    message: `GPU device lost; resumed from step ${saved.step} ${where}. (${reason || 'no reason given'})`,
  });
  postMetrics();
  if (resume) start();
}

/** Stops the loop and waits for the GPU, so the trainer is idle. */
async function stop(): Promise<void> {
  playing = false;
  await loop;
  loop = null;
  await trainer?.flush();
}

/** Runs a pass between steps: pauses the loop if it runs, and resumes it after. */
async function between<T>(pass: (t: Trainer) => Promise<T>): Promise<T> {
  const wasPlaying = playing;
  await stop();
  try {
    return await pass(current());
  } finally {
    if (wasPlaying) start();
  }
}

/**
 * Builds a trainer for a config, on the GPU when chosen and available. The new run is built
 * before the old one is freed: a config that fails (bad settings, or too big for the GPU's
 * limits, refused before anything is allocated) leaves the previous run as it was.
 */
async function build(config: TrainerConfig, backend: BackendChoice, filesBase: string): Promise<RunInfo> {
  const files = await loadFiles(taskById(config.task.id).info.files, filesBase);
  const run = prepareAnyRun(config, files);
  let cpuReason: string | undefined;
  let next: GpuTarget | null = null;
  if (backend === 'auto') {
    let tooBig: LimitError | null = null;
    const found = await detectBackend(undefined, (adapter) =>
      requestDeviceFor(adapter, [{ config: run.model, shape: run.shape }]).catch((error: unknown) => {
        if (error instanceof LimitError) tooBig = error;
        throw error;
      }),
    );
    // Too big for this GPU is the user's to fix, not a reason to train it on the CPU instead.
    if (tooBig) throw tooBig;
    if (found.kind === 'webgpu') next = { device: found.device, name: found.name };
    else cpuReason = found.reason;
  } else {
    cpuReason = 'the CPU was chosen';
  }
  let built: Trainer;
  try {
    built = new Trainer(run, next ?? undefined);
  } catch (error) {
    if (next) retire(next);
    throw error;
  }
  trainer?.dispose();
  if (gpu) retire(gpu);
  trainer = built;
  gpu = next;
  gpuLosses = 0;
  if (next) watch(next);
  await keepCopy(built);
  return { backend: trainer.backend.kind, name: trainer.backend.name, cpuReason, metric: trainer.metric, model: run.model, examplesPerEpoch: examplesPerEpoch(run, files) };
}

/** Destroys a device this worker no longer uses (its loss is then no fault). */
function retire(target: GpuTarget): void {
  retired.add(target.device);
  target.device.destroy();
}

/** The trainer, or an error saying there is none yet. */
function current(): Trainer {
  if (!trainer) throw new Error('no run yet: send init first');
  return trainer;
}

/** Handles one command. */
async function handle(command: Command): Promise<Results[Command['type']]> {
  switch (command.type) {
    case 'init': {
      const wasPlaying = playing;
      await stop();
      debugFaults = command.debugFaults === true;
      try {
        return await build(command.config, command.backend, command.filesBase);
      } catch (error) {
        // The previous run (if any) is untouched: it carries on as it was.
        if (wasPlaying && trainer) start();
        throw error;
      }
    }
    case 'play':
      start();
      return null;
    case 'pause':
      await stop();
      if (trainer) await keepCopy(trainer);
      postMetrics();
      return null;
    case 'step':
      await stop();
      await current().advance();
      await current().flush();
      postMetrics();
      return null;
    case 'reset': {
      await stop();
      // Task data is a pure function of its settings and seed, so the new trainer reuses it.
      const old = current();
      old.dispose();
      trainer = new Trainer({ ...old.prepared, config: old.settings }, gpu ?? undefined);
      await keepCopy(trainer);
      postMetrics();
      return null;
    }
    case 'snapshot':
      // While training, the copy kept every COPY_MS is the snapshot (no pause, no GPU drain); paused, it is when current.
      return (
        servingCopy() ??
        between(async (t) => {
          await keepCopy(t);
          return copy!;
        })
      );
    case 'restore': {
      await stop();
      current().restore(command.snapshot);
      copy = command.snapshot;
      copiedAt = performance.now();
      postMetrics();
      return null;
    }
    case 'debugLoseDevice': {
      if (!debugFaults) throw new Error('debugLoseDevice is a test command: init with debugFaults to allow it');
      if (!gpu) throw new Error('debugLoseDevice: the run is on the CPU, there is no device to lose');
      gpu.device.destroy();
      return null;
    }
    case 'configure':
      return current().reconfigure(command.config);
    case 'evaluate':
      return between(async (t) => {
        const point = await t.evaluate();
        postMetrics();
        return point;
      });
    case 'record':
      return between((t) => t.recordExample(command.index));
    case 'inspect': {
      const t = current();
      // The CPU engine computes the view from a float64 copy of the weights. Like a walk: the kept copy while training (or when current), else the weights read between two steps.
      const params = servingCopy()?.params ?? (await between((tr) => tr.backend.getParams()));
      if (t.prepared.kind === 'encoder-decoder') {
        if (command.request.kind !== 'example') throw new Error(`${t.prepared.info.title} shows validation examples only, not a ${command.request.kind}`);
        return inspectSeq2SeqExample(t.prepared, params, command.request.index);
      }
      return inspect(t.run, params, command.request);
    }
    case 'walk': {
      const t = current();
      // While training, the copy kept every COPY_MS serves (the walk says which step it shows), so a walk
      // neither pauses the loop nor waits for the GPU to drain; paused, the copy is used when it is current.
      const kept = servingCopy();
      if (kept) return walkOf(t, kept.config, kept.params, command.request, kept.stepIndex);
      const { params, step } = await between(async (tr) => ({ params: await tr.backend.getParams(), step: tr.stepIndex }));
      return walkOf(t, t.settings, params, command.request, step);
    }
  }
}

/** Walks are worked out on the views worker's thread, beside the training loop. */
const views = new ViewsClient();
/** The latest walk: asked again for the same example at the same weights (the copy changes every COPY_MS), it is not computed twice. */
let lastWalk: { params: TensorMap; key: string; view: Promise<AnyWalkView> } | null = null;

/** The walk of `request` at `params`, from the views worker (or the latest walk, when it is the same). */
function walkOf(t: Trainer, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): Promise<AnyWalkView> {
  const key = JSON.stringify([request, settings.training, step]);
  if (lastWalk && lastWalk.params === params && lastWalk.key === key) return lastWalk.view;
  const view = views.walk(t.prepared, settings, params, request, step);
  lastWalk = { params, key, view };
  view.catch(() => (lastWalk = null));
  return view;
}

/** Commands run one after another, in arrival order. */
let queue: Promise<unknown> = Promise.resolve();

scope.onmessage = ({ data: request }) => {
  queue = queue.then(() =>
    handle(request).then(
      (result) => scope.postMessage({ type: 'done', id: request.id, result }),
      (error: unknown) => scope.postMessage({ type: 'failed', id: request.id, message: messageOf(error) }),
    ),
  );
};
