/** The run's error, when there is one, with what to do next. */
import { selectError } from '../store/selectors.ts';
import { useStore } from '../store/store.ts';

/** A banner under the top bar; empty when all is well. */
export function ErrorBanner() {
  const error = useStore(selectError);
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error">
      <b>Something went wrong:</b> {error} <span className="muted">Change the settings named and press reset (r).</span>
    </div>
  );
}
