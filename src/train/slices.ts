/**
 * Scoring a validation set on a backend built for training batches of B examples: the set
 * is cut into slices of B, the last one padded by repeating its final example, and only the
 * real examples are tallied. Loss and metric are tallies (sum, count), so slices add up to
 * exactly the value of the whole set. One backend then serves both, and the GPU needs no
 * second network (nor a copy of the weights) for evaluation.
 */
import type { Batch } from '../engine/batch.ts';
import type { Tensor } from '../engine/tensor.ts';
import { negLogSoftmax, type Tally } from '../tasks/index.ts';

/** Examples in a batch. */
export function batchSize(batch: Batch): number {
  return batch.targets.shape[0];
}

/** Rows [start, start + count) of a batch-major tensor, repeating the last row up to `rows` rows. */
function takeRows<T extends Float64Array | Int32Array>(data: T, shape: readonly number[], start: number, count: number, rows: number): T {
  const per = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = new (data.constructor as new (n: number) => T)(rows * per);
  out.set(data.subarray(start * per, (start + count) * per));
  const last = data.subarray((start + count - 1) * per, (start + count) * per);
  for (let r = count; r < rows; r++) out.set(last, r * per);
  return out;
}

/** Examples [start, start + count) of a batch, padded to `rows` examples by repeating the last. */
export function sliceBatch(batch: Batch, start: number, count: number, rows = count): Batch {
  const cut = (t: Tensor): Tensor => ({ shape: [rows, ...t.shape.slice(1)], data: takeRows(t.data, t.shape, start, count, rows) });
  return {
    ...(batch.inputs && { inputs: cut(batch.inputs) }),
    ...(batch.tokens && { tokens: { shape: [rows, batch.tokens.shape[1]], data: takeRows(batch.tokens.data, batch.tokens.shape, start, count, rows) } }),
    targets: cut(batch.targets),
    loss: batch.loss,
    outputMode: batch.outputMode,
  };
}

/** The first `count` examples of head outputs ((B, T, O) or (B, O)). */
export function firstExamples(outputs: Tensor, count: number): Tensor {
  const per = outputs.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: [count, ...outputs.shape.slice(1)], data: outputs.data.subarray(0, count * per) };
}

/** The loss of outputs against a batch as a tally: the engine's mean (PyTorch's reduction) is sum / count. */
export function lossTally(outputs: Tensor, batch: Batch): Tally {
  const y = outputs.data;
  const targets = batch.targets.data;
  if (batch.loss === 'mse') {
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += (y[i] - targets[i]) ** 2;
    return { sum, count: y.length };
  }
  const O = outputs.shape[outputs.shape.length - 1];
  let sum = 0;
  for (let n = 0; n < targets.length; n++) sum += negLogSoftmax(y, n * O, O, targets[n]);
  return { sum, count: targets.length };
}
