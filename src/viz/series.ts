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

/** Points summarised by the pyramid's finest stored level: 2^3 = 8 (finer levels are read from the series). */
const BASE_LEVEL = 3;

/**
 * A growing series' min/max pyramid, so that {@link downsampleMinMax}'s answer costs
 * O(width · levels) instead of O(n): bucket j of level k summarises points
 * [j·2^k, (j+1)·2^k) by the indices of their first, lowest, highest and last drawable values.
 * A bucket that falls inside one pixel column stands for its points; one that straddles a
 * column boundary is split into its halves, down to single points, so the result equals
 * downsampleMinMax's exactly. Appending is amortised O(1) per point; like {@link Smoother},
 * a series that no longer holds the last point seen is summarised again from the start.
 */
export class MinMaxPyramid {
  /** levels[k - BASE_LEVEL]: per complete bucket of 2^k points, four indices (first, lo, hi, last; -1 when none is drawable). */
  private levels: number[][] = [];
  private seen = 0;
  private lastStep = Number.NaN;
  private lastValue = Number.NaN;
  private series: Series = { step: [], value: [] };

  constructor(readonly drawable: Drawable) {}

  /** Takes in the points added to `s` since the last call. */
  update(s: Series): void {
    const n = s.step.length;
    const done = this.seen;
    if (s !== this.series || (done > 0 && (n < done || s.step[done - 1] !== this.lastStep || !Object.is(s.value[done - 1], this.lastValue)))) {
      this.levels = [];
      this.seen = 0;
      this.series = s;
    }
    const base = 1 << BASE_LEVEL;
    for (let start = (this.levels[0]?.length ?? 0) * (base / 4); start + base <= n; start += base) {
      this.push(0, this.scan(start, start + base));
    }
    this.seen = n;
    if (n > 0) {
      this.lastStep = s.step[n - 1];
      this.lastValue = s.value[n - 1];
    }
  }

  /** What downsampleMinMax(series, toPixel, width, drawable) returns, from the pyramid. */
  downsample(toPixel: (step: number) => number, width: number): PointList {
    const s = this.series;
    const n = this.seen;
    const columns = Math.max(1, Math.ceil(width));
    const columnOf = (i: number) => Math.min(columns - 1, Math.max(0, Math.floor(toPixel(s.step[i]))));
    const m4 = new ColumnAccumulator(s);
    const points = (start: number, end: number) => {
      for (let i = start; i < end; i++) if (this.drawable(s.value[i])) m4.add(i, columnOf(i));
    };
    // Bucket j of stored level L: whole if inside one column, else its halves (points below level 0).
    const visit = (L: number, j: number): void => {
      const size = 1 << (L + BASE_LEVEL);
      const start = j * size;
      const end = Math.min(n, start + size);
      if (start >= end) return;
      const b = this.levels[L];
      const column = b && 4 * j < b.length ? columnOf(start) : -1;
      if (column >= 0 && column === columnOf(end - 1)) {
        if (b[4 * j] >= 0) m4.addBucket(b[4 * j], b[4 * j + 1], b[4 * j + 2], b[4 * j + 3], column);
      } else if (L === 0) {
        points(start, end);
      } else {
        visit(L - 1, 2 * j);
        visit(L - 1, 2 * j + 1);
      }
    };
    // Start from the coarsest level that still has a bucket per column.
    let top = Math.max(0, this.levels.length - 1);
    while (top > 0 && this.levels[top].length / 4 < columns) top--;
    const topSize = 1 << (top + BASE_LEVEL);
    for (let j = 0; j * topSize < n; j++) visit(top, j);
    return m4.finish();
  }

  /** The four indices of points [start, end) of the series. */
  private scan(start: number, end: number): [number, number, number, number] {
    const { value } = this.series;
    let first = -1;
    let lo = -1;
    let hi = -1;
    let last = -1;
    for (let i = start; i < end; i++) {
      const v = value[i];
      if (!this.drawable(v)) continue;
      if (first < 0) first = lo = hi = i;
      if (v < value[lo]) lo = i;
      if (v > value[hi]) hi = i;
      last = i;
    }
    return [first, lo, hi, last];
  }

  /** Appends a bucket at a level and, when it completes a pair, their parent one level up. */
  private push(level: number, b: readonly number[]): void {
    const out = (this.levels[level] ??= []);
    out.push(...b);
    const count = out.length / 4;
    if (count % 2 === 1) return;
    const { value } = this.series;
    const [a0, a1, a2, a3, b0, b1, b2, b3] = out.slice(out.length - 8);
    if (a0 < 0) return this.push(level + 1, [b0, b1, b2, b3]);
    if (b0 < 0) return this.push(level + 1, [a0, a1, a2, a3]);
    this.push(level + 1, [a0, value[b1] < value[a1] ? b1 : a1, value[b2] > value[a2] ? b2 : a2, b3]);
  }
}

/** M4 per pixel column over candidate points fed in index order (what downsampleMinMax does inline). */
class ColumnAccumulator {
  private readonly out: PointList = { step: [], value: [] };
  private column = -1;
  private first = -1;
  private lo = -1;
  private hi = -1;
  private last = -1;
  private loValue = Infinity;
  private hiValue = -Infinity;

  constructor(private readonly s: Series) {}

  /** Feeds a run of points inside one column by its first, lowest, highest and last indices (all drawable). */
  addBucket(first: number, lo: number, hi: number, last: number, column: number): void {
    for (const i of [first, lo, hi, last].sort((a, b) => a - b)) this.add(i, column);
  }

  /** The chosen points, in index order. */
  finish(): PointList {
    this.flush();
    return this.out;
  }

  /** Feeds one drawable point and its column. */
  add(i: number, c: number): void {
    const v = this.s.value[i];
    if (c !== this.column) {
      this.flush();
      this.column = c;
      this.first = this.lo = this.hi = this.last = i;
      this.loValue = this.hiValue = v;
      return;
    }
    if (v < this.loValue) [this.lo, this.loValue] = [i, v];
    if (v > this.hiValue) [this.hi, this.hiValue] = [i, v];
    if (i > this.last) this.last = i;
  }

  private flush(): void {
    if (this.first < 0) return;
    const picks = [this.first, this.lo, this.hi, this.last].sort((a, b) => a - b);
    for (let k = 0; k < picks.length; k++) {
      if (k > 0 && picks[k] === picks[k - 1]) continue;
      this.out.step.push(this.s.step[picks[k]]);
      this.out.value.push(this.s.value[picks[k]]);
    }
  }
}

/** The index of the point whose step is nearest `step` (the earlier on a tie), in ascending steps; -1 when empty. */
export function nearestIndex(steps: ArrayLike<number>, step: number): number {
  const n = steps.length;
  if (n === 0) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] < step) lo = mid + 1;
    else hi = mid;
  }
  // lo is the first step >= `step` (or the last point); its left neighbour may be nearer.
  return lo > 0 && step - steps[lo - 1] <= steps[lo] - step ? lo - 1 : lo;
}
