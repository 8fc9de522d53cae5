/**
 * The network views' colour scales, in one place: ColorBrewer's RdBu for signed values
 * (red negative, blue positive, white zero) and viridis for magnitudes and gates in [0, 1],
 * with a neutral grey for non-finite values: the same choices as the playground's palette.
 * Theme colours (text, lines, focus) are CSS variables of src/ui/theme.css, read in network.css.
 */
import { color, interpolateRdBu, interpolateViridis } from 'd3';

/** What a non-finite value is drawn as. */
export const MISSING = '#888888';

/** A colour for signed values in [-maxAbs, maxAbs]: red below zero, near-white at zero, blue above. */
export function signedColor(maxAbs: number): (v: number) => string {
  const m = maxAbs > 0 && Number.isFinite(maxAbs) ? maxAbs : 1;
  return (v) => (Number.isFinite(v) ? interpolateRdBu(Math.min(1, Math.max(0, 0.5 + v / (2 * m)))) : MISSING);
}

/** A colour for values in [lo, hi] on viridis (dark purple at lo, yellow at hi), clamped. */
export function magnitudeColor(lo: number, hi: number): (v: number) => string {
  const span = hi > lo ? hi - lo : 1;
  return (v) => (Number.isFinite(v) ? interpolateViridis(Math.min(1, Math.max(0, (v - lo) / span))) : MISSING);
}

/**
 * A colour for positive magnitudes on a log scale from hi / 10^decades to hi (how gradients
 * vanish is a matter of orders of magnitude); zero and below draw as the scale's bottom.
 */
export function logMagnitudeColor(hi: number, decades: number): (v: number) => string {
  const top = Math.log10(hi > 0 && Number.isFinite(hi) ? hi : 1);
  return (v) => {
    if (Number.isNaN(v) || v === Infinity) return MISSING;
    const t = v > 0 ? 1 + (Math.log10(v) - top) / decades : 0;
    return interpolateViridis(Math.min(1, Math.max(0, t)));
  };
}

/** The largest |v| over the finite values (0 when none). */
export function maxAbsFinite(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}

/** A CSS colour as [r, g, b] bytes, for writing canvas pixels. */
export function rgbBytes(css: string): [number, number, number] {
  const c = color(css)?.rgb();
  if (!c) throw new Error(`not a colour: ${css}`);
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

/** Colours of overlaid runs' curves: Okabe and Ito's, without the current run's blue. */
const OVERLAY = ['#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

/** n colours for overlaid curves, cycling. */
export function ghostColors(n: number): string[] {
  return Array.from({ length: n }, (_, i) => OVERLAY[i % OVERLAY.length]);
}
