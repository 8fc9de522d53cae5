/** The key under a chart: one swatch and name per curve. */

/** One legend entry. */
export interface LegendItem {
  /** What the curve is, e.g. "Validation" or "rnn_tanh → lstm". */
  label: string;
  /** A CSS colour, or a theme custom property such as `--color-train`. */
  color: string;
  /** How the swatch looks: a line, a faint line, dots, a dashed line, or an earlier run's faint line. */
  swatch: 'line' | 'faint' | 'points' | 'dashed' | 'ghost';
}

/** Props of {@link ChartLegend}. */
export interface ChartLegendProps {
  items: LegendItem[];
}

/** A CSS colour value from a colour or a custom property name. */
export function cssColor(color: string): string {
  return color.startsWith('--') ? `var(${color})` : color;
}

/** The legend as a list. */
export function ChartLegend({ items }: ChartLegendProps) {
  return (
    <ul className="chart-legend">
      {items.map((item, i) => (
        <li key={i}>
          <span className={`chart-swatch chart-swatch-${item.swatch}`} style={{ color: cssColor(item.color) }} aria-hidden="true" />
          {item.label}
        </li>
      ))}
    </ul>
  );
}
