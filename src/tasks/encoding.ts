/**
 * How symbols enter the network (lecture 004, "data representation"): as one-hot
 * vectors, every pair of symbols equally far apart, or as token ids looked up in a learned
 * embedding, dense and low-dimensional. Every symbolic task offers both through one setting.
 */
import type { Batch } from '../engine/batch.ts';
import type { ChoiceSetting, TaskSettings } from './settings.ts';
import { textOf } from './settings.ts';
import type { InputNeeds } from './types.ts';

/** One-hot vectors or a learned embedding. */
export type SymbolEncoding = 'one-hot' | 'embedding';

/** The setting every symbolic task shares; `def` is its default there. */
export function encodingSetting(def: SymbolEncoding): ChoiceSetting {
  return {
    kind: 'choice',
    key: 'encoding',
    label: 'Input encoding',
    help: 'One-hot vectors (sparse, as long as the vocabulary) or token ids through a learned embedding (dense)',
    default: def,
    options: [
      { value: 'one-hot', label: 'one-hot' },
      { value: 'embedding', label: 'learned embedding' },
    ],
  };
}

/** The first n capital letters, the symbols of the generated tasks. */
export function letters(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));
}

/** The encoding a task's resolved settings chose. */
export function encodingOf(settings: TaskSettings): SymbolEncoding {
  return textOf<SymbolEncoding>(settings, 'encoding');
}

/** What the model reads for a vocabulary under an encoding. */
export function symbolInput(vocabulary: readonly string[], encoding: SymbolEncoding): InputNeeds {
  return encoding === 'one-hot' ? { kind: 'one-hot', vocabulary } : { kind: 'tokens', vocabulary };
}

/** The batch's inputs for (B, T) token ids: one-hot floats (B, T, V), or the tokens themselves. */
export function symbolInputs(ids: Int32Array, B: number, T: number, V: number, encoding: SymbolEncoding): Pick<Batch, 'inputs' | 'tokens'> {
  if (encoding === 'embedding') return { tokens: { shape: [B, T], data: ids } };
  const data = new Float64Array(B * T * V);
  for (let n = 0; n < B * T; n++) data[n * V + ids[n]] = 1;
  return { inputs: { shape: [B, T, V], data } };
}
