/** Small pieces the task views share: the validation-example stepper and the error line. */

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
