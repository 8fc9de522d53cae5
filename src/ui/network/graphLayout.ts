/**
 * Where truncated BPTT cuts the gradient, in time, for the unrolled graph and the stepper.
 * The engine processes direction 0 at t = 0..T-1 and direction 1 at t = T-1..0; with window
 * k it cuts the gradient into the previous processed step at processing index p whenever
 * p > 0 and p % k == 0 (src/engine/network.ts). A boundary b means "between step b-1 and step b".
 * With Jordan output feedback (lectures 000, 001) the output y_{t-1} also feeds the cell at t.
 */
import type { OutputMode } from '../../engine/model.ts';

/** The model's shape as the unrolled graph draws it. */
export interface GraphShape {
  /** Stacked recurrent layers. */
  layers: number;
  /** Whether each layer has a reverse direction (drawn as a second row). */
  bidirectional: boolean;
  /** Sequence length. */
  T: number;
  /** Outputs at every step (`sequence`) or only at the last (`last`, many-to-one). */
  outputMode: OutputMode;
  /** Truncated BPTT window k (T or more: full BPTT). */
  window: number;
  /** Jordan output feedback: y_{t-1} feeds h_t; absent without it. */
  feedback?: GraphFeedback;
}

/** How a Jordan network feeds its outputs back (one layer, one direction, an output per step). */
export interface GraphFeedback {
  /** The target y*_{t-1} is fed instead of y_{t-1}: no gradient flows back along the edge. */
  teacherForcing: boolean;
  /** The layer has W_hh (false, the pure Jordan network: no recurrent edges). */
  recurrent: boolean;
}

/** The steps t whose feedback edge y_{t-1} → h_t has both ends among the visible steps [start, end). */
export function feedbackSteps(shape: GraphShape, start: number, end: number): number[] {
  if (!shape.feedback) return [];
  const first = Math.max(1, start + 1);
  return Array.from({ length: Math.max(0, end - first) }, (_, i) => first + i);
}

/** Time of processing index p in direction dir. */
function timeAt(dir: number, p: number, T: number): number {
  return dir === 0 ? p : T - 1 - p;
}

/** The boundaries where the window cuts direction dir's gradient, ascending. */
export function cutBoundaries(T: number, k: number, dir: number): number[] {
  const out: number[] = [];
  for (let p = k; p < T; p += k) out.push(dir === 0 ? p : T - p);
  return out.sort((a, b) => a - b);
}

/** Direction dir's windows as time spans [start, end), in processing order. */
export function windowSpans(T: number, k: number, dir: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < T; p += k) {
    const a = timeAt(dir, p, T);
    const b = timeAt(dir, Math.min(p + k, T) - 1, T);
    out.push([Math.min(a, b), Math.max(a, b) + 1]);
  }
  return out;
}

/** Rows of the graph from bottom to top: one per (layer, direction), index layer * D + dir. */
export function graphRows(shape: GraphShape): { layer: number; dir: number }[] {
  const D = shape.bidirectional ? 2 : 1;
  return Array.from({ length: shape.layers * D }, (_, i) => ({ layer: Math.floor(i / D), dir: i % D }));
}

/** Checks a shape and names the first problem. */
export function checkShape(shape: GraphShape): void {
  const { layers, T, window } = shape;
  if (!Number.isInteger(layers) || layers < 1) throw new RangeError(`UnrolledGraph: layers must be an integer ≥ 1, got ${layers}`);
  if (!Number.isInteger(T) || T < 1) throw new RangeError(`UnrolledGraph: T must be an integer ≥ 1, got ${T}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`UnrolledGraph: window must be an integer ≥ 1, got ${window}`);
  if (shape.feedback && (layers !== 1 || shape.bidirectional || shape.outputMode !== 'sequence')) {
    throw new RangeError('UnrolledGraph: output feedback needs one layer, one direction and an output at every step');
  }
}
