/**
 * The worker's `walk` (src/train/walk.ts): one example's BPTT walk at the current weights with
 * the run's window. Its final totals and loss equal the CPU engine's lossAndGrads on that
 * example alone, on weights from the CPU and from the WebGPU backend; the character model's
 * typed text is read symbol by symbol; bad requests are refused by name; and through the
 * worker it answers while training runs, at weights the CPU engine reproduces bit for bit.
 * Encoder-decoder runs: walkSeq2Seq.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { lossAndGrads, type Batch, type TensorMap } from '../../src/engine/index.ts';
import { largestSingularValue } from '../../src/engine/spectral.ts';
import { SHIPPED_TEXT } from '../../src/tasks/charModel.ts';
import type { TaskFiles } from '../../src/tasks/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { sliceBatch } from '../../src/train/slices.ts';
import { prepareRun } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';
import { textBatch, walkExample, type WalkView } from '../../src/train/walk.ts';
import { gpuTest } from './device.ts';
import { expectTotalsMatch, smallConfig, trained } from './walkHelpers.ts';

const FILES: TaskFiles = new Map([[SHIPPED_TEXT, await (await fetch(`/${SHIPPED_TEXT}`)).text()]]);

/** A small config: an LSTM of 6 units unless `model` says otherwise. */
function config(task: string, settings: TrainerConfig['task']['settings'], model: Partial<TrainerConfig['model']> = {}, window: number | null = null): TrainerConfig {
  return smallConfig({ id: task, settings }, 7, { cell: 'lstm', hiddenSize: 6, numLayers: 1, bidirectional: false, embeddingSize: 4, ...model }, { window });
}

/** The walk's loss and every (layer, direction)'s final totals against lossAndGrads on the same example and window. */
function expectMatchesEngine(view: WalkView, cfg: TrainerConfig, params: TensorMap, example: Batch): void {
  const model = prepareRun(cfg, FILES).model;
  const T = (example.tokens ?? example.inputs!).shape[1];
  const reference = lossAndGrads(model, params, example, { bpttWindow: Math.min(cfg.training.window ?? T, T) });
  expect(view.walk.loss).toBeCloseTo(reference.loss, 12);
  expect(view.walk.dirs).toHaveLength(model.numLayers * (model.bidirectional ? 2 : 1));
  expectTotalsMatch(view.walk.dirs, reference.grads, 'rnn');
}

describe('walk', () => {
  test('adding T=10, lstm, window 4, example 3 after 5 CPU steps: totals equal lossAndGrads; labels and σ_max of W_hh', async () => {
    const cfg = config('adding', { T: 10 }, {}, 4);
    const { trainer, run, params } = await trained(prepareRun(cfg, FILES), 5);
    const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 3 }, trainer.stepIndex);
    expect(view.step).toBe(5);
    expect(view.walk.window).toBe(4);
    expect(view.walk.dirs[0].cut.reduce((a, b) => a + b, 0)).toBe(2);
    expectMatchesEngine(view, cfg, params, sliceBatch(run.data.validation, 3, 1));
    expect(view.labels).toHaveLength(10);
    const x = sliceBatch(run.data.validation, 3, 1).inputs!.data;
    expect(view.labels[2]).toBe(`${Number(x[4].toPrecision(3))}, ${x[5]}`);
    expect(view.sigmaMax[0]).toBeCloseTo(largestSingularValue(params.get('rnn.weight_hh_l0')!.data, 24, 6), 12);
    // One output (many-to-one): its reach is the walk's ‖dL/dh_k‖ itself.
    expect(view.reach!.rows).toBe(1);
    for (const k of [0, 5, 9]) expect(view.reach!.norms[0][k]).toBeCloseTo(Math.hypot(...view.walk.dirs[0].dh.subarray(k * 6, k * 6 + 6)), 12);
    expect(() => walkExample(run, trainer.settings, params, { kind: 'example', index: 256 }, 5)).toThrow(/not in a set of 256/);
    expect(() => walkExample(run, trainer.settings, params, { kind: 'text', text: 'ab' }, 5)).toThrow(/typed text is for the character model/);
  });

  gpuTest('copy k=2 delay=3, gru 2 layers bidirectional, after 4 WebGPU steps: totals equal lossAndGrads at the GPU’s weights', async () => {
    const cfg = config('copy', { k: 2, delay: 3 }, { cell: 'gru', numLayers: 2, bidirectional: true });
    const { trainer, run, params } = await trained(prepareRun(cfg, FILES), 4, true);
    try {
      expect(trainer.backend.kind).toBe('webgpu');
      const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 1 }, trainer.stepIndex);
      expect(view.walk.dirs).toHaveLength(4);
      expectMatchesEngine(view, cfg, params, sliceBatch(run.data.validation, 1, 1));
      expect(view.labels[5]).toBe('>');
      expect(view.sigmaMax).toHaveLength(4);
    } finally {
      trainer.dispose();
    }
  });

  for (const encoding of ['one-hot', 'embedding'] as const) {
    test(`char model (${encoding}) typed text: T is its length less one, each target the next symbol; unknown symbols refused`, async () => {
      const cfg = config('char-model', { T: 8, encoding });
      const { trainer, run, params } = await trained(prepareRun(cfg, FILES), 3);
      const text = 'It is a truth';
      const view = walkExample(run, trainer.settings, params, { kind: 'text', text }, 3);
      expect(view.walk.T).toBe(text.length - 1);
      expect(view.labels.join('')).toBe(text.slice(0, -1));
      expect(view.reach!.rows).toBe(text.length - 1);
      const batch = textBatch(run, text);
      expect(Array.from(batch.targets.data.subarray(0, 2))).toEqual([...'t '].map((s) => (run.data.needs.input as { vocabulary: readonly string[] }).vocabulary.indexOf(s)));
      expectMatchesEngine(view, cfg, params, batch);
      expect(() => walkExample(run, trainer.settings, params, { kind: 'text', text: 'It Ω' }, 3)).toThrow(/symbol "Ω" is not in the run's vocabulary/);
      expect(() => walkExample(run, trainer.settings, params, { kind: 'text', text: 'I' }, 3)).toThrow(/at least two symbols/);
    });
  }

  test('worker (CPU): walk answers while training runs; paused, its totals equal lossAndGrads at the weights a CPU trainer reaches in as many steps', async () => {
    const client = new TrainerClient();
    let steps = 0;
    client.onMetrics = (m) => (steps = m.stepsSubmitted);
    const cfg = config('adding', { T: 10 }, { cell: 'rnn_tanh' }, 3);
    try {
      await client.init(cfg, 'cpu');
      await client.play();
      await new Promise((r) => setTimeout(r, 300));
      const during = await client.walk({ kind: 'example', index: 2 });
      if (during.kind === 'seq2seq') throw new Error('expected a recurrent walk');
      expect(during.walk.T).toBe(10);
      // While training, the walk reads the copy the worker keeps (the loop is not paused for it): its step names those weights.
      const atCopy = await trained(prepareRun(cfg, FILES), during.step);
      expectMatchesEngine(during, cfg, atCopy.params, sliceBatch(atCopy.run.data.validation, 2, 1));
      // A snapshot taken while training is the kept copy too: its step names its weights exactly.
      const snap = await client.snapshot();
      const atSnap = await trained(prepareRun(cfg, FILES), snap.stepIndex);
      for (const [name, t] of atSnap.params) expect(Array.from(snap.params.get(name)!.data)).toEqual(Array.from(t.data));
      const before = steps;
      await new Promise((r) => setTimeout(r, 300));
      expect(steps).toBeGreaterThan(before);
      await client.pause();
      const view = await client.walk({ kind: 'example', index: 2 });
      if (view.kind === 'seq2seq') throw new Error('expected a recurrent walk');
      expect(view.step).toBeGreaterThan(0);
      const { params, run } = await trained(prepareRun(cfg, FILES), view.step);
      expectMatchesEngine(view, cfg, params, sliceBatch(run.data.validation, 2, 1));
      await expect(client.walk({ kind: 'text', text: 'ab' })).rejects.toThrow(/typed text is for the character model/);
    } finally {
      client.terminate();
    }
  });
});
