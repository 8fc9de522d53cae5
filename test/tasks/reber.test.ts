/** Embedded Reber grammar: the generator against the checker, hand examples, padding, and the long-range step. */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/engine/random.ts';
import { metricValue } from '../../src/tasks/index.ts';
import { embeddedReberString, isEmbeddedReber, isReber, longRangeStep, REBER_VOCABULARY, reberString, reberTask } from '../../src/tasks/reber.ts';
import { perfectOutputs } from './helpers.ts';

describe('Reber grammar', () => {
  test.each(['BTSSXXTVVE', 'BPVVE', 'BTXSE', 'BPTVPSE', 'BTXXVVE'])('%s is a Reber string', (s) => expect(isReber(s)).toBe(true));
  test.each(['', 'BTE', 'TXSE', 'BTXSEE', 'BTSSXXTVE', 'BPVPE', 'BTXS'])('%j is not', (s) => expect(isReber(s)).toBe(false));
  test.each(['BTBTXSETE', 'BPBPVVEPE', 'BTBPTVPSETE'])('%s is an embedded Reber string', (s) => expect(isEmbeddedReber(s)).toBe(true));
  test.each(['BTBTXSEPE', 'BPBPVVETE', 'BTBTXSET', 'BTXSE', 'BTBTXSSETE'])('%s is not', (s) => expect(isEmbeddedReber(s)).toBe(false));

  test('1000 generated strings are valid, both branches occur, and the shortest is 9 symbols', () => {
    const rand = mulberry32(11);
    const strings = Array.from({ length: 1000 }, () => embeddedReberString(rand));
    expect(strings.every(isEmbeddedReber)).toBe(true);
    expect(new Set(strings.map((s) => s[1]))).toEqual(new Set(['T', 'P']));
    expect(Math.min(...strings.map((s) => s.length))).toBe(9);
    expect(Array.from({ length: 200 }, () => reberString(rand)).every(isReber)).toBe(true);
  });
});

describe('Reber task', () => {
  const T = 20;
  const data = reberTask.create({ T, encoding: 'embedding' }, 5);
  const batch = data.trainBatch(0, 32);
  const decode = (r: number) => Array.from(batch.tokens!.data.subarray(r * T, (r + 1) * T), (id) => REBER_VOCABULARY[id]).join('');

  test('each row is an embedded Reber string padded with _, and targets are the next symbols', () => {
    for (let r = 0; r < 32; r++) {
      const row = decode(r);
      const s = row.replace(/_+$/, '');
      expect(isEmbeddedReber(s)).toBe(true);
      const next = Array.from(batch.targets.data.subarray(r * T, (r + 1) * T), (id) => REBER_VOCABULARY[id]).join('');
      expect(next).toBe(row.slice(1) + '_');
    }
  });

  test('long-range step by hand: BTBTXSETE in T=12 predicts the penultimate T at step 6', () => {
    const ids = [...'TBTXSETE____'].map((s) => REBER_VOCABULARY.indexOf(s));
    expect(longRangeStep(ids, 0, 12)).toBe(6);
    expect(REBER_VOCABULARY[ids[6]]).toBe('T');
  });

  test('metric: 1 when the penultimate symbol is right, whatever else is wrong; 0 when it alone is wrong', () => {
    const out = perfectOutputs(batch, 8);
    const V = 8;
    for (let r = 0; r < 32; r++) {
      const step = longRangeStep(batch.targets.data, r, T);
      for (let t = 0; t < T; t++) if (t !== step) out.data.fill(0, (r * T + t) * V, (r * T + t + 1) * V);
    }
    expect(metricValue(data.metric, out, batch)).toBe(1);
    const flipped = perfectOutputs(batch, 8);
    for (let r = 0; r < 32; r++) {
      const n = r * T + longRangeStep(batch.targets.data, r, T);
      const other = REBER_VOCABULARY.indexOf(REBER_VOCABULARY[batch.targets.data[n]] === 'T' ? 'P' : 'T');
      flipped.data.fill(0, n * V, (n + 1) * V);
      flipped.data[n * V + other] = 30;
    }
    expect(metricValue(data.metric, flipped, batch)).toBe(0);
    expect(data.metric.baseline.value).toBe(0.5);
  });
});
