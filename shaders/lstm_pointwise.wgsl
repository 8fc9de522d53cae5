// LSTM pointwise step: everything after the two matrix products, for one timestep.
// PyTorch's formulas and gate order (rows i, f, g, o of the 4H-wide projections):
//   i = σ(xp_i + hp_i)   f = σ(xp_f + hp_f)   g = tanh(xp_g + hp_g)   o = σ(xp_o + hp_o)
//   c_t = f ⊙ c_{t-1} + i ⊙ g
//   h_t = o ⊙ tanh(c_t)
// One invocation per (example b, unit j).
//
// binding | name   | access     | shape
// 0       | xp     | read       | (B, 4H)  W_ih x_t + b_ih, gates i,f,g,o
// 1       | hp     | read       | (B, 4H)  W_hh h_{t-1} + b_hh, gates i,f,g,o
// 2       | c_prev | read       | (B, H)   c_{t-1}
// 3       | gates  | read_write | (B, 4H)  activated i,f,g,o
// 4       | c      | read_write | (B, H)   c_t
// 5       | h      | read_write | (B, H)   h_t

override H: u32;
override B: u32;
override WORKGROUP: u32 = 64u;

@group(0) @binding(0) var<storage, read> xp: array<f32>;
@group(0) @binding(1) var<storage, read> hp: array<f32>;
@group(0) @binding(2) var<storage, read> c_prev: array<f32>;
@group(0) @binding(3) var<storage, read_write> gates: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
@group(0) @binding(5) var<storage, read_write> h: array<f32>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let k = gid.x;
  if (k >= B * H) {
    return;
  }
  let b = k / H;
  let j = k % H;
  let row = b * 4u * H;
  let i_g = sigmoid(xp[row + j] + hp[row + j]);                   // input gate
  let f_g = sigmoid(xp[row + H + j] + hp[row + H + j]);           // forget gate
  let g_g = tanh(xp[row + 2u * H + j] + hp[row + 2u * H + j]);    // input node
  let o_g = sigmoid(xp[row + 3u * H + j] + hp[row + 3u * H + j]); // output gate
  let c_t = f_g * c_prev[k] + i_g * g_g;
  c[k] = c_t;
  h[k] = o_g * tanh(c_t);
  gates[row + j] = i_g;
  gates[row + H + j] = f_g;
  gates[row + 2u * H + j] = g_g;
  gates[row + 3u * H + j] = o_g;
}
