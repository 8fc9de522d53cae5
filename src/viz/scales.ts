/**
 * The charts' scales: d3 computes them from the data's extent, with the cases a live run
 * produces handled on purpose: no data yet, a single point, values that are equal, and a
 * log axis (which shows only positive values).
 */
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3';
import type { Series } from './series.ts';

/** A value axis: linear, or logarithmic (base 10). */
export type AxisScale = 'linear' | 'log';

/** A closed interval [min, max]. */
export type Extent = readonly [number, number];

/** The steps spanned by some series (steps ascend, so first and last suffice); null when all are empty. */
export function stepExtent(series: readonly Series[]): Extent | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const n = s.step.length;
    if (n === 0) continue;
    lo = Math.min(lo, s.step[0]);
    hi = Math.max(hi, s.step[n - 1]);
  }
  return lo <= hi ? [lo, hi] : null;
}

/** The smallest and largest of the values `keep` accepts, over some series and extra values; null when none. */
export function valueExtent(series: readonly Series[], keep: (v: number) => boolean, extra: readonly number[] = []): Extent | null {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number) => {
    if (!keep(v)) return;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  };
  for (const s of series) for (let i = 0; i < s.value.length; i++) see(s.value[i]);
  extra.forEach(see);
  return lo <= hi ? [lo, hi] : null;
}

/** The x (step) scale over `extent` into [left, right]; a single step is widened to one step either side. */
export function stepScale(extent: Extent, range: Extent): ScaleContinuousNumeric<number, number> {
  const [lo, hi] = extent;
  const domain = lo === hi ? [Math.max(0, lo - 1), lo + 1] : [lo, hi];
  return scaleLinear().domain(domain).range(range);
}

/**
 * The y scale over `extent` into `range` ([bottom, top] in pixels). Linear: rounded to nice
 * ticks; a flat extent is widened by 10% of its size (or 1 at zero) each way. Log: the
 * extent must be positive (throws otherwise); it is padded by 5% of its span in log units, and a
 * flat one is widened to a factor 2 each way.
 */
export function valueScale(kind: AxisScale, extent: Extent, range: Extent): ScaleContinuousNumeric<number, number> {
  const [lo, hi] = extent;
  if (kind === 'log') {
    if (!(lo > 0)) throw new RangeError(`log scale: the extent must be positive, got [${lo}, ${hi}]`);
    // Not nice(): that would round out to whole decades and squash a curve spanning less than one.
    const [a, b] = lo === hi ? [lo / 2, hi * 2] : [lo, hi];
    const pad = (b / a) ** 0.05;
    return scaleLog().domain([a / pad, b * pad]).range(range);
  }
  const pad = lo === hi ? Math.abs(lo) * 0.1 || 1 : 0;
  return scaleLinear().domain([lo - pad, hi + pad]).range(range).nice();
}

/** Mantissas tried for log-axis ticks, sparsest first. */
const LOG_MANTISSAS = [[1], [1, 2, 5], [1, 2, 3, 5, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

/**
 * Tick values for a value axis with about `count` ticks. Linear: d3's. Log: the sparsest of
 * 1, 1-2-5, 1-2-3-5-7 or 1..9 per decade that gives at least 3 ticks in the domain (so a
 * curve spanning less than a decade still gets labels), every tick labelled.
 */
export function valueTicks(kind: AxisScale, scale: ScaleContinuousNumeric<number, number>, count: number): number[] {
  if (kind !== 'log') return scale.ticks(count);
  const [lo, hi] = scale.domain();
  let ticks: number[] = [];
  for (const mantissas of LOG_MANTISSAS) {
    const next: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const m of mantissas) {
        const t = Number((m * 10 ** e).toPrecision(12));
        if (t >= lo && t <= hi) next.push(t);
      }
    }
    if (next.length > Math.max(count, 3) + 2 && ticks.length >= 2) return ticks;
    ticks = next;
    if (ticks.length >= 3) return ticks;
  }
  return ticks;
}
