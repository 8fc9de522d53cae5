/**
 * ‖dL/dh_t‖ against t on a log scale (lecture 002, "vanishing/exploding gradients"): how much
 * of the loss's gradient reaches each step. The latest training step is drawn solid, the few
 * before it fade behind, and earlier runs can be overlaid with labels (a vanilla RNN's curve
 * falls off by orders of magnitude towards early steps where an LSTM's stays level). Zeros and
 * non-finite values (log 0, a blown-up step) leave gaps instead of breaking the scale.
 */
import { line, scaleLinear, scaleLog } from 'd3';
import { ghostColors } from './colors.ts';
import { formatNumber, stepLabel } from './format.ts';
import './network.css';

/** One training step's gradient norms, as StepMetrics carries them. */
export interface GradientSnapshot {
  /** Optimizer step. */
  step: number;
  /** Per (layer, direction), index layer * D + dir: (T) ‖dL/dh_t‖. */
  dhNorm: readonly Float64Array[];
}

/** A finished run's curve to compare against. */
export interface GradientOverlay {
  /** E.g. "rnn_tanh, adding T=50, step 2000". */
  label: string;
  /** (T) ‖dL/dh_t‖. */
  values: ArrayLike<number>;
}

/** Props of {@link GradientOverTime}. */
export interface GradientOverTimeProps {
  /** Recent steps, oldest first; the last is drawn solid. */
  history: readonly GradientSnapshot[];
  /** Which (layer, direction) to draw: index layer * D + dir (default 0). */
  series?: number;
  /** How many steps before the latest fade behind it (default 4). */
  fade?: number;
  /** Earlier runs' curves. */
  overlays?: readonly GradientOverlay[];
  /** Label of the current run's curve (default "step N" of the latest). */
  label?: string;
  /** Size in pixels. */
  width?: number;
  height?: number;
}

const M = { left: 60, right: 16, top: 12, bottom: 30 };
/** Height of one legend row above the plot. */
const ROW = 14;

/** Whether a value can sit on a log axis. */
const plottable = (v: number) => v > 0 && Number.isFinite(v);

/** Steps whose value is plottable but neither neighbour's is: a line cannot show them, a dot does. */
function isolated(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let t = 0; t < values.length; t++) if (plottable(values[t]) && !plottable(values[t - 1]) && !plottable(values[t + 1])) out.push(t);
  return out;
}

/** A log axis label: 1e-4 rather than 1.000e-4. */
function powerOfTen(v: number): string {
  const e = Math.round(Math.log10(v));
  return e >= -3 && e <= 3 ? formatNumber(v) : `1e${e}`;
}

/** The chart. */
export function GradientOverTime({ history, series = 0, fade = 4, overlays = [], label, width = 560, height = 240 }: GradientOverTimeProps) {
  // A legend row per curve (this run's, then each earlier run's) above the plot, each with a sample of its line.
  const legendRows = (history.length ? 1 : 0) + overlays.length;
  const top = M.top + ROW * legendRows;
  const recent = history.slice(-(fade + 1)).map((s) => {
    const values = s.dhNorm[series];
    if (!values) throw new RangeError(`GradientOverTime: step ${s.step} has no series ${series} (it has ${s.dhNorm.length})`);
    return { step: s.step, values };
  });
  const curves = [...overlays.map((o) => o.values), ...recent.map((r) => r.values)];
  const T = Math.max(1, ...curves.map((c) => c.length));
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves)
    for (let i = 0; i < c.length; i++)
      if (plottable(c[i])) {
        lo = Math.min(lo, c[i]);
        hi = Math.max(hi, c[i]);
      }
  const empty = !(lo <= hi);
  if (lo === hi) [lo, hi] = [lo / 10, hi * 10];
  const x = scaleLinear().domain([0, Math.max(1, T - 1)]).range([M.left, width - M.right]);
  const y = scaleLog()
    .domain(empty ? [1e-6, 1] : [lo, hi])
    .range([height - M.bottom, top])
    .nice();
  const path = line<number>()
    .defined((v) => plottable(v))
    .x((_, i) => x(i))
    .y((v) => y(v));
  const d = (c: ArrayLike<number>) => path(Array.from(c)) ?? '';
  const yTicks = y.ticks().filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  const colors = ghostColors(overlays.length);
  const latest = recent.at(-1);
  const legendY = (row: number) => M.top + ROW * row + ROW / 2 - 4;
  // About 6.2 px a character at the labels' 11 px: longer labels end in … (the whole label is the row's tooltip).
  const fit = (text: string) => {
    const room = Math.max(8, Math.floor((width - M.right - M.left - 28) / 6.2));
    return text.length <= room ? text : `${text.slice(0, room - 1)}…`;
  };

  return (
    <svg className="nv-gradient" width={width} height={height} data-testid="gradient-over-time" role="img" aria-label="Gradient norm over time, log scale">
      {yTicks.map((v) => (
        <g key={v}>
          <line className="nv-grid" x1={M.left} x2={width - M.right} y1={y(v)} y2={y(v)} />
          <text className="nv-axis" x={M.left - 6} y={y(v) + 3} textAnchor="end">
            {powerOfTen(v)}
          </text>
        </g>
      ))}
      {x.ticks(Math.min(T, 8)).filter(Number.isInteger).map((t) => (
        <text key={t} className="nv-axis" x={x(t)} y={height - M.bottom + 14} textAnchor="middle">
          {stepLabel(t)}
        </text>
      ))}
      <text className="nv-axis" x={(M.left + width - M.right) / 2} y={height - 3} textAnchor="middle">
        step t
      </text>
      <text className="nv-axis" transform={`translate(12,${(top + height - M.bottom) / 2}) rotate(-90)`} textAnchor="middle">
        ‖dL/dh_t‖ (log)
      </text>
      {overlays.map((o, i) => (
        <g key={`o${i}`} data-testid="gradient-overlay">
          <path className="nv-curve" d={d(o.values)} stroke={colors[i]} strokeDasharray="5 3" />
          <line className="nv-curve" x1={M.left} x2={M.left + 22} y1={legendY(i + (latest ? 1 : 0))} y2={legendY(i + (latest ? 1 : 0))} stroke={colors[i]} strokeDasharray="5 3" />
          <text className="nv-curve-label" x={M.left + 28} y={legendY(i + (latest ? 1 : 0)) + 4} fill={colors[i]}>
            {fit(`earlier: ${o.label}`)}
            <title>{o.label}</title>
          </text>
        </g>
      ))}
      {recent.map((r, i) => (
        <g key={r.step} className="nv-current" strokeOpacity={i === recent.length - 1 ? 1 : 0.15 + (0.5 * (i + 1)) / recent.length}>
          <path className="nv-curve" d={d(r.values)} data-testid="gradient-curve" data-step={r.step} />
          {isolated(r.values).map((t) => (
            <circle key={t} cx={x(t)} cy={y(r.values[t])} r={2} />
          ))}
        </g>
      ))}
      {latest && (
        <g className="nv-current">
          <line className="nv-curve" x1={M.left} x2={M.left + 22} y1={legendY(0)} y2={legendY(0)} />
          <text className="nv-curve-label nv-current-label" x={M.left + 28} y={legendY(0) + 4}>
            {label ?? `this run, step ${latest.step}`}
          </text>
        </g>
      )}
      {empty && (
        <text className="nv-muted" x={(M.left + width) / 2} y={height / 2} textAnchor="middle" data-testid="gradient-empty">
          {curves.length === 0 ? 'no gradients yet' : 'no non-zero, finite gradient to plot'}
        </text>
      )}
    </svg>
  );
}
