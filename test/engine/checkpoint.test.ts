/** Checkpoint and batch files: exact round trips, and every rejection names its field. */
import { describe, expect, test } from 'vitest';
import {
  FormatError,
  parseBatch,
  parseCheckpoint,
  serializeCheckpoint,
} from '../../src/engine/checkpoint.ts';
import { CELL_TYPES, initParams, paramSpecs, type ModelConfig } from '../../src/engine/model.ts';

/** JSON read from a file, which the cases below reshape freely (into wrong types too). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, broken on purpose
type Json = Record<string, any>;

const plain: ModelConfig = { cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 1, bidirectional: false, outputSize: 2 };
const withEmbedding: ModelConfig = { ...plain, cell: 'gru', outputSize: 5, embedding: { vocabSize: 5 } };

/** A checkpoint as it would come from a file: plain JSON, free to mutate. */
function checkpointJson(config: ModelConfig = plain): Json {
  return JSON.parse(JSON.stringify(serializeCheckpoint(config, initParams(config, 7))));
}

/** The FormatError `fn` throws. */
function formatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError, nothing was thrown');
}

describe('checkpoint round trip', () => {
  for (const cell of CELL_TYPES) {
    for (const [label, extra] of [
      ['L=1 uni', { numLayers: 1, bidirectional: false }],
      ['L=3 bi embedding', { numLayers: 3, bidirectional: true, embedding: { vocabSize: 6 } }],
    ] as const) {
      test(`${cell} ${label}: serialize -> JSON text -> parse gives the same model and bits`, () => {
        const config: ModelConfig = { ...plain, cell, ...extra };
        const params = initParams(config, 3);
        const parsed = parseCheckpoint(JSON.parse(JSON.stringify(serializeCheckpoint(config, params))));
        expect(parsed.config).toEqual(config);
        expect([...parsed.params.keys()]).toEqual(paramSpecs(config).map((s) => s.name));
        for (const [name, t] of params) {
          expect(parsed.params.get(name)!.shape, name).toEqual(t.shape);
          expect(parsed.params.get(name)!.data, name).toEqual(t.data);
        }
      });
    }
  }

  for (const [label, lstm] of [
    ['residual cell', { gates: { input: false, forget: false, output: false }, peepholes: false }],
    ['LSTM 1997 + peepholes, L=2 bi', { gates: { input: true, forget: false, output: true }, peepholes: true }],
  ] as const) {
    test(`lstm ${label}: round trip keeps the gates, peephole tensors and "pytorchCompatible": false`, () => {
      const config: ModelConfig = { ...plain, numLayers: 2, bidirectional: true, lstm };
      const params = initParams(config, 3);
      const json = JSON.parse(JSON.stringify(serializeCheckpoint(config, params)));
      expect(json.model.pytorchCompatible).toBe(false);
      expect(Object.keys(json.tensors).some((k) => k.includes('peephole'))).toBe(lstm.peepholes);
      const parsed = parseCheckpoint(json);
      expect(parsed.config).toEqual(config);
      for (const [name, t] of params) expect(parsed.params.get(name)!.data, name).toEqual(t.data);
    });
  }

  test('rnn_relu pure Jordan: round trip keeps outputFeedback, W_hy and no W_hh; "pytorchCompatible": false', () => {
    const config: ModelConfig = { ...plain, cell: 'rnn_relu', outputFeedback: { teacherForcing: true, recurrent: false } };
    const params = initParams(config, 3);
    const json = JSON.parse(JSON.stringify(serializeCheckpoint(config, params)));
    expect(json.model.pytorchCompatible).toBe(false);
    expect(Object.keys(json.tensors)).toEqual(['rnn.weight_ih_l0', 'rnn.bias_ih_l0', 'rnn.weight_hy_l0', 'head.weight', 'head.bias']);
    expect(json.tensors['rnn.weight_hy_l0'].shape).toEqual([4, 2]);
    expect(parseCheckpoint(json).config).toEqual(config);
    const twoLayers = { ...json, model: { ...json.model, numLayers: 2 } };
    expect(formatError(() => parseCheckpoint(twoLayers)).field).toBe('model.outputFeedback');
  });

  test('a standard model writes no pytorchCompatible key; claiming true for a peephole LSTM is refused', () => {
    expect(checkpointJson().model).not.toHaveProperty('pytorchCompatible');
    const peep = checkpointJson({ ...plain, lstm: { gates: { input: true, forget: true, output: true }, peepholes: true } });
    peep.model.pytorchCompatible = true;
    expect(formatError(() => parseCheckpoint(peep)).field).toBe('model.pytorchCompatible');
    const gru = checkpointJson(withEmbedding);
    gru.model.lstm = { gates: { input: true, forget: true, output: true }, peepholes: false };
    expect(formatError(() => parseCheckpoint(gru)).field).toBe('model.lstm');
  });

  test('serialize writes tensors in state_dict order', () => {
    const config: ModelConfig = { ...withEmbedding, numLayers: 2, bidirectional: true };
    expect(Object.keys(serializeCheckpoint(config, initParams(config, 1)).tensors)).toEqual(
      paramSpecs(config).map((s) => s.name),
    );
  });

  test('serialize refuses params missing a tensor', () => {
    const params = initParams(plain, 1);
    params.delete('head.bias');
    expect(() => serializeCheckpoint(plain, params)).toThrow(/head\.bias/);
  });
});

/** [case, mutate the checkpoint JSON, field, message pattern]. */
const checkpointCases: [string, (j: Json) => unknown, string, RegExp][] = [
  ['not an object', () => [1, 2], 'checkpoint', /expected an object, got a list/],
  ['wrong format', (j) => ((j.format = 'pytorch'), j), 'format', /expected "rnn-playground-checkpoint", got "pytorch"/],
  ['format missing', (j) => (delete j.format, j), 'format', /missing/],
  ['wrong version', (j) => ((j.version = 2), j), 'version', /unsupported version 2/],
  ['unexpected top-level key', (j) => ((j.optimizer = {}), j), 'optimizer', /unexpected key/],
  ['model missing', (j) => (delete j.model, j), 'model', /missing/],
  ['unknown cell', (j) => ((j.model.cell = 'transformer'), j), 'model.cell', /expected one of "rnn_tanh", .*got "transformer"/],
  ['non-integer hiddenSize', (j) => ((j.model.hiddenSize = 2.5), j), 'model.hiddenSize', /expected an integer, got 2\.5/],
  ['string inputSize', (j) => ((j.model.inputSize = '3'), j), 'model.inputSize', /expected an integer, got "3"/],
  ['zero outputSize', (j) => ((j.model.outputSize = 0), j), 'model.outputSize', /0 is out of range \(expected at least 1\)/],
  ['numLayers 5', (j) => ((j.model.numLayers = 5), j), 'model.numLayers', /5 is out of range \(expected in \[1, 4\]\)/],
  ['bidirectional not boolean', (j) => ((j.model.bidirectional = 'yes'), j), 'model.bidirectional', /true or false/],
  ['misspelt model key', (j) => ((j.model.hidden_size = 4), j), 'model.hidden_size', /unexpected key/],
  ['vocabSize 0', (j) => ((j.model.embedding = { vocabSize: 0 }), j), 'model.embedding.vocabSize', /out of range/],
  ['tensor missing', (j) => (delete j.tensors['rnn.bias_hh_l0'], j), 'tensors.rnn.bias_hh_l0', /missing \(expected shape \[16\]\)/],
  ['unexpected tensor', (j) => ((j.tensors['rnn.weight_ih_l1'] = j.tensors['rnn.weight_ih_l0']), j), 'tensors.rnn.weight_ih_l1', /unexpected tensor/],
  ['shape mismatch', (j) => ((j.tensors['rnn.weight_hh_l0'].shape = [16, 3]), j), 'tensors.rnn.weight_hh_l0.shape', /expected \[16, 4\], got \[16, 3\]/],
  ['negative shape entry', (j) => ((j.tensors['head.bias'].shape = [-2]), j), 'tensors.head.bias.shape[0]', /out of range/],
  ['shape not a list', (j) => ((j.tensors['head.bias'].shape = 2), j), 'tensors.head.bias.shape', /expected a list of sizes/],
  ['data length != shape', (j) => (j.tensors['head.bias'].data.pop(), j), 'tensors.head.bias.data', /has 1 values, but shape \[2\] holds 2/],
  ['non-numeric data', (j) => ((j.tensors['head.weight'].data[5] = 'abc'), j), 'tensors.head.weight.data[5]', /expected a finite number, got "abc"/],
  ['null data', (j) => ((j.tensors['head.weight'].data[0] = null), j), 'tensors.head.weight.data[0]', /got null/],
  ['nested data', (j) => ((j.tensors['head.bias'].data = [[1], [2]]), j), 'tensors.head.bias.data[0]', /got a list/],
  ['non-finite data', (j) => ((j.tensors['head.bias'].data[1] = Infinity), j), 'tensors.head.bias.data[1]', /got Infinity/],
  ['unexpected tensor key', (j) => ((j.tensors['head.bias'].dtype = 'float32'), j), 'tensors.head.bias.dtype', /unexpected key/],
];

describe('checkpoint validation names the field', () => {
  for (const [name, mutate, field, message] of checkpointCases) {
    test(`${name} -> ${field}`, () => {
      const e = formatError(() => parseCheckpoint(mutate(checkpointJson())));
      expect(e.field).toBe(field);
      expect(e.problem).toMatch(message);
      expect(e.message).toBe(`${field}: ${e.problem}`);
    });
  }

  test('1e999 in the JSON text (Infinity once parsed) -> its index', () => {
    const text = JSON.stringify(checkpointJson()).replace(/("head\.bias":\{"shape":\[2\],"data":\[)[^,]+/, '$11e999');
    expect(formatError(() => parseCheckpoint(JSON.parse(text))).field).toBe('tensors.head.bias.data[0]');
  });

  for (const where of ['top level', 'model', 'tensors']) {
    test(`__proto__ key in ${where} is an unexpected key, and Object.prototype is untouched`, () => {
      const j = checkpointJson();
      const owner = where === 'model' ? j.model : where === 'tensors' ? j.tensors : j;
      // An own "__proto__" property, as JSON.parse creates for that key.
      Object.defineProperty(owner, '__proto__', { value: { polluted: 1 }, enumerable: true });
      const e = formatError(() => parseCheckpoint(JSON.parse(JSON.stringify(j))));
      expect(e.field).toBe(where === 'top level' ? '__proto__' : `${where}.__proto__`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});

/** A valid batch for `plain` (mse) or `withEmbedding` (cross_entropy), free to mutate. */
function batchJson(tokens = false): Json {
  if (tokens) {
    return {
      tokens: { shape: [2, 3], data: [0, 1, 2, 3, 4, 0] },
      targets: { shape: [2, 3], data: [1, 2, 3, 4, 0, 1] },
      loss: 'cross_entropy',
      outputMode: 'sequence',
    };
  }
  return {
    inputs: { shape: [2, 3, 3], data: Array.from({ length: 18 }, (_, i) => i / 10) },
    targets: { shape: [2, 3, 2], data: Array.from({ length: 12 }, (_, i) => -i) },
    loss: 'mse',
    outputMode: 'sequence',
  };
}

describe('batch parsing', () => {
  test('inputs batch (B=2 T=3 I=3) mse sequence', () => {
    const b = parseBatch(batchJson(), plain);
    expect(b.inputs!.shape).toEqual([2, 3, 3]);
    expect(b.inputs!.data[17]).toBeCloseTo(1.7);
    expect(b.targets.shape).toEqual([2, 3, 2]);
    expect(b.tokens).toBeUndefined();
  });

  test('tokens batch (B=2 T=3) cross_entropy sequence reads ids as Int32Array', () => {
    const b = parseBatch(batchJson(true), withEmbedding);
    expect(b.tokens!.shape).toEqual([2, 3]);
    expect(b.tokens!.data).toEqual(Int32Array.from([0, 1, 2, 3, 4, 0]));
    expect(b.inputs).toBeUndefined();
  });

  test('last mode: mse targets (B, O), cross_entropy targets (B)', () => {
    const mse = { ...batchJson(), outputMode: 'last', targets: { shape: [2, 2], data: [1, 2, 3, 4] } };
    expect(parseBatch(mse, plain).targets.shape).toEqual([2, 2]);
    const ce = { ...batchJson(true), outputMode: 'last', targets: { shape: [2], data: [4, 0] } };
    expect(parseBatch(ce, withEmbedding).targets.data).toEqual(Float64Array.from([4, 0]));
  });
});

/** [case, uses tokens, mutate the batch JSON, field, message pattern]. */
const batchCases: [string, boolean, (j: Json) => unknown, string, RegExp][] = [
  ['not an object', false, () => 'x', 'batch', /expected an object/],
  ['unknown loss', false, (j) => ((j.loss = 'l1'), j), 'loss', /expected one of "mse", "cross_entropy", got "l1"/],
  ['unknown outputMode', false, (j) => ((j.outputMode = 'all'), j), 'outputMode', /expected one of "sequence", "last"/],
  ['inputs missing', false, (j) => (delete j.inputs, j), 'inputs', /missing/],
  ['tokens without an embedding', false, (j) => ((j.tokens = { shape: [2, 3], data: [0, 0, 0, 0, 0, 0] }), j), 'tokens', /no embedding/],
  ['inputs with an embedding', true, (j) => ((j.inputs = batchJson().inputs), j), 'inputs', /has an embedding/],
  ['inputs feature size != inputSize', false, (j) => ((j.inputs = { shape: [2, 3, 2], data: Array(12).fill(0) }), j), 'inputs.shape', /expected \[B, T, 3\] \(inputSize 3\), got \[2, 3, 2\]/],
  ['inputs rank 2', false, (j) => ((j.inputs = { shape: [2, 9], data: Array(18).fill(0) }), j), 'inputs.shape', /expected \[B, T, 3\]/],
  ['T == 0', false, (j) => ((j.inputs = { shape: [2, 0, 3], data: [] }), j), 'inputs.shape', /sequence length T is 0/],
  ['B == 0', true, (j) => ((j.tokens = { shape: [0, 3], data: [] }), j), 'tokens.shape', /batch size B is 0/],
  ['non-numeric input', false, (j) => ((j.inputs.data[4] = true), j), 'inputs.data[4]', /expected a finite number, got true/],
  ['token out of range', true, (j) => ((j.tokens.data[3] = 5), j), 'tokens.data[3]', /token id 5 is out of range \[0, 5\)/],
  ['negative token', true, (j) => ((j.tokens.data[0] = -1), j), 'tokens.data[0]', /out of range/],
  ['non-integer token', true, (j) => ((j.tokens.data[1] = 1.5), j), 'tokens.data[1]', /token id must be an integer, got 1\.5/],
  ['targets missing', false, (j) => (delete j.targets, j), 'targets', /missing/],
  ['targets B != inputs B', false, (j) => ((j.targets = { shape: [3, 3, 2], data: Array(18).fill(0) }), j), 'targets.shape', /expected \[B, T, O\] = \[2, 3, 2\], got \[3, 3, 2\] \(B is 2 in inputs\)/],
  ['targets T != tokens T', true, (j) => ((j.targets = { shape: [2, 4], data: Array(8).fill(0) }), j), 'targets.shape', /got \[2, 4\] \(T is 3 in tokens\)/],
  ['targets O != outputSize', false, (j) => ((j.targets = { shape: [2, 3, 3], data: Array(18).fill(0) }), j), 'targets.shape', /\(O is outputSize 2\)/],
  ['mse last given sequence targets', false, (j) => ((j.outputMode = 'last'), j), 'targets.shape', /expected \[B, O\] = \[2, 2\], got \[2, 3, 2\]/],
  ['class index out of range', true, (j) => ((j.targets.data[2] = 5), j), 'targets.data[2]', /class index 5 is out of range \[0, 5\)/],
  ['class index not an integer', true, (j) => ((j.targets.data[0] = 0.5), j), 'targets.data[0]', /class index must be an integer/],
  ['non-finite target', false, (j) => ((j.targets.data[11] = NaN), j), 'targets.data[11]', /got NaN/],
  ['unexpected batch key', false, (j) => ((j.mask = []), j), 'mask', /unexpected key/],
];

describe('batch validation names the field', () => {
  for (const [name, tokens, mutate, field, message] of batchCases) {
    test(`${name} -> ${field}`, () => {
      const e = formatError(() => parseBatch(mutate(batchJson(tokens)), tokens ? withEmbedding : plain));
      expect(e.field).toBe(field);
      expect(e.problem).toMatch(message);
    });
  }
});
