// Jordan output feedback (src/engine/jordan.ts is the reference): what step t feeds step
// t+1, and the gradient that comes back through it. One invocation per example b.
//   feedback_forward:  fb_t = softmax(y_t) (cross_entropy) or y_t (mse); with FORCED, target_t
//                      (one-hot for classes). Written to slot t+1; slot 0 stays y_{-1} = 0.
//   feedback_backward: dy_total_t = dy_t + [flow and not FORCED] J_fb(y_t)ᵀ dfb,
//                      dfb = W_hyᵀ dpre_{t+1} (a matmul before this), J_softmaxᵀ v = p ⊙ (v - p·v)
//
// binding | name     | access     | shape
// 0       | y        | read       | (T, B, O)   head outputs, time-major
// 1       | y_target | read       | (T, B, O) values for mse; (T, B) class indices for cross_entropy
// 2       | fb       | read_write | (T+1, B, O) fb_{t-1} at slot t
// 3       | step     | uniform    | Step (the recurrent direction's: t, and flow from t+1)
// 4       | dy       | read       | (T, B, O)   dL/dy from the loss
// 5       | dfb      | read       | (B, O)      dL/dfb_t from step t+1
// 6       | dy_total | read_write | (T, B, O)

override B: u32;
override O: u32;
override LOSS: u32;      // 0 mse, 1 cross_entropy
override FORCED: bool;   // teacher forcing
override WORKGROUP: u32 = 64u;

struct Step {
  t: u32,
  slot: u32,
  slot_prev: u32,
  t_next: u32,
  flow: u32,
}

@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> y_target: array<f32>;
@group(0) @binding(2) var<storage, read_write> fb: array<f32>;
@group(0) @binding(3) var<uniform> step: Step;
@group(0) @binding(4) var<storage, read> dy: array<f32>;
@group(0) @binding(5) var<storage, read> dfb: array<f32>;
@group(0) @binding(6) var<storage, read_write> dy_total: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn feedback_forward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= B) {
    return;
  }
  let n = step.t * B + b;
  let src = n * O;
  let dst = ((step.t + 1u) * B + b) * O;
  if (FORCED) {
    for (var k = 0u; k < O; k++) {
      if (LOSS == 0u) {
        fb[dst + k] = y_target[src + k];
      } else {
        fb[dst + k] = select(0.0, 1.0, k == u32(y_target[n]));
      }
    }
    return;
  }
  if (LOSS == 0u) {
    for (var k = 0u; k < O; k++) {
      fb[dst + k] = y[src + k];
    }
    return;
  }
  var m = y[src];
  for (var k = 1u; k < O; k++) {
    m = max(m, y[src + k]);
  }
  var s = 0.0;
  for (var k = 0u; k < O; k++) {
    let e = exp(y[src + k] - m);
    fb[dst + k] = e;
    s += e;
  }
  for (var k = 0u; k < O; k++) {
    fb[dst + k] = fb[dst + k] / s;
  }
}

@compute @workgroup_size(WORKGROUP)
fn feedback_backward(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= B) {
    return;
  }
  let row = (step.t * B + b) * O;
  let through = step.flow == 1u && !FORCED;
  let p = ((step.t + 1u) * B + b) * O;   // fb_t = softmax(y_t), read for the Jacobian
  var dot = 0.0;
  if (through && LOSS == 1u) {
    for (var k = 0u; k < O; k++) {
      dot += fb[p + k] * dfb[b * O + k];
    }
  }
  for (var k = 0u; k < O; k++) {
    var g = dy[row + k];
    if (through) {
      if (LOSS == 1u) {
        g += fb[p + k] * (dfb[b * O + k] - dot);
      } else {
        g += dfb[b * O + k];
      }
    }
    dy_total[row + k] = g;
  }
}
