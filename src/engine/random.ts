/**
 * Seeded random numbers, so a seed reproduces a run bit for bit.
 * mulberry32: a 32-bit state, small, fast, and good enough for initialization and data.
 */

/** A seeded generator of uniform numbers in [0, 1). */
export type Random = () => number;

/** Creates a seeded uniform generator on [0, 1). */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform on [lo, hi). */
export function uniform(rand: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * rand();
}

/** Standard normal by Box-Muller. */
export function normal(rand: Random): number {
  const u = 1 - rand(); // (0, 1]: log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
