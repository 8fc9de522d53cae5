/** Downsampling per pixel column and incremental smoothing: what the loss chart draws from a run's columns. */
import { describe, expect, test } from 'vitest';
import { downsampleMinMax, finite, finitePositive, MinMaxPyramid, nearestIndex, Smoother, type PointList } from '../../src/viz/series.ts';
import { mulberry32 } from '../../src/engine/random.ts';

/** A series of n points at steps 0..n-1 with values from f. */
function series(n: number, f: (i: number) => number): PointList {
  const s: PointList = { step: [], value: [] };
  for (let i = 0; i < n; i++) {
    s.step.push(i);
    s.value.push(f(i));
  }
  return s;
}

/** Per column (floor of step * width / n): min and max of the finite values. */
function columnExtremes(s: PointList, toPixel: (step: number) => number): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  s.step.forEach((step, i) => {
    const v = s.value[i];
    if (!Number.isFinite(v)) return;
    const c = Math.floor(toPixel(step));
    const e = m.get(c);
    m.set(c, e ? [Math.min(e[0], v), Math.max(e[1], v)] : [v, v]);
  });
  return m;
}

describe('downsampleMinMax', () => {
  test('1,000,000 noisy points into 300 columns: at most 4 per column, every column keeps its min and max', () => {
    const rand = mulberry32(7);
    const n = 1_000_000;
    const s = series(n, (i) => 2 * Math.exp(-i / 2e5) + 0.3 * rand());
    const width = 300;
    const toPixel = (step: number) => (step * width) / n;
    const out = downsampleMinMax(s, toPixel, width, finite);
    expect(out.step.length).toBeLessThanOrEqual(4 * width);
    expect(out.step.length).toBeGreaterThanOrEqual(2 * width);
    expect(columnExtremes(out, toPixel)).toEqual(columnExtremes(s, toPixel));
    // Step order is kept, and the first and last points survive.
    for (let i = 1; i < out.step.length; i++) expect(out.step[i]).toBeGreaterThan(out.step[i - 1]);
    expect(out.step[0]).toBe(0);
    expect(out.step.at(-1)).toBe(n - 1);
  });

  test('non-finite values are skipped (NaN, Infinity), and on a log axis so are zero and negatives', () => {
    const s = { step: [0, 1, 2, 3, 4, 5], value: [1, Number.NaN, Infinity, 0, -2, 0.5] };
    const toPixel = (step: number) => step * 10;
    expect(downsampleMinMax(s, toPixel, 60, finite)).toEqual({ step: [0, 3, 4, 5], value: [1, 0, -2, 0.5] });
    expect(downsampleMinMax(s, toPixel, 60, finitePositive)).toEqual({ step: [0, 5], value: [1, 0.5] });
  });

  test('empty series and a single point', () => {
    expect(downsampleMinMax({ step: [], value: [] }, (s) => s, 100, finite)).toEqual({ step: [], value: [] });
    expect(downsampleMinMax({ step: [5], value: [2] }, () => 50, 100, finite)).toEqual({ step: [5], value: [2] });
  });

  test('points left or right of the plot clamp to the edge columns', () => {
    const s = { step: [0, 1, 2, 3], value: [4, 1, 3, 2] };
    // Everything maps past the right edge: one column, first/min/max/last = 4, 1, 4, 2.
    expect(downsampleMinMax(s, () => 1e9, 10, finite)).toEqual({ step: [0, 1, 3], value: [4, 1, 2] });
  });
});

describe('Smoother', () => {
  test('debiased EMA: the first value is itself, a constant stays constant', () => {
    const sm = new Smoother(0.9);
    expect(sm.update({ step: [0, 1, 2], value: [3, 3, 3] }).value).toEqual([3, 3, 3].map((v) => expect.closeTo(v, 12)));
  });

  test('matches the formula, grows incrementally as the series grows, NaN for non-finite values', () => {
    const w = 0.6;
    const s = { step: [0, 1, 2], value: [1, Number.NaN, 4] };
    const sm = new Smoother(w);
    sm.update(s);
    s.step.push(3);
    s.value.push(2);
    const got = sm.update(s).value;
    const m1 = (1 - w) * 1;
    const m2 = w * m1 + (1 - w) * 4;
    const m3 = w * m2 + (1 - w) * 2;
    expect(got[0]).toBeCloseTo(1, 12);
    expect(got[1]).toBeNaN();
    expect(got[2]).toBeCloseTo(m2 / (1 - w ** 2), 12);
    expect(got[3]).toBeCloseTo(m3 / (1 - w ** 3), 12);
  });

  test('a series cleared and refilled before the next update is smoothed from scratch', () => {
    const s = { step: [0, 1, 2], value: [10, 10, 10] };
    const sm = new Smoother(0.9);
    sm.update(s);
    s.step.length = s.value.length = 0;
    s.step.push(0, 1, 2, 3);
    s.value.push(1, 1, 1, 1);
    expect(sm.update(s).value).toEqual([1, 1, 1, 1].map((v) => expect.closeTo(v, 12)));
  });

  test('refuses a weight outside [0, 1)', () => {
    expect(() => new Smoother(1)).toThrow(/weight must be in \[0, 1\)/);
  });
});

describe('MinMaxPyramid', () => {
  /** Noisy values with NaNs, infinities, zeros and negatives sprinkled in. */
  function messy(n: number, seed: number): PointList {
    const rand = mulberry32(seed);
    return series(n, () => {
      const r = rand();
      if (r < 0.03) return Number.NaN;
      if (r < 0.04) return Infinity;
      if (r < 0.06) return -rand();
      if (r < 0.07) return 0;
      return rand() * 3;
    });
  }

  test.each([
    [0, 100],
    [5, 100],
    [8, 3],
    [1000, 7],
    [12_345, 300],
    [100_000, 1],
    [100_000, 640],
  ])('n=%i width=%i: exactly what downsampleMinMax returns, on linear and log axes', (n, width) => {
    const s = messy(n, n + width);
    const toPixel = (step: number) => (step * width) / Math.max(1, n);
    for (const drawable of [finite, finitePositive]) {
      const pyramid = new MinMaxPyramid(drawable);
      pyramid.update(s);
      expect(pyramid.downsample(toPixel, width)).toEqual(downsampleMinMax(s, toPixel, width, drawable));
    }
  });

  test('growing in uneven appends, with x scales that change as it grows, stays exact', () => {
    const all = messy(50_000, 3);
    const s: PointList = { step: [], value: [] };
    const pyramid = new MinMaxPyramid(finite);
    const rand = mulberry32(9);
    while (s.step.length < all.step.length) {
      const k = Math.min(all.step.length - s.step.length, 1 + Math.floor(rand() * 3000));
      for (let i = 0; i < k; i++) {
        s.step.push(all.step[s.step.length]);
        s.value.push(all.value[s.value.length]);
      }
      pyramid.update(s);
      const width = 50 + Math.floor(rand() * 500);
      const toPixel = (step: number) => (step * width) / s.step.length;
      expect(pyramid.downsample(toPixel, width)).toEqual(downsampleMinMax(s, toPixel, width, finite));
    }
  });

  test('a series cleared and refilled is summarised again', () => {
    const s = series(1000, (i) => i);
    const pyramid = new MinMaxPyramid(finite);
    pyramid.update(s);
    s.step.length = s.value.length = 0;
    for (let i = 0; i < 1200; i++) {
      s.step.push(i);
      s.value.push(-i);
    }
    pyramid.update(s);
    const toPixel = (step: number) => step / 10;
    expect(pyramid.downsample(toPixel, 120)).toEqual(downsampleMinMax(s, toPixel, 120, finite));
  });

  test('1,000,000 points into 600 columns maps O(width · levels) points to pixels, where a scan maps all n', () => {
    const n = 1_000_000;
    const s = series(n, (i) => Math.sin(i / 1000) + (i % 7) / 10);
    const pyramid = new MinMaxPyramid(finite);
    pyramid.update(s);
    let calls = 0;
    const toPixel = (step: number) => {
      calls++;
      return (step * 600) / n;
    };
    const out = pyramid.downsample(toPixel, 600);
    expect(calls).toBeLessThan(n / 40);
    expect(out).toEqual(downsampleMinMax(s, (step) => (step * 600) / n, 600, finite));
  });
});

describe('nearestIndex', () => {
  test('the nearest step, the earlier on a tie, clamped at both ends, -1 when empty', () => {
    const steps = [0, 10, 20, 40];
    expect(nearestIndex(steps, 12)).toBe(1);
    expect(nearestIndex(steps, 16)).toBe(2);
    expect(nearestIndex(steps, 15)).toBe(1);
    expect(nearestIndex(steps, 30)).toBe(2);
    expect(nearestIndex(steps, -5)).toBe(0);
    expect(nearestIndex(steps, 99)).toBe(3);
    expect(nearestIndex(steps, 20)).toBe(2);
    expect(nearestIndex([], 3)).toBe(-1);
  });
});
