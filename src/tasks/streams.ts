/**
 * Seeded streams for task data. Each training step draws from its own generator, seeded
 * by a hash of (seed, step), so a step's batch never depends on the steps before it:
 * pausing, single-stepping or resuming gives the same batches. Validation draws from a
 * stream of its own that ignores the seed, so runs with different seeds are scored on the
 * same examples.
 */
import { mulberry32, type Random } from '../engine/random.ts';

/** Examples in a generated task's validation set. */
export const VALIDATION_SIZE = 256;

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed from a seed, a stream number and an index. */
function streamSeed(seed: number, stream: number, index: number): number {
  let h = fmix32(seed >>> 0);
  h = fmix32(h ^ Math.imul(stream, 0x9e3779b1));
  return fmix32(h ^ (index >>> 0));
}

const TRAIN_STREAM = 1;
const VALIDATION_STREAM = 2;

/** The generator of training step `step` for `seed` (after checking the request). */
export function trainRandom(seed: number, step: number, B: number): Random {
  checkBatchRequest(step, B);
  return mulberry32(streamSeed(seed, TRAIN_STREAM, step));
}

/** The validation set's generator: the same for every seed. */
export function validationRandom(): Random {
  return mulberry32(streamSeed(0, VALIDATION_STREAM, 0));
}

/** Training batches by step and a fixed validation set of VALIDATION_SIZE, from one function that draws B examples. */
export function seededBatches<TBatch>(seed: number, draw: (rand: Random, B: number) => TBatch): { trainBatch(step: number, B: number): TBatch; validation: TBatch } {
  return {
    trainBatch: (step, B) => draw(trainRandom(seed, step, B), B),
    validation: draw(validationRandom(), VALIDATION_SIZE),
  };
}

/** A uniform integer in [0, n). */
export function randomInt(rand: Random, n: number): number {
  return Math.floor(rand() * n);
}

/** Throws unless step is a whole number ≥ 0 and B ≥ 1. */
export function checkBatchRequest(step: number, B: number): void {
  if (!(Number.isInteger(step) && step >= 0)) throw new RangeError(`step must be a whole number ≥ 0, not ${step}`);
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`batch size must be a whole number ≥ 1, not ${B}`);
}
