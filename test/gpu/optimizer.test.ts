/**
 * The GPU optimizer (float32) against the float64 reference on the flat layout of a
 * 2-layer bidirectional LSTM: for every kind x {clip off, on} x {wd 0, 0.01}, 20 steps of
 * seeded gradients, params and their change from the start within 1e-5 relative error by
 * norm, and every step's gradNorm within 1e-5; a NaN or an Inf in one gradient skips the step exactly as the reference
 * does; the padding stays zero; setConfig and reset behave as a new config and a new state.
 */
import { describe, expect } from 'vitest';
import { initParams, mulberry32, normal, packParams, paramLayout, type ModelConfig, type ParamLayout } from '../../src/engine/index.ts';
import {
  createOptimizerState,
  defaultOptimizer,
  OPTIMIZER_KINDS,
  optimizerStep,
  type OptimizerConfig,
} from '../../src/engine/optimizer.ts';
import { readBuffer, storageBuffer } from '../../src/gpu/buffers.ts';
import { decodeStats, Optimizer, type OptimizerStats } from '../../src/gpu/Optimizer.ts';
import { gpuDevice, gpuTest, withValidation } from './device.ts';
import { normError } from '../engine/helpers.ts';

const MODEL: ModelConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, outputSize: 4 };

/** Seeded float32 gradients of one step (kept as float64), N(0, scale²) with scale in [0.3, 2.3); padding 0. */
function gradients(layout: ParamLayout, rand: () => number): Float64Array {
  const g = new Float64Array(layout.total);
  const scale = 0.3 + 2 * rand();
  for (const slot of layout.slots) for (let i = 0; i < slot.size; i++) g[slot.offset + i] = Math.fround(scale * normal(rand));
  return g;
}

/** Elements of the layout that belong to no tensor. */
function paddingOf(layout: ParamLayout): number[] {
  const used = new Uint8Array(layout.total);
  for (const slot of layout.slots) used.fill(1, slot.offset, slot.offset + slot.size);
  return [...used.keys()].filter((i) => !used[i]);
}

/** The reference and the GPU side by side, from the same float32 parameters. */
async function pair(model: ModelConfig, cfg: OptimizerConfig) {
  const device = await gpuDevice();
  const layout = paramLayout(model);
  const initial = packParams(layout, initParams(model, 7));
  const ref = { params: Float64Array.from(initial), state: createOptimizerState(layout) };
  const params = storageBuffer(device, 'params (P)', initial);
  const grads = storageBuffer(device, 'grads (P)', layout.total);
  const optimizer = await withValidation(device, () => new Optimizer(device, layout, cfg, { params, grads }));

  /** One step on both sides; resolves to the GPU's stats and the reference's report. */
  async function step(g: Float64Array, config = cfg) {
    const report = optimizerStep(config, ref.state, ref.params, g);
    await withValidation(device, () => {
      device.queue.writeBuffer(grads, 0, Float32Array.from(g));
      const encoder = device.createCommandEncoder({ label: 'optimizer step' });
      const pass = encoder.beginComputePass({ label: 'optimizer step' });
      optimizer.encode(pass);
      pass.end();
      device.queue.submit([encoder.finish()]);
    });
    const stats: OptimizerStats = decodeStats(await readBuffer(device, optimizer.stats));
    return { stats, report };
  }
  const gpuParams = () => readBuffer(device, params);
  const gpuState = () => readBuffer(device, optimizer.state);
  const destroy = () => {
    optimizer.destroy();
    params.destroy();
    grads.destroy();
  };
  return { device, layout, initial, ref, optimizer, step, gpuParams, gpuState, destroy };
}

/** Same step count and skip flag; norms within 1e-5 relative. */
function expectStats(gpu: OptimizerStats, ref: { gradNorm: number; clippedNorm: number; skipped: boolean }, t: number, what: string) {
  expect(gpu.skipped, `${what} skipped`).toBe(ref.skipped);
  expect(gpu.t, `${what} t`).toBe(t);
  expect(Math.abs(gpu.gradNorm - ref.gradNorm) / ref.gradNorm, `${what} gradNorm ${gpu.gradNorm} vs ${ref.gradNorm}`).toBeLessThan(1e-5);
  expect(Math.abs(gpu.clippedNorm - ref.clippedNorm) / ref.clippedNorm, `${what} clippedNorm`).toBeLessThan(1e-5);
}

describe('GPU optimizer vs reference, LSTM L=2 bi I=3 H=8 O=4', () => {
  for (const kind of OPTIMIZER_KINDS)
    for (const clip of ['none', 'norm', 'value'] as const)
      for (const weightDecay of [0, 0.01]) {
        gpuTest(`${kind} clip ${clip} wd=${weightDecay}: 20 steps`, async () => {
          const layout = paramLayout(MODEL);
          const real = layout.slots.reduce((n, s) => n + s.size, 0);
          // Gradient norms span about 0.3·√real .. 2.3·√real: clipping at √real clips about two steps in three.
          // Clipping by value at 1 clamps the gradients beyond one standard deviation or so.
          const cfg = { ...defaultOptimizer(kind), weightDecay, clipNorm: clip === 'norm' ? Math.sqrt(real) : null, clipValue: clip === 'value' ? 1 : null };
          const run = await pair(MODEL, cfg);
          const rand = mulberry32(11);
          let clipped = 0;
          for (let s = 1; s <= 20; s++) {
            const { stats, report } = await run.step(gradients(layout, rand));
            expectStats(stats, report, s, `step ${s}`);
            if (report.clippedNorm < report.gradNorm) clipped++;
          }
          if (clip !== 'none') expect(clipped).toBeGreaterThan(3);
          const params = await run.gpuParams();
          expect(normError(params, run.ref.params), 'params').toBeLessThan(1e-5);
          // The distance travelled, a finer measure: params themselves hide errors in lr-sized updates.
          const moved = (p: ArrayLike<number>) => Float64Array.from(p, (x, i) => x - run.initial[i]);
          expect(normError(moved(params), moved(run.ref.params)), 'params - initial').toBeLessThan(1e-5);
          expect(paddingOf(layout).map((i) => params[i]).filter((x) => x !== 0), 'padding').toEqual([]);
          run.destroy();
        });
      }
});

describe('a non-finite gradient skips the step on the GPU as in the reference', () => {
  for (const kind of OPTIMIZER_KINDS)
    for (const [what, bad] of [
      ['NaN', NaN],
      ['Inf', Infinity],
    ] as const) {
      gpuTest(`${kind} clip wd=0.01: ${what} in one element of step 2`, async () => {
        const cfg = { ...defaultOptimizer(kind), weightDecay: 0.01, clipNorm: 1 };
        const run = await pair(MODEL, cfg);
        const rand = mulberry32(5);
        await run.step(gradients(run.layout, rand));
        const [params1, state1] = [await run.gpuParams(), await run.gpuState()];

        const poisoned = gradients(run.layout, rand);
        poisoned[run.layout.slots[3].offset + 2] = bad;
        const { stats, report } = await run.step(poisoned);
        expect(report.skipped).toBe(true);
        expect(stats.skipped, 'skipped').toBe(true);
        expect(stats.t, 't not advanced').toBe(1);
        expect(Number.isFinite(stats.gradNorm), `gradNorm ${stats.gradNorm}`).toBe(false);
        expect(await run.gpuParams(), 'params unchanged').toEqual(params1);
        expect(await run.gpuState(), 'state unchanged').toEqual(state1);

        const next = await run.step(gradients(run.layout, rand));
        expectStats(next.stats, next.report, 2, 'step after the skip');
        expect(normError(await run.gpuParams(), run.ref.params), 'params').toBeLessThan(1e-5);
        run.destroy();
      });
    }
});

gpuTest('setConfig takes effect on the next step; reset is a fresh state (adam)', async () => {
  const cfg = defaultOptimizer('adam');
  const run = await pair(MODEL, cfg);
  const rand = mulberry32(3);
  for (let s = 0; s < 3; s++) await run.step(gradients(run.layout, rand));
  const changed = { ...cfg, lr: 0.003, beta1: 0.5, weightDecay: 0.1, clipNorm: 5 };
  run.optimizer.setConfig(changed);
  for (let s = 0; s < 3; s++) await run.step(gradients(run.layout, rand), changed);
  expect(normError(await run.gpuParams(), run.ref.params), 'after setConfig').toBeLessThan(1e-5);

  run.optimizer.reset();
  run.ref.state = createOptimizerState(run.layout);
  expect(decodeStats(await readBuffer(run.device, run.optimizer.stats)).t).toBe(0);
  expect((await run.gpuState()).every((x) => x === 0), 'state zeroed').toBe(true);
  for (let s = 1; s <= 3; s++) {
    const { stats, report } = await run.step(gradients(run.layout, rand), changed);
    expectStats(stats, report, s, `step ${s} after reset`);
  }
  expect(normError(await run.gpuParams(), run.ref.params), 'after reset').toBeLessThan(1e-5);
  expect(() => run.optimizer.setConfig(defaultOptimizer('sgd'))).toThrow(/built for adam/);
  run.destroy();
});

gpuTest('adam clip on LSTM L=2 H=96 (P > 256 workgroups of 256: each invocation sums several elements)', async () => {
  const model: ModelConfig = { ...MODEL, hiddenSize: 96, bidirectional: false };
  const layout = paramLayout(model);
  expect(layout.total).toBeGreaterThan(256 * 256);
  const run = await pair(model, { ...defaultOptimizer('adam'), clipNorm: 100 });
  const rand = mulberry32(9);
  for (let s = 1; s <= 3; s++) {
    const { stats, report } = await run.step(gradients(layout, rand));
    expectStats(stats, report, s, `step ${s}`);
  }
  expect(normError(await run.gpuParams(), run.ref.params)).toBeLessThan(1e-5);
  run.destroy();
});
