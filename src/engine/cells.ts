/**
 * One step of one recurrent cell for one example, forward and backward side by side.
 * The formulas and gate orders are PyTorch's (nn.RNN, nn.LSTM, nn.GRU). Every cell
 * receives its two affine projections already computed:
 *   xp = W_ih x_t + b_ih        (G*H)    hp = W_hh h_{t-1} + b_hh    (G*H)
 *
 * rnn_tanh / rnn_relu (G = 1):
 *   h_t = act(xp + hp)
 * lstm (G = 4, rows i, f, g, o):
 *   i = σ(xp_i + hp_i)   f = σ(xp_f + hp_f)   g = tanh(xp_g + hp_g)   o = σ(xp_o + hp_o)
 *   c_t = f ⊙ c_{t-1} + i ⊙ g
 *   h_t = o ⊙ tanh(c_t)
 * gru (G = 3, rows r, z, n):
 *   r = σ(xp_r + hp_r)   z = σ(xp_z + hp_z)   n = tanh(xp_n + r ⊙ hp_n)
 *   h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
 *
 * Backward receives dh = dL/dh_t (all paths) and, for the LSTM, dcNext = dL/dc_t
 * arriving from step t+1 through the forget gate; it returns the gradients of xp and hp
 * (which the network turns into weight, input and previous-state gradients) plus the
 * parts of dL/dh_{t-1} and dL/dc_{t-1} that bypass W_hh.
 */
import type { CellType } from './model.ts';

/** An activation's output with its derivative written in terms of that output. */
interface Activation {
  output(x: number): number;
  /** d output / d x, given y = output(x). */
  der(y: number): number;
}

/** Logistic sigmoid σ(x) = 1 / (1 + e^-x); σ' = σ (1 - σ). */
export const sigmoid: Activation = {
  output: (x) => 1 / (1 + Math.exp(-x)),
  der: (y) => y * (1 - y),
};

/** Hyperbolic tangent; tanh' = 1 - tanh². */
export const tanh: Activation = {
  output: (x) => Math.tanh(x),
  der: (y) => 1 - y * y,
};

/** Rectifier max(0, x); its derivative is taken as 0 at 0, as PyTorch does. */
export const relu: Activation = {
  output: (x) => (x > 0 ? x : 0),
  der: (y) => (y > 0 ? 1 : 0),
};

/** Per-example vectors a cell step reads and writes, as views into the network's buffers. */
export interface CellStepForward {
  xp: Float64Array;
  hp: Float64Array;
  /** c_{t-1}, LSTM only. */
  cPrev: Float64Array | null;
  /** h_{t-1}, read by the GRU. */
  hPrev: Float64Array;
  /** Out: activated gates (G*H) in PyTorch's row order (the rnn's single "gate" is h_t). */
  act: Float64Array;
  /** Out: h_t. */
  h: Float64Array;
  /** Out: c_t, LSTM only. */
  c: Float64Array | null;
}

/** Runs one forward step of `cell` with hidden size H. */
export function cellForward(cell: CellType, H: number, s: CellStepForward): void {
  const { xp, hp, act, h } = s;
  switch (cell) {
    case 'rnn_tanh':
    case 'rnn_relu': {
      const a = cell === 'rnn_tanh' ? tanh : relu;
      for (let j = 0; j < H; j++) h[j] = act[j] = a.output(xp[j] + hp[j]);
      return;
    }
    case 'lstm': {
      const c = s.c!;
      const cPrev = s.cPrev!;
      for (let j = 0; j < H; j++) {
        const i = sigmoid.output(xp[j] + hp[j]); // input gate
        const f = sigmoid.output(xp[H + j] + hp[H + j]); // forget gate
        const g = tanh.output(xp[2 * H + j] + hp[2 * H + j]); // input node (candidate)
        const o = sigmoid.output(xp[3 * H + j] + hp[3 * H + j]); // output gate
        c[j] = f * cPrev[j] + i * g; // cell state: the constant error carousel
        h[j] = o * Math.tanh(c[j]);
        act[j] = i;
        act[H + j] = f;
        act[2 * H + j] = g;
        act[3 * H + j] = o;
      }
      return;
    }
    case 'gru': {
      const hPrev = s.hPrev;
      for (let j = 0; j < H; j++) {
        const r = sigmoid.output(xp[j] + hp[j]); // reset gate
        const z = sigmoid.output(xp[H + j] + hp[H + j]); // update gate
        const n = tanh.output(xp[2 * H + j] + r * hp[2 * H + j]); // new gate (candidate)
        h[j] = (1 - z) * n + z * hPrev[j];
        act[j] = r;
        act[H + j] = z;
        act[2 * H + j] = n;
      }
      return;
    }
  }
}

/** Per-example vectors a backward step reads and writes. */
export interface CellStepBackward {
  /** Recorded in forward: activated gates, h_t, c_t, c_{t-1}, h_{t-1}, hp. */
  act: Float64Array;
  h: Float64Array;
  c: Float64Array | null;
  cPrev: Float64Array | null;
  hPrev: Float64Array;
  hp: Float64Array;
  /** dL/dh_t from every path (output and step t+1). */
  dh: Float64Array;
  /** dL/dc_t arriving from step t+1 (LSTM only). */
  dcNext: Float64Array | null;
  /** Out: dL/dc_t in total (LSTM only): dcNext plus the path through h_t. */
  dc: Float64Array | null;
  /** Out: dL/dc_{t-1} (LSTM only). */
  dcPrev: Float64Array | null;
  /** Out: dL/dxp and dL/dhp (G*H each). */
  dxp: Float64Array;
  dhp: Float64Array;
  /** Out: the part of dL/dh_{t-1} that does not pass through W_hh (GRU's z ⊙ dh; zero otherwise). */
  dhPrevDirect: Float64Array;
}

/** Runs one backward step of `cell` with hidden size H: the chain rule through the forward above. */
export function cellBackward(cell: CellType, H: number, s: CellStepBackward): void {
  const { act, dh, dxp, dhp, dhPrevDirect } = s;
  switch (cell) {
    case 'rnn_tanh':
    case 'rnn_relu': {
      const a = cell === 'rnn_tanh' ? tanh : relu;
      for (let j = 0; j < H; j++) {
        dxp[j] = dhp[j] = dh[j] * a.der(act[j]);
        dhPrevDirect[j] = 0;
      }
      return;
    }
    case 'lstm': {
      const c = s.c!;
      const cPrev = s.cPrev!;
      const dcNext = s.dcNext!;
      const dc = s.dc!;
      const dcPrev = s.dcPrev!;
      for (let j = 0; j < H; j++) {
        const i = act[j];
        const f = act[H + j];
        const g = act[2 * H + j];
        const o = act[3 * H + j];
        const tc = Math.tanh(c[j]);
        dc[j] = dcNext[j] + dh[j] * o * tanh.der(tc); // dL/dc_t: carousel + through h_t
        const dI = dc[j] * g * sigmoid.der(i);
        const dF = dc[j] * cPrev[j] * sigmoid.der(f);
        const dG = dc[j] * i * tanh.der(g);
        const dO = dh[j] * tc * sigmoid.der(o);
        dcPrev[j] = dc[j] * f;
        dxp[j] = dhp[j] = dI;
        dxp[H + j] = dhp[H + j] = dF;
        dxp[2 * H + j] = dhp[2 * H + j] = dG;
        dxp[3 * H + j] = dhp[3 * H + j] = dO;
        dhPrevDirect[j] = 0;
      }
      return;
    }
    case 'gru': {
      const { hPrev, hp } = s;
      for (let j = 0; j < H; j++) {
        const r = act[j];
        const z = act[H + j];
        const n = act[2 * H + j];
        const dN = dh[j] * (1 - z) * tanh.der(n); // through n's pre-activation
        const dZ = dh[j] * (hPrev[j] - n) * sigmoid.der(z);
        const dR = dN * hp[2 * H + j] * sigmoid.der(r);
        dxp[j] = dhp[j] = dR;
        dxp[H + j] = dhp[H + j] = dZ;
        dxp[2 * H + j] = dN;
        dhp[2 * H + j] = dN * r; // hp_n is scaled by r before the tanh
        dhPrevDirect[j] = dh[j] * z;
      }
      return;
    }
  }
}
