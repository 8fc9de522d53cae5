/**
 * Wrapper of shaders/lstm_pointwise.wgsl: the LSTM's gates, c_t and h_t for one step
 * from the two projections. Builds its pipeline once per (B, H); `encode` records one dispatch.
 */
import source from '../../shaders/lstm_pointwise.wgsl?raw';
import { withCommon } from './shaderSource.ts';

/** Buffers of one step (shapes as in the WGSL binding table). */
export interface LstmPointwiseBuffers {
  /** (B, 4H) W_ih x_t + b_ih. */
  xp: GPUBuffer;
  /** (B, 4H) W_hh h_{t-1} + b_hh. */
  hp: GPUBuffer;
  /** (B, H) c_{t-1}. */
  cPrev: GPUBuffer;
  /** (B, 4H) out: activated gates i, f, g, o. */
  gates: GPUBuffer;
  /** (B, H) out: c_t. */
  c: GPUBuffer;
  /** (B, H) out: h_t. */
  h: GPUBuffer;
}

const WORKGROUP = 64;

/** The LSTM pointwise kernel for a batch size B and hidden size H. */
export class LstmPointwise {
  private readonly pipeline: GPUComputePipeline;

  constructor(
    private readonly device: GPUDevice,
    private readonly B: number,
    private readonly H: number,
  ) {
    const module = device.createShaderModule({ label: 'lstm_pointwise', code: withCommon(source) });
    this.pipeline = device.createComputePipeline({
      label: `lstm_pointwise B=${B} H=${H}`,
      layout: 'auto',
      compute: { module, entryPoint: 'main', constants: { B, H, WORKGROUP } },
    });
  }

  /** Records one dispatch computing a step for the whole batch. */
  encode(pass: GPUComputePassEncoder, buffers: LstmPointwiseBuffers): void {
    const { pipeline } = this;
    const order = [buffers.xp, buffers.hp, buffers.cPrev, buffers.gates, buffers.c, buffers.h];
    const bindGroup = this.device.createBindGroup({
      label: 'lstm_pointwise bindings',
      layout: pipeline.getBindGroupLayout(0),
      entries: order.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil((this.B * this.H) / WORKGROUP));
  }
}
