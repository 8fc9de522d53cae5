/** The adding problem: two markers, one per half; the target is their sum; the mean predictor's MSE is 1/6. */
import { describe, expect, test } from 'vitest';
import { ADDING_BASELINE_MSE, addingTask } from '../../src/tasks/adding.ts';
import { metricValue } from '../../src/tasks/index.ts';

describe('adding problem', () => {
  test.each([2, 3, 50, 201])('T=%i: one marker in each half, target the sum of the marked values', (T) => {
    const b = addingTask.create({ T }, 4).trainBatch(0, 16);
    const x = b.inputs!.data;
    for (let r = 0; r < 16; r++) {
      const marked = Array.from({ length: T }, (_, t) => t).filter((t) => x[(r * T + t) * 2 + 1] === 1);
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(Math.floor(T / 2));
      expect(marked[1]).toBeGreaterThanOrEqual(Math.floor(T / 2));
      expect(b.targets.data[r]).toBe(x[(r * T + marked[0]) * 2] + x[(r * T + marked[1]) * 2]);
      for (let t = 0; t < T; t++) expect(x[(r * T + t) * 2] >= 0 && x[(r * T + t) * 2] < 1).toBe(true);
    }
  });

  test('baseline 1/6: predicting the mean sum 1 on the validation set scores close to it', () => {
    const data = addingTask.create({}, 1);
    expect(data.metric.baseline.value).toBe(1 / 6);
    expect(ADDING_BASELINE_MSE).toBeCloseTo(0.1667, 4);
    const ones = { shape: data.validation.targets.shape, data: new Float64Array(data.validation.targets.data.length).fill(1) };
    expect(metricValue(data.metric, ones, data.validation)).toBeCloseTo(1 / 6, 1);
  });
});
