/** The panels' inputs: a slider, a log-scale slider, a select and a checkbox, each inside a Field. */
import { Field } from './Field.tsx';

/** What every input takes. */
interface Common {
  id: string;
  label: string;
  help: string;
  pending?: boolean;
  disabled?: boolean;
}

/** Props of {@link Slider}. */
export interface SliderProps extends Common {
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (value: number) => void;
  /** How the value reads beside the label (default: as is). */
  format?: (value: number) => string;
}

/** A range input with its value beside the label. */
export function Slider({ id, label, help, pending, disabled, value, min, max, step, onChange, format = String }: SliderProps) {
  return (
    <Field id={id} label={label} help={help} pending={pending} value={format(value)}>
      <input id={id} type="range" min={min} max={max} step={step} value={value} disabled={disabled} aria-describedby={`${id}-help`} aria-valuetext={format(value)} onChange={(e) => onChange(Number(e.target.value))} />
    </Field>
  );
}

/** Props of {@link LogSlider}. */
export interface LogSliderProps extends Omit<SliderProps, 'step'> {
  /** Slider positions per factor of 10. */
  stepsPerDecade?: number;
}

/** A slider over log10 of the value (learning rates): equal travel per factor of 10. */
export function LogSlider({ value, min, max, onChange, stepsPerDecade = 20, format = (v) => v.toPrecision(2), ...rest }: LogSliderProps) {
  const round = (v: number) => Number(v.toPrecision(3));
  return (
    <Field id={rest.id} label={rest.label} help={rest.help} pending={rest.pending} value={format(value)}>
      <input
        id={rest.id}
        type="range"
        min={Math.log10(min)}
        max={Math.log10(max)}
        step={1 / stepsPerDecade}
        value={Math.log10(value)}
        disabled={rest.disabled}
        aria-describedby={`${rest.id}-help`}
        aria-valuetext={format(value)}
        onChange={(e) => onChange(round(10 ** Number(e.target.value)))}
      />
    </Field>
  );
}

/** Props of {@link Select}. */
export interface SelectProps extends Common {
  value: string;
  options: readonly { value: string; label: string; disabled?: boolean }[];
  onChange: (value: string) => void;
}

/** A drop-down list. */
export function Select({ id, label, help, pending, disabled, value, options, onChange }: SelectProps) {
  return (
    <Field id={id} label={label} help={help} pending={pending}>
      <select id={id} value={value} disabled={disabled} aria-describedby={`${id}-help`} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Props of {@link Checkbox}. */
export interface CheckboxProps extends Common {
  checked: boolean;
  onChange: (checked: boolean) => void;
}

/** A checkbox with its label after it. */
export function Checkbox({ id, label, help, pending, disabled, checked, onChange }: CheckboxProps) {
  return (
    <div className={`field field-check${pending ? ' field-pending' : ''}`} title={help}>
      <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={`${id}-help`} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
      {pending && (
        <span className="pending-tag" data-testid="needs-reset">
          needs reset
        </span>
      )}
      <span id={`${id}-help`} className="visually-hidden">
        {help}
      </span>
    </div>
  );
}
