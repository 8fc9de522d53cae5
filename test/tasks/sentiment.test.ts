/** Sentiment: words, the shipped set and its fixed split, front padding, unknown words, and the majority baseline. */
import { describe, expect, test } from 'vitest';
import { parseSentimentSet, PAD, SENTIMENT_FILE, sentimentTask, splitSentences, tokenizeWords, UNK, wordVocabulary } from '../../src/tasks/sentiment.ts';
import { FILES } from './helpers.ts';

describe('sentiment', () => {
  test('words are lower-cased, apostrophes kept, punctuation split off', () => {
    expect(tokenizeWords("It's not BAD, at all!")).toEqual(["it's", 'not', 'bad', ',', 'at', 'all', '!']);
  });

  test('the shipped set: 158 + 158 sentences; every fifth of each class for validation, 127 + 127 train', () => {
    const set = parseSentimentSet(FILES.get(SENTIMENT_FILE)!);
    expect(set.labels).toEqual(['negative', 'positive']);
    expect(set.examples.filter((e) => e.label === 1)).toHaveLength(158);
    const { train, validation } = splitSentences(set);
    expect([train.filter((e) => e.label === 0).length, train.filter((e) => e.label === 1).length]).toEqual([127, 127]);
    expect([validation.filter((e) => e.label === 0).length, validation.filter((e) => e.label === 1).length]).toEqual([31, 31]);
    expect(validation[0]).toBe(set.examples[8]);
  });

  test('baseline: the majority class, exactly half of the balanced validation set', () => {
    const data = sentimentTask.create({}, 1, FILES);
    expect(data.metric.baseline.value).toBe(0.5);
    expect(data.needs.sequenceLength).toBe(16);
    expect(data.validation.targets.shape).toEqual([62]);
  });

  const tiny = JSON.stringify({
    labels: ['negative', 'positive'],
    examples: ['good film', 'bad film', 'good', 'bad', 'a good film', 'not a good film', 'good good', 'bad bad', 'good food', 'awful food .'].map((text, i) => ({ text, label: i % 2 ? 'negative' : 'positive' })),
  });
  const files = new Map([[SENTIMENT_FILE, tiny]]);

  test('vocabulary: <pad>, <unk>, then training words by frequency (ties alphabetically); validation words unseen in training read as <unk>', () => {
    const { train } = splitSentences(parseSentimentSet(tiny));
    expect(wordVocabulary(train)).toEqual([PAD, UNK, 'good', 'bad', 'film', 'a', 'not']);
    const data = sentimentTask.create({ encoding: 'embedding' }, 1, files);
    // Validation: "good food" (positive) and "awful food ." (negative), front-padded to T = 4.
    expect(data.needs.sequenceLength).toBe(4);
    expect(Array.from(data.validation.tokens!.data)).toEqual([0, 0, 2, 1, 0, 1, 1, 1]);
    expect(Array.from(data.validation.targets.data)).toEqual([1, 0]);
  });

  test('one-hot inputs: a padded step is the <pad> one-hot row', () => {
    const data = sentimentTask.create({ encoding: 'one-hot' }, 1, files);
    const x = data.validation.inputs!;
    expect(x.shape).toEqual([2, 4, 7]);
    expect(Array.from(x.data.subarray(0, 7))).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(x.data.subarray(14, 21))).toEqual([0, 0, 1, 0, 0, 0, 0]);
  });

  test('a missing file or a malformed example is refused with its reason', () => {
    expect(() => sentimentTask.create({}, 1)).toThrow(`The sentences ${SENTIMENT_FILE} were not loaded.`);
    expect(() => parseSentimentSet('{"labels": ["neg", "pos"], "examples": [{"text": "ok", "label": "meh"}]}')).toThrow(`${SENTIMENT_FILE}: example 0 needs a text and one of the labels neg, pos`);
  });
});
