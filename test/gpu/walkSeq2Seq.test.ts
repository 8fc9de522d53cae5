/**
 * The worker's `walk` for an encoder-decoder run (src/train/walk.ts → seq2seqWalk): the decoder's
 * inputs are drawn with the coins of the trainer's next step, and the walk's totals equal
 * seq2seqLossAndGrads on that example as a batch of one at the same teacher forcing, on weights
 * from the CPU and from the WebGPU backend, and through the worker while it trains (the CPU engine
 * reproduces the worker's weights bit for bit). Labels name the source and the decoder's inputs.
 */
import { describe, expect, test } from 'vitest';
import { seq2seqLossAndGrads, sliceSeq2SeqBatch, type TensorMap } from '../../src/engine/index.ts';
import { largestSingularValue } from '../../src/engine/spectral.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { prepareAnyRun, type PreparedSeq2SeqRun } from '../../src/train/Trainer.ts';
import { TrainerClient } from '../../src/train/TrainerClient.ts';
import { walkExample, type Seq2SeqWalkView } from '../../src/train/walk.ts';
import { gpuTest } from './device.ts';
import { expectTotalsMatch, smallConfig, trained } from './walkHelpers.ts';

/** A small seq2seq config whose teacher forcing falls linearly from 1 to 0 over 10 steps (r = 0.5 at step 5). */
function config(cell: TrainerConfig['model']['cell'], numLayers = 1): TrainerConfig {
  return smallConfig({ id: 'seq2seq', settings: { operation: 'reverse', minLength: 2, maxLength: 5 } }, 7, { cell, hiddenSize: 6, numLayers, bidirectional: false, embeddingSize: 4 }, { teacherForcing: { kind: 'linear', start: 1, end: 0, steps: 10 } });
}

/** The run of a config, as an encoder-decoder run. */
function seq2seqRun(cfg: TrainerConfig): PreparedSeq2SeqRun {
  const run = prepareAnyRun(cfg);
  if (run.kind !== 'encoder-decoder') throw new Error('seq2seq should prepare an encoder-decoder run');
  return run;
}

/** The view against the reference engine on the same example, weights and teacher forcing; labels against the vocabulary. */
function expectMatchesEngine(view: Seq2SeqWalkView, run: PreparedSeq2SeqRun, params: TensorMap, tf: { ratio: number; seed: number; step: number }): void {
  const example = sliceSeq2SeqBatch(run.data.validation, (view.request as { index: number }).index, 1);
  expect(view.walk.teacherForcing).toEqual(tf);
  const reference = seq2seqLossAndGrads(run.seq2seq, params, example, tf);
  expect(view.walk.loss).toBe(reference.loss);
  expectTotalsMatch(view.walk.encoder.dirs, reference.grads, 'encoder');
  expectTotalsMatch(view.walk.decoder.dirs, reference.grads, 'decoder');
  const U = example.targetLengths[0];
  expect(Array.from(view.walk.decoderInputs)).toEqual(Array.from(reference.inputs.data.subarray(0, U)));
  const vocabulary = run.data.needs.vocabulary;
  expect(view.sourceLabels).toEqual(Array.from(example.source.data, (id) => vocabulary[id]));
  expect(view.targetLabels.at(-1)).toBe('</s>');
  expect(view.decoderLabels[0]).toBe('<s>');
  for (let u = 1; u < U; u++) {
    const from = view.walk.inputSource[u] === 'target' ? view.targetLabels : view.predictionLabels;
    expect(view.decoderLabels[u]).toBe(from[u - 1]);
  }
}

describe('walk of an encoder-decoder run', () => {
  test('gru 2 layers after 5 CPU steps (r = 0.5), example 3: totals equal seq2seqLossAndGrads at the trainer’s next teacher forcing; σ_max of both stacks; refusals', async () => {
    const cfg = config('gru', 2);
    const { trainer, run, params } = await trained(seq2seqRun(cfg), 5);
    const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 3 }, trainer.stepIndex);
    expect(view.kind).toBe('seq2seq');
    expect(view.step).toBe(5);
    const tf = trainer.teacherForcing();
    expect(tf.ratio).toBe(0.5);
    expectMatchesEngine(view, run, params, tf);
    expect(view.walk.encoder.T).toBe(5);
    expect(view.sigmaMax).toHaveLength(4);
    expect(view.sigmaMax[1]).toBeCloseTo(largestSingularValue(params.get('encoder.weight_hh_l1')!.data, 18, 6), 12);
    expect(view.sigmaMax[2]).toBeCloseTo(largestSingularValue(params.get('decoder.weight_hh_l0')!.data, 18, 6), 12);
    // Every step's matrices fit the budget at this size.
    expect(view.walk.decoder.dirs[0].matrices).toHaveLength(view.walk.decoder.T);
    expect(() => walkExample(run, trainer.settings, params, { kind: 'example', index: 256 }, 5)).toThrow(/validation example 256 is not in a set of 256/);
    expect(() => walkExample(run, trainer.settings, params, { kind: 'text', text: '12' }, 5)).toThrow(/walks its validation examples: choose one by index/);
  });

  gpuTest('lstm after 4 WebGPU steps: totals equal seq2seqLossAndGrads at the GPU’s weights', async () => {
    const cfg = config('lstm');
    const { trainer, run, params } = await trained(seq2seqRun(cfg), 4, true);
    try {
      expect(trainer.backend.kind).toBe('webgpu');
      const view = walkExample(run, trainer.settings, params, { kind: 'example', index: 1 }, trainer.stepIndex);
      expectMatchesEngine(view, run, params, trainer.teacherForcing());
      expect(view.walk.handOverGrad.c).toHaveLength(1);
    } finally {
      trainer.dispose();
    }
  });

  test('worker (CPU), rnn_tanh: walk answers while training runs; paused, its totals equal the reference at the weights a CPU trainer reaches in as many steps', async () => {
    const client = new TrainerClient();
    let steps = 0;
    client.onMetrics = (m) => (steps = m.stepsSubmitted);
    const cfg = config('rnn_tanh');
    try {
      await client.init(cfg, 'cpu');
      await client.play();
      await new Promise((r) => setTimeout(r, 300));
      const during = await client.walk({ kind: 'example', index: 2 });
      expect(during.kind).toBe('seq2seq');
      const before = steps;
      await new Promise((r) => setTimeout(r, 300));
      expect(steps).toBeGreaterThan(before);
      await client.pause();
      const view = await client.walk({ kind: 'example', index: 2 });
      if (view.kind !== 'seq2seq') throw new Error('expected an encoder-decoder walk');
      expect(view.step).toBeGreaterThan(0);
      const { trainer, run, params } = await trained(seq2seqRun(cfg), view.step);
      expect(trainer.stepIndex).toBe(view.step);
      expectMatchesEngine(view, run, params, trainer.teacherForcing());
      await expect(client.walk({ kind: 'text', text: '12' })).rejects.toThrow(/walks its validation examples/);
    } finally {
      client.terminate();
    }
  });
});
