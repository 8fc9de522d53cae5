/**
 * The network panel's own state, in a store of its own beside the page's: which tab and
 * view are shown, which (layer, direction) and example, the pinned unit, the chosen graph
 * node, and the latest BPTT walk the worker answered. The walk changes at most every ~2 s
 * (networkWalk.ts refreshes it on demand), so React may render from it; per-step data
 * (‖dL/dh_t‖ of every step) is read from the RunHistory, never through this store.
 */
import { create } from 'zustand';
import type { AnyWalkView } from '../train/walk.ts';

/** A cell of the unrolled graph: step t (0-based), layer and direction (the graph's GraphNode). */
export interface GraphNode {
  t: number;
  layer: number;
  dir: number;
  /** Encoder-decoder runs: which network the cell is in. */
  part?: 'encoder' | 'decoder';
}

/** The panel's tabs. */
export type NetworkTab = 'graph' | 'gradients' | 'gates' | 'stepper' | 'clipping';

/** The panel's state and actions. */
export interface NetworkState {
  /** Whether the panel's views are shown (closed, nothing of them runs: no walks, no drawing). */
  open: boolean;
  tab: NetworkTab;
  /** The graph's colours: ‖h_t‖ (forward) or ‖dL/dh_t‖ (backward). */
  view: 'forward' | 'backward';
  /** (layer, direction) shown by the gradient chart, the heatmaps and the stepper: layer · D + dir. */
  row: number;
  /** Validation example the walk reads. */
  index: number;
  /** Character model: typed text the walk reads instead of a validation example ('' = use the example). */
  text: string;
  /** Unit pinned across the heatmaps, or null. */
  pinnedUnit: number | null;
  /** Graph node whose cell the inspector shows, or null. */
  selected: GraphNode | null;
  /** The latest walk (a recurrent network's or an encoder-decoder's), or null before one arrives (or after a new run). */
  walk: AnyWalkView | null;
  /** Why the latest walk request failed, or null. */
  walkError: string | null;
  setOpen(open: boolean): void;
  setTab(tab: NetworkTab): void;
  setView(view: 'forward' | 'backward'): void;
  setRow(row: number): void;
  setIndex(index: number): void;
  setText(text: string): void;
  setPinnedUnit(unit: number | null): void;
  setSelected(node: GraphNode | null): void;
  setWalk(walk: AnyWalkView | null, error?: string | null): void;
}

/** Makes a network store (the page makes one; tests may make their own). */
export function createNetworkStore() {
  return create<NetworkState>()((set) => ({
    open: true,
    tab: 'graph',
    view: 'backward',
    row: 0,
    index: 0,
    text: '',
    pinnedUnit: null,
    selected: null,
    walk: null,
    walkError: null,
    setOpen: (open) => set({ open }),
    setTab: (tab) => set({ tab }),
    setView: (view) => set({ view }),
    setRow: (row) => set({ row }),
    setIndex: (index) => set({ index }),
    setText: (text) => set({ text }),
    setPinnedUnit: (pinnedUnit) => set({ pinnedUnit }),
    setSelected: (selected) => set({ selected }),
    setWalk: (walk, walkError = null) => set(walk ? { walk, walkError } : { walk: null, walkError, selected: null }),
  }));
}

/** A network store as createNetworkStore makes it. */
export type NetworkStore = ReturnType<typeof createNetworkStore>;

/** The page's network store. */
export const useNetworkStore = createNetworkStore();

/** `open`. */
export const selectOpen = (s: NetworkState) => s.open;
/** `tab`. */
export const selectTab = (s: NetworkState) => s.tab;
/** `view`. */
export const selectView = (s: NetworkState) => s.view;
/** `row`. */
export const selectRow = (s: NetworkState) => s.row;
/** `index`. */
export const selectIndex = (s: NetworkState) => s.index;
/** `text`. */
export const selectText = (s: NetworkState) => s.text;
/** `pinnedUnit`. */
export const selectPinnedUnit = (s: NetworkState) => s.pinnedUnit;
/** `selected`. */
export const selectSelected = (s: NetworkState) => s.selected;
/** `walk`. */
export const selectWalk = (s: NetworkState) => s.walk;
/** `walkError`. */
export const selectWalkError = (s: NetworkState) => s.walkError;
