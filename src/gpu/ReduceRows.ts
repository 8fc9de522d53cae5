/**
 * Wrapper of shaders/reduce_rows.wgsl: column sums out[j] (+)= Σ_n A[n, j] over N rows of
 * stride STRIDE (bias gradients). Builds its pipeline once per spec; `bind` makes a bind
 * group once per set of buffers and element offsets; `encode` records one dispatch.
 */
import source from '../../shaders/reduce_rows.wgsl?raw';
import { bindWithOffsets, checkFits } from './buffers.ts';
import { withCommon } from './shaderSource.ts';

/** Shape and options of one reduction (fixed per use: they are override constants). */
export interface ReduceRowsSpec {
  /** Rows summed. */
  N: number;
  /** Columns summed (the length of out). */
  W: number;
  /** Elements from one row's start to the next's; at least W. */
  stride: number;
  /** Add the sums to out's old values instead of overwriting them. */
  accumulate: boolean;
}

/** Buffers of one reduction (shapes as in the WGSL binding table). */
export interface ReduceRowsBuffers {
  /** (N, stride), columns 0..W-1 summed. */
  a: GPUBuffer;
  /** (W) out; also read when accumulating. */
  out: GPUBuffer;
}

/** Element (not byte) offsets of each operand inside its buffer; missing ones are 0. */
export type ReduceRowsOffsets = Partial<Record<keyof ReduceRowsBuffers, number>>;

/** One set of buffers and offsets, bound once and encoded any number of times. */
export interface ReduceRowsBinding {
  readonly bindGroup: GPUBindGroup;
}

const WORKGROUP = 64;

/** Column sums of a fixed shape. */
export class ReduceRows {
  private readonly pipeline: GPUComputePipeline;
  private readonly name: string;
  /** The offsets uniforms this wrapper created, freed by `destroy`. */
  private readonly uniforms: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly spec: ReduceRowsSpec,
  ) {
    const { N, W, stride, accumulate } = spec;
    for (const [key, size] of Object.entries({ N, W, stride })) {
      if (!Number.isInteger(size) || size < 1) throw new Error(`reduce_rows: ${key} must be a positive integer, got ${size}`);
    }
    if (stride < W) throw new Error(`reduce_rows: stride ${stride} is less than W ${W}`);
    this.name = `reduce_rows N=${N} W=${W} stride=${stride}${accumulate ? ' accumulate' : ''}`;
    const module = device.createShaderModule({ label: 'reduce_rows', code: withCommon(source) });
    this.pipeline = device.createComputePipeline({
      label: this.name,
      layout: 'auto',
      compute: {
        module,
        entryPoint: 'main',
        constants: { N, W, STRIDE: stride, ACCUMULATE: Number(accumulate), WORKGROUP },
      },
    });
  }

  /** Binds buffers at element offsets, after checking that each operand fits in its buffer. */
  bind(buffers: ReduceRowsBuffers, offsets: ReduceRowsOffsets = {}): ReduceRowsBinding {
    const { N, W, stride } = this.spec;
    const at = { a: 0, out: 0, ...offsets };
    checkFits(this.name, 'a', buffers.a, at.a, (N - 1) * stride + W);
    checkFits(this.name, 'out', buffers.out, at.out, W);
    const { bindGroup, uniform } = bindWithOffsets(this.device, this.pipeline, this.name, [buffers.a, buffers.out], [at.a, at.out]);
    this.uniforms.push(uniform);
    return { bindGroup };
  }

  /** Records one dispatch computing all W sums. */
  encode(pass: GPUComputePassEncoder, binding: ReduceRowsBinding): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, binding.bindGroup);
    pass.dispatchWorkgroups(Math.ceil(this.spec.W / WORKGROUP));
  }

  /** Frees the offsets uniforms of every binding made so far. */
  destroy(): void {
    for (const uniform of this.uniforms.splice(0)) uniform.destroy();
  }
}
