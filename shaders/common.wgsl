// Shared WGSL helpers, joined in front of every kernel by src/gpu/shaderSource.ts.
//   sigmoid(x) = 1 / (1 + e^-x)      written to stay finite for large |x|
//   is_finite(x)                      by bit pattern: WGSL may assume NaN/Inf never occur,
//                                     so `x != x` is not a reliable test (it was false on SwiftShader)
//   lowbias32(v)                      C. Wellons' 32-bit integer hash, the twin of hash32 in src/engine/dropout.ts
//                                     (dropout masks and the decoder's teacher-forcing coins)

fn sigmoid(x: f32) -> f32 {
  if (x >= 0.0) {
    return 1.0 / (1.0 + exp(-x));
  }
  let e = exp(x);
  return e / (1.0 + e);
}

fn is_finite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}

// The linear invocation index of a 1-D problem dispatched as a 2-D grid (src/gpu/Kernel.ts
// splits dispatches beyond 65535 workgroups along y): x varies fastest.
fn linear_id(gid: vec3<u32>, groups: vec3<u32>, workgroup: u32) -> u32 {
  return gid.x + gid.y * groups.x * workgroup;
}

fn lowbias32(v: u32) -> u32 {
  var h = v ^ (v >> 16u);
  h *= 0x7feb352du;
  h ^= h >> 15u;
  h *= 0x846ca68bu;
  return h ^ (h >> 16u);
}
