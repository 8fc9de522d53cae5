/**
 * A compute pipeline from one WGSL entry point (shared helpers joined on), with its
 * bind groups made once and dispatches recorded by `encode`. The wrapper the small
 * kernel families (recurrent, loss, embedding) share.
 */
import { withCommon } from './shaderSource.ts';

/** Workgroups per dimension every WebGPU device allows. */
const MAX_GROUPS = 65535;

/** A buffer, or a window of one, bound at a binding number. */
export type Binding = GPUBuffer | GPUBufferBinding;

/** One entry point of a WGSL module, specialized by its override constants. */
export class Kernel {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    readonly label: string,
    code: string,
    entryPoint: string,
    constants: Record<string, number>,
  ) {
    const module = device.createShaderModule({ label, code: withCommon(code) });
    this.pipeline = device.createComputePipeline({ label, layout: 'auto', compute: { module, entryPoint, constants } });
  }

  /** A bind group for the given bindings (binding number -> buffer); make it once, encode it often. */
  bind(label: string, bindings: Record<number, Binding>): GPUBindGroup {
    return this.device.createBindGroup({
      label: `${this.label}: ${label}`,
      layout: this.pipeline.getBindGroupLayout(0),
      entries: Object.entries(bindings).map(([binding, b]) => ({
        binding: Number(binding),
        resource: b instanceof GPUBuffer ? { buffer: b } : b,
      })),
    });
  }

  /**
   * Records one dispatch of `workgroups` workgroups. Beyond 65535 (WebGPU's default per
   * dimension) it becomes a 2-D grid; kernels that can get there index with `linear_id`.
   */
  encode(pass: GPUComputePassEncoder, bindGroup: GPUBindGroup, workgroups: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    if (workgroups <= MAX_GROUPS) pass.dispatchWorkgroups(workgroups);
    else pass.dispatchWorkgroups(MAX_GROUPS, Math.ceil(workgroups / MAX_GROUPS));
  }
}

/** Workgroups of `size` invocations covering `count` items. */
export function groupsFor(count: number, size = 64): number {
  return Math.ceil(count / size);
}
