/**
 * The run slice: what the top bar shows about the run in force. Numbers here are copied
 * from the metric history a few times a second (session.ts throttles), never per step;
 * charts read the history itself (history.ts).
 */
import type { StateCreator } from 'zustand';
import type { TrainerConfig } from '../train/config.ts';
import type { RunInfo } from '../train/protocol.ts';
import { RunHistory } from './history.ts';
import type { Store } from './store.ts';

/** Where the run is. */
export type RunStatus = 'idle' | 'initialising' | 'paused' | 'playing' | 'error';

/** An earlier run kept for comparison: its curves and the config it ran with. */
export interface EarlierRun {
  history: RunHistory;
  config: TrainerConfig;
}

/** The latest numbers of the run, as the top bar shows them. */
export interface RunNumbers {
  step: number;
  /** Latest published training loss, or null before any. */
  trainLoss: number | null;
  /** Latest validation loss and metric, or null before any pass. */
  validationLoss: number | null;
  validationMetric: number | null;
  stepsPerSecond: number;
}

/** The run slice's state and actions. */
export interface RunSlice extends RunNumbers {
  status: RunStatus;
  /** What the worker said when the run was built: backend, metric, model. */
  info: RunInfo | null;
  /** A message for the user when something failed; null otherwise. */
  error: string | null;
  /** The current run's curves. */
  history: RunHistory;
  /** Up to three earlier runs, newest first (the loss chart's faint curves). */
  earlier: EarlierRun[];
  setStatus(status: RunStatus): void;
  /** Records a failure: status `error` with the message. */
  fail(message: string): void;
  setInfo(info: RunInfo): void;
  setNumbers(numbers: RunNumbers): void;
  /**
   * Starts a new history for a run of `next`; the old one (of `previous`) joins the earlier
   * runs when it has any points. Earlier runs of another task are dropped (their losses do not compare).
   */
  newHistory(previous: TrainerConfig | null, next: TrainerConfig): void;
}

/** How many earlier runs the chart keeps. */
export const EARLIER_RUNS = 3;

const ZERO: RunNumbers = { step: 0, trainLoss: null, validationLoss: null, validationMetric: null, stepsPerSecond: 0 };

/** Builds the run slice. */
export const createRunSlice: StateCreator<Store, [], [], RunSlice> = (set) => ({
  ...ZERO,
  status: 'idle',
  info: null,
  error: null,
  history: new RunHistory(),
  earlier: [],
  setStatus: (status) => set(status === 'error' ? { status } : { status, error: null }),
  fail: (error) => set({ status: 'error', error }),
  setInfo: (info) => set({ info }),
  setNumbers: (numbers) => set(numbers),
  newHistory: (previous, next) =>
    set((s) => {
      const kept = s.history.trainLoss.step.length > 0 && previous ? [{ history: s.history, config: previous }, ...s.earlier] : s.earlier;
      return { history: new RunHistory(), earlier: kept.filter((run) => run.config.task.id === next.task.id).slice(0, EARLIER_RUNS), ...ZERO };
    }),
});
