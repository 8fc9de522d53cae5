/**
 * The link is the state: the page's settings written to and read from `location.hash`
 * through the share schema (src/share). On load the hash is decoded into the store (config,
 * backend choice) and the link store (views, embed flags, notices) before the first run is
 * built; every later change of those settings rewrites the hash with `history.replaceState`
 * (defaults omitted, so no history entry and no `hashchange`); a `hashchange` (another link
 * pasted into the address bar) rebuilds the run from it.
 *
 * Keys a link gave that could not be used (wrong type, out of range, not applicable) are
 * listed in `notices`, which the page renders as text.
 */
import { create } from 'zustand';
import { decodeHash, encodeHash } from '../share/hash.ts';
import { readWeights, weightsOf } from '../share/weightsLink.ts';
import { defaultState, rowProblem, SCHEMA, TASK_ROW, VERSION_ROW, type EmbedPanel, type RowValue, type ShareState, type ViewName } from '../share/schema.ts';
import { useNetworkStore, type NetworkTab } from './networkStore.ts';
import type { Session } from './session.ts';
import type { AppStore, Store } from './store.ts';

/** What the link carries besides the run's config, and what reading it said. */
export interface LinkState {
  /** Open (true) or closed views, as the link gave them. */
  views: Record<ViewName, boolean>;
  /** Panels an embedded page hides. */
  embed: Record<EmbedPanel, boolean>;
  /** Keys of the opened link that were not used as given, one line each (rendered as text). */
  notices: string[];
  /** Why the current settings cannot be written as a link (null when they can). */
  problem: string | null;
  /** The weights (`w`) of the opened link, until they are loaded into its run. */
  weights: string | null;
  /** Closes the notice. */
  dismissNotices(): void;
}

/** The link store: views, embed flags and notices (the run's config lives in the page's store). */
export const useLinkStore = create<LinkState>()((set) => {
  const base = defaultState();
  return {
    views: base.views,
    embed: base.embed,
    notices: [],
    problem: null,
    weights: null,
    dismissNotices: () => set({ notices: [] }),
  };
});

/** The share state of the page: its config and backend choice, with the link store's views and embed flags. */
export function pageState(s: Pick<Store, 'config' | 'backendChoice'>, link: Pick<LinkState, 'views' | 'embed'> = useLinkStore.getState()): { state: ShareState; skipped: string[] } {
  const given = { config: s.config, backend: s.backendChoice, views: link.views, embed: link.embed } as ShareState;
  // Rebuilt row by row on the task's defaults, as validateState does, so fields the schema does not describe are left out.
  const state = defaultState(s.config.task.id);
  const skipped: string[] = [];
  for (const row of SCHEMA) {
    if (row === VERSION_ROW || row === TASK_ROW || (row.applies && !row.applies(state))) continue;
    const v = row.get(given);
    if (v === undefined) continue;
    if (rowProblem(row, v)) skipped.push(row.key);
    else row.set(state, v as RowValue);
  }
  return { state, skipped };
}

/** The hash of the page's settings (without `#`), or the reason there is none. */
export function pageHash(s: Pick<Store, 'config' | 'backendChoice'>): { hash: string } | { problem: string } {
  const { state, skipped } = pageState(s);
  if (skipped.length) return { problem: `These settings cannot be written in a link: ${skipped.join(', ')}` };
  try {
    return { hash: encodeHash(state) };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The views the network panel's tabs stand for. */
const VIEW_TABS: readonly ViewName[] = ['network', 'gradients', 'heatmaps'];

/** The network panel's tab a link's views open: gradients over time, the gate heatmaps, or the graph; null leaves the panel as it is. */
export function tabForViews(views: Record<ViewName, boolean>): NetworkTab | null {
  if (views.gradients) return 'gradients';
  if (views.heatmaps) return 'gates';
  if (views.network) return 'graph';
  return null;
}

/** The link's views with the network panel's open tab written in (the other views as they were). */
export function viewsWithTab(views: Record<ViewName, boolean>, open: boolean, tab: NetworkTab): Record<ViewName, boolean> {
  return { ...views, network: open && tab === 'graph', gradients: open && tab === 'gradients', heatmaps: open && tab === 'gates' };
}

/** Puts a decoded link's state into the stores (the run is not rebuilt here); its views open the network panel's tab. */
export function applyLink(store: AppStore, hash: string): ShareState {
  const { state, notices } = decodeHash(hash);
  store.setState({ config: state.config, backendChoice: state.backend });
  useLinkStore.setState({ views: state.views, embed: state.embed, notices, weights: weightsOf(hash) });
  const tab = tabForViews(state.views);
  if (tab) useNetworkStore.setState({ open: true, tab });
  return state;
}

/**
 * Loads the weights the opened link carried into its freshly built run (the optimizer state
 * and step kept); a link whose weights do not fit this model, or are damaged, gets a notice
 * naming the problem and the run keeps its seeded initial weights.
 */
export async function loadLinkWeights(store: AppStore, session: Session): Promise<void> {
  const w = useLinkStore.getState().weights;
  if (!w) return;
  useLinkStore.setState({ weights: null });
  const { info, status } = store.getState();
  if (!info || status !== 'paused') return; // the run did not build; its error is shown
  try {
    const params = await readWeights(w, info.model);
    const snapshot = await session.snapshot();
    await session.restore({ ...snapshot, params });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    useLinkStore.setState((s) => ({ notices: [...s.notices, `w: ${message} The run starts from its seeded initial weights.`] }));
  }
}

/** The page's address with `hash` (without `#`) as its hash. */
export function linkTo(hash: string): string {
  return `${location.origin}${location.pathname}${location.search}#${hash}`;
}

/**
 * Keeps the address in step with the page: reads the link once (when it has a hash) into
 * the stores, then rewrites the hash on every settings change and rebuilds the run on
 * `hashchange`. Call before the session's first `start()`. Returns the stop function.
 */
export function syncLink(store: AppStore, session: Session): () => void {
  const linked = location.hash.length > 1;
  if (linked) applyLink(store, location.hash);

  const write = () => {
    const result = pageHash(store.getState());
    if ('problem' in result) {
      useLinkStore.setState({ problem: result.problem });
      return;
    }
    useLinkStore.setState({ problem: null });
    if (location.hash.slice(1) !== result.hash) history.replaceState(history.state, '', `#${result.hash}`);
  };
  const onHashChange = async () => {
    applyLink(store, location.hash);
    await session.start();
    await loadLinkWeights(store, session);
  };

  const stopStore = store.subscribe((s, prev) => {
    if (s.config !== prev.config || s.backendChoice !== prev.backendChoice) write();
  });
  const stopLink = useLinkStore.subscribe((s, prev) => {
    if (s.views !== prev.views || s.embed !== prev.embed) write();
  });
  // The panel's tab is a view the link carries: choosing another rewrites the hash.
  const stopNetwork = useNetworkStore.subscribe((n, prev) => {
    if (n.open === prev.open && n.tab === prev.tab) return;
    const { views } = useLinkStore.getState();
    const next = viewsWithTab(views, n.open, n.tab);
    if (VIEW_TABS.some((v) => next[v] !== views[v])) useLinkStore.setState({ views: next });
  });
  const listener = () => void onHashChange();
  addEventListener('hashchange', listener);
  // A page opened without a link keeps its plain address until a setting changes.
  if (linked) write();
  return () => {
    stopStore();
    stopLink();
    stopNetwork();
    removeEventListener('hashchange', listener);
  };
}
