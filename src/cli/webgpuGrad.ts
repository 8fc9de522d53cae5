/**
 * `grad --backend webgpu`: runs the WGSL kernels on a real WebGPU implementation, headless
 * Chromium (SwiftShader on a machine without a GPU). The page (src/cli/webgpuPage.ts)
 * imports src/gpu/gradJobs.ts and this file hands it the jobs.
 */
import { chromiumPath } from './chromium.ts';
import type { GradOutput } from './grad.ts';
import { WebGpuUnavailable, withPageModule } from './webgpuPage.ts';

/** The browser module, by URL under the repository root; it is WebGPU code, so it lives in src/gpu. */
const GRAD_MODULE = '/src/gpu/gradJobs.ts';

/** Set to 1 to launch Chromium without its WebGPU flags (tests the "no WebGPU" path). */
export const NO_WEBGPU_ENV = 'RNN_PLAYGROUND_NO_WEBGPU';

/** One job, as src/gpu/gradJobs.ts's GradJob: checkpoint and batch JSON (validated) and the BPTT window. */
export interface WebGpuJob {
  checkpoint: unknown;
  batch: unknown;
  bpttWindow?: number;
}

/** What src/gpu/gradJobs.ts's `gradJobs` returns. */
type GradJobsOutcome = { ok: true; results: GradOutput[] } | { ok: false; reason: string };

/** Runs every job on one WebGPU device in one Chromium; results in job order, as src/gpu/gradJobs.ts returns them (unchecked). */
export async function gradOnWebGpu(jobs: WebGpuJob[]): Promise<GradOutput[]> {
  const webgpu = process.env[NO_WEBGPU_ENV] !== '1';
  return withPageModule({ module: GRAD_MODULE, webgpu }, async (call) => {
    const outcome = await call<GradJobsOutcome>('gradJobs', jobs);
    if (!outcome.ok) throw new WebGpuUnavailable(`no WebGPU device in Chromium (${chromiumPath()}): ${outcome.reason}`);
    return outcome.results;
  });
}
