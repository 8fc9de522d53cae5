/**
 * The Trainer end to end: seeded runs repeat bit for bit on the CPU, and each task, trained
 * a fixed number of steps with a fixed seed on WebGPU, beats its trivial baseline on the
 * validation set. Each case logs steps, seconds and the metric reached, for the README.
 */
import { describe, expect, test } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT, type OptimizerConfig, type TrainingBackend } from '../../src/engine/index.ts';
import { SHIPPED_TEXT } from '../../src/tasks/charModel.ts';
import { SENTIMENT_FILE } from '../../src/tasks/sentiment.ts';
import { metricValue, type Architecture, type TaskFiles } from '../../src/tasks/index.ts';
import { teacherForcingRatio, type TeacherForcingSchedule, type TrainerConfig } from '../../src/train/config.ts';
import { prepareAnyRun, prepareRun, Trainer } from '../../src/train/Trainer.ts';
import { gpuDevice, gpuTest } from './device.ts';

/** The shipped text, fetched as the app fetches it (public/ is served at the root). */
const FILES: TaskFiles = new Map(await Promise.all([SHIPPED_TEXT, SENTIMENT_FILE].map(async (path) => [path, await (await fetch(`/${path}`)).text()] as const)));

/** A config with small defaults; `over` replaces whole sections. */
function config(task: string, settings: TrainerConfig['task']['settings'], over: { model?: Partial<Architecture>; training?: Partial<TrainerConfig['training']>; optimizer?: Partial<OptimizerConfig>; seed?: number } = {}): TrainerConfig {
  return {
    task: { id: task, settings },
    seed: over.seed ?? 7,
    model: { cell: 'lstm', hiddenSize: 16, numLayers: 1, bidirectional: false, ...over.model },
    init: PYTORCH_INIT,
    training: {
      optimizer: { ...defaultOptimizer('adam'), lr: 0.01, clipNorm: 1, ...over.optimizer },
      batchSize: 32,
      window: null,
      stateful: false,
      dropout: 0,
      evalEvery: 0,
      ...over.training,
    },
  };
}

/** Trains `steps` steps and validates; logs what the README reports. */
async function trainAndValidate(cfg: TrainerConfig, steps: number, gpu: boolean) {
  const run = prepareAnyRun(cfg, FILES);
  const trainer = new Trainer(run, gpu ? { device: await gpuDevice(), name: 'test adapter' } : undefined);
  const start = performance.now();
  for (let i = 0; i < steps; i++) await trainer.advance();
  await trainer.flush();
  const point = await trainer.evaluate();
  const seconds = (performance.now() - start) / 1000;
  const { name, baseline } = trainer.metric;
  console.log(`${cfg.task.id} ${JSON.stringify(cfg.task.settings)} ${cfg.model.cell} H=${cfg.model.hiddenSize} B=${cfg.training.batchSize} on ${trainer.backend.kind}: ${steps} steps, ${seconds.toFixed(1)} s, ${name} ${point.metric.toFixed(4)} vs baseline ${baseline.value.toFixed(4)}; validation loss ${point.loss.toFixed(4)}`);
  trainer.dispose();
  return { point, baseline: baseline.value, run };
}

describe('Trainer', () => {
  test('cpu: the same config and seed give the same loss curve bit for bit (adding T=10, 20 steps)', () => {
    const losses = () => {
      const trainer = new Trainer(prepareRun(config('adding', { T: 10 }, { training: { batchSize: 8, dropout: 0 } })));
      return Array.from({ length: 20 }, () => {
        trainer.step();
        return trainer.backend.latestMetrics()!.loss;
      });
    };
    const a = losses();
    expect(losses()).toEqual(a);
    expect(new Set(a).size).toBe(20);
  });

  gpuTest('webgpu follows the cpu loss curve within float32 tolerance (gru L=2, char model T=8, 20 steps)', async () => {
    const cfg = config('char-model', { T: 8 }, { model: { cell: 'gru', numLayers: 2, hiddenSize: 8 }, training: { batchSize: 4 } });
    const curve = async (trainer: Trainer) => {
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        trainer.step();
        losses.push((await trainer.flush())!.loss);
      }
      return losses;
    };
    const cpu = await curve(new Trainer(prepareRun(cfg, FILES)));
    const gpu = await curve(new Trainer(prepareRun(cfg, FILES), { device: await gpuDevice(), name: 'test adapter' }));
    gpu.forEach((loss, i) => expect(Math.abs(loss - cpu[i]) / cpu[i], `step ${i + 1}`).toBeLessThan(1e-4));
  });

  test('cpu: validation in slices of B=24 (the last one padded) gives the loss and metric of the whole set (adding T=10)', async () => {
    const run = prepareRun(config('adding', { T: 10 }, { training: { batchSize: 24 } }));
    const trainer = new Trainer(run);
    for (let i = 0; i < 5; i++) trainer.step();
    const point = await trainer.evaluate();
    const whole = await (trainer.backend as TrainingBackend).evaluate(run.data.validation);
    expect(point.loss).toBeCloseTo(whole.loss, 12);
    expect(point.metric).toBeCloseTo(metricValue(run.data.metric, whole.outputs, run.data.validation), 12);
  });

  test('cpu: the record of validation example 3 matches its record within the whole set (adding T=10)', async () => {
    const run = prepareRun(config('adding', { T: 10 }, { training: { batchSize: 8 } }));
    const trainer = new Trainer(run);
    trainer.step();
    const record = await trainer.recordExample(3);
    const whole = await (trainer.backend as TrainingBackend).recordExample(run.data.validation, 3);
    expect(record).toHaveLength(1);
    expect(record[0].h).toHaveLength(10 * 16);
    expect(record[0].h).toEqual(whole[0].h);
    // dL/dh is of the batch's mean loss: 1/8 of this example's gradient here, 1/256 in the whole set.
    record[0].dh.forEach((d, i) => expect(d).toBeCloseTo(32 * whole[0].dh[i], 12));
    await expect(trainer.recordExample(256)).rejects.toThrow(/not in a set of 256/);
  });

  test('cpu: stateful training on contiguous windows carries the state: step 1 as without, step 2 not (char model T=8)', () => {
    const losses = (stateful: boolean) => {
      const trainer = new Trainer(prepareRun(config('char-model', { T: 8, batching: 'contiguous' }, { model: { hiddenSize: 8 }, training: { batchSize: 4, stateful } }), FILES));
      return [0, 1].map(() => {
        trainer.step();
        return trainer.backend.latestMetrics()!.loss;
      });
    };
    const [carried, fresh] = [losses(true), losses(false)];
    expect(carried[0]).toBe(fresh[0]);
    expect(carried[1]).not.toBe(fresh[1]);
  });

  test('cpu: dropout between stacked layers changes the training loss and repeats with the seed (lstm L=2, adding T=10)', () => {
    const losses = (dropout: number) => {
      const trainer = new Trainer(prepareRun(config('adding', { T: 10 }, { model: { numLayers: 2 }, training: { batchSize: 8, dropout } })));
      return [0, 1, 2].map(() => {
        trainer.step();
        return trainer.backend.latestMetrics()!.loss;
      });
    };
    expect(losses(0.5)[0]).not.toBe(losses(0)[0]);
    expect(losses(0)).toEqual(losses(0));
    expect(losses(0.5)).toEqual(losses(0.5));
  });

  test('live settings apply; the model, batch size, seed and optimizer kind ask for a new run', () => {
    const cfg = config('adding', { T: 10 }, { training: { batchSize: 8 } });
    const trainer = new Trainer(prepareRun(cfg));
    expect(trainer.reconfigure({ ...cfg, training: { ...cfg.training, window: 4, dropout: 0, optimizer: { ...cfg.training.optimizer, lr: 0.1, clipNorm: null, clipValue: 0.5 } } })).toEqual([]);
    expect(trainer.settings.training.window).toBe(4);
    expect(trainer.reconfigure({ ...cfg, model: { ...cfg.model, hiddenSize: 4 } })).toHaveLength(1);
    expect(trainer.reconfigure({ ...cfg, seed: 8, training: { ...cfg.training, batchSize: 4, optimizer: defaultOptimizer('sgd') } })).toHaveLength(3);
    expect(trainer.settings.training.window).toBe(4);
  });

  test('seq2seq: prepareRun (recurrent callers) refuses it, naming prepareAnyRun; settings the encoder-decoder lacks are named', () => {
    expect(() => prepareRun(config('seq2seq', {}))).toThrow(/encoder-decoder task.*prepareAnyRun/);
    expect(() => prepareAnyRun(config('seq2seq', {}, { training: { window: 3 } }))).toThrow(/full BPTT/);
    expect(() => prepareAnyRun(config('seq2seq', {}, { model: { bidirectional: true } }))).toThrow(/bidirectional/);
    expect(() => prepareAnyRun(config('seq2seq', {}, { training: { teacherForcing: { kind: 'constant', ratio: 2 } } }))).toThrow(/ratio must be in \[0, 1\]/);
  });

  test('teacher-forcing schedules: constant, linear from r0 to r_min over N steps, inverse sigmoid k/(k + exp(step/k))', () => {
    expect(teacherForcingRatio({ kind: 'constant', ratio: 0.3 }, 1000)).toBe(0.3);
    const linear: TeacherForcingSchedule = { kind: 'linear', start: 1, end: 0.2, steps: 100 };
    expect([0, 50, 100, 500].map((s) => teacherForcingRatio(linear, s))).toEqual([1, 0.6, 0.2, 0.2]);
    const sigmoid: TeacherForcingSchedule = { kind: 'inverse_sigmoid', k: 10 };
    expect(teacherForcingRatio(sigmoid, 0)).toBeCloseTo(10 / 11, 12);
    expect(teacherForcingRatio(sigmoid, 50)).toBeCloseTo(10 / (10 + Math.exp(5)), 12);
  });

  test('cpu seq2seq: the same seed repeats bit for bit; each step reports the ratio the schedule gave it, applied live (reverse, gru H=8, 6 steps)', () => {
    const cfg = config('seq2seq', { minLength: 3, maxLength: 5 }, { model: { cell: 'gru', hiddenSize: 8 }, training: { batchSize: 8, teacherForcing: { kind: 'linear', start: 1, end: 0, steps: 4 } } });
    const run = () => {
      const trainer = new Trainer(prepareAnyRun(cfg));
      const points = [0, 1, 2].map(() => {
        trainer.step();
        return trainer.backend.latestMetrics()!;
      });
      expect(trainer.reconfigure({ ...cfg, training: { ...cfg.training, teacherForcing: { kind: 'constant', ratio: 0.9 } } })).toEqual([]);
      trainer.step();
      return [...points, trainer.backend.latestMetrics()!];
    };
    const a = run();
    expect(a.map((m) => m.teacherForcing)).toEqual([1, 0.75, 0.5, 0.9]);
    expect(run().map((m) => m.loss)).toEqual(a.map((m) => m.loss));
    expect(a[0].dhNorm).toHaveLength(2); // the encoder's layer, then the decoder's
  });
});

/** Each task (on WebGPU unless said): fixed steps and seed, then the validation metric against its trivial baseline. */
describe('tasks beat their baselines', () => {
  gpuTest('adding T=30: an LSTM (H=16) beats the mean-prediction MSE by 10x in 500 steps', async () => {
    const { point, baseline } = await trainAndValidate(config('adding', { T: 30 }, { optimizer: { lr: 0.02 } }), 500, true);
    expect(point.metric).toBeLessThan(baseline / 10);
  });

  // The T=50, on the CPU backend: at H=16, B=32 it is faster than SwiftShader (about 18 vs 27 ms a step).
  // When the LSTM breaks away from the mean depends on the seed: step ~500 with seed 1, ~750 with seed 7.
  test('cpu: adding T=50: an LSTM (H=16) beats the mean-prediction MSE by 10x in 600 steps (seed 1)', async () => {
    const { point, baseline } = await trainAndValidate(config('adding', { T: 50 }, { seed: 1, optimizer: { lr: 0.02 } }), 600, false);
    expect(point.metric).toBeLessThan(baseline / 10);
  });

  test('cpu: Reber (T=30): long-range accuracy above 0.8 in 500 steps (seed 1)', async () => {
    const { point } = await trainAndValidate(config('reber', {}, { seed: 1 }), 500, false);
    expect(point.metric).toBeGreaterThan(0.8);
  });

  // The lectures' contrast on the same data, seed and budget: the vanilla RNN's gradient vanishes over ~25 steps and it settles for the mean.
  test('cpu: adding T=50: a vanilla RNN (tanh, H=16) stays near the mean-prediction MSE in 600 steps (seed 1)', async () => {
    const { point, baseline } = await trainAndValidate(config('adding', { T: 50 }, { seed: 1, model: { cell: 'rnn_tanh' }, optimizer: { lr: 0.02 } }), 600, false);
    expect(point.metric).toBeGreaterThan(baseline * 0.8);
  });

  gpuTest('time series (sines, T=50): next-value MSE under half of persistence in 150 steps', async () => {
    const { point, baseline } = await trainAndValidate(config('time-series', { T: 50 }), 150, true);
    expect(point.metric).toBeLessThan(baseline / 2);
  });

  gpuTest('copy k=3 delay=5: recall accuracy above 1.6x chance in 400 steps', async () => {
    const { point, baseline } = await trainAndValidate(config('copy', { k: 3, delay: 5 }, { model: { hiddenSize: 32 }, optimizer: { lr: 0.02 } }), 400, true);
    expect(point.metric).toBeGreaterThan(1.6 * baseline);
  });

  gpuTest('char model (T=16, H=32): validation loss below the unigram entropy in 100 steps', async () => {
    const { point, baseline } = await trainAndValidate(config('char-model', { T: 16 }, { model: { hiddenSize: 32 } }), 100, true);
    // The baseline is the unigram perplexity; its log is the unigram entropy in nats.
    expect(point.loss).toBeLessThan(Math.log(baseline));
  });

  // One-hot words: a learned embedding (N(0, 1) rows) overfits the 254 training sentences within 40 steps and stays near 0.55–0.6.
  gpuTest('sentiment (one-hot words): accuracy 0.1 above the majority class in 100 steps', async () => {
    const { point, baseline } = await trainAndValidate(config('sentiment', { encoding: 'one-hot' }), 100, true);
    expect(point.metric).toBeGreaterThan(baseline + 0.1);
  });

  // Reverse, 3-5 digits: echoing the source is right only for palindromes (5.5% of validation).
  const reverse = (teacherForcing: TeacherForcingSchedule, seed = 7) =>
    config('seq2seq', { operation: 'reverse', minLength: 3, maxLength: 5 }, { seed, model: { cell: 'gru', hiddenSize: 32 }, training: { teacherForcing } });

  test('cpu: seq2seq reverse (3-5 digits), teacher forcing: whole-sequence accuracy above 0.5 in 400 steps (gru H=32)', async () => {
    const { point, baseline } = await trainAndValidate(reverse({ kind: 'constant', ratio: 1 }), 400, false);
    expect(point.metric).toBeGreaterThan(Math.max(0.5, 5 * baseline));
  });

  test('cpu: seq2seq reverse (3-5 digits), free running (r=0): whole-sequence accuracy above 0.5 in 600 steps (gru H=32)', async () => {
    const { point, baseline } = await trainAndValidate(reverse({ kind: 'constant', ratio: 0 }), 600, false);
    expect(point.metric).toBeGreaterThan(Math.max(0.5, 5 * baseline));
  });

  gpuTest('seq2seq reverse (3-5 digits), teacher forcing: whole-sequence accuracy above 0.5 in 400 steps (gru H=32)', async () => {
    const { point, baseline } = await trainAndValidate(reverse({ kind: 'constant', ratio: 1 }), 400, true);
    expect(point.metric).toBeGreaterThan(Math.max(0.5, 5 * baseline));
  });

  // Measured 0.57 here: the last 100 steps run free, and free running learns more slowly (0.79 in 600 steps on the CPU).
  gpuTest('seq2seq reverse (3-5 digits), scheduled sampling (linear r 1 -> 0 over 300 steps): whole-sequence accuracy above 0.4 in 400 steps (gru H=32)', async () => {
    const { point, baseline } = await trainAndValidate(reverse({ kind: 'linear', start: 1, end: 0, steps: 300 }), 400, true);
    expect(point.metric).toBeGreaterThan(Math.max(0.4, 5 * baseline));
  });

  gpuTest('tagging (T=12): a bidirectional LSTM passes the causal limit in 200 steps', async () => {
    const cfg = config('tagging', {}, { model: { bidirectional: true }, optimizer: { lr: 0.02 } });
    const { point, run } = await trainAndValidate(cfg, 200, true);
    expect(point.metric).toBeGreaterThan(run.data.metric.causalLimit!.value);
  });
});
