/**
 * What the walk tests (walk, walkJordan, walkSeq2Seq) share: a small run's config, a trainer
 * of a prepared run after some steps (on the CPU, or on the test adapter's WebGPU device) with a
 * float64 copy of its weights, and the check of a walk's final totals against the reference
 * engine's gradients.
 */
import { expect } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT, type TensorMap, type WalkDirection } from '../../src/engine/index.ts';
import { layerSuffix } from '../../src/engine/model.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { Trainer, type AnyRun } from '../../src/train/Trainer.ts';
import { relError } from '../engine/helpers.ts';
import { gpuDevice } from './device.ts';

/** A small run's config: PyTorch's init, Adam at lr 0.03, batches of 4, full BPTT unless `training` says otherwise, no dropout, no evaluation. */
export function smallConfig(task: TrainerConfig['task'], seed: number, model: TrainerConfig['model'], training: Partial<TrainerConfig['training']> = {}): TrainerConfig {
  return {
    task,
    seed,
    model,
    init: PYTORCH_INIT,
    training: { optimizer: { ...defaultOptimizer('adam'), lr: 0.03 }, batchSize: 4, window: null, stateful: false, dropout: 0, evalEvery: 0, ...training },
  };
}

/** A trainer of `run` (on the GPU when `gpu`) after `steps` steps, with a float64 copy of its weights. */
export async function trained<R extends AnyRun>(run: R, steps: number, gpu = false): Promise<{ trainer: Trainer; run: R; params: TensorMap }> {
  const trainer = new Trainer(run, gpu ? { device: await gpuDevice(), name: 'test adapter' } : undefined);
  for (let i = 0; i < steps; i++) trainer.step();
  await trainer.flush();
  return { trainer, run, params: await trainer.backend.getParams() };
}

/** Each (layer, direction)'s final totals against the reference's `prefix.weight_ih_l0` (and so on) gradients, to 1e-12 relative. */
export function expectTotalsMatch(dirs: readonly WalkDirection[], grads: TensorMap, prefix: string): void {
  for (const d of dirs) {
    const s = layerSuffix(d.layer, d.dir);
    expect(relError(d.grads.Wih, grads.get(`${prefix}.weight_ih_${s}`)!.data)).toBeLessThan(1e-12);
    expect(relError(d.grads.Whh, grads.get(`${prefix}.weight_hh_${s}`)!.data)).toBeLessThan(1e-12);
    expect(relError(d.grads.bih, grads.get(`${prefix}.bias_ih_${s}`)!.data)).toBeLessThan(1e-12);
    expect(relError(d.grads.bhh, grads.get(`${prefix}.bias_hh_${s}`)!.data)).toBeLessThan(1e-12);
  }
}
