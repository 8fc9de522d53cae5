/**
 * The loss chart: the current run's training loss (smoothed, over the faint raw values) and
 * validation loss, earlier runs drawn faintly behind with a legend naming what differed,
 * on a linear or log axis. It redraws from the RunHistory's `subscribe` through
 * requestAnimationFrame; React renders it only when its props change.
 */
import { useMemo } from 'react';
import type { RunHistory } from '../../store/history.ts';
import { ghostColor } from '../../viz/palette.ts';
import type { AxisScale } from '../../viz/scales.ts';
import type { Series } from '../../viz/series.ts';
import type { ChartLayer } from '../../viz/TimeChart.ts';
import { ChartLegend, type LegendItem } from './ChartLegend.tsx';
import { ScaleToggle } from './ScaleToggle.tsx';
import { useTimeChart } from './useTimeChart.ts';

/** An earlier run kept for comparison. */
export interface GhostRun {
  /** What differed from the current run, e.g. from `describeDifferences` in src/viz/diff.ts. */
  label: string;
  /** Its training loss per step (drawn smoothed). */
  train: Series;
  /** Its validation loss per validation pass. */
  validation: Series;
}

/** Props of {@link LossChart}. */
export interface LossChartProps {
  /** The current run; its trainLoss and validationLoss columns are drawn. */
  history: RunHistory;
  /** The value axis, controlled by the caller. */
  scale: AxisScale;
  /** Called by the chart's "Log scale" toggle; the toggle is rendered only when this is given. */
  onScaleChange?: (scale: AxisScale) => void;
  /** Earlier runs, drawn faintly behind the current one, oldest first. */
  ghosts?: readonly GhostRun[];
  /** Weight of the training curve's exponential moving average, in [0, 1) (default 0.95). */
  smoothing?: number;
  /** Height of the plot in CSS pixels (default 220); the width follows the container. */
  height?: number;
  /** The caption above the plot (default "Loss"); null leaves it out where the page titles the panel itself. */
  title?: string | null;
}

/** No earlier runs (one constant, so the default does not change identity every render). */
const NONE: readonly GhostRun[] = [];

/** Train and validation loss over steps, with earlier runs behind. */
export function LossChart({ history, scale, onScaleChange, ghosts = NONE, smoothing = 0.95, height = 220, title = 'Loss' }: LossChartProps) {
  const layers = useMemo<ChartLayer[]>(
    () => [
      ...ghosts.flatMap((g, i): ChartLayer[] => [
        { series: g.train, color: ghostColor(i), kind: 'line', width: 1.25, alpha: 0.55, smoothing },
        { series: g.validation, color: ghostColor(i), kind: 'points', joined: false, width: 1, alpha: 0.55 },
      ]),
      { series: history.trainLoss, color: '--color-train', kind: 'line', width: 1, alpha: 0.25 },
      { series: history.trainLoss, color: '--color-train', kind: 'line', width: 2, smoothing, label: 'training loss (smoothed)' },
      { series: history.validationLoss, color: '--color-validation', kind: 'points', width: 1.5, label: 'validation loss' },
    ],
    [history, ghosts, smoothing],
  );
  const ref = useTimeChart({ title: 'Loss', layers, scale, baseline: null }, history);
  const legend: LegendItem[] = [
    { label: 'Training (smoothed)', color: '--color-train', swatch: 'line' },
    { label: 'Training (raw)', color: '--color-train', swatch: 'faint' },
    { label: 'Validation', color: '--color-validation', swatch: 'points' },
    ...ghosts.map((g, i): LegendItem => ({ label: `Earlier: ${g.label}`, color: ghostColor(i), swatch: 'ghost' })),
  ];
  return (
    <figure className="chart loss-chart">
      {(title !== null || onScaleChange) && (
        <div className="chart-header">
          {title !== null ? <figcaption className="chart-title">{title}</figcaption> : <span />}
          {onScaleChange && <ScaleToggle scale={scale} onChange={onScaleChange} />}
        </div>
      )}
      <div ref={ref} className="chart-plot" style={{ height }} />
      <ChartLegend items={legend} />
    </figure>
  );
}
