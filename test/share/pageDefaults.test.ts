/** The page's per-task defaults (src/store/defaults.ts) and the links' (src/share/schema.ts) are the same runs. */
import { describe, expect, test } from 'vitest';
import { defaultState } from '../../src/share/schema.ts';
import { defaultConfig } from '../../src/store/defaults.ts';
import { TASKS } from '../../src/tasks/index.ts';

describe('page defaults and link defaults', () => {
  for (const { info } of TASKS) {
    test(`${info.id}: the same task settings, seed, architecture and training`, () => {
      const page = defaultConfig(info.id);
      const link = defaultState(info.id).config;
      expect(link.task.id).toBe(page.task.id);
      expect({ ...link.task.settings }).toMatchObject(page.task.settings);
      expect(link.seed).toBe(page.seed);
      const arch = (c: typeof page) => ({ cell: c.model.cell, hiddenSize: c.model.hiddenSize, numLayers: c.model.numLayers, bidirectional: c.model.bidirectional, outputFeedback: c.model.outputFeedback });
      expect(arch(link)).toEqual(arch(page));
      expect(link.training.optimizer).toMatchObject({ kind: page.training.optimizer.kind, lr: page.training.optimizer.lr, clipNorm: page.training.optimizer.clipNorm });
      expect(link.training.batchSize).toBe(page.training.batchSize);
      expect(link.training.evalEvery).toBe(page.training.evalEvery);
    });
  }
});
