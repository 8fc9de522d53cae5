/**
 * The adding problem (Hochreiter & Schmidhuber 1997): each step carries a pair
 * (value ~ U(0, 1), marker ∈ {0, 1}); exactly two steps are marked, one in each half of
 * the sequence, and the target at the last step is the sum of the two marked values.
 */
import type { Batch } from '../engine/batch.ts';
import { mseMetric } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings } from './settings.ts';
import { randomInt, seededBatches } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

const info: TaskInfo = {
  id: 'adding',
  title: 'Adding problem',
  description:
    'Many-to-one regression: read T (value, marker) pairs and output, at the last step only, the sum of the two marked values. ' +
    'The first marker falls in the first half, so its value must be held for about T/2 steps while noise streams past. ' +
    'The error signal has to travel back that far through time: a vanilla RNN’s gradient vanishes and it settles for the mean, ' +
    'while the LSTM’s constant error carousel carries it, so the gap opens as T grows.',
  shape: 'many-to-one',
  settings: [integerSetting('T', 'Sequence length T', 50, 2, 500, 'Steps per sequence; the first marked value must be remembered for about T/2 of them')],
  loss: 'mse',
  outputMode: 'last',
  bidirectional: 'optional',
  bidirectionalNote: 'the output is read once, at the last step; the reverse direction has then seen only that step',
  files: [],
};

/** MSE of always predicting the mean sum 1: Var(U₁ + U₂) = 2/12. */
export const ADDING_BASELINE_MSE = 1 / 6;

/** The adding-problem task. */
export const addingTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed) {
    const T = numberOf(resolveSettings(info.settings, given), 'T');
    const half = Math.floor(T / 2);
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Batch => {
      const inputs = new Float64Array(B * T * 2);
      const targets = new Float64Array(B);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < T; t++) inputs[(b * T + t) * 2] = rand();
        const first = randomInt(rand, half);
        const second = half + randomInt(rand, T - half);
        for (const t of [first, second]) {
          inputs[(b * T + t) * 2 + 1] = 1;
          targets[b] += inputs[(b * T + t) * 2];
        }
      }
      return { inputs: { shape: [B, T, 2], data: inputs }, targets: { shape: [B, 1], data: targets }, loss: 'mse', outputMode: 'last' };
    });
    return {
      needs: { input: { kind: 'features', labels: ['value', 'marker'] }, outputSize: 1, sequenceLength: T },
      trainBatch,
      validation,
      metric: mseMetric({
        name: 'MSE of the sum',
        description: 'Mean squared error of the sum read at the last step',
        baseline: { value: ADDING_BASELINE_MSE, description: 'always predicting the mean sum 1: MSE = Var(U₁ + U₂) = 2/12 ≈ 0.167' },
      }),
    };
  },
};
