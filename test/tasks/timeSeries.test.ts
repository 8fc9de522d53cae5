/** Time series: next-value targets, the persistence baseline, and the free-running forecast. */
import { describe, expect, test } from 'vitest';
import type { Batch } from '../../src/engine/batch.ts';
import { freeRunForecast, persistenceMse, timeSeriesTask } from '../../src/tasks/timeSeries.ts';

describe('time series', () => {
  test('targets are the inputs one step on (sines T=20 B=4)', () => {
    const b = timeSeriesTask.create({ T: 20 }, 1).trainBatch(0, 4);
    for (let r = 0; r < 4; r++) for (let t = 0; t < 19; t++) expect(b.targets.data[r * 20 + t]).toBe(b.inputs!.data[r * 20 + t + 1]);
  });

  test('without noise the damped oscillator decays: |x| ≤ 1.5 e^{-t/120}', () => {
    const b = timeSeriesTask.create({ signal: 'damped', noise: 0, T: 100 }, 3).trainBatch(0, 8);
    for (let r = 0; r < 8; r++) for (let t = 0; t < 100; t++) expect(Math.abs(b.inputs!.data[r * 100 + t])).toBeLessThanOrEqual(1.5 * Math.exp(-t / 120) + 1e-12);
  });

  test('persistence MSE by hand: inputs 0, 1, 3 and targets 1, 3, 6 give (1 + 4 + 9) / 3', () => {
    const batch: Batch = { inputs: { shape: [1, 3, 1], data: Float64Array.of(0, 1, 3) }, targets: { shape: [1, 3, 1], data: Float64Array.of(1, 3, 6) }, loss: 'mse', outputMode: 'sequence' };
    expect(persistenceMse(batch)).toBeCloseTo(14 / 3, 15);
  });

  test('the baseline is persistence on the validation set, and noise raises it', () => {
    const clean = timeSeriesTask.create({ noise: 0 }, 1);
    expect(clean.metric.baseline.value).toBe(persistenceMse(clean.validation));
    expect(timeSeriesTask.create({ noise: 0.3 }, 1).metric.baseline.value).toBeGreaterThan(clean.metric.baseline.value + 2 * 0.3 ** 2 * 0.8);
  });

  test('free-running forecast feeds its own values back: linear extrapolation from 0, 1', () => {
    const windows: number[][] = [];
    const out = freeRunForecast([0, 1], 3, (w) => (windows.push([...w]), 2 * w[1] - w[0]));
    expect(out).toEqual([2, 3, 4]);
    expect(windows).toEqual([[0, 1], [1, 2], [2, 3]]);
  });

  test('free-running forecast with a shorter window, and a window it cannot fill', () => {
    expect(freeRunForecast([5, 6, 7], 2, (w) => w[0] + 1, 1)).toEqual([8, 9]);
    expect(() => freeRunForecast([1], 1, (w) => w[0], 2)).toThrow("window length must be between 1 and the history's 1 values, not 2");
  });
});
