/**
 * The page's state: one zustand store built from typed slices (config, run, ui), read
 * through the selectors in selectors.ts. Per-step training data stays out of it, in the
 * run's RunHistory, which charts read directly.
 */
import { create } from 'zustand';
import { createConfigSlice, type ConfigSlice } from './configSlice.ts';
import { createRunSlice, type RunSlice } from './runSlice.ts';
import { createUiSlice, type UiSlice } from './uiSlice.ts';

/** The whole state. */
export type Store = ConfigSlice & RunSlice & UiSlice;

/** Makes a store (the page makes one; tests make their own). */
export function createStore() {
  return create<Store>()((...a) => ({ ...createConfigSlice(...a), ...createRunSlice(...a), ...createUiSlice(...a) }));
}

/** A store as createStore makes it: a React hook with getState, setState and subscribe. */
export type AppStore = ReturnType<typeof createStore>;

/** The page's store. */
export const useStore = createStore();
