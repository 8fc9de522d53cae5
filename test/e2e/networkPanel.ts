/**
 * The network-panel e2e files' side of the comparison: the engine's record of the run the page
 * trains (the same config and seed, the same steps on the CPU engine, walked in this process),
 * and the page's numbers read back from their data-value attributes.
 */
/// <reference types="@webgpu/types" />
/// <reference types="vite/client" />
// The trainer's module names WebGPU types and imports WGSL as ?raw text; Vitest runs it in Node
// (the CPU backend is used), and these two references let this Node tier type-check it.
import type { Page } from 'playwright';
import { expect } from 'vitest';
import type { TrainerConfig } from '../../src/train/config.ts';
import { prepareAnyRun, Trainer } from '../../src/train/Trainer.ts';
import { walkExample, type Seq2SeqWalkView, type WalkView } from '../../src/train/walk.ts';

/** A CPU trainer of `config` after `steps` steps, its metrics flushed. */
async function cpuTrainer(config: TrainerConfig, steps: number): Promise<Trainer> {
  const trainer = new Trainer(prepareAnyRun(config));
  for (let i = 0; i < steps; i++) trainer.step();
  await trainer.flush();
  return trainer;
}

/** The walk of validation example `index` the page should show for a recurrent run of `config` trained `steps` steps. */
export async function engineWalk(config: TrainerConfig, steps: number, index: number): Promise<WalkView> {
  const trainer = await cpuTrainer(config, steps);
  return walkExample(trainer.run, trainer.settings, await trainer.backend.getParams(), { kind: 'example', index }, trainer.stepIndex);
}

/** The same for an encoder-decoder run: its walk through encoder and decoder. */
export async function engineSeq2SeqWalk(config: TrainerConfig, steps: number, index: number): Promise<Seq2SeqWalkView> {
  const trainer = await cpuTrainer(config, steps);
  const run = trainer.prepared;
  if (run.kind !== 'encoder-decoder') throw new Error(`${run.info.title} is not an encoder-decoder run: walk it with engineWalk`);
  return walkExample(run, trainer.settings, await trainer.backend.getParams(), { kind: 'example', index }, trainer.stepIndex);
}

/** Euclidean norm of row t of a (T, width) buffer, slice [from, from + n). */
export function rowNorm(buf: Float64Array, t: number, width: number, from = 0, n = width): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += buf[t * width + from + j] ** 2;
  return Math.sqrt(s);
}

/** Expects a shown number to equal the engine's to 1e-12 relative (the page prints it with String(number)). */
export function expectSame(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: page ${actual}, engine ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

/** A number the page shows, from its data-value (the first element with that test id). */
export async function shown(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  if (value === null) throw new Error(`${testId} has no data-value`);
  return Number(value);
}

/** Asks the network panel for validation example `index` and waits until it shows that walk at step `step`. */
export async function walkOnPage(page: Page, index: number, step: number): Promise<void> {
  await page.getByTestId('nv-example').fill(String(index));
  await expect.poll(() => page.getByTestId('nv-walk-step').textContent(), { timeout: 30_000 }).toBe(`example ${index} at step ${step}`);
}
