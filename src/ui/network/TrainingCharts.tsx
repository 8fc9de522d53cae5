/**
 * Two charts over training that tie the gradients to the lectures' theory (002 and 003,
 * "vanishing and exploding gradients"): the global gradient norm ‖g‖ before and after
 * clipping, with the clipping threshold (the config's clipNorm) as a line; and the largest
 * singular value σ_max of each W_hh, with the line at 1: below it the backward pass shrinks
 * dL/dh at every step (vanishing), above it can grow (exploding). Both read their series
 * directly and redraw on their sources' announcements, not through React.
 */
import { useMemo } from 'react';
import type { RunHistory } from '../../store/history.ts';
import type { SigmaHistory } from '../../store/networkWalk.ts';
import { categorical } from '../../viz/palette.ts';
import type { ChartLayer } from '../../viz/TimeChart.ts';
import { ChartLegend, type LegendItem } from '../charts/ChartLegend.tsx';
import { useTimeChart } from '../charts/useTimeChart.ts';

/** Props of {@link ClippingChart}. */
export interface ClippingChartProps {
  history: RunHistory;
  /** clip_grad_norm_'s max_norm, or null when the run does not clip by norm. */
  clipNorm: number | null;
  height: number;
}

/** ‖g‖ before and after clipping per published step, on a log axis. */
export function ClippingChart({ history, clipNorm, height }: ClippingChartProps) {
  const layers = useMemo<ChartLayer[]>(
    () => [
      { series: history.gradNorm, color: '--color-validation', kind: 'line', width: 1, alpha: 0.8, label: '‖g‖ before clipping' },
      { series: history.clippedNorm, color: '--color-train', kind: 'line', width: 1.5, label: '‖g‖ after clipping' },
    ],
    [history],
  );
  const baseline = useMemo(() => (clipNorm === null ? null : { value: clipNorm, label: `clip at ${clipNorm}` }), [clipNorm]);
  const ref = useTimeChart({ title: 'Gradient norm', layers, scale: 'log', baseline }, history);
  const legend: LegendItem[] = [
    { label: '‖g‖ before clipping', color: '--color-validation', swatch: 'line' },
    { label: '‖g‖ after', color: '--color-train', swatch: 'line' },
  ];
  return (
    <figure className="chart nv-training-chart" data-testid="clipping-chart">
      <figcaption className="chart-title">Global gradient norm{clipNorm === null ? ' (no clipping set)' : ''}</figcaption>
      <div ref={ref} className="chart-plot" style={{ height }} />
      <ChartLegend items={legend} />
    </figure>
  );
}

/** Props of {@link SigmaChart}. */
export interface SigmaChartProps {
  sigma: SigmaHistory;
  /** Names of the (layer, direction) rows, at layer · D + dir. */
  rowNames: readonly string[];
  height: number;
  /** A line under the title on what σ_max(W_hh) does not cover (e.g. a model without W_hh). */
  note?: string;
}

const ONE = { value: 1, label: 'σ = 1' };

/** σ_max(W_hh) per (layer, direction) at each walk, with the line at 1. */
export function SigmaChart({ sigma, rowNames, height, note }: SigmaChartProps) {
  const layers = useMemo<ChartLayer[]>(
    () =>
      rowNames.map((name, i): ChartLayer => ({ series: sigma.row(i), color: categorical(i), kind: 'points', joined: true, width: 1.5, label: `σ_max ${name}` })),
    [sigma, rowNames],
  );
  const ref = useTimeChart({ title: 'Largest singular value of W_hh', layers, scale: 'linear', baseline: ONE }, sigma);
  const legend = rowNames.map((name, i): LegendItem => ({ label: name, color: categorical(i), swatch: 'points' }));
  return (
    <figure className="chart nv-training-chart" data-testid="sigma-chart">
      <figcaption className="chart-title">σ_max(W_hh): below 1 the gradient through time shrinks, above it can grow</figcaption>
      {note && (
        <p className="note" data-testid="sigma-note">
          {note}
        </p>
      )}
      <div ref={ref} className="chart-plot" style={{ height }} />
      <ChartLegend items={legend} />
    </figure>
  );
}
