// The recurrent part of one (layer, direction), one timestep per dispatch, forward and
// backward side by side. The input projection xp_t = W_ih x_t + b_ih for every step was
// computed before by one matmul; each dispatch here runs one step of the serial chain.
// One invocation per (example b, unit j). Formulas and gate orders are PyTorch's
// (see src/engine/cells.ts, the reference this is tested against):
//   rnn:  h_t = act(xp + W_hh h_{t-1} + b_hh)
//   lstm: i,f,o = σ(·), g = tanh(·);  c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
//   gru:  r,z = σ(·);  n = tanh(xp_n + r (W_hn h_{t-1} + b_hn));  h_t = (1 - z) n + z h_{t-1}
// Backward, at processing step p (time t) with the step processed after it at t_next:
//   dh_t = d_out_t + [flow] (W_hhᵀ dhp_{t_next} + z_{t_next} dh_{t_next} (gru only))
//   dc_t = [flow] f_{t_next} dc_{t_next} + dh_t o (1 - tanh²c_t)          (lstm)
// then the chain rule through the cell gives dxp_t and dhp_t (they differ only in GRU's n rows).
// `flow` is 0 where truncated BPTT cuts the chain, and at the last processed step.
//
// State slots: h_all and c_all hold T + 1 slots; the direction's zero initial state is
// one slot (slot 0 forward, slot T reverse), so h_{t-1} of every step is a real slot.
//
// binding | name   | access     | shape
// 0       | w_hh   | read       | (G*H, H)
// 1       | b_hh   | read       | (G*H)
// 2       | xp     | read       | (T, B, G*H)   W_ih x_t + b_ih
// 3       | step   | uniform    | Step
// 4       | h_all  | read_write | (T+1, B, H)   h by slot
// 5       | c_all  | read_write | (T+1, B, H)   c by slot (lstm; 1 element otherwise)
// 6       | gates  | read_write | (T, B, G*H)   activated gates (rnn: h_t)
// 7       | hp_n   | read_write | (T, B, H)     W_hn h_{t-1} + b_hn (gru; 1 element otherwise)
// 8       | out    | read_write | (T, B, D*H)   the layer's output, this direction at column DCOL
// backward only:
// 9       | d_out  | read       | (T, B, D*H)   dL/d(layer output) from above
// 10      | dstate | read_write | (2, T, B, H)   [dL/dh_t; dL/dc_t (lstm)]
// 11      | dpre   | read_write | (2, T, B, G*H) [dxp; dhp]
// Pairs share a buffer (two blocks) so no entry point binds more than the default 8 storage buffers.

override CELL: u32;      // 0 rnn_tanh, 1 rnn_relu, 2 lstm, 3 gru
override B: u32;
override H: u32;
override G: u32;         // gates: 1, 4 or 3
override DH: u32;        // D * H, the width of a row of `out`
override DCOL: u32;      // this direction's first column in `out`: 0 or H
override TB: u32;        // T * B: the second block of dstate and dpre starts at TB*H and TB*G*H
override WORKGROUP: u32 = 64u;

struct Step {
  t: u32,          // time of this step
  slot: u32,       // slot of h_t, c_t
  slot_prev: u32,  // slot of h_{t-1}, c_{t-1} (in processing order)
  t_next: u32,     // backward: time of the step processed after this one
  flow: u32,       // backward: 1 if gradient flows in from t_next
}

@group(0) @binding(0) var<storage, read> w_hh: array<f32>;
@group(0) @binding(1) var<storage, read> b_hh: array<f32>;
@group(0) @binding(2) var<storage, read> xp: array<f32>;
@group(0) @binding(3) var<uniform> step: Step;
@group(0) @binding(4) var<storage, read_write> h_all: array<f32>;
@group(0) @binding(5) var<storage, read_write> c_all: array<f32>;
@group(0) @binding(6) var<storage, read_write> gates: array<f32>;
@group(0) @binding(7) var<storage, read_write> hp_n: array<f32>;
@group(0) @binding(8) var<storage, read_write> out: array<f32>;
@group(0) @binding(9) var<storage, read> d_out: array<f32>;
@group(0) @binding(10) var<storage, read_write> dstate: array<f32>;
@group(0) @binding(11) var<storage, read_write> dpre: array<f32>;

const RNN_TANH: u32 = 0u;
const RNN_RELU: u32 = 1u;
const LSTM: u32 = 2u;
const GRU: u32 = 3u;

// hp for gate row r of example b: W_hh[r] · h_{t-1} + b_hh[r].
fn hp_row(r: u32, prev: u32) -> f32 {
  var s = b_hh[r];
  for (var k = 0u; k < H; k++) {
    s += w_hh[r * H + k] * h_all[prev + k];
  }
  return s;
}

@compute @workgroup_size(WORKGROUP)
fn forward_step(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= B * H) {
    return;
  }
  let b = id / H;
  let j = id % H;
  let GH = G * H;
  let row = (step.t * B + b) * GH;    // this step's gate rows in xp and gates
  let prev = (step.slot_prev * B + b) * H;
  let cur = (step.slot * B + b) * H;
  var h: f32;
  if (CELL == LSTM) {
    let i = sigmoid(xp[row + j] + hp_row(j, prev));                    // input gate
    let f = sigmoid(xp[row + H + j] + hp_row(H + j, prev));            // forget gate
    let g = tanh(xp[row + 2u * H + j] + hp_row(2u * H + j, prev));     // input node
    let o = sigmoid(xp[row + 3u * H + j] + hp_row(3u * H + j, prev));  // output gate
    let c = f * c_all[prev + j] + i * g;
    c_all[cur + j] = c;
    h = o * tanh(c);
    gates[row + j] = i;
    gates[row + H + j] = f;
    gates[row + 2u * H + j] = g;
    gates[row + 3u * H + j] = o;
  } else if (CELL == GRU) {
    let r = sigmoid(xp[row + j] + hp_row(j, prev));                    // reset gate
    let z = sigmoid(xp[row + H + j] + hp_row(H + j, prev));            // update gate
    let hn = hp_row(2u * H + j, prev);
    let n = tanh(xp[row + 2u * H + j] + r * hn);                       // new gate
    h = (1.0 - z) * n + z * h_all[prev + j];
    hp_n[(step.t * B + b) * H + j] = hn;
    gates[row + j] = r;
    gates[row + H + j] = z;
    gates[row + 2u * H + j] = n;
  } else {
    let a = xp[row + j] + hp_row(j, prev);
    h = select(max(a, 0.0), tanh(a), CELL == RNN_TANH);
    gates[row + j] = h;
  }
  h_all[cur + j] = h;
  out[(step.t * B + b) * DH + DCOL + j] = h;
}

@compute @workgroup_size(WORKGROUP)
fn backward_step(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= B * H) {
    return;
  }
  let b = id / H;
  let j = id % H;
  let GH = G * H;
  let n = step.t * B + b;             // (t, b)
  let nn = step.t_next * B + b;       // (t_next, b)
  let row = n * GH;
  let prev = (step.slot_prev * B + b) * H;
  let cur = (step.slot * B + b) * H;

  // dL/dh_t: from above, and from the step processed next unless the window cuts here.
  var d = d_out[n * DH + DCOL + j];
  var dc_next = 0.0;
  if (step.flow == 1u) {
    for (var r = 0u; r < GH; r++) {
      d += w_hh[r * H + j] * dpre[TB * GH + nn * GH + r];
    }
    if (CELL == GRU) {
      d += dstate[nn * H + j] * gates[nn * GH + H + j];        // z_{t_next} dh_{t_next}
    }
    if (CELL == LSTM) {
      dc_next = dstate[TB * H + nn * H + j] * gates[nn * GH + H + j];   // f_{t_next} dc_{t_next}
    }
  }
  dstate[n * H + j] = d;

  if (CELL == LSTM) {
    let i = gates[row + j];
    let f = gates[row + H + j];
    let g = gates[row + 2u * H + j];
    let o = gates[row + 3u * H + j];
    let tc = tanh(c_all[cur + j]);
    let dct = dc_next + d * o * (1.0 - tc * tc);           // the cell path
    dstate[TB * H + n * H + j] = dct;
    let d_i = dct * g * i * (1.0 - i);
    let d_f = dct * c_all[prev + j] * f * (1.0 - f);
    let d_g = dct * i * (1.0 - g * g);
    let d_o = d * tc * o * (1.0 - o);
    dpre[row + j] = d_i;
    dpre[row + H + j] = d_f;
    dpre[row + 2u * H + j] = d_g;
    dpre[row + 3u * H + j] = d_o;
    dpre[TB * GH + row + j] = d_i;
    dpre[TB * GH + row + H + j] = d_f;
    dpre[TB * GH + row + 2u * H + j] = d_g;
    dpre[TB * GH + row + 3u * H + j] = d_o;
  } else if (CELL == GRU) {
    let r = gates[row + j];
    let z = gates[row + H + j];
    let nv = gates[row + 2u * H + j];
    let d_n = d * (1.0 - z) * (1.0 - nv * nv);
    let d_z = d * (h_all[prev + j] - nv) * z * (1.0 - z);
    let d_r = d_n * hp_n[n * H + j] * r * (1.0 - r);
    dpre[row + j] = d_r;
    dpre[row + H + j] = d_z;
    dpre[row + 2u * H + j] = d_n;
    dpre[TB * GH + row + j] = d_r;
    dpre[TB * GH + row + H + j] = d_z;
    dpre[TB * GH + row + 2u * H + j] = d_n * r;                       // hp_n is scaled by r
  } else {
    let h = gates[row + j];
    var der = 1.0 - h * h;
    if (CELL == RNN_RELU) {
      der = select(0.0, 1.0, h > 0.0);
    }
    dpre[row + j] = d * der;
    dpre[TB * GH + row + j] = d * der;
  }
}
