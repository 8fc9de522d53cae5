/**
 * Hostile pasted text for the character model (issue 9): each input is either refused with a
 * message that names the problem, or trains correctly: the corpus decodes back to exactly the
 * text pasted (no symbol merged, dropped or split), and a CPU training step gives a finite loss.
 */
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../../src/engine/cpuBackend.ts';
import { initParams } from '../../src/engine/model.ts';
import { defaultOptimizer } from '../../src/engine/optimizer.ts';
import { charModelTask, prepareCorpus } from '../../src/tasks/charModel.ts';
import { modelConfig } from '../../src/tasks/modelConfig.ts';
import { TaskError } from '../../src/tasks/settings.ts';
import { mulberry32 } from '../../src/engine/random.ts';

/** The corpus's ids read back through its vocabulary. */
function decoded(text: string, T: number): string {
  const c = prepareCorpus(text, T);
  return Array.from(c.ids, (i) => c.vocabulary[i]).join('');
}

/** One CPU training step on the pasted text; returns its loss. */
async function trainStep(text: string, T = 8): Promise<number> {
  const data = charModelTask.create({ source: 'pasted', text, T }, 7);
  const model = modelConfig(charModelTask.info, data.needs, { cell: 'lstm', hiddenSize: 8, numLayers: 1, bidirectional: false });
  const backend = new CpuBackend(model, initParams(model, 7), defaultOptimizer('adam'));
  backend.trainStep(data.trainBatch(0, 2));
  const m = await backend.flush();
  return m!.loss;
}

describe('pasted text that is refused, with a message naming the problem', () => {
  test('one character: too short, and the message says how long it must be', () => {
    expect(() => charModelTask.create({ source: 'pasted', text: 'x', T: 8 }, 1)).toThrow(/^The text has 1 characters; with windows of T = 8 it needs at least 90/);
  });

  test('10 MB: over the pasted-text cap, named with both lengths (checked before any work on the text)', () => {
    const text = 'abcdefghij'.repeat(1_048_576);
    const started = performance.now();
    expect(() => charModelTask.create({ source: 'pasted', text }, 1)).toThrow(/^Pasted text is 10485760 characters long; the most is 500000$/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('binary (every UTF-16 unit, lone surrogates included): the vocabulary cap, named with the count', () => {
    const rand = mulberry32(3);
    const text = Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(rand() * 65536))).join('');
    let error: unknown;
    try {
      charModelTask.create({ source: 'pasted', text }, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TaskError);
    expect((error as Error).message).toMatch(/^The text has \d+ distinct symbols, \d+ more than the cap of 256\. Remove rare symbols/);
  });
});

describe('pasted text that trains correctly', () => {
  const cases: [string, string][] = [
    ['emoji, including ZWJ sequences and skin tones', '👩‍💻 codes, 👍🏽 agrees, 🇫🇷 waves. '.repeat(40)],
    ['combining marks (decomposed accents)', 'Cafe\u0301 na\u0308ive co\u0302te\u0301 '.repeat(60)],
    ['right-to-left scripts (Arabic and Hebrew) mixed with Latin', 'مرحبا بالعالم hello שלום עולם '.repeat(40)],
    ['control characters, NUL and tabs', 'a\u0000b\tc\u0007d\n'.repeat(200)],
    ['a single repeated symbol (entropy 0: the baseline perplexity is 1)', 'z'.repeat(500)],
  ];
  for (const [name, text] of cases) {
    test(`${name}: the corpus decodes to the same text, and a step's loss is finite`, async () => {
      expect(decoded(text, 8)).toBe(text);
      const loss = await trainStep(text);
      expect(Number.isFinite(loss)).toBe(true);
    });
  }

  test('code points are symbols: an emoji outside the BMP is one symbol, a combining mark is its own symbol', () => {
    expect(prepareCorpus('😀e\u0301'.repeat(100), 8).vocabulary).toEqual(['e', '\u0301', '😀']);
  });
});
