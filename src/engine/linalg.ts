/**
 * The three products BPTT needs, on row-major Float64Array views. W is (rows, cols).
 *   affine:     y = W x + b            forward projection
 *   addMatTVec: dx += Wᵀ dy            gradient into the input of a projection
 *   addOuter:   dW += dy xᵀ            gradient into the weights (accumulated with +=)
 */

/** y[0..rows) = W x + b (b optional). */
export function affine(y: Float64Array, W: Float64Array, x: Float64Array, b: Float64Array | null, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let s = b ? b[r] : 0;
    const o = r * cols;
    for (let k = 0; k < cols; k++) s += W[o + k] * x[k];
    y[r] = s;
  }
}

/** dx[0..cols) += Wᵀ dy. */
export function addMatTVec(dx: Float64Array, W: Float64Array, dy: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const g = dy[r];
    if (g === 0) continue;
    const o = r * cols;
    for (let k = 0; k < cols; k++) dx[k] += W[o + k] * g;
  }
}

/** dW += dy xᵀ and, when db is given, db += dy. */
export function addOuter(dW: Float64Array, db: Float64Array | null, dy: Float64Array, x: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const g = dy[r];
    if (db) db[r] += g;
    if (g === 0) continue;
    const o = r * cols;
    for (let k = 0; k < cols; k++) dW[o + k] += g * x[k];
  }
}
