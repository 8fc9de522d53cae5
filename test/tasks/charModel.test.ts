/** Character model: the shipped text, vocabularies by code point and their cap, windows, and sampling. */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../src/engine/random.ts';
import { charModelTask, prepareCorpus, SHIPPED_TEXT } from '../../src/tasks/charModel.ts';
import { buildVocabulary, codePoints, sampleFromLogits, sampleText, unigramEntropy } from '../../src/tasks/text.ts';
import { FILES } from './helpers.ts';

const shipped = FILES.get(SHIPPED_TEXT)!;

describe('shipped text', () => {
  test('Pride and Prejudice vol. I: 231,198 characters, 74 symbols, 3.0997 nats', () => {
    const c = prepareCorpus(shipped, 64);
    expect(c.ids.length).toBe(231_198);
    expect(c.vocabulary).toHaveLength(74);
    expect(c.vocabulary.slice(0, 3)).toEqual(['\n', ' ', '!']);
    expect(c.entropy).toBeCloseTo(3.0997, 4);
    expect(c.split).toBe(Math.floor(231_198 * 0.9));
    expect(shipped.startsWith('PRIDE AND PREJUDICE\n\nBy Jane Austen\n\nChapter 1\n\nIt is a truth universally acknowledged')).toBe(true);
  });

  test('the baseline is the unigram perplexity, exp(entropy)', () => {
    const data = charModelTask.create({}, 1, FILES);
    expect(data.metric.baseline.value).toBeCloseTo(Math.exp(3.0997), 3);
    expect(data.metric.baseline.description).toContain('3.100 nats per character, perplexity 22.2');
  });
});

describe('vocabulary and entropy', () => {
  test('symbols are code points, ordered by code point; CRLF reads as a newline', () => {
    expect(buildVocabulary(codePoints('b😀a\r\nb'))).toEqual(['\n', 'a', 'b', '😀']);
  });

  test('entropy of "aab": -(2/3 ln 2/3 + 1/3 ln 1/3)', () => {
    expect(unigramEntropy([...'aab'])).toBeCloseTo(-((2 / 3) * Math.log(2 / 3) + (1 / 3) * Math.log(1 / 3)), 15);
  });

  test('300 distinct symbols: the error names the cap and the 44 past it', () => {
    const text = Array.from({ length: 300 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join('').repeat(3);
    expect(() => charModelTask.create({ source: 'pasted', text }, 1)).toThrow(/^The text has 300 distinct symbols, 44 more than the cap of 256\./);
  });

  test('256 distinct symbols are allowed', () => {
    const text = Array.from({ length: 256 }, (_, i) => String.fromCodePoint(0x1f300 + i)).join('').repeat(4);
    expect(charModelTask.create({ source: 'pasted', text, T: 8 }, 1).needs.outputSize).toBe(256);
  });
});

describe('pasted text', () => {
  test('too short for a validation window of T + 1: the error says how long it must be', () => {
    expect(() => charModelTask.create({ source: 'pasted', text: 'abcdefghij', T: 8 }, 1)).toThrow('The text has 10 characters; with windows of T = 8 it needs at least 90');
  });

  test('empty pasted text, or a shipped text not loaded, is refused', () => {
    expect(() => charModelTask.create({ source: 'pasted' }, 1)).toThrow('Paste some text to train on first.');
    expect(() => charModelTask.create({}, 1)).toThrow(`The shipped text ${SHIPPED_TEXT} was not loaded.`);
  });
});

describe('windows', () => {
  const text = 'the quick brown fox jumps over the lazy dog. '.repeat(20);
  const T = 10;

  test('targets are the inputs one character on; validation reads the last 10% in order', () => {
    const data = charModelTask.create({ source: 'pasted', text, T, encoding: 'embedding' }, 2);
    const corpus = prepareCorpus(text, T);
    const b = data.trainBatch(0, 4);
    for (let r = 0; r < 4; r++) for (let t = 0; t < T - 1; t++) expect(b.targets.data[r * T + t]).toBe(b.tokens!.data[r * T + t + 1]);
    const v = data.validation;
    expect(v.tokens!.shape[0]).toBe(Math.floor((text.length - corpus.split - 1) / T));
    expect(Array.from(v.tokens!.data.subarray(0, 2 * T))).toEqual(Array.from(corpus.ids.subarray(corpus.split, corpus.split + 2 * T)));
  });

  test('contiguous: row b of step s + 1 starts where row b of step s stopped, for any seed', () => {
    const data = charModelTask.create({ source: 'pasted', text, T, encoding: 'embedding', batching: 'contiguous' }, 2);
    const [s0, s1] = [data.trainBatch(0, 3), data.trainBatch(1, 3)];
    for (let r = 0; r < 3; r++) expect(s1.tokens!.data[r * T]).toBe(s0.targets.data[r * T + T - 1]);
    expect(charModelTask.create({ source: 'pasted', text, T, encoding: 'embedding', batching: 'contiguous' }, 99).trainBatch(1, 3)).toEqual(s1);
    expect(() => data.trainBatch(0, 200)).toThrow('Contiguous windows need B·(T + 1) = 2200 training characters; the text has 810.');
  });
});

describe('sampling', () => {
  const vocabulary = ['a', 'b', 'c'];
  /** A model that always makes the symbol after the one it was fed three times likelier than the others. */
  const cycle = () => (token: number) => [0, 1, 2].map((k) => (k === (token + 1) % 3 ? Math.log(3) : 0));

  test('temperature 0 is greedy: a, then b c a b', () => {
    const fed: number[] = [];
    const step = cycle();
    expect(sampleText({ vocabulary, prompt: 'a', length: 4, temperature: 0, seed: 1, step: (t) => (fed.push(t), step(t)) })).toBe('bcab');
    expect(fed).toEqual([0, 1, 2, 0]);
  });

  test('the same seed samples the same text; temperature 1 follows softmax (3:1:1), a high one flattens it', () => {
    const o = { vocabulary, prompt: 'ab', length: 50, temperature: 1, step: cycle() };
    expect(sampleText({ ...o, seed: 3 })).toBe(sampleText({ ...o, seed: 3 }));
    const rand = mulberry32(5);
    const freq = (temperature: number) => Array.from({ length: 4000 }, () => sampleFromLogits([Math.log(3), 0, 0], temperature, rand)).filter((k) => k === 0).length / 4000;
    expect(freq(1)).toBeCloseTo(0.6, 1);
    expect(freq(100)).toBeCloseTo(1 / 3, 1);
  });

  test('an empty prompt or a symbol outside the vocabulary is refused', () => {
    const o = { vocabulary, length: 3, temperature: 1, seed: 1, step: cycle() };
    expect(() => sampleText({ ...o, prompt: '' })).toThrow('The prompt needs at least one symbol to start from.');
    expect(() => sampleText({ ...o, prompt: 'az' })).toThrow('The prompt\'s symbol "z" is not in the text\'s vocabulary.');
  });
});
