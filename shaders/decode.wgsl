// Free-running decoding: after the head's logits of decoder step u, pick each example's input of
// step u + 1 (the GPU twin of the decoder loop in src/engine/seq2seq.ts):
//   draw = lowbias32(seed ^ lowbias32(step ^ lowbias32(b ^ lowbias32(u + 1)))) >> 8   uniform on [0, 2^24)
//   token = teacher[u + 1, b]          if draw < threshold (= ceil(r·2^24)): teacher forcing
//           argmax_k y[u, b, k]        otherwise (the first of equal maxima), detached
//   x[u + 1, b, :] = onehot(token);  realized[u + 1, b] = token
// One invocation per example b.
//
// binding | name     | access     | shape
// 0       | y        | read       | (T, B, V) the head's logits
// 1       | teacher  | read       | (T, B) u32 the decoder's inputs under teacher forcing
// 2       | x        | read_write | (T, B, V) the decoder's one-hot inputs
// 3       | realized | read_write | (T, B) u32 the inputs it read
// 4       | coin     | uniform    | Coin

override B: u32;
override V: u32;
override WORKGROUP: u32 = 64u;

struct Coin {
  u: u32,            // the step whose logits are read
  threshold: u32,
  seed: u32,
  step: u32,         // the training step
}

@group(0) @binding(0) var<storage, read> y: array<f32>;
@group(0) @binding(1) var<storage, read> teacher: array<u32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> realized: array<u32>;
@group(0) @binding(4) var<uniform> coin: Coin;

@compute @workgroup_size(WORKGROUP)
fn pick(@builtin(global_invocation_id) gid: vec3<u32>) {
  let b = gid.x;
  if (b >= B) {
    return;
  }
  let next = coin.u + 1u;
  let draw = lowbias32(coin.seed ^ lowbias32(coin.step ^ lowbias32(b ^ lowbias32(next)))) >> 8u;
  var token = teacher[next * B + b];
  if (draw >= coin.threshold) {
    let o = (coin.u * B + b) * V;
    token = 0u;
    for (var k = 1u; k < V; k++) {
      if (y[o + k] > y[o + token]) {
        token = k;
      }
    }
  }
  let row = (next * B + b) * V;
  for (var k = 0u; k < V; k++) {
    x[row + k] = select(0.0, 1.0, k == token);
  }
  realized[next * B + b] = token;
}
