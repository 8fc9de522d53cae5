/** One task setting, drawn from its SettingSpec: a slider for numbers, a list for choices, a text box for text. */
import type { SettingSpec, SettingValue } from '../../tasks/index.ts';
import { Field } from './Field.tsx';
import { Select, Slider } from './inputs.tsx';

/** Props of {@link SettingControl}. */
export interface SettingControlProps {
  spec: SettingSpec;
  /** The edited value (the spec's default when unset). */
  value: SettingValue | undefined;
  pending: boolean;
  onChange: (value: SettingValue) => void;
}

/** A task setting's control, labelled and with its help text. */
export function SettingControl({ spec, value, pending, onChange }: SettingControlProps) {
  const id = `task-${spec.key}`;
  const v = value ?? spec.default;
  if (spec.kind === 'number') {
    return <Slider id={id} label={spec.label} help={spec.help} pending={pending} value={Number(v)} min={spec.min} max={spec.max} step={spec.step} onChange={onChange} />;
  }
  if (spec.kind === 'choice') {
    return <Select id={id} label={spec.label} help={spec.help} pending={pending} value={String(v)} options={spec.options} onChange={onChange} />;
  }
  return (
    <Field id={id} label={spec.label} help={`${spec.help} (at most ${spec.maxLength.toLocaleString('en')} characters)`} pending={pending}>
      <textarea id={id} rows={4} maxLength={spec.maxLength} value={String(v)} placeholder="Paste your own text here, then press reset" aria-describedby={`${id}-help`} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}
