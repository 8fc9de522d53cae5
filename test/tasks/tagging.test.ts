/** Bidirectional tagging: tags by hand, the chance of a later match, the majority baseline and the causal limit. */
import { describe, expect, test } from 'vitest';
import { laterMatchProbabilities, laterMatchTags, taggingTask } from '../../src/tasks/tagging.ts';

describe('bidirectional tagging', () => {
  test('A B A C B: A and B appear again later, the rest do not', () => {
    expect(laterMatchTags([0, 1, 0, 2, 1])).toEqual([1, 1, 0, 0, 0]);
    expect(laterMatchTags([3, 3, 3])).toEqual([1, 1, 0]);
  });

  test('T=4, k=2: p = 7/8, 3/4, 1/2, 0; majority tag 17/32; the best causal model 25/32', () => {
    expect(laterMatchProbabilities(4, 2)).toEqual([0.875, 0.75, 0.5, 0]);
    const { metric } = taggingTask.create({ T: 4, alphabet: 2 }, 1);
    expect(metric.baseline.value).toBeCloseTo(17 / 32, 15);
    expect(metric.baseline.description).toContain('(again later): 53.1%');
    expect(metric.causalLimit!.value).toBeCloseTo(25 / 32, 15);
  });

  test('batch targets are the tags of its symbols, and the validation set scores the majority tag near the baseline', () => {
    const data = taggingTask.create({ encoding: 'embedding' }, 3);
    const T = data.needs.sequenceLength;
    const b = data.trainBatch(0, 8);
    for (let r = 0; r < 8; r++) expect(Array.from(b.targets.data.subarray(r * T, (r + 1) * T))).toEqual(laterMatchTags(b.tokens!.data.subarray(r * T, (r + 1) * T)));
    const v = data.validation.targets.data;
    const ones = v.reduce((a, x) => a + x, 0) / v.length;
    expect(Math.max(ones, 1 - ones)).toBeCloseTo(data.metric.baseline.value, 1);
    expect(data.metric.causalLimit!.value).toBeGreaterThan(data.metric.baseline.value);
    expect(data.metric.causalLimit!.value).toBeLessThan(0.9);
  });
});
