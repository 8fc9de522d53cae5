/**
 * The worker's `walk` (src/train/walk.ts) of a run with Jordan output feedback: its totals,
 * W_hy's included, equal lossAndGrads on the example at the run's weights (CPU and WebGPU);
 * a pure Jordan network (no W_hh) gets σ_max NaN (no matrix to measure; the chart says why)
 * and a reach table that reaches back through the fed-back outputs alone.
 */
import { describe, expect, test } from 'vitest';
import { lossAndGrads, type TensorMap } from '../../src/engine/index.ts';
import { largestSingularValue } from '../../src/engine/spectral.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { sliceBatch } from '../../src/train/slices.ts';
import { prepareRun } from '../../src/train/Trainer.ts';
import { walkExample, type WalkView } from '../../src/train/walk.ts';
import { relError } from '../engine/helpers.ts';
import { gpuTest } from './device.ts';
import { smallConfig, trained } from './walkHelpers.ts';

/** A small run with output feedback: a tanh RNN of 5 units unless `model` says otherwise. */
function config(task: string, settings: TrainerConfig['task']['settings'], model: Partial<TrainerConfig['model']>, window: number | null): TrainerConfig {
  return smallConfig({ id: task, settings }, 11, { cell: 'rnn_tanh', hiddenSize: 5, numLayers: 1, bidirectional: false, ...model }, { window });
}

/** The walk's loss and totals (W_ih, b_ih, W_hy, and W_hh, b_hh where the layer has them) against lossAndGrads. */
function expectMatchesEngine(view: WalkView, cfg: TrainerConfig, params: TensorMap, index: number): void {
  const run = prepareRun(cfg);
  const example = sliceBatch(run.data.validation, index, 1);
  const T = example.inputs!.shape[1];
  const ref = lossAndGrads(run.model, params, example, { bpttWindow: Math.min(cfg.training.window ?? T, T) });
  const d = view.walk.dirs[0];
  expect(view.walk.loss).toBeCloseTo(ref.loss, 12);
  expect(relError(d.grads.Wih, ref.grads.get('rnn.weight_ih_l0')!.data)).toBeLessThan(1e-12);
  expect(relError(d.grads.bih, ref.grads.get('rnn.bias_ih_l0')!.data)).toBeLessThan(1e-12);
  expect(relError(d.feedback!.grad, ref.grads.get('rnn.weight_hy_l0')!.data)).toBeLessThan(1e-12);
  if (run.model.outputFeedback!.recurrent) expect(relError(d.grads.Whh, ref.grads.get('rnn.weight_hh_l0')!.data)).toBeLessThan(1e-12);
  expect(relError(d.dh, ref.traces[0].dh)).toBeLessThan(1e-12);
}

describe('walk with output feedback', () => {
  test('copy k=2 delay=2, pure Jordan rnn_tanh, window 3, after 4 CPU steps: totals equal lossAndGrads; σ_max NaN; reach through the outputs', async () => {
    const cfg = config('copy', { k: 2, delay: 2 }, { outputFeedback: { teacherForcing: false, recurrent: false } }, 3);
    const { trainer, run, params } = await trained(prepareRun(cfg), 4);
    const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 2 }, trainer.stepIndex);
    expectMatchesEngine(view, cfg, params, 2);
    const d = view.walk.dirs[0];
    expect(d.feedback).toMatchObject({ teacherForcing: false, recurrent: false, classes: true });
    expect(d.grads.Whh).toHaveLength(0);
    // Every step's full matrices fit the budget: W_hy's are among them, W_hh's are empty.
    expect(d.matrices).toHaveLength(view.walk.T);
    for (const m of d.matrices) expect([m.dWhy!.length, m.dWhh.length]).toEqual([5 * run.model.outputSize, 0]);
    expect(view.sigmaMax).toHaveLength(1);
    expect(view.sigmaMax[0]).toBeNaN();
    // Output 4 reaches step 3 only through y_3 fed into step 4 (no W_hh): that is the feedback part of the walk of ℓ_4.
    const T = view.walk.T;
    expect(view.reach!.rows).toBe(T);
    expect(view.reach!.norms[0][4 * T + 3]).toBeGreaterThan(0);
    expect(view.reach!.norms[0][3 * T + 4]).toBe(0);
  });

  gpuTest('time-series T=12, Jordan+Elman rnn_relu teacher forced, after 3 WebGPU steps: totals equal lossAndGrads at the GPU’s weights; σ_max of W_hh', async () => {
    const cfg = config('time-series', { T: 12 }, { cell: 'rnn_relu', outputFeedback: { teacherForcing: true, recurrent: true } }, null);
    const { trainer, run, params } = await trained(prepareRun(cfg), 3, true);
    try {
      expect(trainer.backend.kind).toBe('webgpu');
      const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 1 }, trainer.stepIndex);
      expectMatchesEngine(view, cfg, params, 1);
      const fb = view.walk.dirs[0].feedback!;
      expect(fb).toMatchObject({ teacherForcing: true, recurrent: true, classes: false });
      expect(fb.fromFeedback.every((v) => v === 0)).toBe(true);
      expect(view.sigmaMax[0]).toBeCloseTo(largestSingularValue(params.get('rnn.weight_hh_l0')!.data, 5, 5), 12);
    } finally {
      trainer.dispose();
    }
  });
});
