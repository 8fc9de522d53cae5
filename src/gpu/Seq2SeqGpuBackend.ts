/**
 * The encoder-decoder (src/engine/seq2seq.ts) on WebGPU: two GpuNetworks, the encoder (headless,
 * seeded with dL/d(final state)) and the decoder (weighted loss over the real target positions,
 * dL/d(initial state), free-running decode), sharing one parameter and one gradient buffer laid
 * out by seq2seqLayout, so one Optimizer (and one global norm) serves both. A training step is one
 * command encoder, one submission:
 *   pass 1   encoder forward                                  (S steps)
 *   copy     encoder final state -> decoder initial state     (the hand-over)
 *   pass 2   decoder: step-by-step decode when r < 1 (picks the inputs), then forward and backward
 *            on those inputs, then dL/d(initial state)
 *   copy     decoder dL/d(initial state) -> encoder's seed
 *   pass 3   encoder backward, optimizer
 * With r = 1 (teacher forcing) the decode is skipped: every input is known up front.
 */
import type { OptimizerSnapshot, Seq2SeqBackend, Seq2SeqEvaluation, StepMetrics } from '../engine/backend.ts';
import type { OptimizerConfig } from '../engine/optimizer.ts';
import { unpackParams, packParams, type ParamLayout } from '../engine/paramLayout.ts';
import {
  checkSeq2SeqConfig,
  checkTeacherForcing,
  FREE_RUNNING,
  forcingThreshold,
  seq2seqLayout,
  stackConfig,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type Seq2SeqForward,
  type TeacherForcing,
} from '../engine/seq2seq.ts';
import type { Tensor, TensorMap } from '../engine/tensor.ts';
import { readBuffer, storageBuffer } from './buffers.ts';
import { GpuNetwork } from './GpuNetwork.ts';
import { decodeStats, Optimizer, STATS_BYTES } from './Optimizer.ts';

/** The batch shape an encoder-decoder backend is built for: B examples, S source steps, U decoder steps. */
export interface Seq2SeqShape {
  B: number;
  S: number;
  U: number;
}

/** Staging buffers in flight at most; a step that finds none free is not sampled. */
const RING = 3;
/** Every coin picks the true symbol at or above this threshold (r = 1). */
const ALWAYS = 1 << 24;

/** Trains an encoder-decoder on a WebGPU device. */
export class Seq2SeqGpuBackend implements Seq2SeqBackend {
  readonly kind = 'webgpu';
  readonly layout: ParamLayout;
  readonly encoder: GpuNetwork;
  readonly decoder: GpuNetwork;
  /** (P) every parameter, and dL/d(each), laid out by seq2seqLayout. */
  private readonly params: GPUBuffer;
  private readonly grads: GPUBuffer;
  /** (L, 2, B, H) the encoder's final state, handed to the decoder. */
  private readonly handOver: GPUBuffer;
  private readonly optimizer: Optimizer;
  private readonly free: GPUBuffer[] = [];
  private readonly pending = new Set<Promise<void>>();
  private last: StepMetrics | null = null;
  private submitted = 0;
  private newestRead = 0;
  /** The teacher-forcing ratio of each submitted step, by step number, until its metrics are read. */
  private readonly ratios = new Map<number, number>();

  constructor(
    private readonly device: GPUDevice,
    /** The adapter's name, shown to the user. */
    readonly name: string,
    private readonly config: Seq2SeqConfig,
    readonly shape: Seq2SeqShape,
    params: TensorMap,
    optimizer: OptimizerConfig,
  ) {
    checkSeq2SeqConfig(config);
    const { B, S, U } = shape;
    this.layout = seq2seqLayout(config);
    this.params = storageBuffer(device, 'seq2seq params (P)', this.layout.total);
    this.grads = storageBuffer(device, 'seq2seq grads (P)', this.layout.total);
    const stack = stackConfig(config);
    const shared = (prefix: string) => ({ layout: this.layout, prefix, params: this.params, grads: this.grads });
    this.encoder = new GpuNetwork(device, stack, { B, T: S, loss: 'cross_entropy', outputMode: 'sequence' }, { shared: shared('encoder'), headless: true, seeded: true });
    this.decoder = new GpuNetwork(device, stack, { B, T: U, loss: 'cross_entropy', outputMode: 'sequence' }, { shared: shared('decoder'), weightedLoss: true, initialStateGrad: true, freeRunning: true });
    this.handOver = device.createBuffer({ label: 'hand-over state (L, 2, B, H)', size: this.encoder.stateBytes, usage: GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    this.setParams(params);
    this.optimizer = new Optimizer(device, this.layout, optimizer, { params: this.params, grads: this.grads });
    for (let i = 0; i < RING; i++) this.free.push(this.stagingBuffer(`metrics staging ${i}`));
  }

  async evaluate(batch: Seq2SeqBatch, tf: TeacherForcing): Promise<Seq2SeqEvaluation> {
    this.submit(batch, tf, 'backward');
    const out = await this.readForward();
    const grads = unpackParams(this.layout, await readBuffer(this.device, this.grads));
    const norms = [this.encoder, this.decoder].map(async (net) => net.decodeStepNorms(await readBuffer(this.device, net.stepNorms)));
    const [enc, dec] = await Promise.all(norms);
    const dcNorm = enc.dcNorm && dec.dcNorm ? [...enc.dcNorm, ...dec.dcNorm] : null;
    return { ...out, grads, dhNorm: [...enc.dhNorm, ...dec.dhNorm], dcNorm };
  }

  async predict(batch: Seq2SeqBatch): Promise<Seq2SeqForward> {
    this.submit(batch, FREE_RUNNING, 'forward');
    return this.readForward();
  }

  trainStep(batch: Seq2SeqBatch, tf: TeacherForcing): void {
    const encoder = this.submit(batch, tf, 'train', false);
    const staging = this.free.pop();
    if (staging) this.encodeMetricsCopy(encoder, staging);
    this.device.queue.submit([encoder.finish()]);
    const step = ++this.submitted;
    this.ratios.set(step, tf.ratio);
    if (staging) void this.collect(staging, step);
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
    return unpackParams(this.layout, await readBuffer(this.device, this.params));
  }

  setParams(params: TensorMap): void {
    for (const slot of this.layout.slots) {
      const t = params.get(slot.name);
      if (!t || t.data.length !== slot.size) throw new Error(`parameter ${slot.name} is missing or has ${t?.data.length} values, expected ${slot.size}`);
    }
    this.device.queue.writeBuffer(this.params, 0, packParams(this.layout, params));
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

  dispose(): void {
    this.encoder.destroy();
    this.decoder.destroy();
    this.optimizer.destroy();
    for (const b of [...this.free, this.params, this.grads, this.handOver]) b.destroy();
  }

  /**
   * Uploads a batch and records a pass through both networks: `forward` (loss and logits),
   * `backward` (and every gradient) or `train` (and the optimizer). Submits unless told not to;
   * returns the command encoder either way (finished when submitted).
   */
  private submit(batch: Seq2SeqBatch, tf: TeacherForcing, upTo: 'forward' | 'backward' | 'train', now = true): GPUCommandEncoder {
    checkTeacherForcing(tf);
    this.upload(batch, tf);
    const threshold = forcingThreshold(tf.ratio);
    const encoder = this.device.createCommandEncoder({ label: `seq2seq ${upTo}` });
    this.encoder.encodeLoadState(encoder, null);
    let pass = encoder.beginComputePass({ label: 'encoder forward' });
    this.encoder.encodeForward(pass);
    pass.end();
    this.encoder.encodeSaveState(encoder, this.handOver);
    this.decoder.encodeLoadState(encoder, this.handOver);
    pass = encoder.beginComputePass({ label: upTo === 'forward' ? 'decoder forward' : 'decoder forward + backward' });
    if (threshold < ALWAYS) this.decoder.encodeDecode(pass);
    this.decoder.encodeForward(pass);
    if (upTo !== 'forward') this.decoder.encodeBackward(pass);
    pass.end();
    if (upTo !== 'forward') {
      this.decoder.encodeStateGradTo(encoder, this.encoder);
      pass = encoder.beginComputePass({ label: upTo === 'train' ? 'encoder backward + optimizer' : 'encoder backward' });
      this.encoder.encodeBackward(pass);
      if (upTo === 'train') this.optimizer.encode(pass);
      pass.end();
    }
    if (now) this.device.queue.submit([encoder.finish()]);
    return encoder;
  }

  /** Writes a batch into both networks: one-hot source and decoder inputs, targets, row weights, coins. */
  private upload(batch: Seq2SeqBatch, tf: TeacherForcing): void {
    const { B, S, U } = this.shape;
    const [Bs, Ss] = batch.source.shape;
    const [Bt, Ut] = batch.targets.shape;
    if (Bs !== B || Ss !== S || Bt !== B || Ut !== U) throw new Error(`batch is source (${Bs}, ${Ss}), target (${Bt}, ${Ut}); this backend was built for B=${B}, S=${S}, U=${U}`);
    const V = this.config.vocabSize;
    const oneHot = (tokens: Int32Array, T: number): Tensor => {
      const data = new Float64Array(B * T * V);
      tokens.forEach((k, n) => (data[n * V + k] = 1));
      return { shape: [B, T, V], data };
    };
    const classes = (tokens: Int32Array, T: number): Tensor => ({ shape: [B, T], data: Float64Array.from(tokens) });
    this.encoder.setBatch({ inputs: oneHot(batch.source.data, S), targets: classes(batch.source.data, S), loss: 'cross_entropy', outputMode: 'sequence' });
    this.decoder.setBatch({ inputs: oneHot(batch.decoderInputs.data, U), targets: classes(batch.targets.data, U), loss: 'cross_entropy', outputMode: 'sequence' });
    this.decoder.setTeacherInputs(batch.decoderInputs.data);
    this.decoder.setCoins(forcingThreshold(tf.ratio), tf.seed, tf.step);
    // The mean over real positions: 1 / Σ lengths on rows (u, b) with u < length_b, 0 on padding (time-major rows).
    let N = 0;
    for (const n of batch.targetLengths) N += n;
    const weights = new Float32Array(U * B);
    for (let b = 0; b < B; b++) for (let u = 0; u < batch.targetLengths[b]; u++) weights[u * B + b] = 1 / N;
    this.decoder.setRowWeights(weights);
  }

  /** The last pass's loss, logits (B, U, V), realized inputs and greedy predictions (waits for the GPU). */
  private async readForward(): Promise<Seq2SeqForward> {
    const { B, U } = this.shape;
    const V = this.config.vocabSize;
    const logits = await this.decoder.readOutputs();
    const predictions = new Int32Array(B * U);
    for (let n = 0; n < B * U; n++) {
      let best = 0;
      for (let k = 1; k < V; k++) if (logits.data[n * V + k] > logits.data[n * V + best]) best = k;
      predictions[n] = best;
    }
    const loss = (await readBuffer(this.device, this.decoder.loss))[0];
    return { loss, logits, inputs: { shape: [B, U], data: await this.decoder.readRealized() }, predictions: { shape: [B, U], data: predictions } };
  }

  /** Copies the loss, the optimizer's stats and both networks' step norms into a staging buffer, in that order. */
  private encodeMetricsCopy(encoder: GPUCommandEncoder, staging: GPUBuffer): void {
    encoder.copyBufferToBuffer(this.decoder.loss, 0, staging, 0, 4);
    encoder.copyBufferToBuffer(this.optimizer.stats, 0, staging, 4, STATS_BYTES);
    encoder.copyBufferToBuffer(this.encoder.stepNorms, 0, staging, 4 + STATS_BYTES, this.encoder.stepNorms.size);
    encoder.copyBufferToBuffer(this.decoder.stepNorms, 0, staging, 4 + STATS_BYTES + this.encoder.stepNorms.size, this.decoder.stepNorms.size);
  }

  /** A mappable buffer for one step's loss, stats and step norms. */
  private stagingBuffer(label: string): GPUBuffer {
    const size = 4 + STATS_BYTES + this.encoder.stepNorms.size + this.decoder.stepNorms.size;
    return this.device.createBuffer({ label, size, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
  }

  /** Maps a staging buffer when the GPU is done with it, decodes it, and returns it to the pool (or frees it). */
  private collect(staging: GPUBuffer, step: number, recycle = true): Promise<void> {
    const done = staging.mapAsync(GPUMapMode.READ).then(
      () => {
        const bytes = staging.getMappedRange();
        if (step > this.newestRead) {
          this.newestRead = step;
          const stats = decodeStats(new Float32Array(bytes, 4, STATS_BYTES / 4));
          const encBytes = this.encoder.stepNorms.size;
          const enc = this.encoder.decodeStepNorms(new Float32Array(bytes, 4 + STATS_BYTES, encBytes / 4));
          const dec = this.decoder.decodeStepNorms(new Float32Array(bytes, 4 + STATS_BYTES + encBytes, this.decoder.stepNorms.size / 4));
          const dcNorm = enc.dcNorm && dec.dcNorm ? [...enc.dcNorm, ...dec.dcNorm] : null;
          const teacherForcing = this.ratios.get(step);
          for (const s of this.ratios.keys()) if (s <= step) this.ratios.delete(s);
          this.last = { step: stats.t, loss: new Float32Array(bytes, 0, 1)[0], gradNorm: stats.gradNorm, clippedNorm: stats.clippedNorm, skipped: stats.skipped, dhNorm: [...enc.dhNorm, ...dec.dhNorm], dcNorm, teacherForcing };
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
