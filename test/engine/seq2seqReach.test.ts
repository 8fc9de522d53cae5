/**
 * seq2seqOutputReach and seq2seqWalk's onlyOutput: the per-output gradients add up to the
 * example's (the loss is their mean over the U outputs), both in the encoder and the decoder and
 * across the hand-over; the row for output u equals, without onlyOutput, the difference of two
 * ordinary walks of the example cut after u + 1 and after u outputs ((u + 1)·L_{u+1} − u·L_u = ℓ_u,
 * since ℓ_u depends on the decoder's steps ≤ u only); an output reaches every encoder step and no
 * later decoder step; bad inputs are refused by name.
 */
import { describe, expect, test } from 'vitest';
import { initSeq2SeqParams, seq2seqWalk, type BpttWalk, type CellType, type Seq2SeqBatch, type Seq2SeqConfig, type TensorMap } from '../../src/engine/index.ts';
import { seq2seqOutputReach } from '../../src/engine/outputReach.ts';
import { mulberry32 } from './helpers.ts';

const H = 4;
const S = 5;
const U = 5;
const TF = { ratio: 0.5, seed: 11, step: 2 };

/** A seeded example: S = 5 source symbols (two of them padding), U = 5 targets through </s> (token 2). */
function example(seed: number): Seq2SeqBatch {
  const rand = mulberry32(seed);
  const token = () => 3 + Math.floor(rand() * 3);
  const targets = [token(), token(), token(), token(), 2];
  return {
    source: { shape: [1, S], data: Int32Array.from([token(), token(), token(), 0, 0]) },
    sourceLengths: Int32Array.of(3),
    decoderInputs: { shape: [1, U + 1], data: Int32Array.from([1, ...targets.slice(0, 4), 2]) },
    targets: { shape: [1, U + 1], data: Int32Array.from([...targets, 0]) },
    targetLengths: Int32Array.of(U),
  };
}

/** The example with only its first n targets carrying loss. */
function cut(batch: Seq2SeqBatch, n: number): Seq2SeqBatch {
  return { ...batch, targetLengths: Int32Array.of(n) };
}

/** A seeded model whose weights are doubled (so gradients do not all vanish within 10 steps). */
function model(cell: CellType, numLayers: number, seed: number): { cfg: Seq2SeqConfig; params: TensorMap } {
  const cfg: Seq2SeqConfig = { cell, hiddenSize: H, numLayers, vocabSize: 6 };
  const params = initSeq2SeqParams(cfg, seed);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  return { cfg, params };
}

/** ‖dh_k‖ of layer l of a walk. */
function dhNorm(walk: BpttWalk, l: number, k: number): number {
  return Math.hypot(...walk.dirs[l].dh.subarray(k * H, (k + 1) * H));
}

/** |a − b| within `tol` of the larger of 1e-3 and the largest |b| (the values are differences of gradients). */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  expect(a.length, what).toBe(b.length);
  const scale = Math.max(1e-3, ...Array.from(b, Math.abs));
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${what} [${i}]`).toBeLessThanOrEqual(tol * scale);
}

const CASES: [CellType, number][] = [
  ['lstm', 2],
  ['gru', 1],
  ['rnn_tanh', 2],
];

describe('seq2seqWalk onlyOutput', () => {
  for (const [cell, L] of CASES)
    test(`${cell} L=${L} S=${S} U=${U} r=0.5: Σ_u dℓ_u/dh_k / U equals the walk’s dL/dh_k in both parts and across the hand-over`, () => {
      const { cfg, params } = model(cell, L, 3);
      const batch = example(7);
      const whole = seq2seqWalk(cfg, params, batch, TF);
      expect(new Set(whole.inputSource.slice(1)).size, 'the case reads both kinds of input').toBe(2);
      const rows = Array.from({ length: U }, (_, u) => seq2seqWalk(cfg, params, batch, TF, { onlyOutput: u }));
      for (const part of ['encoder', 'decoder'] as const)
        for (let l = 0; l < L; l++) {
          const sum = new Float64Array(whole[part].T * H);
          for (const w of rows) w[part].dirs[l].dh.forEach((v, i) => (sum[i] += v / U));
          expectClose(sum, whole[part].dirs[l].dh, 1e-12, `${part} layer ${l + 1}`);
        }
      for (let l = 0; l < L; l++) {
        const sum = new Float64Array(H);
        for (const w of rows) w.handOverGrad.h[l].forEach((v, i) => (sum[i] += v / U));
        expectClose(sum, whole.handOverGrad.h[l], 1e-12, `hand-over layer ${l + 1}`);
      }
    });

  for (const [cell, L] of CASES)
    test(`${cell} L=${L} S=${S} U=${U} r=0.5: the row of output u equals (u+1)·dL_{u+1}/dh − u·dL_u/dh of walks cut after u+1 and u outputs`, () => {
      const { cfg, params } = model(cell, L, 5);
      const batch = example(9);
      const cutWalk = (n: number) => seq2seqWalk(cfg, params, cut(batch, n), TF);
      for (let u = 0; u < U; u++) {
        const one = seq2seqWalk(cfg, params, batch, TF, { onlyOutput: u });
        const upTo = cutWalk(u + 1);
        const before = u > 0 ? cutWalk(u) : null;
        for (let l = 0; l < L; l++) {
          // Encoder: every step, through the hand-over.
          const enc = upTo.encoder.dirs[l].dh.map((v, i) => (u + 1) * v - (before ? u * before.encoder.dirs[l].dh[i] : 0));
          expectClose(one.encoder.dirs[l].dh, enc, 1e-10, `u=${u} encoder layer ${l + 1}`);
          // Decoder: steps k ≤ u (the cut walk has u + 1 steps); nothing reaches a later step.
          const dec = upTo.decoder.dirs[l].dh.map((v, i) => (u + 1) * v - (before && i < u * H ? u * before.decoder.dirs[l].dh[i] : 0));
          expectClose(one.decoder.dirs[l].dh.subarray(0, (u + 1) * H), dec, 1e-10, `u=${u} decoder layer ${l + 1}`);
          expect(one.decoder.dirs[l].dh.subarray((u + 1) * H).every((v) => v === 0), `u=${u}: no decoder step after u`).toBe(true);
        }
      }
    });
});

describe('seq2seqOutputReach', () => {
  test(`lstm L=2 S=${S} U=${U} r=0.5: each row is ‖dh_k‖ of the onlyOutput walk; every encoder step reached, the decoder a lower triangle`, () => {
    const { cfg, params } = model('lstm', 2, 3);
    const batch = example(7);
    const reach = seq2seqOutputReach(cfg, params, batch, TF);
    expect([reach.rows, reach.S, reach.encoder.length, reach.decoder.length]).toEqual([U, S, 2, 2]);
    for (let u = 0; u < U; u++) {
      const one = seq2seqWalk(cfg, params, batch, TF, { onlyOutput: u });
      for (let l = 0; l < 2; l++) {
        for (let k = 0; k < S; k++) {
          const v = reach.encoder[l][u * S + k];
          expect(v).toBeGreaterThan(0);
          expect(Math.abs(v - dhNorm(one.encoder, l, k))).toBeLessThanOrEqual(1e-14 * v);
        }
        for (let k = 0; k < U; k++) {
          const v = reach.decoder[l][u * U + k];
          if (k > u) expect(v).toBe(0);
          else {
            expect(v).toBeGreaterThan(0);
            expect(Math.abs(v - dhNorm(one.decoder, l, k))).toBeLessThanOrEqual(1e-14 * v);
          }
        }
      }
    }
  });

  test('refusals by name: a batch of two, an output past </s>', () => {
    const { cfg, params } = model('gru', 1, 1);
    const one = example(3);
    const two: Seq2SeqBatch = {
      source: { shape: [2, S], data: Int32Array.from([...one.source.data, ...one.source.data]) },
      sourceLengths: Int32Array.of(3, 3),
      decoderInputs: { shape: [2, U + 1], data: Int32Array.from([...one.decoderInputs.data, ...one.decoderInputs.data]) },
      targets: { shape: [2, U + 1], data: Int32Array.from([...one.targets.data, ...one.targets.data]) },
      targetLengths: Int32Array.of(U, U),
    };
    expect(() => seq2seqOutputReach(cfg, params, two, TF)).toThrow(/the seq2seq walk takes one example \(B = 1\), got B = 2/);
    expect(() => seq2seqWalk(cfg, params, one, TF, { onlyOutput: U })).toThrow(/onlyOutput: row 5 is not an output row in 0..4/);
  });
});
