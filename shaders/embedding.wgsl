// Embedding lookup and its gradient.
//   gather:       x[n, i] = E[token_n, i]                  one invocation per (n, i), n = (t, b) time-major
//   scatter_grad: dE[v, i] = Σ_{n : token_n = v} dx[n, i]  one invocation per (v, i), a fixed order: deterministic
//
// binding | name   | access     | shape
// 0       | tokens | read       | (T, B) u32, time-major
// 1       | table  | read       | (V, I) E (gather) or dx (T, B, I) (scatter_grad)
// 2       | result | read_write | (T, B, I) x (gather) or (V, I) dE (scatter_grad)

override NT: u32;        // T * B positions
override V: u32;
override I: u32;
override WORKGROUP: u32 = 64u;

@group(0) @binding(0) var<storage, read> tokens: array<u32>;
@group(0) @binding(1) var<storage, read> table: array<f32>;
@group(0) @binding(2) var<storage, read_write> result: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn gather(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let id = linear_id(gid, groups, WORKGROUP);
  if (id >= NT * I) {
    return;
  }
  let n = id / I;
  let i = id % I;
  result[id] = table[tokens[n] * I + i];
}

@compute @workgroup_size(WORKGROUP)
fn scatter_grad(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let id = linear_id(gid, groups, WORKGROUP);
  if (id >= V * I) {
    return;
  }
  let v = id / I;
  let i = id % I;
  var s = 0.0;
  for (var n = 0u; n < NT; n++) {
    if (tokens[n] == v) {
      s += table[n * I + i];
    }
  }
  result[id] = s;
}
