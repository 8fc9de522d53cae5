/**
 * The config slice: the TrainerConfig being edited, the one the run in force was built
 * from, and which edited settings wait for a reset. Live settings (the optimizer's numbers,
 * the BPTT window, stateful, dropout) are applied by the session as they change; the rest
 * are listed in `pending` until reset builds a new run.
 */
import type { StateCreator } from 'zustand';
import { defaultOptimizer, type OptimizerConfig } from '../engine/index.ts';
import type { Architecture, SettingValue } from '../tasks/index.ts';
import type { TrainerConfig, TrainingConfig } from '../train/config.ts';
import type { BackendChoice } from '../train/protocol.ts';
import { defaultConfig, FIRST_TASK } from './defaults.ts';
import type { Store } from './store.ts';

/** The config slice's state and actions. */
export interface ConfigSlice {
  /** The config as edited on the page. */
  config: TrainerConfig;
  /** The config of the run in force (live changes included); null before the first run. */
  applied: TrainerConfig | null;
  /** Backend the next run is built on: WebGPU where the browser has it, or the CPU. */
  backendChoice: BackendChoice;
  /** Picks a task with its page defaults (model and training too). */
  setTask(id: string): void;
  /** Sets one of the task's own settings. */
  setTaskSetting(key: string, value: SettingValue): void;
  /** Changes the architecture. */
  setModel(change: Partial<Architecture>): void;
  /** Changes the initialization. */
  setInit(change: Partial<TrainerConfig['init']>): void;
  /** Changes how the run trains (batch size, window, stateful, dropout). */
  setTraining(change: Partial<Omit<TrainingConfig, 'optimizer'>>): void;
  /** Changes the optimizer's numbers; a new kind starts from that kind's defaults, keeping clipping and weight decay. */
  setOptimizer(change: Partial<OptimizerConfig>): void;
  setSeed(seed: number): void;
  setBackendChoice(choice: BackendChoice): void;
  /** Records the config a run was built with or changed to. */
  setApplied(config: TrainerConfig): void;
}

/** Builds the config slice. */
export const createConfigSlice: StateCreator<Store, [], [], ConfigSlice> = (set) => {
  const edit = (change: (c: TrainerConfig) => TrainerConfig) => set((s) => ({ config: change(s.config) }));
  return {
    config: defaultConfig(FIRST_TASK),
    applied: null,
    backendChoice: 'auto',
    setTask: (id) => set({ config: defaultConfig(id) }),
    setTaskSetting: (key, value) => edit((c) => ({ ...c, task: { ...c.task, settings: { ...c.task.settings, [key]: value } } })),
    setModel: (change) => edit((c) => ({ ...c, model: { ...c.model, ...change } })),
    setInit: (change) => edit((c) => ({ ...c, init: { ...c.init, ...change } })),
    setTraining: (change) => edit((c) => ({ ...c, training: { ...c.training, ...change } })),
    setOptimizer: (change) =>
      edit((c) => {
        const old = c.training.optimizer;
        const kept = { weightDecay: old.weightDecay, clipNorm: old.clipNorm, clipValue: old.clipValue };
        const optimizer = change.kind && change.kind !== old.kind ? { ...defaultOptimizer(change.kind), ...kept, ...change } : { ...old, ...change };
        return { ...c, training: { ...c.training, optimizer } };
      }),
    setSeed: (seed) => edit((c) => ({ ...c, seed })),
    setBackendChoice: (backendChoice) => set({ backendChoice }),
    setApplied: (applied) => set({ applied }),
  };
};
