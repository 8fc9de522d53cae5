/**
 * The benchmark's browser half: bench/main.ts opens it in headless Chromium (through
 * src/cli/webgpuPage.ts) and calls these exports. Every implementation of a workload runs
 * in this one page on the same adapter: untimed warm-up steps, then timed blocks that
 * alternate between implementations (the starting one rotates each block), each block ended
 * by waiting for its last step. GPU calls are counted by wrapping their prototypes (counters.ts).
 */
import { CONFIGS, IMPLEMENTATIONS, type Implementation, type Schedule } from '../configs.ts';
import { adapterName } from '../../src/gpu/backend.ts';
import { countsSince, gpuCounts, installCounters, type GpuCounts } from './counters.ts';
import { matmulRates, type MatmulRate } from './matmulPeak.ts';
import { oursCpu, oursWebGpu } from './ours.ts';
import { profileWorkload, type Profile } from './profile.ts';
import type { Runner } from './runner.ts';
import { median } from './stats.ts';
import { tfjsRunner } from './tfjs.ts';
import { makeWorkload, type WorkloadData } from './workload.ts';

installCounters();

/** The adapter every GPU implementation here gets, as the browser describes it. */
export interface AdapterReport {
  name: string;
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  userAgent: string;
}

/** A fresh adapter (each device needs its own), or an error saying there is none. */
async function requestAdapter(): Promise<GPUAdapter> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error(navigator.gpu ? 'requestAdapter returned null' : 'navigator.gpu is missing');
  return adapter;
}

/** Describes the adapter. */
export async function adapterReport(): Promise<AdapterReport> {
  const { info } = await requestAdapter();
  return {
    name: adapterName(info),
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    isFallbackAdapter: info.isFallbackAdapter,
    userAgent: navigator.userAgent,
  };
}

/** This engine's matmul rate at each size, on a device of its own. */
export async function matmulPeak(request: { sizes: number[]; reps: number }): Promise<MatmulRate[]> {
  const device = await (await requestAdapter()).requestDevice({ label: 'bench matmul peak' });
  try {
    return await matmulRates(device, request.sizes, request.reps);
  } finally {
    device.destroy();
  }
}

/** What one workload's run asks for. */
export interface RunRequest {
  config: string;
  schedule: Schedule;
  implementations: Implementation[];
}

/** One implementation's measurements. */
export interface ImplResult {
  impl: Implementation;
  detail: string;
  /** Milliseconds per step of each timed block, in block order. */
  blockMs: number[];
  /** Median of blockMs. */
  msPerStep: number;
  /** Calls per timed step, over all timed blocks. */
  perStep: GpuCounts;
  /** Loss before any step, and after every step (warm-up and timed). */
  lossBefore: number;
  lossAfter: number;
  stepsTaken: number;
}

/** One workload's results. */
export interface RunResult {
  config: string;
  schedule: Schedule;
  results: ImplResult[];
}

/** Builds one implementation. */
async function makeRunner(impl: Implementation, data: WorkloadData): Promise<Runner> {
  switch (impl) {
    case 'ours-webgpu':
      return oursWebGpu(data, await requestAdapter());
    case 'ours-cpu':
      return oursCpu(data);
    case 'tfjs-webgpu':
      return tfjsRunner(data, 'webgpu');
    case 'tfjs-cpu':
      return tfjsRunner(data, 'cpu');
  }
}

/** Runs `n` steps and waits for them; returns the milliseconds and the GPU calls counted. */
async function timedBlock(runner: Runner, n: number): Promise<{ ms: number; counts: GpuCounts }> {
  await runner.activate();
  const before = gpuCounts();
  const started = performance.now();
  runner.train(n);
  await runner.finish();
  const ms = performance.now() - started;
  return { ms, counts: countsSince(before) };
}

/** Benchmarks one workload on the implementations asked for. */
export async function runConfig(request: RunRequest): Promise<RunResult> {
  const config = CONFIGS.find((c) => c.name === request.config);
  if (!config) throw new Error(`unknown config ${request.config}`);
  const { warmup, blocks, perBlock } = request.schedule;
  const data = makeWorkload(config);
  const order = IMPLEMENTATIONS.filter((impl) => request.implementations.includes(impl));
  const runners: Runner[] = [];
  try {
    for (const impl of order) runners.push(await makeRunner(impl, data));
    const state = new Map<Runner, { blockMs: number[]; counts: GpuCounts; lossBefore: number }>();
    for (const runner of runners) {
      const lossBefore = await runner.loss();
      console.log(`[bench] ${config.name} ${runner.impl}: loss before training ${lossBefore.toFixed(6)}; ${warmup} warm-up step(s)`);
      const warm = await timedBlock(runner, warmup);
      console.log(`[bench] ${config.name} ${runner.impl}: warm-up ${(warm.ms / Math.max(warmup, 1)).toFixed(0)} ms/step`);
      state.set(runner, { blockMs: [], counts: { dispatches: 0, submits: 0, readbacks: 0 }, lossBefore });
    }
    for (let b = 0; b < blocks; b++) {
      for (let k = 0; k < runners.length; k++) {
        const runner = runners[(b + k) % runners.length];
        const s = state.get(runner)!;
        const { ms, counts } = await timedBlock(runner, perBlock);
        s.blockMs.push(ms / perBlock);
        for (const key of ['dispatches', 'submits', 'readbacks'] as const) s.counts[key] += counts[key];
        console.log(`[bench] ${config.name} ${runner.impl}: block ${b + 1}/${blocks}, ${(ms / perBlock).toFixed(1)} ms/step`);
      }
    }
    const timedSteps = blocks * perBlock;
    const results: ImplResult[] = [];
    for (const runner of runners) {
      const s = state.get(runner)!;
      const per = (n: number) => n / timedSteps;
      results.push({
        impl: runner.impl,
        detail: runner.detail,
        blockMs: s.blockMs,
        msPerStep: median(s.blockMs),
        perStep: { dispatches: per(s.counts.dispatches), submits: per(s.counts.submits), readbacks: per(s.counts.readbacks) },
        lossBefore: s.lossBefore,
        lossAfter: await runner.loss(),
        stepsTaken: warmup + timedSteps,
      });
    }
    return { config: config.name, schedule: request.schedule, results };
  } finally {
    for (const runner of runners) runner.dispose();
  }
}

/** Where this engine's time goes on one workload (`--profile`). */
export async function profileConfig(request: { config: string }): Promise<Profile> {
  const config = CONFIGS.find((c) => c.name === request.config);
  if (!config) throw new Error(`unknown config ${request.config}`);
  return profileWorkload(makeWorkload(config), await requestAdapter());
}
