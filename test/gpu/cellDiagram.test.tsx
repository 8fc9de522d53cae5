/**
 * The cell inspector's diagram and substituted equations, and keyboard access to the graph, in
 * a real browser (headless Chromium): rendered from BPTT walks the test computes with the
 * engine, every number read back through its data-value and compared with the walk record
 * (the expected values below are indexed out of the record here, not by the code under test).
 */
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import { bpttWalk, type BpttWalk } from '../../src/engine/index.ts';
import type { CaseSpec } from '../engine/helpers.ts';
import { makeCase } from '../engine/helpers.ts';
import { useNetworkStore } from '../../src/store/networkStore.ts';
import { WalkFeed } from '../../src/store/networkWalk.ts';
import { createStore } from '../../src/store/store.ts';
import type { WalkView } from '../../src/train/walk.ts';
import { CellInspector } from '../../src/ui/network/CellInspector.tsx';
import { formatNumber } from '../../src/ui/network/format.ts';
import { NetworkTabView } from '../../src/ui/network/NetworkTabView.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: Root | null = null;
let host: HTMLElement | null = null;

/** Renders a React element into a fresh container on the page. */
async function render(el: React.ReactElement): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  await act(async () => root!.render(el));
  return host;
}

afterEach(async () => {
  await act(async () => root?.unmount());
  host?.remove();
  root = null;
  host = null;
  useNetworkStore.getState().setSelected(null);
});

/** A walk as the page's panel receives it, each step labelled s1, s2, … */
function view(walk: BpttWalk): WalkView {
  return { request: { kind: 'example', index: 0 }, step: 0, walk, labels: Array.from({ length: walk.T }, (_, t) => `s${t + 1}`), sigmaMax: [], reach: null };
}

/** A seeded walk of one example. */
function walkOf(spec: Partial<CaseSpec> & Pick<CaseSpec, 'cell'>, window?: number): BpttWalk {
  const { config, params, batch } = makeCase({ numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 6, H: 4, I: 3, O: 2, ...spec });
  return bpttWalk(config, params, batch, { bpttWindow: window });
}

/** Every number the diagram shows, by data-testid (cd-value-<part>, cd-grad-<part>), after checking its text is its value formatted. */
function diagramNumbers(c: HTMLElement): Map<string, number> {
  const out = new Map<string, number>();
  for (const el of c.querySelectorAll<SVGElement>('[data-testid="cell-diagram"] [data-testid^="cd-value-"], [data-testid="cell-diagram"] [data-testid^="cd-grad-"]')) {
    const v = Number(el.dataset.value);
    if (!el.closest('[data-removed]')) expect(el.textContent, el.dataset.testid).toBe(formatNumber(v));
    expect(out.has(el.dataset.testid!), `${el.dataset.testid} shown twice`).toBe(false);
    out.set(el.dataset.testid!, v);
  }
  return out;
}

/** Σ v² over a vector, square-rooted. */
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/** What the diagram must show at (t, layer, dir): each part's vector from the record (the reduction to a unit or a norm is applied by `pick`). */
function expectedVectors(walk: BpttWalk, t: number, layer: number, dir: number): Map<string, Float64Array> {
  const H = walk.hiddenSize;
  const G = walk.gateNames.length;
  const d = walk.dirs[layer * walk.D + dir];
  const row = (buf: Float64Array, s: number) => buf.slice(s * H, (s + 1) * H);
  const prevT = dir === 0 ? t - 1 : t + 1;
  const gate = (name: string, buf = d.gates) => {
    const k = walk.gateNames.indexOf(name);
    return buf.slice(t * G * H + k * H, t * G * H + (k + 1) * H);
  };
  const hPrev = row(d.h, prevT);
  const m = new Map<string, Float64Array>([
    ['cd-value-hPrev', hPrev],
    ['cd-grad-hPrev', row(d.fromNext, prevT)],
    ['cd-grad-hNext', row(d.fromNext, t)],
    ['cd-grad-hUp', row(d.fromOutput, t)],
  ]);
  const names = walk.cell === 'lstm' ? ['i', 'f', 'g', 'o'] : walk.cell === 'gru' ? ['r', 'z', 'n'] : [];
  for (const g of names) {
    m.set(`cd-value-${g}`, gate(g));
    m.set(`cd-grad-${g}`, gate(g, d.gateGrads));
  }
  if (walk.cell === 'lstm') {
    const cPrev = row(d.c!, prevT);
    m.set('cd-value-cPrev', cPrev);
    m.set('cd-grad-cPrev', row(d.dcFromNext!, prevT));
    m.set('cd-value-fc', gate('f').map((f, j) => f * cPrev[j]));
    m.set('cd-value-ig', gate('i').map((i, j) => i * gate('g')[j]));
    m.set('cd-value-tanhc', row(d.c!, t).map(Math.tanh));
    m.set('cd-value-c', row(d.c!, t));
    m.set('cd-grad-c', row(d.dc!, t));
    m.set('cd-value-h', row(d.h, t));
    m.set('cd-grad-h', row(d.dh, t));
  } else if (walk.cell === 'gru') {
    const [z, n] = [gate('z'), gate('n')];
    m.set('cd-value-zh', z.map((v, j) => v * hPrev[j]));
    m.set('cd-value-oneMinusZ', z.map((v) => 1 - v));
    m.set('cd-value-zn', z.map((v, j) => (1 - v) * n[j]));
    m.set('cd-value-h', row(d.h, t));
    m.set('cd-grad-h', row(d.dh, t));
  } else {
    m.set('cd-value-act', gate('h'));
    m.set('cd-grad-act', gate('h', d.gateGrads));
    m.set('cd-grad-h', row(d.dh, t));
  }
  return m;
}

/** Checks every number the diagram shows against the record, for unit j (exactly) or as norms (to 1e-12). */
function expectDiagram(c: HTMLElement, walk: BpttWalk, t: number, layer: number, dir: number, pick: number | 'norm'): void {
  const shown = diagramNumbers(c);
  const want = expectedVectors(walk, t, layer, dir);
  const x = shown.get('cd-value-x');
  shown.delete('cd-value-x');
  expect([...shown.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [id, v] of want) {
    if (pick === 'norm') expect(shown.get(id), id).toBeCloseTo(norm(v), 12);
    else expect(shown.get(id), id).toBe(v[pick]);
  }
  // Layer 1 shows its input's label; above it, ‖x_t‖ is the layer below's h_t in both directions.
  if (layer === 0) expect(x).toBeUndefined();
  else {
    const H = walk.hiddenSize;
    const below = Array.from({ length: walk.D }, (_, e) => Array.from(walk.dirs[(layer - 1) * walk.D + e].h.slice(t * H, (t + 1) * H))).flat();
    expect(x).toBeCloseTo(norm(below), 12);
  }
}

/** Sets the inspector's unit. */
async function chooseUnit(c: HTMLElement, unit: number): Promise<void> {
  await userEvent.fill(c.querySelector<HTMLInputElement>('[data-testid="insp-unit"]')!, String(unit));
}

/** Clicks an element by data-testid. */
async function click(c: HTMLElement, id: string): Promise<void> {
  await act(async () => c.querySelector<HTMLElement>(`[data-testid="${id}"]`)!.click());
}

describe('CellDiagram in the inspector', () => {
  test('lstm L=2 bi T=6 H=4 k=4: gates i, f, g, o and the cell path; every number equals the record for the chosen unit and as norms', async () => {
    const walk = walkOf({ cell: 'lstm', numLayers: 2, bidirectional: true }, 4);
    for (const [t, layer, dir] of [
      [2, 1, 1],
      [3, 0, 0],
    ]) {
      const c = await render(<CellInspector walk={view(walk)} node={{ t, layer, dir }} onClose={() => {}} />);
      for (const g of ['i', 'f', 'g', 'o']) expect(c.querySelector(`[data-testid="cd-node-${g}"] rect`), g).not.toBeNull();
      for (const w of ['cIn', 'cKept', 'cOut']) expect(c.querySelector(`[data-testid="cd-wire-${w}"] polyline.nv-cd-state`), w).not.toBeNull();
      expectDiagram(c, walk, t, layer, dir, 0);
      await chooseUnit(c, 2);
      expect(c.querySelector<HTMLElement>('[data-testid="cell-diagram"]')!.dataset.pick).toBe('2');
      expectDiagram(c, walk, t, layer, dir, 2);
      await click(c, 'insp-pick-norm');
      expect(c.querySelector<HTMLElement>('[data-testid="cell-diagram"]')!.dataset.pick).toBe('norm');
      expectDiagram(c, walk, t, layer, dir, 'norm');
      if (layer === 0) expect(c.querySelector('[data-testid="cd-node-x"]')!.textContent).toContain(`= s${t + 1}`);
      await act(async () => root!.unmount());
      root = null;
    }
  });

  test('gru T=6 H=4: gates r, z, n, the 1 − z circle and the products; every number equals the record', async () => {
    const walk = walkOf({ cell: 'gru' });
    const c = await render(<CellInspector walk={view(walk)} node={{ t: 4, layer: 0, dir: 0 }} onClose={() => {}} />);
    for (const g of ['r', 'z', 'n']) expect(c.querySelector(`[data-testid="cd-node-${g}"] rect`), g).not.toBeNull();
    expect(c.querySelector('[data-testid="cd-node-oneMinusZ"]')!.textContent).toContain('1−');
    expect(c.querySelectorAll('.nv-cd-gate')).toHaveLength(3);
    expectDiagram(c, walk, 4, 0, 0, 0);
    await chooseUnit(c, 3);
    expectDiagram(c, walk, 4, 0, 0, 3);
    await click(c, 'insp-pick-norm');
    expectDiagram(c, walk, 4, 0, 0, 'norm');
  });

  test.each(['rnn_tanh', 'rnn_relu'] as const)('%s T=6 H=4: one block with its activation; every number equals the record', async (cell) => {
    const walk = walkOf({ cell });
    const c = await render(<CellInspector walk={view(walk)} node={{ t: 5, layer: 0, dir: 0 }} onClose={() => {}} />);
    const gates = c.querySelectorAll('.nv-cd-gate');
    expect(gates).toHaveLength(1);
    expect(gates[0].textContent).toContain(cell === 'rnn_relu' ? 'ReLU' : 'tanh');
    expectDiagram(c, walk, 5, 0, 0, 0);
    await chooseUnit(c, 1);
    expectDiagram(c, walk, 5, 0, 0, 1);
    await click(c, 'insp-pick-norm');
    expectDiagram(c, walk, 5, 0, 0, 'norm');
  });

  test('lstm ladder without i and o, with peepholes: those gates are greyed and read "= 1", f keeps its value, the equations substitute 1', async () => {
    const walk = walkOf({ cell: 'lstm', lstm: { gates: { input: false, forget: true, output: false }, peepholes: true } });
    const c = await render(<CellInspector walk={view(walk)} node={{ t: 3, layer: 0, dir: 0 }} onClose={() => {}} />);
    const H = 4;
    const d = walk.dirs[0];
    for (const g of ['i', 'o']) {
      const node = c.querySelector<SVGElement>(`[data-testid="cd-node-${g}"]`)!;
      expect(node.dataset.removed, g).toBe('true');
      expect(node.querySelector('text')!.textContent, g).toBe(`${g} = 1`);
      expect(node.querySelector<SVGElement>(`[data-testid="cd-value-${g}"]`)!.dataset.value).toBe('1');
      expect(node.querySelector(`[data-testid="cd-grad-${g}"]`)).toBeNull();
    }
    expect(c.querySelector<SVGElement>('[data-testid="cd-node-f"]')!.dataset.removed).toBeUndefined();
    expect(Number(c.querySelector<SVGElement>('[data-testid="cd-value-f"]')!.dataset.value)).toBe(d.gates[3 * 2 * H + 0]);
    expect(c.querySelectorAll('[data-testid^="cd-wire-peep"]')).toHaveLength(1);
    const sub = c.querySelector('[data-testid="insp-substituted"]')!.textContent!;
    expect(sub).toContain('it = 1 (switched off by the ladder)');
    expect(Number(c.querySelector<HTMLElement>('[data-testid="insp-sub-c"]')!.dataset.value)).toBe(d.c![3 * H]);
    expect(Number(c.querySelector<HTMLElement>('[data-testid="insp-sub-h"]')!.dataset.value)).toBe(d.h[3 * H]);
  });
});

describe('SubstitutedEquations', () => {
  test.each([
    ['lstm with peepholes', { cell: 'lstm' as const, lstm: { gates: { input: true, forget: true, output: true }, peepholes: true } }, ['i', 'f', 'g', 'o']],
    ['gru', { cell: 'gru' as const }, ['r', 'z', 'n']],
  ])('%s: each gate\'s line shows the record\'s value for the unit; the state updates evaluate to the record\'s c_t and h_t exactly', async (_, spec, gates) => {
    const walk = walkOf(spec);
    const H = 4;
    const G = gates.length;
    const d = walk.dirs[0];
    const c = await render(<CellInspector walk={view(walk)} node={{ t: 2, layer: 0, dir: 0 }} onClose={() => {}} />);
    for (const j of [0, 3]) {
      await chooseUnit(c, j);
      const sub = (id: string) => {
        const el = c.querySelector<HTMLElement>(`[data-testid="insp-sub-${id}"]`)!;
        expect(el.textContent).toBe(formatNumber(Number(el.dataset.value)));
        return Number(el.dataset.value);
      };
      gates.forEach((g, k) => expect(sub(g), g).toBe(d.gates[2 * G * H + k * H + j]));
      expect(sub('h')).toBe(d.h[2 * H + j]);
      if (d.c) expect(sub('c')).toBe(d.c[2 * H + j]);
    }
    const text = c.querySelector('[data-testid="insp-substituted"]')!.textContent!;
    if (spec.cell === 'lstm') expect(text).toContain('+ pi⊙ct−1');
    expect(text).toContain('keeps each gate after its activation');
  });
});

describe('keyboard access to the graph', () => {
  test('Tab reaches the graph (one tab stop), arrows move, Enter opens the inspector for that (t, layer, dir), Escape closes it and the focus stays', async () => {
    const walk = walkOf({ cell: 'lstm', numLayers: 2, bidirectional: true, T: 50 });
    const feed = new WalkFeed(createStore(), useNetworkStore, () => Promise.reject(new Error('the graph tab asks for no walk')));
    useNetworkStore.getState().setSelected(null);
    const c = await render(
      <>
        <button type="button" data-testid="before">
          before
        </button>
        <NetworkTabView tab="graph" feed={feed} walk={view(walk)} walkError={null} row={0} rowNames={['1 →', '1 ←', '2 →', '2 ←']} width={760} />
      </>,
    );
    const nodes = [...c.querySelectorAll<SVGElement>('[data-testid="graph-node"]')];
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '0')).toHaveLength(1);
    expect(nodes.filter((n) => n.getAttribute('tabindex') === '-1')).toHaveLength(nodes.length - 1);
    const focused = () => {
      const el = document.activeElement as SVGElement;
      expect(el.dataset.testid).toBe('graph-node');
      return [Number(el.dataset.t), Number(el.dataset.layer), Number(el.dataset.dir)];
    };
    // From the button before the panel, Tab passes the view switch's buttons and lands on the graph's one stop.
    c.querySelector<HTMLElement>('[data-testid="before"]')!.focus();
    const stops: string[] = [];
    while (stops.length < 8 && (document.activeElement as HTMLElement).dataset.testid !== 'graph-node') {
      await userEvent.tab();
      stops.push((document.activeElement as HTMLElement).dataset.testid ?? document.activeElement!.tagName);
    }
    expect(stops.at(-1)).toBe('graph-node');
    expect(focused()).toEqual([0, 0, 0]);
    expect(document.activeElement!.getAttribute('aria-label')).toMatch(/^step 1, layer 1, forward: ‖dL\/dh‖ = /);
    await userEvent.keyboard('{ArrowRight}{ArrowRight}{ArrowUp}');
    expect(focused()).toEqual([2, 0, 1]);
    await userEvent.keyboard('{ArrowUp}{ArrowUp}{ArrowDown}{ArrowLeft}');
    expect(focused()).toEqual([1, 1, 0]);
    await userEvent.keyboard('{Enter}');
    expect(useNetworkStore.getState().selected).toEqual({ t: 1, layer: 1, dir: 0 });
    expect(c.querySelector('[data-testid="cell-inspector"] strong')!.textContent).toBe('Cell t = 2, layer 2, forward');
    expect(focused()).toEqual([1, 1, 0]);
    await userEvent.keyboard('{Escape}');
    expect(c.querySelector('[data-testid="cell-inspector"]')).toBeNull();
    expect(useNetworkStore.getState().selected).toBeNull();
    // Space opens it too; Escape from inside the inspector closes it and gives the focus back to the node.
    await userEvent.keyboard('{ArrowDown}{ }');
    expect(useNetworkStore.getState().selected).toEqual({ t: 1, layer: 0, dir: 1 });
    await userEvent.tab();
    expect(document.activeElement!.closest('[data-testid="cell-inspector"]')).not.toBeNull();
    await userEvent.keyboard('{Escape}');
    expect(c.querySelector('[data-testid="cell-inspector"]')).toBeNull();
    expect(focused()).toEqual([1, 0, 1]);
    // Leaving the visible steps (the first 40) moves them; Home and End go to the ends.
    const graph = c.querySelector<SVGElement>('[data-testid="unrolled-graph"]')!;
    await userEvent.keyboard('{End}');
    expect(focused()).toEqual([49, 0, 1]);
    expect([graph.dataset.visibleStart, graph.dataset.visibleEnd]).toEqual(['10', '50']);
    await userEvent.keyboard('{Home}{ArrowLeft}');
    expect(focused()).toEqual([0, 0, 1]);
    expect([graph.dataset.visibleStart, graph.dataset.visibleEnd]).toEqual(['0', '40']);
    // Tab leaves the graph in one press.
    await userEvent.tab();
    expect((document.activeElement as HTMLElement).dataset.testid).not.toBe('graph-node');
  });
});
