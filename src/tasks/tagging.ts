/**
 * Bidirectional tagging: tag each symbol 1 if the same symbol appears again later in the
 * sequence, else 0. Symbols are uniform over an alphabet of k, so at step t the tag is 1
 * with probability p_t = 1 − (1 − 1/k)^(T−1−t), whatever came before: a model that reads
 * only the past can do no better than max(p_t, 1 − p_t) there.
 */
import type { Batch } from '../engine/batch.ts';
import { encodingOf, encodingSetting, letters, symbolInput, symbolInputs } from './encoding.ts';
import { accuracyMetric, allRows } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings } from './settings.ts';
import { randomInt, seededBatches } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

const info: TaskInfo = {
  id: 'tagging',
  title: 'Bidirectional tagging',
  description:
    'Tag every symbol by whether the same symbol appears again later in the sequence: a synced many-to-many labelling, ' +
    'like POS tagging, where the answer lies in the future. A bidirectional RNN (Schuster & Paliwal) reads the sequence ' +
    'both ways and concatenates the two states, so each tag sees the whole sequence; a unidirectional model must guess ' +
    'from how many steps remain, and is at chance near the middle.',
  shape: 'bidirectional',
  settings: [
    integerSetting('T', 'Sequence length T', 12, 4, 100, 'Symbols per sequence'),
    integerSetting('alphabet', 'Alphabet size', 8, 2, 26, 'Distinct symbols; with about T·ln 2 of them, half the tags are 1'),
    encodingSetting('one-hot'),
  ],
  loss: 'cross_entropy',
  outputMode: 'sequence',
  bidirectional: 'needed',
  bidirectionalNote: 'each tag depends on the symbols after it, which only the reverse direction has read',
  files: [],
};

/** Tags of one sequence: 1 where the symbol appears again later. */
export function laterMatchTags(symbols: ArrayLike<number>): number[] {
  const seen = new Set<number>();
  const tags = new Array<number>(symbols.length);
  for (let t = symbols.length - 1; t >= 0; t--) {
    tags[t] = seen.has(symbols[t]) ? 1 : 0;
    seen.add(symbols[t]);
  }
  return tags;
}

/** p_t for t = 0..T-1: the chance that step t's symbol appears again among the T−1−t after it. */
export function laterMatchProbabilities(T: number, k: number): number[] {
  return Array.from({ length: T }, (_, t) => 1 - (1 - 1 / k) ** (T - 1 - t));
}

/** The tagging task. */
export const taggingTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed) {
    const s = resolveSettings(info.settings, given);
    const [T, k] = [numberOf(s, 'T'), numberOf(s, 'alphabet')];
    const encoding = encodingOf(s);
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Batch => {
      const ids = new Int32Array(B * T);
      const targets = new Float64Array(B * T);
      for (let b = 0; b < B; b++) {
        const row = ids.subarray(b * T, (b + 1) * T);
        for (let t = 0; t < T; t++) row[t] = randomInt(rand, k);
        targets.set(laterMatchTags(row), b * T);
      }
      return { ...symbolInputs(ids, B, T, k, encoding), targets: { shape: [B, T], data: targets }, loss: 'cross_entropy', outputMode: 'sequence' };
    });
    const p = laterMatchProbabilities(T, k);
    const mean = p.reduce((a, x) => a + x, 0) / T;
    const causal = p.reduce((a, x) => a + Math.max(x, 1 - x), 0) / T;
    return {
      needs: { input: symbolInput(letters(k), encoding), outputSize: 2, outputLabels: ['not again', 'again later'], sequenceLength: T },
      trainBatch,
      validation,
      metric: accuracyMetric(
        {
          name: 'tagging accuracy',
          description: 'Fraction of all tags predicted correctly (argmax)',
          baseline: { value: Math.max(mean, 1 - mean), description: `always the majority tag (${mean >= 0.5 ? 'again later' : 'not again'}): ${(100 * Math.max(mean, 1 - mean)).toFixed(1)}% of tags` },
          causalLimit: { value: causal, description: `a unidirectional model at its best, the likelier tag at each step from the steps left: ${(100 * causal).toFixed(1)}%` },
        },
        allRows,
      ),
    };
  },
};
