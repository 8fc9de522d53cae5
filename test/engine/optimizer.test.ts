/**
 * The reference optimizers against numbers worked out from PyTorch's formulas, three steps
 * on p = [1, -2, 0.5] with gradients g1, g2, g3 below. Every expected value was derived from
 * the update rules independently of src/engine/optimizer.ts, and torch.optim 1.13 in float64
 * (SGD, RMSprop, Adam, clip_grad_norm_) prints the same digits.
 */
import { describe, expect, test } from 'vitest';
import {
  createOptimizerState,
  defaultOptimizer,
  checkOptimizer,
  optimizerStep,
  type OptimizerConfig,
  type OptimizerKind,
  type OptimizerState,
} from '../../src/engine/optimizer.ts';

const P0 = [1, -2, 0.5];
const G = [
  [0.5, -1, 2],
  [-0.25, 0.5, 1],
  [1, 0, -0.5],
];

/** Each element within 1e-12 relative (or absolute, near 0). */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e), `${what}[${i}]: ${actual[i]} vs ${e}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(e))));
}

function config(kind: OptimizerKind, overrides: Partial<OptimizerConfig>): OptimizerConfig {
  return { ...defaultOptimizer(kind), ...overrides };
}

/** A fresh run: params P0, zero state. */
function start(): { params: Float64Array; state: OptimizerState } {
  return { params: Float64Array.from(P0), state: createOptimizerState({ total: P0.length }) };
}

/** Runs G[0..], checking params after every step against `expected`. */
function expectSteps(cfg: OptimizerConfig, expected: number[][]): OptimizerState {
  const { params, state } = start();
  expected.forEach((want, s) => {
    const report = optimizerStep(cfg, state, params, Float64Array.from(G[s]));
    expect(report.skipped).toBe(false);
    expect(state.t).toBe(s + 1);
    expectClose(params, want, `step ${s + 1} params`);
  });
  return state;
}

describe('reference optimizers, three steps by hand', () => {
  test('sgd lr=0.1: p - 0.1 g', () => {
    expectSteps(config('sgd', { lr: 0.1 }), [
      [0.95, -1.9, 0.3],
      [0.975, -1.95, 0.2],
      [0.875, -1.95, 0.25],
    ]);
  });

  test('momentum lr=0.1 mu=0.9: b1 = g1, b2 = 0.9 b1 + g2', () => {
    const state = expectSteps(config('momentum', { lr: 0.1, momentum: 0.9 }), [
      [0.95, -1.9, 0.3],
      [0.93, -1.86, 0.02], // b2 = [0.2, -0.4, 2.8]
      [0.812, -1.824, -0.182], // b3 = [1.18, -0.36, 2.02]
    ]);
    expectClose(state.m, [1.18, -0.36, 2.02], 'momentum buffer');
  });

  test('rmsprop lr=0.01 alpha=0.99 eps=1e-8: v1 = 0.01 g1², p1 = p0 - 0.01 g1 / (0.1 |g1| + 1e-8)', () => {
    const state = expectSteps(config('rmsprop', { lr: 0.01, alpha: 0.99, eps: 1e-8 }), [
      [0.900000019999996, -1.900000009999999, 0.40000000499999977],
      [0.9449013374421751, -1.944901331474435, 0.355098681509435],
      [0.8574273783928595, -1.944901331474435, 0.377109100098154],
    ]);
    expectClose(state.v, [0.013069, 0.012276, 0.051604], 'square average');
  });

  test('adam lr=0.01 betas=(0.9, 0.999) eps=1e-8: step 1 moves each p by 0.01 |g| / (|g| + 1e-8)', () => {
    const state = expectSteps(config('adam', { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 }), [
      [0.9900000002, -1.9900000001, 0.49000000005],
      [0.9873366298707846, -1.9873366297370902, 0.480678203720851],
      [0.980755513967709, -1.985277836733145, 0.47504158999804386],
    ]);
    expectClose(state.m, [0.118, -0.036, 0.202], 'first moment');
    expectClose(state.v, [0.00131193775, 0.001247751, 0.005241004], 'second moment');
  });
});

describe('weight decay is L2 added to the gradient', () => {
  test('sgd lr=0.1 wd=0.1: p1 = p0 - 0.1 (g1 + 0.1 p0)', () => {
    expectSteps(config('sgd', { lr: 0.1, weightDecay: 0.1 }), [
      [0.94, -1.88, 0.295],
      [0.9556, -1.9112, 0.19205],
      [0.846044, -1.892088, 0.2401295],
    ]);
  });

  test('adam lr=0.01 wd=0.1 (not AdamW): the decay enters m and v', () => {
    const state = expectSteps(config('adam', { lr: 0.01, weightDecay: 0.1 }), [
      [0.9900000001666667, -1.9900000000833333, 0.49000000004878047],
      [0.9853191993058599, -1.985312258721214, 0.48064450623449995],
      [0.9779775547639225, -1.9807213598282303, 0.4747795858503984],
    ]);
    expectClose(state.m, [0.14486319199455858, -0.08996312258796213, 0.21526644506278397], 'first moment');
  });
});

describe('clipping by value as clip_grad_value_', () => {
  test('sgd lr=0.1 clip_value=0.6: each gradient clamped to ±0.6; clippedNorm is the clamped norm', () => {
    const cfg = config('sgd', { lr: 0.1, clipValue: 0.6 });
    const { params, state } = start();
    const r1 = optimizerStep(cfg, state, params, Float64Array.from(G[0])); // clamp([0.5, -1, 2]) = [0.5, -0.6, 0.6]
    expect(r1.gradNorm).toBeCloseTo(2.29128784747792, 14);
    expect(r1.clippedNorm).toBeCloseTo(Math.sqrt(0.97), 14);
    expectClose(params, [0.95, -1.94, 0.44], 'step 1');
    optimizerStep(cfg, state, params, Float64Array.from(G[1])); // clamp([-0.25, 0.5, 1]) = [-0.25, 0.5, 0.6]
    expectClose(params, [0.975, -1.99, 0.38], 'step 2');
  });

  test('clipping by norm and by value together is refused', () => {
    expect(() => checkOptimizer(config('sgd', { clipNorm: 1, clipValue: 1 }))).toThrow(/not both/);
  });
});

describe('clipping as clip_grad_norm_', () => {
  test('sgd lr=0.1 max_norm=1: every step clipped; norm before and after reported', () => {
    const cfg = config('sgd', { lr: 0.1, clipNorm: 1 });
    const { params, state } = start();
    const r1 = optimizerStep(cfg, state, params, Float64Array.from(G[0]));
    expect(r1.gradNorm).toBeCloseTo(2.29128784747792, 14); // sqrt(0.25 + 1 + 4)
    expect(r1.clippedNorm).toBeCloseTo(0.9999995635644099, 14); // ‖g‖ / (‖g‖ + 1e-6)
    expectClose(params, [0.9781782205002061, -1.9563564410004122, 0.4127128820008245], 'step 1');
    optimizerStep(cfg, state, params, Float64Array.from(G[1]));
    expectClose(params, [0.9999999904762029, -1.9999999809524058, 0.32542580209683725], 'step 2');
    optimizerStep(cfg, state, params, Float64Array.from(G[2]));
    expectClose(params, [0.9105573513761398, -1.9999999809524058, 0.3701471216468688], 'step 3');
  });

  test('sgd max_norm=1 wd=0.1: decay added after clipping, and not clipped', () => {
    expectSteps(config('sgd', { lr: 0.1, clipNorm: 1, weightDecay: 0.1 }), [
      [0.9681782205002061, -1.9363564410004122, 0.4077128820008245],
      [0.9803182082712009, -1.9606364165424017, 0.316348673276829],
      [0.8810723870884257, -1.9410300523769777, 0.35790650609409225],
    ]);
  });

  test('momentum max_norm=1.5: clips step 1 only (norms 2.29, 1.15, 1.12)', () => {
    const state = expectSteps(config('momentum', { lr: 0.1, momentum: 0.9, clipNorm: 1.5 }), [
      [0.9672673307503092, -1.9345346615006185, 0.3690693230012368],
      [0.9628079284255875, -1.925615856851175, 0.15123171370234986],
      [0.8587944663333379, -1.917588932666676, 0.0051778653333516365],
    ]);
    expectClose(state.m, [1.0401346209224955, -0.08026924184499101, 1.4605384836899822], 'momentum buffer');
  });

  test('clipNorm null: a gradient of norm 229 is applied whole', () => {
    const { params, state } = start();
    const report = optimizerStep(config('sgd', { lr: 0.1, clipNorm: null }), state, params, Float64Array.from(G[0], (g) => 100 * g));
    expect(report.gradNorm).toBeCloseTo(229.128784747792, 11);
    expect(report.clippedNorm).toBe(report.gradNorm);
    expectClose(params, [-4, 8, -19.5], 'params');
  });
});

describe('a non-finite gradient skips the step', () => {
  for (const [what, bad] of [
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
  ] as const) {
    for (const clipNorm of [null, 1]) {
      test(`adam, ${what} in g2, clipNorm ${clipNorm}: params, moments and t unchanged; step 3 is the real step 2`, () => {
        const cfg = config('adam', { lr: 0.01, clipNorm });
        const { params, state } = start();
        optimizerStep(cfg, state, params, Float64Array.from(G[0]));
        const before = { params: params.slice(), m: state.m.slice(), v: state.v.slice() };

        const poisoned = Float64Array.from(G[1]);
        poisoned[1] = bad;
        const report = optimizerStep(cfg, state, params, poisoned);
        expect(report.skipped).toBe(true);
        expect(report.gradNorm).toBe(what === 'NaN' ? NaN : Infinity);
        expect(state.t).toBe(1);
        expect(params).toEqual(before.params);
        expect(state.m).toEqual(before.m);
        expect(state.v).toEqual(before.v);

        optimizerStep(cfg, state, params, Float64Array.from(G[1]));
        expect(state.t).toBe(2);
        if (clipNorm === null) expectClose(params, [0.9873366298707846, -1.9873366297370902, 0.480678203720851], 'after the skip');
      });
    }
  }
});

test('defaultOptimizer: PyTorch defaults, no clipping, no decay', () => {
  const cfg = defaultOptimizer('adam');
  expect(cfg).toMatchObject({ kind: 'adam', momentum: 0.9, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: null });
});
