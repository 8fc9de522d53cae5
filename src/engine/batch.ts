/**
 * A batch of training examples, as the engine consumes it.
 *   inputs  (B, T, I)  float features per step, when the model has no embedding
 *   tokens  (B, T)     integer ids in [0, vocabSize), when it has one
 *   targets mse:           (B, T, O) for `sequence`, (B, O) for `last`
 *           cross_entropy: (B, T) for `sequence`, (B) for `last`; class indices in [0, O)
 */
import type { LossKind, OutputMode } from './model.ts';
import type { Tensor } from './tensor.ts';

/** Integer token ids, shape (B, T). */
export interface TokenTensor {
  shape: [number, number];
  data: Int32Array;
}

/** One batch: inputs or tokens, targets, and how the loss reads the outputs. */
export interface Batch {
  inputs?: Tensor;
  tokens?: TokenTensor;
  targets: Tensor;
  loss: LossKind;
  outputMode: OutputMode;
}

/** Batch size and sequence length of a batch. */
export function batchDims(batch: Batch): { B: number; T: number } {
  const shape = batch.tokens ? batch.tokens.shape : batch.inputs!.shape;
  return { B: shape[0], T: shape[1] };
}
