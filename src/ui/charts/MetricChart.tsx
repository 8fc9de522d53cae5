/**
 * The task's metric on the validation set over steps, with the trivial predictor's score as
 * a dashed baseline (a trained model should clear it). Redraws like {@link LossChart}.
 */
import { useMemo } from 'react';
import type { RunHistory } from '../../store/history.ts';
import type { AxisScale } from '../../viz/scales.ts';
import type { ChartBaseline, ChartLayer } from '../../viz/TimeChart.ts';
import { ChartLegend } from './ChartLegend.tsx';
import { ScaleToggle } from './ScaleToggle.tsx';
import { useTimeChart } from './useTimeChart.ts';

/** Props of {@link MetricChart}. */
export interface MetricChartProps {
  /** The current run; its validationMetric column is drawn. */
  history: RunHistory;
  /** The metric's name, e.g. "accuracy" (the chart's title). */
  name: string;
  /** The trivial predictor's score and what produces it, drawn dashed. */
  baseline?: ChartBaseline;
  /** The value axis (default linear). */
  scale?: AxisScale;
  /** Called by the "Log scale" toggle; the toggle is rendered only when this is given. */
  onScaleChange?: (scale: AxisScale) => void;
  /** Height of the plot in CSS pixels (default 160). */
  height?: number;
}

/** Validation metric over steps against its baseline. */
export function MetricChart({ history, name, baseline, scale = 'linear', onScaleChange, height = 160 }: MetricChartProps) {
  const layers = useMemo<ChartLayer[]>(
    () => [{ series: history.validationMetric, color: '--color-validation', kind: 'points', width: 1.5, label: name }],
    [history, name],
  );
  const ref = useTimeChart({ title: `Validation ${name}`, layers, scale, baseline: baseline ?? null }, history);
  return (
    <figure className="chart metric-chart">
      <div className="chart-header">
        <figcaption className="chart-title">Validation {name}</figcaption>
        {onScaleChange && <ScaleToggle scale={scale} onChange={onScaleChange} />}
      </div>
      <div ref={ref} className="chart-plot" style={{ height }} />
      <ChartLegend
        items={[
          { label: `Validation ${name}`, color: '--color-validation', swatch: 'points' },
          ...(baseline ? [{ label: `Baseline: ${baseline.label}`, color: '--color-text-muted', swatch: 'dashed' as const }] : []),
        ]}
      />
    </figure>
  );
}
