/**
 * The seq2seq output view (src/train/inspectSeq2Seq.ts) against the backend's own greedy
 * decoding: the page's defaults train on the CPU, the view's source, target and predicted
 * rows are the validation example's and the backend's `predict`; and through the worker, the
 * page's seq2seq run starts, trains and answers the view.
 */
import { describe, expect, test } from 'vitest';
import { sliceSeq2SeqBatch } from '../../src/engine/seq2seq.ts';
import { defaultConfig } from '../../src/store/defaults.ts';
import { SEQ2SEQ_VOCABULARY } from '../../src/tasks/seq2seq.ts';
import type { ExampleView } from '../../src/train/inspect.ts';
import { inspectSeq2SeqExample } from '../../src/train/inspectSeq2Seq.ts';
import { prepareAnyRun, Trainer } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';

describe('seq2seq output view', () => {
  test('the page defaults train; the view is the validation example and the backend greedy decode', async () => {
    const run = prepareAnyRun(defaultConfig('seq2seq'));
    if (run.kind !== 'encoder-decoder') throw new Error('seq2seq should prepare an encoder-decoder run');
    const trainer = new Trainer(run);
    for (let i = 0; i < 60; i++) trainer.step();
    const params = await trainer.backend.getParams();
    for (const index of [0, 7, 100]) {
      const view = inspectSeq2SeqExample(run, params, index);
      const example = sliceSeq2SeqBatch(run.data.validation, index, 1);
      const n = example.sourceLengths[0];
      const m = example.targetLengths[0];
      expect(view.inputs).toEqual(Array.from(example.source.data.subarray(0, n), (id) => SEQ2SEQ_VOCABULARY[id]));
      expect(view.targets).toEqual(Array.from(example.targets.data.subarray(0, m), (id) => SEQ2SEQ_VOCABULARY[id]));
      expect(view.targets.at(-1)).toBe('</s>');
      const decoded = await (trainer.backend as { predict(b: typeof example): Promise<{ predictions: { data: Int32Array } }> }).predict(example);
      expect(view.predictions).toEqual(Array.from(decoded.predictions.data.subarray(0, m), (id) => SEQ2SEQ_VOCABULARY[id]));
      for (const p of view.confidence!) expect(p).toBeGreaterThan(0);
    }
    expect(() => inspectSeq2SeqExample(run, params, 10_000)).toThrow(/validation example 10000 is not in a set of/);
  }, 60_000);

  test('through the worker: the page default seq2seq run starts on the CPU, trains, and answers the example view', async () => {
    const client = new TrainerClient();
    try {
      const info = await client.init(defaultConfig('seq2seq'), 'cpu');
      expect(info.backend).toBe('cpu');
      for (let i = 0; i < 3; i++) await client.step();
      const view = (await client.inspect({ kind: 'example', index: 2 })) as ExampleView;
      expect(view.targets.at(-1)).toBe('</s>');
      expect(view.predictions).toHaveLength(view.targets.length);
      await expect(client.inspect({ kind: 'sample', prompt: '1', length: 3, temperature: 1, seed: 1 })).rejects.toThrow(/shows validation examples only/);
      await client.reset();
      await client.step();
    } finally {
      client.terminate();
    }
  }, 60_000);
});
