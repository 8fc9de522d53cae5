// Dropout between stacked layers, the GPU twin of src/engine/dropout.ts (the same integer hash,
// so both backends drop the same elements): in place over one layer's output (forward) or the
// gradient arriving at it (backward, the same mask).
//   draw = lowbias32(seed ^ lowbias32(LAYER ^ lowbias32(i))) >> 8      uniform on [0, 2^24)
//   x[i] = 0 if draw < threshold (= ceil(p·2^24)), else x[i] / (1 - p)
// One invocation per element; nothing happens when `on` is 0 (evaluation). lowbias32 is in common.wgsl.
//
// binding | name    | access     | shape
// 0       | x       | read_write | (T, B, D*H) a layer's output, or dL/d(that output)
// 1       | dropout | uniform    | Dropout

override N: u32;         // elements of x
override LAYER: u32;
override WORKGROUP: u32 = 64u;

struct Dropout {
  seed: u32,
  threshold: u32,
  scale: f32,             // 1 / (1 - p)
  on: u32,
}

@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<uniform> dropout: Dropout;


@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = linear_id(gid, groups, WORKGROUP);
  if (i >= N || dropout.on == 0u) {
    return;
  }
  let draw = lowbias32(dropout.seed ^ lowbias32(LAYER ^ lowbias32(i))) >> 8u;
  x[i] = select(x[i] * dropout.scale, 0.0, draw < dropout.threshold);
}
