/**
 * The WebGPU encoder-decoder (float32) against the float64 reference (src/engine/seq2seq.ts):
 * loss, every gradient, logits and the realized decoder inputs, for every cell, 1 and 2 layers,
 * teacher forcing (r = 1), free running (r = 0) and a mix (r = 0.5); then a training step.
 */
import { describe, expect } from 'vitest';
import {
  CELL_TYPES,
  defaultOptimizer,
  initSeq2SeqParams,
  seq2seqForward,
  seq2seqLossAndGrads,
  Seq2SeqCpuBackend,
  FREE_RUNNING,
  type CellType,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
} from '../../src/engine/index.ts';
import { Seq2SeqGpuBackend } from '../../src/gpu/Seq2SeqGpuBackend.ts';
import { mulberry32, normError } from '../engine/helpers.ts';
import { gpuDevice, gpuTest, withValidation } from './device.ts';

/** A seeded model and batch: B examples, source S, decoder U steps, vocabulary V, lengths 1..U. */
function makeCase(cell: CellType, numLayers: number, { B = 5, S = 4, U = 5, V = 6, H = 4, seed = 2 } = {}) {
  const cfg: Seq2SeqConfig = { cell, hiddenSize: H, numLayers, vocabSize: V };
  const params = initSeq2SeqParams(cfg, seed);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  const rand = mulberry32(seed + 1000);
  const tokens = (n: number) => Int32Array.from({ length: n }, () => Math.floor(rand() * V));
  const batch: Seq2SeqBatch = {
    source: { shape: [B, S], data: tokens(B * S) },
    sourceLengths: new Int32Array(B).fill(S),
    decoderInputs: { shape: [B, U], data: tokens(B * U) },
    targets: { shape: [B, U], data: tokens(B * U) },
    targetLengths: Int32Array.from({ length: B }, (_, b) => 1 + (b % U)),
  };
  return { cfg, params, batch, shape: { B, S, U } };
}

describe('WebGPU encoder-decoder vs reference', () => {
  // Teacher forcing and free running with one layer, the mix with two (SwiftShader builds many pipelines per backend: a few seconds each).
  const cases = CELL_TYPES.flatMap((cell) => [[cell, 1, 1], [cell, 1, 0], [cell, 2, 0.5]] as const);
  for (const [cell, numLayers, ratio] of cases) {
    gpuTest(`${cell} L=${numLayers} r=${ratio} B=5 S=4 U=5 V=6 H=4: loss, logits, realized inputs, every gradient`, async () => {
      const device = await gpuDevice();
      const { cfg, params, batch, shape } = makeCase(cell, numLayers);
      const tf = { ratio, seed: 17, step: 3 };
      const ref = seq2seqLossAndGrads(cfg, params, batch, tf);
      const gpu = await withValidation(device, async () => {
        const backend = new Seq2SeqGpuBackend(device, 'test', cfg, shape, params, defaultOptimizer('adam'));
        const r = await backend.evaluate(batch, tf);
        backend.dispose();
        return r;
      });
      expect(gpu.inputs.data, 'realized inputs').toEqual(ref.inputs.data);
      if (ratio < 1) expect(ref.inputs.data).not.toEqual(batch.decoderInputs.data);
      expect(gpu.predictions.data, 'predictions').toEqual(ref.predictions.data);
      expect(Math.abs(gpu.loss - ref.loss) / ref.loss, 'loss').toBeLessThan(1e-4);
      expect(gpu.logits.shape).toEqual(ref.logits.shape);
      expect(normError(gpu.logits.data, ref.logits.data), 'logits').toBeLessThan(1e-4);
      for (const [name, g] of ref.grads) expect(normError(gpu.grads.get(name)!.data, g.data), name).toBeLessThan(1e-3);
      ref.dhNorm.forEach((n, i) => expect(normError(gpu.dhNorm[i], n), `dhNorm ${i}`).toBeLessThan(1e-3));
    });
  }

  gpuTest('predict decodes free running (r = 0) as the reference does (gru L=2, B=6: examples in groups of four)', async () => {
    const device = await gpuDevice();
    const { cfg, params, batch, shape } = makeCase('gru', 2, { B: 6 });
    const ref = seq2seqForward(cfg, params, batch, FREE_RUNNING);
    const backend = new Seq2SeqGpuBackend(device, 'test', cfg, shape, params, defaultOptimizer('adam'));
    const gpu = await withValidation(device, () => backend.predict(batch));
    backend.dispose();
    expect(gpu.inputs.data).toEqual(ref.inputs.data);
    expect(normError(gpu.logits.data, ref.logits.data)).toBeLessThan(1e-4);
    expect(Math.abs(gpu.loss - ref.loss) / ref.loss).toBeLessThan(1e-4);
  });

  gpuTest('three training steps (adam, clipping by norm, r=0.5) follow the CPU backend (lstm L=2)', async () => {
    const device = await gpuDevice();
    const { cfg, params, batch, shape } = makeCase('lstm', 2);
    const optimizer = { ...defaultOptimizer('adam'), lr: 0.02, clipNorm: 0.5 };
    const cpu = new Seq2SeqCpuBackend(cfg, params, optimizer);
    const gpu = new Seq2SeqGpuBackend(device, 'test', cfg, shape, params, optimizer);
    for (let step = 0; step < 3; step++) {
      const tf = { ratio: 0.5, seed: 4, step };
      cpu.trainStep(batch, tf);
      gpu.trainStep(batch, tf);
      const [a, b] = [cpu.latestMetrics()!, (await gpu.flush())!];
      expect(b.step).toBe(step + 1);
      expect(b.teacherForcing).toBe(0.5);
      expect(Math.abs(b.loss - a.loss) / a.loss, `loss at step ${step + 1}`).toBeLessThan(1e-4);
      expect(Math.abs(b.gradNorm - a.gradNorm) / a.gradNorm, `grad norm at step ${step + 1}`).toBeLessThan(1e-3);
    }
    const [p, q] = [await cpu.getParams(), await gpu.getParams()];
    for (const [name, t] of p) expect(normError(q.get(name)!.data, t.data), name).toBeLessThan(1e-4);
    gpu.dispose();
  });
});
