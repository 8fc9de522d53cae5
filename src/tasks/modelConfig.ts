/** From a task's needs and the user's architecture to the engine's ModelConfig. */
import type { ModelConfig } from '../engine/model.ts';
import { TaskError } from './settings.ts';
import type { ModelNeeds, TaskInfo } from './types.ts';

/** What the user chooses: the model less what the task fixes (input and output sizes, the embedding's rows). */
export type Architecture = Omit<ModelConfig, 'inputSize' | 'outputSize' | 'embedding'> & {
  /** Width of the learned embedding, used when the task's input is tokens. */
  embeddingSize?: number;
};

/** The model config for a task: sizes from its needs, the rest from the architecture. */
export function modelConfig(info: TaskInfo, needs: ModelNeeds, arch: Architecture): ModelConfig {
  if (arch.bidirectional && info.bidirectional === 'forbidden') {
    throw new TaskError(`${info.title} cannot use a bidirectional model: ${info.bidirectionalNote}`);
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
