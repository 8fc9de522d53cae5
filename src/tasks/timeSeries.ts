/**
 * Time series: predict the next value of a noisy signal at every step (many-to-many,
 * regression), and forecast many steps ahead by feeding predictions back in.
 *   sines:  x_t = sin(2πt/25 + φ₁) + 0.5 sin(2πt/9 + φ₂) + ε_t
 *   damped: x_t = A e^{-t/τ} cos(2πt/P + φ) + ε_t    (a damped spring released at t = 0)
 * with ε_t ~ N(0, σ²) and the phases, A, P and τ drawn per example. Inputs x_0..x_{T-1},
 * targets x_1..x_T.
 */
import type { Batch } from '../engine/batch.ts';
import { normal, uniform, type Random } from '../engine/random.ts';
import { mseMetric } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings, textOf } from './settings.ts';
import { seededBatches } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

/** The two signals. */
export type Signal = 'sines' | 'damped';

const info: TaskInfo = {
  id: 'time-series',
  title: 'Time series',
  description:
    'Predict the next value of a noisy signal at every step: a many-to-many (synced) regression. ' +
    'The state-space view in its simplest form: the hidden state must carry the phase and, for the damped spring, ' +
    'the frequency and decay it has inferred from the values so far. Feeding predictions back as inputs turns the ' +
    'trained model into a generator that forecasts freely, where its errors compound.',
  shape: 'many-to-many',
  settings: [
    {
      kind: 'choice',
      key: 'signal',
      label: 'Signal',
      help: 'A sum of two sines with random phases, or a damped oscillator with random amplitude, period and decay',
      default: 'sines',
      options: [
        { value: 'sines', label: 'sum of sines' },
        { value: 'damped', label: 'damped oscillator' },
      ],
    },
    integerSetting('T', 'Sequence length T', 50, 10, 300, 'Steps per training sequence'),
    { kind: 'number', key: 'noise', label: 'Noise σ', help: 'Standard deviation of the Gaussian noise added to every value', default: 0.05, min: 0, max: 0.5, step: 0.01, integer: false },
  ],
  loss: 'mse',
  outputMode: 'sequence',
  bidirectional: 'forbidden',
  bidirectionalNote: 'the reverse direction would read x_{t+1}, the value to predict at step t',
  files: [],
};

/** Draws one clean signal of n values. */
function drawSignal(signal: Signal, rand: Random, n: number): Float64Array {
  const x = new Float64Array(n);
  if (signal === 'sines') {
    const p1 = uniform(rand, 0, 2 * Math.PI);
    const p2 = uniform(rand, 0, 2 * Math.PI);
    for (let t = 0; t < n; t++) x[t] = Math.sin((2 * Math.PI * t) / 25 + p1) + 0.5 * Math.sin((2 * Math.PI * t) / 9 + p2);
  } else {
    const A = uniform(rand, 0.5, 1.5);
    const P = uniform(rand, 10, 30);
    const tau = uniform(rand, 30, 120);
    const phi = uniform(rand, 0, 2 * Math.PI);
    for (let t = 0; t < n; t++) x[t] = A * Math.exp(-t / tau) * Math.cos((2 * Math.PI * t) / P + phi);
  }
  return x;
}

/** Mean squared error of persistence (predict x_{t+1} = x_t) on a batch. */
export function persistenceMse(batch: Batch): number {
  const x = batch.inputs!.data;
  const y = batch.targets.data;
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (y[i] - x[i]) ** 2;
  return sum / y.length;
}

/**
 * Free-running forecast: `steps` values, each predicted from the last `windowLength` values
 * (the history, then the forecast's own values). `predict` maps a window to its next value.
 */
export function freeRunForecast(history: readonly number[], steps: number, predict: (window: readonly number[]) => number, windowLength = history.length): number[] {
  if (!(Number.isInteger(windowLength) && windowLength >= 1 && windowLength <= history.length)) {
    throw new RangeError(`window length must be between 1 and the history's ${history.length} values, not ${windowLength}`);
  }
  const values = [...history];
  for (let s = 0; s < steps; s++) values.push(predict(values.slice(values.length - windowLength)));
  return values.slice(history.length);
}

/** The time-series task. */
export const timeSeriesTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed) {
    const s = resolveSettings(info.settings, given);
    const signal = textOf<Signal>(s, 'signal');
    const T = numberOf(s, 'T');
    const sigma = numberOf(s, 'noise');
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Batch => {
      const inputs = new Float64Array(B * T);
      const targets = new Float64Array(B * T);
      for (let b = 0; b < B; b++) {
        const x = drawSignal(signal, rand, T + 1);
        for (let t = 0; t <= T; t++) x[t] += sigma * normal(rand);
        inputs.set(x.subarray(0, T), b * T);
        targets.set(x.subarray(1), b * T);
      }
      return { inputs: { shape: [B, T, 1], data: inputs }, targets: { shape: [B, T, 1], data: targets }, loss: 'mse', outputMode: 'sequence' };
    });
    const baseline = persistenceMse(validation);
    return {
      needs: { input: { kind: 'features', labels: ['x_t'] }, outputSize: 1, sequenceLength: T },
      trainBatch,
      validation,
      metric: mseMetric({
        name: 'next-value MSE',
        description: 'Mean squared error of the predicted next value over every step',
        baseline: { value: baseline, description: `persistence (predict x_{t+1} = x_t) on the validation set: MSE ${baseline.toFixed(4)}` },
      }),
    };
  },
};
