/**
 * The BPTT walk: one example's forward and backward pass through every (layer, direction),
 * step by step, as the step-through view shows it. Forward is the engine's own `forward`;
 * backward repeats network.ts's loop with cells.ts's `cellBackward`, recording what each
 * step receives and adds (lecture 002, "Backpropagation through time"; 003, "BPTT sums
 * gradients over time").
 *
 * Forward at step t (lstm; the other cells as in cells.ts):
 *   i, f, g, o = σ, σ, tanh, σ of (W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), rows i, f, g, o
 *   c_t = f ⊙ c_{t-1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
 * Backward, in processing order of the backward pass (t = T-1 .. 0 forward, 0 .. T-1 reverse):
 *   fromOutput_t = W_headᵀ dL/dy_t (top layer) or dL/dx^{l+1}_t's rows of this direction (below it)
 *   fromNext_t   = dL/dh_t via step t+1: W_hhᵀ δ_{t+1} (+ z ⊙ dL/dh_{t+1} for the GRU), 0 when cut
 *   dL/dh_t      = fromOutput_t + fromNext_t
 *   dL/dc_t      = dL/dc_{t+1} ⊙ f_{t+1} (the constant error carousel) + dL/dh_t ⊙ o ⊙ tanh'(c_t)
 *   δ_t          = dL/d(pre-activation) of each gate (cellBackward's dxp; dhp differs for GRU's n: r ⊙ δ_n)
 *   ΔW_ih = δ_t x_tᵀ   ΔW_hh = δʰ_t h_{t-1}ᵀ   Δb_ih = δ_t   Δb_hh = δʰ_t
 * Truncation with window k cuts the gradient into the previous step at processing index p
 * when p > 0 and p % k == 0, as network.ts does; the step processed just before such a p in
 * the backward pass (p - 1) then receives no fromNext, and its `cut` flag is set.
 *
 * A decoder's walk starts from its encoder's final state (`initial`); an encoder's walk is headless,
 * seeded at its last processed step with the decoder's dL/d(that state) (`finalStateGrad`); every walk
 * reports what flows past its first processed step (`initialStateGrad`). seq2seqWalk.ts joins the two.
 *
 * Jordan output feedback (y_{t-1} fed back into h_t through W_hy) is walked by jordanWalk.ts with
 * jordan.ts's own backward step: dL/dh_t gains a third part, `feedback.fromFeedback`, and the
 * record gains the feedback weights' ΔW_hy.
 *
 * Memory: every per-step vector is stored ((T, H) or (T, G·H) per direction). The weight
 * contributions are rank one, ΔW = δ xᵀ, so each is kept as its Frobenius norm ‖δ‖‖x‖, and the
 * running totals as their norms; the full (G·H, In) and (G·H, H) matrices (the step's
 * contribution and the totals after it) are kept only at the steps listed in `fullMatricesAt`,
 * plus the final totals. An LSTM with T = 200, H = 128 takes about 4 MB per direction.
 */
import { batchDims, type Batch } from './batch.ts';
import { cellBackward, cellSpec } from './cells.ts';
import { addMatTVec, addOuter, affine } from './linalg.ts';
import { lossWithGradient } from './loss.ts';
import { directions, gateCount, gateNames, layerSuffix, peepholeGates, type CellType, type ModelConfig, type OutputMode } from './model.ts';
import { jordanWalk } from './jordanWalk.ts';
import { forward, type RecurrentState } from './network.ts';
import { norm, type TensorMap } from './tensor.ts';

/** Options of {@link bpttWalk}. */
export interface WalkOptions {
  /** Truncated BPTT window k ≥ 1 (default: the sequence length, i.e. full BPTT). */
  bpttWindow?: number;
  /** Times t (0-based) at which to keep the full ΔW matrices and running totals (default none). */
  fullMatricesAt?: number[];
  /**
   * Backpropagate the loss of output row n alone (its own loss ℓ_n, not ℓ_n / N): the walk's
   * gradients are then dℓ_n/d·. Default: the example's loss, the mean over its outputs.
   */
  onlyOutput?: number;
  /** The state each (layer, direction) starts from, one H-vector per direction (default zero): a decoder's hand-over. */
  initial?: RecurrentState;
  /** dL/d(final state) from outside (an encoder's, from its decoder): it arrives as fromNext at each direction's last processed step. */
  finalStateGrad?: RecurrentState;
  /** No head and no loss (an encoder): the gradient comes from `finalStateGrad` alone, and the walk's loss is 0. */
  headless?: boolean;
}

/** The full weight matrices kept at one step. */
export interface WalkMatrices {
  /** Time t of the step. */
  t: number;
  /** (G·H, In) this step's contribution δ_t x_tᵀ to dL/dW_ih. */
  dWih: Float64Array;
  /** (G·H, H) this step's contribution δʰ_t h_{t-1}ᵀ to dL/dW_hh. */
  dWhh: Float64Array;
  /** (G·H, In) dL/dW_ih summed over the steps processed so far, this one included. */
  totalWih: Float64Array;
  /** (G·H, H) dL/dW_hh summed so far. */
  totalWhh: Float64Array;
  /** (H, O) with output feedback: this step's contribution δ_t fb_{t-1}ᵀ to dL/dW_hy. */
  dWhy?: Float64Array;
  /** (H, O) with output feedback: dL/dW_hy summed so far. */
  totalWhy?: Float64Array;
}

/**
 * What Jordan output feedback (lectures 000 and 001: y_{t-1} fed back into h_t through W_hy) adds
 * to a direction's record. dL/dh_t = fromOutput + fromNext + fromFeedback.
 */
export interface WalkFeedback {
  /** The target y*_{t-1} is fed instead of y_{t-1}: no gradient flows back along the feedback. */
  teacherForcing: boolean;
  /** The layer has W_hh and b_hh (false: the pure Jordan network, whose W_hh fields are empty). */
  recurrent: boolean;
  /** Size O of y_t. */
  outSize: number;
  /** Cross-entropy: the fed value is softmax(y_{t-1}), or the one-hot target when forced (mse: y_{t-1} itself). */
  classes: boolean;
  /** (T, O) fb_{t-1}, what step t reads through W_hy: y_{t-1} (mse), softmax(y_{t-1}) (classes) or the target when forced; zero at t = 0. */
  fed: Float64Array;
  /** (T, O) dL/dfb_t = W_hyᵀ δ_{t+1}: the gradient at the value step t hands to step t+1. */
  dFed: Float64Array;
  /** (T, O) what reaches y_t back along the feedback edge y_t → h_{t+1}: J_fb(y_t)ᵀ dFed_t. */
  dyFeedback: Float64Array;
  /** (T, H) dL/dh_t arriving through y_t fed into step t+1: W_headᵀ dyFeedback_t; zero at the last step, when cut, when forced. */
  fromFeedback: Float64Array;
  /** (T) norm of this step's contribution δ_t fb_{t-1}ᵀ to dL/dW_hy. */
  contribution: Float64Array;
  /** (T) norm of dL/dW_hy summed so far. */
  total: Float64Array;
  /** (H, O) the final dL/dW_hy. */
  grad: Float64Array;
}

/** One (layer, direction)'s walk; every per-step array is indexed by time t = 0..T-1. */
export interface WalkDirection {
  layer: number;
  /** 0 forward, 1 reverse. */
  dir: number;
  /** Size of x_t entering this layer (I for layer 0, D·H above). */
  inSize: number;
  /** Times in the order the backward pass visits them (forward runs the other way). */
  backwardOrder: Int32Array;
  /** (T, G·H) activated gates in PyTorch's row order (the rnn's single block is h_t). */
  gates: Float64Array;
  /** (T, H) h_t. */
  h: Float64Array;
  /** (T, H) c_t (LSTM only). */
  c: Float64Array | null;
  /** (T, H) dL/dh_t arriving from the output at t: through the head (top layer) or from the layer above. */
  fromOutput: Float64Array;
  /** (T, H) dL/dh_t arriving from the step processed after t (t+1 forward, t-1 reverse); zero when cut. */
  fromNext: Float64Array;
  /** (T, H) dL/dh_t = fromOutput + fromNext (+ feedback.fromFeedback with output feedback). */
  dh: Float64Array;
  /** (T, H) dL/dc_t arriving from the next step through the forget gate (LSTM only). */
  dcFromNext: Float64Array | null;
  /** (T, H) dL/dc_t in total (LSTM only). */
  dc: Float64Array | null;
  /** (T, G·H) δ_t: each gate's local gradient dL/d(pre-activation), also Δb_ih. */
  gateGrads: Float64Array;
  /** (T, G·H) δʰ_t: the gradient of W_hh h_{t-1} + b_hh, also Δb_hh (equals δ_t except the GRU's n rows, r ⊙ δ_n). */
  recurrentGateGrads: Float64Array;
  /** (T) 1 where the window cut the gradient from the next processed step, so fromNext is zero. */
  cut: Uint8Array;
  /** (T) Frobenius norms of this step's contributions to dW_ih, dW_hh, b_ih, b_hh. */
  contribution: { Wih: Float64Array; Whh: Float64Array; bih: Float64Array; bhh: Float64Array };
  /** (T) Frobenius norms of the running totals after this step. */
  total: { Wih: Float64Array; Whh: Float64Array; bih: Float64Array; bhh: Float64Array };
  /** Full matrices at the requested steps, in backward processing order. */
  matrices: WalkMatrices[];
  /** The final totals: this direction's dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh (and peepholes p_i, p_f, p_o as 3H). */
  grads: { Wih: Float64Array; Whh: Float64Array; bih: Float64Array; bhh: Float64Array; peepholes: Float64Array | null };
  /** Jordan output feedback's part of the record; null without it. */
  feedback: WalkFeedback | null;
}

/** One example's BPTT walk through the whole network. */
export interface BpttWalk {
  cell: CellType;
  /** Gate names in row order (gateNames of the model). */
  gateNames: string[];
  hiddenSize: number;
  numLayers: number;
  /** Directions: 2 when bidirectional. */
  D: number;
  /** Sequence length. */
  T: number;
  outputMode: OutputMode;
  /** The window k in force (T for full BPTT). */
  window: number;
  loss: number;
  /** One per (layer, direction), at index layer * D + dir. */
  dirs: WalkDirection[];
  /** The state the first processed step started from, when the walk was given one (`initial`); otherwise zero. */
  initial?: RecurrentState;
  /** dL/d(the state each direction started from): what backward carries past its first processed step (absent with output feedback). */
  initialStateGrad?: RecurrentState;
}

/** Time t of processing index p (the reverse direction runs backwards in time). */
function timeAt(dir: number, p: number, T: number): number {
  return dir === 0 ? p : T - 1 - p;
}

/** Row `index` of length `len` in a flat buffer. */
function row(buf: Float64Array, index: number, len: number): Float64Array {
  return buf.subarray(index * len, (index + 1) * len);
}

/** A parameter's data (forward has already checked every shape). */
function data(params: TensorMap, name: string): Float64Array {
  const t = params.get(name);
  if (!t) throw new Error(`parameter ${name} is missing`);
  return t.data;
}

/** Checks what the walk supports and returns the window. */
function checkWalk(config: ModelConfig, batch: Batch, opts: WalkOptions): number {
  if (config.outputFeedback && (opts.initial || opts.finalStateGrad || opts.headless)) {
    throw new Error('output feedback (outputFeedback): the walk takes no initial state, final-state gradient or headless mode (its head feeds every step)');
  }
  const { B, T } = batchDims(batch);
  if (B !== 1) throw new RangeError(`the BPTT walk takes one example (B = 1), got B = ${B}`);
  const k = opts.bpttWindow ?? T;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`bpttWindow must be an integer ≥ 1, got ${k}`);
  for (const t of opts.fullMatricesAt ?? []) {
    if (!Number.isInteger(t) || t < 0 || t >= T) throw new RangeError(`fullMatricesAt: step ${t} is not a time in 0..${T - 1}`);
  }
  const N = batch.outputMode === 'last' ? 1 : T;
  const n = opts.onlyOutput;
  if (n !== undefined && !(Number.isInteger(n) && n >= 0 && n < N)) throw new RangeError(`onlyOutput: row ${n} is not an output row in 0..${N - 1}`);
  if (opts.headless && n !== undefined) throw new Error('onlyOutput: a headless walk has no outputs');
  for (const name of ['initial', 'finalStateGrad'] as const) {
    const state = opts[name];
    if (state) checkWalkState(config, state, name);
  }
  return k;
}

/** Checks a state option: one H-vector per (layer, direction) for h, and for c exactly when the cell is an LSTM. */
function checkWalkState(config: ModelConfig, state: RecurrentState, name: string): void {
  const n = config.numLayers * directions(config);
  const ok = (arrs: Float64Array[] | null) => arrs !== null && arrs.length === n && arrs.every((a) => a.length === config.hiddenSize);
  if (!ok(state.h) || (config.cell === 'lstm' ? !ok(state.c) : state.c !== null)) {
    throw new RangeError(`${name}: needs ${n} arrays of H = ${config.hiddenSize} for h${config.cell === 'lstm' ? ' and for c' : ' and no c'}`);
  }
}

/** Walks one example (B = 1) forward and back through time and records every step. */
export function bpttWalk(config: ModelConfig, params: TensorMap, batch: Batch, opts: WalkOptions = {}): BpttWalk {
  const k = checkWalk(config, batch, opts);
  if (config.outputFeedback) return jordanWalk(config, params, batch, opts, k);
  const { T } = batchDims(batch);
  const H = config.hiddenSize;
  const G = gateCount(config);
  const GH = G * H;
  const D = directions(config);
  const DH = D * H;
  const O = config.outputSize;
  const lstm = config.cell === 'lstm';
  const spec = cellSpec(config);
  const fullAt = new Set(opts.fullMatricesAt ?? []);

  const fwd = forward(config, params, batch, { initialState: opts.initial, headless: opts.headless });
  const N = opts.headless ? 0 : batch.outputMode === 'last' ? 1 : T;
  const { dy } = opts.headless ? { dy: new Float64Array(0) } : lossWithGradient(batch.loss, fwd.outputs.data, batch.targets.data, N, O);
  if (opts.onlyOutput !== undefined) keepOnlyOutput(dy, opts.onlyOutput, N, O);

  // Each layer's input x^l_t, (T, In): the embedding rows or features, then the layer below's [h fwd; h rev].
  const layerInput = (l: number): Float64Array => {
    if (l === 0) {
      const I = config.inputSize;
      if (!config.embedding) return batch.inputs!.data;
      const E = data(params, 'embedding.weight');
      const x = new Float64Array(T * I);
      for (let t = 0; t < T; t++) row(x, t, I).set(row(E, batch.tokens!.data[t], I));
      return x;
    }
    const x = new Float64Array(T * DH);
    for (let d = 0; d < D; d++) for (let t = 0; t < T; t++) x.set(row(fwd.traces[(l - 1) * D + d].h, t, H), t * DH + d * H);
    return x;
  };

  // The head: dL/d(top output) = W_headᵀ dy at the steps it reads.
  const Whead = N > 0 ? data(params, 'head.weight') : new Float64Array(0);
  let dOut = new Float64Array(T * DH);
  for (let n = 0; n < N; n++) addMatTVec(row(dOut, batch.outputMode === 'last' ? T - 1 : n, DH), Whead, row(dy, n, O), O, DH);

  const dirs: WalkDirection[] = [];
  const zeroH = new Float64Array(H);
  const dhPrevDirect = new Float64Array(H);
  const dcPrev = new Float64Array(H);
  const hp = new Float64Array(GH);
  const { initial, finalStateGrad: seed } = opts;
  const initialStateGrad: RecurrentState = { h: [], c: lstm ? [] : null };
  for (let l = config.numLayers - 1; l >= 0; l--) {
    const inSize = l === 0 ? config.inputSize : DH;
    const input = layerInput(l);
    const dIn = new Float64Array(T * inSize);
    for (let d = 0; d < D; d++) {
      const s = layerSuffix(l, d);
      const Wih = data(params, `rnn.weight_ih_${s}`);
      const Whh = data(params, `rnn.weight_hh_${s}`);
      const bhh = data(params, `rnn.bias_hh_${s}`);
      const peepGates = peepholeGates(config);
      const peep = peepGates.length > 0 ? new Float64Array(3 * H) : null;
      for (const gate of peepGates) peep!.set(data(params, `rnn.weight_peephole_${gate}_${s}`), 'ifo'.indexOf(gate) * H);
      const tr = fwd.traces[l * D + d];
      const w = emptyDirection(l, d, inSize, T, H, GH, lstm, tr.gates, tr.h, tr.c, peep !== null);
      // What arrives at the last processed step from outside (a decoder's gradient for its encoder), else nothing.
      const dhNext = seed ? seed.h[l * D + d].slice() : new Float64Array(H);
      const dcNext = seed && lstm ? seed.c![l * D + d].slice() : new Float64Array(H);
      const h0 = initial ? initial.h[l * D + d] : zeroH;
      const c0 = initial && lstm ? initial.c![l * D + d] : zeroH;
      for (let p = T - 1; p >= 0; p--) {
        const t = timeAt(d, p, T);
        w.backwardOrder[T - 1 - p] = t;
        w.cut[t] = p < T - 1 && (p + 1) % k === 0 ? 1 : 0;
        const cutHere = p > 0 && p % k === 0; // truncated BPTT: no gradient into step p-1
        const fromOutput = row(w.fromOutput, t, H);
        fromOutput.set(dOut.subarray(t * DH + d * H, t * DH + d * H + H));
        row(w.fromNext, t, H).set(dhNext);
        const dh = row(w.dh, t, H);
        for (let j = 0; j < H; j++) dh[j] = fromOutput[j] + dhNext[j];
        if (lstm) row(w.dcFromNext!, t, H).set(dcNext);
        const hPrev = p === 0 ? h0 : row(tr.h, timeAt(d, p - 1, T), H);
        const cPrev = lstm ? (p === 0 ? c0 : row(tr.c!, timeAt(d, p - 1, T), H)) : null;
        affine(hp, Whh, hPrev, bhh, GH, H); // W_hh h_{t-1} + b_hh, which the GRU's backward reads
        const dxp = row(w.gateGrads, t, GH);
        const dhp = row(w.recurrentGateGrads, t, GH);
        cellBackward(spec, H, {
          act: row(tr.gates, t, GH),
          h: row(tr.h, t, H),
          c: lstm ? row(tr.c!, t, H) : null,
          cPrev,
          hPrev,
          hp,
          dh,
          dcNext: lstm ? dcNext : null,
          dc: lstm ? row(w.dc!, t, H) : null,
          dcPrev: lstm ? dcPrev : null,
          dxp,
          dhp,
          dhPrevDirect,
          peep,
          dPeep: w.grads.peepholes,
        });
        const x = row(input, t, inSize);
        addOuter(w.grads.Whh, w.grads.bhh, dhp, hPrev, GH, H);
        addOuter(w.grads.Wih, w.grads.bih, dxp, x, GH, inSize);
        addMatTVec(row(dIn, t, inSize), Wih, dxp, GH, inSize);
        recordSums(w, t, dxp, dhp, x, hPrev, fullAt.has(t), GH, H, inSize);
        dhNext.set(cutHere ? zeroH : dhPrevDirect);
        if (!cutHere) addMatTVec(dhNext, Whh, dhp, GH, H);
        if (lstm) dcNext.set(cutHere ? zeroH : dcPrev);
      }
      // Past step 0 (never cut): the gradient of the state this direction started from.
      initialStateGrad.h[l * D + d] = dhNext;
      if (lstm) initialStateGrad.c![l * D + d] = dcNext;
      dirs.push(w);
    }
    dOut = dIn;
  }
  dirs.sort((a, b) => a.layer * D + a.dir - (b.layer * D + b.dir));
  return { cell: config.cell, gateNames: gateNames(config), hiddenSize: H, numLayers: config.numLayers, D, T, outputMode: batch.outputMode, window: k, loss: fwd.loss, dirs, initial, initialStateGrad };
}

/** dℓ_n/dy in place: the mean's gradient is dℓ_n/dy / N on row n, so scale that row by N and drop the others. */
export function keepOnlyOutput(dy: Float64Array, n: number, N: number, O: number): void {
  for (let r = 0; r < N; r++) for (let o = 0; o < O; o++) dy[r * O + o] = r === n ? dy[r * O + o] * N : 0;
}

/** A direction's record with its forward values in place and everything backward writes zeroed. */
export function emptyDirection(layer: number, dir: number, inSize: number, T: number, H: number, GH: number, lstm: boolean, gates: Float64Array, h: Float64Array, c: Float64Array | null, peepholes: boolean): WalkDirection {
  const perStep = () => ({ Wih: new Float64Array(T), Whh: new Float64Array(T), bih: new Float64Array(T), bhh: new Float64Array(T) });
  return {
    layer,
    dir,
    inSize,
    backwardOrder: new Int32Array(T),
    gates,
    h,
    c,
    fromOutput: new Float64Array(T * H),
    fromNext: new Float64Array(T * H),
    dh: new Float64Array(T * H),
    dcFromNext: lstm ? new Float64Array(T * H) : null,
    dc: lstm ? new Float64Array(T * H) : null,
    gateGrads: new Float64Array(T * GH),
    recurrentGateGrads: new Float64Array(T * GH),
    cut: new Uint8Array(T),
    contribution: perStep(),
    total: perStep(),
    matrices: [],
    grads: {
      Wih: new Float64Array(GH * inSize),
      Whh: new Float64Array(GH * H),
      bih: new Float64Array(GH),
      bhh: new Float64Array(GH),
      peepholes: peepholes ? new Float64Array(3 * H) : null,
    },
    feedback: null,
  };
}

/** Records step t's contribution norms (‖δ xᵀ‖ = ‖δ‖ ‖x‖), the running totals' norms, and the full matrices if asked; dhp is null where there is no W_hh. */
export function recordSums(w: WalkDirection, t: number, dxp: Float64Array, dhp: Float64Array | null, x: Float64Array, hPrev: Float64Array, full: boolean, GH: number, H: number, inSize: number): void {
  const { contribution: c, total, grads } = w;
  c.bih[t] = norm(dxp);
  c.bhh[t] = dhp ? norm(dhp) : 0;
  c.Wih[t] = c.bih[t] * norm(x);
  c.Whh[t] = c.bhh[t] * norm(hPrev);
  total.Wih[t] = norm(grads.Wih);
  total.Whh[t] = norm(grads.Whh);
  total.bih[t] = norm(grads.bih);
  total.bhh[t] = norm(grads.bhh);
  if (!full) return;
  const dWih = new Float64Array(GH * inSize);
  const dWhh = new Float64Array(dhp ? GH * H : 0);
  addOuter(dWih, null, dxp, x, GH, inSize);
  if (dhp) addOuter(dWhh, null, dhp, hPrev, GH, H);
  w.matrices.push({ t, dWih, dWhh, totalWih: grads.Wih.slice(), totalWhh: grads.Whh.slice() });
}
