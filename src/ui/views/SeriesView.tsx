/** Time series: one validation signal, the model's next-value predictions over it, and its free-running forecast beyond. */
import { extent, line, scaleLinear } from 'd3';
import { useState } from 'react';
import type { ExampleView } from '../../train/inspect.ts';
import { useInspect } from './useInspect.ts';
import { ExampleStepper, ViewError } from './parts.tsx';

const W = 380;
const H = 170;
const M = { top: 8, right: 8, bottom: 20, left: 30 };
/** Steps forecast past the example. */
const FORECAST = 50;

/** The time-series view. */
export function SeriesView() {
  const [index, setIndex] = useState(0);
  const { view, error } = useInspect<ExampleView>({ kind: 'example', index, forecast: FORECAST });
  const targets = (view?.targets ?? []) as number[];
  const predictions = (view?.predictions ?? []) as number[];
  const forecast = view?.forecast ?? [];
  const T = targets.length;
  const all = [...targets, ...predictions, ...forecast];
  const [lo, hi] = extent(all.length ? all : [-1, 1]) as [number, number];
  const x = scaleLinear().domain([1, T + forecast.length]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([lo, hi]).nice().range([H - M.bottom, M.top]);
  const path = (values: number[], start: number) => line<number>((_, i) => x(start + i), (v) => y(v))(values) ?? '';
  return (
    <div className="view" data-testid="series-view">
      <ExampleStepper index={index} onChange={setIndex} />
      <svg viewBox={`0 0 ${W} ${H}`} className="view-svg" role="img" aria-label={`Validation signal ${index}: actual next values, the model's predictions, and a ${FORECAST}-step free-running forecast`}>
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.left - 4} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">
              {t}
            </text>
          </g>
        ))}
        {T > 0 && (
          <>
            <line x1={x(T)} x2={x(T)} y1={M.top} y2={H - M.bottom} className="divider" />
            <path d={path(targets, 1)} className="series-actual" />
            <path d={path(predictions, 1)} className="series-predicted" />
            <path d={path([targets[T - 1], ...forecast], T)} className="series-forecast" />
            <text x={x(T)} y={H - 6} className="tick" textAnchor="middle">
              t = {T}
            </text>
          </>
        )}
      </svg>
      <ul className="legend-row">
        <li className="key key-actual">actual x_(t+1)</li>
        <li className="key key-predicted">predicted (one step ahead)</li>
        <li className="key key-forecast">free-running forecast</li>
      </ul>
      <ViewError error={error} />
    </div>
  );
}
