/** Small pieces the task views share: the validation-example stepper, the metric line and the error line. */
import { selectInfo, selectValidationMetric } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import { formatNumber } from '../format.ts';

/** Props of {@link ExampleStepper}. */
export interface ExampleStepperProps {
  index: number;
  onChange: (index: number) => void;
}

/** "Example i" with previous/next buttons (the validation set has at least a few examples). */
export function ExampleStepper({ index, onChange }: ExampleStepperProps) {
  return (
    <div className="stepper">
      <span>validation example {index}</span>
      <button type="button" onClick={() => onChange(Math.max(0, index - 1))} disabled={index === 0} aria-label="Previous example" title="Previous validation example">
        ‹
      </button>
      <button type="button" onClick={() => onChange(index + 1)} aria-label="Next example" title="Next validation example">
        ›
      </button>
    </div>
  );
}

/** The view's last error, when there is one. */
export function ViewError({ error }: { error: string | null }) {
  return error ? (
    <p className="view-error" role="alert">
      {error}
    </p>
  ) : null;
}

/** The task's metric at the latest validation pass, beside its baseline. */
export function MetricLine() {
  const info = useStore(selectInfo);
  const value = useStore(selectValidationMetric);
  if (!info) return null;
  return (
    <p className="metric-line" data-testid="view-metric" title={info.metric.baseline.description}>
      {info.metric.name} on the validation set: <b>{formatNumber(value)}</b> <span className="muted">(baseline {formatNumber(info.metric.baseline.value)}{info.metric.causalLimit ? `; best causal model ${formatNumber(info.metric.causalLimit.value)}` : ''})</span>
    </p>
  );
}
