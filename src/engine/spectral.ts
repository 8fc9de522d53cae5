/**
 * The largest singular value of a matrix by power iteration, σ_max(W) = ‖W‖₂, for the
 * recurrent weights W_hh: the backward pass multiplies dL/dh by W_hhᵀ once per step, so
 * while σ_max(W_hh) < 1 (times the activation's slope, at most 1) the gradient shrinks
 * geometrically and can vanish, and above 1 it can grow and explode (lectures 002 and 003,
 * "vanishing and exploding gradients"). For a gated cell W_hh stacks every gate's block
 * ((G·H, H)); its σ_max bounds each block's.
 *
 *   v ← Wᵀ W v / ‖Wᵀ W v‖   repeated; σ_max = ‖W v‖ at convergence
 */

/** Options of {@link largestSingularValue}. */
export interface PowerIterationOptions {
  /** Most iterations (default 200). */
  maxIterations?: number;
  /** Stop when σ changes by less than this, relative (default 1e-10). */
  tolerance?: number;
}

/** σ_max of a (rows, cols) row-major matrix; 0 for a zero matrix. */
export function largestSingularValue(w: ArrayLike<number>, rows: number, cols: number, opts: PowerIterationOptions = {}): number {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) throw new RangeError(`a matrix needs positive integer sizes, got ${rows} x ${cols}`);
  if (w.length !== rows * cols) throw new RangeError(`a ${rows} x ${cols} matrix has ${rows * cols} entries, got ${w.length}`);
  const maxIterations = opts.maxIterations ?? 200;
  const tolerance = opts.tolerance ?? 1e-10;
  // A fixed, non-symmetric start so no singular vector is orthogonal to it by construction.
  let v = Float64Array.from({ length: cols }, (_, j) => 1 + ((j * 7919) % 13) / 13);
  const wv = new Float64Array(rows);
  let sigma = 0;
  for (let iter = 0; iter < maxIterations; iter++) {
    // wv = W v
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += w[i * cols + j] * v[j];
      wv[i] = s;
    }
    // u = Wᵀ (W v)
    const u = new Float64Array(cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) u[j] += w[i * cols + j] * wv[i];
    let vNorm = 0;
    for (let j = 0; j < cols; j++) vNorm += v[j] * v[j];
    let wvNorm = 0;
    for (let i = 0; i < rows; i++) wvNorm += wv[i] * wv[i];
    const next = Math.sqrt(wvNorm / vNorm);
    let uNorm = 0;
    for (let j = 0; j < cols; j++) uNorm += u[j] * u[j];
    uNorm = Math.sqrt(uNorm);
    if (uNorm === 0 || !Number.isFinite(uNorm)) return uNorm === 0 ? 0 : NaN;
    v = u.map((x) => x / uNorm);
    if (Math.abs(next - sigma) <= tolerance * next) return next;
    sigma = next;
  }
  return sigma;
}
