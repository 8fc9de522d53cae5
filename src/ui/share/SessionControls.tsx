/** The top bar's "New session" button and the notice about saved sessions (storage refused or full, a link opened instead). */
import { newSession, usePersistStore } from '../../store/persist.ts';
import './share.css';

/** "New session": forgets the saved session and opens the defaults. */
export function NewSessionButton() {
  return (
    <button type="button" className="share-button" onClick={() => void newSession()} title="Forget the session this browser keeps (settings, curves and weights) and start from the defaults" data-testid="new-session">
      New session
    </button>
  );
}

/** A notice under the top bar about saved sessions; nothing when all is well. */
export function PersistNotice() {
  const message = usePersistStore((s) => s.message);
  const dismiss = usePersistStore((s) => s.dismiss);
  if (!message) return null;
  return (
    <div className="share-notice" role="status" data-testid="persist-notice">
      <span>{message}</span>
      <button type="button" onClick={dismiss} title="Close this notice" aria-label="Close the saved-session notice">
        ×
      </button>
    </div>
  );
}
