/**
 * Jordan output feedback in the network views (headless Chromium): the unrolled graph draws the
 * T-1 feedback edges y_{t-1} → h_t of a Jordan walk (none otherwise, no recurrent edges without
 * W_hh), coloured by the walk's gradient along them; the step-through and the cell inspector show
 * the walk's own feedback numbers.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { bpttWalk, type BpttWalk, type OutputFeedback } from '../../src/engine/index.ts';
import type { WalkView } from '../../src/train/walk.ts';
import { CellInspector } from '../../src/ui/network/CellInspector.tsx';
import { vectorNorm } from '../../src/ui/network/format.ts';
import { BpttStepper, UnrolledGraph, walkGraphNorms, walkGraphShape } from '../../src/ui/network/index.ts';
import { makeCase } from '../engine/helpers.ts';
import { byId, render, shown, unmount } from './render.ts';

afterEach(unmount);

const T = 8;
const H = 4;
const O = 3;

/** A seeded rnn_tanh walk with an output per step, T = 8, H = 4, window 5; with output feedback when given. */
function walkOf(outputFeedback?: OutputFeedback): BpttWalk {
  const { config, params, batch } = makeCase({ cell: 'rnn_tanh', numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', B: 1, T, H, I: 2, O, outputFeedback });
  return bpttWalk(config, params, batch, { bpttWindow: 5, fullMatricesAt: [3] });
}

/** The graph's straight horizontal lines: its recurrent edges (inputs, heads and cuts are vertical). */
function horizontalLines(c: HTMLElement): number {
  return [...byId(c, 'unrolled-graph').querySelectorAll('line')].filter((l) => l.getAttribute('y1') === l.getAttribute('y2') && l.getAttribute('x1') !== l.getAttribute('x2')).length;
}

describe('UnrolledGraph with output feedback', () => {
  test(`rnn_tanh Jordan+Elman T=${T}: ${T - 1} feedback edges y_(t−1) → h_t, each backward carrying ‖dL/dh_(t−1) through the feedback‖`, async () => {
    const walk = walkOf({ teacherForcing: false, recurrent: true });
    const fb = walk.dirs[0].feedback!;
    const c = await render(<UnrolledGraph shape={walkGraphShape(walk)} view="backward" norms={walkGraphNorms(walk, 'backward')} />);
    const edges = [...c.querySelectorAll<SVGElement>('[data-testid="graph-feedback-edge"]')];
    expect(edges.map((e) => Number(e.dataset.t))).toEqual(Array.from({ length: T - 1 }, (_, i) => i + 1));
    for (const e of edges) {
      const t = Number(e.dataset.t);
      expect(Number(e.dataset.value)).toBe(vectorNorm(fb.fromFeedback, (t - 1) * H, H));
      expect(e.dataset.forced).toBe('false');
    }
    // The edge out of y_5 is cut by the window (k = 5): nothing flows along it.
    expect(Number(edges[4].dataset.value)).toBe(0);
    expect(Number(edges[3].dataset.value)).toBeGreaterThan(0);
    expect(horizontalLines(c)).toBe(T - 1);
  });

  test('teacher forced: the edges are dashed and carry no gradient; a pure Jordan network has no recurrent edges; no feedback, no feedback edges', async () => {
    const forced = walkOf({ teacherForcing: true, recurrent: false });
    const c = await render(<UnrolledGraph shape={walkGraphShape(forced)} view="backward" norms={walkGraphNorms(forced, 'backward')} />);
    const edges = [...c.querySelectorAll<SVGElement>('[data-testid="graph-feedback-edge"]')];
    expect(edges).toHaveLength(T - 1);
    for (const e of edges) {
      expect(e.dataset.forced).toBe('true');
      expect(e.dataset.value).toBeUndefined();
      expect(getComputedStyle(e.querySelector('path')!).strokeDasharray).not.toBe('none');
    }
    expect(c.textContent).toContain('(teacher forced, no gradient)');
    expect(horizontalLines(c)).toBe(0);
    const plain = walkOf();
    const p = await render(<UnrolledGraph shape={walkGraphShape(plain)} view="backward" norms={walkGraphNorms(plain, 'backward')} />);
    expect(p.querySelectorAll('[data-testid="graph-feedback-edge"]')).toHaveLength(0);
    expect(horizontalLines(p)).toBe(T - 1);
  });
});

describe('BpttStepper with output feedback', () => {
  test('Jordan+Elman T=8 k=5: the fed value, the feedback term and ΔW_hy shown equal the record at every step', async () => {
    const walk = walkOf({ teacherForcing: false, recurrent: true });
    const w = walk.dirs[0];
    const fb = w.feedback!;
    for (let cursor = 0; cursor < 2 * T; cursor++) {
      const c = await render(<BpttStepper walk={walk} cursor={cursor} />);
      const t = Number(byId(c, 'bptt-stepper').dataset.t);
      if (cursor < T) {
        expect(shown(c, 'fed-norm')).toBe(vectorNorm(fb.fed, t * O, O));
        continue;
      }
      expect(shown(c, 'from-feedback-norm')).toBe(vectorNorm(fb.fromFeedback, t * H, H));
      expect(shown(c, 'from-next-norm')).toBe(vectorNorm(w.fromNext, t * H, H));
      expect(shown(c, 'from-output-norm')).toBe(vectorNorm(w.fromOutput, t * H, H));
      expect(shown(c, 'contrib-Why')).toBe(fb.contribution[t]);
      expect(shown(c, 'total-Why')).toBe(fb.total[t]);
      expect(shown(c, 'contrib-Whh')).toBe(w.contribution.Whh[t]);
      const note = byId(c, 'from-feedback-norm').parentElement!.textContent!;
      if (t === T - 1) expect(note).toContain('y_T is fed nowhere');
      else if (w.cut[t]) expect(note).toContain('cut by the window');
      if (t === 3) expect(c.querySelectorAll('.nv-matrix figcaption')[3]?.textContent).toBe('ΔW_hy this step');
    }
  });

  test('teacher forced, pure Jordan: "no gradient through the feedback", no W_hh rows, W_hy still summed', async () => {
    const walk = walkOf({ teacherForcing: true, recurrent: false });
    const fb = walk.dirs[0].feedback!;
    const c = await render(<BpttStepper walk={walk} cursor={T + 2} />);
    const t = Number(byId(c, 'bptt-stepper').dataset.t);
    expect(shown(c, 'from-feedback-norm')).toBe(0);
    expect(byId(c, 'from-feedback-norm').parentElement!.textContent).toContain('teacher forced: no gradient through the feedback');
    expect(byId(c, 'from-next-norm').parentElement!.textContent).toContain('no W_hh');
    expect(c.querySelector('[data-testid="contrib-Whh"]')).toBeNull();
    expect(shown(c, 'total-Why')).toBe(fb.total[t]);
    const f = await render(<BpttStepper walk={walk} cursor={3} />);
    expect(f.textContent).toContain('fed back: target y*_3 (teacher forced)');
  });
});

describe('CellInspector with output feedback', () => {
  test('the fed value and the equation with W_hy y_(t−1)', async () => {
    const walk = walkOf({ teacherForcing: false, recurrent: true });
    const view: WalkView = { request: { kind: 'example', index: 0 }, step: 0, walk, labels: Array.from({ length: T }, (_, t) => `x${t}`), sigmaMax: [1], reach: null };
    const c = await render(<CellInspector walk={view} node={{ t: 4, layer: 0, dir: 0 }} onClose={() => {}} />);
    expect(shown(c, 'fed-norm')).toBe(vectorNorm(walk.dirs[0].feedback!.fed, 4 * O, O));
    expect(byId(c, 'insp-substituted').textContent).toContain('+ W_hy y_(t−1)');
    expect(c.textContent).toContain('fed back: softmax(y_4)');
  });
});
