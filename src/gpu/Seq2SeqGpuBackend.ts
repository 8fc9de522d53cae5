/** The encoder-decoder on WebGPU: not built yet; refuses with the reason rather than fall back. */
import type { Seq2SeqBackend } from '../engine/backend.ts';
import type { OptimizerConfig } from '../engine/optimizer.ts';
import type { Seq2SeqConfig } from '../engine/seq2seq.ts';
import type { TensorMap } from '../engine/tensor.ts';

/** The batch shape an encoder-decoder backend is built for: B examples, S source steps, U decoder steps. */
export interface Seq2SeqShape {
  B: number;
  S: number;
  U: number;
}

/** Refuses: the WebGPU encoder-decoder does not exist yet. */
export const Seq2SeqGpuBackend = class {
  constructor(device: GPUDevice, name: string, config: Seq2SeqConfig, shape: Seq2SeqShape, params: TensorMap, optimizer: OptimizerConfig) {
    void [device, name, config, shape, params, optimizer];
    throw new Error('the WebGPU encoder-decoder is not built yet: train seq2seq on the CPU backend');
  }
} as unknown as new (device: GPUDevice, name: string, config: Seq2SeqConfig, shape: Seq2SeqShape, params: TensorMap, optimizer: OptimizerConfig) => Seq2SeqBackend;
