/** The React side of a {@link TimeChart}: mount it on a div, keep its layers current, redraw on every history change. */
import { useEffect, useRef, type RefObject } from 'react';
import { TimeChart, type ChartBaseline, type ChartLayer } from '../../viz/TimeChart.ts';
import type { AxisScale } from '../../viz/scales.ts';
import '../theme.css';
import './charts.css';

/** What the chart shows; a change redraws once (React renders only when these props change, never per step). */
export interface TimeChartSettings {
  /** Start of the accessible summary, e.g. "Loss". */
  title: string;
  layers: ChartLayer[];
  scale: AxisScale;
  baseline: ChartBaseline | null;
}

/** Anything that announces new data: the store's RunHistory. */
export interface Subscribable {
  subscribe(listener: () => void): () => void;
}

/**
 * Mounts a TimeChart on the returned ref's div for the component's lifetime, applies
 * `settings` when they change, and redraws (through requestAnimationFrame, no React state)
 * whenever `source` notifies.
 */
export function useTimeChart(settings: TimeChartSettings, source: Subscribable): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<TimeChart | null>(null);
  const { title, layers, scale, baseline } = settings;

  useEffect(() => {
    const c = new TimeChart(ref.current!, title);
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
    };
  }, [title]);

  useEffect(() => {
    const c = chart.current!;
    c.setLayers(layers);
    c.setScale(scale);
    c.setBaseline(baseline);
  }, [title, layers, scale, baseline]);

  useEffect(() => source.subscribe(() => chart.current?.requestDraw()), [source]);

  return ref;
}
