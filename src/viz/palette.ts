/**
 * The playground's colour scales, framework-free. Categories use Okabe and Ito's palette
 * (distinguishable under the common colour-vision deficiencies); signed values use
 * ColorBrewer's RdBu, centred on zero so +v and -v sit at mirrored positions (red negative,
 * blue positive, near-white zero); magnitudes use viridis, which rises monotonically in
 * lightness and stays readable in greyscale. Theme colours (background, text, curves) are
 * CSS custom properties in src/ui/theme.css; the hex values of the curves there come from
 * {@link OKABE_ITO}.
 */
import { interpolateRdBu, interpolateViridis } from 'd3';

/** Okabe and Ito's eight colours by name (Color Universal Design, 2008). */
export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/**
 * Categorical colours in order of use: Okabe-Ito without black (invisible on a dark theme)
 * and yellow (invisible on a light one), so every entry reads on both themes.
 */
export const CATEGORICAL: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
];

/** The i-th categorical colour, cycling when there are more categories than colours. */
export function categorical(i: number): string {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`categorical: index must be a non-negative integer, got ${i}`);
  return CATEGORICAL[i % CATEGORICAL.length];
}

/**
 * Colours for earlier runs drawn behind the current one: the categorical colours after the
 * two the current run's train and validation curves use, so a ghost never looks like them.
 */
export function ghostColor(i: number): string {
  return categorical(2 + (i % (CATEGORICAL.length - 2)));
}

/** What a non-finite value is drawn as on the diverging and sequential scales (a neutral grey). */
export const MISSING_COLOR = '#888888';

/**
 * Where v sits on a diverging scale symmetric around 0, as t in [0, 1]: -maxAbs -> 0,
 * 0 -> 0.5, +maxAbs -> 1, clamped beyond. NaN for a non-finite v.
 */
export function divergingPosition(v: number, maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) throw new RangeError(`diverging scale: maxAbs must be positive and finite, got ${maxAbs}`);
  if (!Number.isFinite(v)) return Number.NaN;
  return Math.min(1, Math.max(0, 0.5 + v / (2 * maxAbs)));
}

/** A colour scale for signed values in [-maxAbs, maxAbs]: red below zero, white-ish at zero, blue above. */
export function diverging(maxAbs: number): (v: number) => string {
  divergingPosition(0, maxAbs);
  return (v) => {
    const t = divergingPosition(v, maxAbs);
    return Number.isNaN(t) ? MISSING_COLOR : interpolateRdBu(t);
  };
}

/** A colour scale for magnitudes in [0, max]: viridis, dark purple at 0 to yellow at max, clamped. */
export function sequential(max: number): (v: number) => string {
  if (!(max > 0) || !Number.isFinite(max)) throw new RangeError(`sequential scale: max must be positive and finite, got ${max}`);
  return (v) => (Number.isFinite(v) ? interpolateViridis(Math.min(1, Math.max(0, v / max))) : MISSING_COLOR);
}

/** The largest |v| over finite values, for sizing a diverging scale; 0 when there are none. */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m && Number.isFinite(a)) m = a;
  }
  return m;
}
