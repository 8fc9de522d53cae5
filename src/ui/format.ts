/** Numbers as the page prints them. */

/** A loss or metric: 4 significant digits, or "—" when there is none yet. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(4);
}

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  return n.toLocaleString('en');
}
