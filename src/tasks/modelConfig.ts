/** From a task's needs and the user's architecture to the engine's ModelConfig. */
import type { ModelConfig } from '../engine/model.ts';
import { TaskError } from './settings.ts';
import type { ModelNeeds, Task, TaskInfo } from './types.ts';

/** What the user chooses: the model less what the task fixes (input and output sizes, the embedding's rows). */
export type Architecture = Omit<ModelConfig, 'inputSize' | 'outputSize' | 'embedding'> & {
  /** Width of the learned embedding, used when the task's input is tokens. */
  embeddingSize?: number;
};

/**
 * What Jordan output feedback (src/engine/jordan.ts) needs that a task and architecture lack, one
 * phrase each (e.g. "1 layer"); empty when the feedback can be used. The link's `fb` row applies
 * exactly when this is empty, and the Model panel says the phrases when it is not.
 */
export function outputFeedbackNeeds(task: Pick<Task, 'kind' | 'info'>, arch: Pick<Architecture, 'cell' | 'numLayers' | 'bidirectional'>, embedding: boolean): string[] {
  if (task.kind !== 'recurrent') return ['a recurrent task (the encoder-decoder\'s decoder already feeds back its outputs)'];
  const needs: string[] = [];
  if (arch.cell !== 'rnn_tanh' && arch.cell !== 'rnn_relu') needs.push('a vanilla RNN cell (tanh or ReLU)');
  if (arch.numLayers !== 1) needs.push('1 layer');
  if (arch.bidirectional) needs.push('one direction');
  if (task.info.outputMode !== 'sequence') needs.push('an output at every step (this task reads one at the end)');
  if (embedding) needs.push('one-hot input, not a learned embedding');
  return needs;
}

/** The model config for a task: sizes from its needs, the rest from the architecture. */
export function modelConfig(info: TaskInfo, needs: ModelNeeds, arch: Architecture): ModelConfig {
  if (arch.bidirectional && info.bidirectional === 'forbidden') {
    throw new TaskError(`${info.title} cannot use a bidirectional model: ${info.bidirectionalNote}`);
  }
  if (arch.outputFeedback) {
    const missing = outputFeedbackNeeds({ kind: 'recurrent', info }, arch, needs.input.kind === 'tokens');
    if (missing.length > 0) throw new TaskError(`Output feedback (Jordan) needs ${missing.join(', ')}: turn it off or change the model`);
  }
  const { embeddingSize, ...rest } = arch;
  const base = { ...rest, outputSize: needs.outputSize };
  const input = needs.input;
  if (input.kind === 'features') return { ...base, inputSize: input.labels.length };
  if (input.kind === 'one-hot') return { ...base, inputSize: input.vocabulary.length };
  if (!(embeddingSize !== undefined && Number.isInteger(embeddingSize) && embeddingSize >= 1)) {
    throw new TaskError(`${info.title} reads tokens through a learned embedding: choose an embedding size ≥ 1`);
  }
  return { ...base, inputSize: embeddingSize, embedding: { vocabSize: input.vocabulary.length } };
}
