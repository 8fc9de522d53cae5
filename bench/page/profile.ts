/**
 * `--profile`: where this engine's step time goes (a diagnostic, not a benchmark).
 * WebGPU: the step's recorded dispatches (GpuNetwork.ops, then Optimizer.encode) are run one
 * per submission, each timed to onSubmittedWorkDone, and summed by pipeline label and by phase:
 * forward is every op through the loss's sum (GpuNetwork records forward first, ending with
 * the loss and its reduction), backward the rest, then the optimizer. Each isolated op also
 * pays one submit round trip, measured on an empty pass and reported beside the sums.
 * CPU: the reference's forward, lossAndGrads (forward + backward) and optimizerStep, timed apart.
 */
import { forward, lossAndGrads } from '../../src/engine/network.ts';
import { createOptimizerState, optimizerStep } from '../../src/engine/optimizer.ts';
import { paramLayout } from '../../src/engine/paramLayout.ts';
import { GpuNetwork } from '../../src/gpu/GpuNetwork.ts';
import { requestDeviceFor } from '../../src/gpu/limits.ts';
import { Optimizer } from '../../src/gpu/Optimizer.ts';
import { median } from './stats.ts';
import type { WorkloadData } from './workload.ts';

/** Milliseconds per phase of one step. */
export interface PhaseTimes {
  forward: number;
  backward: number;
  optimizer: number;
}

/** One pipeline's share of an isolated step. */
export interface OpTime {
  label: string;
  phase: keyof PhaseTimes;
  count: number;
  ms: number;
}

/** The profile of one workload. */
export interface Profile {
  webgpu: { phases: PhaseTimes; ops: OpTime[]; roundTripMs: number; isolatedOps: number };
  cpu: PhaseTimes;
}

/** Times one submission of `record` (a compute pass) to onSubmittedWorkDone; returns ms and the last pipeline label set. */
async function timeOne(device: GPUDevice, record: (pass: GPUComputePassEncoder) => void): Promise<{ ms: number; label: string }> {
  const encoder = device.createCommandEncoder({ label: 'profile' });
  const pass = encoder.beginComputePass({ label: 'profile' });
  let label = '(no pipeline)';
  const spy = new Proxy(pass, {
    get(target, key) {
      if (key === 'setPipeline') {
        return (pipeline: GPUComputePipeline) => {
          label = pipeline.label;
          target.setPipeline(pipeline);
        };
      }
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  record(spy);
  pass.end();
  const started = performance.now();
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
  return { ms: performance.now() - started, label };
}

/** The WebGPU profile: every op isolated once (after one whole untimed step). */
async function profileWebGpu(data: WorkloadData, adapter: GPUAdapter): Promise<Profile['webgpu']> {
  const w = data.workload;
  const shape = { B: w.batch, T: w.steps, loss: data.batch.loss, outputMode: data.batch.outputMode };
  const device = await requestDeviceFor(adapter, [{ config: data.config, shape }]);
  try {
    const net = new GpuNetwork(device, data.config, shape);
    net.setParams(data.params);
    net.setBatch(data.batch);
    const optimizer = new Optimizer(device, net.layout, data.optimizer, { params: net.params, grads: net.grads });
    await timeOne(device, (pass) => {
      net.encode(pass);
      optimizer.encode(pass);
    });
    const empty: number[] = [];
    for (let i = 0; i < 5; i++) empty.push((await timeOne(device, () => {})).ms);
    const byLabel = new Map<string, OpTime>();
    let phase: keyof PhaseTimes = 'forward';
    const add = (label: string, ms: number) => {
      const key = `${phase} ${label}`;
      const entry = byLabel.get(key) ?? { label, phase, count: 0, ms: 0 };
      entry.count++;
      entry.ms += ms;
      byLabel.set(key, entry);
    };
    let lossSeen = false;
    for (const op of net.ops) {
      const { ms, label } = await timeOne(device, op);
      add(label, ms);
      if (lossSeen && phase === 'forward') phase = 'backward'; // the op after the loss kernel was the loss's sum
      if (label.endsWith(' loss')) lossSeen = true;
    }
    phase = 'optimizer';
    add('optimizer (3 dispatches)', (await timeOne(device, (pass) => optimizer.encode(pass))).ms);
    const ops = [...byLabel.values()].sort((a, b) => b.ms - a.ms);
    const phases: PhaseTimes = { forward: 0, backward: 0, optimizer: 0 };
    for (const op of ops) phases[op.phase] += op.ms;
    optimizer.destroy();
    return { phases, ops, roundTripMs: median(empty), isolatedOps: net.ops.length + 1 };
  } finally {
    device.destroy();
  }
}

/** The CPU reference's phases, each the median of three runs. */
function profileCpu(data: WorkloadData): PhaseTimes {
  const time = (fn: () => void) => {
    const times = [0, 1, 2].map(() => {
      const started = performance.now();
      fn();
      return performance.now() - started;
    });
    return median(times);
  };
  const fwd = time(() => forward(data.config, data.params, data.batch));
  const both = time(() => lossAndGrads(data.config, data.params, data.batch));
  const layout = paramLayout(data.config);
  const params = new Float64Array(layout.total).fill(0.01);
  const grads = new Float64Array(layout.total).fill(0.001);
  const state = createOptimizerState(layout);
  const opt = time(() => optimizerStep(data.optimizer, state, params, grads));
  return { forward: fwd, backward: both - fwd, optimizer: opt };
}

/** Profiles this engine on one workload. */
export async function profileWorkload(data: WorkloadData, adapter: GPUAdapter): Promise<Profile> {
  return { webgpu: await profileWebGpu(data, adapter), cpu: profileCpu(data) };
}
