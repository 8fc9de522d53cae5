/** Configurations beyond a device's limits are refused before allocation, naming the limit and what fits. */
import { describe, expect, test } from 'vitest';
import type { ModelConfig } from '../../src/engine/model.ts';
import type { BatchShape } from '../../src/gpu/GpuNetwork.ts';
import { DEFAULT_LIMITS, fitProblem, LimitError, neededLimits, requestDeviceFor } from '../../src/gpu/limits.ts';
import { adapter, gpuTest } from './device.ts';

const lstm = (hiddenSize: number): ModelConfig => ({
  cell: 'lstm', inputSize: 64, hiddenSize, numLayers: 1, bidirectional: false, outputSize: 64, embedding: { vocabSize: 64 },
});
const headline: BatchShape = { B: 32, T: 64, loss: 'cross_entropy', outputMode: 'sequence' };

describe('device limits', () => {
  test('lstm H=128 B=32 T=64 fits the WebGPU defaults', () => {
    expect(fitProblem(lstm(128), headline, DEFAULT_LIMITS)).toBeNull();
  });

  test('a 1 MiB storage limit: the message names the limit, and each suggested size is the largest that fits', () => {
    const cap = { ...DEFAULT_LIMITS, maxStorageBufferBindingSize: 2 ** 20 };
    const msg = fitProblem(lstm(64), headline, cap)!;
    expect(msg).toMatch(/maxStorageBufferBindingSize is 1\.0 MiB/);
    const hidden = Number(/hidden size (\d+)/.exec(msg)![1]);
    const seq = Number(/sequence length (\d+)/.exec(msg)![1]);
    const batch = Number(/batch size (\d+)/.exec(msg)![1]);
    expect(fitProblem(lstm(hidden), headline, cap)).toBeNull();
    expect(fitProblem(lstm(hidden + 1), headline, cap)).not.toBeNull();
    expect(fitProblem(lstm(64), { ...headline, T: seq }, cap)).toBeNull();
    expect(fitProblem(lstm(64), { ...headline, T: seq + 1 }, cap)).not.toBeNull();
    expect(fitProblem(lstm(64), { ...headline, B: batch }, cap)).toBeNull();
    expect(fitProblem(lstm(64), { ...headline, B: batch + 1 }, cap)).not.toBeNull();
  });

  test('a memory budget is checked against every buffer together', () => {
    const need = neededLimits(lstm(128), headline).totalBytes;
    expect(fitProblem(lstm(128), headline, { ...DEFAULT_LIMITS, memoryBudgetBytes: need })).toBeNull();
    expect(fitProblem(lstm(128), headline, { ...DEFAULT_LIMITS, memoryBudgetBytes: need - 1 })).toMatch(/memory budget/);
  });

  gpuTest('the real adapter: a 4 GiB activation buffer is refused with LimitError before any allocation', async () => {
    const huge: BatchShape = { B: 256, T: 256, loss: 'cross_entropy', outputMode: 'sequence' };
    await expect(requestDeviceFor(adapter!, [{ config: lstm(4096), shape: huge }])).rejects.toThrow(LimitError);
    await expect(requestDeviceFor(adapter!, [{ config: lstm(4096), shape: huge }])).rejects.toThrow(/Largest that fits.*hidden size \d+/);
  });
});
