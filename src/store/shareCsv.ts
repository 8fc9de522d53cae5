/**
 * A run's metric history as CSV: one row per published training step (loss, ‖g‖ before and
 * after clipping) and one per validation pass (loss and the task's metric), in step order.
 * Numbers are written as JavaScript prints them, which reads back to the same float64.
 */
import type { RunHistory } from './history.ts';

/** The CSV's header line; the last column is named after the task's metric. */
export function csvHeader(metricName = 'metric'): string {
  return `kind,step,train_loss,grad_norm,clipped_norm,validation_loss,validation_${metricName.replace(/\W+/g, '_')}`;
}

/** The history as CSV text (header, training rows, validation rows; a final newline). */
export function historyCsv(history: RunHistory, metricName?: string): string {
  const lines = [csvHeader(metricName)];
  const { trainLoss, gradNorm, clippedNorm, validationLoss, validationMetric } = history;
  for (let i = 0; i < trainLoss.step.length; i++) lines.push(`train,${trainLoss.step[i]},${trainLoss.value[i]},${gradNorm.value[i]},${clippedNorm.value[i]},,`);
  for (let i = 0; i < validationLoss.step.length; i++) lines.push(`validation,${validationLoss.step[i]},,,,${validationLoss.value[i]},${validationMetric.value[i]}`);
  return lines.join('\n') + '\n';
}
