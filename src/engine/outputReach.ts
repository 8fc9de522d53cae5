/**
 * How far each output's error reaches back in time: ‖dℓ_t/dh_k‖ for every output step t and
 * every step k, per (layer, direction), where ℓ_t is the loss of the output at t alone. In a
 * unidirectional network an output at t depends only on steps k ≤ t, so the table is a lower
 * triangle; how fast it fades away from the diagonal is the vanishing gradient of lectures 002
 * and 003 ("the gradient of a later output reaches early steps through W_hh applied again and
 * again"), and a window cuts it off. One BPTT walk per output row (bpttWalk's `onlyOutput`),
 * so the cost is T walks: meant for one example at modest T.
 *
 * The encoder-decoder's table (seq2seqOutputReach) has a row per decoder output u (through
 * </s>) and a column per encoder step, then per decoder step: ℓ_u reaches every encoder step
 * through the hand-over, and the decoder's steps k ≤ u. One seq2seq walk per output row
 * (seq2seqWalk's `onlyOutput`).
 */
import { batchDims, type Batch } from './batch.ts';
import { bpttWalk, type BpttWalk } from './bpttWalk.ts';
import type { ModelConfig } from './model.ts';
import type { Seq2SeqBatch, Seq2SeqConfig, TeacherForcing } from './seq2seq.ts';
import { seq2seqWalk } from './seq2seqWalk.ts';
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

/** ‖dℓ_u/dh_k‖ of an encoder-decoder's example, per layer. */
export interface Seq2SeqOutputReach {
  /** Output rows: the decoder's U outputs, through </s>. */
  rows: number;
  /** Encoder steps S (padding included: the encoder reads it). */
  S: number;
  /** Per layer: (U, S) row-major, entry [u, k] = ‖dℓ_u/dh_k‖ at encoder step k. */
  encoder: Float64Array[];
  /** Per layer: (U, U) row-major, entry [u, k] = ‖dℓ_u/dh_k‖ at decoder step k (zero for k > u). */
  decoder: Float64Array[];
}

/** Writes ‖dh_k‖ of every step k of each (layer, direction) of a walk into row r of its table. */
function writeRow(walk: BpttWalk, r: number, into: Float64Array[]): void {
  const { T, hiddenSize: H } = walk;
  walk.dirs.forEach((d, i) => {
    for (let k = 0; k < T; k++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += d.dh[k * H + j] ** 2;
      into[i][r * T + k] = Math.sqrt(s);
    }
  });
}

/** The table of ‖dℓ_t/dh_k‖ for one example (B = 1) with the given window. */
export function outputReach(config: ModelConfig, params: TensorMap, batch: Batch, bpttWindow?: number): OutputReach {
  const { T } = batchDims(batch);
  const rows = batch.outputMode === 'last' ? 1 : T;
  let norms: Float64Array[] = [];
  for (let r = 0; r < rows; r++) {
    const walk = bpttWalk(config, params, batch, { bpttWindow, onlyOutput: r });
    if (r === 0) norms = walk.dirs.map(() => new Float64Array(rows * T));
    writeRow(walk, r, norms);
  }
  return { rows, T, rowTime: Int32Array.from({ length: rows }, (_, r) => (rows === 1 ? T - 1 : r)), norms };
}

/** The encoder-decoder's table of ‖dℓ_u/dh_k‖ for one example (B = 1), its decoder's inputs drawn with teacher forcing `tf`. */
export function seq2seqOutputReach(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch, tf: TeacherForcing): Seq2SeqOutputReach {
  let rows = 1; // known after the first walk (which checks the batch)
  let S = 0;
  let encoder: Float64Array[] = [];
  let decoder: Float64Array[] = [];
  for (let u = 0; u < rows; u++) {
    const walk = seq2seqWalk(cfg, params, batch, tf, { onlyOutput: u });
    if (u === 0) {
      ({ T: rows } = walk.decoder);
      ({ T: S } = walk.encoder);
      encoder = walk.encoder.dirs.map(() => new Float64Array(rows * S));
      decoder = walk.decoder.dirs.map(() => new Float64Array(rows * rows));
    }
    writeRow(walk.encoder, u, encoder);
    writeRow(walk.decoder, u, decoder);
  }
  return { rows, S, encoder, decoder };
}
