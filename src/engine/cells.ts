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
 *   The lectures' ladder switches gates off: a missing gate is the constant 1 and has no
 *   rows (no gates: the residual cell c_t = c_{t-1} + g, h_t = tanh(c_t)). With peepholes,
 *   i and f also see p_i ⊙ c_{t-1} and p_f ⊙ c_{t-1}, and o sees p_o ⊙ c_t.
 * gru (G = 3, rows r, z, n):
 *   r = σ(xp_r + hp_r)   z = σ(xp_z + hp_z)   n = tanh(xp_n + r ⊙ hp_n)
 *   h_t = (1 - z) ⊙ n + z ⊙ h_{t-1}
 *
 * Backward receives dh = dL/dh_t (all paths) and, for the LSTM, dcNext = dL/dc_t
 * arriving from step t+1 through the forget gate; it returns the gradients of xp and hp
 * (which the network turns into weight, input and previous-state gradients) plus the
 * parts of dL/dh_{t-1} and dL/dc_{t-1} that bypass W_hh.
 */
import { gateNames, lstmOptions, type CellType, type ModelConfig } from './model.ts';

/** An activation's output with its derivative written in terms of that output. */
export interface Activation {
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

/** What a cell step needs to know of the model. */
export interface CellSpec {
  cell: CellType;
  /** LSTM: the row block of each gate (-1 when the gate is switched off, i.e. constant 1). */
  rows: { i: number; f: number; g: number; o: number };
  /** LSTM: peephole weights are read (3H: p_i, p_f, p_o; an absent gate's block is unused). */
  peepholes: boolean;
}

/** The cell spec of a model. */
export function cellSpec(config: ModelConfig): CellSpec {
  const names = gateNames(config);
  const at = (g: string) => names.indexOf(g);
  return {
    cell: config.cell,
    rows: { i: at('i'), f: at('f'), g: at('g'), o: at('o') },
    peepholes: config.cell === 'lstm' && lstmOptions(config).peepholes,
  };
}

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
  /** (3H) peephole weights p_i, p_f, p_o, when the spec has peepholes. */
  peep?: Float64Array | null;
}

/** Runs one forward step of a cell with hidden size H. */
export function cellForward(spec: CellSpec, H: number, s: CellStepForward): void {
  const { xp, hp, act, h } = s;
  switch (spec.cell) {
    case 'rnn_tanh':
    case 'rnn_relu': {
      const a = spec.cell === 'rnn_tanh' ? tanh : relu;
      for (let j = 0; j < H; j++) h[j] = act[j] = a.output(xp[j] + hp[j]);
      return;
    }
    case 'lstm': {
      const c = s.c!;
      const cPrev = s.cPrev!;
      const { rows } = spec;
      const p = spec.peepholes ? s.peep! : null;
      /** Pre-activation of the gate whose rows start at block r, for unit j. */
      const pre = (r: number, j: number) => xp[r * H + j] + hp[r * H + j];
      for (let j = 0; j < H; j++) {
        const i = rows.i < 0 ? 1 : sigmoid.output(pre(rows.i, j) + (p ? p[j] * cPrev[j] : 0)); // input gate
        const f = rows.f < 0 ? 1 : sigmoid.output(pre(rows.f, j) + (p ? p[H + j] * cPrev[j] : 0)); // forget gate
        const g = tanh.output(pre(rows.g, j)); // input node (candidate)
        c[j] = f * cPrev[j] + i * g; // cell state: the constant error carousel
        const o = rows.o < 0 ? 1 : sigmoid.output(pre(rows.o, j) + (p ? p[2 * H + j] * c[j] : 0)); // output gate
        h[j] = o * Math.tanh(c[j]);
        if (rows.i >= 0) act[rows.i * H + j] = i;
        if (rows.f >= 0) act[rows.f * H + j] = f;
        act[rows.g * H + j] = g;
        if (rows.o >= 0) act[rows.o * H + j] = o;
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
  /** (3H) peephole weights, and their gradient, accumulated with += (when the spec has peepholes). */
  peep?: Float64Array | null;
  dPeep?: Float64Array | null;
}

/** Runs one backward step of a cell with hidden size H: the chain rule through the forward above. */
export function cellBackward(spec: CellSpec, H: number, s: CellStepBackward): void {
  const { act, dh, dxp, dhp, dhPrevDirect } = s;
  switch (spec.cell) {
    case 'rnn_tanh':
    case 'rnn_relu': {
      const a = spec.cell === 'rnn_tanh' ? tanh : relu;
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
      const { rows } = spec;
      const p = spec.peepholes ? s.peep! : null;
      const dp = spec.peepholes ? s.dPeep! : null;
      /** Writes a gate's pre-activation gradient into its rows of dxp and dhp. */
      const put = (r: number, j: number, v: number) => (dxp[r * H + j] = dhp[r * H + j] = v);
      for (let j = 0; j < H; j++) {
        const i = rows.i < 0 ? 1 : act[rows.i * H + j];
        const f = rows.f < 0 ? 1 : act[rows.f * H + j];
        const g = act[rows.g * H + j];
        const o = rows.o < 0 ? 1 : act[rows.o * H + j];
        const tc = Math.tanh(c[j]);
        const dO = rows.o < 0 ? 0 : dh[j] * tc * sigmoid.der(o);
        // dL/dc_t: the carousel from t+1, the path through h_t, and o's peephole.
        dc[j] = dcNext[j] + dh[j] * o * tanh.der(tc) + (p ? dO * p[2 * H + j] : 0);
        const dI = rows.i < 0 ? 0 : dc[j] * g * sigmoid.der(i);
        const dF = rows.f < 0 ? 0 : dc[j] * cPrev[j] * sigmoid.der(f);
        const dG = dc[j] * i * tanh.der(g);
        dcPrev[j] = dc[j] * f + (p ? dI * p[j] + dF * p[H + j] : 0);
        if (dp) {
          dp[j] += dI * cPrev[j];
          dp[H + j] += dF * cPrev[j];
          dp[2 * H + j] += dO * c[j];
        }
        if (rows.i >= 0) put(rows.i, j, dI);
        if (rows.f >= 0) put(rows.f, j, dF);
        put(rows.g, j, dG);
        if (rows.o >= 0) put(rows.o, j, dO);
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
