/** Lessons (src/share/lessons.ts): every lesson's link, and its contrast's, decodes with no notices into its state. */
import { describe, expect, test } from 'vitest';
import { decodeHash } from '../../src/share/hash.ts';
import { LESSONS, contrastHash, contrastState, lessonHash, lessonState } from '../../src/share/lessons.ts';
import { sameData, validateState } from '../../src/share/schema.ts';

describe('lessons', () => {
  test('one per idea the issue lists, with unique ids', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['vanishing-gradients', 'exploding-gradients', 'lstm-gate-by-gate', 'bptt-window', 'bidirectional-tagging', 'teacher-forcing', 'one-hot-vs-embedding', 'depth']);
  });

  for (const lesson of LESSONS) {
    test(`${lesson.id}: valid, two or three sentences, and its link decodes with no notices into its state`, () => {
      const state = lessonState(lesson);
      expect(validateState(state)).toEqual([]);
      const sentences = lesson.text.split(/(?<=[.!?])\s+(?=[A-Z])/).length;
      expect(sentences).toBeGreaterThanOrEqual(2);
      expect(sentences).toBeLessThanOrEqual(3);
      expect(lesson.lookAt.length).toBeGreaterThan(20);
      expect(decodeHash(`#${lessonHash(lesson)}`)).toEqual({ state, notices: [] });
      if (lesson.contrast) {
        const contrast = contrastState(lesson);
        expect(validateState(contrast)).toEqual([]);
        expect(sameData(contrast, state), 'the contrast differs from the lesson').toBe(false);
        expect(decodeHash(contrastHash(lesson))).toEqual({ state: contrast, notices: [] });
      }
    });
  }

  test('the vanishing-gradients lesson is rnn_tanh on the adding problem at T = 100 with the gradient-over-time view open', () => {
    expect(lessonHash(LESSONS[0])).toBe('v=1&t=adding&t.T=100&c=rnn_tanh&vw.gradients=1');
    expect(contrastHash(LESSONS[0])).toBe('v=1&t=adding&t.T=100&vw.gradients=1');
  });
});
