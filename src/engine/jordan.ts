/**
 * Jordan output feedback (lectures 000 and 001): one unidirectional rnn_tanh/rnn_relu layer
 * whose previous output feeds its next step, with the head applied at every step.
 *   y_{-1} = 0
 *   h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh + W_hy fb_{t-1})   (no W_hh, b_hh when not recurrent)
 *   y_t = W_head h_t + b_head
 *   fb_t = softmax(y_t) for cross_entropy, y_t for mse;  with teacher forcing, fb_t = target_t
 *          (one-hot for classes) and no gradient flows through it
 * Backward, t = T-1 .. 0, per example:
 *   dy_t   = dL/dy_t from the loss + J_fb(y_t)ᵀ W_hyᵀ dpre_{t+1}        (feedback path, unless forced)
 *   dh_t   = W_headᵀ dy_t + W_hhᵀ dpre_{t+1}
 *   dpre_t = dh_t ⊙ act'(·)
 * where J_softmax(y)ᵀ v = p ⊙ (v - p·v). Truncated BPTT cuts both paths from t+1 into t
 * at the same points as the plain network (processing index p = t+1 with p % k == 0).
 */
import { batchDims, type Batch } from './batch.ts';
import { relu, tanh } from './cells.ts';
import { addMatTVec, addOuter, affine } from './linalg.ts';
import { lossWithGradient } from './loss.ts';
import { paramSpecs, type ModelConfig } from './model.ts';
import { zeros, type Tensor, type TensorMap } from './tensor.ts';

/** What the Jordan network computed, in the shapes the plain network reports. */
export interface JordanResult {
  loss: number;
  /** (B, T, O) head outputs. */
  outputs: Tensor;
  /** (T, B, H) activations = h_t (the rnn's single gate block). */
  h: Float64Array;
  /** Present after backward: (T, B, H) dL/dh_t and gradients of every parameter. */
  dh?: Float64Array;
  grads?: TensorMap;
}

/** Forward, and backward when `withGrads`, of a model with output feedback. */
export function jordanRun(config: ModelConfig, params: TensorMap, batch: Batch, withGrads: boolean, k: number): JordanResult {
  const fb = config.outputFeedback!;
  if (config.numLayers !== 1 || config.bidirectional || batch.outputMode !== 'sequence' || !config.cell.startsWith('rnn_') || config.embedding) {
    throw new Error('output feedback needs rnn_tanh or rnn_relu, one layer, unidirectional, sequence output, no embedding');
  }
  const { B, T } = batchDims(batch);
  const { inputSize: I, hiddenSize: H, outputSize: O } = config;
  const act = config.cell === 'rnn_tanh' ? tanh : relu;
  const ce = batch.loss === 'cross_entropy';
  const get = (name: string) => params.get(name)!.data;
  const Wih = get('rnn.weight_ih_l0');
  const bih = get('rnn.bias_ih_l0');
  const Whh = fb.recurrent ? get('rnn.weight_hh_l0') : null;
  const bhh = fb.recurrent ? get('rnn.bias_hh_l0') : null;
  const Why = get('rnn.weight_hy_l0');
  const Wout = get('head.weight');
  const bout = get('head.bias');
  const x = batch.inputs!.data;
  const targets = batch.targets.data;

  // Forward, example by example: y (B, T, O) batch-major, h (T, B, H) time-major like the traces.
  const y = new Float64Array(B * T * O);
  const feed = new Float64Array(B * (T + 1) * O); // fb_{t-1} at slot t; slot 0 is y_{-1} = 0
  const h = new Float64Array(T * B * H);
  const pre = new Float64Array(H);
  const tmp = new Float64Array(H);
  const hRow = (t: number, b: number) => h.subarray((t * B + b) * H, (t * B + b + 1) * H);
  const yRow = (b: number, t: number) => y.subarray((b * T + t) * O, (b * T + t + 1) * O);
  const feedRow = (b: number, slot: number) => feed.subarray((b * (T + 1) + slot) * O, (b * (T + 1) + slot + 1) * O);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      affine(pre, Wih, x.subarray((b * T + t) * I, (b * T + t + 1) * I), bih, H, I);
      if (Whh && t > 0) {
        affine(tmp, Whh, hRow(t - 1, b), bhh, H, H);
        for (let j = 0; j < H; j++) pre[j] += tmp[j];
      } else if (bhh) {
        for (let j = 0; j < H; j++) pre[j] += bhh[j];
      }
      affine(tmp, Why, feedRow(b, t), null, H, O);
      const ht = hRow(t, b);
      for (let j = 0; j < H; j++) ht[j] = act.output(pre[j] + tmp[j]);
      const yt = yRow(b, t);
      affine(yt, Wout, ht, bout, O, H);
      writeFeedback(feedRow(b, t + 1), yt, fb.teacherForcing ? targets : null, b * T + t, ce, O);
    }
  }
  const { loss, dy } = lossWithGradient(batch.loss, y, targets, B * T, O);
  const outputs = { shape: [B, T, O], data: y };
  if (!withGrads) return { loss, outputs, h };

  // Backward through time, example by example.
  const grads: TensorMap = new Map(paramSpecs(config).map((s) => [s.name, zeros(s.shape)]));
  const g = (name: string) => grads.get(name)!.data;
  const dh = new Float64Array(T * B * H);
  const dpreNext = new Float64Array(H); // dpre_{t+1}, zero past the end or across a cut
  const dpre = new Float64Array(H);
  const dfb = new Float64Array(O);
  const dyt = new Float64Array(O);
  for (let b = 0; b < B; b++) {
    dpreNext.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const flows = t + 1 < T && (t + 1) % k !== 0; // gradient from step t+1 into step t
      dyt.set(dy.subarray((b * T + t) * O, (b * T + t + 1) * O));
      if (flows && !fb.teacherForcing) {
        dfb.fill(0);
        addMatTVec(dfb, Why, dpreNext, H, O); // dL/dfb_t = W_hyᵀ dpre_{t+1}
        feedbackBackward(dyt, dfb, feedRow(b, t + 1), ce, O);
      }
      const dht = dh.subarray((t * B + b) * H, (t * B + b + 1) * H);
      addMatTVec(dht, Wout, dyt, O, H);
      if (flows && Whh) addMatTVec(dht, Whh, dpreNext, H, H);
      addOuter(g('head.weight'), g('head.bias'), dyt, hRow(t, b), O, H);
      const ht = hRow(t, b);
      for (let j = 0; j < H; j++) dpre[j] = dht[j] * act.der(ht[j]);
      addOuter(g('rnn.weight_ih_l0'), g('rnn.bias_ih_l0'), dpre, x.subarray((b * T + t) * I, (b * T + t + 1) * I), H, I);
      if (Whh) addOuter(g('rnn.weight_hh_l0'), g('rnn.bias_hh_l0'), dpre, t > 0 ? hRow(t - 1, b) : new Float64Array(H), H, H);
      addOuter(g('rnn.weight_hy_l0'), null, dpre, feedRow(b, t), H, O);
      dpreNext.set(dpre);
    }
  }
  return { loss, outputs, h, dh, grads };
}

/** fb_t: the previous target (one-hot for classes) when forced, else softmax(y_t) for classes or y_t itself. */
function writeFeedback(out: Float64Array, y: Float64Array, targets: Float64Array | null, n: number, ce: boolean, O: number): void {
  if (targets) {
    if (ce) for (let k = 0; k < O; k++) out[k] = k === targets[n] ? 1 : 0;
    else out.set(targets.subarray(n * O, (n + 1) * O));
    return;
  }
  if (!ce) {
    out.set(y);
    return;
  }
  let max = -Infinity;
  for (let k = 0; k < O; k++) max = Math.max(max, y[k]);
  let sum = 0;
  for (let k = 0; k < O; k++) sum += (out[k] = Math.exp(y[k] - max));
  for (let k = 0; k < O; k++) out[k] /= sum;
}

/** dy += J_fb(y)ᵀ dfb, where fb = softmax(y) (p given) or fb = y. */
function feedbackBackward(dy: Float64Array, dfb: Float64Array, p: Float64Array, ce: boolean, O: number): void {
  if (!ce) {
    for (let k = 0; k < O; k++) dy[k] += dfb[k];
    return;
  }
  let dot = 0;
  for (let k = 0; k < O; k++) dot += p[k] * dfb[k];
  for (let k = 0; k < O; k++) dy[k] += p[k] * (dfb[k] - dot);
}
