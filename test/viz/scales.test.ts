/** The charts' scales from live data: empty, single point, flat values, log axes. */
import { describe, expect, test } from 'vitest';
import { finitePositive, finite } from '../../src/viz/series.ts';
import { scaleLog } from 'd3';
import { stepExtent, stepScale, valueExtent, valueScale, valueTicks } from '../../src/viz/scales.ts';

describe('extents', () => {
  test('stepExtent spans the first and last steps of every non-empty series; null when all are empty', () => {
    expect(stepExtent([{ step: [], value: [] }])).toBeNull();
    expect(stepExtent([{ step: [3, 9], value: [1, 1] }, { step: [1, 20], value: [1, 1] }, { step: [], value: [] }])).toEqual([1, 20]);
  });

  test('valueExtent ignores what the axis cannot draw and includes extra values', () => {
    const s = { step: [0, 1, 2, 3], value: [Number.NaN, 2, -1, Infinity] };
    expect(valueExtent([s], finite)).toEqual([-1, 2]);
    expect(valueExtent([s], finitePositive)).toEqual([2, 2]);
    expect(valueExtent([s], finitePositive, [0.5])).toEqual([0.5, 2]);
    expect(valueExtent([{ step: [0], value: [0] }], finitePositive)).toBeNull();
  });
});

describe('scales', () => {
  test('a single step is widened so the point sits in the middle', () => {
    const x = stepScale([5, 5], [0, 100]);
    expect(x(5)).toBe(50);
  });

  test('step 0 alone does not widen below zero', () => {
    expect(stepScale([0, 0], [0, 100]).domain()).toEqual([0, 1]);
  });

  test('linear: a flat extent is widened and every value maps inside the range', () => {
    const y = valueScale('linear', [2, 2], [100, 0]);
    const [lo, hi] = y.domain();
    expect(lo).toBeLessThan(2);
    expect(hi).toBeGreaterThan(2);
    expect(valueScale('linear', [0, 0], [100, 0]).domain()).toEqual([-1, 1]);
  });

  test('linear: nice domain covers the data', () => {
    const [lo, hi] = valueScale('linear', [0.37, 2.71], [100, 0]).domain();
    expect(lo).toBeLessThanOrEqual(0.37);
    expect(hi).toBeGreaterThanOrEqual(2.71);
  });

  test('log: covers the extent, widens a flat one, refuses a non-positive extent', () => {
    const y = valueScale('log', [0.01, 3], [100, 0]);
    const [lo, hi] = y.domain();
    expect(lo).toBeLessThanOrEqual(0.01);
    expect(hi).toBeGreaterThanOrEqual(3);
    expect(y(0.01)).toBeLessThanOrEqual(100);
    const flat = valueScale('log', [4, 4], [100, 0]).domain();
    expect(flat[0]).toBeLessThan(4);
    expect(flat[1]).toBeGreaterThan(4);
    expect(() => valueScale('log', [0, 1], [100, 0])).toThrow(/log scale: the extent must be positive/);
  });
});

describe('valueTicks on a log axis', () => {
  const ticks = (lo: number, hi: number) => valueTicks('log', scaleLog().domain([lo, hi]).range([100, 0]), 5);

  test('several decades: one tick per decade', () => {
    expect(ticks(0.001, 10)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  test('less than a decade: 1-2-5 or finer, at least 3 ticks, all inside the domain', () => {
    expect(ticks(0.25, 2.3)).toEqual([0.5, 1, 2]);
    const narrow = ticks(0.3, 0.9);
    expect(narrow.length).toBeGreaterThanOrEqual(3);
    for (const t of narrow) expect(t >= 0.3 && t <= 0.9).toBe(true);
  });

  test('linear axes keep d3 ticks', () => {
    const y = valueScale('linear', [0, 1], [100, 0]);
    expect(valueTicks('linear', y, 5)).toEqual(y.ticks(5));
  });
});
