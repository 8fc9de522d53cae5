/**
 * The WebGPU device GPU tests run on. With CI set, a missing adapter fails the test run;
 * elsewhere the GPU tests are skipped with a message saying why (never silently).
 */
import { test } from 'vitest';

declare const __CI__: boolean;

/** The adapter, or null; GPU test files gate on it. */
export const adapter: GPUAdapter | null = (await navigator.gpu?.requestAdapter()) ?? null;

if (!adapter) {
  const why = navigator.gpu ? 'navigator.gpu.requestAdapter() returned null' : 'navigator.gpu is undefined';
  if (__CI__) throw new Error(`No WebGPU adapter in CI (${why}): GPU tests must not skip here.`);
  console.warn(`SKIPPING GPU TESTS: no WebGPU adapter (${why}). Check the Chromium flags in test/chromium.ts.`);
}

/** `test` that runs only with an adapter (reported as skipped, with the warning above, without one). */
export const gpuTest = test.skipIf(!adapter);

let shared: Promise<GPUDevice> | null = null;

/** The test file's one device (an adapter can create only one). */
export function gpuDevice(): Promise<GPUDevice> {
  shared ??= adapter!.requestDevice({ label: 'gpu tests' }).then((device) => {
    device.onuncapturederror = (e) => console.error(`WebGPU error: ${e.error.message}`);
    return device;
  });
  return shared;
}

/** Runs `fn` while capturing validation errors; throws the first one. */
export async function withValidation<T>(device: GPUDevice, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  const result = await fn();
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU validation error: ${error.message}`);
  return result;
}
