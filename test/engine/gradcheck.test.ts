/**
 * Finite-difference gradient checks of the reference engine: for every cell, 1 and 2
 * layers, uni- and bidirectional, mse and cross_entropy, sequence and last output, the
 * analytic gradient of every parameter tensor matches central differences in float64.
 */
import { describe, expect, test } from 'vitest';
import { CELL_TYPES, LOSS_KINDS, OUTPUT_MODES, forward, lossAndGrads, type TensorMap } from '../../src/engine/index.ts';
import { LSTM_LADDER, makeCase, relError, type Case, type CaseSpec } from './helpers.ts';

const EPS = 1e-6;

/** Central-difference gradient of the loss with respect to every parameter element. */
function numericGrads({ config, params, batch }: Case): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of params) {
    const g = new Float64Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      t.data[i] = v + EPS;
      const up = forward(config, params, batch).loss;
      t.data[i] = v - EPS;
      const down = forward(config, params, batch).loss;
      t.data[i] = v;
      g[i] = (up - down) / (2 * EPS);
    }
    out.set(name, { shape: t.shape, data: g });
  }
  return out;
}

function expectGradsMatch(spec: CaseSpec): void {
  const c = makeCase(spec);
  const { grads } = lossAndGrads(c.config, c.params, c.batch);
  const numeric = numericGrads(c);
  expect([...grads.keys()]).toEqual([...c.params.keys()]);
  for (const [name, g] of grads) {
    expect(g.shape, name).toEqual(c.params.get(name)!.shape);
    const err = relError(g.data, numeric.get(name)!.data);
    expect(err, `${name} relative error`).toBeLessThan(1e-6);
  }
}

describe('reference engine gradients match central differences', () => {
  for (const cell of CELL_TYPES)
    for (const numLayers of [1, 2])
      for (const bidirectional of [false, true])
        for (const loss of LOSS_KINDS)
          for (const outputMode of OUTPUT_MODES) {
            const name = `${cell} L=${numLayers} ${bidirectional ? 'bi' : 'uni'} ${loss} ${outputMode} B=2 T=4 H=3`;
            test(name, () => expectGradsMatch({ cell, numLayers, bidirectional, loss, outputMode }));
          }

  for (const cell of CELL_TYPES) {
    test(`${cell} with embedding V=5 L=1 bi cross_entropy sequence`, () =>
      expectGradsMatch({ cell, numLayers: 1, bidirectional: true, loss: 'cross_entropy', outputMode: 'sequence', vocab: 5 }));
  }

  for (const [rung, gates] of Object.entries(LSTM_LADDER))
    for (const peepholes of [false, true]) {
      const lstm = { gates, peepholes };
      const v = `${rung}${peepholes ? ' + peepholes' : ''}`;
      test(`lstm ${v} L=2 bi mse sequence B=2 T=4 H=3`, () =>
        expectGradsMatch({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', lstm }));
      test(`lstm ${v} L=1 uni cross_entropy last B=2 T=4 H=3`, () =>
        expectGradsMatch({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'last', lstm }));
    }
});

describe('Jordan output feedback: gradients match central differences', () => {
  for (const cell of ['rnn_tanh', 'rnn_relu'] as const)
    for (const loss of LOSS_KINDS)
      for (const [label, outputFeedback] of [
        ['Jordan+Elman (W_hh kept)', { teacherForcing: false, recurrent: true }],
        ['pure Jordan (no W_hh)', { teacherForcing: false, recurrent: false }],
        ['teacher forcing', { teacherForcing: true, recurrent: true }],
      ] as const) {
        test(`${cell} ${label} ${loss} sequence B=2 T=5 H=4`, () =>
          expectGradsMatch({ cell, numLayers: 1, bidirectional: false, loss, outputMode: 'sequence', T: 5, H: 4, outputFeedback }));
      }
});
