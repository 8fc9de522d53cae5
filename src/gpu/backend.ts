/**
 * Finds the compute backend: a WebGPU device when the browser offers one,
 * otherwise the CPU, with the reason WebGPU could not be used.
 * An adapter alone proves nothing (requestDevice can still fail), so a device is requested too.
 */

/** The compute backend that was found: a ready WebGPU device, or the CPU and why WebGPU is unavailable. */
export type BackendInfo =
  | { kind: 'webgpu'; name: string; adapter: GPUAdapter; device: GPUDevice }
  | { kind: 'cpu'; reason: string };

/** Adapter info as browsers have shipped it: older ones lack `isFallbackAdapter` on the info. */
type AdapterInfoLike = Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'description'> & {
  isFallbackAdapter?: boolean;
};

/**
 * A readable adapter name: the description when the browser gives one, else `vendor architecture`
 * (SwiftShader's description is empty), marked "(fallback adapter)" for software fallbacks.
 */
export function adapterName(info: AdapterInfoLike, isFallback = info.isFallbackAdapter ?? false): string {
  const base = info.description.trim() || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return isFallback ? `${base} (fallback adapter)` : base;
}

/** Message of anything thrown, for a reason string. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Requests a WebGPU adapter and device from `host.gpu` (by default `navigator.gpu`).
 * Never rejects: every failure becomes `{ kind: 'cpu', reason }`.
 */
export async function detectBackend(
  host: { gpu?: GPU } = globalThis.navigator ?? {},
  /** How to get the device from the adapter (e.g. with the limits a model needs); any error becomes the reason. */
  request: (adapter: GPUAdapter) => Promise<GPUDevice> = (adapter) => adapter.requestDevice({ label: 'rnn-playground device' }),
): Promise<BackendInfo> {
  const gpu = host.gpu;
  if (!gpu) return { kind: 'cpu', reason: 'navigator.gpu is missing (this browser has no WebGPU)' };

  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { kind: 'cpu', reason: `requestAdapter rejected: ${messageOf(error)}` };
  }
  if (!adapter) return { kind: 'cpu', reason: 'requestAdapter returned null (no usable GPU adapter)' };

  let device: GPUDevice;
  try {
    device = await request(adapter);
  } catch (error) {
    return { kind: 'cpu', reason: `requestDevice rejected: ${messageOf(error)}` };
  }

  // `adapter.isFallbackAdapter` is the pre-2024 spelling, kept by browsers that predate `info.isFallbackAdapter`.
  const legacyFallback = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const info: AdapterInfoLike = adapter.info ?? { vendor: '', architecture: '', description: '' };
  const name = adapterName(info, info.isFallbackAdapter ?? legacyFallback ?? false);
  return { kind: 'webgpu', name, adapter, device };
}
