/**
 * The CPU backend of the encoder-decoder: the float64 reference (seq2seq.ts) and optimizer
 * behind Seq2SeqBackend. Parameters live in one flat array (seq2seqLayout) and the named
 * tensors the engine reads are views into it, so an optimizer step updates them in place.
 */
import { checkOptimizerSnapshot, type OptimizerSnapshot, type Seq2SeqBackend, type Seq2SeqEvaluation, type StepMetrics } from './backend.ts';
import { checkOptimizer, createOptimizerState, optimizerStep, type OptimizerConfig, type OptimizerState } from './optimizer.ts';
import type { ParamLayout } from './paramLayout.ts';
import {
  checkSeq2SeqConfig,
  FREE_RUNNING,
  seq2seqForward,
  seq2seqLayout,
  seq2seqLossAndGrads,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type Seq2SeqForward,
  type TeacherForcing,
} from './seq2seq.ts';
import type { TensorMap } from './tensor.ts';

/** Trains an encoder-decoder on the CPU with the reference engine. */
export class Seq2SeqCpuBackend implements Seq2SeqBackend {
  readonly kind = 'cpu';
  readonly name = 'CPU';
  private readonly layout: ParamLayout;
  /** (P) every parameter; `params` holds views into it. */
  private readonly flat: Float64Array;
  private readonly params: TensorMap = new Map();
  private readonly flatGrads: Float64Array;
  private state: OptimizerState;
  private last: StepMetrics | null = null;

  constructor(
    private readonly config: Seq2SeqConfig,
    params: TensorMap,
    private optimizer: OptimizerConfig,
  ) {
    checkSeq2SeqConfig(config);
    checkOptimizer(optimizer);
    this.layout = seq2seqLayout(config);
    this.flat = new Float64Array(this.layout.total);
    this.flatGrads = new Float64Array(this.layout.total);
    for (const slot of this.layout.slots) {
      this.params.set(slot.name, { shape: [...slot.shape], data: this.flat.subarray(slot.offset, slot.offset + slot.size) });
    }
    this.setParams(params);
    this.state = createOptimizerState(this.layout);
  }

  async evaluate(batch: Seq2SeqBatch, tf: TeacherForcing): Promise<Seq2SeqEvaluation> {
    return seq2seqLossAndGrads(this.config, this.params, batch, tf);
  }

  async predict(batch: Seq2SeqBatch): Promise<Seq2SeqForward> {
    return seq2seqForward(this.config, this.params, batch, FREE_RUNNING);
  }

  trainStep(batch: Seq2SeqBatch, tf: TeacherForcing): void {
    const r = seq2seqLossAndGrads(this.config, this.params, batch, tf);
    for (const slot of this.layout.slots) this.flatGrads.set(r.grads.get(slot.name)!.data, slot.offset);
    const report = optimizerStep(this.optimizer, this.state, this.flat, this.flatGrads);
    this.last = { step: this.state.t, loss: r.loss, ...report, dhNorm: r.dhNorm, dcNorm: r.dcNorm, teacherForcing: tf.ratio };
  }

  latestMetrics(): StepMetrics | null {
    return this.last;
  }

  async flush(): Promise<StepMetrics | null> {
    return this.last;
  }

  async getParams(): Promise<TensorMap> {
    return new Map([...this.params].map(([name, t]) => [name, { shape: [...t.shape], data: t.data.slice() }]));
  }

  setParams(params: TensorMap): void {
    for (const slot of this.layout.slots) {
      const t = params.get(slot.name);
      if (!t || t.data.length !== slot.size) throw new Error(`parameter ${slot.name} is missing or has ${t?.data.length} values, expected ${slot.size}`);
      this.params.get(slot.name)!.data.set(t.data);
    }
  }

  setOptimizer(config: OptimizerConfig): void {
    checkOptimizer(config);
    if (config.kind !== this.optimizer.kind) throw new Error(`optimizer kind is ${this.optimizer.kind}; make a new backend for ${config.kind}`);
    this.optimizer = config;
  }

  resetOptimizer(): void {
    this.state = createOptimizerState(this.layout);
  }

  async getOptimizerState(): Promise<OptimizerSnapshot> {
    return { kind: this.optimizer.kind, t: this.state.t, m: this.state.m.slice(), v: this.state.v.slice() };
  }

  setOptimizerState(state: OptimizerSnapshot): void {
    checkOptimizerSnapshot(state, this.optimizer.kind, this.layout.total);
    this.state = { t: state.t, m: state.m.slice(), v: state.v.slice() };
  }

  dispose(): void {}
}
