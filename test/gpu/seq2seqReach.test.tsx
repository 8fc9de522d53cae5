/**
 * The encoder-decoder's reach table on the Gradients tab, in a real browser (headless Chromium):
 * the walk the views worker would send (walkExample of a trained run's validation example, at the
 * teacher forcing of the trainer's next step) carries the table, and every cell the tab shows
 * (its data-value and tooltip) equals ‖dℓ_u/dh_k‖ computed here from the engine's seq2seq walk
 * with only ℓ_u kept, for the layer of the panel's row; encoder columns, then decoder columns,
 * with the hand-over between them. Over the budget there is no table, and the tab says so.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultOptimizer, PYTORCH_INIT, seq2seqWalk, sliceSeq2SeqBatch, type TensorMap } from '../../src/engine/index.ts';
import { useNetworkStore } from '../../src/store/networkStore.ts';
import { WalkFeed } from '../../src/store/networkWalk.ts';
import { createStore } from '../../src/store/store.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { prepareAnyRun, Trainer, type PreparedSeq2SeqRun } from '../../src/train/Trainer.ts';
import { teacherForcingAt, walkExample, walkRun, type Seq2SeqWalkView } from '../../src/train/walk.ts';
import { formatNumber } from '../../src/ui/network/format.ts';
import { NetworkTabView } from '../../src/ui/network/NetworkTabView.tsx';
import { seq2seqRowNames } from '../../src/ui/network/Seq2SeqTabView.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

afterEach(async () => {
  await act(async () => root?.unmount());
  host?.remove();
  root = null;
  host = null;
});

/** A seq2seq reversal run, 2 layers, teacher forcing falling from 1 to 0 over 10 steps (r = 0.5 at step 5). */
function config(hiddenSize: number, maxLength: number): TrainerConfig {
  return {
    task: { id: 'seq2seq', settings: { operation: 'reverse', minLength: 3, maxLength } },
    seed: 7,
    model: { cell: 'lstm', hiddenSize, numLayers: 2, bidirectional: false, embeddingSize: 4 },
    init: PYTORCH_INIT,
    training: { optimizer: { ...defaultOptimizer('adam'), lr: 0.03 }, batchSize: 4, window: null, stateful: false, dropout: 0, evalEvery: 0, teacherForcing: { kind: 'linear', start: 1, end: 0, steps: 10 } },
  };
}

/** The run after `steps` CPU training steps, with a float64 copy of its weights. */
async function trained(cfg: TrainerConfig, steps: number): Promise<{ run: PreparedSeq2SeqRun; params: TensorMap }> {
  const run = prepareAnyRun(cfg);
  if (run.kind !== 'encoder-decoder') throw new Error('seq2seq should prepare an encoder-decoder run');
  const trainer = new Trainer(run);
  for (let i = 0; i < steps; i++) trainer.step();
  await trainer.flush();
  return { run, params: await trainer.backend.getParams() };
}

/** What the views worker sends for validation example `index` at training step `step`. */
function viewOf(run: PreparedSeq2SeqRun, cfg: TrainerConfig, params: TensorMap, index: number, step: number): Seq2SeqWalkView {
  const view = walkExample(walkRun(run), cfg, params, { kind: 'example', index }, step);
  if (view.kind !== 'seq2seq') throw new Error('an encoder-decoder run should be walked as one');
  return view;
}

/** The Gradients tab for an encoder-decoder walk, with the panel's row. */
async function renderTab(view: Seq2SeqWalkView, row: number): Promise<HTMLElement> {
  const feed = new WalkFeed(createStore(), useNetworkStore, () => Promise.reject(new Error('the tab asks for no walk')));
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root!.render(<NetworkTabView tab="gradients" feed={feed} walk={view} walkError={null} row={row} rowNames={seq2seqRowNames(2)} width={480} />));
  return host;
}

describe('seq2seq reach table', () => {
  test('lstm L=2 H=6, a short example at step 5 (r = 0.5): every cell shown equals ‖dℓ_u/dh_k‖ of the engine walk keeping ℓ_u only, row 3 → layer 2 of both parts', async () => {
    const cfg = config(6, 5);
    const { run, params } = await trained(cfg, 5);
    // Not example 0, and U ≠ S (a table that mixes up its parts' widths shows it).
    const S = run.data.validation.source.shape[1];
    const index = Array.from(run.data.validation.targetLengths).findIndex((n, i) => i > 0 && n < S);
    expect(index).toBeGreaterThan(0);
    const view = viewOf(run, cfg, params, index, 5);
    expect(view.reach).not.toBeNull();
    const example = sliceSeq2SeqBatch(run.data.validation, index, 1);
    const U = example.targetLengths[0];
    const tf = teacherForcingAt(cfg, 5);
    expect(tf.ratio).toBe(0.5);
    const rows = Array.from({ length: U }, (_, u) => seq2seqWalk(run.seq2seq, params, example, tf, { onlyOutput: u }));
    const H = 6;
    const expected = (part: 'encoder' | 'decoder', u: number, k: number) => Math.hypot(...rows[u][part].dirs[1].dh.subarray(k * H, (k + 1) * H));

    // The decoder's row of the panel (row 3: decoder layer 2) shows layer 2 of both parts.
    const c = await renderTab(view, 3);
    const table = c.querySelector<HTMLElement>('[data-testid="seq2seq-reach"]')!;
    expect(table.dataset.layer).toBe('1');
    expect(table.querySelector('figcaption')!.textContent).toContain('layer 2');
    const cells = [...c.querySelectorAll<SVGRectElement>('[data-testid="reach-cell"]')];
    expect(cells).toHaveLength(U * (S + U));
    for (const el of cells) {
      const part = el.dataset.part as 'encoder' | 'decoder';
      const [u, k] = [Number(el.dataset.u), Number(el.dataset.k)];
      const v = Number(el.dataset.value);
      const want = part === 'decoder' && k > u ? 0 : expected(part, u, k);
      expect(Math.abs(v - want), `${part} u=${u} k=${k}`).toBeLessThanOrEqual(1e-14 * want);
      if (want === 0) expect(v).toBe(0);
      else expect(v).toBeGreaterThan(0);
      expect(el.querySelector('title')!.textContent).toContain(`‖dℓ_${u + 1}/dh‖ = ${formatNumber(v)}`);
    }
    // Encoder columns left of the hand-over, decoder columns right of it, in step order.
    const x = (part: string, k: number) => Number(c.querySelector(`[data-testid="reach-cell"][data-part="${part}"][data-u="0"][data-k="${k}"]`)!.getAttribute('x'));
    const hand = Number(c.querySelector('[data-testid="reach-handover"]')!.getAttribute('x1'));
    expect(x('encoder', 0)).toBeLessThan(x('encoder', S - 1));
    expect(x('encoder', S - 1)).toBeLessThan(hand);
    expect(hand).toBeLessThan(x('decoder', 0));
    expect(x('decoder', 0)).toBeLessThan(x('decoder', U - 1));

    // The encoder's layer-1 row shows layer 1.
    await act(async () => root!.render(<NetworkTabView tab="gradients" feed={new WalkFeed(createStore(), useNetworkStore, () => Promise.reject(new Error('no walk')))} walk={view} walkError={null} row={0} rowNames={seq2seqRowNames(2)} width={480} />));
    const first = c.querySelector<SVGRectElement>('[data-testid="reach-cell"][data-part="encoder"][data-u="1"][data-k="0"]')!;
    expect(Number(first.dataset.value)).toBe(view.reach!.encoder[0][1 * S + 0]);
    expect(Math.abs(Number(first.dataset.value) - Math.hypot(...rows[1].encoder.dirs[0].dh.subarray(0, H)))).toBeLessThanOrEqual(1e-14 * Number(first.dataset.value));
  });

  test('lstm L=2 H=128, sources up to 12: over the budget, no table, and the tab says so', async () => {
    const cfg = config(128, 12);
    const { run, params } = await trained(cfg, 0);
    const index = Array.from(run.data.validation.targetLengths).findIndex((n) => n >= 10);
    expect(index).toBeGreaterThanOrEqual(0);
    const view = viewOf(run, cfg, params, index, 0);
    expect(view.reach).toBeNull();
    const c = await renderTab(view, 0);
    expect(c.querySelector('[data-testid="seq2seq-reach"]')).toBeNull();
    expect(c.querySelector('[data-testid="seq2seq-reach-none"]')!.textContent).toMatch(/^No reach table for this example/);
  });
});
