/**
 * Wrapper of shaders/matmul.wgsl: C = op(A) · op(B) [+ bias] [+ C], float32, row-major.
 * Builds its pipeline once per spec; `bind` makes a bind group once per set of buffers and
 * element offsets (keep it and reuse it every step); `encode` records one dispatch.
 */
import source from '../../shaders/matmul.wgsl?raw';
import { bindWithOffsets, checkFits } from './buffers.ts';
import { withCommon } from './shaderSource.ts';

/** Shape and options of one product (fixed per use: they are override constants). */
export interface MatmulSpec {
  /** Rows of C and of op(A). */
  M: number;
  /** Columns of C and of op(B). */
  N: number;
  /** Columns of op(A), rows of op(B). */
  K: number;
  /** A is stored (K, M) and used transposed. */
  transA: boolean;
  /** B is stored (N, K) and used transposed. */
  transB: boolean;
  /** Add the product to C's old value instead of overwriting it. */
  accumulate: boolean;
  /** Add a bias row (N) to every row of C. */
  bias: boolean;
}

/** Buffers of one product (shapes as in the WGSL binding table). */
export interface MatmulBuffers {
  /** (M, K), or (K, M) when transA. */
  a: GPUBuffer;
  /** (K, N), or (N, K) when transB. */
  b: GPUBuffer;
  /** (M, N) out; also read when accumulating. */
  c: GPUBuffer;
  /** (N), required exactly when the spec has a bias. */
  bias?: GPUBuffer;
}

/** Element (not byte) offsets of each operand inside its buffer; missing ones are 0. */
export type MatmulOffsets = Partial<Record<keyof MatmulBuffers, number>>;

/** One set of buffers and offsets, bound once and encoded any number of times. */
export interface MatmulBinding {
  readonly bindGroup: GPUBindGroup;
}

const WORKGROUP_X = 8;
const WORKGROUP_Y = 8;
/** Rows and columns of C per invocation (BLOCK in the WGSL). */
const BLOCK = 8;

/** One matrix product of a fixed shape and kind. */
export class Matmul {
  private readonly pipeline: GPUComputePipeline;
  private readonly name: string;
  /** The offsets uniforms this wrapper created, freed by `destroy`. */
  private readonly uniforms: GPUBuffer[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly spec: MatmulSpec,
  ) {
    const { M, N, K, transA, transB, accumulate, bias } = spec;
    for (const [key, size] of Object.entries({ M, N, K })) {
      if (!Number.isInteger(size) || size < 1) throw new Error(`matmul: ${key} must be a positive integer, got ${size}`);
    }
    const flags = [transA && 'transA', transB && 'transB', accumulate && 'accumulate', bias && 'bias'];
    this.name = `matmul M=${M} N=${N} K=${K}${flags.filter(Boolean).map((f) => ` ${f}`).join('')}`;
    const module = device.createShaderModule({ label: 'matmul', code: withCommon(source) });
    this.pipeline = device.createComputePipeline({
      label: this.name,
      layout: 'auto',
      compute: {
        module,
        entryPoint: 'main',
        constants: {
          M, N, K, WORKGROUP_X, WORKGROUP_Y,
          TRANS_A: Number(transA), TRANS_B: Number(transB), ACCUMULATE: Number(accumulate), HAS_BIAS: Number(bias),
        },
      },
    });
  }

  /** Binds buffers at element offsets, after checking that each operand fits in its buffer. */
  bind(buffers: MatmulBuffers, offsets: MatmulOffsets = {}): MatmulBinding {
    const { M, N, K, bias } = this.spec;
    if (bias !== (buffers.bias !== undefined)) {
      throw new Error(`${this.name}: a bias buffer must be given exactly when the spec has bias`);
    }
    const at = { a: 0, b: 0, c: 0, bias: 0, ...offsets };
    checkFits(this.name, 'a', buffers.a, at.a, M * K);
    checkFits(this.name, 'b', buffers.b, at.b, K * N);
    checkFits(this.name, 'c', buffers.c, at.c, M * N);
    if (buffers.bias) checkFits(this.name, 'bias', buffers.bias, at.bias, N);
    // Bindings a, b, bias, c; offsets in the field order of `struct Offsets` (a, b, c, bias).
    // Without a bias the binding is never read, but the layout still has it: any
    // read-only buffer fills it, and `a` is one (read-only aliases are allowed).
    const { bindGroup, uniform } = bindWithOffsets(
      this.device, this.pipeline, this.name,
      [buffers.a, buffers.b, buffers.bias ?? buffers.a, buffers.c],
      [at.a, at.b, at.c, at.bias],
    );
    this.uniforms.push(uniform);
    return { bindGroup };
  }

  /** Records one dispatch computing all of C. */
  encode(pass: GPUComputePassEncoder, binding: MatmulBinding): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, binding.bindGroup);
    pass.dispatchWorkgroups(
      Math.ceil(this.spec.N / (BLOCK * WORKGROUP_X)),
      Math.ceil(this.spec.M / (BLOCK * WORKGROUP_Y)),
    );
  }

  /** Frees the offsets uniforms of every binding made so far. */
  destroy(): void {
    for (const uniform of this.uniforms.splice(0)) uniform.destroy();
  }
}
