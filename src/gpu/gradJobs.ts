/**
 * The GPU half of `grad --backend webgpu`: loaded by the CLI into headless Chromium
 * (src/cli/webgpuGrad.ts serves it through Vite, which resolves the `?raw` WGSL imports),
 * it runs GpuNetwork.lossAndGrads for each job on one device and returns plain JSON,
 * shaped as `grad` prints it (docs/checkpoint.md). It lives in src/gpu because it is
 * WebGPU code: src/cli stays Node on top of the engine and only names this file by URL.
 */
import { batchDims, type Batch } from '../engine/batch.ts';
import { parseBatch, parseCheckpoint, tensorToJson, type TensorJson } from '../engine/checkpoint.ts';
import { paramSpecs } from '../engine/model.ts';
import { detectBackend } from './backend.ts';
import type { TensorMap } from '../engine/tensor.ts';
import { GpuNetwork } from './GpuNetwork.ts';
import { requestDeviceFor, type ModelRun } from './limits.ts';

/** One job: checkpoint and batch JSON (already validated by the CLI) and the BPTT window. */
export interface GradJob {
  checkpoint: unknown;
  batch: unknown;
  bpttWindow?: number;
}

/** One job's result, as `grad` prints it: grads in `state_dict` order. */
export interface GradJobResult {
  loss: number;
  outputs: TensorJson;
  grads: Record<string, TensorJson>;
}

/** Every job's result, or why this browser has no WebGPU device. */
export type GradJobsOutcome = { ok: true; results: GradJobResult[] } | { ok: false; reason: string };

/** Runs every job on one WebGPU device, in order; a WebGPU error inside a job rejects. */
export async function gradJobs(jobs: GradJob[]): Promise<GradJobsOutcome> {
  const parsed = jobs.map(parseJob);
  // One device with the limits every job needs; a job too big for this adapter is a reason, not a crash.
  const backend = await detectBackend(undefined, (adapter) => requestDeviceFor(adapter, parsed));
  if (backend.kind === 'cpu') return { ok: false, reason: backend.reason };
  const { device } = backend;
  try {
    const results: GradJobResult[] = [];
    for (const job of parsed) results.push(await withErrorScopes(device, () => runJob(device, job)));
    return { ok: true, results };
  } finally {
    device.destroy();
  }
}

/** A job with its files parsed and the batch shape it runs. */
interface ParsedJob extends ModelRun {
  params: TensorMap;
  batch: Batch;
  bpttWindow?: number;
}

function parseJob(job: GradJob): ParsedJob {
  const { config, params } = parseCheckpoint(job.checkpoint);
  const batch = parseBatch(job.batch, config);
  const { B, T } = batchDims(batch);
  return { config, params, batch, shape: { B, T, loss: batch.loss, outputMode: batch.outputMode }, bpttWindow: job.bpttWindow };
}

async function runJob(device: GPUDevice, job: ParsedJob): Promise<GradJobResult> {
  const { config, params, batch } = job;
  const net = new GpuNetwork(device, config, job.shape);
  const result = await net.lossAndGrads(params, batch, job.bpttWindow);
  const grads = paramSpecs(config).map(({ name }) => [name, tensorToJson(result.grads.get(name)!)] as const);
  return { loss: result.loss, outputs: tensorToJson(result.outputs), grads: Object.fromEntries(grads) };
}

/** Runs `fn`, then throws the first validation or out-of-memory error WebGPU reported meanwhile. */
async function withErrorScopes<T>(device: GPUDevice, fn: () => Promise<T>): Promise<T> {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const result = await fn();
  const outOfMemory = await device.popErrorScope();
  const validation = await device.popErrorScope();
  const error = outOfMemory ?? validation;
  if (error) throw new Error(`WebGPU ${outOfMemory ? 'out of memory' : 'validation error'}: ${error.message}`);
  return result;
}
