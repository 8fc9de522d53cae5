/**
 * The embedded Reber grammar, the LSTM paper's benchmark (Hochreiter & Schmidhuber 1997).
 * A Reber string walks this graph from node 0, choosing each edge with probability 1/2:
 *   0 -B-> 1;  1 -T-> 2, 1 -P-> 3;  2 -S-> 2, 2 -X-> 4;  3 -T-> 3, 3 -V-> 5;
 *   4 -X-> 3, 4 -S-> 6;  5 -P-> 4, 5 -V-> 6;  6 -E-> end
 * An embedded Reber string is B T <Reber> T E or B P <Reber> P E: the penultimate symbol
 * repeats the second, across the whole inner string.
 * Strings are padded after their end with `_` to T steps; the target after the final E
 * is `_`, so every step has a definite target.
 */
import type { Batch } from '../engine/batch.ts';
import type { Random } from '../engine/random.ts';
import { encodingOf, encodingSetting, symbolInput, symbolInputs } from './encoding.ts';
import { accuracyMetric } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings } from './settings.ts';
import { seededBatches } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

/** The grammar's symbols, then the padding `_`. */
export const REBER_VOCABULARY: readonly string[] = ['B', 'T', 'P', 'S', 'X', 'V', 'E', '_'];
const PAD = REBER_VOCABULARY.indexOf('_');

/** Edges out of each node: [symbol, next node]; node 7 is the end. */
const EDGES: readonly (readonly [string, number])[][] = [
  [['B', 1]],
  [['T', 2], ['P', 3]],
  [['S', 2], ['X', 4]],
  [['T', 3], ['V', 5]],
  [['X', 3], ['S', 6]],
  [['P', 4], ['V', 6]],
  [['E', 7]],
];
const END = 7;

/** Shortest embedded string: B T B T X S E T E. */
export const MIN_EMBEDDED_LENGTH = 9;

/** A random Reber string. */
export function reberString(rand: Random): string {
  let node = 0;
  let s = '';
  while (node !== END) {
    const edges = EDGES[node];
    const [symbol, next] = edges[edges.length === 1 ? 0 : rand() < 0.5 ? 0 : 1];
    s += symbol;
    node = next;
  }
  return s;
}

/** A random embedded Reber string. */
export function embeddedReberString(rand: Random): string {
  const branch = rand() < 0.5 ? 'T' : 'P';
  return `B${branch}${reberString(rand)}${branch}E`;
}

/** Whether a string is a Reber string: a walk from node 0 to the end. */
export function isReber(s: string): boolean {
  let node = 0;
  for (const symbol of s) {
    const edge = node === END ? undefined : EDGES[node].find(([x]) => x === symbol);
    if (!edge) return false;
    node = edge[1];
  }
  return node === END;
}

/** Whether a string is an embedded Reber string. */
export function isEmbeddedReber(s: string): boolean {
  return /^B[TP]/.test(s) && s.endsWith(`${s[1]}E`) && isReber(s.slice(2, -2));
}

/** Output row (within example b's T rows) whose target is the penultimate symbol: two before the last E target. */
export function longRangeStep(targets: ArrayLike<number>, b: number, T: number): number {
  const E = REBER_VOCABULARY.indexOf('E');
  let t = T - 1;
  while (targets[b * T + t] !== E) t--;
  return t - 1;
}

const info: TaskInfo = {
  id: 'reber',
  title: 'Embedded Reber grammar',
  description:
    'Predict the next symbol of strings from the embedded Reber grammar, the benchmark of the LSTM paper (many-to-many). ' +
    'Inside, the Reber graph allows one of two successors at each step, which a short memory learns quickly. ' +
    'The long-range test is the penultimate symbol: it must repeat the second symbol, T or P, seen before the whole inner string. ' +
    'A model that forgets it can only guess.',
  shape: 'many-to-many',
  settings: [
    integerSetting('T', 'Sequence length T', 30, 12, 60, 'Steps per example: longer strings are redrawn, shorter ones padded with _'),
    encodingSetting('one-hot'),
  ],
  loss: 'cross_entropy',
  outputMode: 'sequence',
  bidirectional: 'forbidden',
  bidirectionalNote: 'the reverse direction would read the next symbol, the one to predict',
  files: [],
};

/** The embedded-Reber task. */
export const reberTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed) {
    const s = resolveSettings(info.settings, given);
    const T = numberOf(s, 'T');
    const encoding = encodingOf(s);
    const V = REBER_VOCABULARY.length;
    const { trainBatch, validation } = seededBatches(seed, (rand, B): Batch => {
      const ids = new Int32Array(B * T).fill(PAD);
      const targets = new Float64Array(B * T).fill(PAD);
      for (let b = 0; b < B; b++) {
        let str = embeddedReberString(rand);
        while (str.length > T) str = embeddedReberString(rand);
        for (let t = 0; t < str.length; t++) {
          const id = REBER_VOCABULARY.indexOf(str[t]);
          ids[b * T + t] = id;
          if (t > 0) targets[b * T + t - 1] = id;
        }
      }
      return { ...symbolInputs(ids, B, T, V, encoding), targets: { shape: [B, T], data: targets }, loss: 'cross_entropy', outputMode: 'sequence' };
    });
    return {
      needs: { input: symbolInput(REBER_VOCABULARY, encoding), outputSize: V, outputLabels: REBER_VOCABULARY, sequenceLength: T },
      trainBatch,
      validation,
      metric: accuracyMetric(
        {
          name: 'long-range accuracy',
          description: 'Fraction of strings whose penultimate symbol (T or P, repeating the second) is predicted correctly (argmax)',
          baseline: { value: 0.5, description: 'guessing T or P without remembering the second symbol: 1/2' },
        },
        (batch) => {
          const B = batch.targets.shape[0];
          return Array.from({ length: B }, (_, b) => b * T + longRangeStep(batch.targets.data, b, T));
        },
      ),
    };
  },
};
