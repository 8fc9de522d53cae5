// Column sums of a strided block of rows (bias gradients: db = Σ over rows of dY):
//   out[j] = Σ_{n<N} A[n, j]            for j < W
//   out[j] = out[j] + Σ_{n<N} A[n, j]   when ACCUMULATE
// where row n of A starts STRIDE elements after row n-1 (STRIDE >= W, so A may be the
// first W columns of a wider matrix). One invocation per column j, adding rows in order
// n = 0, 1, ..., N-1: the result is the same on every run.
//
// Element offsets come in a uniform, as in matmul.wgsl: they may change per use of one
// shape, and that should cost a bind group, not a pipeline.
//
// binding | name    | access     | shape
// 0       | a       | read       | (N, STRIDE) from element offsets.a; columns 0..W-1 read
// 1       | out     | read_write | (W) from element offsets.out; read too when ACCUMULATE
// 2       | offsets | uniform    | Offsets: element offsets of a and out in their buffers

override N: u32;
override W: u32;
override STRIDE: u32;
override ACCUMULATE: bool = false;
override WORKGROUP: u32 = 64u;

struct Offsets {
  a: u32,
  out: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> offsets: Offsets;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  if (j >= W) {
    return;
  }
  var sum = 0.0;
  for (var n = 0u; n < N; n++) {
    sum += a[offsets.a + n * STRIDE + j];
  }
  let at = offsets.out + j;
  if (ACCUMULATE) {
    sum += out[at];
  }
  out[at] = sum;
}
