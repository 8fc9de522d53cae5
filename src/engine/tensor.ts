/**
 * Plain tensors: a shape and a row-major Float64Array, nothing more.
 * Layout notation used across the project: `(B, T, I)` means batch, time, feature.
 */

/** A dense row-major tensor of float64 values. */
export interface Tensor {
  shape: number[];
  data: Float64Array;
}

/** Named tensors, keyed by PyTorch `state_dict` names (a Map, so no name can touch Object.prototype). */
export type TensorMap = Map<string, Tensor>;

/** Number of elements a shape holds. */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  return { shape: [...shape], data: new Float64Array(shapeSize(shape)) };
}

/** Whether two shapes are equal. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Shape as PyTorch prints it, e.g. `[4, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Euclidean norm of a slice `data[offset .. offset + length)`. */
export function norm(data: ArrayLike<number>, offset = 0, length = data.length - offset): number {
  let s = 0;
  for (let i = offset; i < offset + length; i++) s += data[i] * data[i];
  return Math.sqrt(s);
}
