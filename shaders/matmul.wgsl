// Dense matrix product, float32, row-major:
//   C = op(A) · op(B) [+ 1 bᵀ] [+ C]        C (M, N), op(A) (M, K), op(B) (K, N)
//   op(A) = A, stored (M, K), or Aᵀ with A stored (K, M) when TRANS_A
//   op(B) = B, stored (K, N), or Bᵀ with B stored (N, K) when TRANS_B
//   HAS_BIAS adds the bias row b (N) to every row; ACCUMULATE adds C's old value.
// Uses in training: Y = X · Wᵀ + b (TRANS_B, HAS_BIAS); dW += dYᵀ · X (TRANS_A, ACCUMULATE);
// dX (+)= dY · W (neither transposed).
//
// Each invocation computes a TILE x TILE block of C in registers, looping over k in order
// (no shared memory, no barriers: on SwiftShader a workgroup-tiled kernel with barriers was
// slower than a naive one). Edge blocks clamp their loads to the last row/column and store
// only what lies inside C, so the k loop has no branches.
//
// Element offsets come in a uniform, not as override constants: the same product runs on
// every timestep of a sequence at a different offset (e.g. h_{t-1} is rows tB..tB+B-1 of
// (T+1, B, H)), and a uniform makes that one cached bind group per step, not one pipeline.
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

const TILE = 4u; // outputs per invocation along each of M and N (one vec4 row per output row)

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

// op(A)[i, k]
fn a_at(i: u32, k: u32) -> f32 {
  if (TRANS_A) {
    return a[offsets.a + k * M + i];
  }
  return a[offsets.a + i * K + k];
}

// op(B)[k, j..j+3] for the four (clamped) columns j
fn b_row(k: u32, j: vec4<u32>) -> vec4<f32> {
  if (TRANS_B) {
    let base = offsets.b + k;
    return vec4(b[base + j.x * K], b[base + j.y * K], b[base + j.z * K], b[base + j.w * K]);
  }
  let base = offsets.b + k * N;
  return vec4(b[base + j.x], b[base + j.y], b[base + j.z], b[base + j.w]);
}

@compute @workgroup_size(WORKGROUP_X, WORKGROUP_Y)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let row0 = gid.y * TILE;
  let col0 = gid.x * TILE;
  if (row0 >= M || col0 >= N) {
    return;
  }
  let steps = vec4(0u, 1u, 2u, 3u);
  let rows = min(vec4(row0) + steps, vec4(M - 1u));
  let cols = min(vec4(col0) + steps, vec4(N - 1u));

  var acc: array<vec4<f32>, TILE>;
  for (var k = 0u; k < K; k++) {
    let bk = b_row(k, cols);
    acc[0] += a_at(rows.x, k) * bk;
    acc[1] += a_at(rows.y, k) * bk;
    acc[2] += a_at(rows.z, k) * bk;
    acc[3] += a_at(rows.w, k) * bk;
  }

  for (var r = 0u; r < TILE; r++) {
    let i = row0 + r;
    if (i >= M) {
      break;
    }
    for (var s = 0u; s < TILE; s++) {
      let j = col0 + s;
      if (j >= N) {
        break;
      }
      var value = acc[r][s];
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
