/**
 * What the network views show of one example: its BPTT walk (src/engine/bpttWalk.ts) at the
 * current weights with the run's window, the input at each step as a label, and σ_max of
 * each (layer, direction)'s W_hh (src/engine/spectral.ts). Computed on the CPU reference
 * engine from a float64 copy of the weights, so it is the same on either backend and while
 * a run trains. The example is validation example `index`, or, for the character model, a
 * typed text read symbol by symbol with the next symbol as each step's target.
 *
 * An encoder-decoder run gets the encoder-decoder's walk (src/engine/seq2seqWalk.ts): the
 * decoder's inputs drawn with the coins the next training step would use (the schedule's
 * ratio at this step, the run's seed), the example being b = 0 of a batch of one, and, under the
 * same budget as a recurrent run's, its reach table (src/engine/outputReach.ts).
 */
import type { Batch } from '../engine/batch.ts';
import { bpttWalk, type BpttWalk } from '../engine/bpttWalk.ts';
import { directions, gateCount, layerSuffix, type ModelConfig } from '../engine/model.ts';
import { sliceSeq2SeqBatch, stackParams, type TeacherForcing } from '../engine/seq2seq.ts';
import { seq2seqWalk, type Seq2SeqWalk } from '../engine/seq2seqWalk.ts';
import { outputReach, seq2seqOutputReach, type OutputReach, type Seq2SeqOutputReach } from '../engine/outputReach.ts';
import { largestSingularValue } from '../engine/spectral.ts';
import type { TensorMap } from '../engine/tensor.ts';
import { argmax, codePoints, TaskError, type TaskInfo } from '../tasks/index.ts';
import { TEACHER_FORCING, teacherForcingRatio, type TrainerConfig } from './config.ts';
import type { AnyRun, PreparedRun, PreparedSeq2SeqRun } from './Trainer.ts';
import { batchSize, sliceBatch } from './slices.ts';

/** Which example to walk. */
export type WalkRequest =
  /** Validation example `index`. */
  | { kind: 'example'; index: number }
  /** Character model only: the text read symbol by symbol, each step's target the symbol after it. */
  | { kind: 'text'; text: string };

/** One example's walk with what the views label it by. */
export interface WalkView {
  /** A recurrent network's walk (may be left out: only the encoder-decoder's view must say what it is). */
  kind?: 'recurrent';
  request: WalkRequest;
  /** Optimizer steps the weights had taken. */
  step: number;
  walk: BpttWalk;
  /** Per step t: the input read, as text (the symbol, or the feature values). */
  labels: string[];
  /** Per (layer, direction), at layer · D + dir: the largest singular value of W_hh. */
  sigmaMax: number[];
  /** ‖dℓ_t/dh_k‖ for each output t and step k, or null when it would cost too much (one walk per output row). */
  reach: OutputReach | null;
}

/** One example's walk through an encoder-decoder, with its symbols. */
export interface Seq2SeqWalkView {
  kind: 'seq2seq';
  request: WalkRequest;
  /** Optimizer steps the weights had taken. */
  step: number;
  walk: Seq2SeqWalk;
  /** Per encoder step t: the source symbol read (padding `_` included). */
  sourceLabels: string[];
  /** Per decoder step u: the symbol read (`<s>`, then the target's or the decoder's own previous symbol). */
  decoderLabels: string[];
  /** Per decoder step u: the target symbol y*_u. */
  targetLabels: string[];
  /** Per decoder step u: the decoder's argmax ŷ_u. */
  predictionLabels: string[];
  /** σ_max of W_hh per layer: the encoder's layers, then the decoder's (the rows of the run's ‖dL/dh‖ history). */
  sigmaMax: number[];
  /** ‖dℓ_u/dh_k‖ for each decoder output u at every encoder and decoder step, or null when it would cost too much (one walk per output). */
  reach: Seq2SeqOutputReach | null;
}

/** Either kind of run's walk. */
export type AnyWalkView = WalkView | Seq2SeqWalkView;

/** What a walk reads of a recurrent run: plain data, so it can be posted to the views worker. */
export interface WalkRecurrentRun {
  kind: 'recurrent';
  info: Pick<TaskInfo, 'id' | 'title'>;
  data: Pick<PreparedRun['data'], 'needs' | 'validation'>;
  model: ModelConfig;
}
/** What a walk reads of an encoder-decoder run. */
export interface WalkSeq2SeqRun {
  kind: 'encoder-decoder';
  info: Pick<TaskInfo, 'id' | 'title'>;
  data: Pick<PreparedSeq2SeqRun['data'], 'needs' | 'validation'>;
  model: ModelConfig;
  seq2seq: PreparedSeq2SeqRun['seq2seq'];
}
/** What a walk reads of either kind of run. */
export type WalkRun = WalkRecurrentRun | WalkSeq2SeqRun;

/** The part of a run a walk reads (no functions: it survives structured cloning). */
export function walkRun(run: AnyRun): WalkRun {
  const info = { id: run.info.id, title: run.info.title };
  if (run.kind === 'recurrent') return { kind: 'recurrent', info, data: { needs: run.data.needs, validation: run.data.validation }, model: run.model };
  return { kind: 'encoder-decoder', info, data: { needs: run.data.needs, validation: run.data.validation }, model: run.model, seq2seq: run.seq2seq };
}

/** Longest typed text the walk reads, in symbols. */
export const MAX_WALK_TEXT = 200;
/** Most float64 values of full ΔW matrices the walk keeps (every step's, when the model is small enough). */
const MATRIX_BUDGET = 1 << 20;
/** Most multiply-adds (output rows × steps × weights per step) spent on the reach table. */
export const REACH_BUDGET = 3e7;

/** The character model's typed text as a batch of one: inputs are its symbols but the last, targets the symbols after each. */
export function textBatch(run: WalkRecurrentRun, text: string): Batch {
  if (run.info.id !== 'char-model') throw new TaskError(`${run.info.title} reads its own examples: choose one by index (typed text is for the character model)`);
  const input = run.data.needs.input;
  if (input.kind === 'features') throw new TaskError(`${run.info.title} reads numbers, not symbols`);
  const symbols = codePoints(text);
  if (symbols.length < 2) throw new TaskError('Type at least two symbols: each step reads one and predicts the next.');
  if (symbols.length > MAX_WALK_TEXT + 1) throw new TaskError(`The text is ${symbols.length} symbols long; the step-through reads at most ${MAX_WALK_TEXT + 1}.`);
  const index = new Map(input.vocabulary.map((s, i) => [s, i]));
  const unknown = symbols.find((s) => !index.has(s));
  if (unknown !== undefined) throw new TaskError(`The symbol ${JSON.stringify(unknown)} is not in the run's vocabulary of ${input.vocabulary.length} symbols.`);
  const ids = symbols.map((s) => index.get(s)!);
  const T = ids.length - 1;
  const targets = { shape: [1, T], data: Float64Array.from(ids.slice(1)) };
  if (input.kind === 'tokens') return { tokens: { shape: [1, T], data: Int32Array.from(ids.slice(0, T)) }, targets, loss: 'cross_entropy', outputMode: 'sequence' };
  const V = input.vocabulary.length;
  const data = new Float64Array(T * V);
  for (let t = 0; t < T; t++) data[t * V + ids[t]] = 1;
  return { inputs: { shape: [1, T, V], data }, targets, loss: 'cross_entropy', outputMode: 'sequence' };
}

/** The input at each step of a batch of one, as text. */
function stepLabels(run: WalkRecurrentRun, example: Batch, T: number): string[] {
  const input = run.data.needs.input;
  if (input.kind === 'features') {
    const I = input.labels.length;
    const x = example.inputs!.data;
    return Array.from({ length: T }, (_, t) => Array.from(x.subarray(t * I, (t + 1) * I), (v) => String(Number(v.toPrecision(3)))).join(', '));
  }
  const V = input.vocabulary.length;
  const ids = example.tokens ? Array.from(example.tokens.data) : Array.from({ length: T }, (_, t) => argmax(example.inputs!.data, t * V, V));
  return ids.map((id) => input.vocabulary[id]);
}

/** σ_max of every (layer, direction)'s W_hh (`rnn.weight_hh_*`), at layer · D + dir; NaN where there is none (a pure Jordan network). */
export function recurrentSigmaMax(run: { model: ModelConfig }, params: TensorMap): number[] {
  const { model } = run;
  const H = model.hiddenSize;
  const rows = gateCount(model) * H;
  const out: number[] = [];
  for (let l = 0; l < model.numLayers; l++) {
    for (let d = 0; d < directions(model); d++) {
      const w = params.get(`rnn.weight_hh_${layerSuffix(l, d)}`);
      out.push(w ? largestSingularValue(w.data, rows, H) : NaN);
    }
  }
  return out;
}

/** Walks the requested example at `params` with the run's BPTT window (an encoder-decoder: through both networks). */
export function walkExample(run: WalkRecurrentRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): WalkView;
export function walkExample(run: WalkSeq2SeqRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): Seq2SeqWalkView;
export function walkExample(run: WalkRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): AnyWalkView;
export function walkExample(run: WalkRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): AnyWalkView {
  if (run.kind !== 'recurrent') return walkSeq2Seq(run, settings, params, request, step);
  let example: Batch;
  if (request.kind === 'example') {
    const N = batchSize(run.data.validation);
    if (!(Number.isInteger(request.index) && request.index >= 0 && request.index < N)) throw new RangeError(`validation example ${request.index} is not in a set of ${N}`);
    example = sliceBatch(run.data.validation, request.index, 1);
  } else {
    example = textBatch(run, request.text);
  }
  const T = (example.tokens ?? example.inputs!).shape[1];
  const { model } = run;
  const G = gateCount(model);
  const H = model.hiddenSize;
  // Keep every step's full matrices when they fit the budget (the stepper then draws them).
  let perStep = 0;
  const recurrentH = model.outputFeedback?.recurrent === false ? 0 : H; // a pure Jordan network has no W_hh
  for (let l = 0; l < model.numLayers; l++) perStep += directions(model) * 2 * G * H * ((l === 0 ? model.inputSize : directions(model) * H) + recurrentH);
  if (model.outputFeedback) perStep += 2 * H * model.outputSize; // W_hy's
  const fullMatricesAt = perStep * T <= MATRIX_BUDGET ? Array.from({ length: T }, (_, t) => t) : [];
  const window = settings.training.window ?? undefined;
  const bpttWindow = window === undefined ? undefined : Math.min(window, T);
  const walk = bpttWalk(model, params, example, { bpttWindow, fullMatricesAt });
  const rows = example.outputMode === 'last' ? 1 : T;
  // perStep counts both ΔW matrices (2 per weight); a walk costs about that per step.
  const reach = rows * T * perStep <= REACH_BUDGET ? outputReach(model, params, example, bpttWindow) : null;
  return { kind: 'recurrent', request, step, walk, labels: stepLabels(run, example, T), sigmaMax: recurrentSigmaMax(run, params), reach };
}

/** The teacher forcing of training step `step`: the schedule's ratio then, and the coins the trainer draws for it. */
export function teacherForcingAt(settings: TrainerConfig, step: number): TeacherForcing {
  return { ratio: teacherForcingRatio(settings.training.teacherForcing ?? TEACHER_FORCING, step), seed: settings.seed >>> 0, step: step >>> 0 };
}

/** Validation example `index` of an encoder-decoder run, walked through encoder and decoder as the next training step would decode it. */
function walkSeq2Seq(run: WalkSeq2SeqRun, settings: TrainerConfig, params: TensorMap, request: WalkRequest, step: number): Seq2SeqWalkView {
  if (request.kind !== 'example') throw new TaskError(`${run.info.title} walks its validation examples: choose one by index (typed text is for the character model)`);
  const N = run.data.validation.targetLengths.length;
  if (!(Number.isInteger(request.index) && request.index >= 0 && request.index < N)) throw new RangeError(`validation example ${request.index} is not in a set of ${N}`);
  const example = sliceSeq2SeqBatch(run.data.validation, request.index, 1);
  const { model } = run;
  const S = example.source.shape[1];
  const U = example.targetLengths[0];
  const GH = gateCount(model) * model.hiddenSize;
  // Every step's full matrices (ΔW_ih and ΔW_hh, the step's and the running totals) when they fit the budget.
  let perStep = 0;
  for (let l = 0; l < model.numLayers; l++) perStep += 2 * GH * ((l === 0 ? model.inputSize : model.hiddenSize) + model.hiddenSize);
  const all = (n: number) => (perStep * (S + U) <= MATRIX_BUDGET ? Array.from({ length: n }, (_, t) => t) : []);
  const tf = teacherForcingAt(settings, step);
  const walk = seq2seqWalk(run.seq2seq, params, example, tf, { encoderMatricesAt: all(S), decoderMatricesAt: all(U) });
  // As for a recurrent run: perStep counts both ΔW matrices, about what a walk costs per step; one walk per output.
  const reach = U * (S + U) * perStep <= REACH_BUDGET ? seq2seqOutputReach(run.seq2seq, params, example, tf) : null;
  const symbols = (ids: Int32Array) => Array.from(ids, (id) => run.data.needs.vocabulary[id]);
  return {
    kind: 'seq2seq',
    request,
    step,
    walk,
    sourceLabels: symbols(walk.source),
    decoderLabels: symbols(walk.decoderInputs),
    targetLabels: symbols(walk.targets),
    predictionLabels: symbols(walk.predictions),
    sigmaMax: (['encoder', 'decoder'] as const).flatMap((part) => recurrentSigmaMax(run, stackParams(params, part))),
    reach,
  };
}
