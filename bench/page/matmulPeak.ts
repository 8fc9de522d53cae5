/**
 * The best this engine's matmul (src/gpu/Matmul.ts) does on the adapter: square products
 * C = A·B of size n, one dispatch per submission, timed to onSubmittedWorkDone; FLOPs 2·n³.
 */
import { storageBuffer } from '../../src/gpu/buffers.ts';
import { Matmul } from '../../src/gpu/Matmul.ts';
import { median } from './stats.ts';

/** One size's result. */
export interface MatmulRate {
  n: number;
  /** Median milliseconds of one product. */
  ms: number;
  gflops: number;
}

/** Times `reps` products of each size (after one untimed) on `device`. */
export async function matmulRates(device: GPUDevice, sizes: number[], reps: number): Promise<MatmulRate[]> {
  const rates: MatmulRate[] = [];
  for (const n of sizes) {
    const fill = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 13) / 13 - 0.5);
    const a = storageBuffer(device, `peak A (${n}, ${n})`, fill);
    const b = storageBuffer(device, `peak B (${n}, ${n})`, fill);
    const c = storageBuffer(device, `peak C (${n}, ${n})`, n * n);
    const matmul = new Matmul(device, { M: n, N: n, K: n, transA: false, transB: false, accumulate: false, bias: false });
    const binding = matmul.bind({ a, b, c });
    const once = async () => {
      const encoder = device.createCommandEncoder({ label: `peak matmul ${n}` });
      const pass = encoder.beginComputePass({ label: `peak matmul ${n}` });
      matmul.encode(pass, binding);
      pass.end();
      const started = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      return performance.now() - started;
    };
    await once();
    const times: number[] = [];
    for (let r = 0; r < reps; r++) times.push(await once());
    const ms = median(times);
    rates.push({ n, ms, gflops: (2 * n ** 3) / (ms * 1e6) });
    console.log(`[bench] matmul ${n}x${n}x${n}: ${ms.toFixed(0)} ms, ${((2 * n ** 3) / (ms * 1e6)).toFixed(2)} GFLOP/s`);
    matmul.destroy();
    for (const buffer of [a, b, c]) buffer.destroy();
  }
  return rates;
}
