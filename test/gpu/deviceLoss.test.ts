/**
 * A lost GPU in the training worker (Chromium, SwiftShader WebGPU): the test destroys the
 * worker's device mid-training (debugLoseDevice, allowed by init's debugFaults flag). The worker
 * says "GPU device lost; resumed from step N" with N the step of its last CPU-side copy, the step
 * count carries on from that copy, losses stay finite, training goes on, and a second loss moves
 * the run to the CPU. Also: snapshot and restore through the worker.
 */
import { expect } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT } from '../../src/engine/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import type { Reply } from '../../src/train/protocol.ts';
import type { MetricsBatch } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';
import { gpuTest } from './device.ts';

const CONFIG: TrainerConfig = {
  task: { id: 'adding', settings: { T: 10 } },
  seed: 5,
  model: { cell: 'gru', hiddenSize: 8, numLayers: 1, bidirectional: false },
  init: PYTORCH_INIT,
  training: { optimizer: { ...defaultOptimizer('adam'), clipNorm: 1 }, batchSize: 8, window: null, stateful: false, dropout: 0, evalEvery: 0 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `ok` holds, polling; fails naming `what` after `ms`. */
async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

type Recovered = Extract<Reply, { type: 'recovered' }>;

gpuTest('worker: a lost device resumes from the last copy on a new device; a second loss moves to the CPU', { timeout: 120_000 }, async () => {
  const client = new TrainerClient();
  const batches: MetricsBatch[] = [];
  const recovered: Recovered[] = [];
  const errors: string[] = [];
  client.onMetrics = (m) => batches.push(m);
  /** Metrics batches received before each recovery: the next one is the first from the restored run. */
  const batchesBefore: number[] = [];
  client.onRecovered = (e) => {
    recovered.push(e);
    batchesBefore.push(batches.length);
  };
  client.onError = (m) => errors.push(m);
  try {
    const info = await client.init(CONFIG, 'auto', true);
    expect(info.backend).toBe('webgpu');

    // Train a little, pause (a pause takes the copy), then a few more steps by hand: those are the ones a loss costs.
    await client.play();
    await until('20 steps', () => (batches.at(-1)?.stepsSubmitted ?? 0) >= 20);
    await client.pause();
    const copied = await client.snapshot();
    expect(copied.stepIndex).toBe(batches.at(-1)!.stepsSubmitted);
    for (let i = 0; i < 3; i++) await client.step();
    expect(batches.at(-1)!.stepsSubmitted).toBe(copied.stepIndex + 3);

    // First loss, while playing.
    await client.play();
    await client.debugLoseDevice();
    await until('the first recovery', () => recovered.length === 1);
    const first = recovered[0];
    console.log(`first loss: ${first.message}`);
    expect(first.backend).toBe('webgpu');
    // The copy is at most a few seconds old: training since the pause may have refreshed it.
    expect(first.step).toBeGreaterThanOrEqual(copied.step);
    expect(first.message).toContain(`GPU device lost; resumed from step ${first.step}`);
    // Training carries on by itself from the copy's step (no step was skipped, so step index and step agree);
    // the GPU's metrics are sampled, so the first point is one of the next few steps.
    const from = batchesBefore[0];
    await until('the first batch after recovery', () => batches.length > from);
    expect(batches[from].stepsSubmitted).toBe(first.step);
    await until('steps after the first recovery', () => batches.slice(from).some((b) => b.train.length > 0));
    const after = batches.slice(from).flatMap((b) => b.train);
    expect(after[0].step).toBeGreaterThan(first.step);
    expect(after[0].step).toBeLessThanOrEqual(first.step + 4);
    expect(after.every((p) => Number.isFinite(p.loss))).toBe(true);

    // Second loss: the CPU takes over, from the newest copy.
    await client.debugLoseDevice();
    await until('the second recovery', () => recovered.length === 2);
    const second = recovered[1];
    console.log(`second loss: ${second.message}`);
    expect(second.backend).toBe('cpu');
    expect(second.message).toContain(`GPU device lost; resumed from step ${second.step} on the CPU`);
    expect(second.step).toBeGreaterThanOrEqual(first.step);
    const from2 = batchesBefore[1];
    await until('the first batch on the CPU', () => batches.length > from2);
    expect(batches[from2].stepsSubmitted).toBe(second.step);
    await until('steps on the CPU', () => batches.slice(from2).some((b) => b.train.length > 0));
    const onCpu = batches.slice(from2).flatMap((b) => b.train);
    expect(onCpu[0].step).toBe(second.step + 1);
    expect(onCpu.every((p) => Number.isFinite(p.loss))).toBe(true);
    await client.pause();
    await expect(client.debugLoseDevice()).rejects.toThrow('the run is on the CPU');
    expect(errors).toEqual([]);
  } finally {
    client.terminate();
  }
});

gpuTest('worker: debugLoseDevice is refused unless init allowed it; snapshot and restore put a run back at its step', { timeout: 60_000 }, async () => {
  const client = new TrainerClient();
  const batches: MetricsBatch[] = [];
  client.onMetrics = (m) => batches.push(m);
  try {
    await client.init(CONFIG);
    await expect(client.debugLoseDevice()).rejects.toThrow('debugLoseDevice is a test command');
    for (let i = 0; i < 5; i++) await client.step();
    const copy = await client.snapshot();
    expect(copy.stepIndex).toBe(5);
    expect(copy.optimizer.t).toBe(5);
    for (let i = 0; i < 3; i++) await client.step();
    const want = batches.at(-1)!.train.at(-1)!;
    await client.restore(copy);
    for (let i = 0; i < 3; i++) await client.step();
    const got = batches.at(-1)!.train.at(-1)!;
    expect(got.step).toBe(want.step);
    expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThan(1e-5);
    await expect(client.restore({ ...copy, config: { ...copy.config, seed: 6 } })).rejects.toThrow('the copy is of another run: the seed changed');
  } finally {
    client.terminate();
  }
});
