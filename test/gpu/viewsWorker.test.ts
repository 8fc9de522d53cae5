/**
 * The views worker (src/train/viewsWorker.ts, driven by ViewsClient): walks computed on their
 * own thread equal walkExample computed here, bit for bit; a second run replaces the first;
 * a refused request comes back with its message; a stopped worker fails what waits on it.
 * (Through the training worker: walk.test.ts, walkSeq2Seq.test.ts, walkJordan.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT } from '../../src/engine/index.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { prepareAnyRun, Trainer } from '../../src/train/Trainer.ts';
import { ViewsClient } from '../../src/train/viewsClient.ts';
import { walkExample, walkRun } from '../../src/train/walk.ts';

function config(task: string, settings: TrainerConfig['task']['settings'], cell: TrainerConfig['model']['cell']): TrainerConfig {
  return {
    task: { id: task, settings },
    seed: 3,
    model: { cell, hiddenSize: 5, numLayers: 1, bidirectional: false, embeddingSize: 4 },
    init: PYTORCH_INIT,
    training: { optimizer: { ...defaultOptimizer('adam'), lr: 0.03 }, batchSize: 4, window: null, stateful: false, dropout: 0, evalEvery: 0 },
  };
}

/** A run after 2 CPU steps and its weights. */
async function run(cfg: TrainerConfig) {
  const trainer = new Trainer(prepareAnyRun(cfg));
  trainer.step();
  trainer.step();
  await trainer.flush();
  return { prepared: trainer.prepared, params: await trainer.backend.getParams() };
}

describe('views worker', () => {
  test('its walks equal walkExample here, for a recurrent run and then an encoder-decoder run', async () => {
    const views = new ViewsClient();
    expect(views.threaded).toBe(true);
    try {
      for (const cfg of [config('adding', { T: 8 }, 'gru'), config('seq2seq', {}, 'lstm')]) {
        const { prepared, params } = await run(cfg);
        const there = await views.walk(prepared, cfg, params, { kind: 'example', index: 1 }, 2);
        const here = walkExample(walkRun(prepared), cfg, params, { kind: 'example', index: 1 }, 2);
        expect(there.kind ?? 'recurrent').toBe(prepared.kind === 'recurrent' ? 'recurrent' : 'seq2seq');
        expect(there).toEqual(here);
      }
    } finally {
      views.dispose();
    }
  });

  test('a refused request comes back with its message; dispose fails what still waits', async () => {
    const views = new ViewsClient();
    const cfg = config('adding', { T: 6 }, 'rnn_tanh');
    const { prepared, params } = await run(cfg);
    await expect(views.walk(prepared, cfg, params, { kind: 'text', text: 'ab' }, 2)).rejects.toThrow(/typed text is for the character model/);
    await expect(views.walk(prepared, cfg, params, { kind: 'example', index: 10_000 }, 2)).rejects.toThrow(/validation example 10000 is not in a set of/);
    const waiting = views.walk(prepared, cfg, params, { kind: 'example', index: 0 }, 2);
    views.dispose();
    await expect(waiting).rejects.toThrow(/views worker was stopped/);
  });
});
