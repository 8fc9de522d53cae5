/**
 * This engine behind the Runner interface: the WebGPU backend (src/gpu/GpuBackend.ts, one
 * submission per step, metrics read back without stalling) and the CPU backend (the float64
 * reference engine, src/engine/cpuBackend.ts), both as the app trains with them.
 */
import { CpuBackend } from '../../src/engine/cpuBackend.ts';
import type { TrainingBackend } from '../../src/engine/backend.ts';
import { adapterName } from '../../src/gpu/backend.ts';
import { GpuBackend } from '../../src/gpu/GpuBackend.ts';
import { requestDeviceFor } from '../../src/gpu/limits.ts';
import type { Runner } from './runner.ts';
import type { WorkloadData } from './workload.ts';

/** A Runner over any TrainingBackend. */
function backendRunner(impl: Runner['impl'], backend: TrainingBackend, data: WorkloadData, onDispose = () => {}): Runner {
  return {
    impl,
    detail: backend.name,
    activate: async () => {},
    train(n) {
      for (let i = 0; i < n; i++) backend.trainStep(data.batch);
    },
    finish: async () => {
      await backend.flush();
    },
    loss: async () => (await backend.evaluate(data.batch)).loss,
    dispose() {
      backend.dispose();
      onDispose();
    },
  };
}

/** This engine on the CPU: the float64 reference. */
export function oursCpu(data: WorkloadData): Runner {
  return backendRunner('ours-cpu', new CpuBackend(data.config, data.params, data.optimizer), data);
}

/** This engine on a device of its own from `adapter`, with the limits the workload needs. */
export async function oursWebGpu(data: WorkloadData, adapter: GPUAdapter): Promise<Runner> {
  const w = data.workload;
  const shape = { B: w.batch, T: w.steps, loss: data.batch.loss, outputMode: data.batch.outputMode };
  const device = await requestDeviceFor(adapter, [{ config: data.config, shape }]);
  device.onuncapturederror = (e) => console.error(`[bench] ours-webgpu WebGPU error: ${e.error.message}`);
  const backend = new GpuBackend(device, adapterName(adapter.info), data.config, shape, data.params, data.optimizer);
  return backendRunner('ours-webgpu', backend, data, () => device.destroy());
}
