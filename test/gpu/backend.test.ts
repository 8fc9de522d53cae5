/** Backend detection: the real SwiftShader adapter, and every way WebGPU can be unavailable (faked). */
import { describe, expect, test } from 'vitest';
import { adapterName, detectBackend } from '../../src/gpu/backend.ts';
import { requestDeviceFor } from '../../src/gpu/limits.ts';
import { gpuTest } from './device.ts';

/** A stand-in for `navigator` whose `gpu.requestAdapter` behaves as told. */
function fakeHost(requestAdapter: () => Promise<unknown>): { gpu: GPU } {
  return { gpu: { requestAdapter } as unknown as GPU };
}

/** A stand-in adapter whose `requestDevice` behaves as told. */
function fakeAdapter(requestDevice: () => Promise<unknown>, info: Partial<GPUAdapterInfo>): unknown {
  return { requestDevice, info: { vendor: '', architecture: '', description: '', ...info } };
}

describe('detectBackend', () => {
  gpuTest('real navigator.gpu (SwiftShader): webgpu, named "google swiftshader (fallback adapter)"', async () => {
    const backend = await detectBackend();
    expect(backend.kind).toBe('webgpu');
    if (backend.kind !== 'webgpu') return;
    expect(backend.name).toBe('google swiftshader (fallback adapter)');
    backend.device.destroy();
  });

  test('no navigator.gpu: cpu, reason names navigator.gpu', async () => {
    expect(await detectBackend({})).toEqual({ kind: 'cpu', reason: expect.stringContaining('navigator.gpu') });
  });

  test('requestAdapter returns null: cpu, reason says so', async () => {
    const backend = await detectBackend(fakeHost(async () => null));
    expect(backend).toEqual({ kind: 'cpu', reason: expect.stringMatching(/^requestAdapter returned null/) });
  });

  test('requestAdapter rejects: cpu, reason carries the message', async () => {
    const backend = await detectBackend(fakeHost(() => Promise.reject(new Error('blocked'))));
    expect(backend).toEqual({ kind: 'cpu', reason: 'requestAdapter rejected: blocked' });
  });

  test('adapter found but requestDevice rejects: cpu, reason carries the message', async () => {
    const adapter = fakeAdapter(() => Promise.reject(new Error('device lost')), { vendor: 'acme' });
    const backend = await detectBackend(fakeHost(async () => adapter));
    expect(backend).toEqual({ kind: 'cpu', reason: 'requestDevice rejected: device lost' });
  });

  gpuTest('a model too big for the real adapter: cpu, and the reason names the limit and what fits', async () => {
    const config = { cell: 'lstm' as const, inputSize: 64, hiddenSize: 4096, numLayers: 1, bidirectional: false, outputSize: 64 };
    const shape = { B: 256, T: 256, loss: 'cross_entropy' as const, outputMode: 'sequence' as const };
    const backend = await detectBackend(undefined, (adapter) => requestDeviceFor(adapter, [{ config, shape }]));
    expect(backend.kind).toBe('cpu');
    if (backend.kind === 'cpu') expect(backend.reason).toMatch(/^requestDevice rejected: Too big for this GPU: .*maxStorageBufferBindingSize.*hidden size \d+/);
  });

  test('adapter and device found: webgpu, name from the description', async () => {
    const adapter = fakeAdapter(async () => ({}), { description: 'ACME Graphics 9000', vendor: 'acme' });
    const backend = await detectBackend(fakeHost(async () => adapter));
    expect(backend).toMatchObject({ kind: 'webgpu', name: 'ACME Graphics 9000' });
  });
});

describe('adapterName', () => {
  const info = { vendor: 'google', architecture: 'swiftshader', description: '' };

  test('empty description: "vendor architecture"', () => {
    expect(adapterName(info)).toBe('google swiftshader');
  });

  test('fallback flag on the info: marked "(fallback adapter)"', () => {
    expect(adapterName({ ...info, isFallbackAdapter: true })).toBe('google swiftshader (fallback adapter)');
  });

  test('nothing known: "unknown adapter"', () => {
    expect(adapterName({ vendor: '', architecture: '', description: ' ' })).toBe('unknown adapter');
  });
});
