/**
 * How far each output's error reaches back in time: ‖dℓ_t/dh_k‖ for every output step t and
 * every step k, per (layer, direction), where ℓ_t is the loss of the output at t alone. In a
 * unidirectional network an output at t depends only on steps k ≤ t, so the table is a lower
 * triangle; how fast it fades away from the diagonal is the vanishing gradient of lectures 002
 * and 003 ("the gradient of a later output reaches early steps through W_hh applied again and
 * again"), and a window cuts it off. One BPTT walk per output row (bpttWalk's `onlyOutput`),
 * so the cost is T walks: meant for one example at modest T.
 */
import { batchDims, type Batch } from './batch.ts';
import { bpttWalk } from './bpttWalk.ts';
import type { ModelConfig } from './model.ts';
import type { TensorMap } from './tensor.ts';

/** ‖dℓ_t/dh_k‖ per (layer, direction). */
export interface OutputReach {
  /** Output rows: T for sequence outputs, 1 (the last step) for many-to-one. */
  rows: number;
  /** Steps. */
  T: number;
  /** Time of each output row (t for sequence outputs, T - 1 for many-to-one). */
  rowTime: Int32Array;
  /** Per (layer, direction), at layer · D + dir: (rows, T) row-major, entry [r, k] = ‖dℓ_r/dh_k‖. */
  norms: Float64Array[];
}

/** The table of ‖dℓ_t/dh_k‖ for one example (B = 1) with the given window. */
export function outputReach(config: ModelConfig, params: TensorMap, batch: Batch, bpttWindow?: number): OutputReach {
  const { T } = batchDims(batch);
  const rows = batch.outputMode === 'last' ? 1 : T;
  const H = config.hiddenSize;
  let norms: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const walk = bpttWalk(config, params, batch, { bpttWindow, onlyOutput: r });
    if (r === 0) norms = walk.dirs.map(() => new Float64Array(rows * T));
    walk.dirs.forEach((d, i) => {
      for (let k = 0; k < T; k++) {
        let s = 0;
        for (let j = 0; j < H; j++) s += d.dh[k * H + j] ** 2;
        norms[i][r * T + k] = Math.sqrt(s);
      }
    });
  }
  return { rows, T, rowTime: Int32Array.from({ length: rows }, (_, r) => (rows === 1 ? T - 1 : r)), norms };
}
