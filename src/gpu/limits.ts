/**
 * What a model and batch shape ask of a WebGPU device, checked before anything is
 * allocated: the largest buffer, the largest dispatch, the total memory. A
 * configuration beyond the adapter's limits is refused with a message naming the limit
 * and the largest size of each setting that would fit with the others unchanged.
 */
import { directions, gateCount, type ModelConfig } from '../engine/model.ts';
import { paramLayout } from '../engine/paramLayout.ts';
import type { BatchShape } from './GpuNetwork.ts';

/** Element counts (float32) of every buffer GpuNetwork allocates; it allocates from this table. */
export function networkBufferSizes(config: ModelConfig, shape: BatchShape) {
  const { B, T } = shape;
  const H = config.hiddenSize;
  const GH = gateCount(config) * H;
  const D = directions(config);
  const TB = T * B;
  const N = shape.outputMode === 'last' ? B : TB;
  const O = config.outputSize;
  const lstm = config.cell === 'lstm';
  const perDir = {
    xp: TB * GH,
    hAll: (T + 1) * B * H,
    cAll: lstm ? (T + 1) * B * H : 1,
    gates: TB * GH,
    hpN: config.cell === 'gru' ? TB * H : 1,
    dstate: 2 * TB * H,
    dpre: 2 * TB * GH,
  };
  const perLayer = { out: TB * D * H, dOut: TB * D * H };
  const once = {
    params: paramLayout(config).total,
    grads: paramLayout(config).total,
    stepNorms: config.numLayers * D * 2 * T,
    x0: TB * config.inputSize,
    dx0: config.embedding ? TB * config.inputSize : 0,
    targets: shape.loss === 'mse' ? N * O : N,
    y: N * O,
    dy: N * O,
    lossRow: N,
    loss: 1,
    feedback: config.outputFeedback ? (T + 1) * B * O : 0,
    dFeedback: config.outputFeedback ? B * O : 0,
    dyTotal: config.outputFeedback ? N * O : 0,
  };
  return { perDir, perLayer, once, dirs: config.numLayers * D, layers: config.numLayers };
}

/** The limits a configuration needs, in the units of GPUSupportedLimits. */
export interface NeededLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
  /** Every buffer together, in bytes (held against a memory budget, not an adapter limit). */
  totalBytes: number;
  /** The buffer that sets maxStorageBufferBindingSize, for messages. */
  largestBuffer: string;
}

/** Limits the configuration needs, with optimizer state counted as 3 more parameter-sized buffers. */
export function neededLimits(config: ModelConfig, shape: BatchShape): NeededLimits {
  const s = networkBufferSizes(config, shape);
  const all: [string, number, number][] = [
    ...Object.entries(s.perDir).map(([k, n]) => [k, n, s.dirs] as [string, number, number]),
    ...Object.entries(s.perLayer).map(([k, n]) => [k, n, s.layers] as [string, number, number]),
    ...Object.entries(s.once).map(([k, n]) => [k, n, 1] as [string, number, number]),
    ['optimizer state', s.once.params, 3],
  ];
  let largest = all[0];
  let total = 0;
  for (const entry of all) {
    if (entry[1] > largest[1]) largest = entry;
    total += entry[1] * entry[2] * 4;
  }
  const { B, T } = shape;
  const TB = T * B;
  const GH = gateCount(config) * config.hiddenSize;
  const D = directions(config);
  // Element-wise kernels split big dispatches into 2-D grids (Kernel.encode); matmuls tile
  // 64 x 64 outputs per workgroup, so their grids are what can hit the per-dimension limit.
  const workgroups = Math.max(Math.ceil(TB / 64), Math.ceil(GH / 64), Math.ceil(D * config.hiddenSize / 64));
  return {
    maxStorageBufferBindingSize: largest[1] * 4,
    maxBufferSize: largest[1] * 4,
    maxComputeWorkgroupsPerDimension: workgroups,
    totalBytes: total,
    largestBuffer: largest[0],
  };
}

/** The limits checked, with what each means to a user. */
const CHECKED = [
  ['maxStorageBufferBindingSize', 'largest storage buffer'],
  ['maxBufferSize', 'largest buffer'],
  ['maxComputeWorkgroupsPerDimension', 'largest dispatch'],
] as const;

/** Limits an adapter offers (a subset of GPUSupportedLimits) and an optional memory budget. */
export interface Capacity {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupsPerDimension: number;
  memoryBudgetBytes?: number;
}

/** The first limit a configuration exceeds, or null when it fits. */
function firstExceeded(config: ModelConfig, shape: BatchShape, cap: Capacity): { limit: string; what: string; need: number; have: number } | null {
  const need = neededLimits(config, shape);
  for (const [limit, what] of CHECKED) {
    if (need[limit] > cap[limit]) return { limit, what: `${what} (${need.largestBuffer})`, need: need[limit], have: cap[limit] };
  }
  if (cap.memoryBudgetBytes !== undefined && need.totalBytes > cap.memoryBudgetBytes) {
    return { limit: 'memory budget', what: 'GPU memory in all', need: need.totalBytes, have: cap.memoryBudgetBytes };
  }
  return null;
}

/** The largest value of one setting in [1, current) that fits, by bisection (0 if none). */
function largestFitting(current: number, fits: (v: number) => boolean): number {
  let lo = 0;
  let hi = current;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Why a configuration does not fit, naming the limit and what would fit; null when it fits. */
export function fitProblem(config: ModelConfig, shape: BatchShape, cap: Capacity): string | null {
  const over = firstExceeded(config, shape, cap);
  if (!over) return null;
  const fits = (c: ModelConfig, s: BatchShape) => firstExceeded(c, s, cap) === null;
  const options = [
    ['hidden size', config.hiddenSize, (v: number) => fits({ ...config, hiddenSize: v }, shape)],
    ['sequence length', shape.T, (v: number) => fits(config, { ...shape, T: v })],
    ['batch size', shape.B, (v: number) => fits(config, { ...shape, B: v })],
  ] as const;
  const alternatives = options
    .map(([name, current, ok]) => [name, largestFitting(current, ok)] as const)
    .filter(([, v]) => v > 0)
    .map(([name, v]) => `${name} ${v}`);
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const amount = over.limit === 'maxComputeWorkgroupsPerDimension' ? (n: number) => `${n} workgroups` : mb;
  return (
    `Too big for this GPU: the ${over.what} needs ${amount(over.need)}, and ${over.limit} is ${amount(over.have)}. ` +
    (alternatives.length ? `Largest that fits with the other settings unchanged: ${alternatives.join(', or ')}.` : 'Reduce the model or the batch.')
  );
}

/** A configuration a device cannot run; the message says which limit and what fits. */
export class LimitError extends Error {}

/** A model and the batch shape it will run. */
export interface ModelRun {
  config: ModelConfig;
  shape: BatchShape;
}

/**
 * Requests a device with the limits the given runs need (never more than the adapter
 * offers), or throws a LimitError naming the first run that does not fit, before anything is allocated.
 */
export async function requestDeviceFor(adapter: GPUAdapter, runs: ModelRun[], memoryBudgetBytes?: number): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const [limit] of CHECKED) requiredLimits[limit] = DEFAULT_LIMITS[limit];
  for (const { config, shape } of runs) {
    const problem = fitProblem(config, shape, { ...limitsOf(adapter.limits), memoryBudgetBytes });
    if (problem) throw new LimitError(problem);
    const need = neededLimits(config, shape);
    for (const [limit] of CHECKED) requiredLimits[limit] = Math.max(requiredLimits[limit], need[limit]);
  }
  return adapter.requestDevice({ label: 'rnn-playground training', requiredLimits });
}

/** The checked limits of a GPUSupportedLimits. */
export function limitsOf(l: GPUSupportedLimits): Capacity {
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
  };
}

/** WebGPU's default limits (what a device gets without asking). */
export const DEFAULT_LIMITS: Capacity = {
  maxStorageBufferBindingSize: 128 * 2 ** 20,
  maxBufferSize: 256 * 2 ** 20,
  maxComputeWorkgroupsPerDimension: 65535,
};
