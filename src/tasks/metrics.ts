/**
 * The metrics tasks report beside the loss, as tallies (sum, count) so a set scored in
 * slices adds up to the same value. Outputs are the engine's head outputs, N rows of O
 * values: (B, T, O) for `sequence`, (B, O) for `last`, row n = b·T + t or b.
 */
import type { Batch } from '../engine/batch.ts';
import type { Tensor } from '../engine/tensor.ts';
import type { Metric, MetricReference, Tally } from './types.ts';

/** Index of the largest of data[offset .. offset + O) (the first, on ties). */
export function argmax(data: ArrayLike<number>, offset: number, O: number): number {
  let best = 0;
  for (let k = 1; k < O; k++) if (data[offset + k] > data[offset + best]) best = k;
  return best;
}

/** Values per output row. */
function width(outputs: Tensor): number {
  return outputs.shape[outputs.shape.length - 1];
}

/** Tally of rows whose largest output is the target class. */
export function accuracyTally(outputs: Tensor, targets: ArrayLike<number>, rows: Iterable<number>): Tally {
  const O = width(outputs);
  let sum = 0;
  let count = 0;
  for (const n of rows) {
    if (argmax(outputs.data, n * O, O) === targets[n]) sum++;
    count++;
  }
  return { sum, count };
}

/** The mean of a tally (NaN for an empty one). */
export function meanOf(t: Tally): number {
  return t.sum / t.count;
}

/** Adds tallies. */
export function addTallies(a: Tally, b: Tally): Tally {
  return { sum: a.sum + b.sum, count: a.count + b.count };
}

/** A metric's value on one batch. */
export function metricValue<TBatch>(metric: Metric<TBatch>, outputs: Tensor, batch: TBatch): number {
  return metric.value(metric.tally(outputs, batch));
}

/** What a metric says besides how it is computed. */
interface MetricText {
  name: string;
  description: string;
  baseline: MetricReference;
  causalLimit?: MetricReference;
}

/** Accuracy of the argmax over the output rows `rows(batch)` picks. */
export function accuracyMetric(text: MetricText, rows: (batch: Batch) => Iterable<number>): Metric {
  return { ...text, better: 'higher', tally: (outputs, batch) => accuracyTally(outputs, batch.targets.data, rows(batch)), value: meanOf };
}

/** Every row of a batch. */
export function allRows(batch: Batch): Iterable<number> {
  const n = batch.targets.shape[0] * (batch.outputMode === 'sequence' ? batch.targets.shape[1] : 1);
  return Array.from({ length: n }, (_, i) => i);
}

/** Mean squared error over every output value (the mse loss itself). */
export function mseMetric(text: MetricText): Metric {
  return {
    ...text,
    better: 'lower',
    tally(outputs, batch) {
      let sum = 0;
      for (let i = 0; i < outputs.data.length; i++) sum += (outputs.data[i] - batch.targets.data[i]) ** 2;
      return { sum, count: outputs.data.length };
    },
    value: meanOf,
  };
}

/** -log softmax(y)[k] of one row, computed stably. */
export function negLogSoftmax(y: ArrayLike<number>, offset: number, O: number, k: number): number {
  let max = -Infinity;
  for (let j = 0; j < O; j++) max = Math.max(max, y[offset + j]);
  let sum = 0;
  for (let j = 0; j < O; j++) sum += Math.exp(y[offset + j] - max);
  return max + Math.log(sum) - y[offset + k];
}

/** Perplexity exp(mean cross-entropy in nats) over every row: as unsure as a uniform choice among that many. */
export function perplexityMetric(text: MetricText): Metric {
  return {
    ...text,
    better: 'lower',
    tally(outputs, batch) {
      const O = width(outputs);
      const targets = batch.targets.data;
      let sum = 0;
      for (let n = 0; n < targets.length; n++) sum += negLogSoftmax(outputs.data, n * O, O, targets[n]);
      return { sum, count: targets.length };
    },
    value: (t) => Math.exp(meanOf(t)),
  };
}
