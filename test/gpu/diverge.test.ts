/**
 * Diverging training in the worker, on the CPU and on WebGPU: plain SGD at learning rate 1e3 with
 * clipping off on the adding problem blows up within a few dozen steps. The worker pauses by
 * itself, posts a `diverged` event naming the step and exploding gradients, and keeps finite
 * weights: on the CPU, exactly those a reference trainer reaches after the steps before the
 * skipped one; on either backend, a validation pass at them gives a finite loss.
 */
import { expect } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT } from '../../src/engine/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import type { Reply } from '../../src/train/protocol.ts';
import { firstNonFinite } from '../../src/train/snapshot.ts';
import { prepareRun, Trainer, type MetricsBatch } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';
import { gpuTest } from './device.ts';

const CONFIG: TrainerConfig = {
  task: { id: 'adding', settings: { T: 10 } },
  seed: 5,
  model: { cell: 'rnn_tanh', hiddenSize: 8, numLayers: 1, bidirectional: false },
  init: PYTORCH_INIT,
  training: { optimizer: { ...defaultOptimizer('sgd'), lr: 1e3, clipNorm: null }, batchSize: 8, window: null, stateful: false, dropout: 0, evalEvery: 0 },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Diverged = Extract<Reply, { type: 'diverged' }>;

for (const backend of ['cpu', 'auto'] as const) {
  gpuTest(`worker (${backend === 'cpu' ? 'CPU' : 'WebGPU'}): lr 1e3, no clipping: training pauses itself at finite weights and says why`, { timeout: 60_000 }, async () => {
    const client = new TrainerClient();
    const batches: MetricsBatch[] = [];
    const events: Diverged[] = [];
    const playing: boolean[] = [];
    client.onMetrics = (m, p) => {
      batches.push(m);
      playing.push(p);
    };
    client.onDiverged = (e) => events.push(e);
    try {
      const info = await client.init(CONFIG, backend);
      expect(info.backend).toBe(backend === 'cpu' ? 'cpu' : 'webgpu');
      await client.play();
      const end = performance.now() + 30_000;
      while (events.length === 0 && performance.now() < end) await sleep(50);
      expect(events.length, 'a diverged event within 30 s').toBe(1);
      const event = events[0];
      console.log(`${info.backend}: ${event.message}`);
      expect(event.message).toContain(`Training diverged at step ${event.step}`);
      expect(event.message).toContain('exploding gradients');
      // Either the last weights are kept (finite, and so is the validation loss at them) or the last copy is restored.
      expect(event.message).toMatch(/all finite \(validation loss [0-9.e+-]+\)|so training paused at the copy from step \d+ \(validation loss [0-9.e+-]+\)/);

      // Paused by itself: the last batch says so, and nothing more arrives.
      await sleep(300);
      expect(playing.at(-1)).toBe(false);
      const count = batches.length;
      await sleep(300);
      expect(batches.length).toBe(count);

      const copy = await client.snapshot();
      expect(firstNonFinite(copy.params)).toBeNull();
      const published = batches.flatMap((b) => b.train);
      expect(published.every((p) => Number.isFinite(p.loss))).toBe(true);
      const point = await client.evaluate();
      expect(Number.isFinite(point.loss)).toBe(true);

      if (info.backend === 'cpu') {
        // The weights are exactly a reference trainer's after the copy's steps (none skipped before divergence).
        expect(copy.step).toBeLessThan(event.step);
        expect(copy.stepIndex).toBe(copy.step);
        const reference = new Trainer(prepareRun(CONFIG));
        for (let i = 0; i < copy.step; i++) reference.step();
        const want = await reference.backend.getParams();
        for (const [name, t] of want) expect(copy.params.get(name)!.data, name).toEqual(t.data);
        // And the reference diverges at the same step.
        while (reference.stepIndex < event.step && !reference.backend.latestMetrics()?.skipped) reference.step();
        expect(reference.backend.latestMetrics()!.skipped).toBe(true);
        expect(reference.stepIndex).toBe(event.step);
      }
    } finally {
      client.terminate();
    }
  });
}
