/**
 * Checkpoint and batch files (formats in docs/checkpoint.md): parse, validate, serialize.
 *
 * The JSON comes from users, so nothing in it is trusted. Every check names the
 * field it failed on as a path (`model.hiddenSize`, `tensors.rnn.weight_hh_l0.data[7]`,
 * `targets.shape`). Keys are read only through `Object.hasOwn`, and user-chosen keys
 * are only compared against known names, never used to index or build objects, so a
 * `__proto__` key is just an unexpected key.
 */
import type { Batch, TokenTensor } from './batch.ts';
import { CELL_TYPES, LOSS_KINDS, OUTPUT_MODES, paramSpecs, pytorchIncompatibility, type ModelConfig } from './model.ts';
import { formatShape, sameShape, shapeSize, type Tensor, type TensorMap } from './tensor.ts';

/** The `format` string every checkpoint carries. */
export const CHECKPOINT_FORMAT = 'rnn-playground-checkpoint';
/** The checkpoint version this build reads and writes. */
export const CHECKPOINT_VERSION = 1;
/** Most stacked recurrent layers a model may have. */
export const MAX_LAYERS = 4;

/** A checkpoint or batch that does not follow its format; `field` is the path of the offending value. */
export class FormatError extends Error {
  /** Path of the offending value, e.g. `tensors.head.weight.shape`. */
  readonly field: string;
  /** What is wrong with it, without the field. */
  readonly problem: string;

  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.name = 'FormatError';
    this.field = field;
    this.problem = problem;
  }
}

/** A tensor as JSON: its shape and its values in row-major order. */
export interface TensorJson {
  shape: number[];
  data: number[];
}

/** A checkpoint as JSON, as `serializeCheckpoint` writes it. */
export interface CheckpointJson {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  model: ModelConfig;
  tensors: Record<string, TensorJson>;
}

/** Reads and validates a checkpoint; throws `FormatError` naming the first bad field. */
export function parseCheckpoint(json: unknown): { config: ModelConfig; params: TensorMap } {
  const root = object(json, 'checkpoint');
  onlyKeys(root, ['format', 'version', 'model', 'tensors'], '');
  const format = required(root, 'format', 'format');
  if (format !== CHECKPOINT_FORMAT) {
    throw new FormatError('format', `expected "${CHECKPOINT_FORMAT}", got ${describe(format)}`);
  }
  const version = required(root, 'version', 'version');
  if (version !== CHECKPOINT_VERSION) {
    throw new FormatError('version', `unsupported version ${describe(version)} (this build reads ${CHECKPOINT_VERSION})`);
  }
  const config = parseModel(required(root, 'model', 'model'));

  const tensors = object(required(root, 'tensors', 'tensors'), 'tensors');
  const specs = paramSpecs(config);
  const expected = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(tensors)) {
    if (!expected.has(key)) throw new FormatError(`tensors.${key}`, `unexpected tensor for this model`);
  }
  const params: TensorMap = new Map();
  for (const { name, shape } of specs) {
    const field = `tensors.${name}`;
    if (!Object.hasOwn(tensors, name)) throw new FormatError(field, `missing (expected shape ${formatShape(shape)})`);
    const t = tensor(tensors[name], field, (got) =>
      sameShape(got, shape) ? null : `expected ${formatShape(shape)}, got ${formatShape(got)}`,
    );
    params.set(name, t);
  }
  return { config, params };
}

/** Writes a checkpoint as a JSON-ready object, tensors in `state_dict` order; the inverse of `parseCheckpoint`. */
export function serializeCheckpoint(config: ModelConfig, params: TensorMap): CheckpointJson {
  const tensors = paramSpecs(config).map(({ name, shape }) => {
    const t = params.get(name);
    if (!t) throw new Error(`serializeCheckpoint: tensor ${name} is missing`);
    if (!sameShape(t.shape, shape)) {
      throw new Error(`serializeCheckpoint: ${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    }
    return [name, tensorToJson(t)] as const;
  });
  const { cell, inputSize, hiddenSize, numLayers, bidirectional, outputSize, embedding, lstm, outputFeedback } = config;
  const model: ModelConfig & { pytorchCompatible?: false } = { cell, inputSize, hiddenSize, numLayers, bidirectional, outputSize };
  if (embedding) model.embedding = { vocabSize: embedding.vocabSize };
  if (lstm) model.lstm = { gates: { ...lstm.gates }, peepholes: lstm.peepholes };
  if (outputFeedback) model.outputFeedback = { ...outputFeedback };
  if (pytorchIncompatibility(config)) model.pytorchCompatible = false;
  return { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, model, tensors: Object.fromEntries(tensors) };
}

/** A tensor as JSON, with plain arrays. */
export function tensorToJson(t: Tensor): TensorJson {
  return { shape: [...t.shape], data: Array.from(t.data) };
}

/**
 * Reads and validates a batch for `config`; throws `FormatError` naming the first bad field.
 * The model decides between `inputs` (B, T, inputSize) and `tokens` (B, T); the loss and
 * output mode decide the targets' shape (see src/engine/batch.ts).
 */
export function parseBatch(json: unknown, config: ModelConfig): Batch {
  const root = object(json, 'batch');
  onlyKeys(root, ['inputs', 'tokens', 'targets', 'loss', 'outputMode'], '');
  const loss = oneOf(required(root, 'loss', 'loss'), LOSS_KINDS, 'loss');
  const outputMode = oneOf(required(root, 'outputMode', 'outputMode'), OUTPUT_MODES, 'outputMode');

  const [given, other] = config.embedding ? ['tokens', 'inputs'] : ['inputs', 'tokens'];
  if (Object.hasOwn(root, other)) {
    const why = config.embedding ? 'the model has an embedding, so it reads token ids' : 'the model has no embedding';
    throw new FormatError(other, `not allowed: ${why}; give "${given}" instead`);
  }
  const source = required(root, given, given);
  let inputs: Tensor | undefined;
  let tokens: TokenTensor | undefined;
  let B: number;
  let T: number;
  if (config.embedding) {
    const t = tensor(source, 'tokens', (s) => (s.length === 2 ? null : `expected [B, T], got ${formatShape(s)}`));
    [B, T] = t.shape;
    const vocab = config.embedding.vocabSize;
    integers(t.data, 'tokens.data', vocab, 'token id');
    tokens = { shape: [B, T], data: Int32Array.from(t.data) };
  } else {
    const I = config.inputSize;
    inputs = tensor(source, 'inputs', (s) =>
      s.length === 3 && s[2] === I ? null : `expected [B, T, ${I}] (inputSize ${I}), got ${formatShape(s)}`,
    );
    [B, T] = inputs.shape;
  }
  if (B === 0) throw new FormatError(`${given}.shape`, 'batch size B is 0; need at least one sequence');
  if (T === 0) throw new FormatError(`${given}.shape`, 'sequence length T is 0; need at least one step');

  const O = config.outputSize;
  const dims: [string, number][] = loss === 'mse' ? [['B', B], ['T', T], ['O', O]] : [['B', B], ['T', T]];
  if (outputMode === 'last') dims.splice(1, 1);
  const targets = tensor(required(root, 'targets', 'targets'), 'targets', (s) => targetShapeProblem(s, dims, given));
  if (loss === 'cross_entropy') integers(targets.data, 'targets.data', O, 'class index');
  return { inputs, tokens, targets, loss, outputMode };
}

/** Why a targets shape is wrong for dims (name, size) read from `source`, or null. */
function targetShapeProblem(got: number[], dims: [string, number][], source: string): string | null {
  const want = dims.map(([, n]) => n);
  if (sameShape(got, want)) return null;
  const names = dims.map(([d]) => d).join(', ');
  let why = '';
  if (got.length === want.length) {
    const i = got.findIndex((n, j) => n !== want[j]);
    const [d] = dims[i];
    why = d === 'O' ? ` (${d} is outputSize ${want[i]})` : ` (${d} is ${want[i]} in ${source})`;
  }
  return `expected [${names}] = ${formatShape(want)}, got ${formatShape(got)}${why}`;
}

/** Reads the `model` object. */
function parseModel(json: unknown): ModelConfig {
  const m = object(json, 'model');
  onlyKeys(m, ['cell', 'inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'outputSize', 'embedding', 'lstm', 'outputFeedback', 'pytorchCompatible'], 'model');
  const config: ModelConfig = {
    cell: oneOf(required(m, 'cell', 'model.cell'), CELL_TYPES, 'model.cell'),
    inputSize: size(required(m, 'inputSize', 'model.inputSize'), 'model.inputSize'),
    hiddenSize: size(required(m, 'hiddenSize', 'model.hiddenSize'), 'model.hiddenSize'),
    numLayers: integer(required(m, 'numLayers', 'model.numLayers'), 'model.numLayers', 1, MAX_LAYERS),
    bidirectional: boolean(required(m, 'bidirectional', 'model.bidirectional'), 'model.bidirectional'),
    outputSize: size(required(m, 'outputSize', 'model.outputSize'), 'model.outputSize'),
  };
  if (Object.hasOwn(m, 'embedding')) {
    const e = object(m.embedding, 'model.embedding');
    onlyKeys(e, ['vocabSize'], 'model.embedding');
    config.embedding = { vocabSize: size(required(e, 'vocabSize', 'model.embedding.vocabSize'), 'model.embedding.vocabSize') };
  }
  if (Object.hasOwn(m, 'lstm')) {
    if (config.cell !== 'lstm') throw new FormatError('model.lstm', `only an lstm has these options, the cell is ${config.cell}`);
    const o = object(m.lstm, 'model.lstm');
    onlyKeys(o, ['gates', 'peepholes'], 'model.lstm');
    const g = object(required(o, 'gates', 'model.lstm.gates'), 'model.lstm.gates');
    onlyKeys(g, ['input', 'forget', 'output'], 'model.lstm.gates');
    const gate = (k: string) => boolean(required(g, k, `model.lstm.gates.${k}`), `model.lstm.gates.${k}`);
    config.lstm = {
      gates: { input: gate('input'), forget: gate('forget'), output: gate('output') },
      peepholes: boolean(required(o, 'peepholes', 'model.lstm.peepholes'), 'model.lstm.peepholes'),
    };
  }
  if (Object.hasOwn(m, 'outputFeedback')) {
    const field = 'model.outputFeedback';
    if (config.cell !== 'rnn_tanh' && config.cell !== 'rnn_relu') throw new FormatError(field, `only rnn_tanh and rnn_relu have output feedback, the cell is ${config.cell}`);
    if (config.numLayers !== 1 || config.bidirectional) throw new FormatError(field, 'output feedback needs one layer, unidirectional');
    if (config.embedding) throw new FormatError(field, 'output feedback does not take an embedding (inputs are features)');
    const o = object(m.outputFeedback, field);
    onlyKeys(o, ['teacherForcing', 'recurrent'], field);
    config.outputFeedback = {
      teacherForcing: boolean(required(o, 'teacherForcing', `${field}.teacherForcing`), `${field}.teacherForcing`),
      recurrent: boolean(required(o, 'recurrent', `${field}.recurrent`), `${field}.recurrent`),
    };
  }
  if (Object.hasOwn(m, 'pytorchCompatible')) {
    const claimed = boolean(m.pytorchCompatible, 'model.pytorchCompatible');
    const why = pytorchIncompatibility(config);
    if (claimed !== !why) throw new FormatError('model.pytorchCompatible', claimed ? `is true, but ${why}` : 'is false, but this model is a plain PyTorch one');
  }
  return config;
}

/**
 * Reads `{shape, data}`: shape a list of non-negative integers, judged by `shapeProblem`
 * (null when fine), then data a flat list of finite numbers, as many as the shape holds.
 */
function tensor(json: unknown, field: string, shapeProblem: (shape: number[]) => string | null): Tensor {
  const t = object(json, field);
  onlyKeys(t, ['shape', 'data'], field);
  const rawShape = required(t, 'shape', `${field}.shape`);
  if (!Array.isArray(rawShape)) throw new FormatError(`${field}.shape`, `expected a list of sizes, got ${describe(rawShape)}`);
  const shape = rawShape.map((d, i) => integer(d, `${field}.shape[${i}]`, 0, Number.MAX_SAFE_INTEGER));
  const problem = shapeProblem(shape);
  if (problem) throw new FormatError(`${field}.shape`, problem);

  const raw = required(t, 'data', `${field}.data`);
  if (!Array.isArray(raw)) throw new FormatError(`${field}.data`, `expected a flat list of numbers, got ${describe(raw)}`);
  const n = shapeSize(shape);
  if (raw.length !== n) {
    throw new FormatError(`${field}.data`, `has ${raw.length} values, but shape ${formatShape(shape)} holds ${n}`);
  }
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v: unknown = raw[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FormatError(`${field}.data[${i}]`, `expected a finite number, got ${describe(v)}`);
    }
    data[i] = v;
  }
  return { shape, data };
}

/** Checks every value is an integer in [0, count): token ids or class indices. */
function integers(data: Float64Array, field: string, count: number, what: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) throw new FormatError(`${field}[${i}]`, `${what} must be an integer, got ${v}`);
    if (v < 0 || v >= count) throw new FormatError(`${field}[${i}]`, `${what} ${v} is out of range [0, ${count})`);
  }
}

type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not a list). */
function object(json: unknown, field: string): JsonObject {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FormatError(field, `expected an object, got ${describe(json)}`);
  }
  return json as JsonObject;
}

/** The own value at `key`, or a "missing" error. */
function required(o: JsonObject, key: string, field: string): unknown {
  if (!Object.hasOwn(o, key)) throw new FormatError(field, 'missing');
  return o[key];
}

/** Rejects keys other than `allowed`, so a misspelt optional key is not silently ignored. */
function onlyKeys(o: JsonObject, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new FormatError(field ? `${field}.${key}` : key, `unexpected key (expected one of ${allowed.join(', ')})`);
    }
  }
}

/** One of a fixed set of strings. */
function oneOf<T extends string>(v: unknown, options: readonly T[], field: string): T {
  if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
  throw new FormatError(field, `expected one of ${options.map((o) => `"${o}"`).join(', ')}, got ${describe(v)}`);
}

/** An integer in [min, max]. */
function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new FormatError(field, `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `in [${min}, ${max}]`;
    throw new FormatError(field, `${v} is out of range (expected ${range})`);
  }
  return v;
}

/** A positive size. */
function size(v: unknown, field: string): number {
  return integer(v, field, 1, Number.MAX_SAFE_INTEGER);
}

function boolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new FormatError(field, `expected true or false, got ${describe(v)}`);
  return v;
}

/** A short description of a JSON value for error messages. */
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'number') return String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
