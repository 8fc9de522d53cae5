/** Dropout between layers: a reproducible mask, the right rate, and gradients through it. */
import { describe, expect, test } from 'vitest';
import { dropoutScale, forward, hash32, lossAndGrads } from '../../src/engine/index.ts';
import { makeCase } from './helpers.ts';

describe('dropout', () => {
  test('hash32 is lowbias32 (values from an independent Python implementation)', () => {
    expect([0, 1, 2, 12345, 0xffffffff].map(hash32)).toEqual([0, 1753845952, 3507691905, 2435775735, 1734902346]);
  });

  test('p=0.3: about 30% of 100000 elements dropped, the rest scaled by 1/0.7; another seed gives another mask', () => {
    const d = { p: 0.3, seed: 7 };
    let dropped = 0;
    let differ = 0;
    for (let i = 0; i < 100000; i++) {
      const s = dropoutScale(d, 1, i);
      expect(s === 0 || Math.abs(s - 1 / 0.7) < 1e-15).toBe(true);
      if (s === 0) dropped++;
      if (s !== dropoutScale({ p: 0.3, seed: 8 }, 1, i)) differ++;
    }
    expect(Math.abs(dropped / 100000 - 0.3)).toBeLessThan(0.01);
    expect(differ).toBeGreaterThan(30000);
  });

  test('lstm L=2: p=0 changes nothing; p>0 changes the loss; a single layer has nothing to drop', () => {
    const c = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence' });
    const plain = forward(c.config, c.params, c.batch).loss;
    expect(forward(c.config, c.params, c.batch, { dropout: { p: 0, seed: 3 } }).loss).toBe(plain);
    expect(forward(c.config, c.params, c.batch, { dropout: { p: 0.5, seed: 3 } }).loss).not.toBe(plain);
    const one = makeCase({ cell: 'gru', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence' });
    expect(forward(one.config, one.params, one.batch, { dropout: { p: 0.5, seed: 3 } }).loss).toBe(forward(one.config, one.params, one.batch).loss);
  });

  for (const cell of ['rnn_tanh', 'lstm', 'gru'] as const) {
    test(`${cell} L=3 bi p=0.4: gradients match central differences with the mask fixed`, () => {
      const c = makeCase({ cell, numLayers: 3, bidirectional: true, loss: 'cross_entropy', outputMode: 'sequence', T: 3 });
      const opts = { dropout: { p: 0.4, seed: 11 } };
      const { grads } = lossAndGrads(c.config, c.params, c.batch, opts);
      for (const [name, t] of c.params) {
        const g = grads.get(name)!.data;
        for (let i = 0; i < t.data.length; i += 3) {
          const v = t.data[i];
          t.data[i] = v + 1e-6;
          const up = forward(c.config, c.params, c.batch, opts).loss;
          t.data[i] = v - 1e-6;
          const down = forward(c.config, c.params, c.batch, opts).loss;
          t.data[i] = v;
          expect(Math.abs(g[i] - (up - down) / 2e-6), `${name}[${i}]`).toBeLessThan(1e-7 + 1e-6 * Math.abs(g[i]));
        }
      }
    });
  }
});
