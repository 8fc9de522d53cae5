// Per-row loss and its gradient with respect to the head's outputs, PyTorch's mean reduction.
// One invocation per row n of N (rows are time-major (t, b) for `sequence`, b for `last`).
//   mse (LOSS 0):           loss_n = Σ_k (y - target)² / (N·O)       dy = 2 (y - target) / (N·O)
//   cross_entropy (LOSS 1): loss_n = (logsumexp(y_n) - y_n[k_n]) / N   dy = (softmax(y_n) - onehot(k_n)) / N
// The loss is the sum of loss_n (a reduce_rows pass).
// weighted: cross-entropy with a weight per row in place of 1/N (an encoder-decoder's mean over
//   its real target positions: w_n = 1/Σ lengths on those, 0 on padding).
//
// binding | name     | access     | shape
// 0       | y        | read       | (N, O)  head outputs (logits for cross_entropy)
// 1       | y_target | read       | (N, O) values for mse; (N) class indices as f32 for cross_entropy
// 2       | dy       | read_write | (N, O)
// 3       | loss_row | read_write | (N)
// 4       | weight   | read       | (N)  weighted only

override LOSS: u32;      // 0 mse, 1 cross_entropy
override N: u32;
override O: u32;
override WORKGROUP: u32 = 64u;

@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> y_target: array<f32>;
@group(0) @binding(2) var<storage, read_write> dy: array<f32>;
@group(0) @binding(3) var<storage, read_write> loss_row: array<f32>;
@group(0) @binding(4) var<storage, read> weight: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let n = linear_id(gid, groups, WORKGROUP);
  if (n >= N) {
    return;
  }
  let o = n * O;
  if (LOSS == 0u) {
    let count = f32(N * O);
    var s = 0.0;
    for (var k = 0u; k < O; k++) {
      let e = y[o + k] - y_target[o + k];
      s += e * e;
      dy[o + k] = 2.0 * e / count;
    }
    loss_row[n] = s / count;
    return;
  }
  cross_entropy_row(n, 1.0 / f32(N));
}

// Row n's cross-entropy times w, and its gradient.
fn cross_entropy_row(n: u32, w: f32) {
  let o = n * O;
  var m = y[o];
  for (var k = 1u; k < O; k++) {
    m = max(m, y[o + k]);
  }
  var s = 0.0;
  for (var k = 0u; k < O; k++) {
    s += exp(y[o + k] - m);
  }
  let log_sum = m + log(s);                       // logsumexp, stable
  let cls = u32(y_target[n]);
  loss_row[n] = (log_sum - y[o + cls]) * w;
  for (var k = 0u; k < O; k++) {
    dy[o + k] = (exp(y[o + k] - log_sum) - select(0.0, 1.0, k == cls)) * w;
  }
}

@compute @workgroup_size(WORKGROUP)
fn weighted(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let n = linear_id(gid, groups, WORKGROUP);
  if (n >= N) {
    return;
  }
  cross_entropy_row(n, weight[n]);
}
