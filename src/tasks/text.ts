/**
 * Text for character models: a vocabulary of code points, the unigram entropy a model
 * must beat, and sampling with temperature from a trained model, one symbol at a time.
 */
import { mulberry32, type Random } from '../engine/random.ts';
import { argmax } from './metrics.ts';
import { TaskError } from './settings.ts';

/** The most distinct symbols a text may have (the one-hot width and the embedding's rows). */
export const MAX_VOCABULARY = 256;

/** A text's code points, with Windows and old Mac line endings made `\n`. */
export function codePoints(text: string): string[] {
  return Array.from(text.replace(/\r\n?/g, '\n'));
}

/** The distinct symbols of a text in code point order; throws past the cap, naming it and the excess. */
export function buildVocabulary(symbols: readonly string[], cap = MAX_VOCABULARY): string[] {
  const distinct = [...new Set(symbols)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  if (distinct.length > cap) {
    throw new TaskError(
      `The text has ${distinct.length} distinct symbols, ${distinct.length - cap} more than the cap of ${cap}. ` +
        'Remove rare symbols (emoji, accented letters, other scripts) or paste a shorter text.',
    );
  }
  return distinct;
}

/** Entropy in nats of the symbol frequencies: the loss of a model that knows only how common each symbol is. */
export function unigramEntropy(symbols: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const s of symbols) counts.set(s, (counts.get(s) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / symbols.length;
    h -= p * Math.log(p);
  }
  return h;
}

/** A class drawn from softmax(logits / temperature); temperature 0 takes the argmax (greedy). */
export function sampleFromLogits(logits: ArrayLike<number>, temperature: number, rand: Random): number {
  if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0, not ${temperature}`);
  if (temperature === 0) return argmax(logits, 0, logits.length);
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  const weights = Array.from(logits, (y) => Math.exp((y - max) / temperature));
  let u = rand() * weights.reduce((a, w) => a + w, 0);
  for (let k = 0; k < weights.length; k++) {
    u -= weights[k];
    if (u < 0) return k;
  }
  return weights.length - 1;
}

/** What sampling needs. */
export interface SampleOptions {
  vocabulary: readonly string[];
  /** Feeds one token to the model (which keeps its state) and returns the logits of the next. */
  step: (token: number) => ArrayLike<number>;
  /** Fed first, symbol by symbol; at least one symbol, each in the vocabulary. */
  prompt: string;
  /** Symbols to generate after the prompt. */
  length: number;
  temperature: number;
  seed: number;
}

/** Generates text one-to-many: read the prompt, then feed each sampled symbol back in. Returns the generated part. */
export function sampleText(o: SampleOptions): string {
  const index = new Map(o.vocabulary.map((s, i) => [s, i]));
  const prompt = codePoints(o.prompt);
  if (prompt.length === 0) throw new TaskError('The prompt needs at least one symbol to start from.');
  const unknown = prompt.find((s) => !index.has(s));
  if (unknown !== undefined) throw new TaskError(`The prompt's symbol ${JSON.stringify(unknown)} is not in the text's vocabulary.`);
  const rand = mulberry32(o.seed);
  let logits: ArrayLike<number> = [];
  for (const s of prompt) logits = o.step(index.get(s)!);
  let out = '';
  for (let i = 0; i < o.length; i++) {
    const next = sampleFromLogits(logits, o.temperature, rand);
    out += o.vocabulary[next];
    if (i + 1 < o.length) logits = o.step(next);
  }
  return out;
}
