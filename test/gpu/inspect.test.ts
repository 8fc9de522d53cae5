/**
 * The task views' data (src/train/inspect.ts) against the engine's own passes: an example's
 * prediction is the engine's on that example alone, sampling one symbol at a time with the carried state gives
 * what the whole sequence read at once predicts, a sentence's last prefix scores as the task
 * scores that validation sentence, and the forecast's first value is the model's next value.
 * Then `inspect` through the worker while it trains.
 */
import { describe, expect, test } from 'vitest';
import { defaultOptimizer, forward, PYTORCH_INIT, type Batch } from '../../src/engine/index.ts';
import { SHIPPED_TEXT } from '../../src/tasks/charModel.ts';
import { SENTIMENT_FILE } from '../../src/tasks/sentiment.ts';
import { argmax, type TaskFiles } from '../../src/tasks/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { inspectExample, inspectSample, inspectSentence } from '../../src/train/inspect.ts';
import { sliceBatch } from '../../src/train/slices.ts';
import { prepareRun, Trainer } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';

const FILES: TaskFiles = new Map(await Promise.all([SHIPPED_TEXT, SENTIMENT_FILE].map(async (path) => [path, await (await fetch(`/${path}`)).text()] as const)));

/** A small config for a task. */
function config(task: string, settings: TrainerConfig['task']['settings'], encoding?: 'one-hot' | 'embedding'): TrainerConfig {
  return {
    task: { id: task, settings: encoding ? { ...settings, encoding } : settings },
    seed: 5,
    model: { cell: 'lstm', hiddenSize: 8, numLayers: 1, bidirectional: false, embeddingSize: 6 },
    init: PYTORCH_INIT,
    training: { optimizer: { ...defaultOptimizer('adam'), lr: 0.02 }, batchSize: 8, window: null, stateful: false, dropout: 0, evalEvery: 0 },
  };
}

/** A CPU trainer after a few steps, with a float64 copy of its weights. */
async function trained(cfg: TrainerConfig, steps = 5) {
  const trainer = new Trainer(prepareRun(cfg, FILES));
  for (let i = 0; i < steps; i++) trainer.step();
  return { trainer, run: trainer.run, params: await trainer.backend.getParams() };
}

/** Softmax of a row. */
function softmax(row: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(row));
  const e = Array.from(row, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

describe('inspect', () => {
  test('example (adding T=10, example 3): inputs and target are the validation set’s, the prediction the engine’s', async () => {
    const { run, params } = await trained(config('adding', { T: 10 }));
    const view = inspectExample(run, params, 3);
    const example = sliceBatch(run.data.validation, 3, 1);
    const predicted = forward(run.model, params, example).outputs;
    expect(view.inputs).toHaveLength(10);
    expect(view.inputs[4]).toEqual(Array.from(example.inputs!.data.subarray(8, 10)));
    expect(view.targets).toEqual([example.targets.data[0]]);
    expect(view.predictions[0]).toBeCloseTo(predicted.data[0], 12);
    expect(() => inspectExample(run, params, 256)).toThrow(/not in a set of 256/);
  });

  test('example (copy k=2 delay=3, one-hot): symbols decoded, the recall steps marked as scored', async () => {
    const { run, params } = await trained(config('copy', { k: 2, delay: 3 }));
    const view = inspectExample(run, params, 0);
    expect(view.inputs).toHaveLength(8);
    expect((view.inputs as string[])[5]).toBe('>');
    expect(view.scored).toEqual([6, 7]);
    expect(view.targets.slice(0, 6)).toEqual(['_', '_', '_', '_', '_', '_']);
    expect(view.confidence!.every((p) => p > 0 && p <= 1)).toBe(true);
  });

  test('time series forecast (T=12): the first value is the model’s next value after the example and its last target', async () => {
    const { run, params } = await trained(config('time-series', { T: 12 }));
    const view = inspectExample(run, params, 0, 5);
    expect(view.forecast).toHaveLength(5);
    const history = [...(view.inputs as number[][]).map((v) => v[0]), view.targets[11] as number].slice(-12);
    const batch: Batch = { inputs: { shape: [1, 12, 1], data: Float64Array.from(history) }, targets: { shape: [1, 12, 1], data: new Float64Array(12) }, loss: 'mse', outputMode: 'sequence' };
    expect(view.forecast![0]).toBeCloseTo(forward(run.model, params, batch).outputs.data[11], 12);
  });

  for (const encoding of ['one-hot', 'embedding'] as const) {
    test(`greedy sample (char model, ${encoding}): one symbol at a time with the carried state is what the whole sequence predicts`, async () => {
      const { run, params } = await trained(config('char-model', { T: 8 }, encoding), 10);
      const prompt = 'It is a ';
      const { text } = inspectSample(run, params, prompt, 12, 0, 1);
      expect(text).toHaveLength(12);
      const vocabulary = (run.data.needs.input as { vocabulary: readonly string[] }).vocabulary;
      const ids = Int32Array.from([...prompt, ...text.slice(0, -1)], (s) => vocabulary.indexOf(s));
      const T = ids.length;
      const V = vocabulary.length;
      const batch: Batch = run.model.embedding
        ? { tokens: { shape: [1, T], data: ids }, targets: { shape: [1, T], data: new Float64Array(T) }, loss: 'cross_entropy', outputMode: 'sequence' }
        : { inputs: { shape: [1, T, V], data: Float64Array.from({ length: T * V }, (_, i) => (ids[Math.floor(i / V)] === i % V ? 1 : 0)) }, targets: { shape: [1, T], data: new Float64Array(T) }, loss: 'cross_entropy', outputMode: 'sequence' };
      const { outputs } = forward(run.model, params, batch);
      const greedy = Array.from({ length: 12 }, (_, i) => vocabulary[argmax(outputs.data, (prompt.length - 1 + i) * V, V)]).join('');
      expect(text).toBe(greedy);
      expect(() => inspectSample(run, params, 'Ω', 5, 1, 1)).toThrow(/not in the text's vocabulary/);
    });
  }

  test('sentence (sentiment, one-hot): after the last word it scores as the task scores that validation sentence', async () => {
    const { run, params } = await trained(config('sentiment', {}, 'one-hot'), 10);
    const vocabulary = (run.data.needs.input as { vocabulary: readonly string[] }).vocabulary;
    const example = sliceBatch(run.data.validation, 0, 1);
    const T = run.data.needs.sequenceLength;
    const ids = Array.from({ length: T }, (_, t) => argmax(example.inputs!.data, t * vocabulary.length, vocabulary.length)).filter((id) => id !== 0);
    const text = ids.map((id) => vocabulary[id]).join(' ');
    const view = inspectSentence(run, params, text);
    expect(view.words).toHaveLength(ids.length);
    expect(view.labels).toEqual(run.data.needs.outputLabels);
    const expected = softmax(forward(run.model, params, example).outputs.data);
    view.probabilities.at(-1)!.forEach((p, k) => expect(p).toBeCloseTo(expected[k], 10));
    expect(inspectSentence(run, params, 'zzzq wonderful').words[0]).toBe('<unk>');
    expect(() => inspectSentence(run, params, '   ')).toThrow(/at least one word/);
  });

  test('worker: inspect answers while training runs, and training goes on', async () => {
    const client = new TrainerClient();
    let steps = 0;
    client.onMetrics = (m) => (steps = m.stepsSubmitted);
    try {
      await client.init(config('adding', { T: 10 }), 'cpu');
      await client.play();
      await new Promise((r) => setTimeout(r, 300));
      const view = await client.inspect({ kind: 'example', index: 1 });
      expect(view.kind).toBe('example');
      const before = steps;
      await new Promise((r) => setTimeout(r, 300));
      expect(steps).toBeGreaterThan(before);
      await client.pause();
      await expect(client.inspect({ kind: 'sample', prompt: 'a', length: 3, temperature: 1, seed: 1 })).rejects.toThrow(/does not predict a next symbol/);
    } finally {
      client.terminate();
    }
  });
});
