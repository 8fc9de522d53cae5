// Per-step gradient norms for the gradient-over-time view, computed on the GPU right
// after a (layer, direction)'s backward steps, so a training step reads nothing back.
//   norm[which, t] = ‖dstate[which, t, :, :]‖₂ over the batch and the units,
//   which = 0: dL/dh_t, 1: dL/dc_t (LSTM; zero otherwise)
// One invocation per (which, t); a fixed summation order.
//
// binding | name   | access     | shape
// 0       | dstate | read       | (2, T, B, H) [dh; dc]
// 1       | norms  | read_write | (L*D, 2, T)   this (layer, direction) at OUT_AT

override T: u32;
override BH: u32;        // B * H
override WHICH: u32;     // 1: dh only, 2: dh and dc
override OUT_AT: u32;    // first element of this (layer, direction) in `norms`
override WORKGROUP: u32 = 64u;

@group(0) @binding(0) var<storage, read> dstate: array<f32>;
@group(0) @binding(1) var<storage, read_write> norms: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= 2u * T) {
    return;
  }
  var s = 0.0;
  if (id / T < WHICH) {
    let start = id * BH;   // block `which`, step t: (which * T + t) * B * H
    for (var k = 0u; k < BH; k++) {
      let v = dstate[start + k];
      s += v * v;
    }
  }
  norms[OUT_AT + id] = sqrt(s);
}
