/** The per-step record the visualizations read is consistent with the cell equations. */
import { describe, expect, test } from 'vitest';
import { forward, gateNames, lossAndGrads, norm } from '../../src/engine/index.ts';
import { LSTM_LADDER, makeCase } from './helpers.ts';

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

describe('LSTM ladder and peepholes: forward values from the lectures\' equations', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  for (const [rung, gates] of Object.entries(LSTM_LADDER))
    for (const peepholes of [false, true]) {
      test(`lstm ${rung}${peepholes ? ' + peepholes' : ''} H=2 I=2 T=3: h_t and c_t equal a hand-written step`, () => {
        const c0 = makeCase({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 3, H: 2, I: 2, lstm: { gates, peepholes } });
        const { config, params, batch } = c0;
        const names = gateNames(config);
        const P = (n: string) => params.get(n)!.data;
        const [Wih, Whh, bih, bhh] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => P(`rnn.${n}_l0`));
        const peep = (g: string) => (peepholes && names.includes(g) ? P(`rnn.weight_peephole_${g}_l0`) : [0, 0]);
        const [pi, pf, po] = ['i', 'f', 'o'].map(peep);
        const x = batch.inputs!.data;
        const { traces } = forward(config, params, batch);
        let h = [0, 0];
        let c = [0, 0];
        for (let t = 0; t < 3; t++) {
          const pre = (g: string, j: number) => {
            const r = names.indexOf(g) * 2 + j;
            return Wih[r * 2] * x[t * 2] + Wih[r * 2 + 1] * x[t * 2 + 1] + bih[r] + Whh[r * 2] * h[0] + Whh[r * 2 + 1] * h[1] + bhh[r];
          };
          const cNew = [0, 1].map((j) => {
            const i = gates.input ? sig(pre('i', j) + pi[j] * c[j]) : 1;
            const f = gates.forget ? sig(pre('f', j) + pf[j] * c[j]) : 1;
            return f * c[j] + i * Math.tanh(pre('g', j));
          });
          h = [0, 1].map((j) => (gates.output ? sig(pre('o', j) + po[j] * cNew[j]) : 1) * Math.tanh(cNew[j]));
          c = cNew;
          for (let j = 0; j < 2; j++) {
            expect(traces[0].c![t * 2 + j]).toBeCloseTo(c[j], 12);
            expect(traces[0].h[t * 2 + j]).toBeCloseTo(h[j], 12);
          }
        }
      });
    }
});

describe('Jordan output feedback: forward values from the lectures\' equations', () => {
  for (const [label, outputFeedback, loss] of [
    ['pure Jordan, mse (raw output fed back)', { teacherForcing: false, recurrent: false }, 'mse'],
    ['Jordan+Elman, cross_entropy (softmax fed back)', { teacherForcing: false, recurrent: true }, 'cross_entropy'],
    ['teacher forcing, cross_entropy (one-hot target fed back)', { teacherForcing: true, recurrent: true }, 'cross_entropy'],
  ] as const) {
    test(`rnn_tanh ${label} H=2 I=2 O=3 T=3: h_t and y_t equal a hand-written step`, () => {
      const { config, params, batch } = makeCase({ cell: 'rnn_tanh', numLayers: 1, bidirectional: false, loss, outputMode: 'sequence', B: 1, T: 3, H: 2, I: 2, O: 3, outputFeedback });
      const P = (n: string) => params.get(n)?.data ?? new Float64Array(64);
      const [Wih, bih, Whh, bhh, Why, Wo, bo] = ['rnn.weight_ih_l0', 'rnn.bias_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_hh_l0', 'rnn.weight_hy_l0', 'head.weight', 'head.bias'].map(P);
      const x = batch.inputs!.data;
      const target = batch.targets.data;
      const { traces, outputs } = forward(config, params, batch);
      let h = [0, 0];
      let fb = [0, 0, 0];
      for (let t = 0; t < 3; t++) {
        h = [0, 1].map((j) => {
          let a = Wih[j * 2] * x[t * 2] + Wih[j * 2 + 1] * x[t * 2 + 1] + bih[j];
          if (outputFeedback.recurrent) a += Whh[j * 2] * h[0] + Whh[j * 2 + 1] * h[1] + bhh[j];
          for (let k = 0; k < 3; k++) a += Why[j * 3 + k] * fb[k];
          return Math.tanh(a);
        });
        const y = [0, 1, 2].map((k) => Wo[k * 2] * h[0] + Wo[k * 2 + 1] * h[1] + bo[k]);
        for (let j = 0; j < 2; j++) expect(traces[0].h[t * 2 + j]).toBeCloseTo(h[j], 12);
        for (let k = 0; k < 3; k++) expect(outputs.data[t * 3 + k]).toBeCloseTo(y[k], 12);
        if (outputFeedback.teacherForcing) fb = [0, 1, 2].map((k) => (k === target[t] ? 1 : 0));
        else if (loss === 'mse') fb = y;
        else {
          const e = y.map(Math.exp);
          const s = e[0] + e[1] + e[2];
          fb = e.map((v) => v / s);
        }
      }
    });
  }
});
