/**
 * The reference encoder-decoder: gradients against central differences (every cell, 1 and 2
 * layers, teacher forcing and free running with the realized inputs held fixed), teacher
 * forcing equals the decoder run on the given inputs, the hand-over carries gradient into the
 * encoder, and the coins pick the true symbol at the ratio asked.
 */
import { describe, expect, test } from 'vitest';
import {
  CELL_TYPES,
  forward,
  initSeq2SeqParams,
  seq2seqForward,
  seq2seqLossAndGrads,
  seq2seqParamSpecs,
  stackConfig,
  teacherCoin,
  type CellType,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type TensorMap,
} from '../../src/engine/index.ts';
import { mulberry32, relError } from './helpers.ts';

const EPS = 1e-6;

/** A seeded model (weights doubled so gates leave their linear range) and a batch with lengths 1..U. */
function makeSeq2SeqCase(cell: CellType, numLayers: number, seed = 3, B = 3, S = 3, U = 4, V = 5, H = 3) {
  const cfg: Seq2SeqConfig = { cell, hiddenSize: H, numLayers, vocabSize: V };
  const params = initSeq2SeqParams(cfg, seed);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  const rand = mulberry32(seed + 1000);
  const tokens = (n: number) => Int32Array.from({ length: n }, () => Math.floor(rand() * V));
  const batch: Seq2SeqBatch = {
    source: { shape: [B, S], data: tokens(B * S) },
    sourceLengths: Int32Array.from({ length: B }, () => S),
    decoderInputs: { shape: [B, U], data: tokens(B * U) },
    targets: { shape: [B, U], data: tokens(B * U) },
    targetLengths: Int32Array.from({ length: B }, (_, b) => 1 + ((b + seed) % U)),
  };
  return { cfg, params, batch };
}

/** The batch with its decoder inputs replaced. */
function withInputs(batch: Seq2SeqBatch, inputs: Int32Array): Seq2SeqBatch {
  return { ...batch, decoderInputs: { shape: batch.decoderInputs.shape, data: inputs } };
}

const FORCED = { ratio: 1, seed: 0, step: 0 };

/** Central differences of the teacher-forced loss (the decoder reads batch.decoderInputs). */
function numericGrads(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of params) {
    const g = new Float64Array(t.data.length);
    for (let i = 0; i < t.data.length; i++) {
      const v = t.data[i];
      t.data[i] = v + EPS;
      const up = seq2seqForward(cfg, params, batch, FORCED).loss;
      t.data[i] = v - EPS;
      const down = seq2seqForward(cfg, params, batch, FORCED).loss;
      t.data[i] = v;
      g[i] = (up - down) / (2 * EPS);
    }
    out.set(name, { shape: t.shape, data: g });
  }
  return out;
}

describe('reference encoder-decoder', () => {
  for (const cell of CELL_TYPES)
    for (const numLayers of [1, 2])
      for (const ratio of [1, 0]) {
        test(`${cell} L=${numLayers} r=${ratio} B=3 S=3 U=4 V=5 H=3: every gradient matches central differences`, () => {
          const { cfg, params, batch } = makeSeq2SeqCase(cell, numLayers);
          const r = seq2seqLossAndGrads(cfg, params, batch, { ratio, seed: 11, step: 2 });
          // Free running: the realized inputs are held fixed, which is teacher forcing on them.
          const fixed = withInputs(batch, r.inputs.data);
          if (ratio === 0) expect(r.inputs.data).not.toEqual(batch.decoderInputs.data);
          const numeric = numericGrads(cfg, params, fixed);
          expect([...r.grads.keys()]).toEqual(seq2seqParamSpecs(cfg).map((s) => s.name));
          for (const [name, g] of r.grads) {
            expect(g.shape, name).toEqual(params.get(name)!.shape);
            expect(relError(g.data, numeric.get(name)!.data), `${name} relative error`).toBeLessThan(1e-6);
          }
        });
      }

  for (const cell of CELL_TYPES) {
    test(`${cell} L=2: r=1 is the decoder (network.ts) run on decoderInputs from the encoder's final state`, () => {
      const { cfg, params, batch } = makeSeq2SeqCase(cell, 2);
      const config = stackConfig(cfg);
      const V = cfg.vocabSize;
      const stack = (prefix: string) => new Map([...params].filter(([n]) => n.startsWith(prefix)).map(([n, t]) => [`rnn.${n.slice(prefix.length)}`, t]));
      const oneHot = (t: { shape: number[]; data: Int32Array }) => {
        const data = new Float64Array(t.data.length * V);
        t.data.forEach((k, n) => (data[n * V + k] = 1));
        return { inputs: { shape: [...t.shape, V], data }, targets: { shape: [0], data: new Float64Array(0) }, loss: 'cross_entropy' as const, outputMode: 'sequence' as const };
      };
      const enc = forward(config, stack('encoder.'), oneHot(batch.source), { headless: true });
      const decParams = stack('decoder.');
      decParams.set('head.weight', params.get('head.weight')!);
      decParams.set('head.bias', params.get('head.bias')!);
      const [B, U] = batch.targets.shape;
      const targets = { shape: [B, U], data: Float64Array.from(batch.targets.data) };
      const dec = forward(config, decParams, { ...oneHot(batch.decoderInputs), targets }, { initialState: enc.finalState });
      const mine = seq2seqForward(cfg, params, batch, FORCED);
      expect(mine.inputs.data).toEqual(batch.decoderInputs.data);
      expect(mine.logits.shape).toEqual(dec.outputs.shape);
      expect(relError(mine.logits.data, dec.outputs.data)).toBeLessThan(1e-12);
      // With every position real, the masked loss is network.ts's mean cross-entropy.
      const full = { ...batch, targetLengths: new Int32Array(B).fill(U) };
      expect(seq2seqForward(cfg, params, full, FORCED).loss).toBeCloseTo(dec.loss, 12);
    });
  }

  test('the hand-over carries gradient: an encoder weight moves the loss as its gradient says (lstm L=2, free running)', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('lstm', 2);
    const tf = { ratio: 0, seed: 5, step: 0 };
    const r = seq2seqLossAndGrads(cfg, params, batch, tf);
    const fixed = withInputs(batch, r.inputs.data);
    for (const name of ['encoder.weight_hh_l0', 'encoder.weight_ih_l1', 'encoder.bias_ih_l0']) {
      const g = r.grads.get(name)!.data;
      const i = g.reduce((best, v, k) => (Math.abs(v) > Math.abs(g[best]) ? k : best), 0);
      expect(Math.abs(g[i]), name).toBeGreaterThan(1e-3);
      const t = params.get(name)!.data;
      const h = 1e-4;
      t[i] += h;
      const moved = seq2seqForward(cfg, params, fixed, FORCED).loss;
      t[i] -= h;
      expect((moved - r.loss) / h, name).toBeCloseTo(g[i], 3);
    }
  });

  test('padding positions carry no loss: changing a target past its length changes nothing', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('gru', 1);
    const a = seq2seqLossAndGrads(cfg, params, batch, FORCED);
    const U = batch.targets.shape[1];
    const b = batch.targetLengths.findIndex((n) => n < U);
    const targets = batch.targets.data.slice();
    targets[b * U + U - 1] = (targets[b * U + U - 1] + 1) % cfg.vocabSize;
    const c = seq2seqLossAndGrads(cfg, params, { ...batch, targets: { shape: batch.targets.shape, data: targets } }, FORCED);
    expect(c.loss).toBe(a.loss);
    expect(c.grads.get('encoder.weight_hh_l0')!.data).toEqual(a.grads.get('encoder.weight_hh_l0')!.data);
  });

  test('mixed r=0.5: each input is the true symbol where the coin says so and the previous prediction elsewhere; about half are true', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('rnn_tanh', 1, 4, 64, 3, 6);
    const tf = { ratio: 0.5, seed: 9, step: 3 };
    const r = seq2seqForward(cfg, params, batch, tf);
    const [B, U] = batch.targets.shape;
    let forced = 0;
    for (let b = 0; b < B; b++) {
      expect(r.inputs.data[b * U]).toBe(batch.decoderInputs.data[b * U]);
      for (let u = 1; u < U; u++) {
        const coin = teacherCoin(tf, b, u);
        forced += Number(coin);
        expect(r.inputs.data[b * U + u]).toBe(coin ? batch.decoderInputs.data[b * U + u] : r.predictions.data[b * U + u - 1]);
      }
    }
    expect(forced / (B * (U - 1))).toBeGreaterThan(0.4);
    expect(forced / (B * (U - 1))).toBeLessThan(0.6);
    // Another step draws other coins.
    expect(seq2seqForward(cfg, params, batch, { ...tf, step: 4 }).inputs.data).not.toEqual(r.inputs.data);
  });

  test('bad input is named: a token outside the vocabulary, a ratio outside [0, 1]', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('gru', 1);
    const source = batch.source.data.slice();
    source[0] = 7;
    expect(() => seq2seqForward(cfg, params, { ...batch, source: { shape: batch.source.shape, data: source } }, FORCED)).toThrow(/source has token 7/);
    expect(() => seq2seqForward(cfg, params, batch, { ratio: 1.5, seed: 0, step: 0 })).toThrow(/ratio must be in \[0, 1\]/);
  });
});
