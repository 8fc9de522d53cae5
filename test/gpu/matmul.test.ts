/**
 * The WGSL matmul and reduce_rows kernels match float64 products and sums of the same
 * float32 inputs, within a float32 error bound, at every transpose/accumulate/bias
 * combination, at sizes that are not multiples of the tile, and at non-zero offsets.
 */
import { describe, expect } from 'vitest';
import { mulberry32, normal } from '../../src/engine/index.ts';
import { readBuffer, storageBuffer } from '../../src/gpu/buffers.ts';
import { Matmul, type MatmulOffsets, type MatmulSpec } from '../../src/gpu/Matmul.ts';
import { ReduceRows, type ReduceRowsOffsets, type ReduceRowsSpec } from '../../src/gpu/ReduceRows.ts';
import { gpuTest, gpuDevice, withValidation } from './device.ts';

/** Elements after each operand, so a write past its end is caught. */
const PAD = 3;

/** Float32 inputs, kept as float64 so both sides see the same numbers. */
function seeded(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: n }, () => Math.fround(normal(rand)));
}

/** Records `encode` in one compute pass, submits it, and fails on any validation error. */
async function dispatch(device: GPUDevice, label: string, encode: (pass: GPUComputePassEncoder) => void) {
  await withValidation(device, () => {
    const encoder = device.createCommandEncoder({ label });
    const pass = encoder.beginComputePass({ label });
    encode(pass);
    pass.end();
    device.queue.submit([encoder.finish()]);
  });
}

/**
 * Checks every element of a buffer: |gpu - expected| <= 1e-5 * scale + 1e-6, where scale
 * is the sum of the magnitudes of the terms added (a sound float32 bound for these sizes).
 */
function expectClose(actual: Float32Array, expected: Float64Array, scale: Float64Array, name: string): void {
  expect(actual.length, name).toBeGreaterThanOrEqual(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = 1e-5 * scale[i] + 1e-6;
    if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
      throw new Error(`${name}[${i}]: gpu ${actual[i]} vs reference ${expected[i]} (tolerance ${tol})`);
    }
  }
}

/** The name of a case, e.g. `matmul M=7 N=5 K=3 transB bias offsets a=2 c=9`. */
function caseName(kind: string, sizes: Record<string, number>, flags: Record<string, boolean>, offsets: Record<string, number | undefined>) {
  const parts = [kind, ...Object.entries(sizes).map(([k, v]) => `${k}=${v}`)];
  parts.push(...Object.keys(flags).filter((k) => flags[k]));
  const moved = Object.entries(offsets).filter(([, v]) => v);
  if (moved.length) parts.push('offsets', ...moved.map(([k, v]) => `${k}=${v}`));
  return parts.join(' ');
}

/**
 * Float64 reference of the whole C buffer: the C region holds c0 [+ bias] + op(A)·op(B),
 * everything else keeps its old value. Also returns each element's error scale.
 */
function matmulReference(spec: MatmulSpec, at: Required<MatmulOffsets>, a: Float64Array, b: Float64Array, bias: Float64Array, c0: Float64Array) {
  const { M, N, K } = spec;
  const c = Float64Array.from(c0);
  const scale = c0.map(Math.abs);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      let size = 0;
      for (let k = 0; k < K; k++) {
        const aik = a[at.a + (spec.transA ? k * M + i : i * K + k)];
        const bkj = b[at.b + (spec.transB ? j * K + k : k * N + j)];
        sum += aik * bkj;
        size += Math.abs(aik * bkj);
      }
      const o = at.c + i * N + j;
      const base = (spec.accumulate ? c0[o] : 0) + (spec.bias ? bias[at.bias + j] : 0);
      c[o] = base + sum;
      scale[o] = size + (spec.accumulate ? Math.abs(c0[o]) : 0) + (spec.bias ? Math.abs(bias[at.bias + j]) : 0);
    }
  }
  return { c, scale };
}

function matmulCase(spec: MatmulSpec, offsets: MatmulOffsets = {}): void {
  const { M, N, K, transA, transB, accumulate, bias } = spec;
  gpuTest(caseName('matmul', { M, N, K }, { transA, transB, accumulate, bias }, offsets), async () => {
    const device = await gpuDevice();
    const at = { a: 0, b: 0, c: 0, bias: 0, ...offsets };
    const a = seeded(at.a + M * K + PAD, 1);
    const b = seeded(at.b + K * N + PAD, 2);
    const biasRow = seeded(at.bias + N + PAD, 3);
    const c0 = seeded(at.c + M * N + PAD, 4);
    const ref = matmulReference(spec, at, a, b, biasRow, c0);
    const buffers = {
      a: storageBuffer(device, 'a', a),
      b: storageBuffer(device, 'b', b),
      c: storageBuffer(device, 'c', c0),
      ...(bias ? { bias: storageBuffer(device, 'bias', biasRow) } : {}),
    };
    const kernel = new Matmul(device, spec);
    await dispatch(device, 'matmul test', (pass) => kernel.encode(pass, kernel.bind(buffers, offsets)));
    expectClose(await readBuffer(device, buffers.c), ref.c, ref.scale, 'c');
    kernel.destroy();
    for (const buffer of Object.values(buffers)) buffer.destroy();
  });
}

/** Float64 reference of the whole out buffer, and each element's error scale. */
function reduceReference(spec: ReduceRowsSpec, at: Required<ReduceRowsOffsets>, a: Float64Array, out0: Float64Array) {
  const out = Float64Array.from(out0);
  const scale = out0.map(Math.abs);
  for (let j = 0; j < spec.W; j++) {
    let sum = spec.accumulate ? out0[at.out + j] : 0;
    let size = Math.abs(sum);
    for (let n = 0; n < spec.N; n++) {
      sum += a[at.a + n * spec.stride + j];
      size += Math.abs(a[at.a + n * spec.stride + j]);
    }
    out[at.out + j] = sum;
    scale[at.out + j] = size;
  }
  return { out, scale };
}

function reduceCase(spec: ReduceRowsSpec, offsets: ReduceRowsOffsets = {}): void {
  const { N, W, stride, accumulate } = spec;
  gpuTest(caseName('reduce_rows', { N, W, stride }, { accumulate }, offsets), async () => {
    const device = await gpuDevice();
    const at = { a: 0, out: 0, ...offsets };
    const a = seeded(at.a + N * stride + PAD, 5);
    const out0 = seeded(at.out + W + PAD, 6);
    const ref = reduceReference(spec, at, a, out0);
    const buffers = { a: storageBuffer(device, 'a', a), out: storageBuffer(device, 'out', out0) };
    const kernel = new ReduceRows(device, spec);
    await dispatch(device, 'reduce_rows test', (pass) => kernel.encode(pass, kernel.bind(buffers, offsets)));
    expectClose(await readBuffer(device, buffers.out), ref.out, ref.scale, 'out');
    kernel.destroy();
    for (const buffer of Object.values(buffers)) buffer.destroy();
  });
}

const bools = [false, true];

describe('matmul kernel vs float64 product', () => {
  // Every combination of flags at sizes below and across the 8x8 block and the 64x64 workgroup.
  for (const [M, N, K] of [[1, 1, 1], [7, 5, 3], [33, 17, 65], [67, 131, 5]]) {
    for (const transA of bools) {
      for (const transB of bools) {
        for (const accumulate of bools) {
          for (const bias of bools) matmulCase({ M, N, K, transA, transB, accumulate, bias });
        }
      }
    }
  }
  // The training uses at a size that fills whole workgroups: Y = X·Wᵀ + b, dW += dYᵀ·X, dX += dY·W.
  const big = { M: 64, N: 128, K: 96 };
  matmulCase({ ...big, transA: false, transB: true, accumulate: false, bias: true });
  matmulCase({ ...big, transA: true, transB: false, accumulate: true, bias: false });
  matmulCase({ ...big, transA: false, transB: false, accumulate: true, bias: false });
  matmulCase({ ...big, transA: true, transB: true, accumulate: true, bias: true });
  // Operands inside bigger buffers, e.g. rows 5..11 of A, and C at an offset in a flat gradient buffer.
  const small = { M: 7, N: 5, K: 3 };
  matmulCase({ ...small, transA: false, transB: true, accumulate: false, bias: true }, { a: 5 * 3, b: 4, c: 11, bias: 2 });
  matmulCase({ ...small, transA: true, transB: false, accumulate: true, bias: false }, { a: 6, b: 3 * 5, c: 7 });
  matmulCase({ ...small, transA: false, transB: false, accumulate: true, bias: false }, { b: 1, c: 35 });
  matmulCase({ M: 33, N: 17, K: 65, transA: true, transB: true, accumulate: true, bias: true }, { a: 33, b: 9, c: 3, bias: 17 });
});

describe('reduce_rows kernel vs float64 column sums', () => {
  for (const accumulate of bools) {
    reduceCase({ N: 1, W: 5, stride: 5, accumulate });
    reduceCase({ N: 37, W: 19, stride: 19, accumulate });
    reduceCase({ N: 37, W: 19, stride: 23, accumulate }, { a: 4, out: 6 });
    reduceCase({ N: 3, W: 130, stride: 131, accumulate });
  }
});

describe('operands that do not fit are refused at bind time', () => {
  gpuTest('matmul M=4 N=4 K=4: c at offset 1 in a 16-float buffer, a negative offset, a missing bias', async () => {
    const device = await gpuDevice();
    const m = new Matmul(device, { M: 4, N: 4, K: 4, transA: false, transB: false, accumulate: false, bias: false });
    const buf = (label: string) => storageBuffer(device, label, 16);
    const [a, b, c] = [buf('A'), buf('B'), buf('C')];
    expect(() => m.bind({ a, b, c }, { c: 1 })).toThrow(/c needs 16 floats from element 1, buffer 'C' holds 16/);
    expect(() => m.bind({ a, b, c }, { a: -4 })).toThrow(/offset of a is -4/);
    const withBias = new Matmul(device, { M: 4, N: 4, K: 4, transA: false, transB: false, accumulate: false, bias: true });
    expect(() => withBias.bind({ a, b, c })).toThrow(/bias buffer/);
    const r = new ReduceRows(device, { N: 4, W: 4, stride: 4, accumulate: false });
    expect(() => r.bind({ a, out: storageBuffer(device, 'out', 3) })).toThrow(/out needs 4 floats/);
  });
});
