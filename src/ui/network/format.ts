/**
 * How the network views write numbers and read vectors: one format everywhere, so a value in
 * the step-through reads the same as in a tooltip, and the full-precision value rides along
 * in `data-value` for tests.
 */

/** A number in 4 significant digits: fixed between 1e-3 and 1e4, scientific outside, "0" for zero. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** Euclidean norm of `data[offset .. offset + length)`. */
export function vectorNorm(data: ArrayLike<number>, offset = 0, length = data.length - offset): number {
  let s = 0;
  for (let i = offset; i < offset + length; i++) s += data[i] * data[i];
  return Math.sqrt(s);
}

/** Row t of a (T, width) buffer. */
export function stepRow(buf: Float64Array, t: number, width: number): Float64Array {
  return buf.subarray(t * width, (t + 1) * width);
}

/** The 1-based step label the views show for 0-based time t (the lectures count t = 1..T). */
export function stepLabel(t: number): string {
  return String(t + 1);
}
