/**
 * Losses with PyTorch's mean reduction, each returning its value and its gradient
 * with respect to the head's outputs in one pass.
 *   mse:           L = (1/(N·O)) Σ (y - target)²            dL/dy = 2 (y - target) / (N·O)
 *   cross_entropy: L = -(1/N) Σ_n log softmax(y_n)[k_n]      dL/dy_n = (softmax(y_n) - onehot(k_n)) / N
 * y holds N rows of O values: (B, T, O) flattened for `sequence`, (B, O) for `last`.
 */
import type { LossKind } from './model.ts';

/** Loss value and dL/dy for N rows of O outputs; targets are values (mse) or N class indices (cross_entropy). */
export function lossWithGradient(kind: LossKind, y: Float64Array, targets: Float64Array, N: number, O: number): { loss: number; dy: Float64Array } {
  const dy = new Float64Array(N * O);
  let loss = 0;
  if (kind === 'mse') {
    const count = N * O;
    for (let i = 0; i < count; i++) {
      const e = y[i] - targets[i];
      loss += e * e;
      dy[i] = (2 * e) / count;
    }
    return { loss: loss / count, dy };
  }
  for (let n = 0; n < N; n++) {
    const o = n * O;
    let max = -Infinity;
    for (let k = 0; k < O; k++) max = Math.max(max, y[o + k]);
    let sum = 0;
    for (let k = 0; k < O; k++) sum += Math.exp(y[o + k] - max);
    const logSum = max + Math.log(sum); // log Σ exp(y), stable
    const target = targets[n];
    loss -= y[o + target] - logSum;
    for (let k = 0; k < O; k++) dy[o + k] = (Math.exp(y[o + k] - logSum) - (k === target ? 1 : 0)) / N;
  }
  return { loss: loss / N, dy };
}
