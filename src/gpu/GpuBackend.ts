/**
 * The WebGPU backend: GpuNetwork and Optimizer behind TrainingBackend.
 * A training step is one command encoder, one compute pass (forward, backward, optimizer),
 * one submission. Metrics never stall the next step: when a staging buffer is free, the
 * step also copies its loss, optimizer stats and step norms into it, and `mapAsync` is
 * left to resolve on its own; `latestMetrics` returns the newest one that has.
 */
import type { ExampleTrace, GradEvaluation, OptimizerSnapshot, StepMetrics, TrainingBackend } from '../engine/backend.ts';
import type { Batch } from '../engine/batch.ts';
import type { ModelConfig } from '../engine/model.ts';
import { checkDropout } from '../engine/dropout.ts';
import type { OptimizerConfig } from '../engine/optimizer.ts';
import { unpackParams } from '../engine/paramLayout.ts';
import type { Tensor, TensorMap } from '../engine/tensor.ts';
import { readBuffer } from './buffers.ts';
import { GpuNetwork, type BatchShape } from './GpuNetwork.ts';
import { decodeStats, Optimizer, STATS_BYTES } from './Optimizer.ts';

/** Staging buffers in flight at most; a step that finds none free is not sampled. */
const RING = 3;

/** Trains on a WebGPU device. */
export class GpuBackend implements TrainingBackend {
  readonly kind = 'webgpu';
  readonly net: GpuNetwork;
  private readonly optimizer: Optimizer;
  private readonly free: GPUBuffer[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly normBytes: number;
  private last: StepMetrics | null = null;
  /** (L·D, 2, B, H) the state the next training step starts from, when stateful. */
  private readonly carried: GPUBuffer;
  private stateful = false;
  private dropout = { p: 0, seed: 0, step: 0 };
  /** Steps submitted; a metric's age is measured against it. */
  private submitted = 0;
  private newestRead = 0;

  constructor(
    private readonly device: GPUDevice,
    /** The adapter's name, shown to the user. */
    readonly name: string,
    config: ModelConfig,
    shape: BatchShape,
    params: TensorMap,
    optimizer: OptimizerConfig,
  ) {
    this.net = new GpuNetwork(device, config, shape);
    this.net.setParams(params);
    this.optimizer = new Optimizer(device, this.net.layout, optimizer, { params: this.net.params, grads: this.net.grads });
    this.normBytes = this.net.stepNorms.size;
    for (let i = 0; i < RING; i++) this.free.push(this.stagingBuffer(`metrics staging ${i}`));
    this.carried = device.createBuffer({ label: 'carried state (L*D, 2, B, H)', size: this.net.stateBytes, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  }

  async evaluate(batch: Batch): Promise<GradEvaluation> {
    this.net.setDropout(null);
    this.net.setBatch(batch);
    this.net.run();
    return this.net.read();
  }

  async predict(batch: Batch): Promise<Tensor> {
    this.net.setDropout(null);
    this.net.setBatch(batch);
    this.net.run(true);
    return this.net.readOutputs();
  }

  async recordExample(batch: Batch, b: number): Promise<ExampleTrace[]> {
    this.net.setDropout(null);
    this.net.setBatch(batch);
    this.net.run();
    return this.net.recordExample(b);
  }

  trainStep(batch: Batch): void {
    const { p, seed, step: n } = this.dropout;
    this.dropout.step++;
    this.net.setDropout(p > 0 ? { p, seed: (seed + n) >>> 0 } : null);
    this.net.setBatch(batch);
    const encoder = this.device.createCommandEncoder({ label: 'train step' });
    this.net.encodeLoadState(encoder, this.stateful ? this.carried : null);
    const pass = encoder.beginComputePass({ label: 'forward + backward + optimizer' });
    this.net.encode(pass);
    this.optimizer.encode(pass);
    pass.end();
    if (this.stateful) this.net.encodeSaveState(encoder, this.carried);
    const staging = this.free.pop();
    if (staging) this.encodeMetricsCopy(encoder, staging);
    this.device.queue.submit([encoder.finish()]);
    const step = ++this.submitted;
    if (staging) void this.collect(staging, step);
  }

  /** Dispatches in one training step (all in one pass, one submission). */
  get dispatchesPerStep(): number {
    return this.net.dispatchCount + this.optimizer.dispatchCount;
  }

  latestMetrics(): StepMetrics | null {
    return this.last;
  }

  async flush(): Promise<StepMetrics | null> {
    await this.device.queue.onSubmittedWorkDone();
    await Promise.all(this.pending);
    if (this.submitted === 0 || this.newestRead === this.submitted) return this.last;
    // The last step was not sampled: read its metrics now (the GPU is idle, so this is cheap).
    const staging = this.stagingBuffer('final metrics staging');
    const encoder = this.device.createCommandEncoder({ label: 'final metrics' });
    this.encodeMetricsCopy(encoder, staging);
    this.device.queue.submit([encoder.finish()]);
    await this.collect(staging, this.submitted, false);
    return this.last;
  }

  async getParams(): Promise<TensorMap> {
    return unpackParams(this.net.layout, await readBuffer(this.device, this.net.params));
  }

  setParams(params: TensorMap): void {
    this.net.setParams(params);
  }

  setOptimizer(config: OptimizerConfig): void {
    if (config.kind !== this.optimizer.kind) throw new Error(`optimizer kind is ${this.optimizer.kind}; make a new backend for ${config.kind}`);
    this.optimizer.setConfig(config);
  }

  resetOptimizer(): void {
    this.optimizer.reset();
  }

  getOptimizerState(): Promise<OptimizerSnapshot> {
    return this.optimizer.readState();
  }

  setOptimizerState(state: OptimizerSnapshot): void {
    this.optimizer.writeState(state);
  }

  setWindow(k: number): void {
    this.net.setWindow(k);
  }

  setStateful(on: boolean): void {
    this.stateful = on;
    this.resetState();
  }

  setDropout(p: number, seed: number): void {
    checkDropout({ p, seed });
    this.dropout = { p, seed, step: 0 };
  }

  resetState(): void {
    const encoder = this.device.createCommandEncoder({ label: 'reset state' });
    encoder.clearBuffer(this.carried);
    this.device.queue.submit([encoder.finish()]);
  }

  dispose(): void {
    this.net.destroy();
    this.optimizer.destroy();
    for (const b of this.free) b.destroy();
    this.carried.destroy();
  }

  /** Copies loss, optimizer stats and step norms into a staging buffer, in that order. */
  private encodeMetricsCopy(encoder: GPUCommandEncoder, staging: GPUBuffer): void {
    encoder.copyBufferToBuffer(this.net.loss, 0, staging, 0, 4);
    encoder.copyBufferToBuffer(this.optimizer.stats, 0, staging, 4, STATS_BYTES);
    encoder.copyBufferToBuffer(this.net.stepNorms, 0, staging, 4 + STATS_BYTES, this.normBytes);
  }

  /** A mappable buffer for one step's loss, stats and step norms. */
  private stagingBuffer(label: string): GPUBuffer {
    return this.device.createBuffer({ label, size: 4 + STATS_BYTES + this.normBytes, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  }

  /** Maps a staging buffer when the GPU is done with it, decodes it, and returns it to the pool (or frees it). */
  private collect(staging: GPUBuffer, step: number, recycle = true): Promise<void> {
    const done = staging.mapAsync(GPUMapMode.READ).then(
      () => {
        const bytes = staging.getMappedRange();
        if (step > this.newestRead) {
          this.newestRead = step;
          const stats = decodeStats(new Float32Array(bytes, 4, STATS_BYTES / 4));
          const { dhNorm, dcNorm } = this.net.decodeStepNorms(new Float32Array(bytes, 4 + STATS_BYTES, this.normBytes / 4));
          this.last = { step: stats.t, loss: new Float32Array(bytes, 0, 1)[0], gradNorm: stats.gradNorm, clippedNorm: stats.clippedNorm, skipped: stats.skipped, dhNorm, dcNorm };
        }
        staging.unmap();
        if (recycle) this.free.push(staging);
        else staging.destroy();
      },
      () => staging.destroy(), // device lost: the buffer is gone with it
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return done;
  }
}
