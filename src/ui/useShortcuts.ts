/** The page's keys: space plays or pauses, `n` takes one step, `r` resets; none while typing in a field or on a button. */
import { useEffect } from 'react';
import type { Session } from '../store/session.ts';

/** Whether a key press belongs to the focused element rather than the page. */
function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'SUMMARY'].includes(target.tagName);
}

/** Listens for the shortcuts on the window while mounted. */
export function useShortcuts(session: Session): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (e.key === ' ') {
        e.preventDefault();
        void session.togglePlay();
      } else if (e.key === 'n') {
        void session.step();
      } else if (e.key === 'r') {
        void session.reset();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);
}
