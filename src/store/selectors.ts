/** Selectors over the store, defined once here so components subscribe to exactly what they read. */
import { useMemo } from 'react';
import { taskById, type Task } from '../tasks/index.ts';
import { pendingPaths } from './pending.ts';
import { useStore, type Store } from './store.ts';

/** `config` of the store. */
export const selectConfig = (s: Store) => s.config;
/** `applied` of the store. */
export const selectApplied = (s: Store) => s.applied;
/** `config.task.id` of the store. */
export const selectTaskId = (s: Store) => s.config.task.id;
/** `config.task.settings` of the store. */
export const selectTaskSettings = (s: Store) => s.config.task.settings;
/** `config.model` of the store. */
export const selectModel = (s: Store) => s.config.model;
/** `config.init` of the store. */
export const selectInit = (s: Store) => s.config.init;
/** `config.training` of the store. */
export const selectTraining = (s: Store) => s.config.training;
/** `config.seed` of the store. */
export const selectSeed = (s: Store) => s.config.seed;
/** `backendChoice` of the store. */
export const selectBackendChoice = (s: Store) => s.backendChoice;
/** `status` of the store. */
export const selectStatus = (s: Store) => s.status;
/** `error` of the store. */
export const selectError = (s: Store) => s.error;
/** `info` of the store. */
export const selectInfo = (s: Store) => s.info;
/** `step` of the store. */
export const selectStep = (s: Store) => s.step;
/** `trainLoss` of the store. */
export const selectTrainLoss = (s: Store) => s.trainLoss;
/** `validationLoss` of the store. */
export const selectValidationLoss = (s: Store) => s.validationLoss;
/** `validationMetric` of the store. */
export const selectValidationMetric = (s: Store) => s.validationMetric;
/** `stepsPerSecond` of the store. */
export const selectStepsPerSecond = (s: Store) => s.stepsPerSecond;
/** `history` of the store. */
export const selectHistory = (s: Store) => s.history;
/** `earlier` of the store. */
export const selectEarlier = (s: Store) => s.earlier;
/** `logScale` of the store. */
export const selectLogScale = (s: Store) => s.logScale;
/** `open` of the store. */
export const selectOpen = (s: Store) => s.open;

/** The task being edited. */
export function useTask(): Task {
  const id = useStore(selectTaskId);
  return useMemo(() => taskById(id), [id]);
}

/** Paths of the edited settings that wait for a reset (see pending.ts). */
export function usePending(): string[] {
  const config = useStore(selectConfig);
  const applied = useStore(selectApplied);
  return useMemo(() => pendingPaths(applied, config), [applied, config]);
}

/** Whether any pending path starts with one of these prefixes (e.g. `model.hiddenSize`, `task.`). */
export function isPending(pending: readonly string[], ...prefixes: string[]): boolean {
  return pending.some((p) => prefixes.some((prefix) => p === prefix || p.startsWith(prefix.endsWith('.') ? prefix : `${prefix}.`)));
}
