/** The WGSL LSTM pointwise step matches the float64 reference cell within float32 tolerance. */
import { describe, expect } from 'vitest';
import { cellForward, cellSpec, mulberry32, normal } from '../../src/engine/index.ts';

const LSTM = cellSpec({ cell: 'lstm', inputSize: 1, hiddenSize: 1, numLayers: 1, bidirectional: false, outputSize: 1 });
import { readBuffer, storageBuffer } from '../../src/gpu/buffers.ts';
import { LstmPointwise } from '../../src/gpu/LstmPointwise.ts';
import { gpuTest, gpuDevice, withValidation } from './device.ts';

/** Runs the reference cell on every example of a batch. */
function reference(B: number, H: number, xp: Float64Array, hp: Float64Array, cPrev: Float64Array) {
  const gates = new Float64Array(B * 4 * H);
  const c = new Float64Array(B * H);
  const h = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const r4 = (buf: Float64Array) => buf.subarray(b * 4 * H, (b + 1) * 4 * H);
    const r1 = (buf: Float64Array) => buf.subarray(b * H, (b + 1) * H);
    cellForward(LSTM, H, { xp: r4(xp), hp: r4(hp), hPrev: new Float64Array(H), cPrev: r1(cPrev), act: r4(gates), h: r1(h), c: r1(c) });
  }
  return { gates, c, h };
}

/** Float32 inputs, kept as float64 so both sides see the same numbers. */
function seeded(n: number, seed: number, scale: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n }, () => Math.fround(scale * normal(rand)));
}

function expectClose(actual: Float32Array, expected: Float64Array, name: string): void {
  expect(actual.length, name).toBeGreaterThanOrEqual(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-6 + 1e-5 * Math.abs(expected[i]);
    if (Math.abs(actual[i] - expected[i]) > tol) {
      throw new Error(`${name}[${i}]: gpu ${actual[i]} vs reference ${expected[i]} (tolerance ${tol})`);
    }
  }
}

describe('lstm pointwise kernel vs reference', () => {
  for (const [B, H] of [[1, 1], [2, 5], [3, 64], [4, 33]]) {
    gpuTest(`lstm pointwise B=${B} H=${H}`, async () => {
      const device = await gpuDevice();
      const xp = seeded(B * 4 * H, 1, 3);
      const hp = seeded(B * 4 * H, 2, 3);
      const cPrev = seeded(B * H, 3, 2);
      const ref = reference(B, H, xp, hp, cPrev);
      const buffers = {
        xp: storageBuffer(device, 'xp (B, 4H)', xp),
        hp: storageBuffer(device, 'hp (B, 4H)', hp),
        cPrev: storageBuffer(device, 'c_prev (B, H)', cPrev),
        gates: storageBuffer(device, 'gates (B, 4H)', B * 4 * H),
        c: storageBuffer(device, 'c (B, H)', B * H),
        h: storageBuffer(device, 'h (B, H)', B * H),
      };
      await withValidation(device, () => {
        const kernel = new LstmPointwise(device, B, H);
        const encoder = device.createCommandEncoder({ label: 'lstm pointwise test' });
        const pass = encoder.beginComputePass({ label: 'lstm pointwise' });
        kernel.encode(pass, buffers);
        pass.end();
        device.queue.submit([encoder.finish()]);
      });
      expectClose(await readBuffer(device, buffers.gates), ref.gates, 'gates');
      expectClose(await readBuffer(device, buffers.c), ref.c, 'c');
      expectClose(await readBuffer(device, buffers.h), ref.h, 'h');
      for (const buffer of Object.values(buffers)) buffer.destroy();
    });
  }
});
