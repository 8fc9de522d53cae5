/**
 * Curves as the charts read them, and the two passes every redraw makes over them:
 * exponential smoothing (kept incrementally, since runs only grow) and min/max
 * downsampling per pixel column (so drawing costs O(width) however long the run).
 */

/** One curve: x = optimizer step, y = value; parallel arrays, steps ascending (the store's `Series`). */
export interface Series {
  readonly step: ArrayLike<number>;
  readonly value: ArrayLike<number>;
}

/** A series the helpers build: plain growable arrays. */
export interface PointList {
  step: number[];
  value: number[];
}

/** Which values a chart can draw: finite ones, and on a log axis only positive ones. */
export type Drawable = (v: number) => boolean;

/** Finite values (a linear axis). */
export const finite: Drawable = (v) => Number.isFinite(v);
/** Finite positive values (a log axis). */
export const finitePositive: Drawable = (v) => Number.isFinite(v) && v > 0;

/**
 * The points of `s` that a line through `width` pixel columns shows: for each column, the
 * first, lowest, highest and last drawable point in step order (M4 aggregation), so the
 * drawn line and its envelope match the full series pixel for pixel. Non-drawable values
 * are skipped. `toPixel` maps a step to a column coordinate; points outside [0, width) clamp
 * to the edge columns. The result has at most 4 * width points.
 */
export function downsampleMinMax(s: Series, toPixel: (step: number) => number, width: number, drawable: Drawable): PointList {
  const out: PointList = { step: [], value: [] };
  const n = s.step.length;
  const columns = Math.max(1, Math.ceil(width));
  let column = -1;
  let first = -1;
  let lo = -1;
  let hi = -1;
  let last = -1;
  const flush = () => {
    if (first < 0) return;
    // The four indices in step order, each once.
    const picks = [first, lo, hi, last].sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) {
      if (k > 0 && picks[k] === picks[k - 1]) continue;
      out.step.push(s.step[picks[k]]);
      out.value.push(s.value[picks[k]]);
    }
  };
  for (let i = 0; i < n; i++) {
    const v = s.value[i];
    if (!drawable(v)) continue;
    const c = Math.min(columns - 1, Math.max(0, Math.floor(toPixel(s.step[i]))));
    if (c !== column) {
      flush();
      column = c;
      first = lo = hi = last = i;
      continue;
    }
    if (v < s.value[lo]) lo = i;
    if (v > s.value[hi]) hi = i;
    last = i;
  }
  flush();
  return out;
}

/**
 * Exponential moving average with TensorBoard's debiasing, kept up to date as a series grows:
 *   m_k = w m_{k-1} + (1 - w) v_k,   smoothed_k = m_k / (1 - w^k)
 * over the drawable values only (a non-finite value gets NaN and leaves the average alone).
 * A series that no longer holds the last point smoothed (cleared for a new run, perhaps
 * refilled since) is smoothed again from the start.
 */
export class Smoother {
  /** The smoothed curve, same steps as the source. */
  readonly smoothed: PointList = { step: [], value: [] };
  private mean = 0;
  private count = 0;
  /** The source's last point consumed, to notice a series that was cleared and refilled. */
  private lastStep = Number.NaN;
  private lastValue = Number.NaN;

  /** `weight` in [0, 1): 0 is no smoothing, 0.99 is heavy. */
  constructor(readonly weight: number) {
    if (!(weight >= 0 && weight < 1)) throw new RangeError(`Smoother: weight must be in [0, 1), got ${weight}`);
  }

  /** Extends the smoothed curve to the end of `s` and returns it. */
  update(s: Series): PointList {
    const n = s.step.length;
    const done = this.smoothed.step.length;
    if (done > 0 && (n < done || s.step[done - 1] !== this.lastStep || !Object.is(s.value[done - 1], this.lastValue))) this.reset();
    for (let i = this.smoothed.step.length; i < n; i++) {
      const v = s.value[i];
      let y = Number.NaN;
      if (Number.isFinite(v)) {
        this.mean = this.weight * this.mean + (1 - this.weight) * v;
        this.count++;
        y = this.mean / (1 - this.weight ** this.count);
      }
      this.smoothed.step.push(s.step[i]);
      this.smoothed.value.push(y);
      this.lastStep = s.step[i];
      this.lastValue = v;
    }
    return this.smoothed;
  }

  private reset(): void {
    this.smoothed.step.length = 0;
    this.smoothed.value.length = 0;
    this.mean = 0;
    this.count = 0;
  }
}
