// One optimizer step over the flat parameter layout, PyTorch's rules, the GPU twin of
// src/engine/optimizer.ts (float32). Three dispatches in one compute pass, nothing read back:
//   partial_sums  NPART workgroups:  partials[w] = Σ g² over the elements workgroup w visits
//   finish        one invocation:    ‖g‖ = sqrt(Σ_w partials[w])  (fixed order: same result every run)
//                                    skip if ‖g‖ is NaN or ±Inf (by bit pattern, see common.wgsl)
//                                    coef = min(1, max_norm / (‖g‖ + 1e-6)) when clipping by norm, else 1
//                                    clipping by value: ‖clamp(g)‖ from the second partial sums
//                                    t ← t + 1 and Adam's bias corrections, only when not skipped
//   update        one invocation per element i < P, nothing when skipped:
//                 g = clamp(coef·grads[i], ±max_value) + wd·p   (max_value = +Inf unless clipping by value)
//                 sgd:      p ← p - lr·g
//                 momentum: b ← μ·b + g;  p ← p - lr·b
//                 rmsprop:  v ← α·v + (1-α)·g²;  p ← p - lr·g / (√v + eps)
//                 adam:     m ← β1·m + (1-β1)·g;  v ← β2·v + (1-β2)·g²
//                           p ← p - step_size · m / (√v / bc2_sqrt + eps)
//                           step_size = lr / (1 - β1^t),  bc2_sqrt = √(1 - β2^t)
// 1 - β^t = -expm1(t ln β): no cancellation for β near 1 (1 - pow(β, t) in float32 broke the tests'
// 1e-5 bound on Adam's updates, even on SwiftShader). 1 - α, 1 - β and ln β come from the CPU in float64.
//
// binding | name     | access     | shape
// 0       | params   | read_write | (P)     every parameter, paramLayout.ts order, zero padding
// 1       | grads    | read       | (P)     dL/dparams, same layout
// 2       | state    | read_write | (S, P)  moments: m (momentum buffer or Adam's m) at 0, v at V_AT; S = 0, 1 or 2
// 3       | partials | read_write | (2, NPART) per-workgroup sums of g², then of clamp(g, ±max_value)²
// 4       | stats    | read_write | Stats   the step's report, and the scalars `update` reads
// 5       | config   | uniform    | Config  hyperparameters, rewritten between steps

override KIND: u32;      // 0 sgd, 1 momentum, 2 rmsprop, 3 adam
override P: u32;         // elements of params and grads
override NPART: u32;     // workgroups of partial_sums
override V_AT: u32;      // first element of v in state
override WORKGROUP: u32; // a power of two

const SGD: u32 = 0u;
const MOMENTUM: u32 = 1u;
const RMSPROP: u32 = 2u;
const ADAM: u32 = 3u;

struct Stats {
  grad_norm: f32,     // ‖g‖₂ before clipping (NaN or Inf when a gradient is not finite)
  clipped_norm: f32,  // coef·‖g‖₂; grad_norm when skipped
  skipped: u32,       // 1 when this step was skipped
  t: u32,             // steps taken, skipped ones not counted
  coef: f32,          // what the gradients were multiplied by
  step_size: f32,     // adam: lr / (1 - β1^t)
  bc2_sqrt: f32,      // adam: √(1 - β2^t)
}

struct Config {
  lr: f32,
  momentum: f32,
  alpha: f32,
  one_minus_alpha: f32,
  beta1: f32,
  one_minus_beta1: f32,
  log_beta1: f32,
  beta2: f32,
  one_minus_beta2: f32,
  log_beta2: f32,
  eps: f32,
  weight_decay: f32,
  max_norm: f32,
  max_value: f32,     // clipping by value: |g| ≤ max_value
  clip: u32,          // 0: no clipping; 1: by norm (max_norm); 2: by value (max_value)
}

@group(0) @binding(0) var<storage, read_write> params: array<f32>;
@group(0) @binding(1) var<storage, read> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> state: array<f32>;
@group(0) @binding(3) var<storage, read_write> partials: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: Stats;
@group(0) @binding(5) var<uniform> config: Config;

var<workgroup> scratch: array<f32, WORKGROUP>;
var<workgroup> scratch_clipped: array<f32, WORKGROUP>;

// A gradient as the update uses it before weight decay: clamped when clipping by value.
fn clipped(g: f32) -> f32 {
  if (config.clip == 2u) {
    return clamp(g, -config.max_value, config.max_value);
  }
  return g;
}

// e^x - 1, accurate for small |x| too: its Taylor series below |x| = 0.5 (the 10th term is < 3e-10 of x).
fn expm1(x: f32) -> f32 {
  if (abs(x) >= 0.5) {
    return exp(x) - 1.0;
  }
  var term = x;
  var sum = x;
  for (var k = 2.0; k <= 10.0; k += 1.0) {
    term *= x / k;
    sum += term;
  }
  return sum;
}

@compute @workgroup_size(WORKGROUP)
fn partial_sums(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  var s = 0.0;
  var sc = 0.0;
  for (var i = wid.x * WORKGROUP + lid.x; i < P; i += NPART * WORKGROUP) {
    let g = grads[i];
    s += g * g;
    let c = clipped(g);
    sc += c * c;
  }
  scratch[lid.x] = s;
  scratch_clipped[lid.x] = sc;
  for (var half = WORKGROUP / 2u; half > 0u; half /= 2u) {
    workgroupBarrier();
    if (lid.x < half) {
      scratch[lid.x] += scratch[lid.x + half];
      scratch_clipped[lid.x] += scratch_clipped[lid.x + half];
    }
  }
  if (lid.x == 0u) {
    partials[wid.x] = scratch[0];
    partials[NPART + wid.x] = scratch_clipped[0];
  }
}

@compute @workgroup_size(1)
fn finish() {
  var sum = 0.0;
  for (var w = 0u; w < NPART; w++) {
    sum += partials[w];
  }
  let norm = sqrt(sum);
  stats.grad_norm = norm;
  if (!is_finite(norm)) {
    stats.skipped = 1u;
    stats.clipped_norm = norm;
    return;
  }
  var coef = 1.0;
  if (config.clip == 1u) {
    coef = min(1.0, config.max_norm / (norm + 1e-6));
  }
  let t = stats.t + 1u;
  stats.skipped = 0u;
  stats.t = t;
  stats.coef = coef;
  stats.clipped_norm = coef * norm;
  if (config.clip == 2u) {
    var clipped_sum = 0.0;
    for (var w = 0u; w < NPART; w++) {
      clipped_sum += partials[NPART + w];
    }
    stats.clipped_norm = sqrt(clipped_sum);
  }
  if (KIND == ADAM) {
    stats.step_size = config.lr / -expm1(f32(t) * config.log_beta1);
    stats.bc2_sqrt = sqrt(-expm1(f32(t) * config.log_beta2));
  }
}

@compute @workgroup_size(WORKGROUP)
fn update(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_id(gid, groups, WORKGROUP);
  if (i >= P || stats.skipped != 0u) {
    return;
  }
  let p = params[i];
  let g = clipped(stats.coef * grads[i]) + config.weight_decay * p;
  if (KIND == SGD) {
    params[i] = p - config.lr * g;
  } else if (KIND == MOMENTUM) {
    let b = config.momentum * state[i] + g;
    state[i] = b;
    params[i] = p - config.lr * b;
  } else if (KIND == RMSPROP) {
    let v = config.alpha * state[V_AT + i] + config.one_minus_alpha * g * g;
    state[V_AT + i] = v;
    params[i] = p - config.lr * g / (sqrt(v) + config.eps);
  } else {
    let m = config.beta1 * state[i] + config.one_minus_beta1 * g;
    let v = config.beta2 * state[V_AT + i] + config.one_minus_beta2 * g * g;
    state[i] = m;
    state[V_AT + i] = v;
    params[i] = p - stats.step_size * m / (sqrt(v) / stats.bc2_sqrt + config.eps);
  }
}
