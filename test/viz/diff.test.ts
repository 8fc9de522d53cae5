/** describeDifferences: the legend label naming what differed between two runs' settings. */
import { describe, expect, test } from 'vitest';
import { describeDifferences, NO_DIFFERENCE } from '../../src/viz/diff.ts';

describe('describeDifferences', () => {
  test('flat settings: "name: before → after" in order, numbers shortened', () => {
    expect(describeDifferences({ cell: 'rnn_tanh', lr: 0.01, hidden: 32 }, { cell: 'lstm', lr: 0.003, hidden: 32 })).toBe(
      'cell: rnn_tanh → lstm, lr: 0.01 → 0.003',
    );
    expect(describeDifferences({ lr: 0.1 + 0.2 }, { lr: 0.1 })).toBe('lr: 0.3 → 0.1');
  });

  test('nested records use the shortest unambiguous name', () => {
    const before = { model: { cell: 'gru', lstm: { peepholes: false } }, optimizer: { lr: 0.01 }, task: { lr: 1 } };
    const after = { model: { cell: 'gru', lstm: { peepholes: true } }, optimizer: { lr: 0.02 }, task: { lr: 1 } };
    expect(describeDifferences(before, after)).toBe('peepholes: off → on, optimizer.lr: 0.01 → 0.02');
  });

  test('added, removed and null settings read "none"; undefined counts as absent', () => {
    expect(describeDifferences({ clip: null, seed: 1 }, { clip: 5, seed: 1, extra: undefined })).toBe('clip: none → 5');
    expect(describeDifferences({ dropout: 0.2 }, {})).toBe('dropout: 0.2 → none');
    expect(describeDifferences({}, { embedding: { size: 16 } })).toBe('size: none → 16');
  });

  test('identical settings say so; past maxItems the rest are counted', () => {
    expect(describeDifferences({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x' } })).toBe(NO_DIFFERENCE);
    expect(describeDifferences({ a: 1, b: 2, c: 3, d: 4 }, { a: 2, b: 3, c: 4, d: 5 })).toBe('a: 1 → 2, b: 2 → 3, c: 3 → 4 +1 more');
    expect(describeDifferences({ a: 1, b: 2 }, { a: 2, b: 3 }, { maxItems: 1 })).toBe('a: 1 → 2 +1 more');
  });

  test('values that are not settings are refused with their path', () => {
    const bad = { model: { sizes: [1, 2] } } as unknown as Record<string, never>;
    expect(() => describeDifferences(bad, {})).toThrow(/"model\.sizes" is an array/);
    expect(() => describeDifferences({}, { f: (() => 1) as unknown as number })).toThrow(/"f" is function/);
  });
});
