/** largestSingularValue against matrices whose singular values are known. */
import { describe, expect, test } from 'vitest';
import { largestSingularValue } from '../../src/engine/spectral.ts';

describe('largestSingularValue', () => {
  test('diagonal 3x3 (3, -5, 2): 5', () => {
    expect(largestSingularValue([3, 0, 0, 0, -5, 0, 0, 0, 2], 3, 3)).toBeCloseTo(5, 9);
  });

  test('rotation times 0.9 (2x2): 0.9, under 1 so a gradient through it shrinks', () => {
    const a = 0.7;
    const w = [0.9 * Math.cos(a), -0.9 * Math.sin(a), 0.9 * Math.sin(a), 0.9 * Math.cos(a)];
    expect(largestSingularValue(w, 2, 2)).toBeCloseTo(0.9, 9);
  });

  test('rank one u vᵀ (4x3): ‖u‖‖v‖; a zero matrix gives 0', () => {
    const u = [1, 2, -1, 0.5];
    const v = [3, -1, 2];
    const w = u.flatMap((ui) => v.map((vj) => ui * vj));
    const expected = Math.hypot(...u) * Math.hypot(...v);
    expect(largestSingularValue(w, 4, 3)).toBeCloseTo(expected, 9);
    expect(largestSingularValue(new Float64Array(6), 2, 3)).toBe(0);
  });

  test('random 6x4: no vector is stretched by more than σ_max, and ‖W‖_F / 2 ≤ σ_max ≤ ‖W‖_F (rank ≤ 4)', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const w = Array.from({ length: 24 }, rand);
    const sigma = largestSingularValue(w, 6, 4);
    // No unit vector is stretched more than σ_max: try many.
    for (let k = 0; k < 200; k++) {
      const x = Array.from({ length: 4 }, rand);
      const n = Math.hypot(...x);
      const wx = Array.from({ length: 6 }, (_, i) => x.reduce((s, xj, j) => s + w[i * 4 + j] * xj, 0));
      expect(Math.hypot(...wx) / n).toBeLessThanOrEqual(sigma * (1 + 1e-9));
    }
    // And the Frobenius norm bounds it from above, σ_max ≥ ‖W‖_F / √rank.
    const frob = Math.hypot(...w);
    expect(sigma).toBeLessThanOrEqual(frob);
    expect(sigma).toBeGreaterThanOrEqual(frob / 2);
  });

  test('bad sizes are refused by name', () => {
    expect(() => largestSingularValue([1, 2, 3], 2, 2)).toThrow(/2 x 2 matrix has 4 entries, got 3/);
    expect(() => largestSingularValue([], 0, 2)).toThrow(/positive integer sizes/);
  });
});
