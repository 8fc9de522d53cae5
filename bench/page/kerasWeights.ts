/**
 * PyTorch's tensors (src/engine/model.ts, `state_dict` layout) as the weights of
 * TensorFlow.js's Keras layers, for a one-layer, one-direction model with a Dense head:
 *   kernel           (I, G·H) = W_ihᵀ
 *   recurrent_kernel (H, G·H) = W_hhᵀ
 *   bias             (G·H)    = b_ih + b_hh
 *   Dense kernel     (H, O)   = head.weightᵀ, Dense bias (O) = head.bias
 * Gate blocks: LSTM i,f,g,o is Keras's i,f,c,o (same order). GRU: PyTorch r,z,n becomes Keras
 * z,r,h; Keras's GRU (TF.js has no reset_after) applies r before the recurrent product,
 * h̃ = tanh(W_h x + U_h (r ⊙ h) + b), where PyTorch takes n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),
 * so b_hn lands outside r and the two GRUs compute different functions from the same numbers.
 */
import type { TensorMap } from '../../src/engine/tensor.ts';
import { gates, type BenchCell } from '../configs.ts';

/** One Keras weight: float32 data and its shape. */
export interface KerasWeight {
  shape: number[];
  data: Float32Array;
}

/** Keras block k takes PyTorch block ORDER[cell][k]. */
const ORDER: Record<BenchCell, number[]> = { lstm: [0, 1, 2, 3], gru: [1, 0, 2], rnn_tanh: [0] };

/** (rows, cols) row-major -> (cols, rows), with the row blocks of `block` rows reordered by `order`. */
function transposeBlocks(src: Float64Array, rows: number, cols: number, block: number, order: number[]): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < block; j++) {
      const r = order[k] * block + j;
      const c = k * block + j;
      for (let i = 0; i < cols; i++) out[i * rows + c] = src[r * cols + i];
    }
  }
  return out;
}

/** The recurrent layer's [kernel, recurrent_kernel, bias] and the head's [kernel, bias], from PyTorch's tensors. */
export function kerasWeights(cell: BenchCell, params: TensorMap): { rnn: KerasWeight[]; head: KerasWeight[] } {
  const get = (name: string) => params.get(name)!;
  const wih = get('rnn.weight_ih_l0');
  const whh = get('rnn.weight_hh_l0');
  const [GH, I] = wih.shape;
  const H = GH / gates(cell);
  const order = ORDER[cell];
  const bias = new Float32Array(GH);
  const bih = get('rnn.bias_ih_l0').data;
  const bhh = get('rnn.bias_hh_l0').data;
  for (let k = 0; k < order.length; k++) {
    for (let j = 0; j < H; j++) bias[k * H + j] = bih[order[k] * H + j] + bhh[order[k] * H + j];
  }
  const head = get('head.weight');
  const [O] = head.shape;
  return {
    rnn: [
      { shape: [I, GH], data: transposeBlocks(wih.data, GH, I, H, order) },
      { shape: [H, GH], data: transposeBlocks(whh.data, GH, H, H, order) },
      { shape: [GH], data: bias },
    ],
    head: [
      { shape: [H, O], data: transposeBlocks(head.data, O, H, O, [0]) },
      { shape: [O], data: Float32Array.from(get('head.bias').data) },
    ],
  };
}
