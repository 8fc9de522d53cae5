/**
 * Weights in and out as safetensors, the file `safetensors.torch.load_file` reads, with
 * PyTorch's tensor names (`rnn.weight_ih_l0`, `rnn.weight_hh_l0_reverse`, `head.weight`),
 * so `nn.LSTM.load_state_dict` takes them once the `rnn.` prefix is stripped.
 *
 * The format (https://github.com/huggingface/safetensors):
 *   8 bytes     N, the header's length, unsigned little-endian
 *   N bytes     JSON: { "__metadata__": { string: string }, name: { dtype, shape, data_offsets: [begin, end] }, ... }
 *   the rest    raw little-endian tensor data; offsets are relative to its start, and the
 *               tensors cover it exactly: no gaps, no overlaps, nothing after
 * We write F32 in `state_dict` order, the header padded with spaces to a multiple of 8, and
 * metadata `format: pt` plus `model`, the ModelConfig as JSON, which import checks.
 *
 * Import reads files from users, so nothing in them is trusted and everything is checked
 * before anything is returned: the file's size (before parsing anything), the header length
 * (within the file, at most MAX_HEADER_BYTES), the JSON, every expected tensor with its
 * dtype (F32 or F64), shape and offsets, and every value finite. Errors are FormatErrors
 * naming the tensor or field. Tensor names from the file are only compared with the
 * model's, never used to build objects.
 */
import { FormatError } from './checkpoint.ts';
import { paramSpecs, pytorchIncompatibility, type ModelConfig } from './model.ts';
import { formatShape, sameShape, shapeSize, type TensorMap } from './tensor.ts';

/** Largest header import reads (1 MB; a model of this playground needs a few kB). */
export const MAX_HEADER_BYTES = 1 << 20;

/** Bytes per element of the dtypes import accepts. */
const ITEM_BYTES = { F32: 4, F64: 8 } as const;

/** The model config as the metadata records it (the fields PyTorch's model has). */
function modelMetadata(config: ModelConfig): string {
  const { cell, inputSize, hiddenSize, numLayers, bidirectional, outputSize, embedding } = config;
  return JSON.stringify({ cell, inputSize, hiddenSize, numLayers, bidirectional, outputSize, ...(embedding ? { embedding: { vocabSize: embedding.vocabSize } } : {}) });
}

/**
 * A safetensors file of the model's parameters, F32, with PyTorch's names. Throws for a
 * model PyTorch does not have (the reason named) and for missing or misshapen tensors.
 */
export function toSafetensors(config: ModelConfig, params: TensorMap): Uint8Array<ArrayBuffer> {
  const why = pytorchIncompatibility(config);
  if (why) throw new Error(`Cannot export to PyTorch: ${why}.`);
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', model: modelMetadata(config) } };
  const specs = paramSpecs(config);
  let offset = 0;
  for (const { name, shape } of specs) {
    const t = params.get(name);
    if (!t) throw new Error(`toSafetensors: tensor ${name} is missing`);
    if (!sameShape(t.shape, shape)) throw new Error(`toSafetensors: ${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}`);
    const bytes = shapeSize(shape) * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > json.length) json = new TextEncoder().encode(JSON.stringify(header) + ' '.repeat(padded - json.length));

  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length, true);
  view.setUint32(4, 0, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const { name } of specs) {
    for (const v of params.get(name)!.data) {
      view.setFloat32(at, v, true);
      at += 4;
    }
  }
  return out;
}

/** Describes a JSON value briefly for messages (never echoes long text). */
function describe(v: unknown): string {
  if (typeof v === 'string') return v.length <= 16 && /^[\w.-]*$/.test(v) ? `"${v}"` : 'a string';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : typeof v;
}

/** Whether a JSON value is a plain object. */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Reads and validates a safetensors file for `config`; returns the tensors (float64) only
 * when everything checks out, else throws a FormatError naming the problem.
 */
export function fromSafetensors(bytes: Uint8Array, config: ModelConfig): TensorMap {
  const specs = paramSpecs(config);
  const elements = specs.reduce((n, s) => n + shapeSize(s.shape), 0);
  const largest = 8 + MAX_HEADER_BYTES + elements * ITEM_BYTES.F64;
  if (bytes.length > largest) {
    throw new FormatError('file', `is ${bytes.length} bytes; a safetensors file of this model (${elements} parameters) has at most ${largest}`);
  }
  if (bytes.length < 8) throw new FormatError('header length', `the file is ${bytes.length} bytes long, too short for the 8-byte header length (truncated?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + view.getUint32(0, true);
  if (n > MAX_HEADER_BYTES) throw new FormatError('header length', `claims a ${n}-byte header; the most this page reads is ${MAX_HEADER_BYTES}`);
  if (8 + n > bytes.length) throw new FormatError('header length', `claims a ${n}-byte header, but only ${bytes.length - 8} bytes follow (truncated?)`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch {
    throw new FormatError('header', 'is not valid UTF-8 JSON');
  }
  if (!isObject(header)) throw new FormatError('header', `expected a JSON object, got ${describe(header)}`);
  checkMetadata(header, config);

  const expected = new Set(specs.map((s) => s.name));
  for (const key of Object.keys(header)) {
    if (key !== '__metadata__' && !expected.has(key)) throw new FormatError(`tensor ${describe(key)}`, 'is not a tensor of this model');
  }
  const dataLength = bytes.length - 8 - n;
  const placed: { name: string; begin: number; end: number; itemBytes: number; shape: number[] }[] = [];
  for (const { name, shape } of specs) {
    if (!Object.hasOwn(header, name)) throw new FormatError(name, `missing (expected shape ${formatShape(shape)})`);
    const entry = header[name];
    if (!isObject(entry)) throw new FormatError(name, `expected {dtype, shape, data_offsets}, got ${describe(entry)}`);
    const dtype = entry.dtype;
    if (dtype !== 'F32' && dtype !== 'F64') throw new FormatError(`${name}.dtype`, `is ${describe(dtype)}; this page reads F32 or F64`);
    const got = entry.shape;
    if (!Array.isArray(got) || !got.every((d) => Number.isInteger(d) && d >= 0)) throw new FormatError(`${name}.shape`, `expected a list of sizes, got ${describe(got)}`);
    if (!sameShape(got, shape)) throw new FormatError(`${name}.shape`, `expected ${formatShape(shape)}, got ${formatShape(got)}`);
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw new FormatError(`${name}.data_offsets`, `expected [begin, end], got ${describe(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const itemBytes = ITEM_BYTES[dtype];
    if (end - begin !== shapeSize(shape) * itemBytes) {
      throw new FormatError(`${name}.data_offsets`, `[${begin}, ${end}] holds ${end - begin} bytes; ${formatShape(shape)} of ${dtype} needs ${shapeSize(shape) * itemBytes}`);
    }
    if (end > dataLength) throw new FormatError(`${name}.data_offsets`, `end ${end} is past the data's ${dataLength} bytes (truncated?)`);
    placed.push({ name, begin, end, itemBytes, shape });
  }
  // The tensors must cover the data exactly, as the format requires: sorted, each starts where the last ended.
  const sorted = [...placed].sort((a, b) => a.begin - b.begin);
  let covered = 0;
  for (const p of sorted) {
    if (p.begin < covered) throw new FormatError(`${p.name}.data_offsets`, `[${p.begin}, ${p.end}] overlaps another tensor's data`);
    if (p.begin > covered) throw new FormatError(`${p.name}.data_offsets`, `starts at ${p.begin}, leaving bytes ${covered} to ${p.begin} unused`);
    covered = p.end;
  }
  if (covered !== dataLength) throw new FormatError('file', `has ${dataLength - covered} bytes after the last tensor's data`);

  const tensors: TensorMap = new Map();
  const start = 8 + n;
  for (const { name, begin, itemBytes, shape } of placed) {
    const data = new Float64Array(shapeSize(shape));
    for (let i = 0; i < data.length; i++) {
      const at = start + begin + i * itemBytes;
      const v = itemBytes === 4 ? view.getFloat32(at, true) : view.getFloat64(at, true);
      if (!Number.isFinite(v)) throw new FormatError(`${name}[${i}]`, `is ${v}; weights must be finite`);
      data[i] = v;
    }
    tensors.set(name, { shape: [...shape], data });
  }
  return tensors;
}

/** Checks `__metadata__`: string values only, and a `model` (when present) that is the model being loaded into. */
function checkMetadata(header: Record<string, unknown>, config: ModelConfig): void {
  if (!Object.hasOwn(header, '__metadata__')) return;
  const meta = header.__metadata__;
  if (!isObject(meta)) throw new FormatError('__metadata__', `expected an object of strings, got ${describe(meta)}`);
  for (const key of Object.keys(meta)) {
    if (typeof meta[key] !== 'string') throw new FormatError(`__metadata__.${describe(key)}`, `expected a string, got ${describe(meta[key])}`);
  }
  if (!Object.hasOwn(meta, 'model')) return;
  let model: unknown;
  try {
    model = JSON.parse(meta.model as string);
  } catch {
    throw new FormatError('__metadata__.model', 'is not valid JSON');
  }
  const ours = JSON.parse(modelMetadata(config)) as Record<string, unknown>;
  if (!isObject(model)) throw new FormatError('__metadata__.model', `expected a model config, got ${describe(model)}`);
  for (const key of Object.keys(ours)) {
    if (JSON.stringify(model[key]) !== JSON.stringify(ours[key])) {
      throw new FormatError(`__metadata__.model.${key}`, `the file's model has ${describe(model[key])}, this model ${describe(ours[key])}`);
    }
  }
  if (Object.hasOwn(model, 'embedding') && !Object.hasOwn(ours, 'embedding')) throw new FormatError('__metadata__.model.embedding', 'the file\'s model has an embedding, this model has none');
}
