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
}

/** Name and shape of one parameter tensor. */
export interface ParamSpec {
  name: string;
  shape: number[];
}

/** Gate rows per cell, in PyTorch's order: lstm i,f,g,o; gru r,z,n; rnn one. */
export function gateCount(cell: CellType): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Gate names in PyTorch's row order. */
export function gateNames(cell: CellType): readonly string[] {
  return cell === 'lstm' ? ['i', 'f', 'g', 'o'] : cell === 'gru' ? ['r', 'z', 'n'] : ['h'];
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
  const G = gateCount(config.cell);
  const D = directions(config);
  const specs: ParamSpec[] = [];
  if (config.embedding) specs.push({ name: 'embedding.weight', shape: [config.embedding.vocabSize, I] });
  for (let l = 0; l < config.numLayers; l++) {
    const layerIn = l === 0 ? I : H * D;
    for (let d = 0; d < D; d++) {
      const s = layerSuffix(l, d);
      specs.push(
        { name: `rnn.weight_ih_${s}`, shape: [G * H, layerIn] },
        { name: `rnn.weight_hh_${s}`, shape: [G * H, H] },
        { name: `rnn.bias_ih_${s}`, shape: [G * H] },
        { name: `rnn.bias_hh_${s}`, shape: [G * H] },
      );
    }
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
