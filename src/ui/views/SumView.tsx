/** The adding problem: one validation sequence as bars, the two marked values highlighted, and the sum against the model's answer. */
import { scaleBand, scaleLinear } from 'd3';
import { useState } from 'react';
import type { ExampleView } from '../../train/inspect.ts';
import { formatNumber } from '../format.ts';
import { useInspect } from './useInspect.ts';
import { ExampleStepper, ViewError } from './parts.tsx';

const W = 380;
const H = 110;

/** The adding-problem view. */
export function SumView() {
  const [index, setIndex] = useState(0);
  const { view, error } = useInspect<ExampleView>({ kind: 'example', index });
  const steps = (view?.inputs ?? []) as number[][];
  const x = scaleBand<number>().domain(steps.map((_, t) => t)).range([0, W]).padding(0.15);
  const y = scaleLinear().domain([0, 1]).range([H - 4, 4]);
  const target = view ? Number(view.targets[0]) : null;
  const predicted = view ? Number(view.predictions[0]) : null;
  return (
    <div className="view" data-testid="sum-view">
      <ExampleStepper index={index} onChange={setIndex} />
      <svg viewBox={`0 0 ${W} ${H}`} className="view-svg" role="img" aria-label="The sequence's values as bars; the two marked values are highlighted">
        {steps.map(([value, marker], t) => (
          <rect key={t} x={x(t)} width={x.bandwidth()} y={y(value)} height={y(0) - y(value)} className={marker ? 'bar bar-marked' : 'bar'} />
        ))}
      </svg>
      <p className="sum-line">
        marked values add to <b data-testid="sum-target">{formatNumber(target)}</b>; the network says <b data-testid="sum-predicted">{formatNumber(predicted)}</b>
        {target !== null && predicted !== null && <span className="muted"> (error {formatNumber(predicted - target)})</span>}
      </p>
      <p className="muted small">Orange: the two marked values. At first the network answers about 1, the mean sum (the baseline); an LSTM usually stays there for a few hundred steps before it learns to pick out the marked values, while a vanilla RNN rarely does once T is long.</p>
      <ViewError error={error} />
    </div>
  );
}
