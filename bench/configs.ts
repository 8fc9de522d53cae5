/**
 * The benchmark's workloads and how much of each run they get. Plain data, read by the Node
 * runner (bench/main.ts) and the page (bench/page/benchPage.ts).
 *
 * Every workload is next-token prediction on seeded random tokens of a vocabulary V: the
 * input at step t is token t one-hot (inputSize V, no embedding), the target is token t+1,
 * cross-entropy over every step (outputMode `sequence`), one recurrent layer, a linear head
 * to V logits, Adam. Every implementation trains the same batch from the same weights and
 * takes the same number of steps, so their losses can be compared at the end.
 */

/** The recurrent cells benchmarked (one layer, one direction). */
export type BenchCell = 'lstm' | 'gru' | 'rnn_tanh';

/** One workload. */
export interface Workload {
  name: string;
  cell: BenchCell;
  hidden: number;
  batch: number;
  /** Sequence length T. */
  steps: number;
  vocab: number;
}

/** How much of a workload is run: untimed warm-up steps, then `blocks` rounds of `perBlock` steps per implementation. */
export interface Schedule {
  warmup: number;
  blocks: number;
  perBlock: number;
}

/** A workload and its schedule (normal and `--quick`). */
export interface BenchConfig extends Workload {
  schedule: Schedule;
  quick: Schedule;
}

/**
 * The configurations. The headline is LSTM 128 x 32 x 64; TF.js webgpu takes seconds per
 * step there on SwiftShader, so its blocks are one step each.
 */
export const CONFIGS: BenchConfig[] = [
  { name: 'lstm-h128', cell: 'lstm', hidden: 128, batch: 32, steps: 64, vocab: 64, schedule: { warmup: 1, blocks: 3, perBlock: 1 }, quick: { warmup: 1, blocks: 2, perBlock: 1 } },
  { name: 'gru-h128', cell: 'gru', hidden: 128, batch: 32, steps: 64, vocab: 64, schedule: { warmup: 1, blocks: 3, perBlock: 1 }, quick: { warmup: 1, blocks: 2, perBlock: 1 } },
  { name: 'rnn_tanh-h128', cell: 'rnn_tanh', hidden: 128, batch: 32, steps: 64, vocab: 64, schedule: { warmup: 1, blocks: 3, perBlock: 2 }, quick: { warmup: 1, blocks: 2, perBlock: 1 } },
  { name: 'lstm-h32-tiny', cell: 'lstm', hidden: 32, batch: 8, steps: 32, vocab: 64, schedule: { warmup: 2, blocks: 5, perBlock: 4 }, quick: { warmup: 1, blocks: 3, perBlock: 2 } },
];

/** The implementations, in the order their blocks alternate. */
export const IMPLEMENTATIONS = ['ours-webgpu', 'tfjs-webgpu', 'ours-cpu', 'tfjs-cpu'] as const;
/** One implementation: this engine or TensorFlow.js, on WebGPU or the CPU. */
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** Adam as both sides run it: PyTorch's defaults with lr 0.01, no clipping, no weight decay. */
export const ADAM = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** Seed of the weights and of the tokens. */
export const SEED = 1234;

/** Gate blocks per cell: lstm i,f,g,o; gru r,z,n; rnn one. */
export function gates(cell: BenchCell): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/**
 * Matmul FLOPs of one forward pass: input projection, recurrent product and head, each
 * 2·(rows)·(inner)·(cols) over the T·B rows:
 *   F_fwd = 2·T·B·(G·H·(V + H) + H·V)
 * A training step is counted as 3·F_fwd (backward computes two products per forward one:
 * the input gradient and the weight gradient). Element-wise work and the optimizer are not counted.
 */
export function forwardFlops(w: Workload): number {
  const GH = gates(w.cell) * w.hidden;
  return 2 * w.steps * w.batch * (GH * (w.vocab + w.hidden) + w.hidden * w.vocab);
}

/** FLOPs counted for one training step (3·F_fwd). */
export function stepFlops(w: Workload): number {
  return 3 * forwardFlops(w);
}
