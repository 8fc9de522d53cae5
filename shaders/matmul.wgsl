// Dense matrix product, float32, row-major:
//   C = op(A) · op(B) [+ 1 bᵀ] [+ C]        C (M, N), op(A) (M, K), op(B) (K, N)
//   op(A) = A, stored (M, K), or Aᵀ with A stored (K, M) when TRANS_A
//   op(B) = B, stored (K, N), or Bᵀ with B stored (N, K) when TRANS_B
//   HAS_BIAS adds the bias row b (N) to every row; ACCUMULATE adds C's old value.
// Uses in training: Y = X · Wᵀ + b (TRANS_B, HAS_BIAS); dW += dYᵀ · X (TRANS_A, ACCUMULATE);
// dX (+)= dY · W (neither transposed).
//
// Each invocation computes an 8x8 block of C, held in registers as four 4x4 quadrants
// (mat4x4: column r of a quadrant is row r of its block), adding the outer product of a
// column of op(A) and a row of op(B) for k = 0, 1, ..., K-1. No shared memory and no
// barriers: on SwiftShader a workgroup-tiled kernel with barriers was slower than a naive
// one, while this register tile measured about 8x faster than one invocation per output.
// The accumulators are written out, not looped over: a loop with a runtime index into
// them moved them to memory on SwiftShader, about 3x slower. Edge blocks clamp their loads
// to the last row/column and store only what lies inside C, so the k loop has no branches.
//
// Element offsets come in a uniform, not as override constants: the same product runs on
// every timestep of a sequence at a different offset (e.g. h_{t-1} is rows tB..tB+B-1 of
// (T+1, B, H)), and a uniform makes that one bind group per step, not one pipeline.
//
// binding | name    | access     | shape
// 0       | a       | read       | (M, K), or (K, M) when TRANS_A; from element offsets.a
// 1       | b       | read       | (K, N), or (N, K) when TRANS_B; from element offsets.b
// 2       | bias    | read       | (N) from element offsets.bias; unread unless HAS_BIAS
// 3       | c       | read_write | (M, N) from element offsets.c; read too when ACCUMULATE
// 4       | offsets | uniform    | Offsets: element offsets of a, b, c, bias in their buffers

override M: u32;
override N: u32;
override K: u32;
override TRANS_A: bool = false;
override TRANS_B: bool = false;
override ACCUMULATE: bool = false;
override HAS_BIAS: bool = false;
override WORKGROUP_X: u32 = 8u; // along N
override WORKGROUP_Y: u32 = 8u; // along M

const BLOCK = 8u; // rows and columns of C per invocation: 2x2 quadrants of 4x4

struct Offsets {
  a: u32,
  b: u32,
  c: u32,
  bias: u32,
}

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read> bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@group(0) @binding(4) var<uniform> offsets: Offsets;

// op(A)[i, k] for four (clamped) rows i
fn a_col(i: vec4<u32>, k: u32) -> vec4<f32> {
  if (TRANS_A) {
    let base = offsets.a + k * M;
    return vec4(a[base + i.x], a[base + i.y], a[base + i.z], a[base + i.w]);
  }
  let base = offsets.a + k;
  return vec4(a[base + i.x * K], a[base + i.y * K], a[base + i.z * K], a[base + i.w * K]);
}

// op(B)[k, j] for four (clamped) columns j
fn b_row(k: u32, j: vec4<u32>) -> vec4<f32> {
  if (TRANS_B) {
    let base = offsets.b + k;
    return vec4(b[base + j.x * K], b[base + j.y * K], b[base + j.z * K], b[base + j.w * K]);
  }
  let base = offsets.b + k * N;
  return vec4(b[base + j.x], b[base + j.y], b[base + j.z], b[base + j.w]);
}

// x yᵀ as a quadrant: column r is x[r] * y
fn outer(x: vec4<f32>, y: vec4<f32>) -> mat4x4<f32> {
  return mat4x4(x.x * y, x.y * y, x.z * y, x.w * y);
}

// Writes the part of a quadrant that lies inside C, at C[row0.., col0..], adding the
// bias and C's old value as the overrides ask.
fn store(row0: u32, col0: u32, quadrant: mat4x4<f32>) {
  for (var r = 0u; r < 4u; r++) {
    let i = row0 + r;
    if (i >= M) {
      return;
    }
    for (var s = 0u; s < 4u; s++) {
      let j = col0 + s;
      if (j >= N) {
        break;
      }
      var value = quadrant[r][s];
      if (HAS_BIAS) {
        value += bias[offsets.bias + j];
      }
      let at = offsets.c + i * N + j;
      if (ACCUMULATE) {
        value += c[at];
      }
      c[at] = value;
    }
  }
}

@compute @workgroup_size(WORKGROUP_X, WORKGROUP_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row0 = gid.y * BLOCK;
  let col0 = gid.x * BLOCK;
  if (row0 >= M || col0 >= N) {
    return;
  }
  let steps = vec4(0u, 1u, 2u, 3u);
  let top = min(vec4(row0) + steps, vec4(M - 1u));
  let bottom = min(vec4(row0 + 4u) + steps, vec4(M - 1u));
  let left = min(vec4(col0) + steps, vec4(N - 1u));
  let right = min(vec4(col0 + 4u) + steps, vec4(N - 1u));

  var top_left = mat4x4<f32>();
  var top_right = mat4x4<f32>();
  var bottom_left = mat4x4<f32>();
  var bottom_right = mat4x4<f32>();
  for (var k = 0u; k < K; k++) {
    let a_top = a_col(top, k);
    let a_bottom = a_col(bottom, k);
    let b_left = b_row(k, left);
    let b_right = b_row(k, right);
    top_left += outer(a_top, b_left);
    top_right += outer(a_top, b_right);
    bottom_left += outer(a_bottom, b_left);
    bottom_right += outer(a_bottom, b_right);
  }

  store(row0, col0, top_left);
  store(row0, col0 + 4u, top_right);
  store(row0 + 4u, col0, bottom_left);
  store(row0 + 4u, col0 + 4u, bottom_right);
}
