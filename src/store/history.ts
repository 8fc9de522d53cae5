/**
 * A run's metric history outside React: the worker's metrics batches are appended here as
 * they arrive, and charts read the columns directly and redraw on `subscribe` (zustand's
 * "transient updates"), so training at full speed never re-renders the React tree per step.
 * Columns are plain arrays that only grow until `clear`; readers must not mutate them.
 */
import type { MetricsBatch, TrainPoint, ValidationPoint } from '../train/Trainer.ts';

/** One curve: x = optimizer step, y = value. Parallel arrays of equal length. */
export interface Series {
  step: number[];
  value: number[];
}

/** An empty series. */
function series(): Series {
  return { step: [], value: [] };
}

/** Appends a point to a series. */
function push(s: Series, step: number, value: number): void {
  s.step.push(step);
  s.value.push(value);
}

/** The curves of one run, growing as metrics arrive. */
export class RunHistory {
  /** Training loss per published step. */
  readonly trainLoss = series();
  /** ‖g‖ before clipping per published step. */
  readonly gradNorm = series();
  /** ‖g‖ after clipping per published step. */
  readonly clippedNorm = series();
  /** Validation loss per validation pass. */
  readonly validationLoss = series();
  /** The task's metric per validation pass. */
  readonly validationMetric = series();
  /** The latest published step's per (layer, direction) ‖dL/dh_t‖ over t, or null before any. */
  latest: TrainPoint | null = null;
  /** Steps per second the worker last reported. */
  stepsPerSecond = 0;
  /** Steps submitted so far, as the worker last reported. */
  stepsSubmitted = 0;
  /** Bumped on every change, so a reader can tell whether to redraw. */
  version = 0;
  private readonly listeners = new Set<() => void>();

  /** Appends a metrics batch from the worker and notifies the readers. */
  append(batch: MetricsBatch): void {
    for (const p of batch.train) this.addTrain(p);
    for (const v of batch.validation) this.addValidation(v);
    this.stepsPerSecond = batch.stepsPerSecond;
    this.stepsSubmitted = batch.stepsSubmitted;
    this.changed();
  }

  /** Forgets everything (a reset or a new run) and notifies the readers. */
  clear(): void {
    for (const s of [this.trainLoss, this.gradNorm, this.clippedNorm, this.validationLoss, this.validationMetric]) {
      s.step.length = 0;
      s.value.length = 0;
    }
    this.latest = null;
    this.stepsPerSecond = 0;
    this.stepsSubmitted = 0;
    this.changed();
  }

  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private addTrain(p: TrainPoint): void {
    push(this.trainLoss, p.step, p.loss);
    push(this.gradNorm, p.step, p.gradNorm);
    push(this.clippedNorm, p.step, p.clippedNorm);
    this.latest = p;
  }

  private addValidation(v: ValidationPoint): void {
    push(this.validationLoss, v.step, v.loss);
    push(this.validationMetric, v.step, v.metric);
  }

  private changed(): void {
    this.version++;
    for (const listener of this.listeners) listener();
  }
}
