/**
 * A task view's data from the worker (`inspect`), fetched again as the run moves on: when
 * the request changes, when a new run is built, and as the step counter advances, at most
 * once a second and never two requests at a time.
 */
import { useEffect, useRef, useState } from 'react';
import { selectInfo, selectStatus, selectStep } from '../../store/selectors.ts';
import { useStore } from '../../store/store.ts';
import type { InspectRequest, InspectView } from '../../train/inspect.ts';
import { useSession } from '../session.tsx';

/** Least milliseconds between two requests of one view. */
const REFRESH_MS = 1000;

/** What a view has: its data (null until the first answer) and the last error. */
export interface Inspected<V extends InspectView> {
  view: V | null;
  error: string | null;
}

/** Fetches `request`'s view (none when null) and keeps it fresh. */
export function useInspect<V extends InspectView>(request: InspectRequest | null): Inspected<V> {
  const session = useSession();
  const step = useStore(selectStep);
  const info = useStore(selectInfo);
  const status = useStore(selectStatus);
  const [state, setState] = useState<Inspected<V>>({ view: null, error: null });
  const key = request ? JSON.stringify(request) : null;
  const busy = useRef(false);
  /** The request to send once the one in flight answers (the newest wins). */
  const queued = useRef<(() => void) | null>(null);
  const last = useRef(0);
  const ready = status === 'paused' || status === 'playing';

  useEffect(() => {
    if (!key || !ready) return;
    let cancelled = false;
    const fetchView = () => {
      if (busy.current) {
        queued.current = fetchView;
        return;
      }
      busy.current = true;
      last.current = performance.now();
      session
        .inspect(JSON.parse(key) as InspectRequest)
        .then(
          (view) => !cancelled && setState({ view: view as V, error: null }),
          (error: unknown) => !cancelled && setState((s) => ({ view: s.view, error: error instanceof Error ? error.message : String(error) })),
        )
        .finally(() => {
          busy.current = false;
          const next = queued.current;
          queued.current = null;
          next?.();
        });
    };
    const timer = setTimeout(fetchView, Math.max(0, REFRESH_MS - (performance.now() - last.current)));
    return () => {
      cancelled = true;
      clearTimeout(timer);
      if (queued.current === fetchView) queued.current = null;
    };
  }, [key, step, info, ready, session]);

  return state;
}
