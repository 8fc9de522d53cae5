// The recurrent part of one (layer, direction), one timestep per dispatch, forward and
// backward side by side. The input projection xp_t = W_ih x_t + b_ih for every step was
// computed before by one matmul; each dispatch here runs one step of the serial chain.
// One invocation per (example b, unit j). Formulas and gate orders are PyTorch's
// (see src/engine/cells.ts, the reference this is tested against):
//   rnn:  h_t = act(xp + W_hh h_{t-1} + b_hh)
//   lstm: i,f,o = σ(·), g = tanh(·);  c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
//         a gate switched off (ROW_* < 0) is the constant 1; with PEEP, i and f add p ⊙ c_{t-1}, o adds p_o ⊙ c_t
//   gru:  r,z = σ(·);  n = tanh(xp_n + r (W_hn h_{t-1} + b_hn));  h_t = (1 - z) n + z h_{t-1}
// Backward, at processing step p (time t) with the step processed after it at t_next:
//   dh_t = d_out_t + [flow] (W_hhᵀ dhp_{t_next} + z_{t_next} dh_{t_next} (gru only))
//   dc_t = [flow] f_{t_next} dc_{t_next} + dh_t o (1 - tanh²c_t)          (lstm)
// then the chain rule through the cell gives dxp_t and dhp_t (they differ only in GRU's n rows).
// `flow` is 0 where truncated BPTT cuts the chain, and at the last processed step.
// With SEEDED, the last processed step pulls a given dL/d(final state) instead of zero (an
// encoder whose final state starts a decoder), from the tail of dstate.
// initial_state_grad: what step 0 passes back into the initial state (the decoder's hand-over),
//   dh_init = W_hhᵀ dhp_0 (+ z_0 dh_0 for gru),  dc_init = f_0 dc_0 (+ peepholes)   (lstm)
// the same pull as backward_cell's, into the tail of dstate.
//
// State slots: h_all and c_all hold T + 1 slots; the direction's zero initial state is
// one slot (slot 0 forward, slot T reverse), so h_{t-1} of every step is a real slot.
//
// binding | name   | access     | shape
// 0       | params | read       | (P) flat parameters: W_hh (G*H, H) at W_HH_AT, b_hh (G*H) at B_HH_AT, peepholes (H) at PEEP_*_AT
// 2       | xp     | read       | (T, B, G*H)   W_ih x_t + b_ih
// 3       | step   | uniform    | Step
// 4       | h_all  | read_write | (T+1, B, H)   h by slot
// 5       | c_all  | read_write | (T+1, B, H)   c by slot (lstm; 1 element otherwise)
// 6       | gates  | read_write | (T, B, G*H)   activated gates (rnn: h_t)
// 7       | hp_n   | read_write | (T, B, H)     W_hn h_{t-1} + b_hn (gru; 1 element otherwise)
// 8       | out    | read_write | (T, B, D*H)   the layer's output, this direction at column DCOL
// backward only:
// 9       | d_out  | read       | (T, B, D*H)   dL/d(layer output) from above
// 10      | dstate | read_write | (2, T, B, H)   [dL/dh_t; dL/dc_t (lstm)], then with SEEDED or STATE_GRAD a tail
//         |        |            | (4, B, H)      [seed dh; seed dc; initial dh; initial dc] at 2·TB·H
// 11      | dpre   | read_write | (2, T, B, G*H) [dxp; dhp]
// peephole_grads only:
// 12      | grads  | read_write | (P) flat gradients: dL/dp at PEEP_*_AT
// Pairs share a buffer (two blocks) so no entry point binds more than the default 8 storage buffers.

override CELL: u32;      // 0 rnn_tanh, 1 rnn_relu, 2 lstm, 3 gru
override B: u32;
override H: u32;
override G: u32;         // gates: 1, 4 or 3
override DH: u32;        // D * H, the width of a row of `out`
override DCOL: u32;      // this direction's first column in `out`: 0 or H
override TB: u32;        // T * B: the second block of dstate and dpre starts at TB*H and TB*G*H
override T: u32 = 1u;    // peephole_grads: steps
override DIR: u32 = 0u;  // peephole_grads: 0 forward (h_{t-1} in slot t), 1 reverse (slot t + 1)
override HAS_WHH: bool = true; // false: the pure Jordan network (no W_hh, no b_hh)
override W_HH_AT: u32;
override B_HH_AT: u32;
override ROW_I: i32 = 0; // lstm: row block of each gate; -1: switched off (constant 1)
override ROW_F: i32 = 1;
override ROW_G: i32 = 2;
override ROW_O: i32 = 3;
override PEEP: bool = false;
override PEEP_I_AT: u32 = 0u;
override PEEP_F_AT: u32 = 0u;
override PEEP_O_AT: u32 = 0u;
override SEEDED: bool = false; // the last processed step pulls dL/d(final state) from the tail of dstate
override WORKGROUP: u32 = 64u;

struct Step {
  t: u32,          // time of this step
  slot: u32,       // slot of h_t, c_t
  slot_prev: u32,  // slot of h_{t-1}, c_{t-1} (in processing order)
  t_next: u32,     // backward: time of the step processed after this one
  flow: u32,       // backward: 1 if gradient flows in from t_next
}

@group(0) @binding(0) var<storage, read> params: array<f32>;
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
@group(0) @binding(12) var<storage, read_write> grads: array<f32>;

const RNN_TANH: u32 = 0u;
const RNN_RELU: u32 = 1u;
const LSTM: u32 = 2u;
const GRU: u32 = 3u;

// Each invocation runs unit j for EX = 4 examples: every W_hh element it loads serves four
// multiply-adds (vec4 over the examples), which is what makes the serial part fast.
const EX: u32 = 4u;

// Slot offset of example b in h_all / c_all, clamped into the batch (examples past B are computed, never stored).
fn state_at(slot: u32, b: u32) -> u32 {
  return (slot * B + min(b, B - 1u)) * H;
}

// hp = W_hh h_{t-1} for gate blocks 0..3 of unit j, for the four examples 4q..4q+3 (b_hh not added).
fn hp_block(q: u32, j: u32) -> array<vec4<f32>, 4> {
  var acc = array<vec4<f32>, 4>(vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
  if (!HAS_WHH) {
    return acc;
  }
  let p0 = state_at(step.slot_prev, EX * q);
  let p1 = state_at(step.slot_prev, EX * q + 1u);
  let p2 = state_at(step.slot_prev, EX * q + 2u);
  let p3 = state_at(step.slot_prev, EX * q + 3u);
  var a0 = vec4(0.0);
  var a1 = vec4(0.0);
  var a2 = vec4(0.0);
  var a3 = vec4(0.0);
  for (var k = 0u; k < H; k++) {
    let h4 = vec4(h_all[p0 + k], h_all[p1 + k], h_all[p2 + k], h_all[p3 + k]);
    a0 += params[W_HH_AT + j * H + k] * h4;
    if (G > 1u) { a1 += params[W_HH_AT + (H + j) * H + k] * h4; }
    if (G > 2u) { a2 += params[W_HH_AT + (2u * H + j) * H + k] * h4; }
    if (G > 3u) { a3 += params[W_HH_AT + (3u * H + j) * H + k] * h4; }
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
  return acc;
}

// b_hh[r], or 0 for the pure Jordan network.
fn b_hh(r: u32) -> f32 {
  return select(0.0, params[B_HH_AT + r], HAS_WHH);
}

// LSTM: pre-activation of the gate in row block `block` for unit j, given that block's W_hh h_{t-1}.
fn lstm_pre(block: i32, row: u32, j: u32, hp: vec4<f32>) -> f32 {
  return xp[row + u32(block) * H + j] + hp[u32(block)] + b_hh(u32(block) * H + j);
}

// Peephole weight p[j] at `at`, or 0 without peepholes.
fn peep(at: u32, j: u32) -> f32 {
  return select(0.0, params[at + j], PEEP);
}

// One example's cell step for unit j; hp[g] = W_hh h_{t-1} for gate block g (b_hh not added).
fn forward_cell(b: u32, j: u32, hp: vec4<f32>) {
  let GH = G * H;
  let row = (step.t * B + b) * GH;    // this step's gate rows in xp and gates
  let prev = (step.slot_prev * B + b) * H;
  let cur = (step.slot * B + b) * H;
  var h: f32;
  if (CELL == LSTM) {
    let c_prev = c_all[prev + j];
    var i = 1.0;
    var f = 1.0;
    var o = 1.0;
    if (ROW_I >= 0) {
      i = sigmoid(lstm_pre(ROW_I, row, j, hp) + peep(PEEP_I_AT, j) * c_prev);  // input gate
      gates[row + u32(ROW_I) * H + j] = i;
    }
    if (ROW_F >= 0) {
      f = sigmoid(lstm_pre(ROW_F, row, j, hp) + peep(PEEP_F_AT, j) * c_prev);  // forget gate
      gates[row + u32(ROW_F) * H + j] = f;
    }
    let g = tanh(lstm_pre(ROW_G, row, j, hp));                                // input node
    gates[row + u32(ROW_G) * H + j] = g;
    let c = f * c_prev + i * g;
    c_all[cur + j] = c;
    if (ROW_O >= 0) {
      o = sigmoid(lstm_pre(ROW_O, row, j, hp) + peep(PEEP_O_AT, j) * c);       // output gate
      gates[row + u32(ROW_O) * H + j] = o;
    }
    h = o * tanh(c);
  } else if (CELL == GRU) {
    let r = sigmoid(xp[row + j] + hp[0] + b_hh(j));                                // reset gate
    let z = sigmoid(xp[row + H + j] + hp[1] + b_hh(H + j));                        // update gate
    let hn = hp[2] + b_hh(2u * H + j);
    let n = tanh(xp[row + 2u * H + j] + r * hn);                                  // new gate
    h = (1.0 - z) * n + z * h_all[prev + j];
    hp_n[(step.t * B + b) * H + j] = hn;
    gates[row + j] = r;
    gates[row + H + j] = z;
    gates[row + 2u * H + j] = n;
  } else {
    let a = xp[row + j] + hp[0] + b_hh(j);
    h = select(max(a, 0.0), tanh(a), CELL == RNN_TANH);
    gates[row + j] = h;
  }
  h_all[cur + j] = h;
  out[(step.t * B + b) * DH + DCOL + j] = h;
}

@compute @workgroup_size(WORKGROUP)
fn forward_step(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  let quads = (B + EX - 1u) / EX;
  if (id >= quads * H) {
    return;
  }
  let q = id / H;
  let j = id % H;
  let acc = hp_block(q, j);
  for (var e = 0u; e < EX; e++) {
    let b = EX * q + e;
    if (b < B) {
      forward_cell(b, j, vec4(acc[0][e], acc[1][e], acc[2][e], acc[3][e]));
    }
  }
}

// One example's backward step for unit j; rec = Σ_r W_hh[r, j] dhp_{t_next}[b, r] (when flowing).
fn backward_cell(b: u32, j: u32, rec: f32) {
  let GH = G * H;
  let n = step.t * B + b;             // (t, b)
  let nn = step.t_next * B + b;       // (t_next, b)
  let row = n * GH;
  let prev = (step.slot_prev * B + b) * H;
  let cur = (step.slot * B + b) * H;

  // dL/dh_t: from above, and from the step processed next unless the window cuts here.
  var d = d_out[n * DH + DCOL + j];
  var dc_next = 0.0;
  if (SEEDED && step.flow == 0u && step.t_next == step.t) {
    // The last processed step: dL/d(final state) given from outside.
    let tail = 2u * TB * H + b * H + j;
    d += dstate[tail];
    if (CELL == LSTM) {
      dc_next = dstate[tail + B * H];
    }
  }
  if (step.flow == 1u) {
    d += rec;
    if (CELL == GRU) {
      d += dstate[nn * H + j] * gates[nn * GH + H + j];        // z_{t_next} dh_{t_next}
    }
    if (CELL == LSTM) {
      // dL/dc_t through step t_next: its forget gate, and the peepholes of its i and f
      let dc_n = dstate[TB * H + nn * H + j];
      var f_n = 1.0;
      if (ROW_F >= 0) {
        f_n = gates[nn * GH + u32(ROW_F) * H + j];
        dc_next += peep(PEEP_F_AT, j) * dpre[nn * GH + u32(ROW_F) * H + j];
      }
      if (ROW_I >= 0) {
        dc_next += peep(PEEP_I_AT, j) * dpre[nn * GH + u32(ROW_I) * H + j];
      }
      dc_next += dc_n * f_n;
    }
  }
  dstate[n * H + j] = d;

  if (CELL == LSTM) {
    var i = 1.0;
    var f = 1.0;
    var o = 1.0;
    if (ROW_I >= 0) { i = gates[row + u32(ROW_I) * H + j]; }
    if (ROW_F >= 0) { f = gates[row + u32(ROW_F) * H + j]; }
    if (ROW_O >= 0) { o = gates[row + u32(ROW_O) * H + j]; }
    let g = gates[row + u32(ROW_G) * H + j];
    let c = c_all[cur + j];
    let tc = tanh(c);
    var d_o = 0.0;
    if (ROW_O >= 0) { d_o = d * tc * o * (1.0 - o); }
    let dct = dc_next + d * o * (1.0 - tc * tc) + peep(PEEP_O_AT, j) * d_o;  // the cell path
    dstate[TB * H + n * H + j] = dct;
    let d_g = dct * i * (1.0 - g * g);
    dpre[row + u32(ROW_G) * H + j] = d_g;
    dpre[TB * GH + row + u32(ROW_G) * H + j] = d_g;
    if (ROW_I >= 0) {
      let d_i = dct * g * i * (1.0 - i);
      dpre[row + u32(ROW_I) * H + j] = d_i;
      dpre[TB * GH + row + u32(ROW_I) * H + j] = d_i;
    }
    if (ROW_F >= 0) {
      let d_f = dct * c_all[prev + j] * f * (1.0 - f);
      dpre[row + u32(ROW_F) * H + j] = d_f;
      dpre[TB * GH + row + u32(ROW_F) * H + j] = d_f;
    }
    if (ROW_O >= 0) {
      dpre[row + u32(ROW_O) * H + j] = d_o;
      dpre[TB * GH + row + u32(ROW_O) * H + j] = d_o;
    }
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

@compute @workgroup_size(WORKGROUP)
fn backward_step(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  let quads = (B + EX - 1u) / EX;
  if (id >= quads * H) {
    return;
  }
  let q = id / H;
  let j = id % H;
  let GH = G * H;
  // W_hhᵀ dhp_{t_next} for four examples at once: each W_hh element loaded once.
  var rec = vec4(0.0);
  if (step.flow == 1u && HAS_WHH) {
    let base = TB * GH + step.t_next * B * GH;   // dhp rows of step t_next
    let r0 = base + min(EX * q, B - 1u) * GH;
    let r1 = base + min(EX * q + 1u, B - 1u) * GH;
    let r2 = base + min(EX * q + 2u, B - 1u) * GH;
    let r3 = base + min(EX * q + 3u, B - 1u) * GH;
    for (var r = 0u; r < GH; r++) {
      rec += params[W_HH_AT + r * H + j] * vec4(dpre[r0 + r], dpre[r1 + r], dpre[r2 + r], dpre[r3 + r]);
    }
  }
  for (var e = 0u; e < EX; e++) {
    let b = EX * q + e;
    if (b < B) {
      backward_cell(b, j, rec[e]);
    }
  }
}

// dL/dp for the peepholes of one (layer, direction), over every step and example:
//   dL/dp_i[j] = Σ_{t,b} dxp_i[t,b,j] c_{t-1}[b,j]   (likewise f)      dL/dp_o[j] = Σ_{t,b} dxp_o[t,b,j] c_t[b,j]
// One invocation per (gate k in i, f, o; unit j); a gate switched off is skipped.
@compute @workgroup_size(WORKGROUP)
fn peephole_grads(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= 3u * H) {
    return;
  }
  let k = id / H;
  let j = id % H;
  var block = ROW_I;
  var at = PEEP_I_AT;
  if (k == 1u) { block = ROW_F; at = PEEP_F_AT; }
  if (k == 2u) { block = ROW_O; at = PEEP_O_AT; }
  if (block < 0) {
    return;
  }
  let GH = G * H;
  var s = 0.0;
  for (var t = 0u; t < T; t++) {
    // slot of c_t, and of c_{t-1} in processing order
    let slot_t = select(t + 1u, t, DIR == 1u);
    let slot_prev = select(t, t + 1u, DIR == 1u);
    let slot = select(slot_prev, slot_t, k == 2u);
    for (var b = 0u; b < B; b++) {
      s += dpre[(t * B + b) * GH + u32(block) * H + j] * c_all[(slot * B + b) * H + j];
    }
  }
  grads[at + j] = s;
}

// dL/d(initial state) for every (b, j), pulled from step 0 (step.t is its time) as backward_cell
// pulls from t_next; written to the tail of dstate after the seed blocks.
@compute @workgroup_size(WORKGROUP)
fn initial_state_grad(@builtin(global_invocation_id) gid: vec3<u32>) {
  let id = gid.x;
  if (id >= B * H) {
    return;
  }
  let b = id / H;
  let j = id % H;
  let GH = G * H;
  let nn = step.t * B + b;
  var d = 0.0;
  if (HAS_WHH) {
    for (var r = 0u; r < GH; r++) {
      d += params[W_HH_AT + r * H + j] * dpre[TB * GH + nn * GH + r];
    }
  }
  if (CELL == GRU) {
    d += dstate[nn * H + j] * gates[nn * GH + H + j];
  }
  let tail = 2u * TB * H + 2u * B * H + b * H + j;
  dstate[tail] = d;
  if (CELL == LSTM) {
    var dc = 0.0;
    var f_n = 1.0;
    if (ROW_F >= 0) {
      f_n = gates[nn * GH + u32(ROW_F) * H + j];
      dc += peep(PEEP_F_AT, j) * dpre[nn * GH + u32(ROW_F) * H + j];
    }
    if (ROW_I >= 0) {
      dc += peep(PEEP_I_AT, j) * dpre[nn * GH + u32(ROW_I) * H + j];
    }
    dstate[tail + B * H] = dc + dstate[TB * H + nn * H + j] * f_n;
  }
}
