/**
 * The training worker: a Trainer off the main thread, so the page stays responsive while
 * it trains at full speed. WebGPU works in workers, so the device is requested here, with
 * the limits the run needs (requestDeviceFor). Commands are handled one at a time, in
 * order; `play` starts a loop that runs steps in slices of a few milliseconds and yields
 * between them so commands get in. Metrics go out batched, at most about every 16 ms.
 */
import { detectBackend } from '../gpu/backend.ts';
import { requestDeviceFor } from '../gpu/limits.ts';
import { SHIPPED_TEXT, VALIDATION_FRACTION } from '../tasks/charModel.ts';
import { codePoints, resolveSettings, taskById, type TaskFiles } from '../tasks/index.ts';
import { parseSentimentSet, SENTIMENT_FILE, splitSentences } from '../tasks/sentiment.ts';
import type { TrainerConfig } from './config.ts';
import { inspect } from './inspect.ts';
import type { BackendChoice, Command, Reply, Request, Results, RunInfo } from './protocol.ts';
import { inspectSeq2SeqExample } from './inspectSeq2Seq.ts';
import { prepareAnyRun, Trainer, type AnyRun, type GpuTarget } from './Trainer.ts';
import { walkExample } from './walk.ts';

/** The worker's global scope, as much of it as this file uses. */
const scope = self as unknown as { postMessage(message: Reply): void; onmessage: ((event: MessageEvent<Request>) => void) | null };

/** Milliseconds of steps between yields to the event loop. */
const SLICE_MS = 8;
/** Least milliseconds between metrics messages. */
const METRICS_MS = 16;

let trainer: Trainer | null = null;
let gpu: GpuTarget | null = null;
let loop: Promise<void> | null = null;
let playing = false;
let lastPost = 0;

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

/** Trains until `playing` is cleared. */
async function runLoop(t: Trainer): Promise<void> {
  while (playing) {
    const start = performance.now();
    while (playing && performance.now() - start < SLICE_MS) await t.advance();
    if (performance.now() - lastPost >= METRICS_MS) postMetrics();
    await yieldToEvents();
  }
}

/** Starts the loop unless it runs; a step that throws stops it and is reported. */
function start(): void {
  if (playing) return;
  playing = true;
  loop = runLoop(current()).catch((error: unknown) => {
    playing = false;
    scope.postMessage({ type: 'error', message: messageOf(error) });
  });
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

/** Builds a trainer for a config, on the GPU when chosen and available. */
async function build(config: TrainerConfig, backend: BackendChoice, filesBase: string): Promise<RunInfo> {
  trainer?.dispose();
  trainer = null;
  gpu?.device.destroy();
  gpu = null;
  const files = await loadFiles(taskById(config.task.id).info.files, filesBase);
  const run = prepareAnyRun(config, files);
  let cpuReason: string | undefined;
  if (backend === 'auto') {
    const found = await detectBackend(undefined, (adapter) => requestDeviceFor(adapter, [{ config: run.model, shape: run.shape }]));
    if (found.kind === 'webgpu') gpu = { device: found.device, name: found.name };
    else cpuReason = found.reason;
  } else {
    cpuReason = 'the CPU was chosen';
  }
  trainer = new Trainer(run, gpu ?? undefined);
  return { backend: trainer.backend.kind, name: trainer.backend.name, cpuReason, metric: trainer.metric, model: run.model, examplesPerEpoch: examplesPerEpoch(run, files) };
}

/** The trainer, or an error saying there is none yet. */
function current(): Trainer {
  if (!trainer) throw new Error('no run yet: send init first');
  return trainer;
}

/** Handles one command. */
async function handle(command: Command): Promise<Results[Command['type']]> {
  switch (command.type) {
    case 'init':
      await stop();
      return build(command.config, command.backend, command.filesBase);
    case 'play':
      start();
      return null;
    case 'pause':
      await stop();
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
      postMetrics();
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
      // The weights are read between steps; the CPU engine then computes the view from the copy.
      const t = current();
      const params = await between((tr) => tr.backend.getParams());
      if (t.prepared.kind === 'encoder-decoder') {
        if (command.request.kind !== 'example') throw new Error(`${t.prepared.info.title} shows validation examples only, not a ${command.request.kind}`);
        return inspectSeq2SeqExample(t.prepared, params, command.request.index);
      }
      return inspect(t.run, params, command.request);
    }
    case 'walk': {
      const t = current();
      const { params, step } = await between(async (tr) => ({ params: await tr.backend.getParams(), step: tr.stepIndex }));
      return walkExample(t.prepared, t.settings, params, command.request, step);
    }
  }
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
