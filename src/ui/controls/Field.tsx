/** A labelled control: its label, the help text as tooltip and description, and "needs reset" when pending. */
import type { ReactNode } from 'react';

/** Props of {@link Field}. */
export interface FieldProps {
  /** The control's id; the help text gets `${id}-help`, which the control names in aria-describedby. */
  id: string;
  label: string;
  /** One line on what the control does (tooltip and accessible description). */
  help: string;
  /** The edited value waits for a reset (it needs a new run). */
  pending?: boolean;
  /** The current value as text, shown beside the label (sliders). */
  value?: string;
  /** The control itself. */
  children: ReactNode;
}

/** One row of a settings panel. */
export function Field({ id, label, help, pending = false, value, children }: FieldProps) {
  return (
    <div className={`field${pending ? ' field-pending' : ''}`} title={help}>
      <div className="field-head">
        <label htmlFor={id}>{label}</label>
        {value !== undefined && <output htmlFor={id}>{value}</output>}
        {pending && (
          <span className="pending-tag" data-testid="needs-reset">
            needs reset
          </span>
        )}
      </div>
      {children}
      <span id={`${id}-help`} className="visually-hidden">
        {help}
      </span>
    </div>
  );
}
