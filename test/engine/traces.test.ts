/** The per-step record the visualizations read is consistent with the cell equations. */
import { describe, expect, test } from 'vitest';
import { lossAndGrads, norm } from '../../src/engine/index.ts';
import { makeCase } from './helpers.ts';

describe('forward and backward traces', () => {
  test('lstm L=2 bi: h_t = o ⊙ tanh(c_t), gates in range, one trace per layer and direction', () => {
    const c = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', T: 5, B: 2, H: 3 });
    const { traces } = lossAndGrads(c.config, c.params, c.batch);
    expect(traces.map((t) => [t.layer, t.dir])).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    for (const tr of traces) {
      for (let i = 0; i < 5 * 2; i++) {
        for (let j = 0; j < 3; j++) {
          const o = tr.gates[i * 12 + 9 + j];
          expect(tr.h[i * 3 + j]).toBeCloseTo(o * Math.tanh(tr.c![i * 3 + j]), 14);
          for (const gate of [0, 1, 3]) {
            const v = tr.gates[i * 12 + gate * 3 + j];
            expect(v > 0 && v < 1).toBe(true);
          }
        }
      }
    }
  });

  test('gru L=1 uni: dhNorm is the norm of each step of dh; no cell state', () => {
    const c = makeCase({ cell: 'gru', numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', T: 4, B: 3, H: 2 });
    const [tr] = lossAndGrads(c.config, c.params, c.batch).traces;
    expect(tr.c).toBeNull();
    expect(tr.dcNorm).toBeNull();
    for (let t = 0; t < 4; t++) expect(tr.dhNorm[t]).toBe(norm(tr.dh, t * 6, 6));
  });
});
