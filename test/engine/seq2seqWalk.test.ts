/**
 * The encoder-decoder's walk (src/engine/seq2seqWalk.ts) and the state options of bpttWalk it
 * rests on: the walk's totals equal seq2seqLossAndGrads on the example as a batch of one, for
 * every cell, 1 and 2 layers, teacher forcing ratios 1, 0 and 0.5; the gradient crossing the
 * hand-over is the decoder's dL/d(initial state) and the encoder's dL/dh at its last step is that
 * plus what arrives from above; bad inputs are refused by name.
 */
import { describe, expect, test } from 'vitest';
import {
  bpttWalk,
  CELL_TYPES,
  initSeq2SeqParams,
  lossAndGrads,
  oneHotBatch,
  seq2seqLossAndGrads,
  seq2seqWalk,
  sliceSeq2SeqBatch,
  stackConfig,
  stackParams,
  type BpttWalk,
  type RecurrentState,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type TensorMap,
} from '../../src/engine/index.ts';
import { makeCase, mulberry32, relError } from './helpers.ts';

/** The walk's totals of each layer against a gradient map whose names start with `prefix`. */
function expectTotalsMatch(walk: BpttWalk, grads: TensorMap, prefix: string): void {
  for (const w of walk.dirs) {
    const s = `l${w.layer}${w.dir === 1 ? '_reverse' : ''}`;
    expect(relError(w.grads.Wih, grads.get(`${prefix}weight_ih_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.Whh, grads.get(`${prefix}weight_hh_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.bih, grads.get(`${prefix}bias_ih_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
    expect(relError(w.grads.bhh, grads.get(`${prefix}bias_hh_${s}`)!.data)).toBeLessThanOrEqual(1e-12);
  }
}

/** A seeded state: one H-vector per (layer, direction), and c for the LSTM. */
function randomState(n: number, H: number, lstm: boolean, seed: number): RecurrentState {
  const rand = mulberry32(seed);
  const vecs = () => Array.from({ length: n }, () => Float64Array.from({ length: H }, () => 2 * rand() - 1));
  return { h: vecs(), c: lstm ? vecs() : null };
}

/** Both states' arrays, flattened, for one comparison. */
function flat(s: RecurrentState): Float64Array {
  return Float64Array.from([...s.h, ...(s.c ?? [])].flatMap((a) => Array.from(a)));
}

describe('bpttWalk with an initial state and a final-state gradient', () => {
  for (const cell of CELL_TYPES)
    for (const window of [undefined, 2])
      test(`${cell} L=2 bi T=5 H=3 k=${window ?? 'full'}: totals and dL/d(initial state) equal lossAndGrads with the same state options`, () => {
        const { config, params, batch } = makeCase({ cell, numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 5, H: 3, I: 2 });
        const initial = randomState(4, 3, cell === 'lstm', 5);
        const finalStateGrad = randomState(4, 3, cell === 'lstm', 6);
        const ref = lossAndGrads(config, params, batch, { bpttWindow: window, initialState: initial, finalStateGrad });
        const walk = bpttWalk(config, params, batch, { bpttWindow: window, initial, finalStateGrad });
        expectTotalsMatch(walk, ref.grads, 'rnn.');
        expect(relError(flat(walk.initialStateGrad!), flat(ref.initialStateGrad!))).toBeLessThanOrEqual(1e-12);
        for (const [i, w] of walk.dirs.entries()) {
          expect(relError(w.dh, ref.traces[i].dh)).toBeLessThanOrEqual(1e-12);
          // The seed arrives as fromNext at the direction's last processed step (t = T-1 forward, t = 0 reverse).
          const last = w.backwardOrder[0];
          expect(Array.from(w.fromNext.subarray(last * 3, last * 3 + 3))).toEqual(Array.from(finalStateGrad.h[i]));
        }
      });

  test('headless lstm L=2 T=4: the gradient comes from finalStateGrad alone; loss 0; equals headless lossAndGrads', () => {
    const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', B: 1, T: 4, H: 3, I: 2 });
    const finalStateGrad = randomState(2, 3, true, 9);
    const ref = lossAndGrads(config, params, batch, { headless: true, finalStateGrad });
    const walk = bpttWalk(config, params, batch, { headless: true, finalStateGrad });
    expect(walk.loss).toBe(0);
    expectTotalsMatch(walk, ref.grads, 'rnn.');
    expect(walk.dirs[1].fromOutput.every((v) => v === 0)).toBe(true);
  });
});

/** A seeded encoder-decoder and a batch of B examples with padded sources and targets of lengths 2..U. */
function makeSeq2SeqCase(cell: Seq2SeqConfig['cell'], numLayers: number, seed = 3, B = 3, S = 5, U = 6, V = 6, H = 3) {
  const cfg: Seq2SeqConfig = { cell, hiddenSize: H, numLayers, vocabSize: V };
  const params = initSeq2SeqParams(cfg, seed);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  const rand = mulberry32(seed + 1000);
  const token = () => 1 + Math.floor(rand() * (V - 1));
  const sourceLengths = Int32Array.from({ length: B }, (_, b) => 2 + ((b + seed) % (S - 1)));
  const source = new Int32Array(B * S); // padding is token 0
  for (let b = 0; b < B; b++) for (let t = 0; t < sourceLengths[b]; t++) source[b * S + t] = token();
  const batch: Seq2SeqBatch = {
    source: { shape: [B, S], data: source },
    sourceLengths,
    decoderInputs: { shape: [B, U], data: Int32Array.from({ length: B * U }, token) },
    targets: { shape: [B, U], data: Int32Array.from({ length: B * U }, token) },
    targetLengths: Int32Array.from({ length: B }, (_, b) => U - b),
  };
  return { cfg, params, batch };
}

describe('seq2seqWalk against seq2seqLossAndGrads', () => {
  for (const cell of CELL_TYPES)
    for (const numLayers of [1, 2])
      for (const ratio of [1, 0, 0.5])
        test(`${cell} L=${numLayers} r=${ratio} S=5 U=6 V=6 H=3, example 1 of 3: totals, loss, inputs and the hand-over`, () => {
          const { cfg, params, batch } = makeSeq2SeqCase(cell, numLayers);
          const one = sliceSeq2SeqBatch(batch, 1, 1);
          const tf = { ratio, seed: 11, step: 2 }; // at r = 0.5 these coins read o T T o for u = 1..4
          const ref = seq2seqLossAndGrads(cfg, params, one, tf);
          const walk = seq2seqWalk(cfg, params, one, tf);
          const U = one.targetLengths[0];
          const S = one.source.shape[1];
          expect(U).toBe(5);
          expect(walk.decoder.T).toBe(U);
          expect(walk.encoder.T).toBe(S);
          expect(walk.loss).toBe(ref.loss);
          expect(walk.decoder.loss).toBeCloseTo(ref.loss, 12);
          expectTotalsMatch(walk.encoder, ref.grads, 'encoder.');
          expectTotalsMatch(walk.decoder, ref.grads, 'decoder.');
          // Per-step ‖dL/dh‖ equals the reference's traces (encoder layers, then decoder layers; the decoder's steps past U carry none).
          for (let l = 0; l < numLayers; l++) {
            const enc = walk.encoder.dirs[l];
            const dec = walk.decoder.dirs[l];
            for (let t = 0; t < S; t++) expect(Math.hypot(...enc.dh.subarray(t * 3, t * 3 + 3))).toBeCloseTo(ref.dhNorm[l][t], 12);
            for (let u = 0; u < U; u++) expect(Math.hypot(...dec.dh.subarray(u * 3, u * 3 + 3))).toBeCloseTo(ref.dhNorm[numLayers + l][u], 12);
            expect(ref.dhNorm[numLayers + l][U]).toBe(0);
          }
          // The realized inputs: <s>, then the target or the decoder's own previous argmax, as recorded.
          expect(Array.from(walk.decoderInputs)).toEqual(Array.from(ref.inputs.data.subarray(0, U)));
          expect(walk.inputSource[0]).toBe('start');
          for (let u = 1; u < U; u++) {
            const expected = walk.inputSource[u] === 'target' ? one.decoderInputs.data[u] : walk.predictions[u - 1];
            expect(walk.decoderInputs[u]).toBe(expected);
          }
          const kinds = new Set(walk.inputSource.slice(1));
          expect([...kinds].sort()).toEqual(ratio === 1 ? ['target'] : ratio === 0 ? ['own'] : ['own', 'target']);

          // The hand-over: the encoder's final state, and the gradient crossing it.
          const config = stackConfig(cfg);
          const decParams: TensorMap = new Map([...stackParams(params, 'decoder'), ['head.weight', params.get('head.weight')!], ['head.bias', params.get('head.bias')!]]);
          const decBatch = { ...oneHotBatch({ shape: [1, U], data: walk.decoderInputs }, 6), targets: { shape: [1, U], data: Float64Array.from(walk.targets) } };
          const independent = lossAndGrads(config, decParams, decBatch, { initialState: walk.handOver });
          expect(relError(flat(walk.handOverGrad), flat(independent.initialStateGrad!))).toBeLessThanOrEqual(1e-12);
          for (let l = 0; l < numLayers; l++) {
            const enc = walk.encoder.dirs[l];
            const last = (S - 1) * 3;
            expect(Array.from(walk.handOver.h[l])).toEqual(Array.from(enc.h.subarray(last, last + 3)));
            expect(Array.from(enc.fromNext.subarray(last, last + 3))).toEqual(Array.from(walk.handOverGrad.h[l]));
            for (let j = 0; j < 3; j++) expect(enc.dh[last + j]).toBe(enc.fromOutput[last + j] + walk.handOverGrad.h[l][j]);
            if (l === numLayers - 1) expect(Array.from(enc.fromOutput.subarray(last, last + 3))).toEqual([0, 0, 0]);
            if (cell === 'lstm') expect(Array.from(enc.dcFromNext!.subarray(last, last + 3))).toEqual(Array.from(walk.handOverGrad.c![l]));
          }
          expect(walk.decoder.initial).toBe(walk.handOver);
        });

  test('full matrices at the steps asked, in each part', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('gru', 1);
    const walk = seq2seqWalk(cfg, params, sliceSeq2SeqBatch(batch, 0, 1), { ratio: 1, seed: 0, step: 0 }, { encoderMatricesAt: [4], decoderMatricesAt: [0, 2] });
    expect(walk.encoder.dirs[0].matrices.map((m) => m.t)).toEqual([4]);
    expect(walk.decoder.dirs[0].matrices.map((m) => m.t)).toEqual([2, 0]);
  });

  test('bad inputs are refused by name', () => {
    const { cfg, params, batch } = makeSeq2SeqCase('lstm', 2);
    const tf = { ratio: 1, seed: 0, step: 0 };
    const one = sliceSeq2SeqBatch(batch, 0, 1);
    expect(() => seq2seqWalk(cfg, params, batch, tf)).toThrow(/takes one example \(B = 1\), got B = 3/);
    expect(() => seq2seqWalk(cfg, params, one, { ratio: 1.5, seed: 0, step: 0 })).toThrow(/teacher forcing ratio must be in \[0, 1\], got 1.5/);
    const bad = { ...one, source: { shape: one.source.shape, data: one.source.data.map((v, i) => (i === 0 ? 9 : v)) } };
    expect(() => seq2seqWalk(cfg, params, bad, tf)).toThrow(/source has token 9, outside the vocabulary of 6/);
    const { config, params: p, batch: b } = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 4, H: 3, I: 2 });
    expect(() => bpttWalk(config, p, b, { initial: randomState(1, 3, true, 1) })).toThrow(/initial: needs 2 arrays of H = 3 for h and for c/);
    expect(() => bpttWalk(config, p, b, { finalStateGrad: randomState(2, 3, false, 1) })).toThrow(/finalStateGrad: needs 2 arrays of H = 3 for h and for c/);
    expect(() => bpttWalk(config, p, b, { headless: true, onlyOutput: 0 })).toThrow(/onlyOutput: a headless walk has no outputs/);
  });
});
