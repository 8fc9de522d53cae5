/** A colour bar with its end values, for the network views' scales. */
import { useId } from 'react';
import { logMagnitudeColor, magnitudeColor } from './colors.ts';
import { formatNumber } from './format.ts';

/** Props of {@link ColorLegend}. */
export interface ColorLegendProps {
  /** What the colour measures, e.g. "‖h_t‖". */
  label: string;
  /** Colour at position s in [0, 1] along the bar. */
  colorAt: (s: number) => string;
  /** Values at the bar's two ends. */
  lo: number;
  hi: number;
  /** Where to draw it (the top-left corner, in the parent SVG's units). */
  x: number;
  y: number;
  /** Bar width in pixels. */
  width?: number;
  /** Notes after the end value, e.g. "log scale". */
  note?: string;
}

/** Room for the label before the low end's value. */
const LABEL = 76;

/** Label, bar and end values in one line of SVG. */
export function ColorLegend({ label, colorAt, lo, hi, x, y, width = 120, note }: ColorLegendProps) {
  const id = useId();
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  return (
    <g className="nv-legend" transform={`translate(${x},${y})`}>
      <defs>
        <linearGradient id={id}>
          {stops.map((s) => (
            <stop key={s} offset={s} stopColor={colorAt(s)} />
          ))}
        </linearGradient>
      </defs>
      <text x={0} y={10}>
        {label}
      </text>
      <text x={LABEL + 56} y={10} textAnchor="end">
        {formatNumber(lo)}
      </text>
      <rect x={LABEL + 60} y={2} width={width} height={9} fill={`url(#${id})`} />
      <text x={LABEL + 64 + width} y={10}>
        {formatNumber(hi)}
      </text>
      {/* The note under the bar, so the legend ends at the top value and leaves room for captions on its right. */}
      {note && (
        <text className="nv-legend-note" x={LABEL + 60 + width / 2} y={22} textAnchor="middle">
          {note}
        </text>
      )}
    </g>
  );
}

/**
 * A graph's node-colour legend: ‖h‖ from 0 to `hi` (forward view), or the gradient's norm on a log scale over `decades`
 * decades below `hi` (backward view), in the colours the graph's nodes use.
 */
export function NormLegend({ view, hi, decades, labels, x, y }: { view: 'forward' | 'backward'; hi: number; decades: number; labels: [forward: string, backward: string]; x: number; y: number }) {
  const forward = view === 'forward';
  const linear = magnitudeColor(0, hi);
  const log = logMagnitudeColor(hi, decades);
  return (
    <ColorLegend
      label={forward ? labels[0] : labels[1]}
      colorAt={forward ? (s) => linear(s * hi) : (s) => log(hi * 10 ** ((s - 1) * decades))}
      lo={forward ? 0 : hi * 10 ** -decades}
      hi={hi}
      note={forward ? undefined : 'log scale'}
      x={x}
      y={y}
    />
  );
}
