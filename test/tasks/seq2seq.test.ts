/** Sequence to sequence: targets by hand, the padded layout, seeding, and whole-sequence accuracy. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { initSeq2SeqParams, seq2seqLossAndGrads } from '../../src/engine/seq2seq.ts';
import { metricValue } from '../../src/tasks/index.ts';
import { SEQ2SEQ_VOCABULARY, seq2seqModel, seq2seqTarget, seq2seqTask } from '../../src/tasks/seq2seq.ts';
import type { Seq2SeqBatch } from '../../src/tasks/types.ts';

/** Hash of a batch's bytes. */
const hash = (b: Seq2SeqBatch) =>
  createHash('sha256')
    .update(new Uint8Array(b.source.data.buffer))
    .update(new Uint8Array(b.targets.data.buffer))
    .update(new Uint8Array(b.decoderInputs.data.buffer))
    .digest('hex');

/** Logits (B, U, V) of 10 on each target token. */
function perfect(b: Seq2SeqBatch): { shape: number[]; data: Float64Array } {
  const [B, U] = b.targets.shape;
  const V = SEQ2SEQ_VOCABULARY.length;
  const data = new Float64Array(B * U * V);
  for (let n = 0; n < B * U; n++) data[n * V + b.targets.data[n]] = 10;
  return { shape: [B, U, V], data };
}

describe('seq2seq', () => {
  test('targets by hand for 3 1 3 2', () => {
    expect(seq2seqTarget('reverse', [3, 1, 3, 2])).toEqual([2, 3, 1, 3]);
    expect(seq2seqTarget('sort', [3, 1, 3, 2])).toEqual([1, 2, 3, 3]);
    expect(seq2seqTarget('sort-distinct', [3, 1, 3, 2])).toEqual([1, 2, 3]);
  });

  test('layout: padded source; decoder input <s> then the target; target then </s>; lengths differ', () => {
    const data = seq2seqTask.create({ operation: 'sort-distinct', minLength: 2, maxLength: 6 }, 4);
    expect(data.needs).toEqual({ vocabulary: SEQ2SEQ_VOCABULARY, sourceLength: 6, targetLength: 7 });
    const b = data.trainBatch(0, 16);
    const lengths = new Set<number>();
    for (let r = 0; r < 16; r++) {
      const n = b.sourceLengths[r];
      lengths.add(n);
      const src = Array.from(b.source.data.subarray(r * 6, r * 6 + 6));
      expect(src.slice(n).every((x) => x === 0)).toBe(true);
      const digits = src.slice(0, n).map((x) => x - 3);
      const out = seq2seqTarget('sort-distinct', digits).map((d) => d + 3);
      expect(b.targetLengths[r]).toBe(out.length + 1);
      expect(Array.from(b.targets.data.subarray(r * 7, r * 7 + 7))).toEqual([...out, 2, ...Array(6 - out.length).fill(0)]);
      expect(Array.from(b.decoderInputs.data.subarray(r * 7, r * 7 + 7))).toEqual([1, ...out, ...Array(6 - out.length).fill(0)]);
    }
    expect(lengths.size).toBeGreaterThan(2);
  });

  test('same seed: identical batches; another seed or step: different; validation the same for every seed', () => {
    const a = seq2seqTask.create({}, 1);
    expect(hash(seq2seqTask.create({}, 1).trainBatch(3, 8))).toBe(hash(a.trainBatch(3, 8)));
    expect(hash(seq2seqTask.create({}, 2).trainBatch(3, 8))).not.toBe(hash(a.trainBatch(3, 8)));
    expect(hash(a.trainBatch(4, 8))).not.toBe(hash(a.trainBatch(3, 8)));
    expect(hash(seq2seqTask.create({}, 2).validation)).toBe(hash(a.validation));
  });

  test('whole-sequence accuracy: perfect is 1; a wrong symbol after </s> is ignored; one before it fails the example', () => {
    const data = seq2seqTask.create({ minLength: 2, maxLength: 4 }, 1);
    const b = data.trainBatch(0, 4);
    const logits = perfect(b);
    expect(metricValue(data.metric, logits, b)).toBe(1);
    const V = SEQ2SEQ_VOCABULARY.length;
    const U = 5;
    const shortest = Array.from(b.targetLengths).findIndex((n) => n < U);
    const after = (shortest * U + b.targetLengths[shortest]) * V;
    logits.data[after + 5] = 99;
    expect(metricValue(data.metric, logits, b)).toBe(1);
    logits.data[(1 * U) * V + 12] = 99; // example 1's first symbol becomes the digit 9
    expect(metricValue(data.metric, logits, b)).toBe(b.targets.data[1 * U] === 12 ? 1 : 3 / 4);
  });

  test('baseline: echoing the source, right only where it is already in order (palindromes for reverse)', () => {
    const data = seq2seqTask.create({ minLength: 1, maxLength: 2 }, 1);
    const v = data.validation;
    let palindromes = 0;
    for (let r = 0; r < v.sourceLengths.length; r++) {
      const [a, b] = [v.source.data[r * 2], v.source.data[r * 2 + 1]];
      if (v.sourceLengths[r] === 1 || a === b) palindromes++;
    }
    expect(data.metric.baseline.value).toBe(palindromes / v.sourceLengths.length);
  });

  test('the shortest source may not be longer than the longest', () => {
    expect(() => seq2seqTask.create({ minLength: 5, maxLength: 4 }, 1)).toThrow('The shortest source (5) must not be longer than the longest (4).');
  });

  test('engine smoke: the encoder-decoder from the needs takes a batch and gives a finite loss and a metric; what it lacks is refused', () => {
    const data = seq2seqTask.create({ minLength: 2, maxLength: 4 }, 1);
    const arch = { cell: 'lstm' as const, hiddenSize: 4, numLayers: 2, bidirectional: false };
    const cfg = seq2seqModel(data.needs, arch);
    expect(cfg).toEqual({ cell: 'lstm', hiddenSize: 4, numLayers: 2, vocabSize: SEQ2SEQ_VOCABULARY.length });
    const batch = data.trainBatch(0, 3);
    const r = seq2seqLossAndGrads(cfg, initSeq2SeqParams(cfg, 1), batch, { ratio: 0.5, seed: 1, step: 0 });
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.logits.shape).toEqual([3, 5, SEQ2SEQ_VOCABULARY.length]);
    expect(Number.isFinite(metricValue(data.metric, r.logits, batch))).toBe(true);
    expect(() => seq2seqModel(data.needs, { ...arch, bidirectional: true })).toThrow(/bidirectional/);
    expect(() => seq2seqModel(data.needs, { ...arch, lstm: { gates: { input: true, forget: true, output: true }, peepholes: true } })).toThrow(/standard LSTM/);
  });
});
