/** The BPTT walk of a Jordan network (output feedback) agrees with lossAndGrads, and its three parts of dL/dh_t are what they say. */
import { describe, expect, test } from 'vitest';
import { outputReach } from '../../src/engine/outputReach.ts';
import { bpttWalk, lossAndGrads, norm, type BpttWalk, type CellType, type LossKind, type OutputFeedback, type TensorMap } from '../../src/engine/index.ts';
import { makeCase, relError, type CaseSpec } from './helpers.ts';

const T = 6;
const H = 3;
const O = 3;

/** A Jordan case: one rnn layer, unidirectional, an output per step. */
function jordanCase(cell: CellType, loss: LossKind, outputFeedback: OutputFeedback, extra: Partial<CaseSpec> = {}) {
  return makeCase({ cell, numLayers: 1, bidirectional: false, loss, outputMode: 'sequence', B: 1, T, H, I: 2, O, outputFeedback, ...extra });
}

/** The walk's totals against lossAndGrads's gradients. */
function expectTotalsMatch(walk: BpttWalk, grads: TensorMap, recurrent: boolean): void {
  const w = walk.dirs[0];
  expect(relError(w.grads.Wih, grads.get('rnn.weight_ih_l0')!.data)).toBeLessThanOrEqual(1e-12);
  expect(relError(w.grads.bih, grads.get('rnn.bias_ih_l0')!.data)).toBeLessThanOrEqual(1e-12);
  expect(relError(w.feedback!.grad, grads.get('rnn.weight_hy_l0')!.data)).toBeLessThanOrEqual(1e-12);
  if (recurrent) {
    expect(relError(w.grads.Whh, grads.get('rnn.weight_hh_l0')!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.bhh, grads.get('rnn.bias_hh_l0')!.data)).toBeLessThanOrEqual(1e-12);
  } else {
    expect(grads.has('rnn.weight_hh_l0')).toBe(false);
    expect(w.grads.Whh.length + w.grads.bhh.length).toBe(0);
  }
}

/**
 * The three parts of dL/dh_t written out from the lectures' equations with the record's δ_{t+1}
 * (gateGrads) and fed values: fromNext = W_hhᵀ δ_{t+1}; fromFeedback = W_headᵀ J_fbᵀ W_hyᵀ δ_{t+1},
 * J_fbᵀ v = p ⊙ (v - p·v) for a fed softmax p, v for a fed output; both zero past the end or a cut.
 */
function handParts(walk: BpttWalk, params: TensorMap, ce: boolean, t: number): { fromNext: number[]; fromFeedback: number[] } {
  const w = walk.dirs[0];
  const fb = w.feedback!;
  const fromNext = new Array<number>(H).fill(0);
  const fromFeedback = new Array<number>(H).fill(0);
  if (t === T - 1 || w.cut[t]) return { fromNext, fromFeedback };
  const delta = Array.from(w.gateGrads.subarray((t + 1) * H, (t + 2) * H));
  const Whh = params.get('rnn.weight_hh_l0')?.data;
  if (Whh) for (let j = 0; j < H; j++) for (let i = 0; i < H; i++) fromNext[j] += Whh[i * H + j] * delta[i];
  if (fb.teacherForcing) return { fromNext, fromFeedback };
  const Why = params.get('rnn.weight_hy_l0')!.data;
  const Wout = params.get('head.weight')!.data;
  const dFed = Array.from({ length: O }, (_, k) => delta.reduce((s, d, i) => s + Why[i * O + k] * d, 0));
  const p = Array.from(fb.fed.subarray((t + 1) * O, (t + 2) * O)); // fb_t, read by step t+1
  const dot = p.reduce((s, pk, k) => s + pk * dFed[k], 0);
  const dy = dFed.map((v, k) => (ce ? p[k] * (v - dot) : v));
  for (let j = 0; j < H; j++) for (let k = 0; k < O; k++) fromFeedback[j] += Wout[k * H + j] * dy[k];
  return { fromNext, fromFeedback };
}

describe('Jordan walk against lossAndGrads', () => {
  for (const cell of ['rnn_tanh', 'rnn_relu'] as CellType[])
    for (const recurrent of [true, false])
      for (const teacherForcing of [false, true])
        for (const loss of ['mse', 'cross_entropy'] as LossKind[])
          for (const window of [undefined, 2]) {
            const name = `${cell} ${recurrent ? 'Jordan+Elman' : 'pure Jordan'}${teacherForcing ? ' teacher-forced' : ''} ${loss} T=${T} H=${H} k=${window ?? 'full'}`;
            test(`${name}: totals equal the gradients, dL/dh_t the trace, and its three parts are what they say`, () => {
              const { config, params, batch } = jordanCase(cell, loss, { teacherForcing, recurrent });
              const ref = lossAndGrads(config, params, batch, { bpttWindow: window });
              const walk = bpttWalk(config, params, batch, { bpttWindow: window });
              expect(walk.loss).toBe(ref.loss);
              expect(walk.dirs.length).toBe(1);
              expectTotalsMatch(walk, ref.grads, recurrent);
              const w = walk.dirs[0];
              const fb = w.feedback!;
              expect([fb.teacherForcing, fb.recurrent, fb.classes, fb.outSize]).toEqual([teacherForcing, recurrent, loss === 'cross_entropy', O]);
              expect(relError(w.dh, ref.traces[0].dh)).toBeLessThanOrEqual(1e-12);
              expect(relError(w.h, ref.traces[0].h)).toBe(0);
              for (let j = 0; j < w.dh.length; j++) expect(w.fromOutput[j] + w.fromNext[j] + fb.fromFeedback[j]).toBe(w.dh[j]);
              for (let t = 0; t < T; t++) {
                const hand = handParts(walk, params, loss === 'cross_entropy', t);
                expect(relError(w.fromNext.subarray(t * H, (t + 1) * H), hand.fromNext)).toBeLessThanOrEqual(1e-12);
                expect(relError(fb.fromFeedback.subarray(t * H, (t + 1) * H), hand.fromFeedback)).toBeLessThanOrEqual(1e-12);
                // Something arrives along each path exactly where the path exists and δ_{t+1} is not zero (a ReLU layer's may be).
                const flows = t < T - 1 && !w.cut[t] && norm(w.gateGrads, (t + 1) * H, H) > 0;
                expect(norm(fb.fromFeedback, t * H, H) > 0).toBe(flows && !teacherForcing);
                expect(norm(fb.dyFeedback, t * O, O) > 0).toBe(flows && !teacherForcing);
                expect(norm(w.fromNext, t * H, H) > 0).toBe(flows && recurrent);
              }
              expect([...w.cut]).toEqual(Array.from({ length: T }, (_, t) => (window && t < T - 1 && (t + 1) % window === 0 ? 1 : 0)));
            });
          }
});

describe('the Jordan record itself', () => {
  test('rnn_tanh Jordan+Elman cross_entropy T=6: fed values are fb_{t-1} (zero, then softmax of the previous output)', () => {
    const { config, params, batch } = jordanCase('rnn_tanh', 'cross_entropy', { teacherForcing: false, recurrent: true });
    const walk = bpttWalk(config, params, batch);
    const y = lossAndGrads(config, params, batch).outputs.data;
    const fed = walk.dirs[0].feedback!.fed;
    expect([...fed.subarray(0, O)]).toEqual([0, 0, 0]);
    for (let t = 1; t < T; t++) {
      const e = Array.from(y.subarray((t - 1) * O, t * O), Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      expect(relError(fed.subarray(t * O, (t + 1) * O), e.map((v) => v / s))).toBeLessThanOrEqual(1e-12);
    }
  });

  test('teacher forced mse: fed values are the previous targets', () => {
    const { config, params, batch } = jordanCase('rnn_relu', 'mse', { teacherForcing: true, recurrent: false });
    const fed = bpttWalk(config, params, batch).dirs[0].feedback!.fed;
    expect([...fed.subarray(O)]).toEqual([...batch.targets.data.subarray(0, (T - 1) * O)]);
  });

  for (const recurrent of [true, false])
    test(`${recurrent ? 'Jordan+Elman' : 'pure Jordan'} k=4: full matrices sum to the totals (W_hy too); contribution norms equal their matrices' norms`, () => {
      const { config, params, batch } = jordanCase('rnn_tanh', 'cross_entropy', { teacherForcing: false, recurrent });
      const walk = bpttWalk(config, params, batch, { bpttWindow: 4, fullMatricesAt: [0, 1, 2, 3, 4, 5] });
      const w = walk.dirs[0];
      const fb = w.feedback!;
      expect(w.matrices.map((m) => m.t)).toEqual([...w.backwardOrder]);
      const sum = new Float64Array(H * O);
      for (const m of w.matrices) {
        for (let i = 0; i < sum.length; i++) sum[i] += m.dWhy![i];
        expect(relError(m.totalWhy!, sum)).toBeLessThanOrEqual(1e-12);
        expect(fb.contribution[m.t]).toBeCloseTo(norm(m.dWhy!), 12);
        expect(fb.total[m.t]).toBe(norm(m.totalWhy!));
        expect(w.contribution.Wih[m.t]).toBeCloseTo(norm(m.dWih), 12);
        if (recurrent) expect(w.contribution.Whh[m.t]).toBeCloseTo(norm(m.dWhh), 12);
        else expect([m.dWhh.length, m.totalWhh.length, w.contribution.Whh[m.t], w.total.Whh[m.t]]).toEqual([0, 0, 0, 0]);
      }
      expect(relError(sum, fb.grad)).toBeLessThanOrEqual(1e-12);
      // Step 0 reads y_{-1} = 0: it adds nothing to W_hy.
      expect(fb.contribution[0]).toBe(0);
    });

  test('onlyOutput: the mean of each output\'s own gradients is the walk\'s; the reach table reads them', () => {
    const { config, params, batch } = jordanCase('rnn_tanh', 'mse', { teacherForcing: false, recurrent: false });
    const whole = bpttWalk(config, params, batch).dirs[0];
    const sum = new Float64Array(H * O);
    for (let n = 0; n < T; n++) {
      const g = bpttWalk(config, params, batch, { onlyOutput: n }).dirs[0].feedback!.grad;
      for (let i = 0; i < sum.length; i++) sum[i] += g[i] / T;
    }
    expect(relError(sum, whole.feedback!.grad)).toBeLessThanOrEqual(1e-12);
    const reach = outputReach(config, params, batch);
    // A pure Jordan network reaches back only through its outputs: output 5 reaches step 0 through y_0 .. y_4.
    expect(reach.norms[0][5 * T + 0]).toBeGreaterThan(0);
    expect(reach.norms[0][0 * T + 5]).toBe(0);
  });

  test('refusals name the problem: a state to start from, a deeper network', () => {
    const c = jordanCase('rnn_tanh', 'mse', { teacherForcing: false, recurrent: true });
    const initial = { h: [new Float64Array(H)], c: null };
    expect(() => bpttWalk(c.config, c.params, c.batch, { initial })).toThrow(/output feedback \(outputFeedback\): the walk takes no initial state/);
    const deep = makeCase({ cell: 'rnn_tanh', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'last', B: 1, outputFeedback: { teacherForcing: false, recurrent: true } });
    expect(() => bpttWalk(deep.config, deep.params, deep.batch)).toThrow(/output feedback needs rnn_tanh or rnn_relu, one layer, unidirectional, sequence output/);
  });
});
