/**
 * The encoder-decoder's graph and step-through in a real browser (headless Chromium), rendered
 * from a Seq2SeqWalk the test computes with the engine and read back through data attributes:
 * encoder and decoder columns, the hand-over edge with the gradient crossing it, the decoder's
 * inputs marked teacher forced or its own output, and the stepper's numbers in every pass.
 */
import { act } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { initSeq2SeqParams, seq2seqWalk, type Seq2SeqBatch, type Seq2SeqConfig, type Seq2SeqWalk } from '../../src/engine/index.ts';
import { vectorNorm } from '../../src/ui/network/format.ts';
import { Seq2SeqGraph, type Seq2SeqLabels } from '../../src/ui/network/Seq2SeqGraph.tsx';
import { seq2seqCursorStep, Seq2SeqStepper } from '../../src/ui/network/Seq2SeqStepper.tsx';
import { mulberry32 } from '../engine/helpers.ts';
import { byId, render, shown, unmount } from './render.ts';

afterEach(unmount);

const H = 4;
const SYMBOLS = ['_', '<s>', '</s>', 'a', 'b', 'c'];

/** A seeded LSTM encoder-decoder, 2 layers, S = 5 (two padded), U = 5, teacher forcing 0.5 (coins: own, target, target, own). */
function lstmCase(): { walk: Seq2SeqWalk; labels: Seq2SeqLabels } {
  const cfg: Seq2SeqConfig = { cell: 'lstm', hiddenSize: H, numLayers: 2, vocabSize: 6 };
  const params = initSeq2SeqParams(cfg, 5);
  for (const t of params.values()) for (let i = 0; i < t.data.length; i++) t.data[i] *= 2;
  const rand = mulberry32(9);
  const token = () => 3 + Math.floor(rand() * 3);
  const batch: Seq2SeqBatch = {
    source: { shape: [1, 5], data: Int32Array.from([token(), token(), token(), 0, 0]) },
    sourceLengths: Int32Array.of(3),
    decoderInputs: { shape: [1, 6], data: Int32Array.from([1, token(), token(), token(), token(), 0]) },
    targets: { shape: [1, 6], data: Int32Array.from([token(), token(), token(), token(), 2, 0]) },
    targetLengths: Int32Array.of(5),
  };
  const walk = seq2seqWalk(cfg, params, batch, { ratio: 0.5, seed: 11, step: 2 });
  const sym = (ids: Int32Array) => Array.from(ids, (i) => SYMBOLS[i]);
  return { walk, labels: { source: sym(walk.source), decoderInputs: sym(walk.decoderInputs), targets: sym(walk.targets), predictions: sym(walk.predictions) } };
}

describe('Seq2SeqGraph', () => {
  test('lstm L=2 S=5 U=5: encoder then decoder columns, node norms, the hand-over and the decoder inputs equal the record', async () => {
    const { walk, labels } = lstmCase();
    const { encoder, decoder } = walk;
    expect(walk.inputSource).toEqual(['start', 'own', 'target', 'target', 'own']);
    for (const view of ['forward', 'backward'] as const) {
      const picked: [string, number, number][] = [];
      const c = await render(<Seq2SeqGraph walk={walk} labels={labels} view={view} onSelect={(p, t, l) => picked.push([p, t, l])} width={700} />);
      const nodes = Array.from(c.querySelectorAll<SVGRectElement>('[data-testid="graph-node"]'));
      expect(nodes).toHaveLength((5 + 5) * 2);
      // Columns left to right: every encoder step before every decoder step.
      const x = (part: string, t: number) => Number(c.querySelector(`[data-testid="graph-node"][data-part="${part}"][data-t="${t}"][data-layer="0"]`)!.getAttribute('x'));
      expect(x('encoder', 4)).toBeLessThan(x('decoder', 0));
      expect(x('decoder', 0)).toBeLessThan(x('decoder', 4));
      for (const node of nodes) {
        const w = (node.dataset.part === 'encoder' ? encoder : decoder).dirs[Number(node.dataset.layer)];
        const t = Number(node.dataset.t);
        expect(Number(node.dataset.value)).toBe(vectorNorm(view === 'forward' ? w.h : w.dh, t * H, H));
      }
      const hand = Array.from(c.querySelectorAll<SVGLineElement>('[data-testid="handover-edge"]'));
      expect(hand).toHaveLength(2);
      for (const [l, edge] of hand.entries()) {
        expect(Number(edge.dataset.value)).toBe(vectorNorm(view === 'forward' ? walk.handOver.h[l] : walk.handOverGrad.h[l]));
        // Backward, the edge takes the colour of the gradient crossing it; forward, the accent class.
        expect(edge.getAttribute('class')).toBe(`nv-s2s-handover-${view}`);
        expect(edge.hasAttribute('stroke')).toBe(view === 'backward');
      }
      expect(byId(c, 'handover-label').textContent).toBe(view === 'forward' ? 'h₅ →' : '← dL/dh₅');
      const inputs = Array.from(c.querySelectorAll<SVGTextElement>('[data-testid="decoder-input"]'));
      expect(inputs.map((e) => e.dataset.source)).toEqual(walk.inputSource);
      expect(inputs.map((e) => e.firstChild!.textContent)).toEqual(labels.decoderInputs);
      expect(Array.from(c.querySelectorAll('.nv-s2s-kind'), (e) => e.textContent)).toEqual(['start', 'ŷ₁', 'y*₂', 'y*₃', 'ŷ₄']);
      const feeds = Array.from(c.querySelectorAll<SVGPathElement>('[data-testid="feedback-edge"]'));
      expect(feeds.map((e) => e.dataset.source)).toEqual(walk.inputSource.slice(1));
      expect(Array.from(c.querySelectorAll('[data-testid="source-symbol"]'), (e) => e.firstChild!.textContent)).toEqual(labels.source);
      const outputs = Array.from(c.querySelectorAll('[data-testid="decoder-output"]'));
      expect(outputs.map((e) => e.firstChild!.textContent)).toEqual(labels.predictions);
      expect(outputs.map((e) => e.classList.contains('nv-s2s-wrong'))).toEqual(labels.predictions.map((p, u) => p !== labels.targets[u]));
      await act(async () => c.querySelector<SVGRectElement>('[data-part="decoder"][data-t="2"][data-layer="1"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
      expect(picked).toEqual([['decoder', 2, 1]]);
    }
  });
});

describe('Seq2SeqStepper', () => {
  test('cursor order: encoder forward, decoder forward, decoder backward, encoder backward, each step once', () => {
    const seen = Array.from({ length: 2 * (5 + 3) }, (_, c) => seq2seqCursorStep(5, 3, c));
    expect(seen.map((s) => `${s.part[0]}${s.phase[0]}${s.t}`).join(' ')).toBe('ef0 ef1 ef2 ef3 ef4 df0 df1 df2 db2 db1 db0 eb4 eb3 eb2 eb1 eb0');
  });

  test('lstm L=2 S=5 U=5: the numbers at each pass and at the hand-over equal the record', async () => {
    const { walk, labels } = lstmCase();
    const { encoder, decoder } = walk;
    const norm = (buf: Float64Array, t: number) => vectorNorm(buf, t * H, H);
    for (const layer of [0, 1]) {
      const enc = encoder.dirs[layer];
      const dec = decoder.dirs[layer];
      // Encoder forward at t = 3 (padding).
      let c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={3} />);
      expect(byId(c, 'seq2seq-stepper').dataset).toMatchObject({ part: 'encoder', phase: 'forward', t: '3', layer: String(layer) });
      expect(shown(c, 'h-norm')).toBe(norm(enc.h, 3));
      expect(shown(c, 'c-norm')).toBe(norm(enc.c!, 3));
      expect(byId(c, 'stepper-reads').textContent).toBe('reads x_4 = _ (padding)');
      // Encoder forward at t = S: what it hands over.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={4} />);
      expect(shown(c, 'handover-forward-h')).toBe(vectorNorm(walk.handOver.h[layer]));
      expect(shown(c, 'handover-forward-h')).toBe(norm(enc.h, 4));
      // Decoder forward at u = 1: starts from the hand-over, reads <s>.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={5} />);
      expect(byId(c, 'seq2seq-stepper').dataset).toMatchObject({ part: 'decoder', phase: 'forward', t: '0' });
      expect(shown(c, 'handover-forward-c')).toBe(vectorNorm(walk.handOver.c![layer]));
      expect(shown(c, 'h-norm')).toBe(norm(dec.h, 0));
      expect(byId(c, 'stepper-reads').dataset.source).toBe('start');
      // Decoder forward at u = 2: its own previous output.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={6} />);
      expect(byId(c, 'stepper-reads').dataset.source).toBe('own');
      expect(shown(c, 'gate-norm-f')).toBe(vectorNorm(dec.gates, 1 * 4 * H + H, H));
      // Decoder backward at u = 3 (cursor 10 + 5 - 1 - 2).
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={12} />);
      expect(byId(c, 'seq2seq-stepper').dataset).toMatchObject({ part: 'decoder', phase: 'backward', t: '2' });
      expect(shown(c, 'dh-norm')).toBe(norm(dec.dh, 2));
      expect(shown(c, 'from-output-norm')).toBe(norm(dec.fromOutput, 2));
      expect(shown(c, 'contrib-Whh')).toBe(dec.contribution.Whh[2]);
      // Decoder backward at u = 1: the gradient it sends back across the hand-over.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={14} />);
      expect(byId(c, 'seq2seq-stepper').dataset).toMatchObject({ part: 'decoder', phase: 'backward', t: '0' });
      expect(shown(c, 'handover-backward-h')).toBe(vectorNorm(walk.handOverGrad.h[layer]));
      expect(shown(c, 'handover-backward-c')).toBe(vectorNorm(walk.handOverGrad.c![layer]));
      // Encoder backward at t = S: that gradient arrives from the decoder.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={15} />);
      expect(byId(c, 'seq2seq-stepper').dataset).toMatchObject({ part: 'encoder', phase: 'backward', t: '4' });
      expect(shown(c, 'from-next-norm')).toBe(vectorNorm(walk.handOverGrad.h[layer]));
      expect(shown(c, 'dc-from-next-norm')).toBe(vectorNorm(walk.handOverGrad.c![layer]));
      expect(shown(c, 'dh-norm')).toBe(norm(enc.dh, 4));
      expect(c.textContent).toContain('from the decoder (hand-over)');
      // Encoder backward at t = 2.
      c = await render(<Seq2SeqStepper walk={walk} labels={labels} initialLayer={layer} cursor={17} />);
      expect(shown(c, 'dh-norm')).toBe(norm(enc.dh, 2));
      expect(shown(c, 'from-next-norm')).toBe(norm(enc.fromNext, 2));
      expect(shown(c, 'total-Wih')).toBe(enc.total.Wih[2]);
      expect(shown(c, 'walk-loss')).toBe(walk.loss);
    }
  });

  test('keys: →, End and Home move the cursor through both parts', async () => {
    const { walk, labels } = lstmCase();
    const c = await render(<Seq2SeqStepper walk={walk} labels={labels} />);
    const stepper = byId(c, 'seq2seq-stepper');
    const press = (key: string) => act(async () => void stepper.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true })));
    for (let i = 0; i < 5; i++) await press('ArrowRight');
    expect(stepper.dataset).toMatchObject({ cursor: '5', part: 'decoder', phase: 'forward', t: '0' });
    await press('End');
    expect(stepper.dataset).toMatchObject({ cursor: '19', part: 'encoder', phase: 'backward', t: '0' });
    await press('Home');
    expect(stepper.dataset.cursor).toBe('0');
  });
});
