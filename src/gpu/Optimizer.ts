/**
 * Wrapper of shaders/optimizer.wgsl: one step of src/engine/optimizer.ts on the GPU, in
 * float32, over the flat parameter and gradient buffers of a ParamLayout. `encode` records
 * its three dispatches (partial sums of g², finish, update) into the caller's compute pass,
 * so forward, backward and update are one pass and one submission, with nothing read back;
 * the step's report lands in `stats`, for the trainer to copy out when it likes.
 * The Config and Stats buffer layouts are read from the WGSL structs, not counted by hand.
 */
import source from '../../shaders/optimizer.wgsl?raw';
import { checkOptimizerSnapshot, type OptimizerSnapshot } from '../engine/backend.ts';
import { checkOptimizer, type OptimizerConfig, type OptimizerKind } from '../engine/optimizer.ts';
import type { ParamLayout } from '../engine/paramLayout.ts';
import { readBuffer, storageBuffer } from './buffers.ts';
import { groupsFor, Kernel } from './Kernel.ts';

/** The buffers an optimizer updates, both (P) in the layout's order; a GpuNetwork has them. */
export interface OptimizerBuffers {
  /** (P) parameters, updated in place. */
  params: GPUBuffer;
  /** (P) gradients, read only. */
  grads: GPUBuffer;
}

/** One step's report, decoded from the `stats` buffer. */
export interface OptimizerStats {
  /** ‖g‖₂ before clipping (NaN or Inf when a gradient was not finite). */
  gradNorm: number;
  /** ‖coef·g‖₂, the norm the update used; gradNorm when skipped. */
  clippedNorm: number;
  /** True when the step was skipped (non-finite norm). */
  skipped: boolean;
  /** Steps taken, skipped ones not counted. */
  t: number;
}

const WORKGROUP = 256;
/** At most this many partial sums (one per workgroup of the first stage) for `finish` to add. */
const MAX_PARTIALS = 256;
const KIND_CODE: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, rmsprop: 2, adam: 3 };
/** Blocks of `state` per kind: m (momentum buffer or Adam's m) and v (RMSprop and Adam). */
const STATE_SLOTS: Record<OptimizerKind, number> = { sgd: 0, momentum: 1, rmsprop: 1, adam: 2 };

/** A field of a WGSL struct of 4-byte scalars. */
interface Field {
  name: string;
  type: 'f32' | 'u32';
}

/** Fields of `struct <name>` in optimizer.wgsl, in order (element i is at byte 4i). */
function structFields(name: string): Field[] {
  const body = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(source)?.[1];
  if (body === undefined) throw new Error(`optimizer.wgsl has no struct ${name}`);
  return body
    .split('\n')
    .map((line) => line.replace(/\/\/.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const m = /^(\w+): (f32|u32),$/.exec(line);
      if (!m) throw new Error(`optimizer.wgsl, struct ${name}: cannot read '${line}'`);
      return { name: m[1], type: m[2] as Field['type'] };
    });
}

const CONFIG_FIELDS = structFields('Config');
const STATS_FIELDS = structFields('Stats');

/** Bytes of the `stats` buffer (for a staging buffer to copy it into). */
export const STATS_BYTES = STATS_FIELDS.length * 4;

/** ln β for 1 - β^t = -expm1(t ln β); β = 0 gives -100 instead of -Inf (e^-100 is 0 in float32 too). */
function logBeta(beta: number): number {
  return Math.max(Math.log(beta), -100);
}

/** The uniform's bytes: every Config field of the WGSL, by name, from a config (1 - β and ln β in float64). */
function packConfig(cfg: OptimizerConfig): ArrayBuffer {
  const values: Record<string, number> = {
    lr: cfg.lr,
    momentum: cfg.momentum,
    alpha: cfg.alpha,
    one_minus_alpha: 1 - cfg.alpha,
    beta1: cfg.beta1,
    one_minus_beta1: 1 - cfg.beta1,
    log_beta1: logBeta(cfg.beta1),
    beta2: cfg.beta2,
    one_minus_beta2: 1 - cfg.beta2,
    log_beta2: logBeta(cfg.beta2),
    eps: cfg.eps,
    weight_decay: cfg.weightDecay,
    max_norm: cfg.clipNorm ?? 0,
    max_value: cfg.clipValue ?? 0,
    clip: cfg.clipNorm !== null ? 1 : cfg.clipValue != null ? 2 : 0,
  };
  if (Object.keys(values).length !== CONFIG_FIELDS.length) throw new Error('optimizer.wgsl: struct Config and packConfig disagree');
  const data = new ArrayBuffer(CONFIG_FIELDS.length * 4);
  const f32 = new Float32Array(data);
  const u32 = new Uint32Array(data);
  CONFIG_FIELDS.forEach(({ name, type }, i) => {
    if (!(name in values)) throw new Error(`optimizer.wgsl: Config.${name} has no value`);
    if (type === 'u32') u32[i] = values[name];
    else f32[i] = values[name];
  });
  return data;
}

/** Decodes a copy of the `stats` buffer. */
export function decodeStats(data: ArrayBuffer | ArrayBufferView): OptimizerStats {
  const bytes = data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const f32 = new Float32Array(bytes, 0, STATS_FIELDS.length);
  const u32 = new Uint32Array(bytes, 0, STATS_FIELDS.length);
  const field = (name: string) => {
    const i = STATS_FIELDS.findIndex((f) => f.name === name);
    return STATS_FIELDS[i].type === 'u32' ? u32[i] : f32[i];
  };
  return { gradNorm: field('grad_norm'), clippedNorm: field('clipped_norm'), skipped: field('skipped') === 1, t: field('t') };
}

/** An optimizer of one kind for one layout, with its state on the GPU. */
export class Optimizer {
  readonly kind: OptimizerKind;
  /** (S, P) moments: m at block 0, v in the last block (S = 0 for sgd: one unused element). */
  readonly state: GPUBuffer;
  /** Stats (see optimizer.wgsl): the last step's norms, skip flag and step count; decode with decodeStats. */
  readonly stats: GPUBuffer;
  private readonly partials: GPUBuffer; // (NPART)
  private readonly config: GPUBuffer; // Config uniform
  private readonly dispatches: { kernel: Kernel; bindGroup: GPUBindGroup; workgroups: number }[];

  constructor(
    private readonly device: GPUDevice,
    private readonly layout: ParamLayout,
    config: OptimizerConfig,
    buffers: OptimizerBuffers,
  ) {
    checkOptimizer(config);
    const P = layout.total;
    for (const [key, buffer] of Object.entries(buffers)) {
      if (buffer.size < P * 4) throw new Error(`optimizer: ${key} buffer '${buffer.label}' holds ${buffer.size / 4} floats, the layout ${P}`);
    }
    const groups = groupsFor(P, WORKGROUP);
    const NPART = Math.min(groups, MAX_PARTIALS);

    this.kind = config.kind;
    const slots = STATE_SLOTS[this.kind];
    this.state = storageBuffer(device, `optimizer ${this.kind} state (${slots}, P)`, Math.max(1, slots * P));
    this.partials = storageBuffer(device, 'optimizer partial sums of g² and clamp(g)² (2, NPART)', 2 * NPART);
    this.stats = storageBuffer(device, 'optimizer stats', STATS_FIELDS.length);
    this.config = device.createBuffer({ label: 'optimizer config', size: CONFIG_FIELDS.length * 4, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.setConfig(config);

    const constants = { KIND: KIND_CODE[this.kind], P, NPART, V_AT: this.kind === 'adam' ? P : 0, WORKGROUP };
    const kernel = (entry: string) => new Kernel(device, `optimizer ${this.kind} ${entry}`, source, entry, constants);
    const partialSums = kernel('partial_sums');
    const finish = kernel('finish');
    const update = kernel('update');
    const { params, grads } = buffers;
    this.dispatches = [
      { kernel: partialSums, bindGroup: partialSums.bind('g²', { 1: grads, 3: this.partials, 5: this.config }), workgroups: NPART },
      { kernel: finish, bindGroup: finish.bind('norm', { 3: this.partials, 4: this.stats, 5: this.config }), workgroups: 1 },
      {
        kernel: update,
        bindGroup: update.bind('params', { 0: params, 1: grads, 2: this.state, 4: this.stats, 5: this.config }),
        workgroups: groups,
      },
    ];
  }

  /** Dispatches in one optimizer step. */
  get dispatchCount(): number {
    return this.dispatches.length;
  }

  /** Records one optimizer step (three dispatches) into a compute pass. */
  encode(pass: GPUComputePassEncoder): void {
    for (const { kernel, bindGroup, workgroups } of this.dispatches) kernel.encode(pass, bindGroup, workgroups);
  }

  /** New hyperparameters, used from the next submitted step on; the kind must stay the same. */
  setConfig(config: OptimizerConfig): void {
    if (config.kind !== this.kind) throw new Error(`optimizer: built for ${this.kind}, given ${config.kind} (make a new Optimizer)`);
    checkOptimizer(config);
    this.device.queue.writeBuffer(this.config, 0, packConfig(config));
  }

  /** Zeroes the moments and the stats (t = 0), as a freshly built optimizer. */
  reset(): void {
    const encoder = this.device.createCommandEncoder({ label: 'optimizer reset' });
    encoder.clearBuffer(this.state);
    encoder.clearBuffer(this.stats);
    this.device.queue.submit([encoder.finish()]);
  }

  /** Where m and v start in `state` for this kind (null: the kind has no such moment). */
  private momentAt(): { m: number | null; v: number | null } {
    const P = this.layout.total;
    return { sgd: { m: null, v: null }, momentum: { m: 0, v: null }, rmsprop: { m: null, v: 0 }, adam: { m: 0, v: P } }[this.kind];
  }

  /** A float64 copy of the moments and the step count t (waits for the GPU). */
  async readState(): Promise<OptimizerSnapshot> {
    const P = this.layout.total;
    const [state, stats] = await Promise.all([readBuffer(this.device, this.state), readBuffer(this.device, this.stats)]);
    const at = this.momentAt();
    const moment = (from: number | null) => (from === null ? new Float64Array(P) : Float64Array.from(state.subarray(from, from + P)));
    const t = new Uint32Array(stats.buffer, stats.byteOffset, stats.length)[STATS_FIELDS.findIndex((f) => f.name === 't')];
    return { kind: this.kind, t, m: moment(at.m), v: moment(at.v) };
  }

  /** Replaces the moments and the step count t (in float32); the next step goes on from them. */
  writeState(snapshot: OptimizerSnapshot): void {
    const P = this.layout.total;
    checkOptimizerSnapshot(snapshot, this.kind, P);
    const at = this.momentAt();
    const state = new Float32Array(this.state.size / 4);
    if (at.m !== null) state.set(snapshot.m, at.m);
    if (at.v !== null) state.set(snapshot.v, at.v);
    this.device.queue.writeBuffer(this.state, 0, state);
    const stats = new Uint32Array(STATS_FIELDS.length);
    stats[STATS_FIELDS.findIndex((f) => f.name === 't')] = snapshot.t;
    this.device.queue.writeBuffer(this.stats, 0, stats);
  }

  /** Frees the buffers this optimizer made (not params and grads). */
  destroy(): void {
    for (const buffer of [this.state, this.partials, this.stats, this.config]) buffer.destroy();
  }
}
