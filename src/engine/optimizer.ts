/**
 * Optimizers with PyTorch's update rules (torch.optim.SGD, RMSprop with centered=False,
 * Adam with amsgrad=False, and torch.nn.utils.clip_grad_norm_), in float64, over the flat
 * arrays of paramLayout.ts (the GPU's shaders/optimizer.wgsl mirrors this file 1:1).
 * One step, in order:
 *   ‖g‖ = sqrt(Σ g²) over every gradient                 the global norm, before weight decay
 *   if ‖g‖ is NaN or ±Inf: skip                           params, state and t untouched
 *   coef = max_norm / (‖g‖ + 1e-6);  g ← coef·g if coef < 1   (clip_grad_norm_, when clipNorm is set)
 *   or g ← clamp(g, -v, v)                                (clip_grad_value_, when clipValue is set)
 *   g ← g + wd·p                                          L2 weight decay (torch's, not AdamW's)
 *   t ← t + 1
 *   sgd:      p ← p - lr·g
 *   momentum: b ← μ·b + g;  p ← p - lr·b                  b starts at 0, so the first b is g, as in torch
 *   rmsprop:  v ← α·v + (1-α)·g²;  p ← p - lr·g / (√v + eps)
 *   adam:     m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
 *             p ← p - lr/(1-β1^t) · m / (√v / √(1-β2^t) + eps)   torch's form of lr·m̂/(√v̂ + eps)
 * Gradients are read, never written (torch scales `.grad` in place when clipping; nothing here needs that).
 */
import type { ParamLayout } from './paramLayout.ts';

/** The optimizers, named as in the UI. */
export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'rmsprop', 'adam'] as const;
/** An optimizer kind. */
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/** Hyperparameters of every kind (each kind reads the ones it needs). */
export interface OptimizerConfig {
  kind: OptimizerKind;
  /** Learning rate. */
  lr: number;
  /** μ of SGD with momentum. */
  momentum: number;
  /** RMSprop's smoothing constant α. */
  alpha: number;
  /** Adam's decay of the first moment. */
  beta1: number;
  /** Adam's decay of the second moment. */
  beta2: number;
  /** Added to the denominator of RMSprop and Adam. */
  eps: number;
  /** L2 penalty: g ← g + weightDecay·p. */
  weightDecay: number;
  /** clip_grad_norm_'s max_norm; null: no clipping by norm. */
  clipNorm: number | null;
  /** clip_grad_value_'s clip_value: each gradient clamped to ±clipValue; null or absent: none. Not with clipNorm. */
  clipValue?: number | null;
}

/** PyTorch's defaults, with learning rates that suit the playground's small models. */
export function defaultOptimizer(kind: OptimizerKind): OptimizerConfig {
  const lr = { sgd: 0.1, momentum: 0.05, rmsprop: 0.01, adam: 0.01 }[kind];
  return { kind, lr, momentum: 0.9, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: null };
}

/** Throws on hyperparameters torch.optim would reject (and on a negative max_norm). */
export function checkOptimizer(cfg: OptimizerConfig): void {
  const bad = (what: string) => {
    throw new Error(`optimizer ${cfg.kind}: ${what}`);
  };
  if (!OPTIMIZER_KINDS.includes(cfg.kind)) bad(`unknown kind`);
  if (!(cfg.lr >= 0)) bad(`lr must be >= 0, got ${cfg.lr}`);
  if (!(cfg.momentum >= 0)) bad(`momentum must be >= 0, got ${cfg.momentum}`);
  if (!(cfg.alpha >= 0)) bad(`alpha must be >= 0, got ${cfg.alpha}`);
  for (const key of ['beta1', 'beta2'] as const) if (!(cfg[key] >= 0 && cfg[key] < 1)) bad(`${key} must be in [0, 1), got ${cfg[key]}`);
  if (!(cfg.eps >= 0)) bad(`eps must be >= 0, got ${cfg.eps}`);
  if (!(cfg.weightDecay >= 0)) bad(`weightDecay must be >= 0, got ${cfg.weightDecay}`);
  if (cfg.clipNorm !== null && !(cfg.clipNorm >= 0)) bad(`clipNorm must be >= 0 or null, got ${cfg.clipNorm}`);
  const clipValue = cfg.clipValue ?? null;
  if (clipValue !== null && !(clipValue >= 0)) bad(`clipValue must be >= 0 or null, got ${clipValue}`);
  if (clipValue !== null && cfg.clipNorm !== null) bad('clip by norm or by value, not both');
}

/** Optimizer state over the flat layout: the step count and one array per moment. */
export interface OptimizerState {
  /** Steps taken (skipped steps not counted); Adam's bias corrections use it. */
  t: number;
  /** (P) momentum buffer b, or Adam's first moment m. */
  m: Float64Array;
  /** (P) RMSprop's and Adam's second moment v. */
  v: Float64Array;
}

/** Zero state for a layout (t = 0). */
export function createOptimizerState(layout: Pick<ParamLayout, 'total'>): OptimizerState {
  return { t: 0, m: new Float64Array(layout.total), v: new Float64Array(layout.total) };
}

/** What one step reports. */
export interface StepReport {
  /** ‖g‖₂ of all gradients before clipping (NaN or Inf when one is not finite). */
  gradNorm: number;
  /** ‖coef·g‖₂, the norm the update used; gradNorm when nothing was clipped or the step was skipped. */
  clippedNorm: number;
  /** True when the norm was not finite and nothing changed. */
  skipped: boolean;
}

/** clip_grad_norm_'s factor: min(1, max_norm / (‖g‖ + 1e-6)), or 1 without clipping. */
export function clipCoef(clipNorm: number | null, gradNorm: number): number {
  if (clipNorm === null) return 1;
  const coef = clipNorm / (gradNorm + 1e-6);
  return coef < 1 ? coef : 1;
}

/** One optimizer step: updates `params` and `state` in place from `grads` (all flat, layout.total long). */
export function optimizerStep(cfg: OptimizerConfig, state: OptimizerState, params: Float64Array, grads: Float64Array): StepReport {
  const P = params.length;
  if (grads.length !== P || state.m.length !== P || state.v.length !== P) {
    throw new Error(`optimizerStep: params ${P}, grads ${grads.length}, state ${state.m.length}/${state.v.length} elements`);
  }
  let sumSquares = 0;
  for (let i = 0; i < P; i++) sumSquares += grads[i] * grads[i];
  const gradNorm = Math.sqrt(sumSquares);
  if (!Number.isFinite(gradNorm)) return { gradNorm, clippedNorm: gradNorm, skipped: true };

  const coef = clipCoef(cfg.clipNorm, gradNorm);
  const cv = cfg.clipValue ?? Infinity;
  const { lr, momentum: mu, alpha, beta1, beta2, eps, weightDecay: wd } = cfg;
  let clippedSquares = 0;
  const { m, v } = state;
  const t = ++state.t;
  const stepSize = lr / (1 - beta1 ** t); // adam
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t); // adam
  for (let i = 0; i < P; i++) {
    const clipped = Math.min(cv, Math.max(-cv, coef * grads[i]));
    clippedSquares += clipped * clipped;
    const g = clipped + wd * params[i];
    switch (cfg.kind) {
      case 'sgd':
        params[i] -= lr * g;
        break;
      case 'momentum':
        m[i] = mu * m[i] + g;
        params[i] -= lr * m[i];
        break;
      case 'rmsprop':
        v[i] = alpha * v[i] + (1 - alpha) * g * g;
        params[i] -= (lr * g) / (Math.sqrt(v[i]) + eps);
        break;
      case 'adam':
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        params[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + eps);
        break;
    }
  }
  return { gradNorm, clippedNorm: cfg.clipValue == null ? coef * gradNorm : Math.sqrt(clippedSquares), skipped: false };
}
