/** Copy / delayed recall: the layout of one sequence, the recall positions, and the metric on them only. */
import { describe, expect, test } from 'vitest';
import { copyLength, copyTask, recallPositions } from '../../src/tasks/copy.ts';
import { metricValue } from '../../src/tasks/index.ts';
import { perfectOutputs } from './helpers.ts';

describe('copy task', () => {
  test('k=3, delay=2: T = 9, recall at steps 6, 7, 8', () => {
    expect(copyLength(3, 2)).toBe(9);
    expect(recallPositions(3, 2)).toEqual([6, 7, 8]);
  });

  test('k=3, delay=2: symbols, blanks, marker, blanks in; blanks, then the symbols out', () => {
    const data = copyTask.create({ k: 3, delay: 2, alphabet: 4, encoding: 'embedding' }, 9);
    expect(data.needs.input).toEqual({ kind: 'tokens', vocabulary: ['_', '>', 'A', 'B', 'C', 'D'] });
    expect(data.needs.outputLabels).toEqual(['_', 'A', 'B', 'C', 'D']);
    const b = data.trainBatch(0, 5);
    for (let r = 0; r < 5; r++) {
      const x = Array.from(b.tokens!.data.subarray(r * 9, r * 9 + 9));
      const y = Array.from(b.targets.data.subarray(r * 9, r * 9 + 9));
      expect(x.slice(0, 3).every((id) => id >= 2 && id <= 5)).toBe(true);
      expect(x.slice(3)).toEqual([0, 0, 1, 0, 0, 0]);
      expect(y).toEqual([0, 0, 0, 0, 0, 0, ...x.slice(0, 3).map((id) => id - 1)]);
    }
  });

  test('the metric reads the recall steps only: blanks wrong elsewhere do not count, one wrong recall does', () => {
    const data = copyTask.create({ k: 2, delay: 1, alphabet: 3 }, 1);
    const batch = data.trainBatch(0, 2);
    const out = perfectOutputs(batch, 4);
    // Step 0 of example 0 (not a recall step) now predicts class 3 instead of blank.
    out.data.fill(0, 0, 4);
    out.data[3] = 30;
    expect(metricValue(data.metric, out, batch)).toBe(1);
    // Step 4 of example 1, its first recall step, now predicts a wrong symbol.
    const row = (1 * 6 + 4) * 4;
    const wrong = batch.targets.data[1 * 6 + 4] === 1 ? 2 : 1;
    out.data.fill(0, row, row + 4);
    out.data[row + wrong] = 30;
    expect(metricValue(data.metric, out, batch)).toBe(3 / 4);
  });

  test('baseline: chance, 1 / alphabet size', () => {
    expect(copyTask.create({ alphabet: 5 }, 1).metric.baseline.value).toBe(0.2);
  });
});
