/** Kernel.encode splits dispatches beyond 65535 workgroups into a 2-D grid that still covers every element once. */
import { describe, expect } from 'vitest';
import embeddingSource from '../../shaders/embedding.wgsl?raw';
import { readBuffer, storageBuffer } from '../../src/gpu/buffers.ts';
import { Kernel, groupsFor } from '../../src/gpu/Kernel.ts';
import { gpuDevice, gpuTest, withValidation } from './device.ts';

describe('Kernel dispatch', () => {
  gpuTest('embedding gather NT=65537 I=64: 65537 workgroups (2-D grid), every element written once', async () => {
    const device = await gpuDevice();
    const NT = 65537;
    const I = 64;
    const V = 3;
    const table = Float32Array.from({ length: V * I }, (_, k) => k + 1);
    const tokens = Uint32Array.from({ length: NT }, (_, n) => (n * 7) % V);
    const tokenBuf = device.createBuffer({ label: 'tokens', size: NT * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(tokenBuf, 0, tokens);
    const x = storageBuffer(device, 'x (NT, I)', NT * I);
    expect(groupsFor(NT * I)).toBeGreaterThan(65535);
    await withValidation(device, () => {
      const gather = new Kernel(device, 'gather', embeddingSource, 'gather', { NT, V, I });
      const bg = gather.bind('test', { 0: tokenBuf, 1: storageBuffer(device, 'E', table), 2: x });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      gather.encode(pass, bg, groupsFor(NT * I));
      pass.end();
      device.queue.submit([encoder.finish()]);
    });
    const out = await readBuffer(device, x);
    let wrong = 0;
    for (let n = 0; n < NT; n++) for (let i = 0; i < I; i++) if (out[n * I + i] !== table[tokens[n] * I + i]) wrong++;
    expect(wrong).toBe(0);
  });
});
