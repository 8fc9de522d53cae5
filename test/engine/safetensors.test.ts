/**
 * safetensors out and in (src/engine/safetensors.ts): the layout, round trips, every hostile
 * file the issue lists (truncated, wrong shapes, NaN or Infinity, wrong dtype, a header
 * claiming gigabytes, 100 MB), and interop with PyTorch through committed fixtures:
 * engine-*.safetensors that scripts/check_safetensors.py loads into nn.LSTM/nn.GRU, and
 * torch-*.safetensors written by torch, whose outputs the engine's forward must match.
 * UPDATE_SAFETENSORS_FIXTURES=1 rewrites the engine's fixtures (then run the script).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Batch } from '../../src/engine/batch.ts';
import { FormatError } from '../../src/engine/checkpoint.ts';
import { initParams, type ModelConfig } from '../../src/engine/model.ts';
import { forward } from '../../src/engine/network.ts';
import { mulberry32, normal } from '../../src/engine/random.ts';
import { MAX_HEADER_BYTES, fromSafetensors, toSafetensors } from '../../src/engine/safetensors.ts';
import type { TensorMap } from '../../src/engine/tensor.ts';
import { relError } from './helpers.ts';

const DIR = 'test/fixtures/safetensors';

const LSTM: ModelConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, outputSize: 2 };
const GRU_EMBEDDING: ModelConfig = { cell: 'gru', inputSize: 3, hiddenSize: 5, numLayers: 1, bidirectional: false, outputSize: 4, embedding: { vocabSize: 6 } };
const RNN: ModelConfig = { cell: 'rnn_relu', inputSize: 2, hiddenSize: 3, numLayers: 3, bidirectional: false, outputSize: 1 };

/** The header and data of a file, split. */
function parts(bytes: Uint8Array): { header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> & { __metadata__: Record<string, string> }; data: Uint8Array } {
  const n = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  return { header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))), data: bytes.subarray(8 + n) };
}

/** A file from a header (an object, or JSON text) and data bytes. */
function assemble(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** A valid export of the LSTM, edited by `edit` (header object and data bytes). */
function edited(edit: (header: ReturnType<typeof parts>['header'], data: Uint8Array) => Uint8Array | void): Uint8Array {
  const { header, data } = parts(toSafetensors(LSTM, initParams(LSTM, 1)));
  const copy = new Uint8Array(data);
  return assemble(header, edit(header, copy) ?? copy);
}

/** Expects fromSafetensors to refuse with a FormatError whose message matches. */
function expectRefused(bytes: Uint8Array, message: RegExp, config = LSTM): void {
  let error: unknown;
  try {
    fromSafetensors(bytes, config);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(FormatError);
  expect((error as Error).message).toMatch(message);
}

/** Float32 rounding of every tensor, what a round trip through F32 keeps. */
function rounded(params: TensorMap): TensorMap {
  return new Map([...params].map(([k, t]) => [k, { shape: t.shape, data: t.data.map(Math.fround) }]));
}

describe('toSafetensors', () => {
  test('the layout: 8-byte little-endian header length, JSON padded to 8 bytes, F32 tensors in state_dict order, contiguous', () => {
    const bytes = toSafetensors(LSTM, initParams(LSTM, 1));
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(0);
    expect(n % 8).toBe(0);
    const { header, data } = parts(bytes);
    expect(header.__metadata__.format).toBe('pt');
    expect(JSON.parse(header.__metadata__.model)).toEqual(LSTM);
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names).toEqual(['rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0', 'rnn.weight_ih_l0_reverse', 'rnn.weight_hh_l0_reverse', 'rnn.bias_ih_l0_reverse', 'rnn.bias_hh_l0_reverse', 'rnn.weight_ih_l1', 'rnn.weight_hh_l1', 'rnn.bias_ih_l1', 'rnn.bias_hh_l1', 'rnn.weight_ih_l1_reverse', 'rnn.weight_hh_l1_reverse', 'rnn.bias_ih_l1_reverse', 'rnn.bias_hh_l1_reverse', 'head.weight', 'head.bias']);
    let end = 0;
    for (const name of names) {
      expect(header[name].dtype).toBe('F32');
      expect(header[name].data_offsets[0]).toBe(end);
      end = header[name].data_offsets[1];
    }
    expect(end).toBe(data.length);
    expect(header['rnn.weight_ih_l1'].shape).toEqual([16, 8]);
  });

  test.each([
    ['peepholes', { ...LSTM, lstm: { gates: { input: true, forget: true, output: true }, peepholes: true } }, 'nn.LSTM has no peephole connections'],
    ['a gate switched off', { ...LSTM, lstm: { gates: { input: true, forget: false, output: true }, peepholes: false } }, 'an LSTM with gates switched off has no PyTorch equivalent'],
    ['Jordan output feedback', { ...RNN, numLayers: 1, outputFeedback: { teacherForcing: false, recurrent: true } }, 'Jordan output feedback has no PyTorch equivalent'],
  ] as const)('refuses a model PyTorch does not have (%s), naming the reason', (_, config, reason) => {
    expect(() => toSafetensors(config as ModelConfig, initParams(config as ModelConfig, 1))).toThrow(`Cannot export to PyTorch: ${reason}.`);
  });
});

describe('fromSafetensors', () => {
  test.each([['lstm 2 layers bidirectional', LSTM], ['gru with embedding', GRU_EMBEDDING], ['rnn_relu 3 layers', RNN]])('round trip: %s comes back as its float32 values', (_, config) => {
    const params = initParams(config, 3);
    expect(fromSafetensors(toSafetensors(config, params), config)).toEqual(rounded(params));
  });

  test('F64 tensors are read too', () => {
    const params = initParams(LSTM, 2);
    const bytes = edited((header) => {
      let offset = 0;
      const chunks: number[] = [];
      for (const [name, t] of params) {
        header[name] = { dtype: 'F64', shape: t.shape, data_offsets: [offset, offset + t.data.length * 8] };
        offset += t.data.length * 8;
        chunks.push(...t.data);
      }
      return new Uint8Array(new Float64Array(chunks).buffer);
    });
    expect(fromSafetensors(bytes, LSTM)).toEqual(params);
  });

  test('truncated anywhere: a clear message', () => {
    const bytes = toSafetensors(LSTM, initParams(LSTM, 1));
    const n = new DataView(bytes.buffer).getUint32(0, true);
    expectRefused(bytes.subarray(0, 5), /^header length: the file is 5 bytes long, too short/);
    expectRefused(bytes.subarray(0, 8 + n - 10), /^header length: claims a \d+-byte header, but only \d+ bytes follow \(truncated\?\)/);
    expectRefused(bytes.subarray(0, 8 + n + 100), /^rnn\.\w+\.data_offsets: end \d+ is past the data's 100 bytes \(truncated\?\)/);
    expectRefused(bytes.subarray(0, bytes.length - 1), /^head\.bias\.data_offsets: end \d+ is past the data's \d+ bytes/);
  });

  test('wrong shapes, missing and unexpected tensors name the tensor', () => {
    expectRefused(edited((h) => void (h['rnn.weight_hh_l1'].shape = [4, 16])), /^rnn\.weight_hh_l1\.shape: expected \[16, 4\], got \[4, 16\]$/);
    expectRefused(edited((h) => void delete (h as Record<string, unknown>)['head.bias']), /^head\.bias: missing \(expected shape \[2\]\)$/);
    expectRefused(edited((h) => void ((h as Record<string, unknown>)['rnn.weight_ih_l2'] = h['head.bias'])), /^tensor "rnn.weight_ih_l2": is not a tensor of this model$/);
    // A `__proto__` key in the JSON is an own key of the parsed header, and just an unexpected name.
    const { header, data } = parts(toSafetensors(LSTM, initParams(LSTM, 1)));
    expectRefused(assemble(JSON.stringify(header).replace('{', '{"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},'), data), /^tensor "__proto__": is not a tensor of this model$/);
  });

  test('a model of another shape is refused by the metadata, naming the field', () => {
    const gru = toSafetensors({ ...LSTM, cell: 'gru' }, initParams({ ...LSTM, cell: 'gru' }, 1));
    expectRefused(gru, /^__metadata__\.model\.cell: the file's model has "gru", this model "lstm"$/);
    expectRefused(toSafetensors({ ...LSTM, hiddenSize: 5 }, initParams({ ...LSTM, hiddenSize: 5 }, 1)), /^__metadata__\.model\.hiddenSize: the file's model has 5, this model 4$/);
  });

  test('NaN and Infinity values are refused, naming the tensor and index', () => {
    expectRefused(edited((h, data) => new DataView(data.buffer).setFloat32(h['rnn.bias_hh_l0'].data_offsets[0] + 4 * 3, NaN, true)), /^rnn\.bias_hh_l0\[3\]: is NaN; weights must be finite$/);
    expectRefused(edited((h, data) => new DataView(data.buffer).setFloat32(h['head.weight'].data_offsets[0], -Infinity, true)), /^head\.weight\[0\]: is -Infinity; weights must be finite$/);
  });

  test('another dtype is refused, naming it', () => {
    expectRefused(edited((h) => void (h['head.weight'].dtype = 'BF16')), /^head\.weight\.dtype: is "BF16"; this page reads F32 or F64$/);
    expectRefused(edited((h) => void (h['head.weight'].dtype = 'I64')), /^head\.weight\.dtype: is "I64"/);
  });

  test('offsets that overlap, leave gaps, or do not match the shape are refused', () => {
    expectRefused(edited((h) => void (h['head.bias'].data_offsets = [0, 8])), /^head\.bias\.data_offsets: \[0, 8\] overlaps another tensor's data$/);
    expectRefused(edited((h, data) => {
      for (const name of Object.keys(h)) if (name !== '__metadata__') h[name].data_offsets = h[name].data_offsets.map((o) => o + 4) as [number, number];
      const more = new Uint8Array(data.length + 4);
      more.set(data, 4);
      return more;
    }), /^rnn\.weight_ih_l0\.data_offsets: starts at 4, leaving bytes 0 to 4 unused$/);
    expectRefused(edited((h) => void (h['head.bias'].data_offsets = [h['head.bias'].data_offsets[0], h['head.bias'].data_offsets[1] + 4])), /^head\.bias\.data_offsets: \[\d+, \d+\] holds 12 bytes; \[2\] of F32 needs 8$/);
    expectRefused(edited((_, data) => new Uint8Array([...data, 0, 0, 0, 0])), /^file: has 4 bytes after the last tensor's data$/);
    expectRefused(edited((h) => void ((h['head.bias'] as { data_offsets: unknown }).data_offsets = ['0', 8])), /^head\.bias\.data_offsets: expected \[begin, end\]/);
  });

  test('a header claiming gigabytes is refused from its 8 bytes', () => {
    const bytes = new Uint8Array(toSafetensors(LSTM, initParams(LSTM, 1)));
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 3_000_000_000, true);
    expectRefused(bytes, new RegExp(`^header length: claims a 3000000000-byte header; the most this page reads is ${MAX_HEADER_BYTES}$`));
    view.setUint32(4, 0xffffffff, true);
    expectRefused(bytes, /^header length: claims a 18446744\d+-byte header/);
  });

  test('a 100 MB file is refused by its size before anything is parsed', () => {
    const huge = new Uint8Array(100 * 1024 * 1024);
    const start = performance.now();
    expectRefused(huge, /^file: is 104857600 bytes; a safetensors file of this model \(\d+ parameters\) has at most \d+$/);
    expect(performance.now() - start).toBeLessThan(50);
  });

  test('a header that is not JSON, not an object, or has non-string metadata', () => {
    const bad = (text: string) => {
      const json = new TextEncoder().encode(text);
      const out = new Uint8Array(8 + json.length);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      return out;
    };
    expectRefused(bad('{"head.weight": '), /^header: is not valid UTF-8 JSON$/);
    expectRefused(bad('[1, 2]'), /^header: expected a JSON object, got a list$/);
    expectRefused(new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe]), /^header: is not valid UTF-8 JSON$/);
    expectRefused(bad('{"__metadata__": {"format": 1}}'), /^__metadata__\."format": expected a string, got 1$/);
  });
});

/** A committed case: the model, its inputs and the outputs the other side computed. */
interface Case {
  config: ModelConfig;
  outputMode: Batch['outputMode'];
  inputs?: { shape: number[]; data: number[] };
  tokens?: { shape: [number, number]; data: number[] };
  outputs: { shape: number[]; data: number[] };
}

/** A batch for the engine's forward from a case's inputs (the targets are zeros; only outputs are compared). */
function batchOf(c: Case): Batch {
  const [B, T] = (c.inputs ?? c.tokens)!.shape;
  const loss = 'mse';
  const targets = c.outputMode === 'sequence' ? { shape: [B, T, c.config.outputSize], data: new Float64Array(B * T * c.config.outputSize) } : { shape: [B, c.config.outputSize], data: new Float64Array(B * c.config.outputSize) };
  return {
    inputs: c.inputs && { shape: c.inputs.shape, data: Float64Array.from(c.inputs.data) },
    tokens: c.tokens && { shape: c.tokens.shape, data: Int32Array.from(c.tokens.data) },
    targets,
    loss,
    outputMode: c.outputMode,
  };
}

/** The engine's exports that the Python script checks: the model, a seed for weights and inputs. */
const EXPORTS: { name: string; config: ModelConfig; outputMode: Batch['outputMode'] }[] = [
  { name: 'engine-lstm-l2-bi', config: LSTM, outputMode: 'sequence' },
  { name: 'engine-gru-embedding', config: GRU_EMBEDDING, outputMode: 'last' },
];

/** The case an export's fixture holds, computed now: seeded weights through F32, seeded inputs, the engine's outputs. */
function exportCase(e: (typeof EXPORTS)[number]): { file: Uint8Array; json: Case } {
  const file = toSafetensors(e.config, initParams(e.config, 11));
  const rand = mulberry32(12);
  const [B, T] = [2, 5];
  const c: Case = { config: e.config, outputMode: e.outputMode, outputs: { shape: [], data: [] } };
  if (e.config.embedding) c.tokens = { shape: [B, T], data: Array.from({ length: B * T }, () => Math.floor(rand() * e.config.embedding!.vocabSize)) };
  else c.inputs = { shape: [B, T, e.config.inputSize], data: Array.from({ length: B * T * e.config.inputSize }, () => normal(rand)) };
  const out = forward(e.config, fromSafetensors(file, e.config), batchOf(c)).outputs;
  c.outputs = { shape: out.shape, data: Array.from(out.data) };
  return { file, json: c };
}

describe('interop with PyTorch (fixtures from scripts/check_safetensors.py)', () => {
  test.each(EXPORTS)('$name: the committed export is what toSafetensors writes, with the outputs PyTorch was checked against', (e) => {
    const { file, json } = exportCase(e);
    if (process.env.UPDATE_SAFETENSORS_FIXTURES) {
      writeFileSync(`${DIR}/${e.name}.safetensors`, file);
      writeFileSync(`${DIR}/${e.name}.json`, `${JSON.stringify(json, null, 1)}\n`);
    }
    expect(new Uint8Array(readFileSync(`${DIR}/${e.name}.safetensors`))).toEqual(file);
    const committed: Case = JSON.parse(readFileSync(`${DIR}/${e.name}.json`, 'utf8'));
    expect(committed).toEqual(json);
  });

  test('a file torch wrote (2-layer bidirectional nn.LSTM + nn.Linear) loads, and the engine’s forward matches torch’s outputs', () => {
    const c: Case = JSON.parse(readFileSync(`${DIR}/torch-lstm-l2-bi.json`, 'utf8'));
    const params = fromSafetensors(new Uint8Array(readFileSync(`${DIR}/torch-lstm-l2-bi.safetensors`)), c.config);
    const out = forward(c.config, params, batchOf(c)).outputs;
    expect(out.shape).toEqual(c.outputs.shape);
    const error = relError(out.data, c.outputs.data);
    console.log(`torch-made safetensors: engine forward vs torch, relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-9);
  });
});
