/** The keys of an opened link that were not used as given, in a notice the user can close. Rendered as text only. */
import { useLinkStore } from '../../store/share.ts';
import './share.css';

/** A notice under the top bar listing the link's replaced or ignored keys; nothing when there are none. */
export function LinkNotices() {
  const notices = useLinkStore((s) => s.notices);
  const dismiss = useLinkStore((s) => s.dismissNotices);
  if (notices.length === 0) return null;
  return (
    <div className="share-notice" role="status" data-testid="link-notices">
      <div>
        <b>Some settings in this link were not used:</b>
        <ul>
          {notices.map((notice, i) => (
            <li key={i}>{notice}</li>
          ))}
        </ul>
        <span className="muted">The page uses its defaults for them.</span>
      </div>
      <button type="button" onClick={dismiss} title="Close this notice" aria-label="Close the link notice" data-testid="dismiss-notices">
        ×
      </button>
    </div>
  );
}
