/**
 * Sentiment: classify a short review sentence as negative or positive from its words,
 * read one word per step, with the answer taken at the last step (many-to-one). The
 * sentences ship in public/data/sentiment.json. Split (fixed, no seed): in each class,
 * every fifth sentence is for validation. The vocabulary is the training sentences' words;
 * other words read as `<unk>`. Sentences are padded at the front with `<pad>` to the
 * longest one's length, so the last step is always a sentence's last word.
 */
import type { Batch } from '../engine/batch.ts';
import { encodingOf, encodingSetting, symbolInput, symbolInputs, type SymbolEncoding } from './encoding.ts';
import { accuracyMetric, allRows } from './metrics.ts';
import { resolveSettings, TaskError } from './settings.ts';
import { randomInt, trainRandom } from './streams.ts';
import type { RecurrentTask, TaskInfo } from './types.ts';

/** The labelled sentences, under public/. */
export const SENTIMENT_FILE = 'data/sentiment.json';
/** Padding before a sentence (id 0). */
export const PAD = '<pad>';
/** A word not seen in training (id 1). */
export const UNK = '<unk>';

/** One labelled sentence. */
export interface LabelledSentence {
  text: string;
  /** Index into the set's labels. */
  label: number;
}

/** A labelled set: class names and sentences. */
export interface SentimentSet {
  labels: string[];
  examples: LabelledSentence[];
}

/** Lower-case words and the punctuation marks . , ! ? ; as tokens. */
export function tokenizeWords(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9']+|[.,!?;]/g) ?? [];
}

/** Reads sentiment.json: `{ labels: string[], examples: { text, label: name }[] }`. */
export function parseSentimentSet(json: string): SentimentSet {
  const doc = JSON.parse(json) as { labels?: unknown; examples?: unknown };
  if (!Array.isArray(doc.labels) || !Array.isArray(doc.examples)) throw new TaskError(`${SENTIMENT_FILE} needs "labels" and "examples" arrays`);
  const labels = doc.labels.map(String);
  const examples = (doc.examples as { text?: unknown; label?: unknown }[]).map((e, i) => {
    const label = labels.indexOf(String(e.label));
    if (typeof e.text !== 'string' || label < 0) throw new TaskError(`${SENTIMENT_FILE}: example ${i} needs a text and one of the labels ${labels.join(', ')}`);
    return { text: e.text, label };
  });
  return { labels, examples };
}

/** The fixed split: within each class, every fifth sentence (the 5th, 10th, …) is for validation. */
export function splitSentences(set: SentimentSet): { train: LabelledSentence[]; validation: LabelledSentence[] } {
  const seen = new Array<number>(set.labels.length).fill(0);
  const train: LabelledSentence[] = [];
  const validation: LabelledSentence[] = [];
  for (const e of set.examples) (++seen[e.label] % 5 === 0 ? validation : train).push(e);
  return { train, validation };
}

/** `<pad>`, `<unk>`, then the words of the sentences from most to least frequent (ties alphabetically). */
export function wordVocabulary(sentences: readonly LabelledSentence[]): string[] {
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of tokenizeWords(s.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  return [PAD, UNK, ...words];
}

const info: TaskInfo = {
  id: 'sentiment',
  title: 'Sentiment',
  description:
    'Read a short review word by word and say, at the last word only, whether it is positive or negative: many-to-one ' +
    'classification, where outputs before the end are discarded. Word order matters (“not bad at all”, “nice, but the bed was awful”). ' +
    'Compare the lecture’s two input representations: one-hot vectors as long as the vocabulary, every word equally far from every ' +
    'other, against a small learned embedding that can place similar words close together.',
  shape: 'many-to-one',
  settings: [encodingSetting('embedding')],
  loss: 'cross_entropy',
  outputMode: 'last',
  bidirectional: 'optional',
  bidirectionalNote: 'the last step’s reverse state has read only the last word; the forward state carries the sentence',
  files: [SENTIMENT_FILE],
};

/** A batch of sentences, front-padded to T words. */
function sentenceBatch(sentences: readonly LabelledSentence[], vocabulary: readonly string[], T: number, encoding: SymbolEncoding): Batch {
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const B = sentences.length;
  const ids = new Int32Array(B * T); // 0 = <pad>
  const targets = new Float64Array(B);
  sentences.forEach((s, b) => {
    const words = tokenizeWords(s.text).slice(-T);
    words.forEach((w, i) => (ids[b * T + T - words.length + i] = index.get(w) ?? 1));
    targets[b] = s.label;
  });
  return { ...symbolInputs(ids, B, T, vocabulary.length, encoding), targets: { shape: [B], data: targets }, loss: 'cross_entropy', outputMode: 'last' };
}

/** The sentiment task. */
export const sentimentTask: RecurrentTask = {
  kind: 'recurrent',
  info,
  create(given, seed, files) {
    const encoding = encodingOf(resolveSettings(info.settings, given));
    const json = files?.get(SENTIMENT_FILE);
    if (json === undefined) throw new TaskError(`The sentences ${SENTIMENT_FILE} were not loaded.`);
    const set = parseSentimentSet(json);
    const { train, validation } = splitSentences(set);
    const vocabulary = wordVocabulary(train);
    const T = Math.max(...set.examples.map((e) => tokenizeWords(e.text).length));
    const counts = set.labels.map((_, k) => train.filter((e) => e.label === k).length);
    const majority = counts.indexOf(Math.max(...counts));
    const tied = counts.filter((c) => c === counts[majority]).length > 1;
    const baseline = validation.filter((e) => e.label === majority).length / validation.length;
    return {
      needs: { input: symbolInput(vocabulary, encoding), outputSize: set.labels.length, outputLabels: set.labels, sequenceLength: T },
      trainBatch(step, B) {
        const rand = trainRandom(seed, step, B);
        return sentenceBatch(Array.from({ length: B }, () => train[randomInt(rand, train.length)]), vocabulary, T, encoding);
      },
      validation: sentenceBatch(validation, vocabulary, T, encoding),
      metric: accuracyMetric(
        {
          name: 'accuracy',
          description: 'Fraction of sentences classified correctly (argmax at the last step)',
          baseline: { value: baseline, description: `always the training set's majority class (${set.labels[majority]}${tied ? ', the first of tied classes' : ''}): ${(100 * baseline).toFixed(1)}% of validation sentences` },
        },
        allRows,
      ),
    };
  },
};
