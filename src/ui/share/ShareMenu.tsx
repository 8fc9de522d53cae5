/**
 * The top bar's Share button: a popover with the page's link (its hash written by
 * src/store/share.ts), copied to the clipboard where the browser allows, else selected for
 * the user to copy. "With weights" puts the model's weights in the link too (small models
 * only: over 32 KB it is refused with the sizes).
 */
import { useRef, useState } from 'react';
import { linkTo, pageHash } from '../../store/share.ts';
import { linkWithWeights } from '../../store/shareWeights.ts';
import { useStore } from '../../store/store.ts';
import { usePersistStore } from '../../store/persist.ts';
import { NewSessionButton } from './SessionControls.tsx';
import { useSession } from '../session.tsx';
import './share.css';

/** Share button and its popover. */
export function ShareMenu() {
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState('');
  const [weighted, setWeighted] = useState<string | null>(null);
  const session = useSession();
  const savedAt = usePersistStore((s) => s.savedAt);
  const savedStep = usePersistStore((s) => s.savedStep);
  const config = useStore((s) => s.config);
  const backendChoice = useStore((s) => s.backendChoice);
  const field = useRef<HTMLInputElement>(null);
  const result = open ? pageHash({ config, backendChoice }) : null;
  const link = weighted ?? (result && 'hash' in result ? linkTo(result.hash) : null);

  const withWeights = async () => {
    try {
      setWeighted(linkTo(await linkWithWeights(session.store, session)));
      setSaid('This link carries the weights as they are now.');
    } catch (error) {
      setWeighted(null);
      setSaid(error instanceof Error ? error.message : String(error));
    }
  };

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
      setSaid('Copied.');
    } catch {
      field.current?.select();
      setSaid('The browser did not allow copying: the link is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };

  return (
    <div className="share-menu">
      <button type="button" className="share-button" aria-expanded={open} aria-haspopup="dialog" onClick={() => { setOpen(!open); setSaid(''); setWeighted(null); }} title="A link that opens this run: same task, settings and seed; and the session this browser keeps" data-testid="share" data-saved-at={savedAt ?? ''} data-saved-step={savedStep ?? ''}>
        Share
      </button>
      {open && (
        <div className="share-popover" role="dialog" aria-label="Share this run" data-testid="share-popover">
          {link ? (
            <>
              <label htmlFor="share-link">Link to this run (same settings and seed: on the CPU the same losses)</label>
              <div className="share-row">
                <input id="share-link" ref={field} readOnly value={link} title="The link; select it and copy" onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
                <button type="button" onClick={() => void copy()} title="Copy the link to the clipboard" data-testid="copy-link">
                  Copy
                </button>
              </div>
              <button type="button" className="share-weights" onClick={() => void withWeights()} title="Put the model's current weights in the link too (small models: a link holds at most 32 KB)" data-testid="share-weights">
                Share with weights
              </button>
            </>
          ) : (
            <p className="share-problem" data-testid="share-problem">
              {result && 'problem' in result ? result.problem : ''}
            </p>
          )}
          <p className="muted share-said" aria-live="polite">
            {said}
          </p>
          <div className="share-row session-row">
            <span className="muted">{savedAt ? `This browser saved the session at ${new Date(savedAt).toLocaleTimeString()}; a reload carries on from it.` : 'This browser has not saved the session.'}</span>
            <NewSessionButton />
          </div>
        </div>
      )}
    </div>
  );
}
