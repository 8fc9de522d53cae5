/**
 * The network views in a real browser (headless Chromium): rendered with react-dom/client from
 * a BPTT walk the test computes with the engine, then read back through their data attributes.
 */
import { act } from 'react';
import { afterEach, describe, expect, test } from 'vitest';
import { bpttWalk, type BpttWalk } from '../../src/engine/index.ts';
import { BpttStepper, GateHeatmaps, GradientOverTime, UnrolledGraph, walkGraphNorms } from '../../src/ui/network/index.ts';
import { formatNumber, vectorNorm } from '../../src/ui/network/format.ts';
import { cutBoundaries } from '../../src/ui/network/graphLayout.ts';
import { makeCase } from '../engine/helpers.ts';
import { byId, render, shown, unmount } from './render.ts';

afterEach(unmount);

/** Sends a key to an element the way a user's key press reaches React. */
async function press(el: HTMLElement, key: string): Promise<void> {
  await act(async () => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
  });
}

/** A seeded LSTM walk: 2 layers, bidirectional, T = 6, H = 4, window 4. */
function lstmWalk(): BpttWalk {
  const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 6, H: 4, I: 3, O: 2 });
  return bpttWalk(config, params, batch, { bpttWindow: 4, fullMatricesAt: [2] });
}

describe('BpttStepper', () => {
  test('lstm L=2 bi T=6 H=4 k=4: the numbers shown at forward and backward cursors equal the walk record', async () => {
    const walk = lstmWalk();
    const { T, hiddenSize: H } = walk;
    const cursors = [0, 3, 5, 6, 8, 11];
    for (const row of [0, 3]) {
      for (const cursor of cursors) {
        const c = await render(<BpttStepper walk={walk} initialRow={row} cursor={cursor} />);
        const stepper = byId(c, 'bptt-stepper');
        const w = walk.dirs[row];
        const t = Number(stepper.dataset.t);
        expect(t).toBe(cursor < T ? w.backwardOrder[T - 1 - cursor] : w.backwardOrder[cursor - T]);
        const norm = (buf: Float64Array) => vectorNorm(buf, t * H, H);
        if (cursor < T) {
          expect(stepper.dataset.phase).toBe('forward');
          expect(shown(c, 'h-norm')).toBeCloseTo(norm(w.h), 12);
          expect(shown(c, 'c-norm')).toBeCloseTo(norm(w.c!), 12);
          expect(shown(c, 'gate-norm-f')).toBeCloseTo(vectorNorm(w.gates, t * 4 * H + H, H), 12);
        } else {
          expect(stepper.dataset.phase).toBe('backward');
          expect(shown(c, 'from-output-norm')).toBeCloseTo(norm(w.fromOutput), 12);
          expect(shown(c, 'from-next-norm')).toBeCloseTo(norm(w.fromNext), 12);
          expect(shown(c, 'dh-norm')).toBeCloseTo(norm(w.dh), 12);
          expect(shown(c, 'dc-norm')).toBeCloseTo(norm(w.dc!), 12);
          expect(shown(c, 'gate-grad-norm-o')).toBeCloseTo(vectorNorm(w.gateGrads, t * 4 * H + 3 * H, H), 12);
          expect(shown(c, 'contrib-Whh')).toBe(w.contribution.Whh[t]);
          expect(shown(c, 'total-Wih')).toBe(w.total.Wih[t]);
          expect(byId(c, 'backward-panel').dataset.cut).toBe(String(w.cut[t] === 1));
        }
      }
    }
  });

  for (const cell of ['rnn_tanh', 'rnn_relu', 'gru'] as const)
    test(`${cell} L=1 T=5 H=3: forward shows each gate and h_t (no c_t); backward dL/dh_t equals the record`, async () => {
      const { config, params, batch } = makeCase({ cell, numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'last', B: 1, T: 5, H: 3, I: 2 });
      const walk = bpttWalk(config, params, batch);
      const w = walk.dirs[0];
      const fwd = await render(<BpttStepper walk={walk} cursor={2} />);
      expect(shown(fwd, 'h-norm')).toBeCloseTo(vectorNorm(w.h, 2 * 3, 3), 12);
      expect(fwd.querySelector('[data-testid="c-norm"]')).toBeNull();
      expect(fwd.querySelectorAll('[data-testid^="gate-norm-"]')).toHaveLength(cell === 'gru' ? 3 : 0);
      const back = await render(<BpttStepper walk={walk} cursor={5 + 1} />);
      expect(byId(back, 'bptt-stepper').dataset.t).toBe('3');
      expect(shown(back, 'dh-norm')).toBeCloseTo(vectorNorm(w.dh, 3 * 3, 3), 12);
      expect(shown(back, 'contrib-bhh')).toBe(w.contribution.bhh[3]);
    });

  test('keys: →, ← , End and Home move the cursor; the strip highlights the current step', async () => {
    const walk = lstmWalk();
    const c = await render(<BpttStepper walk={walk} />);
    const stepper = byId(c, 'bptt-stepper');
    stepper.focus();
    expect(stepper.dataset.cursor).toBe('0');
    await press(stepper, 'ArrowRight');
    await press(stepper, 'ArrowRight');
    expect(stepper.dataset.cursor).toBe('2');
    expect(byId(c, 'strip-current').dataset.t).toBe('2');
    await press(stepper, 'ArrowLeft');
    expect(stepper.dataset.cursor).toBe('1');
    await press(stepper, 'End');
    expect(stepper.dataset.cursor).toBe('11');
    expect(stepper.dataset.phase).toBe('backward');
    expect(stepper.dataset.t).toBe('0'); // layer 1 forward: the backward pass ends at t = 0
    await press(stepper, 'ArrowRight');
    expect(stepper.dataset.cursor).toBe('11');
    await press(stepper, 'Home');
    expect(stepper.dataset.cursor).toBe('0');
  });

  test('the step of a kept matrix shows its heatmaps; the loss shown is the walk\'s', async () => {
    const walk = lstmWalk();
    const T = walk.T;
    const w = walk.dirs[0];
    const c = await render(<BpttStepper walk={walk} cursor={T + w.backwardOrder.indexOf(2)} />);
    expect(c.querySelectorAll('.nv-matrix canvas')).toHaveLength(3);
    expect(shown(c, 'walk-loss')).toBe(walk.loss);
  });
});

describe('UnrolledGraph', () => {
  test('the cut marks fall where the engine cuts: cutBoundaries agrees with the walk\'s cut flags (T=11, k=3, bi)', () => {
    const { config, params, batch } = makeCase({ cell: 'gru', numLayers: 1, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 11, H: 2, I: 2 });
    const walk = bpttWalk(config, params, batch, { bpttWindow: 3 });
    for (const w of walk.dirs) {
      // A step whose gradient from the next processed step was cut sits beside a boundary: t|t+1 forward, t-1|t reverse.
      const fromFlags = [...w.cut].flatMap((c, t) => (c ? [w.dir === 0 ? t + 1 : t] : [])).sort((a, b) => a - b);
      expect(cutBoundaries(11, 3, w.dir)).toEqual(fromFlags);
      expect(fromFlags.length).toBe(3);
    }
  });


  const norms = (T: number, rows: number) => ({ nodes: Array.from({ length: rows }, (_, r) => Float64Array.from({ length: T }, (_, t) => 10 ** (-(T - t) / 40) * (r + 1))) });

  test('T=200, 2 layers bi, window 20: the brush limits the visible columns; cuts are marked', async () => {
    const shape = { layers: 2, bidirectional: true, T: 200, outputMode: 'sequence', window: 20 } as const;
    const c = await render(<UnrolledGraph shape={shape} view="backward" norms={norms(200, 4)} />);
    const graph = byId(c, 'unrolled-graph');
    expect(graph.dataset.visibleStart).toBe('0');
    expect(graph.dataset.visibleEnd).toBe('40');
    expect(c.querySelectorAll('[data-testid="graph-node"]')).toHaveLength(40 * 4);
    // Drag the brush over steps 100..130 of the minimap.
    const overlay = c.querySelector<SVGRectElement>('[data-testid="step-brush"] .overlay')!;
    const box = overlay.getBoundingClientRect();
    const at = (t: number) => box.left + (box.width * t) / 200;
    const y = box.top + box.height / 2;
    await act(async () => {
      overlay.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, clientX: at(100), clientY: y, view: window, button: 0 }));
      window.dispatchEvent(new MouseEvent('mousemove', { bubbles: true, clientX: at(130), clientY: y, view: window }));
      window.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: at(130), clientY: y, view: window }));
    });
    expect(Number(graph.dataset.visibleStart)).toBeCloseTo(100, -0.5);
    expect(Number(graph.dataset.visibleEnd)).toBeCloseTo(130, -0.5);
    const visible = Number(graph.dataset.visibleEnd) - Number(graph.dataset.visibleStart);
    expect(c.querySelectorAll('[data-testid="graph-node"]')).toHaveLength(visible * 4);
    const ts = [...c.querySelectorAll<SVGElement>('[data-testid="graph-node"]')].map((n) => Number(n.dataset.t));
    expect(Math.min(...ts)).toBe(Number(graph.dataset.visibleStart));
    // Cuts at boundaries 120 (forward rows) and 200 - 80 = 120 (reverse rows) within 100..130: one per row.
    expect(c.querySelectorAll('[data-testid="graph-cut"]')).toHaveLength(4);
  });

  test('many-to-one draws one output; clicking a node calls onSelect with (t, layer, dir) and it is highlighted', async () => {
    const walk = lstmWalk();
    const picks: number[][] = [];
    const shape = { layers: 2, bidirectional: true, T: 6, outputMode: 'last', window: 6 } as const;
    const c = await render(<UnrolledGraph shape={shape} view="forward" norms={walkGraphNorms(walk, 'forward')} onSelect={(...a) => picks.push(a)} selected={{ t: 4, layer: 1, dir: 1 }} />);
    expect(c.querySelectorAll('.nv-out')).toHaveLength(1);
    const node = c.querySelector<SVGElement>('[data-testid="graph-node"][data-t="3"][data-layer="1"][data-dir="0"]')!;
    await act(async () => node.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(picks).toEqual([[3, 1, 0]]);
    const sel = c.querySelector<SVGElement>('.nv-selected')!;
    expect([sel.dataset.t, sel.dataset.layer, sel.dataset.dir]).toEqual(['4', '1', '1']);
    expect(Number(node.dataset.value)).toBe(vectorNorm(walk.dirs[2].h, 3 * 4, 4));
  });
});

describe('GateHeatmaps', () => {
  test('lstm H=4 T=6: hover reports the value, unit, step and input; a click pins the unit in every heatmap', async () => {
    const walk = lstmWalk();
    const w = walk.dirs[1];
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const c = await render(<GateHeatmaps gateNames={walk.gateNames} H={4} T={6} gates={w.gates} h={w.h} c={w.c} labels={labels} width={240} />);
    const maps = [...c.querySelectorAll<HTMLElement>('[data-testid="heatmap"]')];
    expect(maps.map((m) => m.dataset.gate)).toEqual(['i', 'f', 'g', 'o', 'h', 'c']);
    const f = maps[1];
    const hit = f.querySelector<SVGRectElement>('.nv-hit')!;
    const box = hit.getBoundingClientRect();
    const [t, j] = [4, 2];
    const event = { bubbles: true, clientX: box.left + (box.width * (t + 0.5)) / 6, clientY: box.top + (box.height * (j + 0.5)) / 4 };
    await act(async () => hit.dispatchEvent(new PointerEvent('pointermove', event)));
    const hover = byId(f, 'heatmap-hover');
    expect([hover.dataset.t, hover.dataset.unit]).toEqual(['4', '2']);
    expect(Number(hover.dataset.value)).toBe(w.gates[t * 16 + 4 + j]);
    expect(hover.textContent).toBe(`unit 2, t = 5 (input "e"): ${formatNumber(w.gates[t * 16 + 4 + j])}`);
    await act(async () => hit.dispatchEvent(new MouseEvent('click', event)));
    expect(c.querySelectorAll('[data-testid="heatmap-pin"]')).toHaveLength(6);
  });
});

describe('GradientOverTime', () => {
  test('zeros, NaN and Infinity leave gaps without throwing; fading steps and labelled overlays are drawn', async () => {
    const a = Float64Array.from([1e-8, 0, 1e-4, Number.NaN, 0.1, Infinity, 1]);
    const b = Float64Array.from([0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    const c = await render(
      <GradientOverTime history={[1, 2, 3].map((step) => ({ step, dhNorm: [a, b] }))} overlays={[{ label: 'lstm, adding', values: b }]} />,
    );
    const curves = c.querySelectorAll<SVGPathElement>('[data-testid="gradient-curve"]');
    expect(curves).toHaveLength(3);
    const d = curves[2].getAttribute('d')!;
    expect(d).not.toMatch(/NaN|Infinity/);
    expect(d.match(/M/g)).toHaveLength(4); // the plottable points 0, 2, 4, 6 stand alone: four runs
    expect(c.textContent).toContain('this run, step 3');
    expect(c.textContent).toContain('earlier: lstm, adding');
    // The legend (this run, then one row per earlier run) sits above the plot: no point of a curve rises into it.
    const labels = [...c.querySelectorAll<SVGTextElement>('.nv-curve-label')].map((t) => Number(t.getAttribute('y')));
    const tops = [...c.querySelectorAll<SVGPathElement>('.nv-curve')].flatMap((p) => (p.getAttribute('d') ?? '').match(/-?[\d.]+,-?[\d.]+/g) ?? []).map((xy) => Number(xy.split(',')[1]));
    expect(Math.min(...tops)).toBeGreaterThan(Math.max(...labels));
    const empty = await render(<GradientOverTime history={[{ step: 1, dhNorm: [new Float64Array(5)] }]} />);
    expect(byId(empty, 'gradient-empty').textContent).toBe('no non-zero, finite gradient to plot');
  });
});
