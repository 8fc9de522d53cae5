/**
 * The CPU backend: the float64 reference engine and optimizer behind TrainingBackend.
 * Parameters live in one flat array (paramLayout.ts) and the named tensors the engine
 * reads are views into it, so an optimizer step updates them in place.
 */
import { checkOptimizerSnapshot, type ExampleTrace, type GradEvaluation, type OptimizerSnapshot, type StepMetrics, type TrainingBackend } from './backend.ts';
import { batchDims, type Batch } from './batch.ts';
import { gateCount, type ModelConfig } from './model.ts';
import { checkDropout } from './dropout.ts';
import { forward, lossAndGrads, type GradResult, type RecurrentState } from './network.ts';
import { checkOptimizer, createOptimizerState, optimizerStep, type OptimizerConfig, type OptimizerState } from './optimizer.ts';
import { paramLayout, type ParamLayout } from './paramLayout.ts';
import type { Tensor, TensorMap } from './tensor.ts';

/** Trains on the CPU with the reference engine. */
export class CpuBackend implements TrainingBackend {
  readonly kind = 'cpu';
  readonly name = 'CPU';
  private readonly layout: ParamLayout;
  /** (P) every parameter; `params` holds views into it. */
  private readonly flat: Float64Array;
  private readonly params: TensorMap = new Map();
  private readonly flatGrads: Float64Array;
  private state: OptimizerState;
  private window: number | undefined;
  private stateful = false;
  private dropout = { p: 0, seed: 0, step: 0 };
  /** The state the next training step starts from, when stateful. */
  private carried: RecurrentState | undefined;
  private last: StepMetrics | null = null;

  constructor(
    private readonly config: ModelConfig,
    params: TensorMap,
    private optimizer: OptimizerConfig,
  ) {
    checkOptimizer(optimizer);
    this.layout = paramLayout(config);
    this.flat = new Float64Array(this.layout.total);
    this.flatGrads = new Float64Array(this.layout.total);
    for (const slot of this.layout.slots) {
      this.params.set(slot.name, { shape: [...slot.shape], data: this.flat.subarray(slot.offset, slot.offset + slot.size) });
    }
    this.setParams(params);
    this.state = createOptimizerState(this.layout);
  }

  async evaluate(batch: Batch): Promise<GradEvaluation> {
    return this.run(batch);
  }

  async predict(batch: Batch): Promise<Tensor> {
    return forward(this.config, this.params, batch).outputs;
  }

  async recordExample(batch: Batch, b: number): Promise<ExampleTrace[]> {
    const { B, T } = batchDims(batch);
    if (!(Number.isInteger(b) && b >= 0 && b < B)) throw new RangeError(`example ${b} is not in a batch of ${B}`);
    const H = this.config.hiddenSize;
    const GH = gateCount(this.config) * H;
    const { traces } = lossAndGrads(this.config, this.params, batch, { bpttWindow: this.window });
    /** Rows (t, b) of a (T, B, W) buffer, as (T, W). */
    const pick = (buf: Float64Array, W: number) => {
      const out = new Float64Array(T * W);
      for (let t = 0; t < T; t++) out.set(buf.subarray((t * B + b) * W, (t * B + b + 1) * W), t * W);
      return out;
    };
    return traces.map((tr) => ({
      layer: tr.layer,
      dir: tr.dir,
      gates: pick(tr.gates, GH),
      h: pick(tr.h, H),
      c: tr.c && pick(tr.c, H),
      dh: pick(tr.dh, H),
      dc: tr.dc && pick(tr.dc, H),
    }));
  }

  trainStep(batch: Batch): void {
    const { p, seed, step } = this.dropout;
    this.dropout.step++;
    const dropout = p > 0 ? { p, seed: (seed + step) >>> 0 } : undefined;
    const r = lossAndGrads(this.config, this.params, batch, { bpttWindow: this.window, initialState: this.stateful ? this.carried : undefined, dropout });
    if (this.stateful) this.carried = r.finalState;
    for (const slot of this.layout.slots) this.flatGrads.set(r.grads.get(slot.name)!.data, slot.offset);
    const report = optimizerStep(this.optimizer, this.state, this.flat, this.flatGrads);
    const { dhNorm, dcNorm } = this.evaluation(r);
    this.last = { step: this.state.t, loss: r.loss, ...report, dhNorm, dcNorm };
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
    for (const slot of this.layout.slots) this.params.get(slot.name)!.data.set(params.get(slot.name)!.data);
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

  setWindow(k: number): void {
    this.window = k;
  }

  setStateful(on: boolean): void {
    this.stateful = on;
    this.carried = undefined;
  }

  resetState(): void {
    this.carried = undefined;
  }

  setDropout(p: number, seed: number): void {
    checkDropout({ p, seed });
    this.dropout = { p, seed, step: 0 };
  }

  dispose(): void {}

  private run(batch: Batch): GradEvaluation {
    return this.evaluation(lossAndGrads(this.config, this.params, batch, { bpttWindow: this.window }));
  }

  /** The engine's result as a GradEvaluation. */
  private evaluation(r: GradResult): GradEvaluation {
    return {
      loss: r.loss,
      outputs: r.outputs,
      grads: r.grads,
      dhNorm: r.traces.map((t) => t.dhNorm),
      dcNorm: this.config.cell === 'lstm' ? r.traces.map((t) => t.dcNorm!) : null,
    };
  }
}
