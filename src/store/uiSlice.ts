/** The UI slice: how the page looks (theme, the loss chart's scale, which panels are open). */
import type { StateCreator } from 'zustand';
import type { Store } from './store.ts';

/** The colour theme: the system's, or forced light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The left column's sections. */
export type PanelId = 'data' | 'model' | 'training';

/** The UI slice's state and actions. */
export interface UiSlice {
  theme: ThemeChoice;
  /** The loss chart's y axis on a log scale. */
  logScale: boolean;
  /** Which left-column sections are open. */
  open: Record<PanelId, boolean>;
  setTheme(theme: ThemeChoice): void;
  setLogScale(on: boolean): void;
  togglePanel(id: PanelId): void;
}

/** Builds the UI slice. */
export const createUiSlice: StateCreator<Store, [], [], UiSlice> = (set) => ({
  theme: 'system',
  logScale: true,
  open: { data: true, model: true, training: true },
  setTheme: (theme) => set({ theme }),
  setLogScale: (logScale) => set({ logScale }),
  togglePanel: (id) => set((s) => ({ open: { ...s.open, [id]: !s.open[id] } })),
});
