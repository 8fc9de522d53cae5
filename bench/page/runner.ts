/** What the benchmark drives: one implementation training one workload. */
import type { Implementation } from '../configs.ts';

/** One implementation, built on a workload's weights and batch. */
export interface Runner {
  readonly impl: Implementation;
  /** The device or library it runs on, for the report. */
  readonly detail: string;
  /** Makes this implementation's backend current (TF.js switches its global backend); untimed. */
  activate(): Promise<void>;
  /** Starts n training steps on the batch; may return before a GPU has run them. */
  train(n: number): void;
  /** Waits until every started step has finished (the end of a timed block). */
  finish(): Promise<void>;
  /** The loss on the batch at the current weights; untimed. */
  loss(): Promise<number>;
  dispose(): void;
}
