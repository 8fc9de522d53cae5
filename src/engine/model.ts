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

/** Initialization schemes: PyTorch's default, or Keras' (Glorot-uniform input weights, orthogonal recurrent weights, zero biases). */
export const INIT_SCHEMES = ['pytorch', 'glorot_orthogonal'] as const;
/** An initialization scheme. */
export type InitScheme = (typeof INIT_SCHEMES)[number];

/** How to initialize a model's parameters. */
export interface InitOptions {
  scheme: InitScheme;
  /** LSTM: set the forget gate's bias to 1 (Jozefowicz et al. 2015): b_ih rows of f = 1, b_hh rows of f = 0. */
  forgetBiasOne: boolean;
}

/** PyTorch's default initialization. */
export const PYTORCH_INIT: InitOptions = { scheme: 'pytorch', forgetBiasOne: false };

/**
 * Seeded initialization. `pytorch`: every recurrent tensor U(-1/sqrt(H), 1/sqrt(H)), as
 * nn.RNN/LSTM/GRU do. `glorot_orthogonal`: W_ih U(±sqrt(6 / (fan_in + fan_out))) with
 * fan_in the layer's input size and fan_out G·H, W_hh with orthonormal columns, recurrent
 * biases 0, as Keras does. Either way the head is nn.Linear's U(±1/sqrt(fan_in)), the
 * embedding N(0, 1), W_hy and peepholes U(±1/sqrt(H)).
 */
export function initParams(config: ModelConfig, seed: number, init: InitOptions = PYTORCH_INIT): TensorMap {
  const rand = mulberry32(seed);
  const params: TensorMap = new Map();
  const H = config.hiddenSize;
  const fill = (t: Float64Array, k: number) => {
    for (let i = 0; i < t.length; i++) t[i] = uniform(rand, -k, k);
  };
  for (const spec of paramSpecs(config)) {
    const t = zeros(spec.shape);
    const kind = /^rnn\.(weight_ih|weight_hh|bias_ih|bias_hh)_/.exec(spec.name)?.[1];
    if (spec.name.startsWith('embedding.')) {
      for (let i = 0; i < t.data.length; i++) t.data[i] = normal(rand);
    } else if (spec.name.startsWith('head.')) {
      fill(t.data, 1 / Math.sqrt(H * directions(config)));
    } else if (init.scheme === 'glorot_orthogonal' && kind === 'weight_ih') {
      fill(t.data, Math.sqrt(6 / (spec.shape[1] + spec.shape[0])));
    } else if (init.scheme === 'glorot_orthogonal' && kind === 'weight_hh') {
      orthonormalColumns(t.data, spec.shape[0], spec.shape[1], rand);
    } else if (init.scheme === 'glorot_orthogonal' && (kind === 'bias_ih' || kind === 'bias_hh')) {
      // zeros
    } else {
      fill(t.data, 1 / Math.sqrt(H));
    }
    const f = gateNames(config).indexOf('f');
    if (init.forgetBiasOne && config.cell === 'lstm' && f >= 0 && (kind === 'bias_ih' || kind === 'bias_hh')) {
      t.data.fill(kind === 'bias_ih' ? 1 : 0, f * H, (f + 1) * H);
    }
    params.set(spec.name, t);
  }
  return params;
}

/**
 * Fills a (rows, cols) matrix, rows ≥ cols, with orthonormal columns: Gram-Schmidt
 * (twice, for float64 accuracy) on a Gaussian matrix, which makes it uniform over such matrices.
 */
function orthonormalColumns(m: Float64Array, rows: number, cols: number, rand: () => number): void {
  for (let i = 0; i < m.length; i++) m[i] = normal(rand);
  for (let c = 0; c < cols; c++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += m[r * cols + c] * m[r * cols + p];
        for (let r = 0; r < rows; r++) m[r * cols + c] -= dot * m[r * cols + p];
      }
    }
    let n = 0;
    for (let r = 0; r < rows; r++) n += m[r * cols + c] ** 2;
    n = Math.sqrt(n);
    for (let r = 0; r < rows; r++) m[r * cols + c] /= n;
  }
}
