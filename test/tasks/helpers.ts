/** Shared pieces of the task tests: the shipped files, as the browser would fetch them, and ideal outputs. */
import { readFileSync } from 'node:fs';
import type { Batch } from '../../src/engine/batch.ts';
import type { Tensor } from '../../src/engine/tensor.ts';
import { TASKS, type TaskFiles } from '../../src/tasks/index.ts';

/** Every file the tasks list, read from public/. */
export const FILES: TaskFiles = new Map(
  TASKS.flatMap((t) => t.info.files).map((path) => [path, readFileSync(new URL(`../../public/${path}`, import.meta.url), 'utf8')]),
);

/** Outputs that predict a batch perfectly: the targets themselves (mse), or logits of 30 on the target class (cross-entropy). */
export function perfectOutputs(batch: Batch, O: number): Tensor {
  if (batch.loss === 'mse') return { shape: [...batch.targets.shape], data: batch.targets.data.slice() };
  const t = batch.targets.data;
  const data = new Float64Array(t.length * O);
  for (let n = 0; n < t.length; n++) data[n * O + t[n]] = 30;
  return { shape: [...batch.targets.shape, O], data };
}

/** Logits (N rows of O, shaped like `shape`) from per-row class scores. */
export function logits(shape: number[], rows: number[][]): Tensor {
  return { shape, data: Float64Array.from(rows.flat()) };
}
