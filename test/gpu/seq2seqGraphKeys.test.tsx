/**
 * Keyboard access to the encoder-decoder's graph in a real browser (headless Chromium), through
 * the page's network tab with real Tab and key presses: one tab stop, the arrows along the
 * encoder's steps and on across the hand-over into the decoder's, ↑/↓ between layers, Enter and
 * Space open the cell inspector for that (part, t, layer), Escape closes it with the focus back
 * on the cell. The walk is computed here with the engine; the inspector's numbers are checked
 * against the part of the record the cell belongs to.
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { initSeq2SeqParams, seq2seqWalk, type Seq2SeqBatch, type Seq2SeqConfig } from '../../src/engine/index.ts';
import { useNetworkStore } from '../../src/store/networkStore.ts';
import { WalkFeed } from '../../src/store/networkWalk.ts';
import { createStore } from '../../src/store/store.ts';
import type { Seq2SeqWalkView } from '../../src/train/walk.ts';
import { formatNumber, vectorNorm } from '../../src/ui/network/format.ts';
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
  useNetworkStore.getState().setSelected(null);
});

const H = 3;
const SYMBOLS = ['_', '<s>', '</s>', 'a', 'b', 'c'];

/** A seeded GRU encoder-decoder, 2 layers, S = 4 (one padded), U = 4, teacher forcing 0.5, as the panel receives it. */
function gruView(): Seq2SeqWalkView {
  const cfg: Seq2SeqConfig = { cell: 'gru', hiddenSize: H, numLayers: 2, vocabSize: 6 };
  const params = initSeq2SeqParams(cfg, 3);
  const batch: Seq2SeqBatch = {
    source: { shape: [1, 4], data: Int32Array.from([3, 5, 4, 0]) },
    sourceLengths: Int32Array.of(3),
    decoderInputs: { shape: [1, 5], data: Int32Array.from([1, 4, 5, 3, 0]) },
    targets: { shape: [1, 5], data: Int32Array.from([4, 5, 3, 2, 0]) },
    targetLengths: Int32Array.of(4),
  };
  const walk = seq2seqWalk(cfg, params, batch, { ratio: 0.5, seed: 7, step: 1 });
  const sym = (ids: Int32Array) => Array.from(ids, (i) => SYMBOLS[i]);
  return { kind: 'seq2seq', request: { kind: 'example', index: 0 }, step: 1, walk, sourceLabels: sym(walk.source), decoderLabels: sym(walk.decoderInputs), targetLabels: sym(walk.targets), predictionLabels: sym(walk.predictions), sigmaMax: [], reach: null };
}

/** The focused cell as [part, t, layer] (fails when the focus is not on a cell). */
function focused(): [string, number, number] {
  const el = document.activeElement as SVGElement;
  expect(el.dataset.testid).toBe('graph-node');
  return [el.dataset.part!, Number(el.dataset.t), Number(el.dataset.layer)];
}

describe('keyboard access to the seq2seq graph', () => {
  test('gru L=2 S=4 U=4: Tab reaches the one stop, → crosses the hand-over, Enter opens the inspector for (decoder, u, layer), Escape closes it with the focus back', async () => {
    const view = gruView();
    const { encoder, decoder } = view.walk;
    const feed = new WalkFeed(createStore(), useNetworkStore, () => Promise.reject(new Error('the graph tab asks for no walk')));
    useNetworkStore.getState().setSelected(null);
    useNetworkStore.getState().setView('backward');
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
    await act(async () =>
      root!.render(
        <>
          <button type="button" data-testid="before">
            before
          </button>
          <NetworkTabView tab="graph" feed={feed} walk={view} walkError={null} row={0} rowNames={seq2seqRowNames(2)} width={700} />
        </>,
      ),
    );
    const c = host;
    const nodes = [...c.querySelectorAll<SVGElement>('[data-testid="graph-node"]')];
    expect(nodes).toHaveLength((4 + 4) * 2);
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '0')).toHaveLength(1);
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '-1')).toHaveLength(nodes.length - 1);

    // From a button before the panel, Tab passes the view switch and lands on the graph's one stop: the encoder's first cell.
    c.querySelector<HTMLElement>('[data-testid="before"]')!.focus();
    const stops: string[] = [];
    while (stops.length < 8 && (document.activeElement as HTMLElement).dataset.testid !== 'graph-node') {
      await userEvent.tab();
      stops.push((document.activeElement as HTMLElement).dataset.testid ?? document.activeElement!.tagName);
    }
    expect(stops.at(-1)).toBe('graph-node');
    expect(focused()).toEqual(['encoder', 0, 0]);
    expect(document.activeElement!.getAttribute('aria-label')).toBe(`encoder step 1, layer 1: ‖dL/dh‖ = ${formatNumber(vectorNorm(encoder.dirs[0].dh, 0, H))}`);

    // → along the encoder, then across the hand-over: from t = S to the decoder's u = 1, and ↑ to layer 2.
    await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowRight}');
    expect(focused()).toEqual(['encoder', 3, 0]);
    await userEvent.keyboard('{ArrowRight}');
    expect(focused()).toEqual(['decoder', 0, 0]);
    await userEvent.keyboard('{ArrowUp}');
    expect(focused()).toEqual(['decoder', 0, 1]);
    expect(document.activeElement!.getAttribute('aria-label')).toBe(`decoder step 1, layer 2: ‖dL/dh‖ = ${formatNumber(vectorNorm(decoder.dirs[1].dh, 0, H))}`);
    // ← goes back across it.
    await userEvent.keyboard('{ArrowLeft}');
    expect(focused()).toEqual(['encoder', 3, 1]);
    await userEvent.keyboard('{ArrowRight}{ArrowRight}');
    expect(focused()).toEqual(['decoder', 1, 1]);

    // Enter opens the inspector for that cell: the decoder's walk, u = 2, layer 2.
    await userEvent.keyboard('{Enter}');
    expect(useNetworkStore.getState().selected).toEqual({ part: 'decoder', t: 1, layer: 1, dir: 0 });
    expect(c.querySelector('[data-testid="cell-inspector"] strong')!.textContent).toBe('Cell t = 2, layer 2');
    expect(c.querySelector('[data-testid="inspector-part"]')!.textContent).toContain('step u = 2');
    expect(Number(c.querySelector<HTMLElement>('[data-testid="insp-h"]')!.dataset.value)).toBe(vectorNorm(decoder.dirs[1].h, 1 * H, H));
    expect(focused()).toEqual(['decoder', 1, 1]);
    await userEvent.keyboard('{Escape}');
    expect(c.querySelector('[data-testid="cell-inspector"]')).toBeNull();
    expect(useNetworkStore.getState().selected).toBeNull();

    // Home to the encoder's first step, Space opens it; Escape from inside the inspector closes it and gives the focus back.
    await userEvent.keyboard('{Home}{ArrowDown}{ }');
    expect(useNetworkStore.getState().selected).toEqual({ part: 'encoder', t: 0, layer: 0, dir: 0 });
    expect(Number(c.querySelector<HTMLElement>('[data-testid="insp-h"]')!.dataset.value)).toBe(vectorNorm(encoder.dirs[0].h, 0, H));
    await userEvent.tab();
    expect(document.activeElement!.closest('[data-testid="cell-inspector"]')).not.toBeNull();
    await userEvent.keyboard('{Escape}');
    expect(c.querySelector('[data-testid="cell-inspector"]')).toBeNull();
    expect(focused()).toEqual(['encoder', 0, 0]);

    // End to the decoder's last step; → stops there. Tab leaves the graph in one press.
    await userEvent.keyboard('{End}{ArrowRight}');
    expect(focused()).toEqual(['decoder', 3, 0]);
    await userEvent.tab();
    expect((document.activeElement as HTMLElement).dataset.testid).not.toBe('graph-node');
  });
});
