/**
 * Which edited settings a run can take live and which wait for a reset. The trainer
 * (src/train/config.ts) takes the optimizer's numbers, the BPTT window, stateful, dropout,
 * the validation interval and the teacher-forcing schedule live; everything else needs a new run.
 */
import type { TrainerConfig } from '../train/config.ts';

/** Dotted paths of every leaf of a plain config (arrays and text count as leaves). */
function leaves(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (value !== undefined) {
    out.set(prefix, JSON.stringify(value));
  }
  return out;
}

/** Whether a path is a setting the run applies live. */
function isLive(path: string): boolean {
  if (path === 'training.optimizer.kind') return false;
  return path.startsWith('training.optimizer.') || path.startsWith('training.teacherForcing') || ['training.window', 'training.stateful', 'training.dropout', 'training.evalEvery'].includes(path);
}

/**
 * Paths (e.g. `model.hiddenSize`, `task.settings.T`, `seed`) whose edited value differs from
 * the run's and needs a new run; empty when there is no run yet.
 */
export function pendingPaths(applied: TrainerConfig | null, edited: TrainerConfig): string[] {
  if (!applied) return [];
  const a = leaves(applied, '', new Map());
  const e = leaves(edited, '', new Map());
  const paths = new Set([...a.keys(), ...e.keys()]);
  return [...paths].filter((p) => !isLive(p) && a.get(p) !== e.get(p)).sort();
}

/** The run's config with the edited live settings in it: what `configure` can apply without a new run. */
export function withLiveSettings(applied: TrainerConfig, edited: TrainerConfig): TrainerConfig {
  const t = edited.training;
  // A new optimizer kind comes with its own defaults; they wait for the new run with it.
  const optimizer = t.optimizer.kind === applied.training.optimizer.kind ? t.optimizer : applied.training.optimizer;
  return {
    ...applied,
    training: { ...applied.training, optimizer, window: t.window, stateful: t.stateful, dropout: t.dropout, evalEvery: t.evalEvery, teacherForcing: t.teacherForcing },
  };
}
