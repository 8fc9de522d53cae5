/**
 * Saved sessions: the page's run kept in IndexedDB so a reload carries on where it was. A
 * saved session is the link of its settings (share.ts), the metric history, and, where the
 * worker can copy its run, the weights and optimizer state with the step index
 * (TrainerSnapshot). It is saved when training pauses, every SAVE_MS while training, and
 * when the page is hidden; "New session" deletes it.
 *
 * On load, a link in the address wins over the saved session, unless it is the saved
 * session's own link (the page writes its settings into the address, so a plain reload
 * opens with that link). Storage that is missing, refused or full is reported in the
 * persist store's `message`; the page works on without it.
 */
import { create } from 'zustand';
import type { TrainPoint, ValidationPoint } from '../train/Trainer.ts';
import type { TrainerSnapshot } from '../train/snapshot.ts';
import type { RunHistory } from './history.ts';
import { applyLink, loadLinkWeights, pageHash } from './share.ts';
import type { Session } from './session.ts';
import type { AppStore } from './store.ts';

/** Milliseconds between saves while training. */
export const SAVE_MS = 10_000;
/** Milliseconds after a pause before its save. */
export const PAUSE_SAVE_MS = 1_000;

const DB_NAME = 'rnn-playground';
const DB_STORE = 'sessions';
const KEY = 'current';

/** Copies a run out of the worker and back in (the worker's snapshot and restore commands). */
export interface RunCopier {
  snapshot(): Promise<TrainerSnapshot>;
  restore(snapshot: TrainerSnapshot): Promise<void>;
}

/** A run's curves as saved: every training point without its per-step gradient norms, except the latest. */
export interface SavedHistory {
  train: TrainPoint[];
  validation: ValidationPoint[];
  stepsSubmitted: number;
}

/** What IndexedDB holds for the current session. */
export interface SavedSession {
  version: 1;
  /** The session's settings as a link hash (without `#`). */
  hash: string;
  savedAt: number;
  history: SavedHistory;
  /** Weights, optimizer state and step index; null where the worker cannot copy its run. */
  snapshot: TrainerSnapshot | null;
}

/** What the page says about saved sessions. */
export interface PersistState {
  /** A message for the user (storage refused or full, a link opened instead of the saved session); null when there is none. */
  message: string | null;
  /** When the session was last saved (ms since the epoch), or null. */
  savedAt: number | null;
  /** The step the last save holds (its weights' step where it has them), or null. */
  savedStep: number | null;
  dismiss(): void;
}

/** The persist store. */
export const usePersistStore = create<PersistState>()((set) => ({
  message: null,
  savedAt: null,
  savedStep: null,
  dismiss: () => set({ message: null }),
}));

/** Why storage failed, for the user. */
function storageMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError') return 'Saved sessions: the browser’s storage is full, so this session is not saved. Everything else works; free some space (site data) to save again.';
  const detail = error instanceof Error ? error.message : String(error);
  return `Saved sessions are off: this browser does not let the page use IndexedDB (${detail}). Everything else works; reloading starts a new session.`;
}

/** Runs one request in a transaction and resolves when the transaction completes. */
function request<T>(mode: IDBTransactionMode, make: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(DB_STORE);
    open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
    open.onblocked = () => reject(new Error('the database is blocked by another tab'));
    open.onsuccess = () => {
      const db = open.result;
      try {
        const tx = db.transaction(DB_STORE, mode);
        const req = make(tx.objectStore(DB_STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          reject(tx.error ?? req.error ?? new Error('the transaction failed'));
        };
      } catch (error) {
        db.close();
        reject(error);
      }
    };
  });
}

/** The saved session, or null when there is none; throws when storage is unavailable. */
export async function loadSession(): Promise<SavedSession | null> {
  const saved = (await request('readonly', (s) => s.get(KEY))) as SavedSession | undefined;
  return saved && saved.version === 1 && typeof saved.hash === 'string' ? saved : null;
}

/** Stores `saved` as the current session. */
export async function storeSession(saved: SavedSession): Promise<void> {
  await request('readwrite', (s) => s.put(saved, KEY));
}

/** Deletes the saved session. */
export async function clearSession(): Promise<void> {
  await request('readwrite', (s) => s.delete(KEY));
}

/** The curves of a history as saved. */
export function saveHistory(h: RunHistory): SavedHistory {
  const train: TrainPoint[] = h.trainLoss.step.map((step, i) => ({ step, loss: h.trainLoss.value[i], gradNorm: h.gradNorm.value[i], clippedNorm: h.clippedNorm.value[i], skipped: false, dhNorm: [], dcNorm: null }));
  if (h.latest && train.length) train[train.length - 1] = h.latest;
  const validation = h.validationLoss.step.map((step, i) => ({ step, loss: h.validationLoss.value[i], metric: h.validationMetric.value[i] }));
  return { train, validation, stepsSubmitted: h.stepsSubmitted };
}

/**
 * Keeps the page's session saved and restores it on load: call instead of the session's
 * first `start()`, after share.ts's `syncLink` has read the address. `copier` is null where
 * the worker cannot copy its run; then only the settings are kept, and the page says so.
 * Returns the stop function.
 */
export async function startSaved(store: AppStore, session: Session, copier: RunCopier | null, linked: boolean): Promise<() => void> {
  let storage = typeof indexedDB !== 'undefined';
  const fail = (error: unknown) => {
    storage = false;
    usePersistStore.setState({ message: storageMessage(error) });
  };

  let saved: SavedSession | null = null;
  if (storage) {
    try {
      saved = await loadSession();
    } catch (error) {
      fail(error);
    }
  } else fail(new Error('indexedDB is not defined'));

  const ownLink = saved && (!linked || location.hash.slice(1) === saved.hash);
  if (saved && ownLink) {
    applyLink(store, saved.hash);
    await session.start();
    await restore(store, copier, saved);
  } else {
    if (saved) usePersistStore.setState({ message: 'The link in the address was opened instead of your saved session; the saved session is replaced when this run is saved.' });
    await session.start();
    await loadLinkWeights(store, session);
  }

  let busy = false;
  let again = false;
  const save = async (): Promise<void> => {
    const s = store.getState();
    if (!storage || (s.status !== 'paused' && s.status !== 'playing')) return;
    if (busy) {
      again = true; // a save asked for during another runs after it, so a pause's save is never lost
      return;
    }
    const link = pageHash(s);
    if (!('hash' in link)) return;
    busy = true;
    try {
      const snapshot = copier ? await copier.snapshot() : null;
      const record: SavedSession = { version: 1, hash: link.hash, savedAt: Date.now(), history: saveHistory(store.getState().history), snapshot };
      await storeSession(record);
      usePersistStore.setState({ savedAt: record.savedAt, savedStep: record.history.stepsSubmitted });
    } catch (error) {
      if (error instanceof DOMException || (error instanceof Error && error.name === 'QuotaExceededError')) fail(error);
      else usePersistStore.setState({ message: `Saved sessions: the session could not be saved (${error instanceof Error ? error.message : String(error)}).` });
    } finally {
      busy = false;
    }
    if (again) {
      again = false;
      await save();
    }
  };

  void save(); // the run just built (or restored)
  const timer = setInterval(() => {
    if (store.getState().status === 'playing') void save();
  }, SAVE_MS);
  // A pause saves a moment later, so the copy (a GPU readback) does not delay a step or reset pressed right after it.
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;
  const stopStore = store.subscribe((s, prev) => {
    if (s.status === 'paused' && prev.status !== 'paused') {
      clearTimeout(pauseTimer);
      pauseTimer = setTimeout(() => void save(), PAUSE_SAVE_MS);
    }
  });
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') void save();
  };
  document.addEventListener('visibilitychange', onVisibility);
  return () => {
    clearInterval(timer);
    clearTimeout(pauseTimer);
    stopStore();
    document.removeEventListener('visibilitychange', onVisibility);
  };
}

/** Puts a saved run back: weights and optimizer state into the worker, then its curves and numbers. */
async function restore(store: AppStore, copier: RunCopier | null, saved: SavedSession): Promise<void> {
  if (store.getState().status !== 'paused') return; // the run failed to build; its error is shown
  if (!saved.snapshot || !copier) {
    if (saved.history.train.length) usePersistStore.setState({ message: 'Your saved settings were restored; the saved session has no copy of its weights, so the run starts at step 0.' });
    return;
  }
  try {
    await copier.restore(saved.snapshot);
  } catch (error) {
    usePersistStore.setState({ message: `The saved session’s settings were restored but not its weights (${error instanceof Error ? error.message : String(error)}); the run starts at step 0.` });
    return;
  }
  const { history, setNumbers } = store.getState();
  history.append({ train: saved.history.train, validation: saved.history.validation, stepsPerSecond: 0, stepsSubmitted: saved.history.stepsSubmitted });
  const last = (values: number[]) => (values.length ? values[values.length - 1] : null);
  setNumbers({ step: history.stepsSubmitted, trainLoss: last(history.trainLoss.value), validationLoss: last(history.validationLoss.value), validationMetric: last(history.validationMetric.value), stepsPerSecond: 0 });
  usePersistStore.setState({ savedAt: saved.savedAt, savedStep: saved.history.stepsSubmitted });
}

/** "New session": deletes the saved session and opens the defaults (the address loses its link). */
export async function newSession(): Promise<void> {
  try {
    await clearSession();
  } catch (error) {
    usePersistStore.setState({ message: storageMessage(error) });
  }
  // The link listener rebuilds the run from the bare address.
  location.hash = 'v=1';
}
