/** Truncated BPTT: the window cuts the gradient into the previous state every k steps, nothing else. */
import { describe, expect, test } from 'vitest';
import { CELL_TYPES, forward, lossAndGrads } from '../../src/engine/index.ts';
import { makeCase, relError } from './helpers.ts';

describe('truncated BPTT window', () => {
  for (const cell of CELL_TYPES) {
    test(`${cell} window k=T equals full BPTT (L=2 bi sequence T=5)`, () => {
      const c = makeCase({ cell, numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', T: 5 });
      const full = lossAndGrads(c.config, c.params, c.batch);
      const k5 = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 5 });
      for (const [name, g] of full.grads) expect(k5.grads.get(name)!.data, name).toEqual(g.data);
    });

    test(`${cell} window k=2 T=6 last: dL/dh_t reaches exactly k steps back from the output`, () => {
      const c = makeCase({ cell, numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'last', T: 6, H: 8 });
      const { traces } = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 2 });
      const norms = Array.from(traces[0].dhNorm);
      expect(norms.slice(0, 4)).toEqual([0, 0, 0, 0]);
      expect(norms[4]).toBeGreaterThan(0);
      expect(norms[5]).toBeGreaterThan(0);
      const full = lossAndGrads(c.config, c.params, c.batch).traces[0].dhNorm;
      expect(full.every((v) => v > 0)).toBe(true);
    });

    test(`${cell} window changes gradients but not the loss (L=1 uni sequence T=6 k=3)`, () => {
      const c = makeCase({ cell, numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', T: 6, H: 8 });
      const full = lossAndGrads(c.config, c.params, c.batch);
      const trunc = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 3 });
      expect(trunc.loss).toBe(full.loss);
      expect(trunc.loss).toBe(forward(c.config, c.params, c.batch).loss);
      const whh = `rnn.weight_hh_l0`;
      expect(trunc.grads.get(whh)!.data).not.toEqual(full.grads.get(whh)!.data);
      // The head sees no recurrence: its gradient is untouched by the window.
      expect(trunc.grads.get('head.weight')!.data).toEqual(full.grads.get('head.weight')!.data);
    });
  }

  test('rejects a window that is not a positive integer', () => {
    const c = makeCase({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence' });
    expect(() => lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 0 })).toThrow(/bpttWindow/);
    expect(() => lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 1.5 })).toThrow(/bpttWindow/);
  });
});

describe('truncated BPTT window with Jordan output feedback', () => {
  test('rnn_tanh Jordan+Elman cross_entropy T=6: k=6 equals full, k=2 cuts both recurrent paths (loss unchanged)', () => {
    const c = makeCase({ cell: 'rnn_tanh', numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', T: 6, H: 4, outputFeedback: { teacherForcing: false, recurrent: true } });
    const full = lossAndGrads(c.config, c.params, c.batch);
    const k6 = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 6 });
    const k2 = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 2 });
    for (const [name, g] of full.grads) expect(k6.grads.get(name)!.data, name).toEqual(g.data);
    expect(k2.loss).toBe(full.loss);
    expect(k2.grads.get('rnn.weight_hy_l0')!.data).not.toEqual(full.grads.get('rnn.weight_hy_l0')!.data);
    expect(k2.grads.get('rnn.weight_hh_l0')!.data).not.toEqual(full.grads.get('rnn.weight_hh_l0')!.data);
  });
});

describe('stateful windows: carrying the final state equals truncated BPTT over the whole stream', () => {
  for (const cell of CELL_TYPES) {
    test(`${cell} L=2 uni mse sequence T=6: mean of 3 windows of 2 (state carried) = full sequence with k=2`, () => {
      const c = makeCase({ cell, numLayers: 2, bidirectional: false, loss: 'mse', outputMode: 'sequence', T: 6, B: 2, I: 3, O: 3 });
      const whole = lossAndGrads(c.config, c.params, c.batch, { bpttWindow: 2 });
      const window = (w: number) => ({
        ...c.batch,
        inputs: { shape: [2, 2, 3], data: Float64Array.from({ length: 12 }, (_, i) => c.batch.inputs!.data[Math.floor(i / 6) * 18 + w * 6 + (i % 6)]) },
        targets: { shape: [2, 2, 3], data: Float64Array.from({ length: 12 }, (_, i) => c.batch.targets.data[Math.floor(i / 6) * 18 + w * 6 + (i % 6)]) },
      });
      let state;
      const sum = new Map([...whole.grads].map(([n, g]) => [n, new Float64Array(g.data.length)]));
      let loss = 0;
      for (let w = 0; w < 3; w++) {
        const r = lossAndGrads(c.config, c.params, window(w), { initialState: state });
        for (const [n, g] of r.grads) g.data.forEach((v, i) => (sum.get(n)![i] += v / 3));
        loss += r.loss / 3;
        state = r.finalState;
      }
      expect(loss).toBeCloseTo(whole.loss, 12);
      for (const [n, g] of whole.grads) expect(relError(sum.get(n)!, g.data), n).toBeLessThan(1e-12);
      // and the final state is the whole run's last step
      const last = forward(c.config, c.params, c.batch).finalState;
      for (let i = 0; i < 2; i++) expect(relError(state!.h[i], last.h[i])).toBeLessThan(1e-14);
    });
  }

  test('a wrongly shaped initial state is refused', () => {
    const c = makeCase({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence' });
    expect(() => forward(c.config, c.params, c.batch, { initialState: { h: [new Float64Array(6)], c: null } })).toThrow(/initialState/);
  });
});
