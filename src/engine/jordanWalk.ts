/**
 * The BPTT walk of a Jordan network (lectures 000 and 001: the previous output y_{t-1} fed back
 * into h_t through W_hy), in bpttWalk.ts's record. Forward is `jordanRun`; backward calls
 * jordan.ts's own `jordanBackwardStep`, the step `lossAndGrads` takes, so the two share every
 * formula. dL/dh_t arrives in three parts:
 *   fromOutput_t   = W_headᵀ dℓ/dy_t                        the head, at t
 *   fromNext_t     = W_hhᵀ δ_{t+1}                          through W_hh (none in the pure Jordan network)
 *   fromFeedback_t = W_headᵀ J_fb(y_t)ᵀ W_hyᵀ δ_{t+1}       through y_t fed into step t+1 (none when teacher forced:
 *                                                           the target y*_t is fed, and it has no gradient)
 * and each step adds ΔW_hy = δ_t fb_{t-1}ᵀ besides ΔW_ih = δ_t x_tᵀ and ΔW_hh = δ_t h_{t-1}ᵀ.
 * A window k cuts both paths from step t+1 at the same steps, as `lossAndGrads` does.
 *
 * bpttWalk calls this, and this builds its record with bpttWalk's own helpers (the two modules
 * import each other; only functions cross, so the order they load in does not matter).
 */
import { batchDims, type Batch } from './batch.ts';
import { emptyDirection, keepOnlyOutput, recordSums, type BpttWalk, type WalkFeedback, type WalkOptions } from './bpttWalk.ts';
import { jordanBackwardStep, jordanRun, jordanShape, jordanWeights, type JordanWeights } from './jordan.ts';
import { addOuter } from './linalg.ts';
import { lossWithGradient } from './loss.ts';
import { gateNames, type ModelConfig } from './model.ts';
import { norm, type TensorMap } from './tensor.ts';

/** Walks one example (B = 1) of a model with output feedback; `bpttWalk` has checked the options and found the window k. */
export function jordanWalk(config: ModelConfig, params: TensorMap, batch: Batch, opts: WalkOptions, k: number): BpttWalk {
  const s = jordanShape(config, batch.loss, batch.outputMode);
  const { I, H, O } = s;
  const { T } = batchDims(batch);
  const { recurrent, teacherForcing } = config.outputFeedback!;
  const fullAt = new Set(opts.fullMatricesAt ?? []);
  const run = jordanRun(config, params, batch, false, k); // h (T, H), y (T, O), feed (T + 1, O) for B = 1
  const { dy } = lossWithGradient(batch.loss, run.outputs.data, batch.targets.data, T, O);
  if (opts.onlyOutput !== undefined) keepOnlyOutput(dy, opts.onlyOutput, T, O);

  const w = emptyDirection(0, 0, I, T, H, H, false, run.h, run.h, null, false);
  if (!recurrent) w.grads.Whh = w.grads.bhh = new Float64Array(0);
  const fb: WalkFeedback = {
    teacherForcing,
    recurrent,
    outSize: O,
    classes: s.ce,
    fed: run.feed.slice(0, T * O),
    dFed: new Float64Array(T * O),
    dyFeedback: new Float64Array(T * O),
    fromFeedback: new Float64Array(T * H),
    contribution: new Float64Array(T),
    total: new Float64Array(T),
    grad: new Float64Array(H * O),
  };
  w.feedback = fb;
  const weights = jordanWeights(config, params);
  // The walk's own accumulators; the head's gradient is not part of its record.
  const grads: JordanWeights = {
    Wih: w.grads.Wih,
    bih: w.grads.bih,
    Whh: recurrent ? w.grads.Whh : null,
    bhh: recurrent ? w.grads.bhh : null,
    Why: fb.grad,
    Wout: new Float64Array(O * H),
    bout: new Float64Array(O),
  };
  const at = (buf: Float64Array, t: number, n: number) => buf.subarray(t * n, (t + 1) * n);
  const x = batch.inputs!.data;
  const zeroH = new Float64Array(H);
  const dyStep = new Float64Array(O);
  for (let t = T - 1; t >= 0; t--) {
    w.backwardOrder[T - 1 - t] = t;
    w.cut[t] = t < T - 1 && (t + 1) % k === 0 ? 1 : 0;
    const flows = t < T - 1 && !w.cut[t];
    const hPrev = t > 0 ? at(run.h, t - 1, H) : zeroH;
    const fedIn = at(run.feed, t, O);
    const dpre = at(w.gateGrads, t, H);
    jordanBackwardStep(
      s,
      weights,
      grads,
      { x: at(x, t, I), hPrev, h: at(run.h, t, H), fedIn, fedOut: at(run.feed, t + 1, O), dyLoss: at(dy, t, O), dpreNext: flows ? at(w.gateGrads, t + 1, H) : null },
      { fromOutput: at(w.fromOutput, t, H), fromNext: at(w.fromNext, t, H), dFed: at(fb.dFed, t, O), dyFeedback: at(fb.dyFeedback, t, O), fromFeedback: at(fb.fromFeedback, t, H), dy: dyStep, dh: at(w.dh, t, H), dpre },
    );
    if (recurrent) at(w.recurrentGateGrads, t, H).set(dpre);
    const full = fullAt.has(t);
    recordSums(w, t, dpre, recurrent ? dpre : null, at(x, t, I), hPrev, full, H, H, I);
    fb.contribution[t] = norm(dpre) * norm(fedIn);
    fb.total[t] = norm(fb.grad);
    if (full) {
      const dWhy = new Float64Array(H * O);
      addOuter(dWhy, null, dpre, fedIn, H, O);
      Object.assign(w.matrices[w.matrices.length - 1], { dWhy, totalWhy: fb.grad.slice() });
    }
  }
  return { cell: config.cell, gateNames: gateNames(config), hiddenSize: H, numLayers: 1, D: 1, T, outputMode: batch.outputMode, window: k, loss: run.loss, dirs: [w] };
}
