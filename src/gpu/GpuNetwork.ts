/**
 * The network of src/engine/network.ts on WebGPU, in float32, for one batch shape.
 * Every buffer is time-major; a forward and backward pass is one command encoder,
 * one compute pass, one submission. Per (layer, direction):
 *   xp = X · W_ihᵀ + b_ih                  one matmul over all T·B rows
 *   T recurrent forward steps              one fused dispatch each (shaders/recurrent.wgsl)
 *   T recurrent backward steps             one fused dispatch each, reverse processing order
 *   dW_ih = dxpᵀ X, dW_hh = dhpᵀ H_prev    one matmul each over all steps
 *   db_ih, db_hh                           one column sum each
 *   dX (+)= dxp · W_ih                     one matmul, handed to the layer below
 * The head and the loss read rows (t, b) of the top layer; `last` reads only t = T-1.
 *
 * As one stack of an encoder-decoder (StackOptions, used by Seq2SeqGpuBackend.ts) a network reads
 * its tensors from shared parameter and gradient buffers, and may be headless (the encoder), take
 * dL/d(final state) at its last step (the encoder), compute dL/d(initial state) (the decoder),
 * weight its cross-entropy per row (the decoder's mean over real target positions), and decode
 * free running: per step, every layer's step, the head, then shaders/decode.wgsl picking the next
 * input (the decoder; one-hot inputs, no dropout).
 */
import type { ExampleTrace, GradEvaluation } from '../engine/backend.ts';
import { checkDropout, dropThreshold, type Dropout } from '../engine/dropout.ts';
import { batchDims, type Batch } from '../engine/batch.ts';
import { cellSpec } from '../engine/cells.ts';
import { directions, gateCount, layerSuffix, peepholeGates, type LossKind, type ModelConfig, type OutputMode } from '../engine/model.ts';
import { packParams, paramLayout, unpackParams, type ParamLayout } from '../engine/paramLayout.ts';
import type { Tensor, TensorMap } from '../engine/tensor.ts';
import diagnosticsSource from '../../shaders/diagnostics.wgsl?raw';
import dropoutSource from '../../shaders/dropout.wgsl?raw';
import embeddingSource from '../../shaders/embedding.wgsl?raw';
import feedbackSource from '../../shaders/feedback.wgsl?raw';
import lossSource from '../../shaders/loss.wgsl?raw';
import recurrentSource from '../../shaders/recurrent.wgsl?raw';
import decodeSource from '../../shaders/decode.wgsl?raw';
import { readBuffer, storageBuffer } from './buffers.ts';
import { groupsFor, Kernel } from './Kernel.ts';
import { networkBufferSizes } from './limits.ts';
import { Matmul, type MatmulBinding, type MatmulSpec } from './Matmul.ts';
import { ReduceRows, type ReduceRowsBinding } from './ReduceRows.ts';

/** The batch shape a GpuNetwork is built for. */
export interface BatchShape {
  B: number;
  T: number;
  loss: LossKind;
  outputMode: OutputMode;
}

/** How a network serves as one stack of an encoder-decoder. */
export interface StackOptions {
  /** Parameters and gradients in buffers laid out by `layout`, where this network's `rnn.*` tensors are `${prefix}.*` (head.* keep their names). */
  shared: { layout: ParamLayout; prefix: string; params: GPUBuffer; grads: GPUBuffer };
  /** No head and no loss: backward starts from a zero gradient at the top (the encoder). */
  headless?: boolean;
  /** The last processed step adds dL/d(final state), copied in by another network's `encodeStateGradTo` (the encoder). */
  seeded?: boolean;
  /** After backward, compute dL/d(initial state) for `encodeStateGradTo` (the decoder). */
  initialStateGrad?: boolean;
  /** Cross-entropy weighted per row (setRowWeights) instead of the mean over rows (the decoder). */
  weightedLoss?: boolean;
  /** Record the free-running decode ops (the decoder: one-hot input, sequence output, no dropout). */
  freeRunning?: boolean;
}

/** Buffers of one (layer, direction). */
interface DirBuffers {
  xp: GPUBuffer; // (T, B, G*H)
  hAll: GPUBuffer; // (T+1, B, H) by slot
  cAll: GPUBuffer; // (T+1, B, H) by slot, lstm
  gates: GPUBuffer; // (T, B, G*H)
  hpN: GPUBuffer; // (T, B, H) gru
  dstate: GPUBuffer; // (2, T, B, H) [dh; dc (lstm)], then for stacks (4, B, H) [seed dh; seed dc; initial dh; initial dc]
  dpre: GPUBuffer; // (2, T, B, G*H) [dxp; dhp]
  steps: GPUBuffer; // T Step uniforms, 256 bytes apart
}

const CELL_CODE = { rnn_tanh: 0, rnn_relu: 1, lstm: 2, gru: 3 } as const;
const UNIFORM_STRIDE = 256; // minUniformBufferOffsetAlignment
/** Examples each recurrent-step invocation handles (EX in recurrent.wgsl). */
const EXAMPLES_PER_INVOCATION = 4;

/** One recorded dispatch. */
type Op = (pass: GPUComputePassEncoder) => void;

/** A model on the GPU for one batch shape: parameters, gradients, activations and the recorded passes. */
export class GpuNetwork {
  /** Where each tensor sits in the flat parameter and gradient buffers. */
  readonly layout: ParamLayout;
  /** (P) every parameter, flat (see src/engine/paramLayout.ts). */
  readonly params: GPUBuffer;
  /** (P) dL/d(every parameter), same layout; the padding stays zero. */
  readonly grads: GPUBuffer;
  /** (L*D, 2, T) per (layer, direction): ‖dL/dh_t‖ and ‖dL/dc_t‖ over the batch, written by every backward. */
  readonly stepNorms: GPUBuffer;
  /** (1) the loss of the last pass. */
  readonly loss: GPUBuffer;
  /** Dispatches recorded for one forward + backward pass, one dispatch each; the forward ones first. */
  readonly ops: Op[] = [];
  /** How many of `ops` are the forward pass (through the loss). */
  private readonly forwardOpCount: number;
  private readonly dirs: DirBuffers[] = [];
  private readonly x0: GPUBuffer; // (T, B, I)
  private readonly tokens: GPUBuffer | null; // (T, B) u32
  private readonly targets: GPUBuffer; // (N, O) or (N)
  private readonly y: GPUBuffer; // (N, O)
  private readonly N: number;
  /** Dropout uniform: seed, threshold, scale, on (0 until setDropout). */
  private readonly dropoutUniform: GPUBuffer;
  /** Free running: dispatches of one decode (every step's layers, head, and pick), then `forwardOpCount` forward ops. */
  private readonly decodeOps: Op[] = [];
  /** Free running: (T, B) u32 teacher-forced inputs, (T, B) u32 realized inputs, and T Coin uniforms 256 bytes apart. */
  private readonly decode: { teacher: GPUBuffer; realized: GPUBuffer; coins: GPUBuffer } | null = null;
  /** Weighted loss: (N) row weights. */
  private readonly rowWeights: GPUBuffer | null = null;

  constructor(
    private readonly device: GPUDevice,
    readonly config: ModelConfig,
    readonly shape: BatchShape,
    stack?: StackOptions,
  ) {
    const { B, T } = shape;
    const H = config.hiddenSize;
    const G = gateCount(config);
    const GH = G * H;
    const D = directions(config);
    const DH = D * H;
    const O = config.outputSize;
    const I = config.inputSize;
    const TB = T * B;
    const lstm = config.cell === 'lstm';
    const gateRows = cellSpec(config).rows;
    const jordan = config.outputFeedback ?? null; // one layer, one direction, sequence output
    const hasWhh = jordan?.recurrent ?? true;
    if (jordan && (config.numLayers !== 1 || D !== 1 || shape.outputMode !== 'sequence' || config.embedding)) {
      throw new Error('output feedback needs one layer, unidirectional, sequence output, no embedding');
    }
    const peeps = peepholeGates(config);
    const buf = (label: string, n: number) => this.own(storageBuffer(device, label, n));
    const matmul = (spec: Omit<MatmulSpec, 'accumulate' | 'bias'> & Partial<MatmulSpec>) =>
      this.own(new Matmul(device, { accumulate: false, bias: false, ...spec }));
    /** Records a matmul or a column sum into a list of ops. */
    const run = (list: Op[], m: Matmul | ReduceRows, b: MatmulBinding | ReduceRowsBinding) =>
      list.push((pass) => (m instanceof Matmul ? m.encode(pass, b as MatmulBinding) : m.encode(pass, b as ReduceRowsBinding)));

    const size = networkBufferSizes(config, shape);
    const shared = stack?.shared;
    if (stack?.freeRunning && (config.embedding || jordan || shape.outputMode !== 'sequence' || D !== 1)) {
      throw new Error('free-running decoding needs one-hot input, no output feedback, sequence output, one direction');
    }
    this.layout = shared ? shared.layout : paramLayout(config);
    this.params = shared ? shared.params : buf('params (P)', size.once.params);
    this.grads = shared ? shared.grads : buf('grads (P)', size.once.grads);
    this.stepNorms = buf('step norms (L*D, 2, T)', size.once.stepNorms);
    const slots = new Map(this.layout.slots.map((s) => [s.name, s]));
    /** A tensor's slot: `rnn.*` live under the stack's prefix in shared buffers. */
    const slot = (name: string) => {
      const key = shared && name.startsWith('rnn.') ? `${shared.prefix}.${name.slice(4)}` : name;
      const found = slots.get(key);
      if (!found) throw new Error(`parameter ${key} is not in the layout`);
      return found;
    };
    /** Element offset of a tensor in the flat buffers. */
    const at = (name: string) => slot(name).offset;
    /** A tensor's window of a flat buffer, for kernels that bind it whole. */
    const view = (buffer: GPUBuffer, name: string): GPUBufferBinding => ({ buffer, offset: at(name) * 4, size: slot(name).size * 4 });
    const p = (name: string) => view(this.params, name);

    this.N = shape.outputMode === 'last' ? B : TB;
    this.x0 = buf('x0 (T, B, I)', size.once.x0);
    this.tokens = config.embedding
      ? this.own(device.createBuffer({ label: 'tokens (T, B) u32', size: TB * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST }))
      : null;
    this.targets = buf(`targets ${shape.loss === 'mse' ? '(N, O)' : '(N) class'}`, size.once.targets);
    this.y = buf('y (N, O)', size.once.y);
    this.loss = buf('loss (1)', size.once.loss);
    const dy = buf('dy (N, O)', size.once.dy);
    const lossRow = buf('loss per row (N)', size.once.lossRow);
    // Jordan feedback: fb_{t-1} by slot, dL/dfb_t of one step, and dL/dy with the feedback path added.
    const fb = jordan && buf('feedback (T+1, B, O)', size.once.feedback);
    const dfb = jordan && buf('d feedback (B, O)', size.once.dFeedback);
    const dyTotal = jordan ? buf('dy total (T, B, O)', size.once.dyTotal) : dy;
    const fbConstants = { B, O, LOSS: shape.loss === 'mse' ? 0 : 1, FORCED: Number(jordan?.teacherForcing ?? false) };
    const fbForward = jordan && new Kernel(device, 'feedback forward', feedbackSource, 'feedback_forward', fbConstants);
    const fbBackward = jordan && new Kernel(device, 'feedback backward', feedbackSource, 'feedback_backward', fbConstants);

    this.dropoutUniform = this.own(device.createBuffer({ label: 'dropout', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
    const forwardOps: Op[] = [];
    const backwardOps: Op[][] = []; // per layer, run top-down
    const dX0 = config.embedding ? buf('dx0 (T, B, I)', size.once.dx0) : null;
    if (this.tokens) {
      const gather = new Kernel(device, 'embedding gather', embeddingSource, 'gather', { NT: TB, V: config.embedding!.vocabSize, I });
      const bg = gather.bind('x0', { 0: this.tokens, 1: p('embedding.weight'), 2: this.x0 });
      forwardOps.push((pass) => gather.encode(pass, bg, groupsFor(TB * I)));
    }

    let input = this.x0;
    let dInput: GPUBuffer | null = dX0; // gradient of this layer's input, if anyone needs it
    const layerOuts: GPUBuffer[] = [];
    const layerDOuts: GPUBuffer[] = [];
    // Free running: per layer, each step's input projection (B rows) and recurrent step, in step order.
    const decodeSteps: Op[][][] = [];
    const stateTail = stack && (stack.seeded || stack.initialStateGrad) ? 4 * B * H : 0;
    for (let l = 0; l < config.numLayers; l++) {
      const inSize = l === 0 ? I : DH;
      const out = buf(`layer ${l} out (T, B, D*H)`, size.perLayer.out);
      const dOut = buf(`layer ${l} d_out (T, B, D*H)`, size.perLayer.dOut);
      const ops: Op[] = [];
      // Dropout on this layer's output (not the top layer's), and on the gradient reaching it first thing in backward.
      const drop = l < config.numLayers - 1 ? new Kernel(device, `dropout after layer ${l}`, dropoutSource, 'main', { N: TB * DH, LAYER: l }) : null;
      if (drop) {
        const bg = drop.bind('gradient', { 0: dOut, 1: this.dropoutUniform });
        ops.push((pass) => drop.encode(pass, bg, groupsFor(TB * DH)));
      }
      for (let d = 0; d < D; d++) {
        const s = layerSuffix(l, d);
        const name = `${config.cell} ${s}`;
        const db: DirBuffers = {
          xp: buf(`${name} xp (T, B, G*H)`, size.perDir.xp),
          hAll: buf(`${name} h (T+1, B, H)`, size.perDir.hAll),
          cAll: buf(`${name} c (T+1, B, H)`, size.perDir.cAll),
          gates: buf(`${name} gates (T, B, G*H)`, size.perDir.gates),
          hpN: buf(`${name} hp_n (T, B, H)`, size.perDir.hpN),
          dstate: buf(`${name} [dh; dc] (2, T, B, H)${stateTail ? ' + (4, B, H)' : ''}`, size.perDir.dstate + stateTail),
          dpre: buf(`${name} [dxp; dhp] (2, T, B, G*H)`, size.perDir.dpre),
          steps: this.own(device.createBuffer({ label: `${name} steps`, size: T * UNIFORM_STRIDE, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST })),
        };
        this.dirs.push(db);
        const peepAt = (g: 'i' | 'f' | 'o') => (peeps.includes(g) ? at(`rnn.weight_peephole_${g}_${s}`) : 0);
        const constants = {
          CELL: CELL_CODE[config.cell], B, H, G, DH, DCOL: d * H, TB, T, DIR: d,
          HAS_WHH: Number(hasWhh), W_HH_AT: hasWhh ? at(`rnn.weight_hh_${s}`) : 0, B_HH_AT: hasWhh ? at(`rnn.bias_hh_${s}`) : 0,
          ROW_I: gateRows.i, ROW_F: gateRows.f, ROW_G: gateRows.g, ROW_O: gateRows.o,
          PEEP: Number(peeps.length > 0), PEEP_I_AT: peepAt('i'), PEEP_F_AT: peepAt('f'), PEEP_O_AT: peepAt('o'),
          SEEDED: Number(stack?.seeded ?? false),
        };
        const fwd = new Kernel(device, `${name} forward step`, recurrentSource, 'forward_step', constants);
        const bwd = new Kernel(device, `${name} backward step`, recurrentSource, 'backward_step', constants);
        const step = (p: number): GPUBufferBinding => ({ buffer: db.steps, offset: p * UNIFORM_STRIDE, size: 20 });

        // Forward: the input projection for every step, then the serial chain.
        const xpMm = matmul({ M: TB, N: GH, K: inSize, transB: true, transA: false, bias: true });
        const xpB = xpMm.bind({ a: input, b: this.params, c: db.xp, bias: this.params }, { b: at(`rnn.weight_ih_${s}`), bias: at(`rnn.bias_ih_${s}`) });
        forwardOps.push((pass) => xpMm.encode(pass, xpB));
        const xpStep = stack?.freeRunning ? matmul({ M: B, N: GH, K: inSize, transB: true, transA: false, bias: true }) : null;
        const layerSteps: Op[][] = [];
        // Jordan: xp_t += W_hy fb_{t-1} before each step; the head and fb_t right after it.
        const feedIn = jordan && matmul({ M: B, N: GH, K: O, transA: false, transB: true, accumulate: true });
        const headStep = jordan && matmul({ M: B, N: O, K: H, transA: false, transB: true, bias: true });
        for (let q = 0; q < T; q++) {
          if (feedIn && q > 0) {
            const b = feedIn.bind({ a: fb!, b: this.params, c: db.xp }, { a: q * B * O, b: at('rnn.weight_hy_l0'), c: q * B * GH });
            forwardOps.push((pass) => feedIn.encode(pass, b));
          }
          const bg = fwd.bind(`step ${q}`, {
            0: this.params, 2: db.xp, 3: step(q),
            4: db.hAll, 5: db.cAll, 6: db.gates, 7: db.hpN, 8: out,
          });
          forwardOps.push((pass) => fwd.encode(pass, bg, groupsFor(Math.ceil(B / EXAMPLES_PER_INVOCATION) * H)));
          if (xpStep) {
            const xb = xpStep.bind({ a: input, b: this.params, c: db.xp, bias: this.params }, { a: q * B * inSize, b: at(`rnn.weight_ih_${s}`), c: q * B * GH, bias: at(`rnn.bias_ih_${s}`) });
            layerSteps.push([(pass) => xpStep.encode(pass, xb), (pass) => fwd.encode(pass, bg, groupsFor(Math.ceil(B / EXAMPLES_PER_INVOCATION) * H))]);
          }
          if (headStep && fbForward && q < T - 1) {
            const hb = headStep.bind({ a: out, b: this.params, c: this.y, bias: this.params }, { a: q * B * H, b: at('head.weight'), c: q * B * O, bias: at('head.bias') });
            const fbg = fbForward.bind(`step ${q}`, { 0: this.y, 1: this.targets, 2: fb!, 3: step(q) });
            forwardOps.push((pass) => headStep.encode(pass, hb), (pass) => fbForward.encode(pass, fbg, groupsFor(B)));
          }
        }

        // Backward: the chain in reverse processing order, then weight gradients over all steps.
        // Jordan: before each step, dL/dy_t gains the feedback path and becomes dL/dh_t's head part.
        const dfbMm = jordan && matmul({ M: B, N: O, K: GH, transA: false, transB: false });
        const dOutStep = jordan && matmul({ M: B, N: H, K: O, transA: false, transB: false });
        for (let q = T - 1; q >= 0; q--) {
          if (dfbMm && dOutStep && fbBackward) {
            if (q < T - 1) {
              const b = dfbMm.bind({ a: db.dpre, b: this.params, c: dfb! }, { a: (q + 1) * B * GH, b: at('rnn.weight_hy_l0') });
              ops.push((pass) => dfbMm.encode(pass, b));
            }
            const fbg = fbBackward.bind(`step ${q}`, { 2: fb!, 3: step(q), 4: dy, 5: dfb!, 6: dyTotal });
            const ob = dOutStep.bind({ a: dyTotal, b: this.params, c: dOut }, { a: q * B * O, b: at('head.weight'), c: q * B * H });
            ops.push((pass) => fbBackward.encode(pass, fbg, groupsFor(B)), (pass) => dOutStep.encode(pass, ob));
          }
          const bg = bwd.bind(`step ${q}`, {
            0: this.params, 3: step(q), 4: db.hAll, 5: db.cAll, 6: db.gates, 7: db.hpN,
            9: dOut, 10: db.dstate, 11: db.dpre,
          });
          ops.push((pass) => bwd.encode(pass, bg, groupsFor(Math.ceil(B / EXAMPLES_PER_INVOCATION) * H)));
        }
        if (xpStep) decodeSteps.push(layerSteps);
        if (stack?.initialStateGrad) {
          const init = new Kernel(device, `${name} initial state grad`, recurrentSource, 'initial_state_grad', constants);
          const initBg = init.bind('initial state', { 0: this.params, 3: step(0), 6: db.gates, 10: db.dstate, 11: db.dpre });
          ops.push((pass) => init.encode(pass, initBg, groupsFor(B * H)));
        }
        const wih = matmul({ M: GH, N: inSize, K: TB, transA: true, transB: false });
        const whh = matmul({ M: GH, N: H, K: TB, transA: true, transB: false });
        const bias = this.own(new ReduceRows(device, { N: TB, W: GH, stride: GH, accumulate: false }));
        const dhpAt = TB * GH; // dhp is the second block of dpre
        const wihB = wih.bind({ a: db.dpre, b: input, c: this.grads }, { c: at(`rnn.weight_ih_${s}`) });
        // h_{t-1} of every step, in time order: slots 0..T-1 forward, 1..T reverse.
        const bihB = bias.bind({ a: db.dpre, out: this.grads }, { out: at(`rnn.bias_ih_${s}`) });
        const whhB = hasWhh ? whh.bind({ a: db.dpre, b: db.hAll, c: this.grads }, { a: dhpAt, b: d === 0 ? 0 : B * H, c: at(`rnn.weight_hh_${s}`) }) : null;
        const bhhB = hasWhh ? bias.bind({ a: db.dpre, out: this.grads }, { a: dhpAt, out: at(`rnn.bias_hh_${s}`) }) : null;
        const norms = new Kernel(device, `${name} step norms`, diagnosticsSource, 'main', {
          T, BH: B * H, WHICH: lstm ? 2 : 1, OUT_AT: (l * D + d) * 2 * T,
        });
        const normsBg = norms.bind('norms', { 0: db.dstate, 1: this.stepNorms });
        ops.push(
          (pass) => norms.encode(pass, normsBg, groupsFor(2 * T)),
          (pass) => wih.encode(pass, wihB),
          (pass) => bias.encode(pass, bihB),
        );
        if (whhB && bhhB) ops.push((pass) => whh.encode(pass, whhB), (pass) => bias.encode(pass, bhhB));
        if (jordan) {
          // dW_hy = Σ_t dxp_t fb_{t-1}ᵀ: fb slots 0..T-1 are the inputs of steps 0..T-1.
          const why = matmul({ M: GH, N: O, K: TB, transA: true, transB: false });
          const whyB = why.bind({ a: db.dpre, b: fb!, c: this.grads }, { c: at('rnn.weight_hy_l0') });
          ops.push((pass) => why.encode(pass, whyB));
        }
        if (peeps.length > 0) {
          const pg = new Kernel(device, `${name} peephole grads`, recurrentSource, 'peephole_grads', constants);
          const pgBg = pg.bind('peepholes', { 5: db.cAll, 11: db.dpre, 12: this.grads });
          ops.push((pass) => pg.encode(pass, pgBg, groupsFor(3 * H)));
        }
        if (dInput) {
          const dx = matmul({ M: TB, N: inSize, K: GH, transA: false, transB: false, accumulate: d > 0 });
          const dxB = dx.bind({ a: db.dpre, b: this.params, c: dInput }, { b: at(`rnn.weight_ih_${s}`) });
          ops.push((pass) => dx.encode(pass, dxB));
        }
      }
      if (drop) {
        const bg = drop.bind('output', { 0: out, 1: this.dropoutUniform });
        forwardOps.push((pass) => drop.encode(pass, bg, groupsFor(TB * DH)));
      }
      backwardOps.push(ops);
      layerOuts.push(out);
      layerDOuts.push(dOut);
      input = out;
      dInput = dOut;
    }

    // Head, loss, and the head's backward.
    const top = input;
    const dTop = layerDOuts[config.numLayers - 1];
    const rows = shape.outputMode === 'last' ? (T - 1) * B * DH : 0; // element offset of the rows the head reads
    const N = this.N;
    if (stack?.headless) {
      // No head: backward starts from dTop, which nothing writes (zero), plus any seeded final state.
      this.ops.push(...forwardOps);
      this.forwardOpCount = forwardOps.length;
      for (let l = config.numLayers - 1; l >= 0; l--) this.ops.push(...backwardOps[l]);
      this.setWindow(T);
      return;
    }
    const head = matmul({ M: N, N: O, K: DH, transA: false, transB: true, bias: true });
    const headB = head.bind({ a: top, b: this.params, c: this.y, bias: this.params }, { a: rows, b: at('head.weight'), bias: at('head.bias') });
    forwardOps.push((pass) => head.encode(pass, headB));
    const weighted = stack?.weightedLoss ?? false;
    if (weighted && shape.loss !== 'cross_entropy') throw new Error('a weighted loss is cross-entropy');
    const lossK = new Kernel(device, `${shape.loss} loss${weighted ? ' (weighted rows)' : ''}`, lossSource, weighted ? 'weighted' : 'main', { LOSS: shape.loss === 'mse' ? 0 : 1, N, O });
    this.rowWeights = weighted ? buf('row weights (N)', N) : null;
    const lossBindings: Record<number, GPUBuffer> = { 0: this.y, 1: this.targets, 2: dy, 3: lossRow };
    if (this.rowWeights) lossBindings[4] = this.rowWeights;
    const lossBg = lossK.bind('rows', lossBindings);
    forwardOps.push((pass) => lossK.encode(pass, lossBg, groupsFor(N)));
    const sum = this.own(new ReduceRows(device, { N, W: 1, stride: 1, accumulate: false }));
    run(forwardOps, sum, sum.bind({ a: lossRow, out: this.loss }));
    this.ops.push(...forwardOps);
    this.forwardOpCount = forwardOps.length;

    if (stack?.freeRunning) {
      // Per step u: each layer's input projection and step, the head on rows u, then the pick of input u + 1.
      const u32Buffer = (label: string) => this.own(device.createBuffer({ label, size: TB * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC }));
      this.decode = {
        teacher: u32Buffer('teacher inputs (T, B) u32'),
        realized: u32Buffer('realized inputs (T, B) u32'),
        coins: this.own(device.createBuffer({ label: 'coins', size: T * UNIFORM_STRIDE, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST })),
      };
      const headStep = matmul({ M: B, N: O, K: DH, transA: false, transB: true, bias: true });
      const pick = new Kernel(device, 'decode pick', decodeSource, 'pick', { B, V: I });
      for (let u = 0; u < T; u++) {
        for (const layer of decodeSteps) this.decodeOps.push(...layer[u]);
        const hb = headStep.bind({ a: top, b: this.params, c: this.y, bias: this.params }, { a: u * B * DH, b: at('head.weight'), c: u * B * O, bias: at('head.bias') });
        this.decodeOps.push((pass) => headStep.encode(pass, hb));
        if (u < T - 1) {
          const pb = pick.bind(`step ${u}`, { 0: this.y, 1: this.decode.teacher, 2: this.x0, 3: this.decode.realized, 4: { buffer: this.decode.coins, offset: u * UNIFORM_STRIDE, size: 16 } });
          this.decodeOps.push((pass) => pick.encode(pass, pb, groupsFor(B)));
        }
      }
    }

    // The head's gradients read dL/dy: the loss's, or with Jordan feedback the total, known only after the steps.
    const headGrads: Op[] = [];
    const dHeadW = matmul({ M: O, N: DH, K: N, transA: true, transB: false });
    run(headGrads, dHeadW, dHeadW.bind({ a: dyTotal, b: top, c: this.grads }, { b: rows, c: at('head.weight') }));
    const dHeadB = this.own(new ReduceRows(device, { N, W: O, stride: O, accumulate: false }));
    run(headGrads, dHeadB, dHeadB.bind({ a: dyTotal, out: this.grads }, { out: at('head.bias') }));
    if (!jordan) {
      this.ops.push(...headGrads);
      const dTopMm = matmul({ M: N, N: DH, K: O, transA: false, transB: false });
      run(this.ops, dTopMm, dTopMm.bind({ a: dy, b: this.params, c: dTop }, { b: at('head.weight'), c: rows }));
    }
    for (let l = config.numLayers - 1; l >= 0; l--) this.ops.push(...backwardOps[l]);
    if (jordan) this.ops.push(...headGrads);
    if (dX0) {
      const scatter = new Kernel(device, 'embedding grad', embeddingSource, 'scatter_grad', { NT: TB, V: config.embedding!.vocabSize, I });
      const bg = scatter.bind('dE', { 0: this.tokens!, 1: dX0, 2: view(this.grads, 'embedding.weight') });
      this.ops.push((pass) => scatter.encode(pass, bg, groupsFor(config.embedding!.vocabSize * I)));
    }
    this.setWindow(T);
  }

  /** Writes every step's uniforms for a truncated BPTT window k (k ≥ T: full BPTT). */
  setWindow(k: number): void {
    const { T } = this.shape;
    const D = directions(this.config);
    for (let i = 0; i < this.dirs.length; i++) {
      const d = i % D;
      const data = new Uint32Array((T * UNIFORM_STRIDE) / 4);
      const time = (q: number) => (d === 0 ? q : T - 1 - q);
      for (let q = 0; q < T; q++) {
        const t = time(q);
        const o = (q * UNIFORM_STRIDE) / 4;
        data[o] = t;
        data[o + 1] = d === 0 ? t + 1 : t; // slot of h_t
        data[o + 2] = d === 0 ? t : t + 1; // slot of h_{t-1} in processing order (the zero slot at q = 0)
        data[o + 3] = q < T - 1 ? time(q + 1) : t;
        data[o + 4] = q < T - 1 && (q + 1) % k !== 0 ? 1 : 0;
      }
      this.device.queue.writeBuffer(this.dirs[i].steps, 0, data);
    }
  }

  /** Dropout for the following passes (null: none, as in evaluation). */
  setDropout(d: Dropout | null): void {
    if (d) checkDropout(d);
    const data = new ArrayBuffer(16);
    const u32 = new Uint32Array(data);
    u32[0] = d?.seed ?? 0;
    u32[1] = d ? dropThreshold(d.p) : 0;
    new Float32Array(data)[2] = d ? 1 / (1 - d.p) : 1;
    u32[3] = d && d.p > 0 ? 1 : 0;
    this.device.queue.writeBuffer(this.dropoutUniform, 0, data);
  }

  /** Uploads parameters (float64 -> float32). */
  setParams(params: TensorMap): void {
    this.device.queue.writeBuffer(this.params, 0, packParams(this.layout, params));
  }

  /** Uploads a batch, transposing to time-major. */
  setBatch(batch: Batch): void {
    const { B, T } = batchDims(batch);
    if (B !== this.shape.B || T !== this.shape.T) throw new Error(`batch is (${B}, ${T}); this network was built for (${this.shape.B}, ${this.shape.T})`);
    const q = this.device.queue;
    if (batch.tokens) q.writeBuffer(this.tokens!, 0, new Uint32Array(toTimeMajor(batch.tokens.data, B, T, 1)));
    else q.writeBuffer(this.x0, 0, new Float32Array(toTimeMajor(batch.inputs!.data, B, T, this.config.inputSize)));
    const width = batch.loss === 'mse' ? this.config.outputSize : 1;
    const targets = batch.outputMode === 'last' ? batch.targets.data : toTimeMajor(batch.targets.data, B, T, width);
    q.writeBuffer(this.targets, 0, new Float32Array(targets));
  }

  /** Dispatches in one forward + backward pass: L·D·(2T + 6) + (D + 2)·(L - 1) + 6, plus D + 2 with an embedding. */
  get dispatchCount(): number {
    return this.ops.length;
  }

  /** Everything this network created that holds GPU memory, freed by `destroy`. */
  private readonly owned: { destroy(): void }[] = [];

  /** Registers something to free with the network. */
  private own<T extends { destroy(): void }>(resource: T): T {
    this.owned.push(resource);
    return resource;
  }

  /** Frees every buffer (and the matmuls' offset uniforms) this network made. */
  destroy(): void {
    for (const r of this.owned.splice(0)) r.destroy();
  }

  /** Bytes of a recurrent state buffer: (L·D, 2, B, H), h then c per (layer, direction). */
  get stateBytes(): number {
    return this.dirs.length * 2 * this.shape.B * this.config.hiddenSize * 4;
  }

  /** Element offsets, in h_all / c_all, of a direction's initial slot and of its final slot. */
  private stateSlots(i: number): { initial: number; final: number } {
    const { B, T } = this.shape;
    const BH = B * this.config.hiddenSize;
    const forward = i % directions(this.config) === 0;
    return { initial: (forward ? 0 : T) * BH, final: (forward ? T : 0) * BH };
  }

  /** Before a pass: the state every direction starts from, copied from `from` (see stateBytes), or zero. */
  encodeLoadState(encoder: GPUCommandEncoder, from: GPUBuffer | null): void {
    const bytes = this.shape.B * this.config.hiddenSize * 4;
    this.dirs.forEach((db, i) => {
      const at = this.stateSlots(i).initial * 4;
      [db.hAll, db.cAll].forEach((slots, which) => {
        if (slots.size < at + bytes) return; // c_all of a cell without c is a placeholder
        if (from) encoder.copyBufferToBuffer(from, (2 * i + which) * bytes, slots, at, bytes);
        else encoder.clearBuffer(slots, at, bytes);
      });
    });
  }

  /** After a pass: every direction's final state, copied into `to` (see stateBytes). */
  encodeSaveState(encoder: GPUCommandEncoder, to: GPUBuffer): void {
    const bytes = this.shape.B * this.config.hiddenSize * 4;
    this.dirs.forEach((db, i) => {
      const at = this.stateSlots(i).final * 4;
      [db.hAll, db.cAll].forEach((slots, which) => {
        if (slots.size >= at + bytes) encoder.copyBufferToBuffer(slots, at, to, (2 * i + which) * bytes, bytes);
      });
    });
  }

  /** Records the forward pass alone (through the loss, if there is a head). */
  encodeForward(pass: GPUComputePassEncoder): void {
    for (const op of this.ops.slice(0, this.forwardOpCount)) op(pass);
  }

  /** Records the backward pass alone (after `encodeForward`, in a later pass or the same one). */
  encodeBackward(pass: GPUComputePassEncoder): void {
    for (const op of this.ops.slice(this.forwardOpCount)) op(pass);
  }

  /**
   * Free running: records one step-by-step decode from the loaded initial state, which leaves in
   * the one-hot inputs what the coins picked (then `encodeForward` recomputes the same values in bulk).
   */
  encodeDecode(pass: GPUComputePassEncoder): void {
    if (!this.decode) throw new Error('this network was not built for free-running decoding');
    for (const op of this.decodeOps) op(pass);
  }

  /** Free running: the teacher-forced inputs (B, T) batch-major, which are also the realized ones until a decode overwrites them. */
  setTeacherInputs(tokens: ArrayLike<number>): void {
    if (!this.decode) throw new Error('this network was not built for free-running decoding');
    const { B, T } = this.shape;
    const data = new Uint32Array(toTimeMajor(tokens, B, T, 1));
    this.device.queue.writeBuffer(this.decode.teacher, 0, data);
    this.device.queue.writeBuffer(this.decode.realized, 0, data);
  }

  /** Free running: the coins of the next decode (threshold ceil(r·2²⁴), seed, training step). */
  setCoins(threshold: number, seed: number, step: number): void {
    if (!this.decode) throw new Error('this network was not built for free-running decoding');
    const { T } = this.shape;
    const data = new Uint32Array((T * UNIFORM_STRIDE) / 4);
    for (let u = 0; u < T; u++) data.set([u, threshold, seed, step], (u * UNIFORM_STRIDE) / 4);
    this.device.queue.writeBuffer(this.decode.coins, 0, data);
  }

  /** Free running: the inputs the last decode read, (B, T) batch-major (waits for the GPU). */
  async readRealized(): Promise<Int32Array> {
    if (!this.decode) throw new Error('this network was not built for free-running decoding');
    const { B, T } = this.shape;
    const raw = new Uint32Array((await readBuffer(this.device, this.decode.realized)).buffer);
    return Int32Array.from(toBatchMajor(Float64Array.from(raw), B, T, 1));
  }

  /** Weighted loss: the weight of every row, time-major (N). */
  setRowWeights(weights: Float32Array<ArrayBuffer>): void {
    if (!this.rowWeights) throw new Error('this network was not built with a weighted loss');
    if (weights.length !== this.N) throw new Error(`row weights: ${weights.length} values for ${this.N} rows`);
    this.device.queue.writeBuffer(this.rowWeights, 0, weights);
  }

  /**
   * After backward: copies this network's dL/d(initial state) (built with `initialStateGrad`) into
   * `target`'s dL/d(final state) seed (built `seeded`), layer by layer: the decoder hands it to the encoder.
   */
  encodeStateGradTo(encoder: GPUCommandEncoder, target: GpuNetwork): void {
    const BH = this.shape.B * this.config.hiddenSize;
    if (target.dirs.length !== this.dirs.length || target.shape.B !== this.shape.B || target.config.hiddenSize !== this.config.hiddenSize) {
      throw new Error('state gradients pass between networks of the same layers, batch and width');
    }
    this.dirs.forEach((db, i) => {
      const from = 2 * this.shape.T * BH + 2 * BH; // [initial dh; initial dc]
      const to = 2 * target.shape.T * BH; // [seed dh; seed dc]
      encoder.copyBufferToBuffer(db.dstate, from * 4, target.dirs[i].dstate, to * 4, 2 * BH * 4);
    });
  }

  /** Records forward and backward into a compute pass (a trainer adds the optimizer to the same pass). */
  encode(pass: GPUComputePassEncoder): void {
    for (const op of this.ops) op(pass);
  }

  /** Submits forward and backward (or, with `forwardOnly`, the forward pass alone) from the zero state: one submission. */
  run(forwardOnly = false): void {
    const label = forwardOnly ? 'forward' : 'forward + backward';
    const encoder = this.device.createCommandEncoder({ label });
    this.encodeLoadState(encoder, null);
    const pass = encoder.beginComputePass({ label });
    for (const op of forwardOnly ? this.ops.slice(0, this.forwardOpCount) : this.ops) op(pass);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }

  /** Uploads parameters and a batch, runs one pass and reads everything back (tests and the CLI; waits for the GPU). */
  async lossAndGrads(params: TensorMap, batch: Batch, bpttWindow?: number, dropout: Dropout | null = null): Promise<GradEvaluation> {
    this.setDropout(dropout);
    this.setParams(params);
    this.setBatch(batch);
    this.setWindow(bpttWindow ?? this.shape.T);
    this.run();
    return this.read();
  }

  /** Reads back the last pass's loss, outputs, gradients and step norms (waits for the GPU). */
  async read(): Promise<GradEvaluation> {
    const outputs = await this.readOutputs();
    const grads = unpackParams(this.layout, await readBuffer(this.device, this.grads));
    const { dhNorm, dcNorm } = this.decodeStepNorms(await readBuffer(this.device, this.stepNorms));
    const loss = (await readBuffer(this.device, this.loss))[0];
    return { loss, outputs, grads, dhNorm, dcNorm };
  }

  /** The last pass's head outputs, batch-major: (B, T, O) for `sequence`, (B, O) for `last` (waits for the GPU). */
  async readOutputs(): Promise<Tensor> {
    const { B, T } = this.shape;
    const O = this.config.outputSize;
    const y = Float64Array.from(await readBuffer(this.device, this.y)).subarray(0, this.N * O);
    return this.shape.outputMode === 'last' ? { shape: [B, O], data: y } : { shape: [B, T, O], data: toBatchMajor(y, B, T, O) };
  }

  /**
   * Example b's record from the last pass, per (layer, direction): gates, h, c, dL/dh_t, dL/dc_t
   * for every step. Copies rows into one staging buffer and maps it once; only callers pay.
   */
  async recordExample(b: number): Promise<ExampleTrace[]> {
    const { B, T } = this.shape;
    if (!(Number.isInteger(b) && b >= 0 && b < B)) throw new RangeError(`example ${b} is not in a batch of ${B}`);
    const H = this.config.hiddenSize;
    const GH = gateCount(this.config) * H;
    const lstm = this.config.cell === 'lstm';
    const D = directions(this.config);
    const perTrace = T * (GH + 2 * H + (lstm ? 2 * H : 0));
    const staging = this.device.createBuffer({ label: `record of example ${b}`, size: this.dirs.length * perTrace * 4, usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ });
    const encoder = this.device.createCommandEncoder({ label: `record of example ${b}` });
    let at = 0; // element offset in staging
    /** Copies T rows of `width` floats, row t starting at element rowAt(t) of `src`. */
    const rows = (src: GPUBuffer, width: number, rowAt: (t: number) => number) => {
      const start = at;
      for (let t = 0; t < T; t++) encoder.copyBufferToBuffer(src, rowAt(t) * 4, staging, (at + t * width) * 4, width * 4);
      at += T * width;
      return start;
    };
    const layout = this.dirs.map((db, i) => {
      const slot = (t: number) => (i % D === 0 ? t + 1 : t);
      return {
        gates: rows(db.gates, GH, (t) => (t * B + b) * GH),
        h: rows(db.hAll, H, (t) => (slot(t) * B + b) * H),
        c: lstm ? rows(db.cAll, H, (t) => (slot(t) * B + b) * H) : -1,
        dh: rows(db.dstate, H, (t) => (t * B + b) * H),
        dc: lstm ? rows(db.dstate, H, (t) => T * B * H + (t * B + b) * H) : -1,
      };
    });
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const data = Float64Array.from(new Float32Array(staging.getMappedRange()));
    staging.unmap();
    staging.destroy();
    const slice = (start: number, width: number) => (start < 0 ? null : data.slice(start, start + T * width));
    return layout.map((o, i) => ({
      layer: Math.floor(i / D),
      dir: i % D,
      gates: slice(o.gates, GH)!,
      h: slice(o.h, H)!,
      c: slice(o.c, H),
      dh: slice(o.dh, H)!,
      dc: slice(o.dc, H),
    }));
  }

  /** Splits the step-norm buffer into per-(layer, direction) arrays of ‖dL/dh_t‖ and ‖dL/dc_t‖. */
  decodeStepNorms(norms: ArrayLike<number>): { dhNorm: Float64Array[]; dcNorm: Float64Array[] | null } {
    const { T } = this.shape;
    const trace = (which: number) => this.dirs.map((_, i) => Float64Array.from({ length: T }, (_, t) => norms[(2 * i + which) * T + t]));
    return { dhNorm: trace(0), dcNorm: this.config.cell === 'lstm' ? trace(1) : null };
  }
}

/** (B, T, W) batch-major -> (T, B, W) time-major. */
function toTimeMajor(src: ArrayLike<number>, B: number, T: number, W: number): number[] {
  const out = new Array<number>(B * T * W);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < W; k++) out[(t * B + b) * W + k] = src[(b * T + t) * W + k];
  return out;
}

/** (T, B, W) time-major -> (B, T, W) batch-major. */
function toBatchMajor(src: Float64Array, B: number, T: number, W: number): Float64Array {
  const out = new Float64Array(B * T * W);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let k = 0; k < W; k++) out[(b * T + t) * W + k] = src[(t * B + b) * W + k];
  return out;
}
