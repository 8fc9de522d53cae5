/**
 * The GPU network (float32) against the float64 reference: loss and outputs within 1e-4,
 * every gradient within 1e-3, relative error by norm, for every cell x {1, 2 layers} x
 * {uni, bi} x both losses x both output modes, with full BPTT and a window.
 */
import { describe, expect } from 'vitest';
import { CELL_TYPES, lossAndGrads, type Dropout } from '../../src/engine/index.ts';
import { GpuNetwork } from '../../src/gpu/GpuNetwork.ts';
import { LSTM_LADDER, makeCase, type CaseSpec, normError } from '../engine/helpers.ts';
import { gpuDevice, gpuTest, withValidation } from './device.ts';

async function expectParity(spec: CaseSpec, window?: number, dropout?: Dropout): Promise<void> {
  const device = await gpuDevice();
  const c = makeCase(spec);
  const { B = 2, T = 4 } = spec;
  const ref = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: window, dropout });
  const net = await withValidation(device, () => new GpuNetwork(device, c.config, { B, T, loss: spec.loss, outputMode: spec.outputMode }));
  const gpu = await withValidation(device, () => net.lossAndGrads(c.params, c.batch, window, dropout));
  expect(Math.abs(gpu.loss - ref.loss) / Math.abs(ref.loss), 'loss').toBeLessThan(1e-4);
  expect(gpu.outputs.shape).toEqual(ref.outputs.shape);
  expect(normError(gpu.outputs.data, ref.outputs.data), 'outputs').toBeLessThan(1e-4);
  for (const [name, g] of ref.grads) {
    expect(gpu.grads.get(name)!.shape, name).toEqual(g.shape);
    expect(normError(gpu.grads.get(name)!.data, g.data), name).toBeLessThan(1e-3);
  }
  ref.traces.forEach((tr, i) => {
    expect(normError(gpu.dhNorm[i], tr.dhNorm), `dhNorm ${i}`).toBeLessThan(1e-3);
    if (tr.dcNorm) expect(normError(gpu.dcNorm![i], tr.dcNorm), `dcNorm ${i}`).toBeLessThan(1e-3);
  });
  expect(gpu.dcNorm === null).toBe(spec.cell !== 'lstm');
}

describe('GPU network vs reference', () => {
  for (const cell of CELL_TYPES)
    for (const numLayers of [1, 2])
      for (const bidirectional of [false, true])
        for (const loss of ['mse', 'cross_entropy'] as const)
          for (const outputMode of ['sequence', 'last'] as const)
            for (const window of [undefined, 2]) {
              const spec = { cell, numLayers, bidirectional, loss, outputMode, T: 5, H: 4 };
              gpuTest(`${cell} L=${numLayers} ${bidirectional ? 'bi' : 'uni'} ${loss} ${outputMode} ${window ? `k=${window}` : 'full'} B=2 T=5 H=4`, () =>
                expectParity(spec, window));
            }
  for (const cell of CELL_TYPES) {
    gpuTest(`${cell} embedding V=6 L=2 bi cross_entropy sequence B=3 T=4 H=5`, () =>
      expectParity({ cell, numLayers: 2, bidirectional: true, loss: 'cross_entropy', outputMode: 'sequence', vocab: 6, B: 3, T: 4, H: 5 }));
  }

  for (const [L, D, embedding] of [[1, 1, false], [2, 2, false], [2, 1, true]] as const) {
    gpuTest(`dispatch count L=${L} D=${D}${embedding ? ' embedding' : ''} T=5: L·D·(2T+6) + (D+2)·(L-1) + 6 (+ D + 2 with an embedding)`, async () => {
      const device = await gpuDevice();
      const c = makeCase({ cell: 'lstm', numLayers: L, bidirectional: D === 2, loss: 'mse', outputMode: 'sequence', T: 5, vocab: embedding ? 4 : undefined });
      const net = new GpuNetwork(device, c.config, { B: 2, T: 5, loss: 'mse', outputMode: 'sequence' });
      expect(net.dispatchCount).toBe(L * D * (2 * 5 + 6) + (D + 2) * (L - 1) + 6 + (embedding ? D + 2 : 0));
    });
  }

  for (const [rung, gates] of Object.entries(LSTM_LADDER))
    for (const peepholes of [false, true])
      for (const window of [undefined, 2]) {
        const v = `${rung}${peepholes ? ' + peepholes' : ''}`;
        gpuTest(`lstm ${v} L=2 bi mse sequence ${window ? `k=${window}` : 'full'} B=2 T=5 H=4`, () =>
          expectParity({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', T: 5, H: 4, lstm: { gates, peepholes } }, window));
      }

  for (const cell of ['rnn_tanh', 'rnn_relu'] as const)
    for (const loss of ['mse', 'cross_entropy'] as const)
      for (const [label, outputFeedback] of [
        ['Jordan+Elman', { teacherForcing: false, recurrent: true }],
        ['pure Jordan', { teacherForcing: false, recurrent: false }],
        ['teacher forcing', { teacherForcing: true, recurrent: true }],
      ] as const)
        for (const window of [undefined, 2]) {
          gpuTest(`${cell} ${label} ${loss} sequence ${window ? `k=${window}` : 'full'} B=2 T=5 H=4`, () =>
            expectParity({ cell, numLayers: 1, bidirectional: false, loss, outputMode: 'sequence', T: 5, H: 4, outputFeedback }, window));
        }

  // Recurrent steps run four examples per invocation: batches of several groups, full and partial.
  for (const cell of CELL_TYPES)
    for (const B of [6, 8]) {
      gpuTest(`${cell} L=1 bi cross_entropy sequence k=2 B=${B} T=4 H=5 (examples in groups of four)`, () =>
        expectParity({ cell, numLayers: 1, bidirectional: true, loss: 'cross_entropy', outputMode: 'sequence', B, T: 4, H: 5 }, 2));
    }

  for (const cell of CELL_TYPES) {
    gpuTest(`${cell} L=3 bi mse sequence dropout p=0.4 B=3 T=4 H=5: the same mask as the reference`, () =>
      expectParity({ cell, numLayers: 3, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 3, T: 4, H: 5 }, undefined, { p: 0.4, seed: 12345 }));
  }

  gpuTest('destroy frees the network\'s buffers: a pass after it is a validation error naming a destroyed buffer', async () => {
    const device = await gpuDevice();
    const c = makeCase({ cell: 'gru', numLayers: 2, bidirectional: false, loss: 'mse', outputMode: 'sequence' });
    const net = new GpuNetwork(device, c.config, { B: 2, T: 4, loss: 'mse', outputMode: 'sequence' });
    await withValidation(device, () => net.run());
    net.destroy();
    await expect(withValidation(device, () => net.run())).rejects.toThrow(/destroyed/);
  });
});
