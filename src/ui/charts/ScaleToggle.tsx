/** The charts' linear/log switch: one toggle button, pressed for log. */
import type { AxisScale } from '../../viz/scales.ts';

/** Props of {@link ScaleToggle}. */
export interface ScaleToggleProps {
  scale: AxisScale;
  /** Receives the other scale when the button is pressed. */
  onChange: (scale: AxisScale) => void;
}

/** A "Log scale" toggle button (aria-pressed), operable by keyboard like any button. */
export function ScaleToggle({ scale, onChange }: ScaleToggleProps) {
  const log = scale === 'log';
  return (
    <button
      type="button"
      className="chart-toggle"
      aria-pressed={log}
      title="Show the values on a logarithmic axis (only positive values can be drawn there)"
      onClick={() => onChange(log ? 'linear' : 'log')}
    >
      Log scale
    </button>
  );
}
