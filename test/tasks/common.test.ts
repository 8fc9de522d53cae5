/** The shared pieces: settings, seeded streams, metrics by hand, encodings and the model config. */
import { describe, expect, test } from 'vitest';
import type { Batch } from '../../src/engine/batch.ts';
import { addTallies, accuracyTally, argmax, integerSetting, meanOf, metricValue, modelConfig, mseMetric, perplexityMetric, resolveSettings, symbolInputs, taskById, TaskError, type SettingSpec } from '../../src/tasks/index.ts';
import { trainRandom } from '../../src/tasks/streams.ts';
import { logits } from './helpers.ts';

const SPECS: SettingSpec[] = [
  integerSetting('T', 'Sequence length T', 10, 2, 20, 'steps per sequence'),
  { kind: 'number', key: 'noise', label: 'Noise σ', help: 'noise level', default: 0.1, min: 0, max: 1, step: 0.01, integer: false },
  { kind: 'choice', key: 'mode', label: 'Mode', help: 'which mode', default: 'a', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
  { kind: 'text', key: 'text', label: 'Text', help: 'some text', default: '', maxLength: 5 },
];

describe('resolveSettings', () => {
  test('fills defaults and keeps given values', () => {
    expect(resolveSettings(SPECS, { T: 4, mode: 'b' })).toEqual({ T: 4, noise: 0.1, mode: 'b', text: '' });
  });

  test.each([
    [{ T: 21 }, 'Sequence length T must be between 2 and 20, not 21'],
    [{ T: 2.5 }, 'Sequence length T must be a whole number, not 2.5'],
    [{ noise: Number.NaN }, 'Noise σ must be a number'],
    [{ mode: 'c' }, 'Mode must be one of a, b, not "c"'],
    [{ text: 'too long' }, 'Text is 8 characters long; the most is 5'],
    [{ typo: 1 }, 'unknown setting "typo"'],
  ])('rejects %j', (given, message) => {
    expect(() => resolveSettings(SPECS, given)).toThrow(new TaskError(message));
  });
});

describe('seeded streams', () => {
  test('a step draws the same numbers every time, and other steps and seeds draw others', () => {
    const draw = (seed: number, step: number) => Array.from({ length: 4 }, trainRandom(seed, step, 1));
    expect(draw(1, 5)).toEqual(draw(1, 5));
    expect(draw(1, 6)).not.toEqual(draw(1, 5));
    expect(draw(2, 5)).not.toEqual(draw(1, 5));
  });

  test('rejects a negative or fractional step and an empty batch', () => {
    expect(() => trainRandom(1, -1, 4)).toThrow('step must be a whole number ≥ 0, not -1');
    expect(() => trainRandom(1, 0.5, 4)).toThrow('step must be a whole number ≥ 0, not 0.5');
    expect(() => trainRandom(1, 0, 0)).toThrow('batch size must be a whole number ≥ 1, not 0');
  });
});

describe('metrics by hand', () => {
  test('argmax takes the first of equal maxima', () => {
    expect(argmax([0, 3, 3, 1], 0, 4)).toBe(1);
    expect(argmax([9, 9, 0, 2, 1], 2, 3)).toBe(1);
  });

  test('accuracy: 2 of 3 rows right (a tie goes to class 0)', () => {
    const t = accuracyTally(logits([3, 2], [[1, 2], [3, 0], [0, 0]]), [1, 0, 1], [0, 1, 2]);
    expect(t).toEqual({ sum: 2, count: 3 });
    expect(meanOf(t)).toBeCloseTo(2 / 3, 15);
  });

  test('tallies of two slices add up to the tally of the whole', () => {
    const out = logits([4, 2], [[1, 0], [0, 1], [1, 0], [1, 0]]);
    const targets = [0, 0, 0, 1];
    expect(addTallies(accuracyTally(out, targets, [0, 1]), accuracyTally(out, targets, [2, 3]))).toEqual(accuracyTally(out, targets, [0, 1, 2, 3]));
  });

  const text = { name: 'm', description: 'd', baseline: { value: 0, description: 'b' } };
  const batch = (targets: number[], shape: number[], loss: Batch['loss']): Batch => ({ targets: { shape, data: Float64Array.from(targets) }, loss, outputMode: 'last' });

  test('MSE: outputs (1, 2) against targets (0, 4) give (1 + 4) / 2', () => {
    expect(metricValue(mseMetric(text), { shape: [2, 1], data: Float64Array.of(1, 2) }, batch([0, 4], [2, 1], 'mse'))).toBe(2.5);
  });

  test('perplexity: equal logits over 4 classes give 4; a sure right answer gives 1', () => {
    const m = perplexityMetric(text);
    expect(metricValue(m, logits([2, 4], [[0, 0, 0, 0], [5, 5, 5, 5]]), batch([2, 0], [2], 'cross_entropy'))).toBeCloseTo(4, 12);
    expect(metricValue(m, logits([1, 3], [[0, 800, 0]]), batch([1], [1], 'cross_entropy'))).toBe(1);
  });
});

describe('encodings', () => {
  test('one-hot rows for ids (B=1, T=3, V=3), or the ids themselves as tokens', () => {
    const ids = Int32Array.of(2, 0, 1);
    expect(Array.from(symbolInputs(ids, 1, 3, 3, 'one-hot').inputs!.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(symbolInputs(ids, 1, 3, 3, 'embedding')).toEqual({ tokens: { shape: [1, 3], data: ids } });
  });
});

describe('modelConfig', () => {
  const arch = { cell: 'gru' as const, hiddenSize: 8, numLayers: 2, bidirectional: false, embeddingSize: 5 };
  const { info } = taskById('copy');

  test('features and one-hot set the input size; tokens add an embedding of the vocabulary', () => {
    expect(modelConfig(info, { input: { kind: 'features', labels: ['a', 'b'] }, outputSize: 1, sequenceLength: 3 }, arch)).toEqual({ cell: 'gru', hiddenSize: 8, numLayers: 2, bidirectional: false, inputSize: 2, outputSize: 1 });
    expect(modelConfig(info, { input: { kind: 'one-hot', vocabulary: ['x', 'y', 'z'] }, outputSize: 3, sequenceLength: 3 }, arch).inputSize).toBe(3);
    const tokens = modelConfig(info, { input: { kind: 'tokens', vocabulary: ['x', 'y', 'z'] }, outputSize: 3, sequenceLength: 3 }, arch);
    expect([tokens.inputSize, tokens.embedding]).toEqual([5, { vocabSize: 3 }]);
  });

  test('refuses tokens without an embedding size, and a bidirectional model where it would read the targets', () => {
    expect(() => modelConfig(info, { input: { kind: 'tokens', vocabulary: ['x'] }, outputSize: 1, sequenceLength: 1 }, { ...arch, embeddingSize: undefined })).toThrow(/choose an embedding size/);
    const reber = taskById('reber').info;
    expect(() => modelConfig(reber, { input: { kind: 'one-hot', vocabulary: ['x'] }, outputSize: 1, sequenceLength: 1 }, { ...arch, bidirectional: true })).toThrow(
      'Embedded Reber grammar cannot use a bidirectional model: the reverse direction would read the next symbol, the one to predict',
    );
  });
});
