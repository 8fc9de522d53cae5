/**
 * outputReach and bpttWalk's onlyOutput: the per-output gradients add up to the example's
 * (the loss is their mean), an output reaches no later step in a unidirectional network,
 * the reverse direction of a bidirectional one reaches later steps, and a window cuts the reach.
 */
import { describe, expect, test } from 'vitest';
import { bpttWalk, initParams, PYTORCH_INIT, type Batch, type ModelConfig } from '../../src/engine/index.ts';
import { outputReach } from '../../src/engine/outputReach.ts';

/** A seeded batch of one: T steps of I features, classes as targets at every step. */
function batch(T: number, I: number, O: number, seed: number): Batch {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  return {
    inputs: { shape: [1, T, I], data: Float64Array.from({ length: T * I }, rand) },
    targets: { shape: [1, T], data: Float64Array.from({ length: T }, () => Math.floor(((rand() + 1) / 2) * O) % O) },
    loss: 'cross_entropy',
    outputMode: 'sequence',
  };
}

const base: ModelConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 5, numLayers: 2, bidirectional: false, outputSize: 4 };

describe('outputReach', () => {
  test('lstm 2 layers T=7: Σ_t dℓ_t/dh_k / T equals the walk’s dL/dh_k (the loss is the mean)', () => {
    const params = initParams(base, 3, PYTORCH_INIT);
    const b = batch(7, 3, 4, 11);
    const whole = bpttWalk(base, params, b);
    for (let i = 0; i < whole.dirs.length; i++) {
      const sum = new Float64Array(7 * 5);
      for (let t = 0; t < 7; t++) {
        const one = bpttWalk(base, params, b, { onlyOutput: t });
        one.dirs[i].dh.forEach((v, k) => (sum[k] += v / 7));
      }
      sum.forEach((v, k) => expect(v).toBeCloseTo(whole.dirs[i].dh[k], 12));
    }
  });

  test('unidirectional gru T=6: a lower triangle (nothing reaches later steps), the diagonal nonzero', () => {
    const config: ModelConfig = { ...base, cell: 'gru', numLayers: 1 };
    const reach = outputReach(config, initParams(config, 4, PYTORCH_INIT), batch(6, 3, 4, 5));
    expect(reach.rows).toBe(6);
    const n = reach.norms[0];
    for (let t = 0; t < 6; t++) {
      for (let k = 0; k < 6; k++) {
        if (k > t) expect(n[t * 6 + k]).toBe(0);
        else expect(n[t * 6 + k]).toBeGreaterThan(0);
      }
    }
  });

  test('bidirectional rnn_tanh T=5: the reverse direction reaches later steps, not earlier ones', () => {
    const config: ModelConfig = { ...base, cell: 'rnn_tanh', numLayers: 1, bidirectional: true };
    const reach = outputReach(config, initParams(config, 2, PYTORCH_INIT), batch(5, 3, 4, 9));
    const rev = reach.norms[1];
    expect(rev[2 * 5 + 4]).toBeGreaterThan(0);
    expect(rev[2 * 5 + 1]).toBe(0);
  });

  test('window 2, lstm T=8: an output reaches back at most to the start of its window', () => {
    const config: ModelConfig = { ...base, numLayers: 1 };
    const reach = outputReach(config, initParams(config, 6, PYTORCH_INIT), batch(8, 3, 4, 2), 2);
    const n = reach.norms[0];
    // Window boundaries at 2, 4, 6: output 5 reaches steps 4 and 5 only.
    expect(n[5 * 8 + 5]).toBeGreaterThan(0);
    expect(n[5 * 8 + 4]).toBeGreaterThan(0);
    expect(n[5 * 8 + 3]).toBe(0);
  });

  test('many-to-one: one row, at the last step; a bad onlyOutput is refused by name', () => {
    const config: ModelConfig = { ...base, numLayers: 1, outputSize: 1 };
    const b: Batch = { inputs: batch(4, 3, 4, 1).inputs, targets: { shape: [1, 1], data: Float64Array.of(0.5) }, loss: 'mse', outputMode: 'last' };
    const params = initParams(config, 1, PYTORCH_INIT);
    const reach = outputReach(config, params, b);
    expect(reach.rows).toBe(1);
    expect(Array.from(reach.rowTime)).toEqual([3]);
    expect(() => bpttWalk(config, params, b, { onlyOutput: 1 })).toThrow(/onlyOutput: row 1 is not an output row in 0..0/);
  });
});
