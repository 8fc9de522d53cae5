/**
 * The Trainer in a Web Worker through TrainerClient: training at full speed leaves the main
 * thread free (a 'longtask' observer sees nothing over 50 ms), and pause, step, reset and
 * live settings do what they say. Runs on WebGPU when there is an adapter, else on the CPU.
 */
import { expect, test } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT } from '../../src/engine/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import type { MetricsBatch } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';

const CONFIG: TrainerConfig = {
  task: { id: 'adding', settings: { T: 20 } },
  seed: 3,
  model: { cell: 'lstm', hiddenSize: 16, numLayers: 1, bidirectional: false },
  init: PYTORCH_INIT,
  training: { optimizer: { ...defaultOptimizer('adam'), clipNorm: 1 }, batchSize: 32, window: null, stateful: false, dropout: 0, evalEvery: 50 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Long tasks the observer reports while `during` runs (after a moment for late entries). */
async function longTasksDuring(during: () => Promise<void>): Promise<PerformanceEntry[]> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  await during();
  await sleep(100);
  observer.disconnect();
  return seen;
}

test('the long-task observer sees a deliberate 80 ms task on the main thread', async () => {
  const seen = await longTasksDuring(async () => {
    const end = performance.now() + 80;
    while (performance.now() < end);
  });
  expect(seen.length).toBeGreaterThan(0);
});

test('worker: 3 s at full speed with no main-thread task over 50 ms; pause, step, reset, a record and live settings work', async () => {
  const client = new TrainerClient();
  const received: { metrics: MetricsBatch; playing: boolean }[] = [];
  client.onMetrics = (metrics, playing) => received.push({ metrics, playing });
  const last = () => received[received.length - 1].metrics;
  try {
    const info = await client.init(CONFIG);
    console.log(`worker backend: ${info.backend} (${info.name})${info.cpuReason ? `: ${info.cpuReason}` : ''}`);

    const longTasks = await longTasksDuring(async () => {
      await client.play();
      await sleep(3000);
      await client.pause();
    });

    const steps = last().stepsSubmitted;
    const train = received.flatMap((r) => r.metrics.train);
    const validation = received.flatMap((r) => r.metrics.validation);
    console.log(`worker: ${steps} steps in 3 s (${last().stepsPerSecond.toFixed(0)} steps/s), ${received.length} metrics messages, ${train.length} train points, ${validation.length} validations, long tasks: ${longTasks.map((t) => t.duration.toFixed(0)).join(', ') || 'none'}`);
    expect(longTasks).toEqual([]);
    expect(steps).toBeGreaterThan(10);
    expect(train[0].step).toBe(1);
    expect(validation.length).toBe(Math.floor(steps / 50));
    // Batched: far fewer messages than steps, and at most one per ~16 ms while playing.
    expect(received.length).toBeLessThan(3000 / 16 + 10);

    // Paused means no more steps.
    const messages = received.length;
    await sleep(200);
    expect(received.length).toBe(messages);
    expect(received.at(-1)!.playing).toBe(false);

    // One step, then reset: the same seed retrains the same first step.
    await client.step();
    expect(last().stepsSubmitted).toBe(steps + 1);
    await client.reset();
    await client.step();
    expect(last().stepsSubmitted).toBe(1);
    expect(last().train.at(-1)!.loss).toBeCloseTo(train[0].loss, 6);

    const record = await client.recordExample(0);
    expect(record[0].h).toHaveLength(20 * 16);

    // Optimizer numbers apply live; the batch size needs a new run.
    expect(await client.setOptimizer({ ...CONFIG.training.optimizer, lr: 0.001 })).toEqual([]);
    const reasons = await client.configure({ ...CONFIG, training: { ...CONFIG.training, batchSize: 8 } });
    expect(reasons.join()).toMatch(/batch size/);
  } finally {
    client.terminate();
  }
}, 30_000);

test('worker on the CPU backend (chosen), on the char model: fetches the shipped text, steps and validates', async () => {
  const client = new TrainerClient();
  const received: MetricsBatch[] = [];
  client.onMetrics = (metrics) => received.push(metrics);
  try {
    const config: TrainerConfig = { ...CONFIG, task: { id: 'char-model', settings: { T: 8 } }, training: { ...CONFIG.training, batchSize: 4 } };
    const info = await client.init(config, 'cpu');
    expect([info.backend, info.cpuReason]).toEqual(['cpu', 'the CPU was chosen']);
    expect(info.metric.name).toBe('perplexity');
    expect(info.metric.baseline.value).toBeGreaterThan(20);
    await client.step();
    await client.step();
    expect(received.flatMap((m) => m.train).map((p) => p.step)).toEqual([1, 2]);
    expect((await client.evaluate()).step).toBe(2);
  } finally {
    client.terminate();
  }
});
