/**
 * Jordan output feedback (lectures 000 and 001): one unidirectional rnn_tanh/rnn_relu layer
 * whose previous output feeds its next step, with the head applied at every step.
 *   y_{-1} = 0
 *   h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh + W_hy fb_{t-1})   (no W_hh, b_hh when not recurrent)
 *   y_t = W_head h_t + b_head
 *   fb_t = softmax(y_t) for cross_entropy, y_t for mse;  with teacher forcing, fb_t = target_t
 *          (one-hot for classes) and no gradient flows through it
 * Backward, t = T-1 .. 0, per example (`jordanBackwardStep`), dL/dh_t in three parts:
 *   fromOutput_t   = W_headᵀ dℓ/dy_t                       (the loss at t)
 *   fromNext_t     = W_hhᵀ dpre_{t+1}                      (through W_hh, when recurrent)
 *   dyFeedback_t   = J_fb(y_t)ᵀ W_hyᵀ dpre_{t+1}           (y_t fed into step t+1, unless forced)
 *   fromFeedback_t = W_headᵀ dyFeedback_t
 *   dh_t   = fromOutput_t + fromNext_t + fromFeedback_t
 *   dpre_t = dh_t ⊙ act'(·)
 * where J_softmax(y)ᵀ v = p ⊙ (v - p·v). Truncated BPTT cuts both paths from t+1 into t
 * at the same points as the plain network (processing index p = t+1 with p % k == 0).
 */
import { batchDims, type Batch } from './batch.ts';
import { relu, tanh, type Activation } from './cells.ts';
import { addMatTVec, addOuter, affine } from './linalg.ts';
import { lossWithGradient } from './loss.ts';
import { paramSpecs, type LossKind, type ModelConfig } from './model.ts';
import { zeros, type Tensor, type TensorMap } from './tensor.ts';

/** What the Jordan network computed, in the shapes the plain network reports. */
export interface JordanResult {
  loss: number;
  /** (B, T, O) head outputs. */
  outputs: Tensor;
  /** (T, B, H) activations = h_t (the rnn's single gate block). */
  h: Float64Array;
  /** (B, T + 1, O) what each step reads through W_hy: slot t holds fb_{t-1}, slot 0 is y_{-1} = 0. */
  feed: Float64Array;
  /** Present after backward: (T, B, H) dL/dh_t and gradients of every parameter. */
  dh?: Float64Array;
  grads?: TensorMap;
}

/** A Jordan layer's weights (or their gradients): W_hh and b_hh are null when it is not recurrent. */
export interface JordanWeights {
  /** (H, I) */
  Wih: Float64Array;
  /** (H) */
  bih: Float64Array;
  /** (H, H) */
  Whh: Float64Array | null;
  /** (H) */
  bhh: Float64Array | null;
  /** (H, O) the output feedback weights. */
  Why: Float64Array;
  /** (O, H) the head. */
  Wout: Float64Array;
  /** (O) */
  bout: Float64Array;
}

/** What backward needs to know of a Jordan layer besides its weights. */
export interface JordanShape {
  I: number;
  H: number;
  O: number;
  act: Activation;
  /** Cross-entropy: softmax(y) is fed back. */
  ce: boolean;
  /** Teacher forcing: the target is fed back and no gradient flows through it. */
  forced: boolean;
}

/** Step t's values that backward reads (one example). */
export interface JordanStepValues {
  /** (I) x_t. */
  x: Float64Array;
  /** (H) h_{t-1}, zero at t = 0. */
  hPrev: Float64Array;
  /** (H) h_t. */
  h: Float64Array;
  /** (O) fb_{t-1}, what step t read through W_hy. */
  fedIn: Float64Array;
  /** (O) fb_t, what step t+1 read (softmax(y_t) for classes: the Jacobian needs it). */
  fedOut: Float64Array;
  /** (O) dℓ/dy_t from the loss at t. */
  dyLoss: Float64Array;
  /** (H) dpre_{t+1}, or null where nothing flows from step t+1 (the last step, or cut by the window). */
  dpreNext: Float64Array | null;
}

/** Where step t's backward writes (one example); every field is overwritten. */
export interface JordanStepGrads {
  /** (H) W_headᵀ dℓ/dy_t. */
  fromOutput: Float64Array;
  /** (H) W_hhᵀ dpre_{t+1}: zero when not recurrent or nothing flows. */
  fromNext: Float64Array;
  /** (O) dL/dfb_t = W_hyᵀ dpre_{t+1}: the gradient at the value fed into step t+1 (zero when forced or nothing flows). */
  dFed: Float64Array;
  /** (O) J_fb(y_t)ᵀ dFed: what reaches y_t back along the feedback. */
  dyFeedback: Float64Array;
  /** (H) W_headᵀ dyFeedback. */
  fromFeedback: Float64Array;
  /** (O) dL/dy_t = dℓ/dy_t + dyFeedback. */
  dy: Float64Array;
  /** (H) dL/dh_t = fromOutput + fromNext + fromFeedback. */
  dh: Float64Array;
  /** (H) dpre_t = dh_t ⊙ act'. */
  dpre: Float64Array;
}

/** Checks that a model can feed its outputs back and reads its layer's shape. */
export function jordanShape(config: ModelConfig, loss: LossKind, outputMode: Batch['outputMode']): JordanShape {
  const fb = config.outputFeedback;
  if (!fb) throw new Error('the model has no output feedback (outputFeedback)');
  if (config.numLayers !== 1 || config.bidirectional || outputMode !== 'sequence' || !config.cell.startsWith('rnn_') || config.embedding) {
    throw new Error('output feedback needs rnn_tanh or rnn_relu, one layer, unidirectional, sequence output, no embedding');
  }
  const { inputSize: I, hiddenSize: H, outputSize: O } = config;
  return { I, H, O, act: config.cell === 'rnn_tanh' ? tanh : relu, ce: loss === 'cross_entropy', forced: fb.teacherForcing };
}

/** A Jordan layer's tensors out of a parameter (or gradient) map. */
export function jordanWeights(config: ModelConfig, params: TensorMap): JordanWeights {
  const get = (name: string) => {
    const t = params.get(name);
    if (!t) throw new Error(`parameter ${name} is missing`);
    return t.data;
  };
  const recurrent = config.outputFeedback!.recurrent;
  return {
    Wih: get('rnn.weight_ih_l0'),
    bih: get('rnn.bias_ih_l0'),
    Whh: recurrent ? get('rnn.weight_hh_l0') : null,
    bhh: recurrent ? get('rnn.bias_hh_l0') : null,
    Why: get('rnn.weight_hy_l0'),
    Wout: get('head.weight'),
    bout: get('head.bias'),
  };
}

/** Empty per-step buffers for {@link jordanBackwardStep}. */
export function jordanStepGrads(H: number, O: number): JordanStepGrads {
  const v = (n: number) => new Float64Array(n);
  return { fromOutput: v(H), fromNext: v(H), dFed: v(O), dyFeedback: v(O), fromFeedback: v(H), dy: v(O), dh: v(H), dpre: v(H) };
}

/** Forward, and backward when `withGrads`, of a model with output feedback. */
export function jordanRun(config: ModelConfig, params: TensorMap, batch: Batch, withGrads: boolean, k: number): JordanResult {
  const s = jordanShape(config, batch.loss, batch.outputMode);
  const { B, T } = batchDims(batch);
  const { I, H, O, act, ce } = s;
  const w = jordanWeights(config, params);
  const { Wih, bih, Whh, bhh, Why, Wout, bout } = w;
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
  const xRow = (b: number, t: number) => x.subarray((b * T + t) * I, (b * T + t + 1) * I);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      affine(pre, Wih, xRow(b, t), bih, H, I);
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
      writeFeedback(feedRow(b, t + 1), yt, s.forced ? targets : null, b * T + t, ce, O);
    }
  }
  const { loss, dy } = lossWithGradient(batch.loss, y, targets, B * T, O);
  const outputs = { shape: [B, T, O], data: y };
  if (!withGrads) return { loss, outputs, h, feed };

  // Backward through time, example by example.
  const grads: TensorMap = new Map(paramSpecs(config).map((p) => [p.name, zeros(p.shape)]));
  const g = jordanWeights(config, grads);
  const dh = new Float64Array(T * B * H);
  const dpreNext = new Float64Array(H); // dpre_{t+1}
  const zeroH = new Float64Array(H);
  const step = jordanStepGrads(H, O);
  for (let b = 0; b < B; b++) {
    for (let t = T - 1; t >= 0; t--) {
      const flows = t + 1 < T && (t + 1) % k !== 0; // gradient from step t+1 into step t
      const values = { x: xRow(b, t), hPrev: t > 0 ? hRow(t - 1, b) : zeroH, h: hRow(t, b), fedIn: feedRow(b, t), fedOut: feedRow(b, t + 1), dyLoss: dy.subarray((b * T + t) * O, (b * T + t + 1) * O), dpreNext: flows ? dpreNext : null };
      jordanBackwardStep(s, w, g, values, step);
      dh.set(step.dh, (t * B + b) * H);
      dpreNext.set(step.dpre);
    }
  }
  return { loss, outputs, h, feed, dh, grads };
}

/**
 * Step t's backward for one example: dL/dh_t in its three parts and dpre_t into `out`, and
 * this step's share of every gradient added into `grads` (the head's from dL/dy_t, W_ih and
 * b_ih from dpre_t x_tᵀ, W_hh and b_hh from dpre_t h_{t-1}ᵀ, W_hy from dpre_t fb_{t-1}ᵀ).
 */
export function jordanBackwardStep(s: JordanShape, w: JordanWeights, grads: JordanWeights, v: JordanStepValues, out: JordanStepGrads): void {
  const { I, H, O } = s;
  out.fromOutput.fill(0);
  out.fromNext.fill(0);
  out.dFed.fill(0);
  out.dyFeedback.fill(0);
  out.fromFeedback.fill(0);
  addMatTVec(out.fromOutput, w.Wout, v.dyLoss, O, H);
  if (v.dpreNext) {
    if (w.Whh) addMatTVec(out.fromNext, w.Whh, v.dpreNext, H, H);
    if (!s.forced) {
      addMatTVec(out.dFed, w.Why, v.dpreNext, H, O); // dL/dfb_t = W_hyᵀ dpre_{t+1}
      feedbackBackward(out.dyFeedback, out.dFed, v.fedOut, s.ce, O);
      addMatTVec(out.fromFeedback, w.Wout, out.dyFeedback, O, H);
    }
  }
  for (let k = 0; k < O; k++) out.dy[k] = v.dyLoss[k] + out.dyFeedback[k];
  for (let j = 0; j < H; j++) {
    out.dh[j] = out.fromOutput[j] + out.fromNext[j] + out.fromFeedback[j];
    out.dpre[j] = out.dh[j] * s.act.der(v.h[j]);
  }
  addOuter(grads.Wout, grads.bout, out.dy, v.h, O, H);
  addOuter(grads.Wih, grads.bih, out.dpre, v.x, H, I);
  if (grads.Whh) addOuter(grads.Whh, grads.bhh, out.dpre, v.hPrev, H, H);
  addOuter(grads.Why, null, out.dpre, v.fedIn, H, O);
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
