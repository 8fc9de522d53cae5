/** What every recurrent task promises: seeded batches bit for bit, shapes its needs describe, a fixed validation set, and a batch the engine accepts. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { Batch } from '../../src/engine/batch.ts';
import { initParams } from '../../src/engine/model.ts';
import { lossAndGrads } from '../../src/engine/network.ts';
import { metricValue, modelConfig, SEQUENCE_SHAPES, TASKS, taskById, type RecurrentTask, type TaskSettings } from '../../src/tasks/index.ts';
import { FILES, perfectOutputs } from './helpers.ts';

/** SHA-256 of the raw bytes of every array in a batch, for bit-for-bit comparison. */
function bytes(batch: Batch): string[] {
  return [batch.inputs?.data, batch.tokens?.data, batch.targets.data]
    .filter((a) => a !== undefined)
    .map((a) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex'));
}

const recurrent = TASKS.filter((t): t is RecurrentTask => t.kind === 'recurrent');
/** Each recurrent task at its defaults, and the symbolic ones with the other encoding too. */
const cases: [string, RecurrentTask, Partial<TaskSettings>][] = recurrent.flatMap((task) => {
  const encoding = task.info.settings.find((s) => s.key === 'encoding');
  const other = encoding && (encoding.default === 'one-hot' ? 'embedding' : 'one-hot');
  return [[`${task.info.id} (defaults)`, task, {}], ...(other ? [[`${task.info.id} encoding=${other}`, task, { encoding: other }] as [string, RecurrentTask, Partial<TaskSettings>]] : [])];
});

describe('registry', () => {
  test('ids are unique and taskById finds each; an unknown id names the known ones', () => {
    const ids = TASKS.map((t) => t.info.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(taskById(id).info.id).toBe(id);
    expect(() => taskById('nope')).toThrow(/unknown task "nope"; known: time-series, adding/);
  });

  test('every task states a shape, settings with defaults in range, and one-line help', () => {
    for (const { info } of TASKS) {
      expect(SEQUENCE_SHAPES).toContain(info.shape);
      expect(info.description.length).toBeGreaterThan(100);
      for (const s of info.settings) {
        expect(s.help.length, `${info.id}.${s.key}`).toBeGreaterThan(10);
        expect(s.help).not.toContain('\n');
        if (s.kind === 'number') expect(s.default >= s.min && s.default <= s.max, `${info.id}.${s.key}`).toBe(true);
      }
    }
  });

  test('only seq2seq needs the encoder-decoder, and no task is marked coming (every one trains)', () => {
    const encoderDecoder = TASKS.filter((t) => t.kind === 'encoder-decoder');
    expect(encoderDecoder.map((t) => t.info.id)).toEqual(['seq2seq']);
    expect(encoderDecoder[0].kind === 'encoder-decoder' && encoderDecoder[0].coming).toBeUndefined();
  });
});

describe.each(cases)('%s', (_, task, settings) => {
  const { info } = task;
  const data = task.create(settings, 7, FILES);
  const { needs } = data;
  const B = 3;
  const T = needs.sequenceLength;

  test('same seed and step: identical batches, bit for bit', () => {
    expect(bytes(task.create(settings, 7, FILES).trainBatch(5, B))).toEqual(bytes(data.trainBatch(5, B)));
  });

  test('different seeds and different steps give different batches', () => {
    expect(bytes(task.create(settings, 8, FILES).trainBatch(5, B))).not.toEqual(bytes(data.trainBatch(5, B)));
    expect(bytes(data.trainBatch(6, B))).not.toEqual(bytes(data.trainBatch(5, B)));
  });

  test('shapes and values match the needs', () => {
    for (const batch of [data.trainBatch(0, B), data.validation]) {
      const n = batch.targets.shape[0];
      expect(batch.loss).toBe(info.loss);
      expect(batch.outputMode).toBe(info.outputMode);
      const input = needs.input;
      if (input.kind === 'tokens') {
        expect(batch.inputs).toBeUndefined();
        expect(batch.tokens!.shape).toEqual([n, T]);
        expect(batch.tokens!.data.every((id) => id >= 0 && id < input.vocabulary.length)).toBe(true);
      } else {
        expect(batch.tokens).toBeUndefined();
        const I = input.kind === 'features' ? input.labels.length : input.vocabulary.length;
        expect(batch.inputs!.shape).toEqual([n, T, I]);
        if (input.kind === 'one-hot') {
          for (let r = 0; r < n * T; r++) expect(batch.inputs!.data.subarray(r * I, (r + 1) * I).reduce((a, x) => a + x, 0)).toBe(1);
        }
      }
      const rows = info.outputMode === 'sequence' ? [n, T] : [n];
      expect(batch.targets.shape).toEqual(info.loss === 'mse' ? [...rows, needs.outputSize] : rows);
      if (info.loss === 'cross_entropy') {
        expect(needs.outputLabels).toHaveLength(needs.outputSize);
        expect(batch.targets.data.every((k) => Number.isInteger(k) && k >= 0 && k < needs.outputSize)).toBe(true);
      }
    }
    expect(data.trainBatch(0, B).targets.shape[0]).toBe(B);
  });

  test('the validation set is the same for every call and every seed', () => {
    data.trainBatch(0, B);
    expect(bytes(task.create(settings, 123, FILES).validation)).toEqual(bytes(data.validation));
  });

  test('perfect outputs score the ideal, and the baseline is a finite reference', () => {
    const ideal = metricValue(data.metric, perfectOutputs(data.validation, needs.outputSize), data.validation);
    if (data.metric.name.includes('MSE')) expect(ideal).toBe(0);
    else if (data.metric.name === 'perplexity') expect(ideal).toBeCloseTo(1, 9);
    else expect(ideal).toBe(1);
    expect(Number.isFinite(data.metric.baseline.value)).toBe(true);
    expect(data.metric.baseline.description.length).toBeGreaterThan(10);
  });

  test(`engine smoke: lstm H=4 from the needs takes a batch and gives a finite loss`, () => {
    const config = modelConfig(info, needs, { cell: 'lstm', hiddenSize: 4, numLayers: 1, bidirectional: info.bidirectional === 'needed', embeddingSize: 3 });
    const batch = data.trainBatch(0, 2);
    const r = lossAndGrads(config, initParams(config, 1), batch);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.outputs.shape).toEqual(info.outputMode === 'sequence' ? [2, T, needs.outputSize] : [2, needs.outputSize]);
    expect(Number.isFinite(metricValue(data.metric, r.outputs, batch))).toBe(true);
  });
});
