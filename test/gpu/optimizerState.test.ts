/**
 * Optimizer state out and in (getOptimizerState / setOptimizerState) on every backend: train k
 * steps, snapshot the weights and the optimizer, train n more and record the losses; a fresh
 * backend given the snapshot then trains the same n losses (CPU bit for bit, WebGPU within
 * float32 rounding). The same fresh backend without the optimizer state trains different losses,
 * so the comparison would catch a snapshot that dropped the moments or t.
 */
import { describe, expect } from 'vitest';
import {
  defaultOptimizer,
  initSeq2SeqParams,
  OPTIMIZER_KINDS,
  Seq2SeqCpuBackend,
  type OptimizerConfig,
  type OptimizerKind,
  type OptimizerSnapshot,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type TensorMap,
} from '../../src/engine/index.ts';
import { CpuBackend } from '../../src/engine/cpuBackend.ts';
import { GpuBackend } from '../../src/gpu/GpuBackend.ts';
import { Seq2SeqGpuBackend } from '../../src/gpu/Seq2SeqGpuBackend.ts';
import { makeCase, mulberry32 } from '../engine/helpers.ts';
import { gpuDevice, gpuTest, withValidation } from './device.ts';

const K = 3;
const N = 4;

/** What the test needs of either kind of backend: one step on its fixed batch, and the state in and out. */
interface Stepper {
  step(): Promise<number>;
  getParams(): Promise<TensorMap>;
  setParams(p: TensorMap): void;
  getOptimizerState(): Promise<OptimizerSnapshot>;
  setOptimizerState(s: OptimizerSnapshot): void;
  dispose(): void;
}

/** Losses of n training steps. */
async function losses(s: Stepper, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await s.step());
  return out;
}

const spec = { cell: 'lstm', numLayers: 2, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', B: 2, T: 4, H: 3 } as const;

/** A backend as a Stepper whose step is `train` then the flushed loss. */
function stepper(backend: Omit<Stepper, 'step'> & { flush(): Promise<{ loss: number } | null> }, train: () => void): Stepper {
  return {
    step: async () => {
      train();
      return (await backend.flush())!.loss;
    },
    getParams: () => backend.getParams(),
    setParams: (p) => backend.setParams(p),
    getOptimizerState: () => backend.getOptimizerState(),
    setOptimizerState: (s) => backend.setOptimizerState(s),
    dispose: () => backend.dispose(),
  };
}

/** Recurrent backends on a seeded case. */
async function recurrent(kind: 'cpu' | 'webgpu', opt: OptimizerConfig): Promise<Stepper> {
  const c = makeCase(spec);
  const backend =
    kind === 'cpu'
      ? new CpuBackend(c.config, c.params, opt)
      : await withValidation(await gpuDevice(), async () => new GpuBackend(await gpuDevice(), 'test', c.config, { B: 2, T: 4, loss: spec.loss, outputMode: spec.outputMode }, c.params, opt));
  return stepper(backend, () => backend.trainStep(c.batch));
}

/** Encoder-decoder backends on a seeded case. */
async function seq2seq(kind: 'cpu' | 'webgpu', opt: OptimizerConfig): Promise<Stepper> {
  const cfg: Seq2SeqConfig = { cell: 'gru', hiddenSize: 4, numLayers: 1, vocabSize: 5 };
  const params = initSeq2SeqParams(cfg, 3);
  const rand = mulberry32(4);
  const tokens = (n: number) => Int32Array.from({ length: n }, () => Math.floor(rand() * 5));
  const [B, S, U] = [2, 3, 3];
  const batch: Seq2SeqBatch = {
    source: { shape: [B, S], data: tokens(B * S) },
    sourceLengths: new Int32Array(B).fill(S),
    decoderInputs: { shape: [B, U], data: tokens(B * U) },
    targets: { shape: [B, U], data: tokens(B * U) },
    targetLengths: new Int32Array(B).fill(U),
  };
  const tf = { ratio: 1, seed: 1, step: 0 };
  const backend = kind === 'cpu' ? new Seq2SeqCpuBackend(cfg, params, opt) : new Seq2SeqGpuBackend(await gpuDevice(), 'test', cfg, { B, S, U }, params, opt);
  return stepper(backend, () => backend.trainStep(batch, tf));
}

/** Float32 on the GPU: losses agree to this relative error. */
const GPU_RTOL = 1e-5;

function expectSame(got: number[], want: number[], kind: 'cpu' | 'webgpu') {
  if (kind === 'cpu') expect(got).toEqual(want);
  else got.forEach((x, i) => expect(Math.abs(x - want[i]) / Math.abs(want[i]), `step ${i}: ${x} vs ${want[i]}`).toBeLessThan(GPU_RTOL));
}

const MAKERS = { recurrent, seq2seq };
const KINDS: OptimizerKind[] = [...OPTIMIZER_KINDS];

for (const backendKind of ['cpu', 'webgpu'] as const) {
  for (const [model, make] of Object.entries(MAKERS)) {
    describe(`${backendKind} ${model}: optimizer state out and in`, () => {
      for (const kind of KINDS) {
        // A large lr makes the moments matter within a few steps.
        const opt: OptimizerConfig = { ...defaultOptimizer(kind), lr: kind === 'sgd' ? 0.5 : 0.05 };
        gpuTest(`${backendKind} ${model} ${kind}: k=${K} steps, snapshot, n=${N} steps equal a fresh backend restored from the snapshot`, async () => {
          const first = await make(backendKind, opt);
          await losses(first, K);
          const params = await first.getParams();
          const state = await first.getOptimizerState();
          expect(state.kind).toBe(kind);
          expect(state.t).toBe(K);
          const want = await losses(first, N);
          first.dispose();

          const restored = await make(backendKind, opt);
          restored.setParams(params);
          restored.setOptimizerState(state);
          expectSame(await losses(restored, N), want, backendKind);
          expect((await restored.getOptimizerState()).t).toBe(K + N);
          restored.dispose();

          if (kind !== 'sgd') {
            // Weights alone are not enough: without the moments and t the losses part ways.
            const weightsOnly = await make(backendKind, opt);
            weightsOnly.setParams(params);
            const other = await losses(weightsOnly, N);
            weightsOnly.dispose();
            const gap = Math.max(...other.map((x, i) => Math.abs(x - want[i]) / Math.abs(want[i])));
            expect(gap).toBeGreaterThan(100 * GPU_RTOL);
          }
        });
      }

      gpuTest(`${backendKind} ${model}: a snapshot of another kind or size is refused with a message`, async () => {
        const adam = await make(backendKind, defaultOptimizer('adam'));
        const state = await adam.getOptimizerState();
        const rms = await make(backendKind, defaultOptimizer('rmsprop'));
        expect(() => rms.setOptimizerState(state)).toThrow('optimizer state is for adam, this optimizer is rmsprop');
        expect(() => adam.setOptimizerState({ ...state, m: state.m.subarray(1) })).toThrow(/values per moment/);
        adam.dispose();
        rms.dispose();
      });
    });
  }
}
