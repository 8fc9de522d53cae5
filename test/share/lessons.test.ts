/**
 * Lessons (src/share/lessons.ts): every lesson's link, and its contrast's, decodes with no
 * notices into its state, and that state builds its run and trains a step on the CPU.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CpuBackend } from '../../src/engine/cpuBackend.ts';
import { initParams } from '../../src/engine/model.ts';
import { initSeq2SeqParams } from '../../src/engine/seq2seq.ts';
import { Seq2SeqCpuBackend } from '../../src/engine/seq2seqCpuBackend.ts';
import { decodeHash } from '../../src/share/hash.ts';
import { LESSONS, contrastHash, contrastState, lessonHash, lessonState } from '../../src/share/lessons.ts';
import { sameData, validateState, type ShareState } from '../../src/share/schema.ts';
import { TASKS, modelConfig, taskById, type TaskFiles } from '../../src/tasks/index.ts';
import { seq2seqModel } from '../../src/tasks/seq2seq.ts';

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
    expect(lessonHash(LESSONS[0])).toBe('v=1&t=adding&t.T=100&s=1&c=rnn_tanh&vw.gradients=1');
    expect(contrastHash(LESSONS[0])).toBe('v=1&t=adding&t.T=100&s=1&vw.gradients=1');
  });
});

/** The files tasks read, from public/ as the page serves them. */
const FILES: TaskFiles = new Map(TASKS.flatMap((t) => t.info.files).map((path) => [path, readFileSync(`public/${path}`, 'utf8')]));

/** One CPU training step of a state's run (the engine and tasks only, as the Trainer builds it); returns the loss. */
function oneStep(s: ShareState): number {
  const c = s.config;
  const task = taskById(c.task.id);
  const B = c.training.batchSize;
  if (task.kind === 'encoder-decoder') {
    const data = task.create(c.task.settings, c.seed, FILES);
    const model = seq2seqModel(data.needs, c.model);
    const backend = new Seq2SeqCpuBackend(model, initSeq2SeqParams(model, c.seed, c.init), c.training.optimizer);
    backend.trainStep(data.trainBatch(0, B), { ratio: c.training.teacherForcing?.kind === 'constant' ? c.training.teacherForcing.ratio : 1, seed: c.seed, step: 0 });
    return backend.latestMetrics()!.loss;
  }
  const data = task.create(c.task.settings, c.seed, FILES);
  const model = modelConfig(task.info, data.needs, c.model);
  const backend = new CpuBackend(model, initParams(model, c.seed, c.init), c.training.optimizer);
  if (c.training.window !== null) backend.setWindow(c.training.window);
  backend.trainStep(data.trainBatch(0, B));
  return backend.latestMetrics()!.loss;
}

test('every lesson and contrast builds its task data and model and takes a CPU training step with a finite loss', () => {
  for (const lesson of LESSONS) {
    for (const state of [lessonState(lesson), contrastState(lesson)]) {
      expect(Number.isFinite(oneStep(state)), lesson.id).toBe(true);
    }
  }
}, 60_000);
