/**
 * The encoder-decoder (Sutskever et al. 2014, Cho et al. 2014) in float64: the oracle the
 * WebGPU encoder-decoder is tested against. Two stacks of the same cell, hidden size and
 * depth, each with its own weights, and one linear head, all reading one-hot symbols of one
 * vocabulary of V symbols:
 *
 *   encoder:  reads the padded source x_1..x_S (padding read as the `_` symbol, as PyTorch
 *             does without packing); its final state (h, and c for the LSTM) per layer is
 *             the "hand-over"
 *   decoder:  starts from the hand-over; at step u it reads token d_u
 *               d_0 = <s>,   d_u = y*_{u-1} with probability r (teacher forcing),
 *                            argmax_k z_{u-1,k} otherwise (its own previous output)
 *   head:     z_u = W_head h_u + b_head (logits over the V symbols, top decoder layer)
 *   loss:     L = (1/N) Σ_b Σ_{u < len_b} -log softmax(z_{b,u})[y*_{b,u}],  N = Σ_b len_b
 *             (through </s>; padding positions carry no loss)
 *
 * The coin for (b, u) is a counter-based hash of (seed, step, b, u) (as dropout.ts draws its
 * masks), so every backend makes the same choices. The choice is detached: no gradient flows
 * through the argmax. Given the realized decoder inputs, backward is ordinary BPTT through the
 * decoder (network.ts, headless, from dL/dh_u = W_headᵀ dL/dz_u), whose dL/d(initial state)
 * seeds the encoder's backward as dL/d(its final state). r = 1 is teacher forcing, r = 0 free
 * running; scheduled sampling (Bengio et al. 2015) lowers r as training goes on (the trainer's
 * schedule). Validation decodes free running (r = 0, greedy).
 *
 * Parameters are named as PyTorch's `state_dict` of two nn.RNN/LSTM/GRU modules and a Linear:
 * `encoder.weight_ih_l0`, ..., `decoder.weight_ih_l0`, ..., `head.weight`, `head.bias`.
 * Decoder buffers are time-major inside, (U, B, ·); inputs and outputs are batch-major.
 */
import { cellForward, cellSpec } from './cells.ts';
import { hash32 } from './dropout.ts';
import { addOuter, affine, addMatTVec } from './linalg.ts';
import { gateCount, initParams, paramSpecs, PYTORCH_INIT, type CellType, type InitOptions, type ModelConfig, type ParamSpec } from './model.ts';
import { forward, lossAndGrads, type RecurrentState } from './network.ts';
import { PARAM_ALIGN, type ParamLayout } from './paramLayout.ts';
import { shapeSize, zeros, type Tensor, type TensorMap } from './tensor.ts';
import type { TokenTensor } from './batch.ts';

/** Architecture of an encoder-decoder: both stacks share cell, width and depth. */
export interface Seq2SeqConfig {
  cell: CellType;
  hiddenSize: number;
  /** 1..4 layers in each stack. */
  numLayers: number;
  /** Symbols of the shared vocabulary: the one-hot width and the head's classes. */
  vocabSize: number;
}

/** Encoder-decoder batches: source and target sequences of their own lengths, padded. */
export interface Seq2SeqBatch {
  /** (B, S) source tokens, padded after the end. */
  source: TokenTensor;
  /** (B) the true source lengths. */
  sourceLengths: Int32Array;
  /** (B, U) the decoder's input under teacher forcing: start symbol, then the target shifted right. */
  decoderInputs: TokenTensor;
  /** (B, U) the target tokens, then the end symbol, then padding. */
  targets: TokenTensor;
  /** (B) target lengths including the end symbol: positions u < length carry loss. */
  targetLengths: Int32Array;
}

/** How one decoding pass picks the decoder's inputs. */
export interface TeacherForcing {
  /** Probability r in [0, 1] of reading the true previous symbol (1: teacher forcing, 0: free running). */
  ratio: number;
  /** Seed of the coins (with the step, a counter-based hash). */
  seed: number;
  /** Training step: each step draws new coins. */
  step: number;
}

/** Free running (r = 0): validation and prediction. */
export const FREE_RUNNING: TeacherForcing = { ratio: 0, seed: 0, step: 0 };

/** What a forward pass of the encoder-decoder produced. */
export interface Seq2SeqForward {
  /** Mean cross-entropy over the real target positions (through </s>). */
  loss: number;
  /** (B, U, V) the head's logits at every decoder step. */
  logits: Tensor;
  /** (B, U) the decoder's realized inputs: <s>, then true or own previous symbols as the coins chose. */
  inputs: TokenTensor;
  /** (B, U) the greedy prediction argmax_k z_{u,k} at every step. */
  predictions: TokenTensor;
}

/** Forward plus backward. */
export interface Seq2SeqGrads extends Seq2SeqForward {
  /** dL/d(every parameter), in `seq2seqParamSpecs` order. */
  grads: TensorMap;
  /** Per layer, the encoder's then the decoder's: ‖dL/dh_t‖ over the batch at each step ((S) or (U)). */
  dhNorm: Float64Array[];
  /** The same for ‖dL/dc_t‖ (LSTM only). */
  dcNorm: Float64Array[] | null;
}

/** The config of one stack as network.ts reads it (one-hot in, V out, unidirectional). */
export function stackConfig(cfg: Seq2SeqConfig): ModelConfig {
  return { cell: cfg.cell, inputSize: cfg.vocabSize, hiddenSize: cfg.hiddenSize, numLayers: cfg.numLayers, bidirectional: false, outputSize: cfg.vocabSize };
}

/** Checks an encoder-decoder's architecture. */
export function checkSeq2SeqConfig(cfg: Seq2SeqConfig): void {
  const whole = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!whole(cfg.hiddenSize, 1, 4096)) throw new RangeError(`hidden size must be a whole number from 1, got ${cfg.hiddenSize}`);
  if (!whole(cfg.numLayers, 1, 4)) throw new RangeError(`an encoder-decoder has 1 to 4 layers per stack, got ${cfg.numLayers}`);
  if (!whole(cfg.vocabSize, 2, 1 << 16)) throw new RangeError(`vocabulary size must be a whole number ≥ 2, got ${cfg.vocabSize}`);
}

/** Every parameter, in `state_dict` order: encoder.*, decoder.*, head.*. */
export function seq2seqParamSpecs(cfg: Seq2SeqConfig): ParamSpec[] {
  const rnn = paramSpecs(stackConfig(cfg)).filter((s) => s.name.startsWith('rnn.'));
  const stack = (prefix: string) => rnn.map((s) => ({ name: prefix + s.name.slice(4), shape: s.shape }));
  return [...stack('encoder.'), ...stack('decoder.'), { name: 'head.weight', shape: [cfg.vocabSize, cfg.hiddenSize] }, { name: 'head.bias', shape: [cfg.vocabSize] }];
}

/** The flat layout of the parameters (every tensor at a multiple of PARAM_ALIGN), for the optimizers. */
export function seq2seqLayout(cfg: Seq2SeqConfig): ParamLayout {
  let offset = 0;
  const slots = seq2seqParamSpecs(cfg).map((spec) => {
    const size = shapeSize(spec.shape);
    const slot = { ...spec, offset, size };
    offset += Math.ceil(size / PARAM_ALIGN) * PARAM_ALIGN;
    return slot;
  });
  return { slots, total: offset };
}

/** Seeded initialization as model.ts does it: the encoder from `seed`, the decoder and head from `seed + 1`. */
export function initSeq2SeqParams(cfg: Seq2SeqConfig, seed: number, init: InitOptions = PYTORCH_INIT): TensorMap {
  checkSeq2SeqConfig(cfg);
  const enc = initParams(stackConfig(cfg), seed, init);
  const dec = initParams(stackConfig(cfg), (seed + 1) >>> 0, init);
  const out: TensorMap = new Map();
  for (const [name, t] of enc) if (name.startsWith('rnn.')) out.set(`encoder.${name.slice(4)}`, t);
  for (const [name, t] of dec) if (name.startsWith('rnn.')) out.set(`decoder.${name.slice(4)}`, t);
  out.set('head.weight', dec.get('head.weight')!);
  out.set('head.bias', dec.get('head.bias')!);
  return out;
}

/** Decoder steps whose 24-bit draw falls below this read the true symbol: ceil(r·2²⁴), exact on every backend. */
export function forcingThreshold(ratio: number): number {
  return Math.ceil(ratio * 16777216);
}

/** Whether example b reads the true previous symbol at decoder step u ≥ 1. */
export function teacherCoin(tf: TeacherForcing, b: number, u: number): boolean {
  const draw = hash32((tf.seed ^ hash32((tf.step ^ hash32((b ^ hash32(u)) >>> 0)) >>> 0)) >>> 0) >>> 8; // uniform on [0, 2²⁴)
  return draw < forcingThreshold(tf.ratio);
}

/** Checks a teacher-forcing ratio and its seed. */
export function checkTeacherForcing(tf: TeacherForcing): void {
  if (!(tf.ratio >= 0 && tf.ratio <= 1)) throw new RangeError(`teacher forcing ratio must be in [0, 1], got ${tf.ratio}`);
  for (const [k, v] of [['seed', tf.seed], ['step', tf.step]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`teacher forcing ${k} must be a 32-bit unsigned integer, got ${v}`);
  }
}

/** Runs the encoder-decoder forward, decoding step by step with the given teacher forcing. */
export function seq2seqForward(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch, tf: TeacherForcing): Seq2SeqForward {
  checkBatch(cfg, batch);
  checkTeacherForcing(tf);
  const enc = forward(stackConfig(cfg), stackParams(params, 'encoder'), oneHotBatch(batch.source, cfg.vocabSize), { headless: true });
  return decode(cfg, params, batch, enc.finalState, tf).result;
}

/** Runs forward and backpropagation through the decoder, the hand-over and the encoder. */
export function seq2seqLossAndGrads(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch, tf: TeacherForcing): Seq2SeqGrads {
  checkBatch(cfg, batch);
  checkTeacherForcing(tf);
  const config = stackConfig(cfg);
  const V = cfg.vocabSize;
  const H = cfg.hiddenSize;
  const [B, U] = batch.targets.shape;
  const encParams = stackParams(params, 'encoder');
  const source = oneHotBatch(batch.source, V);
  const handOver = forward(config, encParams, source, { headless: true }).finalState;
  const { result, top, dz } = decode(cfg, params, batch, handOver, tf);

  // Head: dW_head += dz hᵀ, db_head += dz, and dL/dh_u = W_headᵀ dz_u for the decoder's top layer.
  const grads: TensorMap = new Map(seq2seqParamSpecs(cfg).map((s) => [s.name, zeros(s.shape)]));
  const W = params.get('head.weight')!.data;
  const dTop = new Float64Array(B * U * H); // batch-major, as network.ts takes it
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < U; u++) {
      const dzi = dz.subarray((b * U + u) * V, (b * U + u + 1) * V);
      addOuter(grads.get('head.weight')!.data, grads.get('head.bias')!.data, dzi, top.subarray((u * B + b) * H, (u * B + b + 1) * H), V, H);
      addMatTVec(dTop.subarray((b * U + u) * H, (b * U + u + 1) * H), W, dzi, V, H);
    }
  }
  // Decoder: ordinary BPTT on the realized inputs, from the hand-over; its dL/d(initial state) seeds the encoder.
  const dec = lossAndGrads(config, stackParams(params, 'decoder'), oneHotBatch(result.inputs, V), { headless: true, outputGrad: dTop, initialState: handOver });
  const encGrads = lossAndGrads(config, encParams, source, { headless: true, finalStateGrad: dec.initialStateGrad });
  for (const [prefix, g] of [['decoder', dec.grads], ['encoder', encGrads.grads]] as const) {
    for (const [name, t] of g) grads.get(`${prefix}.${name.slice(4)}`)!.data.set(t.data);
  }
  const traces = [...encGrads.traces, ...dec.traces];
  return { ...result, grads, dhNorm: traces.map((t) => t.dhNorm), dcNorm: cfg.cell === 'lstm' ? traces.map((t) => t.dcNorm!) : null };
}

/** The decoder run step by step: logits, realized inputs, the top layer's h (U, B, H) and dL/dz (B, U, V). */
function decode(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch, handOver: RecurrentState, tf: TeacherForcing) {
  const config = stackConfig(cfg);
  const { hiddenSize: H, numLayers: L, vocabSize: V } = cfg;
  const GH = gateCount(config) * H;
  const spec = cellSpec(config);
  const lstm = cfg.cell === 'lstm';
  const [B, U] = batch.targets.shape;
  const p = (name: string) => params.get(`decoder.${name}`)!.data;
  const layers = Array.from({ length: L }, (_, l) => ({ Wih: p(`weight_ih_l${l}`), Whh: p(`weight_hh_l${l}`), bih: p(`bias_ih_l${l}`), bhh: p(`bias_hh_l${l}`) }));
  const Whead = params.get('head.weight')!.data;
  const bhead = params.get('head.bias')!.data;
  // The running state per layer, (B, H) each, starting from the hand-over.
  const h = handOver.h.map((a) => a.slice());
  const c = lstm ? handOver.c!.map((a) => a.slice()) : null;
  const top = new Float64Array(U * B * H);
  const logits = new Float64Array(B * U * V);
  const inputs = new Int32Array(B * U);
  const predictions = new Int32Array(B * U);
  const [xp, hp, act, hNew, cNew] = [GH, GH, GH, H, H].map((n) => new Float64Array(n));
  for (let u = 0; u < U; u++) {
    for (let b = 0; b < B; b++) {
      const i = b * U + u;
      const token = u === 0 || teacherCoin(tf, b, u) ? batch.decoderInputs.data[i] : predictions[i - 1];
      inputs[i] = token;
      for (let l = 0; l < L; l++) {
        const { Wih, Whh, bih, bhh } = layers[l];
        const hb = h[l].subarray(b * H, (b + 1) * H);
        // Layer 0 reads a one-hot: W_ih x + b_ih is column `token` of W_ih plus b_ih.
        if (l === 0) for (let r = 0; r < GH; r++) xp[r] = Wih[r * V + token] + bih[r];
        else affine(xp, Wih, h[l - 1].subarray(b * H, (b + 1) * H), bih, GH, H);
        affine(hp, Whh, hb, bhh, GH, H);
        const cb = c && c[l].subarray(b * H, (b + 1) * H);
        cellForward(spec, H, { xp, hp, hPrev: hb, cPrev: cb, act, h: hNew, c: cb && cNew });
        hb.set(hNew);
        if (cb) cb.set(cNew);
      }
      const hTop = h[L - 1].subarray(b * H, (b + 1) * H);
      top.set(hTop, (u * B + b) * H);
      const z = logits.subarray(i * V, (i + 1) * V);
      affine(z, Whead, hTop, bhead, V, H);
      predictions[i] = argmaxOf(z);
    }
  }
  // Cross-entropy over the real positions only, and its gradient.
  let N = 0;
  for (let b = 0; b < B; b++) N += batch.targetLengths[b];
  const dz = new Float64Array(B * U * V);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < batch.targetLengths[b]; u++) {
      const i = b * U + u;
      const z = logits.subarray(i * V, (i + 1) * V);
      const max = z[argmaxOf(z)];
      let sum = 0;
      for (let k = 0; k < V; k++) sum += Math.exp(z[k] - max);
      const logSum = max + Math.log(sum);
      const target = batch.targets.data[i];
      loss += logSum - z[target];
      for (let k = 0; k < V; k++) dz[i * V + k] = (Math.exp(z[k] - logSum) - (k === target ? 1 : 0)) / N;
    }
  }
  const result: Seq2SeqForward = {
    loss: loss / N,
    logits: { shape: [B, U, V], data: logits },
    inputs: { shape: [B, U], data: inputs },
    predictions: { shape: [B, U], data: predictions },
  };
  return { result, top, dz };
}

/** Index of the largest value (the first on ties), as the GPU's argmax picks it. */
function argmaxOf(z: Float64Array): number {
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k] > z[best]) best = k;
  return best;
}

/** A stack's tensors under network.ts's names (`rnn.*`), sharing the data. */
export function stackParams(params: TensorMap, prefix: 'encoder' | 'decoder'): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of params) if (name.startsWith(`${prefix}.`)) out.set(`rnn.${name.slice(prefix.length + 1)}`, t);
  return out;
}

/** Tokens as one-hot inputs (B, T, V) in a network.ts batch (the loss fields are unused: headless). */
export function oneHotBatch(tokens: TokenTensor, V: number) {
  const [B, T] = tokens.shape;
  const data = new Float64Array(B * T * V);
  for (let n = 0; n < B * T; n++) data[n * V + tokens.data[n]] = 1;
  return { inputs: { shape: [B, T, V], data }, targets: { shape: [0], data: new Float64Array(0) }, loss: 'cross_entropy' as const, outputMode: 'sequence' as const };
}

/** Checks a batch's shapes, tokens and lengths against the model. */
function checkBatch(cfg: Seq2SeqConfig, batch: Seq2SeqBatch): void {
  const [B, S] = batch.source.shape;
  const [Bt, U] = batch.targets.shape;
  const fail = (what: string) => {
    throw new Error(`seq2seq batch: ${what}`);
  };
  if (Bt !== B || batch.decoderInputs.shape[0] !== B || batch.decoderInputs.shape[1] !== U) fail(`source (${B}, ${S}), decoder inputs (${batch.decoderInputs.shape.join(', ')}) and targets (${Bt}, ${U}) disagree`);
  if (batch.targetLengths.length !== B || batch.sourceLengths.length !== B) fail(`lengths must have one entry per example (${B})`);
  for (const [name, t] of [['source', batch.source], ['decoder inputs', batch.decoderInputs], ['targets', batch.targets]] as const) {
    if (t.data.length !== t.shape[0] * t.shape[1]) fail(`${name} holds ${t.data.length} tokens, its shape says ${t.shape[0] * t.shape[1]}`);
    for (const x of t.data) if (!(x >= 0 && x < cfg.vocabSize)) fail(`${name} has token ${x}, outside the vocabulary of ${cfg.vocabSize}`);
  }
  for (const n of batch.targetLengths) if (!(n >= 1 && n <= U)) fail(`a target length of ${n} is not in 1..${U}`);
}

/** Examples [start, start + count) of a batch, padded to `rows` examples by repeating the last (validation in slices of B). */
export function sliceSeq2SeqBatch(batch: Seq2SeqBatch, start: number, count: number, rows = count): Seq2SeqBatch {
  const B = batch.targetLengths.length;
  if (!(Number.isInteger(start) && Number.isInteger(count) && start >= 0 && count >= 1 && start + count <= B && rows >= count)) {
    throw new RangeError(`cannot take examples ${start}..${start + count - 1} of ${B} into ${rows} rows`);
  }
  const take = (data: Int32Array, per: number) => {
    const out = new Int32Array(rows * per);
    out.set(data.subarray(start * per, (start + count) * per));
    for (let r = count; r < rows; r++) out.set(data.subarray((start + count - 1) * per, (start + count) * per), r * per);
    return out;
  };
  const tokens = (t: TokenTensor): TokenTensor => ({ shape: [rows, t.shape[1]], data: take(t.data, t.shape[1]) });
  return {
    source: tokens(batch.source),
    sourceLengths: take(batch.sourceLengths, 1),
    decoderInputs: tokens(batch.decoderInputs),
    targets: tokens(batch.targets),
    targetLengths: take(batch.targetLengths, 1),
  };
}
