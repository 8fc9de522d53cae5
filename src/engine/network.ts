/**
 * The whole network, forward and backward through time, in float64: the oracle the
 * WebGPU kernels are tested against.
 *
 *   x⁰_t = E[token_t] (embedding) or the input features         (T, B, I)
 *   for each layer l and direction d (d = 1 runs t = T-1 .. 0):
 *     xp_t = W_ih x^l_t + b_ih        all steps at once            (T, B, G*H)
 *     hp_t = W_hh h_{t∓1} + b_hh      serial in t, h = 0 at the start
 *     h_t, c_t = cell(xp_t, hp_t, h_{t∓1}, c_{t∓1})
 *     x^{l+1}_t = [h_t(forward); h_t(reverse)]                   (T, B, D*H)
 *   y = W_head x^L_t + b_head at every t (`sequence`) or at t = T-1 (`last`)
 *
 * Backpropagation through time walks each layer's steps in reverse processing order:
 *   dL/dh_t = (gradient from the layer above or the head at t) + dL/dh_t via step t±1
 * and accumulates dW_ih, dW_hh, db_ih, db_hh with +=, then hands dL/dx^l down.
 *
 * State gradients (for an encoder-decoder, src/engine/seq2seq.ts): a given dL/d(final state)
 * joins dL/dh (and dL/dc) at each direction's last processed step, and what backward carries
 * past step 0 is returned as dL/d(initial state). Headless runs skip the head and the loss and
 * start backward from a given dL/d(top layer's outputs).
 *
 * Truncated BPTT with window k: in each layer and direction, the gradient into the
 * previous state (h and c) is cut at processing index p whenever p > 0 and p % k == 0,
 * exactly as detaching the state every k steps in PyTorch. Forward values are unchanged.
 *
 * Buffers are time-major internally, (T, B, ·); inputs, targets and outputs are
 * batch-major as in PyTorch's batch_first tensors.
 */
import { batchDims, type Batch } from './batch.ts';
import { cellBackward, cellForward, cellSpec } from './cells.ts';
import { checkDropout, dropoutScale, type Dropout } from './dropout.ts';
import { jordanRun } from './jordan.ts';
import { addMatTVec, addOuter, affine } from './linalg.ts';
import { lossWithGradient } from './loss.ts';
import { directions, gateCount, layerSuffix, paramSpecs, peepholeGates, type ModelConfig } from './model.ts';
import { formatShape, norm, sameShape, zeros, type Tensor, type TensorMap } from './tensor.ts';

/** The state of every (layer, direction) at one step: h and, for the LSTM, c, each (B, H). */
export interface RecurrentState {
  h: Float64Array[];
  c: Float64Array[] | null;
}

/** Options of a forward/backward run. */
export interface RunOptions {
  /** Truncated BPTT window k ≥ 1 (default: the sequence length, i.e. full BPTT). */
  bpttWindow?: number;
  /**
   * The state each (layer, direction) starts from (default zero), e.g. the final state of the
   * previous window of a stream ("stateful" training). No gradient flows into it (it is detached).
   */
  initialState?: RecurrentState;
  /** Dropout on every layer's output but the last (training only). */
  dropout?: Dropout;
  /**
   * No head and no loss (e.g. an encoder, or a decoder whose head is computed elsewhere):
   * the loss is 0, `outputs` are the top layer's outputs (B, T, D·H), and no `head.*` is read.
   */
  headless?: boolean;
  /** With `headless`: dL/d(top layer's outputs), (B, T, D·H) batch-major, where backward starts (default zero). */
  outputGrad?: Float64Array;
  /**
   * dL/d(final state) from outside the network (e.g. a decoder started from this state), one
   * (B, H) array per (layer, direction) as in `finalState`; it joins the gradient at each
   * direction's last processed step.
   */
  finalStateGrad?: RecurrentState;
}

/** What one (layer, direction) computed, indexed by time t = 0..T-1 whatever the direction. */
export interface LayerTrace {
  layer: number;
  /** 0 forward, 1 reverse. */
  dir: number;
  /** (T, B, G*H) activated gates in PyTorch's row order (lstm i,f,g,o; gru r,z,n; rnn h). */
  gates: Float64Array;
  /** (T, B, H) hidden state h_t. */
  h: Float64Array;
  /** (T, B, H) cell state c_t (LSTM only). */
  c: Float64Array | null;
}

/** A layer trace completed by backward. */
export interface LayerGradTrace extends LayerTrace {
  /** (T, B, H) dL/dh_t from every path (the layer above or the head, and step t±1). */
  dh: Float64Array;
  /** (T, B, H) dL/dc_t in total (LSTM only). */
  dc: Float64Array | null;
  /** (T) Frobenius norm of dL/dh_t over the batch. */
  dhNorm: Float64Array;
  /** (T) Frobenius norm of dL/dc_t over the batch (LSTM only). */
  dcNorm: Float64Array | null;
}

/** Result of a forward pass. */
export interface ForwardResult {
  loss: number;
  /** The head's outputs (logits for cross_entropy): (B, T, O) for `sequence`, (B, O) for `last`. */
  outputs: Tensor;
  /** One trace per (layer, direction), at index layer * D + dir. */
  traces: LayerTrace[];
  /** The state after the last processed step of each (layer, direction), to start the next window from. */
  finalState: RecurrentState;
}

/** Result of forward plus backward. */
export interface GradResult extends ForwardResult {
  traces: LayerGradTrace[];
  /** dL/d(every parameter), same names and shapes, in `state_dict` order (no `head.*` when headless). */
  grads: TensorMap;
  /**
   * dL/d(the state each direction started from), the gradient the initial state would receive
   * were it not detached; absent with output feedback.
   */
  initialStateGrad?: RecurrentState;
}

/** Forward caches of one (layer, direction) that backward reads. */
interface DirCache extends LayerTrace {
  xp: Float64Array;
  hp: Float64Array;
}

/** Forward caches of one layer. */
interface LayerCache {
  /** (T, B, In) the layer's input. */
  input: Float64Array;
  inSize: number;
  dirs: DirCache[];
}

/** Everything forward computed. */
interface ForwardCache {
  B: number;
  T: number;
  layers: LayerCache[];
  /** (T, B, D*H) the top layer's output, read by the head. */
  top: Float64Array;
  /** (N, O) the head's outputs, batch-major. */
  y: Float64Array;
  loss: number;
  dy: Float64Array;
  /** The state the first processed step started from, if not zero. */
  initial?: RecurrentState;
  dropout?: Dropout;
  headless: boolean;
}

/** Runs the network forward and returns the loss, outputs and per-step traces. */
export function forward(config: ModelConfig, params: TensorMap, batch: Batch, opts: RunOptions = {}): ForwardResult {
  const k = checkWindow(opts, batchDims(batch).T);
  if (config.outputFeedback) {
    checkJordanOptions(opts);
    const r = jordanRun(config, params, batch, false, k);
    return { loss: r.loss, outputs: r.outputs, traces: [{ layer: 0, dir: 0, gates: r.h, h: r.h, c: null }], finalState: lastState(config, [r.h], null, batchDims(batch)) };
  }
  const cache = runForward(config, params, batch, opts);
  return { loss: cache.loss, outputs: outputsOf(config, batch, cache), traces: cache.layers.flatMap((l) => l.dirs.map(traceOf)), finalState: finalStateOf(config, cache) };
}

/** Runs forward and full (or truncated) backpropagation through time. */
export function lossAndGrads(config: ModelConfig, params: TensorMap, batch: Batch, opts: RunOptions = {}): GradResult {
  const { T } = batchDims(batch);
  const k = checkWindow(opts, T);
  if (config.outputFeedback) {
    checkJordanOptions(opts);
    const r = jordanRun(config, params, batch, true, k);
    const B = batch.inputs!.shape[0];
    const trace = { layer: 0, dir: 0, gates: r.h, h: r.h, c: null, dh: r.dh!, dc: null, dhNorm: stepNorms(r.dh!, T, B * config.hiddenSize), dcNorm: null };
    return { loss: r.loss, outputs: r.outputs, traces: [trace], grads: r.grads!, finalState: lastState(config, [r.h], null, batchDims(batch)) };
  }
  const cache = runForward(config, params, batch, opts);
  const specs = paramSpecs(config).filter((s) => !(cache.headless && s.name.startsWith('head.')));
  const grads: TensorMap = new Map(specs.map((s) => [s.name, zeros(s.shape)]));
  const { traces, initialStateGrad } = runBackward(config, params, batch, cache, grads, k, opts);
  return { loss: cache.loss, outputs: outputsOf(config, batch, cache), traces, grads, finalState: finalStateOf(config, cache), initialStateGrad };
}

/** Output feedback reads its head at every step, so it has no headless mode and no state to start from. */
function checkJordanOptions(opts: RunOptions): void {
  if (opts.initialState || opts.finalStateGrad) throw new Error('output feedback does not take an initial state');
  if (opts.headless) throw new Error('output feedback needs its head');
}

/** The state after each direction's last processed step (t = T-1 forward, t = 0 reverse). */
function finalStateOf(config: ModelConfig, cache: ForwardCache): RecurrentState {
  const dirs = cache.layers.flatMap((l) => l.dirs);
  return lastState(config, dirs.map((d) => d.h), config.cell === 'lstm' ? dirs.map((d) => d.c!) : null, cache);
}

/** Rows of the last processed step of (T, B, H) buffers, per (layer, direction). */
function lastState(config: ModelConfig, h: Float64Array[], c: Float64Array[] | null, { B, T }: { B: number; T: number }): RecurrentState {
  const H = config.hiddenSize;
  const D = directions(config);
  const last = (buf: Float64Array, i: number) => buf.slice((i % D === 0 ? T - 1 : 0) * B * H, ((i % D === 0 ? T - 1 : 0) + 1) * B * H);
  return { h: h.map(last), c: c && c.map(last) };
}

/** Checks an initial state's shape: one (B, H) array per (layer, direction), c exactly for the LSTM. */
function checkState(config: ModelConfig, state: RecurrentState, B: number): void {
  const n = config.numLayers * directions(config);
  const size = B * config.hiddenSize;
  const ok = (arrs: Float64Array[] | null) => arrs !== null && arrs.length === n && arrs.every((a) => a.length === size);
  if (!ok(state.h) || (config.cell === 'lstm' ? !ok(state.c) : state.c !== null)) {
    throw new Error(`initialState needs ${n} arrays of B·H = ${size} for h${config.cell === 'lstm' ? ' and for c' : ''}`);
  }
}

function checkWindow(opts: RunOptions, T: number): number {
  const k = opts.bpttWindow ?? T;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`bpttWindow must be an integer ≥ 1, got ${k}`);
  return k;
}

/** Looks a parameter up and checks its shape. */
function param(params: TensorMap, name: string, shape: number[]): Float64Array {
  const t = params.get(name);
  if (!t) throw new Error(`parameter ${name} is missing`);
  if (!sameShape(t.shape, shape) || t.data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`parameter ${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
  }
  return t.data;
}

/** Names and shapes of one (layer, direction)'s four tensors. */
function dirParams(config: ModelConfig, params: TensorMap, layer: number, dir: number, inSize: number) {
  const GH = gateCount(config) * config.hiddenSize;
  const s = layerSuffix(layer, dir);
  return {
    Wih: param(params, `rnn.weight_ih_${s}`, [GH, inSize]),
    Whh: param(params, `rnn.weight_hh_${s}`, [GH, config.hiddenSize]),
    bih: param(params, `rnn.bias_ih_${s}`, [GH]),
    bhh: param(params, `rnn.bias_hh_${s}`, [GH]),
    names: [`rnn.weight_ih_${s}`, `rnn.weight_hh_${s}`, `rnn.bias_ih_${s}`, `rnn.bias_hh_${s}`] as const,
    peep: peepholes(config, params, s),
  };
}

/** Blocks of the (3H) peephole vector: p_i, p_f, p_o. */
const PEEP_BLOCK = { i: 0, f: 1, o: 2 } as const;

/** The (3H) peephole weights p_i, p_f, p_o of one (layer, direction), or null without peepholes. */
function peepholes(config: ModelConfig, params: TensorMap, suffix: string): Float64Array | null {
  const gates = peepholeGates(config);
  if (gates.length === 0) return null;
  const H = config.hiddenSize;
  const out = new Float64Array(3 * H);
  for (const g of gates) out.set(param(params, `rnn.weight_peephole_${g}_${suffix}`, [H]), PEEP_BLOCK[g] * H);
  return out;
}

/** Row `index` of length `len` in a flat buffer. */
function row(buf: Float64Array, index: number, len: number): Float64Array {
  return buf.subarray(index * len, (index + 1) * len);
}

/** Time t of processing index p (the reverse direction runs backwards in time). */
function timeAt(dir: number, p: number, T: number): number {
  return dir === 0 ? p : T - 1 - p;
}

/** Layer 0's input, time-major (T, B, I): embedding rows for tokens, or the features transposed. */
function layerZeroInput(config: ModelConfig, params: TensorMap, batch: Batch, B: number, T: number): Float64Array {
  const I = config.inputSize;
  const x = new Float64Array(T * B * I);
  if (config.embedding) {
    const E = param(params, 'embedding.weight', [config.embedding.vocabSize, I]);
    const tokens = batch.tokens!.data;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) row(x, t * B + b, I).set(row(E, tokens[b * T + t], I));
  } else {
    const inputs = batch.inputs!.data;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) row(x, t * B + b, I).set(inputs.subarray((b * T + t) * I, (b * T + t + 1) * I));
  }
  return x;
}

/** Row of the top layer's output that output row n of the head reads. */
function headSource(batch: Batch, B: number, T: number, n: number): number {
  if (batch.outputMode === 'last') return (T - 1) * B + n; // n = b
  const b = Math.floor(n / T);
  return (n % T) * B + b; // n = b*T + t
}

function runForward(config: ModelConfig, params: TensorMap, batch: Batch, opts: RunOptions): ForwardCache {
  const { initialState: initial, dropout } = opts;
  const headless = opts.headless ?? false;
  const { B, T } = batchDims(batch);
  if (initial) checkState(config, initial, B);
  if (dropout) checkDropout(dropout);
  const H = config.hiddenSize;
  const GH = gateCount(config) * H;
  const D = directions(config);
  const lstm = config.cell === 'lstm';
  const spec = cellSpec(config);
  const zeroH = new Float64Array(H);
  const layers: LayerCache[] = [];
  let input = layerZeroInput(config, params, batch, B, T);
  for (let l = 0; l < config.numLayers; l++) {
    const inSize = l === 0 ? config.inputSize : D * H;
    const out = new Float64Array(T * B * D * H);
    const dirs: DirCache[] = [];
    for (let d = 0; d < D; d++) {
      const { Wih, Whh, bih, bhh, peep } = dirParams(config, params, l, d, inSize);
      const dc: DirCache = {
        layer: l,
        dir: d,
        xp: new Float64Array(T * B * GH),
        hp: new Float64Array(T * B * GH),
        gates: new Float64Array(T * B * GH),
        h: new Float64Array(T * B * H),
        c: lstm ? new Float64Array(T * B * H) : null,
      };
      // The input projection for every step at once: no recurrence in it.
      for (let i = 0; i < T * B; i++) affine(row(dc.xp, i, GH), Wih, row(input, i, inSize), bih, GH, inSize);
      for (let p = 0; p < T; p++) {
        const t = timeAt(d, p, T);
        const tPrev = timeAt(d, p - 1, T);
        for (let b = 0; b < B; b++) {
          const i = t * B + b;
          const hPrev = p === 0 ? (initial ? row(initial.h[l * D + d], b, H) : zeroH) : row(dc.h, tPrev * B + b, H);
          affine(row(dc.hp, i, GH), Whh, hPrev, bhh, GH, H);
          cellForward(spec, H, {
            xp: row(dc.xp, i, GH),
            hp: row(dc.hp, i, GH),
            hPrev,
            cPrev: lstm ? (p === 0 ? (initial ? row(initial.c![l * D + d], b, H) : zeroH) : row(dc.c!, tPrev * B + b, H)) : null,
            act: row(dc.gates, i, GH),
            h: row(dc.h, i, H),
            c: lstm ? row(dc.c!, i, H) : null,
            peep,
          });
          out.set(row(dc.h, i, H), i * D * H + d * H);
        }
      }
      dirs.push(dc);
    }
    // Dropout between layers: the next layer reads a masked copy; h_t in the traces stays as computed.
    if (dropout && dropout.p > 0 && l < config.numLayers - 1) for (let i = 0; i < out.length; i++) out[i] *= dropoutScale(dropout, l, i);
    layers.push({ input, inSize, dirs });
    input = out;
  }
  if (headless) return { B, T, layers, top: input, y: new Float64Array(0), loss: 0, dy: new Float64Array(0), initial, dropout, headless };
  // The head, and the loss with its gradient.
  const O = config.outputSize;
  const DH = D * H;
  const N = batch.outputMode === 'last' ? B : B * T;
  const W = param(params, 'head.weight', [O, DH]);
  const bias = param(params, 'head.bias', [O]);
  const y = new Float64Array(N * O);
  for (let n = 0; n < N; n++) affine(row(y, n, O), W, row(input, headSource(batch, B, T, n), DH), bias, O, DH);
  const { loss, dy } = lossWithGradient(batch.loss, y, batch.targets.data, N, O);
  return { B, T, layers, top: input, y, loss, dy, initial, dropout, headless };
}

function runBackward(
  config: ModelConfig,
  params: TensorMap,
  batch: Batch,
  cache: ForwardCache,
  grads: TensorMap,
  k: number,
  opts: RunOptions,
): { traces: LayerGradTrace[]; initialStateGrad: RecurrentState } {
  const { B, T } = cache;
  const H = config.hiddenSize;
  const GH = gateCount(config) * H;
  const D = directions(config);
  const DH = D * H;
  const O = config.outputSize;
  const lstm = config.cell === 'lstm';
  const spec = cellSpec(config);
  const zeroH = new Float64Array(H);
  const g = (name: string) => grads.get(name)!.data;

  // Head: dW_head += dy xᵀ, and dL/d(top layer output) = W_headᵀ dy (headless: the given gradient, transposed to time-major).
  let dOut = new Float64Array(T * B * DH);
  if (cache.headless && opts.outputGrad) {
    const dTop = opts.outputGrad;
    if (dTop.length !== dOut.length) throw new Error(`outputGrad needs B·T·D·H = ${dOut.length} values, got ${dTop.length}`);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) row(dOut, t * B + b, DH).set(row(dTop, b * T + t, DH));
  }
  const Whead = cache.headless ? null : param(params, 'head.weight', [O, DH]);
  const N = cache.headless ? 0 : cache.y.length / O;
  for (let n = 0; n < N; n++) {
    const src = headSource(batch, B, T, n);
    addOuter(g('head.weight'), g('head.bias'), row(cache.dy, n, O), row(cache.top, src, DH), O, DH);
    addMatTVec(row(dOut, src, DH), Whead!, row(cache.dy, n, O), O, DH);
  }
  if (opts.finalStateGrad) checkState(config, opts.finalStateGrad, B);
  const seed = opts.finalStateGrad;
  const initialStateGrad: RecurrentState = { h: [], c: lstm ? [] : null };

  const traces: LayerGradTrace[] = [];
  // Scratch vectors for one example's step.
  const dxp = new Float64Array(GH);
  const dhp = new Float64Array(GH);
  const dhPrevDirect = new Float64Array(H);
  const dcPrev = new Float64Array(H);
  for (let l = config.numLayers - 1; l >= 0; l--) {
    const { input, inSize, dirs } = cache.layers[l];
    // The gradient reaching this layer's output passes the dropout mask the forward applied.
    const drop = cache.dropout;
    if (drop && drop.p > 0 && l < config.numLayers - 1) for (let i = 0; i < dOut.length; i++) dOut[i] *= dropoutScale(drop, l, i);
    const dIn = new Float64Array(T * B * inSize);
    for (const dc of dirs) {
      const d = dc.dir;
      const { Wih, Whh, names, peep } = dirParams(config, params, l, d, inSize);
      const [dWih, dWhh, dbih, dbhh] = names.map(g);
      const dPeep = peep && new Float64Array(3 * H);
      const dh = new Float64Array(T * B * H);
      const dcT = lstm ? new Float64Array(T * B * H) : null;
      // dL/dh_t arriving from the step processed after t: at the last step, from outside (or zero).
      const dhNext = seed ? seed.h[l * D + d].slice() : new Float64Array(B * H);
      const dcNext = seed && lstm ? seed.c![l * D + d].slice() : new Float64Array(B * H);
      for (let p = T - 1; p >= 0; p--) {
        const t = timeAt(d, p, T);
        const tPrev = timeAt(d, p - 1, T);
        const cut = p > 0 && p % k === 0; // truncated BPTT: no gradient into step p-1
        for (let b = 0; b < B; b++) {
          const i = t * B + b;
          const dhi = row(dh, i, H);
          const fromAbove = dOut.subarray(i * DH + d * H, i * DH + d * H + H);
          const fromNext = row(dhNext, b, H);
          for (let j = 0; j < H; j++) dhi[j] = fromAbove[j] + fromNext[j];
          const start = cache.initial; // the weights' gradients see h_{-1}, c_{-1}; nothing flows into them
          const hPrev = p === 0 ? (start ? row(start.h[l * D + d], b, H) : zeroH) : row(dc.h, tPrev * B + b, H);
          cellBackward(spec, H, {
            act: row(dc.gates, i, GH),
            h: row(dc.h, i, H),
            c: lstm ? row(dc.c!, i, H) : null,
            cPrev: lstm ? (p === 0 ? (start ? row(start.c![l * D + d], b, H) : zeroH) : row(dc.c!, tPrev * B + b, H)) : null,
            hPrev,
            hp: row(dc.hp, i, GH),
            dh: dhi,
            dcNext: lstm ? row(dcNext, b, H) : null,
            dc: lstm ? row(dcT!, i, H) : null,
            dcPrev: lstm ? dcPrev : null,
            dxp,
            dhp,
            dhPrevDirect,
            peep,
            dPeep,
          });
          // Weight gradients accumulate over every step; the input gradient goes to the layer below.
          addOuter(dWhh, dbhh, dhp, hPrev, GH, H);
          addOuter(dWih, dbih, dxp, row(input, i, inSize), GH, inSize);
          addMatTVec(row(dIn, i, inSize), Wih, dxp, GH, inSize);
          // dL/dh_{t-1} through W_hh (and around it), unless the window cuts here.
          fromNext.set(cut ? zeroH : dhPrevDirect);
          if (!cut) addMatTVec(fromNext, Whh, dhp, GH, H);
          if (lstm) row(dcNext, b, H).set(cut ? zeroH : dcPrev);
        }
      }
      // After step 0, what flowed "into step -1" is the gradient of the initial state.
      initialStateGrad.h[l * D + d] = dhNext;
      if (lstm) initialStateGrad.c![l * D + d] = dcNext;
      for (const gate of peepholeGates(config)) {
        const dst = g(`rnn.weight_peephole_${gate}_${layerSuffix(l, d)}`);
        for (let j = 0; j < H; j++) dst[j] += dPeep![PEEP_BLOCK[gate] * H + j];
      }
      traces.push({ ...traceOf(dc), dh, dc: dcT, dhNorm: stepNorms(dh, T, B * H), dcNorm: dcT && stepNorms(dcT, T, B * H) });
    }
    dOut = dIn;
  }
  if (config.embedding) {
    // Each token's embedding row receives the gradient of every position it was looked up at.
    const dE = g('embedding.weight');
    const I = config.inputSize;
    const tokens = batch.tokens!.data;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const dst = row(dE, tokens[b * T + t], I);
        const src = row(dOut, t * B + b, I);
        for (let j = 0; j < I; j++) dst[j] += src[j];
      }
    }
  }
  return { traces: traces.sort((a, b) => a.layer * D + a.dir - (b.layer * D + b.dir)), initialStateGrad };
}

/** Norm over each step's (B, H) slab of a (T, B, H) buffer. */
function stepNorms(buf: Float64Array, T: number, slab: number): Float64Array {
  const out = new Float64Array(T);
  for (let t = 0; t < T; t++) out[t] = norm(buf, t * slab, slab);
  return out;
}

/** The public part of a direction's cache. */
function traceOf(dc: DirCache): LayerTrace {
  return { layer: dc.layer, dir: dc.dir, gates: dc.gates, h: dc.h, c: dc.c };
}

/** The head's outputs (headless: the top layer's) as a batch-major tensor. */
function outputsOf(config: ModelConfig, batch: Batch, cache: ForwardCache): Tensor {
  if (cache.headless) {
    const { B, T } = cache;
    const DH = directions(config) * config.hiddenSize;
    const out = new Float64Array(B * T * DH);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) row(out, b * T + t, DH).set(row(cache.top, t * B + b, DH));
    return { shape: [B, T, DH], data: out };
  }
  const O = config.outputSize;
  const shape = batch.outputMode === 'last' ? [cache.B, O] : [cache.B, cache.T, O];
  return { shape, data: cache.y };
}
