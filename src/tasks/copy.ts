/**
 * Copy / delayed recall: k random symbols, a delay of blanks, a recall marker, then k
 * blank steps during which the k symbols must be emitted in order.
 *   input   A C B _ _ … _ > _ _ _        T = k + delay + 1 + k
 *   target  _ _ _ _ _ … _ _ A C B
 * Cross-entropy on every step: where nothing is to be recalled the target is the class
 * `_` (blank). The engine has no loss mask, and blank there is easy to learn, so the loss
 * stays an honest mean over all steps; the metric reads only the recall steps.
 */
import type { Batch } from '../engine/batch.ts';
import { encodingOf, encodingSetting, letters, symbolInput, symbolInputs } from './encoding.ts';
import { accuracyMetric } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings } from './settings.ts';
import { randomInt, seededBatches } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

/** Blank: no symbol (input and target class 0). */
export const BLANK = '_';
/** The recall marker (input only). */
export const RECALL = '>';

const info: TaskInfo = {
  id: 'copy',
  title: 'Copy / delayed recall',
  description:
    'Many-to-many with a lag: read k symbols, wait through a delay of blanks, and after the recall marker emit the k symbols in order. ' +
    'Every symbol must be written into the state and survive the delay untouched, the memory a vanilla RNN loses and an LSTM keeps ' +
    'in its cell when the forget gate stays open. Lengthen the delay to watch the vanilla RNN fall to chance.',
  shape: 'many-to-many (delayed)',
  settings: [
    integerSetting('k', 'Symbols to remember k', 5, 1, 20, 'How many symbols are shown, then recalled'),
    integerSetting('alphabet', 'Alphabet size', 8, 2, 26, 'Distinct symbols (A, B, …) to draw from'),
    integerSetting('delay', 'Delay', 20, 0, 200, 'Blank steps between the last symbol and the recall marker'),
    encodingSetting('one-hot'),
  ],
  loss: 'cross_entropy',
  outputMode: 'sequence',
  bidirectional: 'optional',
  bidirectionalNote: 'the reverse direction reaches the recall steps having seen only blanks, so it neither helps nor cheats',
  files: [],
};

/** Steps of a copy sequence. */
export function copyLength(k: number, delay: number): number {
  return 2 * k + delay + 1;
}

/** The steps at which the k symbols are to be recalled: the k steps after the marker. */
export function recallPositions(k: number, delay: number): number[] {
  return Array.from({ length: k }, (_, i) => k + delay + 1 + i);
}

/** The copy task. */
export const copyTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed) {
    const s = resolveSettings(info.settings, given);
    const [k, n, delay] = [numberOf(s, 'k'), numberOf(s, 'alphabet'), numberOf(s, 'delay')];
    const encoding = encodingOf(s);
    const vocabulary = [BLANK, RECALL, ...letters(n)];
    const T = copyLength(k, delay);
    const recall = recallPositions(k, delay);
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Batch => {
      const ids = new Int32Array(B * T); // 0 = blank
      const targets = new Float64Array(B * T);
      for (let b = 0; b < B; b++) {
        ids[b * T + k + delay] = 1;
        for (let i = 0; i < k; i++) {
          const symbol = randomInt(rand, n);
          ids[b * T + i] = 2 + symbol;
          targets[b * T + recall[i]] = 1 + symbol;
        }
      }
      return { ...symbolInputs(ids, B, T, vocabulary.length, encoding), targets: { shape: [B, T], data: targets }, loss: 'cross_entropy', outputMode: 'sequence' };
    });
    return {
      needs: { input: symbolInput(vocabulary, encoding), outputSize: n + 1, outputLabels: [BLANK, ...letters(n)], sequenceLength: T },
      trainBatch,
      validation,
      metric: accuracyMetric(
        {
          name: 'recall accuracy',
          description: 'Fraction of the k recalled symbols predicted correctly (argmax), over the recall steps only',
          baseline: { value: 1 / n, description: `chance: guessing one of ${n} symbols, 1/${n}` },
        },
        (batch) => {
          const B = batch.targets.shape[0];
          return Array.from({ length: B }, (_, b) => recall.map((t) => b * T + t)).flat();
        },
      ),
    };
  },
};
