/**
 * The network views' colour scales, built on the playground's palette (src/viz/palette.ts):
 * RdBu for signed values (red negative, blue positive, near-white zero), viridis for
 * magnitudes and gates in [0, 1], grey for non-finite values, Okabe-Ito for overlaid runs.
 * What is added here: scales that accept an all-zero extent (a layer the gradient never
 * reached), a log magnitude scale, and colour parsing for canvas pixels. Theme colours (text,
 * lines, focus) are CSS variables of src/ui/theme.css, read in network.css.
 */
import { color, interpolateViridis } from 'd3';
import { diverging, ghostColor, maxAbs, MISSING_COLOR, sequential } from '../../viz/palette.ts';

/** What a non-finite value is drawn as. */
export const MISSING = MISSING_COLOR;

/** A colour for signed values in [-m, m] (m = 1 when the extent is zero or not finite). */
export function signedColor(m: number): (v: number) => string {
  return diverging(m > 0 && Number.isFinite(m) ? m : 1);
}

/** A colour for values in [lo, hi] on viridis (dark purple at lo, yellow at hi), clamped. */
export function magnitudeColor(lo: number, hi: number): (v: number) => string {
  const scale = sequential(hi > lo ? hi - lo : 1);
  return (v) => scale(v - lo);
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
export const maxAbsFinite = maxAbs;

/** A CSS colour as [r, g, b] bytes, for writing canvas pixels. */
export function rgbBytes(css: string): [number, number, number] {
  const c = color(css)?.rgb();
  if (!c) throw new Error(`not a colour: ${css}`);
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

/** n colours for overlaid runs' curves: the palette's ghost colours, never the current run's. */
export function ghostColors(n: number): string[] {
  return Array.from({ length: n }, (_, i) => ghostColor(i));
}
