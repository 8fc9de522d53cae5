/** The palettes: diverging symmetric about zero, categorical distinct and cycling, sequential monotone. */
import { describe, expect, test } from 'vitest';
import { color, lab } from 'd3';
import { categorical, CATEGORICAL, diverging, divergingPosition, ghostColor, maxAbs, MISSING_COLOR, sequential } from '../../src/viz/palette.ts';

/** Perceived lightness (CIELAB L*) of a CSS colour. */
const lightness = (c: string) => lab(color(c)!).l;

describe('diverging', () => {
  test('positions are mirrored about 0.5 for +v and -v, 0 sits in the middle, beyond maxAbs clamps', () => {
    for (const v of [0, 0.1, 0.5, 1.7, 2]) {
      expect(divergingPosition(v, 2) + divergingPosition(-v, 2)).toBeCloseTo(1, 12);
    }
    expect(divergingPosition(0, 2)).toBe(0.5);
    expect(divergingPosition(1, 2)).toBe(0.75);
    expect(divergingPosition(-2, 2)).toBe(0);
    expect(divergingPosition(5, 2)).toBe(1);
    expect(divergingPosition(-5, 2)).toBe(0);
  });

  test('zero is the lightest colour, the ends are darker and of different hue (red below, blue above)', () => {
    const d = diverging(1);
    expect(lightness(d(0))).toBeGreaterThan(lightness(d(0.8)));
    expect(lightness(d(0))).toBeGreaterThan(lightness(d(-0.8)));
    const neg = color(d(-1))!.rgb();
    const pos = color(d(1))!.rgb();
    expect(neg.r).toBeGreaterThan(neg.b);
    expect(pos.b).toBeGreaterThan(pos.r);
    // Equal magnitudes, equal lightness (a symmetric scale).
    expect(lightness(d(0.6))).toBeCloseTo(lightness(d(-0.6)), -1);
  });

  test('non-finite values get the missing colour; a non-positive maxAbs is refused', () => {
    expect(diverging(1)(Number.NaN)).toBe(MISSING_COLOR);
    expect(() => diverging(0)).toThrow(/maxAbs must be positive/);
  });
});

describe('categorical', () => {
  test('distinct colours, cycling past the end; ghosts avoid the two current-run colours', () => {
    expect(new Set(CATEGORICAL).size).toBe(CATEGORICAL.length);
    expect(categorical(CATEGORICAL.length)).toBe(categorical(0));
    for (let i = 0; i < 10; i++) expect([categorical(0), categorical(1)]).not.toContain(ghostColor(i));
    expect(() => categorical(-1)).toThrow(/non-negative integer/);
  });
});

describe('sequential', () => {
  test('lightness rises with magnitude and clamps at max', () => {
    const s = sequential(10);
    const ls = [0, 2.5, 5, 7.5, 10].map((v) => lightness(s(v)));
    for (let i = 1; i < ls.length; i++) expect(ls[i]).toBeGreaterThan(ls[i - 1]);
    expect(s(20)).toBe(s(10));
  });

  test('maxAbs ignores non-finite values', () => {
    expect(maxAbs([1, -3, Number.NaN, -Infinity, 2])).toBe(3);
    expect(maxAbs([])).toBe(0);
  });
});
