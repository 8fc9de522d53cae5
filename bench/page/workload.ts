/**
 * One workload's model, initial weights and batch, built once and handed to every
 * implementation: seeded tokens of vocabulary V, input token t one-hot, target token t+1.
 */
import type { Batch } from '../../src/engine/batch.ts';
import { initParams, type ModelConfig } from '../../src/engine/model.ts';
import { defaultOptimizer, type OptimizerConfig } from '../../src/engine/optimizer.ts';
import { mulberry32 } from '../../src/engine/random.ts';
import type { TensorMap } from '../../src/engine/tensor.ts';
import { ADAM, SEED, type Workload } from '../configs.ts';

/** What every implementation of one workload starts from. */
export interface WorkloadData {
  workload: Workload;
  config: ModelConfig;
  /** PyTorch-layout weights, float64. */
  params: TensorMap;
  /** The batch as this engine reads it: inputs (B, T, V) one-hot, targets (B, T) class ids. */
  batch: Batch;
  /** (B, T, V) one-hot targets, for TF.js's softmaxCrossEntropy. */
  targetsOneHot: Float32Array;
  optimizer: OptimizerConfig;
}

/** Builds a workload's model, weights and batch from SEED. */
export function makeWorkload(w: Workload): WorkloadData {
  const { batch: B, steps: T, vocab: V } = w;
  const config: ModelConfig = { cell: w.cell, inputSize: V, hiddenSize: w.hidden, numLayers: 1, bidirectional: false, outputSize: V };
  const rand = mulberry32(SEED + 1);
  const tokens = Int32Array.from({ length: B * (T + 1) }, () => Math.floor(rand() * V));
  const inputs = new Float64Array(B * T * V);
  const targets = new Float64Array(B * T);
  const targetsOneHot = new Float32Array(B * T * V);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      inputs[row * V + tokens[b * (T + 1) + t]] = 1;
      targets[row] = tokens[b * (T + 1) + t + 1];
      targetsOneHot[row * V + targets[row]] = 1;
    }
  }
  return {
    workload: w,
    config,
    params: initParams(config, SEED),
    batch: { inputs: { shape: [B, T, V], data: inputs }, targets: { shape: [B, T], data: targets }, loss: 'cross_entropy', outputMode: 'sequence' },
    targetsOneHot,
    optimizer: { ...defaultOptimizer('adam'), ...ADAM, weightDecay: 0, clipNorm: null },
  };
}
