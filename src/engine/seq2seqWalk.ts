/**
 * The encoder-decoder's BPTT walk for one example (B = 1): the encoder's walk and the decoder's
 * walk (src/engine/bpttWalk.ts), joined at the hand-over as seq2seq.ts joins its two networks.
 *
 *   forward:   encoder reads x_1..x_S (padding included) from a zero state; its final state
 *              (h_S, and c_S for the LSTM, per layer) is the hand-over the decoder starts from.
 *              The decoder reads d_0 = <s>, then d_u = y*_{u-1} (teacher forced) or ŷ_{u-1}, its
 *              own previous argmax, as the trainer's seeded coin for (step, b = 0, u) decides
 *              (`teacherCoin`); seq2seqForward realizes those inputs.
 *   backward:  the decoder is walked as a plain network on the realized inputs (the argmax
 *              carries no gradient), with the head and the loss over its U = len steps
 *              (through </s>; later steps carry no loss and are left out); what flows past
 *              its first step is dL/d(hand-over), which seeds the encoder's walk as
 *              dL/d(its final state): the encoder's fromNext at t = S-1.
 *
 * The totals equal seq2seqLossAndGrads on the example as a batch of one.
 */
import { bpttWalk, type BpttWalk } from './bpttWalk.ts';
import { forward, type RecurrentState } from './network.ts';
import { oneHotBatch, seq2seqForward, stackConfig, stackParams, teacherCoin, type Seq2SeqBatch, type Seq2SeqConfig, type TeacherForcing } from './seq2seq.ts';
import type { TensorMap } from './tensor.ts';

/** Where the decoder's input at step u came from: `<s>` at u = 0, the target y*_{u-1} (teacher forced), or its own ŷ_{u-1}. */
export type DecoderInputSource = 'start' | 'target' | 'own';

/** Options of {@link seq2seqWalk}. */
export interface Seq2SeqWalkOptions {
  /** Encoder steps t (0-based) at which to keep full ΔW matrices. */
  encoderMatricesAt?: number[];
  /** Decoder steps u (0-based) at which to keep full ΔW matrices. */
  decoderMatricesAt?: number[];
  /**
   * Backpropagate the loss of decoder output u alone (ℓ_u, not ℓ_u / U; bpttWalk's `onlyOutput`
   * on the decoder): every gradient of the walk, the hand-over's and the encoder's included, is
   * then dℓ_u/d·. The walk's `loss` stays the example's.
   */
  onlyOutput?: number;
}

/** One example's walk through the encoder-decoder. */
export interface Seq2SeqWalk {
  /** The loss of the example: mean cross-entropy over its U target positions. */
  loss: number;
  /** The teacher forcing the decoder's inputs were drawn with. */
  teacherForcing: TeacherForcing;
  /** (S) the source tokens the encoder read, padding included. */
  source: Int32Array;
  /** Real source symbols (the rest of `source` is padding). */
  sourceLength: number;
  /** (U) the decoder's realized inputs d_u. */
  decoderInputs: Int32Array;
  /** (U) where each d_u came from. */
  inputSource: DecoderInputSource[];
  /** (U) the targets y*_u, through </s>. */
  targets: Int32Array;
  /** (U) the decoder's argmax ŷ_u. */
  predictions: Int32Array;
  /** The encoder's walk (headless, seeded at t = S-1 by the hand-over's gradient). */
  encoder: BpttWalk;
  /** The decoder's walk (from the hand-over, with the head and the loss). */
  decoder: BpttWalk;
  /** The encoder's final state per layer: the decoder's initial state. */
  handOver: RecurrentState;
  /** dL/d(hand-over) per layer: the gradient crossing from the decoder into the encoder. */
  handOverGrad: RecurrentState;
}

/** Walks example 0 of a batch of one through encoder and decoder under teacher forcing `tf`. */
export function seq2seqWalk(cfg: Seq2SeqConfig, params: TensorMap, batch: Seq2SeqBatch, tf: TeacherForcing, opts: Seq2SeqWalkOptions = {}): Seq2SeqWalk {
  const B = batch.targetLengths.length;
  if (B !== 1) throw new RangeError(`the seq2seq walk takes one example (B = 1), got B = ${B}`);
  const fwd = seq2seqForward(cfg, params, batch, tf); // checks the batch and the teacher forcing
  const config = stackConfig(cfg);
  const V = cfg.vocabSize;
  const U = batch.targetLengths[0];
  const encParams = stackParams(params, 'encoder');
  const source = oneHotBatch(batch.source, V);
  const handOver = forward(config, encParams, source, { headless: true }).finalState;

  const decoderInputs = fwd.inputs.data.slice(0, U);
  const targets = batch.targets.data.slice(0, U);
  const decParams: TensorMap = new Map(stackParams(params, 'decoder'));
  for (const name of ['head.weight', 'head.bias']) decParams.set(name, params.get(name)!);
  const decBatch = {
    ...oneHotBatch({ shape: [1, U], data: decoderInputs }, V),
    targets: { shape: [1, U], data: Float64Array.from(targets) },
  };
  const decoder = bpttWalk(config, decParams, decBatch, { initial: handOver, fullMatricesAt: opts.decoderMatricesAt, onlyOutput: opts.onlyOutput });
  const handOverGrad = decoder.initialStateGrad!;
  const encoder = bpttWalk(config, encParams, source, { headless: true, finalStateGrad: handOverGrad, fullMatricesAt: opts.encoderMatricesAt });
  return {
    loss: fwd.loss,
    teacherForcing: tf,
    source: batch.source.data.slice(),
    sourceLength: batch.sourceLengths[0],
    decoderInputs,
    inputSource: Array.from({ length: U }, (_, u) => (u === 0 ? 'start' : teacherCoin(tf, 0, u) ? 'target' : 'own')),
    targets,
    predictions: fwd.predictions.data.slice(0, U),
    encoder,
    decoder,
    handOver,
    handOverGrad,
  };
}
