/** The BPTT walk agrees with the engine's own backward pass, step by step and in its totals. */
import { describe, expect, test } from 'vitest';
import { bpttWalk, lossAndGrads, norm, type BpttWalk, type CellType, type LossKind, type OutputMode } from '../../src/engine/index.ts';
import { LSTM_LADDER, makeCase, relError, type CaseSpec } from './helpers.ts';

/** The walk's final totals against lossAndGrads, per (layer, direction). */
function expectTotalsMatch(walk: BpttWalk, grads: Map<string, { data: Float64Array }>): void {
  for (const w of walk.dirs) {
    const s = `l${w.layer}${w.dir === 1 ? '_reverse' : ''}`;
    expect(relError(w.grads.Wih, grads.get(`rnn.weight_ih_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.Whh, grads.get(`rnn.weight_hh_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.bih, grads.get(`rnn.bias_ih_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.bhh, grads.get(`rnn.bias_hh_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    const H = walk.hiddenSize;
    for (const [b, gate] of ['i', 'f', 'o'].entries()) {
      const p = grads.get(`rnn.weight_peephole_${gate}_${s}`);
      if (p) expect(relError(w.grads.peepholes!.subarray(b * H, (b + 1) * H), p.data)).toBeLessThanOrEqual(1e-12);
    }
  }
}

const cases: (CaseSpec & { window?: number })[] = [];
for (const cell of ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as CellType[])
  for (const [numLayers, bidirectional] of [[1, false], [2, false], [3, true]] as const)
    for (const window of [undefined, 2]) {
      const loss: LossKind = numLayers === 2 ? 'cross_entropy' : 'mse';
      const outputMode: OutputMode = numLayers === 3 ? 'last' : 'sequence';
      cases.push({ cell, numLayers, bidirectional, loss, outputMode, B: 1, T: 6, H: 3, I: 2, window, ...(numLayers === 2 ? { vocab: 5 } : {}) });
    }

describe('bpttWalk against lossAndGrads', () => {
  for (const c of cases) {
    const name = `${c.cell} L=${c.numLayers}${c.bidirectional ? ' bi' : ''} ${c.loss} ${c.outputMode}${c.vocab ? ' embedding' : ''} T=6 H=3 k=${c.window ?? 'full'}`;
    test(`${name}: final totals equal the gradients, per-step dL/dh_t equals the traces`, () => {
      const { config, params, batch } = makeCase(c);
      const ref = lossAndGrads(config, params, batch, { bpttWindow: c.window });
      const walk = bpttWalk(config, params, batch, { bpttWindow: c.window });
      expect(walk.dirs.map((w) => [w.layer, w.dir])).toEqual(ref.traces.map((t) => [t.layer, t.dir]));
      expect(walk.loss).toBe(ref.loss);
      expectTotalsMatch(walk, ref.grads);
      for (const [i, w] of walk.dirs.entries()) {
        const tr = ref.traces[i];
        expect(relError(w.dh, tr.dh)).toBeLessThanOrEqual(1e-12);
        expect(relError(w.h, tr.h)).toBe(0);
        if (tr.dc) expect(relError(w.dc!, tr.dc)).toBeLessThanOrEqual(1e-12);
        for (let j = 0; j < w.dh.length; j++) expect(w.fromOutput[j] + w.fromNext[j]).toBe(w.dh[j]);
      }
    });
  }
});

describe('LSTM ladder and peepholes', () => {
  for (const [rung, gates] of Object.entries(LSTM_LADDER))
    for (const peepholes of [false, true])
      test(`lstm ${rung}${peepholes ? ' + peepholes' : ''} L=2 bi T=5 k=2: totals equal the gradients`, () => {
        const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 5, H: 3, I: 2, lstm: { gates, peepholes } });
        const walk = bpttWalk(config, params, batch, { bpttWindow: 2 });
        expect(walk.gateNames.length * 3 * 5).toBe(walk.dirs[0].gates.length);
        expectTotalsMatch(walk, lossAndGrads(config, params, batch, { bpttWindow: 2 }).grads);
      });
});

describe('the record itself', () => {
  const spec = { cell: 'gru', numLayers: 1, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 7, H: 3, I: 2 } as const;

  test('gru bi T=7 k=3: cut flags sit at the window edges in processing order; fromNext is zero there', () => {
    const { config, params, batch } = makeCase(spec);
    const walk = bpttWalk(config, params, batch, { bpttWindow: 3 });
    // Processing indices p = 2 and 5 receive nothing from p + 1 = 3 and 6: times 2, 5 forward; 4, 1 reverse.
    expect([...walk.dirs[0].cut]).toEqual([0, 0, 1, 0, 0, 1, 0]);
    expect([...walk.dirs[1].cut]).toEqual([0, 1, 0, 0, 1, 0, 0]);
    expect([...walk.dirs[0].backwardOrder]).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect([...walk.dirs[1].backwardOrder]).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const w of walk.dirs)
      for (let t = 0; t < 7; t++) {
        const n = norm(w.fromNext, t * 3, 3);
        if (w.cut[t] || t === w.backwardOrder[0]) expect(n).toBe(0);
        else expect(n).toBeGreaterThan(0);
      }
  });

  test('gru bi T=7: full matrices sum to the totals; contribution norms equal their matrices\' norms', () => {
    const { config, params, batch } = makeCase(spec);
    const all = [0, 1, 2, 3, 4, 5, 6];
    const walk = bpttWalk(config, params, batch, { fullMatricesAt: all });
    for (const w of walk.dirs) {
      expect(w.matrices.map((m) => m.t)).toEqual([...w.backwardOrder]);
      const sum = new Float64Array(w.grads.Whh.length);
      for (const m of w.matrices) {
        for (let i = 0; i < sum.length; i++) sum[i] += m.dWhh[i];
        expect(relError(m.totalWhh, sum)).toBeLessThanOrEqual(1e-12);
        expect(w.contribution.Whh[m.t]).toBeCloseTo(norm(m.dWhh), 12);
        expect(w.contribution.Wih[m.t]).toBeCloseTo(norm(m.dWih), 12);
        expect(w.total.Whh[m.t]).toBe(norm(m.totalWhh));
        expect(w.total.Wih[m.t]).toBe(norm(m.totalWih));
      }
      expect(relError(sum, w.grads.Whh)).toBeLessThanOrEqual(1e-12);
    }
  });

  test('gru: the GRU\'s n rows of δʰ are r ⊙ δ_n, the other rows equal δ', () => {
    const { config, params, batch } = makeCase(spec);
    const w = bpttWalk(config, params, batch).dirs[0];
    for (let t = 0; t < 7; t++)
      for (let j = 0; j < 3; j++) {
        const at = t * 9;
        expect(w.recurrentGateGrads[at + j]).toBe(w.gateGrads[at + j]);
        expect(w.recurrentGateGrads[at + 6 + j]).toBeCloseTo(w.gates[at + j] * w.gateGrads[at + 6 + j], 15);
      }
  });

  test('lstm T=200 H=128: the record stays under 50 MB', () => {
    const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 200, H: 128, I: 8, O: 2 });
    const walk = bpttWalk(config, params, batch, { fullMatricesAt: [0, 199] });
    let bytes = 0;
    const visit = (v: unknown): void => {
      if (ArrayBuffer.isView(v)) bytes += v.byteLength;
      else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
    };
    visit(walk);
    expect(bytes).toBeGreaterThan(1e6);
    expect(bytes).toBeLessThan(50e6);
  });

  test('refusals name the problem: B > 1, a bad window or step', () => {
    const two = makeCase({ ...spec, B: 2 });
    expect(() => bpttWalk(two.config, two.params, two.batch)).toThrow(/one example \(B = 1\), got B = 2/);
    const one = makeCase(spec);
    expect(() => bpttWalk(one.config, one.params, one.batch, { bpttWindow: 0 })).toThrow(/bpttWindow must be an integer ≥ 1, got 0/);
    expect(() => bpttWalk(one.config, one.params, one.batch, { fullMatricesAt: [7] })).toThrow(/step 7 is not a time in 0..6/);
  });
});
