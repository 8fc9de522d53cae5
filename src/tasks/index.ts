/**
 * The task registry: every task in display order, the order the issue lists the
 * lectures' sequence shapes and memory tests.
 */
import { addingTask } from './adding.ts';
import { charModelTask } from './charModel.ts';
import { copyTask } from './copy.ts';
import { reberTask } from './reber.ts';
import { sentimentTask } from './sentiment.ts';
import { seq2seqTask } from './seq2seq.ts';
import { taggingTask } from './tagging.ts';
import { timeSeriesTask } from './timeSeries.ts';
import type { Task } from './types.ts';

/** Every task, in display order. */
export const TASKS: readonly Task[] = [timeSeriesTask, addingTask, copyTask, charModelTask, reberTask, sentimentTask, seq2seqTask, taggingTask];

/** The task with this id; throws naming the known ids. */
export function taskById(id: string): Task {
  const task = TASKS.find((t) => t.info.id === id);
  if (!task) throw new RangeError(`unknown task "${id}"; known: ${TASKS.map((t) => t.info.id).join(', ')}`);
  return task;
}

export * from './types.ts';
export * from './settings.ts';
export * from './modelConfig.ts';
export * from './metrics.ts';
export * from './encoding.ts';
export * from './text.ts';
export { freeRunForecast } from './timeSeries.ts';
export { addingTask, charModelTask, copyTask, reberTask, sentimentTask, seq2seqTask, taggingTask, timeSeriesTask };
