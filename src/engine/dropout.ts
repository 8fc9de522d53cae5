/**
 * Dropout between stacked layers (PyTorch's nn.LSTM(dropout=p)): during training each element
 * of a layer's output, except the last layer's, is zeroed with probability p and the rest
 * scaled by 1/(1-p); the gradient goes through the same mask. The mask is a counter-based
 * hash of (seed, layer, element), so the CPU and the GPU (shaders/dropout.wgsl, the same
 * integer arithmetic) drop exactly the same units without sharing any state.
 */

/** Dropout for one training step: the probability and this step's seed. */
export interface Dropout {
  p: number;
  seed: number;
}

/** lowbias32 (C. Wellons): a well-mixed 32-bit integer hash. */
export function hash32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Elements whose 24-bit draw falls below this are dropped: ceil(p·2²⁴), an integer both sides compare exactly. */
export function dropThreshold(p: number): number {
  return Math.ceil(p * 16777216);
}

/** The multiplier of element `index` of layer `layer`'s output: 0, or 1/(1-p) when kept. */
export function dropoutScale(d: Dropout, layer: number, index: number): number {
  const draw = hash32((d.seed ^ hash32((layer ^ hash32(index)) >>> 0)) >>> 0) >>> 8; // uniform on [0, 2²⁴)
  return draw < dropThreshold(d.p) ? 0 : 1 / (1 - d.p);
}

/** Checks a dropout probability. */
export function checkDropout(d: Dropout): void {
  if (!(d.p >= 0 && d.p < 1)) throw new RangeError(`dropout must be in [0, 1), got ${d.p}`);
  if (!Number.isInteger(d.seed) || d.seed < 0 || d.seed > 0xffffffff) throw new RangeError(`dropout seed must be a 32-bit unsigned integer, got ${d.seed}`);
}
