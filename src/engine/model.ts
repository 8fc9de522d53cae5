/**
 * The model a playground trains: an embedding (optional), a stack of recurrent
 * layers (optionally bidirectional), and a linear head. Tensor names and shapes
 * are exactly PyTorch's `state_dict` for
 *   nn.Embedding -> `embedding.*`, nn.RNN/LSTM/GRU(batch_first=True) -> `rnn.*`, nn.Linear -> `head.*`.
 */
import { mulberry32, normal, uniform } from './random.ts';
import { zeros, type TensorMap } from './tensor.ts';

/** The recurrent cells, named as PyTorch's modes. */
export const CELL_TYPES = ['rnn_tanh', 'rnn_relu', 'lstm', 'gru'] as const;
/** A recurrent cell type. */
export type CellType = (typeof CELL_TYPES)[number];

/** The losses, with PyTorch's mean reduction. */
export const LOSS_KINDS = ['mse', 'cross_entropy'] as const;
/** A loss kind. */
export type LossKind = (typeof LOSS_KINDS)[number];

/** Where the head reads: every step (`sequence`), or only `output[:, -1]` (`last`). */
export const OUTPUT_MODES = ['sequence', 'last'] as const;
/** An output mode. */
export type OutputMode = (typeof OUTPUT_MODES)[number];

/** Which of the LSTM's gates exist; a missing gate is the constant 1 and has no weights. */
export interface LstmGates {
  input: boolean;
  forget: boolean;
  output: boolean;
}

/** The LSTM variants the lectures build: the gate ladder and peepholes. */
export interface LstmOptions {
  gates: LstmGates;
  /** Diagonal weights from the cell state to the gates: i and f see c_{t-1}, o sees c_t. */
  peepholes: boolean;
}

/** Jordan output feedback for rnn_tanh/rnn_relu (one layer, unidirectional, sequence output). */
export interface OutputFeedback {
  /** Feed the previous target (one-hot for classes) instead of the previous output; no gradient flows through it. */
  teacherForcing: boolean;
  /** Keep W_hh; false is the pure Jordan network. */
  recurrent: boolean;
}

/** Architecture of a model; the checkpoint's `model` object. */
export interface ModelConfig {
  cell: CellType;
  /** Features per step entering layer 0 (the embedding size when there is an embedding). */
  inputSize: number;
  hiddenSize: number;
  /** 1..4 stacked layers. */
  numLayers: number;
  bidirectional: boolean;
  /** Features (mse) or classes (cross_entropy) the head produces per output. */
  outputSize: number;
  /** Present when inputs are token ids looked up in a learned table of shape [vocabSize, inputSize]. */
  embedding?: { vocabSize: number };
  /** LSTM only; absent means the standard LSTM (all gates, no peepholes). */
  lstm?: LstmOptions;
  /** rnn_tanh/rnn_relu only: h_t = act(W_ih x_t + W_hh h_{t-1} + W_hy y_{t-1} + b_ih + b_hh). */
  outputFeedback?: OutputFeedback;
}

/** Name and shape of one parameter tensor. */
export interface ParamSpec {
  name: string;
  shape: number[];
}

/** The standard LSTM: every gate, no peepholes. */
export const FULL_LSTM: LstmOptions = { gates: { input: true, forget: true, output: true }, peepholes: false };

/** The LSTM options in force (the standard LSTM when none are given). */
export function lstmOptions(config: ModelConfig): LstmOptions {
  return config.lstm ?? FULL_LSTM;
}

/**
 * Gate rows of W_ih, W_hh and the biases, in PyTorch's order: lstm i,f,g,o (without the
 * gates switched off); gru r,z,n; rnn a single block named h.
 */
export function gateNames(config: ModelConfig): string[] {
  if (config.cell === 'gru') return ['r', 'z', 'n'];
  if (config.cell !== 'lstm') return ['h'];
  const { gates } = lstmOptions(config);
  return [gates.input && 'i', gates.forget && 'f', 'g', gates.output && 'o'].filter((g): g is string => Boolean(g));
}

/** Number of gate rows blocks (G): the rows of W_ih are G·H. */
export function gateCount(config: ModelConfig): number {
  return gateNames(config).length;
}

/** The LSTM gates that exist and have a peephole weight, in order i, f, o. */
export function peepholeGates(config: ModelConfig): ('i' | 'f' | 'o')[] {
  if (config.cell !== 'lstm' || !lstmOptions(config).peepholes) return [];
  const names = gateNames(config);
  return (['i', 'f', 'o'] as const).filter((g) => names.includes(g));
}

/** Whether PyTorch has this model (nn.RNN/LSTM/GRU + Linear + Embedding); if not, why. */
export function pytorchIncompatibility(config: ModelConfig): string | null {
  if (config.outputFeedback) return 'Jordan output feedback has no PyTorch equivalent';
  if (config.cell === 'lstm') {
    const { gates, peepholes } = lstmOptions(config);
    if (!gates.input || !gates.forget || !gates.output) return 'an LSTM with gates switched off has no PyTorch equivalent';
    if (peepholes) return 'nn.LSTM has no peephole connections';
  }
  return null;
}

/** Number of directions: 2 when bidirectional. */
export function directions(config: ModelConfig): number {
  return config.bidirectional ? 2 : 1;
}

/** Suffix PyTorch gives a layer's tensors, e.g. `l1_reverse`. */
export function layerSuffix(layer: number, dir: number): string {
  return `l${layer}${dir === 1 ? '_reverse' : ''}`;
}

/** Every parameter of a model, in PyTorch's `state_dict` order. */
export function paramSpecs(config: ModelConfig): ParamSpec[] {
  const { hiddenSize: H, inputSize: I, outputSize: O } = config;
  const G = gateCount(config);
  const recurrent = config.outputFeedback?.recurrent ?? true;
  const D = directions(config);
  const specs: ParamSpec[] = [];
  if (config.embedding) specs.push({ name: 'embedding.weight', shape: [config.embedding.vocabSize, I] });
  for (let l = 0; l < config.numLayers; l++) {
    const layerIn = l === 0 ? I : H * D;
    for (let d = 0; d < D; d++) {
      const s = layerSuffix(l, d);
      specs.push({ name: `rnn.weight_ih_${s}`, shape: [G * H, layerIn] });
      if (recurrent) specs.push({ name: `rnn.weight_hh_${s}`, shape: [G * H, H] });
      specs.push({ name: `rnn.bias_ih_${s}`, shape: [G * H] });
      if (recurrent) specs.push({ name: `rnn.bias_hh_${s}`, shape: [G * H] });
      for (const gate of peepholeGates(config)) specs.push({ name: `rnn.weight_peephole_${gate}_${s}`, shape: [H] });
    }
    if (config.outputFeedback) specs.push({ name: `rnn.weight_hy_l${l}`, shape: [H, O] });
  }
  specs.push({ name: 'head.weight', shape: [O, H * D] }, { name: 'head.bias', shape: [O] });
  return specs;
}

/**
 * Seeded initialization with PyTorch's distributions: recurrent tensors
 * U(-1/sqrt(H), 1/sqrt(H)); the head U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the embedding N(0, 1).
 */
export function initParams(config: ModelConfig, seed: number): TensorMap {
  const rand = mulberry32(seed);
  const params: TensorMap = new Map();
  for (const spec of paramSpecs(config)) {
    const t = zeros(spec.shape);
    if (spec.name.startsWith('embedding.')) {
      for (let i = 0; i < t.data.length; i++) t.data[i] = normal(rand);
    } else {
      const fanIn = spec.name.startsWith('head.') ? config.hiddenSize * directions(config) : config.hiddenSize;
      const k = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < t.data.length; i++) t.data[i] = uniform(rand, -k, k);
    }
    params.set(spec.name, t);
  }
  return params;
}
