/** Initialization schemes: PyTorch's default, Glorot + orthogonal (Keras), forget-gate bias 1. */
import { describe, expect, test } from 'vitest';
import { CELL_TYPES, initParams, type ModelConfig } from '../../src/engine/index.ts';

const base: ModelConfig = { cell: 'lstm', inputSize: 6, hiddenSize: 8, numLayers: 2, bidirectional: true, outputSize: 3 };
const maxAbs = (d: Float64Array) => d.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('initialization', () => {
  test('pytorch: recurrent tensors in ±1/sqrt(H), the same seed gives the same bits', () => {
    const a = initParams(base, 5);
    for (const [name, t] of a) if (name.startsWith('rnn.')) expect(maxAbs(t.data), name).toBeLessThanOrEqual(1 / Math.sqrt(8));
    expect(initParams(base, 5)).toEqual(a);
    expect(initParams(base, 6).get('rnn.weight_hh_l0')!.data).not.toEqual(a.get('rnn.weight_hh_l0')!.data);
  });

  for (const cell of CELL_TYPES) {
    test(`${cell} glorot_orthogonal: W_ih within the Glorot bound, W_hh has orthonormal columns, biases 0`, () => {
      const config = { ...base, cell };
      const p = initParams(config, 3, { scheme: 'glorot_orthogonal', forgetBiasOne: false });
      const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
      expect(maxAbs(p.get('rnn.weight_ih_l0')!.data)).toBeLessThanOrEqual(Math.sqrt(6 / (6 + G * 8)));
      expect(maxAbs(p.get('rnn.weight_ih_l1')!.data)).toBeLessThanOrEqual(Math.sqrt(6 / (16 + G * 8)));
      const W = p.get('rnn.weight_hh_l1_reverse')!.data; // (G*8, 8)
      for (let a = 0; a < 8; a++)
        for (let b = 0; b < 8; b++) {
          let dot = 0;
          for (let r = 0; r < G * 8; r++) dot += W[r * 8 + a] * W[r * 8 + b];
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
        }
      expect(maxAbs(p.get('rnn.bias_ih_l0')!.data)).toBe(0);
      expect(maxAbs(p.get('rnn.bias_hh_l1')!.data)).toBe(0);
    });
  }

  test('forget bias 1: b_ih rows of f are 1 and b_hh rows of f are 0 (sum 1); other rows untouched; also without an input gate', () => {
    for (const scheme of ['pytorch', 'glorot_orthogonal'] as const) {
      const plain = initParams(base, 9, { scheme, forgetBiasOne: false });
      const p = initParams(base, 9, { scheme, forgetBiasOne: true });
      const bih = p.get('rnn.bias_ih_l1')!.data;
      const bhh = p.get('rnn.bias_hh_l1')!.data;
      for (let j = 0; j < 8; j++) {
        expect(bih[8 + j]).toBe(1);
        expect(bhh[8 + j]).toBe(0);
        expect(bih[j]).toBe(plain.get('rnn.bias_ih_l1')!.data[j]);
        expect(bih[16 + j]).toBe(plain.get('rnn.bias_ih_l1')!.data[16 + j]);
      }
    }
    const noInput = { ...base, lstm: { gates: { input: false, forget: true, output: true }, peepholes: false } };
    const p = initParams(noInput, 1, { scheme: 'pytorch', forgetBiasOne: true }).get('rnn.bias_ih_l0')!.data; // rows f, g, o
    expect(Array.from(p.subarray(0, 8))).toEqual(new Array(8).fill(1));
  });
});
