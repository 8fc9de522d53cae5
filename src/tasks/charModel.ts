/**
 * Character language model: predict the next symbol at every step of a text (many-to-many),
 * then generate from a prompt (one-to-many, text.ts). The text is the shipped one
 * (public/data/README.md says where it comes from) or one the user pastes; the first 90% is
 * for training, the last 10% for validation.
 */
import type { Batch } from '../engine/batch.ts';
import { encodingOf, encodingSetting, symbolInputs, symbolInput, type SymbolEncoding } from './encoding.ts';
import { perplexityMetric } from './metrics.ts';
import { integerSetting, numberOf, resolveSettings, TaskError, textOf } from './settings.ts';
import { checkBatchRequest, randomInt, trainRandom } from './streams.ts';
import { buildVocabulary, codePoints, unigramEntropy } from './text.ts';
import type { RecurrentTask, TaskFiles, TaskInfo } from './types.ts';

/** The shipped text, under public/. */
export const SHIPPED_TEXT = 'data/pride-and-prejudice-vol1.txt';

/** Fraction of the text held out, at its end, for validation. */
export const VALIDATION_FRACTION = 0.1;

const info: TaskInfo = {
  id: 'char-model',
  title: 'Character language model',
  description:
    'Read a text one character at a time and predict the next one at every step (many-to-many), as in Karpathy’s char-rnn. ' +
    'Words, spelling and punctuation have to be learned from characters alone, and how far back the state reaches shows in ' +
    'opened and closed quotes. Once trained, the model generates one-to-many: prime it with a prompt, then feed each sampled ' +
    'character back in; temperature trades safe repetition for variety.',
  shape: 'many-to-many',
  settings: [
    {
      kind: 'choice',
      key: 'source',
      label: 'Text',
      help: 'The shipped public-domain text, or text you paste',
      default: 'austen',
      options: [
        { value: 'austen', label: 'Pride and Prejudice, volume I (Jane Austen)' },
        { value: 'pasted', label: 'pasted text' },
      ],
    },
    { kind: 'text', key: 'text', label: 'Pasted text', help: 'Any Unicode text, at most 256 distinct characters', default: '', maxLength: 500_000 },
    integerSetting('T', 'Sequence length T', 64, 8, 256, 'Characters per training window (the BPTT length unless truncated further)'),
    {
      kind: 'choice',
      key: 'batching',
      label: 'Windows',
      help: 'Random windows, or contiguous: row b of step s continues row b of step s−1, so the hidden state can be carried over',
      default: 'random',
      options: [
        { value: 'random', label: 'random' },
        { value: 'contiguous', label: 'contiguous (stateful)' },
      ],
    },
    encodingSetting('one-hot'),
  ],
  loss: 'cross_entropy',
  outputMode: 'sequence',
  bidirectional: 'forbidden',
  bidirectionalNote: 'the reverse direction would read the next character, the one to predict',
  files: [SHIPPED_TEXT],
};

/** A text ready for training: its vocabulary, the text as ids, and where validation starts. */
export interface Corpus {
  vocabulary: string[];
  /** Every symbol's id, in order. */
  ids: Int32Array;
  /** ids[0, split) train, ids[split, end) validation. */
  split: number;
  /** Unigram entropy of the whole text, in nats. */
  entropy: number;
}

/** Builds a corpus from a text (the browser fetches it, tests read the file); checks it holds a window of T + 1 on both sides. */
export function prepareCorpus(text: string, T: number): Corpus {
  const symbols = codePoints(text);
  const vocabulary = buildVocabulary(symbols);
  const index = new Map(vocabulary.map((s, i) => [s, i]));
  const ids = Int32Array.from(symbols, (s) => index.get(s)!);
  const split = Math.floor(ids.length * (1 - VALIDATION_FRACTION));
  if (ids.length - split < T + 1) {
    const needed = Math.ceil((T + 1) / VALIDATION_FRACTION);
    throw new TaskError(`The text has ${ids.length} characters; with windows of T = ${T} it needs at least ${needed}, so its last 10% holds one window of T + 1 for validation.`);
  }
  return { vocabulary, ids, split, entropy: unigramEntropy(symbols) };
}

/** A batch of windows: row b reads ids[offsets[b] .. + T] and predicts ids[offsets[b] + 1 .. + T + 1]. */
function windows(corpus: Corpus, offsets: readonly number[], T: number, encoding: SymbolEncoding): Batch {
  const B = offsets.length;
  const inputs = new Int32Array(B * T);
  const targets = new Float64Array(B * T);
  offsets.forEach((o, b) => {
    inputs.set(corpus.ids.subarray(o, o + T), b * T);
    targets.set(corpus.ids.subarray(o + 1, o + T + 1), b * T);
  });
  return { ...symbolInputs(inputs, B, T, corpus.vocabulary.length, encoding), targets: { shape: [B, T], data: targets }, loss: 'cross_entropy', outputMode: 'sequence' };
}

/** The text the settings choose. */
function chosenText(source: string, pasted: string, files: TaskFiles | undefined): string {
  if (source === 'pasted') {
    if (pasted.length === 0) throw new TaskError('Paste some text to train on first.');
    return pasted;
  }
  const text = files?.get(SHIPPED_TEXT);
  if (text === undefined) throw new TaskError(`The shipped text ${SHIPPED_TEXT} was not loaded.`);
  return text;
}

/** The character-model task. */
export const charModelTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed, files) {
    const s = resolveSettings(info.settings, given);
    const T = numberOf(s, 'T');
    const encoding = encodingOf(s);
    const corpus = prepareCorpus(chosenText(textOf(s, 'source'), textOf(s, 'text'), files), T);
    const contiguous = textOf(s, 'batching') === 'contiguous';
    const trainBatch = (step: number, B: number): Batch => {
      if (contiguous) {
        checkBatchRequest(step, B);
        // B streams of L symbols each; step s reads window s mod W of every stream.
        const L = Math.floor(corpus.split / B);
        const W = Math.floor((L - 1) / T);
        if (W < 1) throw new TaskError(`Contiguous windows need B·(T + 1) = ${B * (T + 1)} training characters; the text has ${corpus.split}.`);
        return windows(corpus, Array.from({ length: B }, (_, b) => b * L + (step % W) * T), T, encoding);
      }
      const rand = trainRandom(seed, step, B);
      return windows(corpus, Array.from({ length: B }, () => randomInt(rand, corpus.split - T)), T, encoding);
    };
    const validationWindows = Math.floor((corpus.ids.length - corpus.split - 1) / T);
    const H = corpus.entropy;
    return {
      needs: { input: symbolInput(corpus.vocabulary, encoding), outputSize: corpus.vocabulary.length, outputLabels: corpus.vocabulary, sequenceLength: T },
      trainBatch,
      validation: windows(corpus, Array.from({ length: validationWindows }, (_, i) => corpus.split + i * T), T, encoding),
      metric: perplexityMetric({
        name: 'perplexity',
        description: 'exp(mean cross-entropy per character): how many characters the model is as unsure between as a uniform guess',
        baseline: {
          value: Math.exp(H),
          description: `a unigram model, knowing only each character's frequency: entropy ${H.toFixed(3)} nats per character, perplexity ${Math.exp(H).toFixed(1)}`,
        },
      }),
    };
  },
};
