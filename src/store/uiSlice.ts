/**
 * The UI slice: how the page looks (the loss chart's scale, which panels are open). The
 * theme follows the system setting (theme.css); there is no override yet.
 */
import type { StateCreator } from 'zustand';
import type { Store } from './store.ts';

/** The left column's sections. */
export type PanelId = 'data' | 'model' | 'training';

/** The UI slice's state and actions. */
export interface UiSlice {
  /** The loss chart's y axis on a log scale. */
  logScale: boolean;
  /** Which left-column sections are open. */
  open: Record<PanelId, boolean>;
  setLogScale(on: boolean): void;
  togglePanel(id: PanelId): void;
}

/** Whether the page is at least tablet-wide; on a phone the model and training sections start closed, so the charts are near. */
function wide(): boolean {
  return typeof globalThis.matchMedia !== 'function' || globalThis.matchMedia('(min-width: 701px)').matches;
}

/** Builds the UI slice. */
export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  logScale: true,
  open: { data: true, model: wide(), training: wide() },
  setLogScale: (logScale) => set({ logScale }),
  togglePanel: (id) => set((s) => ({ open: { ...s.open, [id]: !s.open[id] } })),
});
