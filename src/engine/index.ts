/** The float64 reference engine: pure TypeScript, no DOM, no WebGPU. */
export * from './tensor.ts';
export * from './random.ts';
export * from './model.ts';
export * from './batch.ts';
export * from './cells.ts';
export * from './loss.ts';
export * from './network.ts';
export * from './paramLayout.ts';
export * from './optimizer.ts';
export * from './backend.ts';
export * from './cpuBackend.ts';
export * from './dropout.ts';
export * from './bpttWalk.ts';
export * from './seq2seq.ts';
export * from './seq2seqWalk.ts';
export * from './seq2seqCpuBackend.ts';
export * from './safetensors.ts';
