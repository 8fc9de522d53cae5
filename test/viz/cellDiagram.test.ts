/**
 * The cell diagram's layout (src/viz/cellDiagram.ts) and the numbers it shows
 * (src/viz/cellDiagramValues.ts): every part of each cell the engine has is there, nothing
 * overlaps (labels measured at the widest number the views print), and each reading is the
 * walk record's own value at the right step, unit and direction.
 */
import { describe, expect, test } from 'vitest';
import { bpttWalk } from '../../src/engine/bpttWalk.ts';
import { gateNames, type LstmGates, type ModelConfig } from '../../src/engine/model.ts';
import { cellDiagramLayout, LINE_H, VIEW_H, VIEW_W, type DiagramLayout, type DiagramVariant } from '../../src/viz/cellDiagram.ts';
import { cellDiagramValues } from '../../src/viz/cellDiagramValues.ts';
import { makeCase } from '../engine/helpers.ts';

/** An axis-aligned box. */
interface Box {
  what: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Width of a line of text in DejaVu Sans, counting each character as a digit (0.64 em; '-', '.' and most letters are narrower). */
const textWidth = ([chars, px]: Line) => chars * 0.64 * px;
/** A line: characters and font size (cellDiagram.css: labels 12 px, gradients 10.5 px). */
type Line = [number, number];
/** The widest number formatNumber prints ("-1.234e-5") and a gradient line ("∇ -1.234e-5"). */
const NUMBER: Line = [9, 12];
const GRAD: Line = [11, 10.5];

/** Boxes of every gate, circle and label of a layout, labels sized for their widest content. */
function boxes(layout: DiagramLayout): Box[] {
  const out: Box[] = [];
  const label = (what: string, spot: { x: number; y: number; anchor: string }, widths: Line[]) => {
    const w = Math.max(...widths.map(textWidth));
    const x0 = spot.anchor === 'start' ? spot.x : spot.anchor === 'end' ? spot.x - w : spot.x - w / 2;
    out.push({ what: `label ${what}`, x0, y0: spot.y - 10, x1: x0 + w, y1: spot.y + (widths.length - 1) * LINE_H + 3 });
  };
  for (const n of layout.nodes) {
    if (n.kind === 'gate' || n.kind === 'op') out.push({ what: `${n.kind} ${n.id}`, x0: n.x - n.w / 2, y0: n.y - n.h / 2, x1: n.x + n.w / 2, y1: n.y + n.h / 2 });
    if (n.label) {
      const sym = n.symbol.base.length + 0.75 * (n.symbol.sub?.length ?? 0);
      const lines: Line[] = [[sym, 12], ...(n.shows.value ? [NUMBER] : []), ...(n.shows.grad ? [GRAD] : [])];
      label(n.id, n.label, n.id === 'x' ? [[sym + 5 + NUMBER[0], 12]] : n.id === 'yPrev' ? [[sym + 2, 12], ...lines.slice(1)] : lines);
    }
  }
  for (const w of layout.wires) if (w.label) label(`wire ${w.id}`, w.label, [[w.label.base.length + 0.75 * (w.label.sub?.length ?? 0), 12]]);
  return out;
}

const FULL: LstmGates = { input: true, forget: true, output: true };
/** Every rung of the lectures' ladder (any of i, f, o off). */
const LADDER: LstmGates[] = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => ({ input: !(m & 1), forget: !(m & 2), output: !(m & 4) }));

/** The diagram variant of a model. */
function variant(config: Partial<ModelConfig> & Pick<ModelConfig, 'cell'>, dir = 0): DiagramVariant {
  const full = { inputSize: 1, hiddenSize: 1, numLayers: 1, bidirectional: false, outputSize: 1, ...config } as ModelConfig;
  return { cell: config.cell, gateNames: gateNames(full), peepholes: config.lstm?.peepholes, dir };
}

const VARIANTS: [string, DiagramVariant][] = [
  ['rnn_tanh', variant({ cell: 'rnn_tanh' })],
  ['rnn_relu', variant({ cell: 'rnn_relu' })],
  ['rnn_tanh Jordan + Elman', { ...variant({ cell: 'rnn_tanh' }), feedback: { recurrent: true, teacherForcing: false } }],
  ['rnn_relu pure Jordan, teacher forced', { ...variant({ cell: 'rnn_relu' }), feedback: { recurrent: false, teacherForcing: true } }],
  ['gru', variant({ cell: 'gru' })],
  ['gru reverse', variant({ cell: 'gru' }, 1)],
  ...LADDER.flatMap((gates) =>
    [false, true].map((peepholes): [string, DiagramVariant] => [`lstm i${+gates.input}f${+gates.forget}o${+gates.output}${peepholes ? ' peepholes' : ''}`, variant({ cell: 'lstm', lstm: { gates, peepholes } })]),
  ),
];

describe('cellDiagramLayout', () => {
  test.each(VARIANTS)('%s: every part inside the view, no two parts or labels overlapping', (_, v) => {
    const layout = cellDiagramLayout(v);
    const all = boxes(layout);
    for (const b of all) {
      expect(b.x0, b.what).toBeGreaterThanOrEqual(0);
      expect(b.x1, b.what).toBeLessThanOrEqual(VIEW_W);
      expect(b.y0, b.what).toBeGreaterThanOrEqual(0);
      expect(b.y1, b.what).toBeLessThanOrEqual(VIEW_H);
    }
    const clashes = all.flatMap((a, i) => all.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `${a.what} × ${b.what}`));
    expect(clashes).toEqual([]);
    // No label of a part lies across a wire (wire labels sit beside theirs, a few pixels off).
    const segments = layout.wires.flatMap((w) =>
      w.points.slice(1).map(([x1, y1], k): Box => {
        const [x0, y0] = w.points[k];
        return { what: `wire ${w.id}`, x0: Math.min(x0, x1) - 1, y0: Math.min(y0, y1) - 1, x1: Math.max(x0, x1) + 1, y1: Math.max(y0, y1) + 1 };
      }),
    );
    const crossed = all.filter((b) => b.what.startsWith('label ') && !b.what.startsWith('label wire')).flatMap((b) => segments.filter((w) => overlaps(b, w)).map((w) => `${b.what} × ${w.what}`));
    expect(crossed).toEqual([]);
    for (const w of layout.wires) for (const [x, y] of w.points) expect(x >= 0 && x <= VIEW_W && y >= 0 && y <= VIEW_H, w.id).toBe(true);
    expect(new Set(layout.nodes.map((n) => n.id)).size).toBe(layout.nodes.length);
  });

  test('lstm: gates f, i, g, o with their activations, the pointwise ⊙ and +, the cell path c_{t−1} → c_t along the top', () => {
    const layout = cellDiagramLayout(variant({ cell: 'lstm' }));
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(['i', 'f', 'g', 'o'].map((g) => byId.get(g)!.text)).toEqual(['σ', 'σ', 'tanh', 'σ']);
    expect(['fc', 'ig', 'cSum', 'tanhc', 'h'].map((g) => byId.get(g)!.text)).toEqual(['⊙', '⊙', '+', 'tanh', '⊙']);
    for (const id of ['cPrev', 'hPrev', 'x', 'c', 'hNext', 'hUp']) expect(byId.get(id)?.kind, id).toBe('port');
    const path = layout.wires.filter((w) => w.kind === 'state');
    expect(path.map((w) => w.id)).toEqual(['cIn', 'cKept', 'cOut']);
    // The path runs left to right at one height, above every gate, from c_{t−1}'s port to c_t's.
    const ys = new Set(path.flatMap((w) => w.points.map(([, y]) => y)));
    expect(ys.size).toBe(1);
    const [y] = ys;
    expect(y).toBeLessThan(Math.min(...['i', 'f', 'g', 'o'].map((g) => byId.get(g)!.y - byId.get(g)!.h / 2)));
    expect(path[0].points[0]).toEqual([byId.get('cPrev')!.x, y]);
    expect(path[2].points.at(-1)).toEqual([byId.get('c')!.x, y]);
    expect(byId.get('fc')!.y).toBe(y);
    expect(byId.get('cSum')!.y).toBe(y);
    expect(layout.nodes.some((n) => n.removed)).toBe(false);
    expect(layout.wires.some((w) => w.kind === 'peephole')).toBe(false);
  });

  test('lstm ladder: a gate switched off is drawn, flagged removed, showing = 1; peepholes go only to the gates that exist', () => {
    const v = variant({ cell: 'lstm', lstm: { gates: { input: false, forget: true, output: false }, peepholes: true } });
    const layout = cellDiagramLayout(v);
    const removed = layout.nodes.filter((n) => n.removed).map((n) => [n.id, n.text]);
    expect(removed).toEqual([
      ['i', '= 1'],
      ['o', '= 1'],
    ]);
    expect(layout.wires.filter((w) => w.kind === 'peephole').map((w) => w.id)).toEqual(['peepf']);
    const full = cellDiagramLayout(variant({ cell: 'lstm', lstm: { gates: FULL, peepholes: true } }));
    expect(full.wires.filter((w) => w.kind === 'peephole').map((w) => w.id)).toEqual(['peepf', 'peepi', 'peepo']);
    expect(full.title).toBe('LSTM');
    expect(layout.title).toBe('LSTM ladder');
  });

  test('gru: gates r, z, n, the coupled 1 − z, the products and the h path along the top; rnn: one block', () => {
    const gru = cellDiagramLayout(variant({ cell: 'gru' }));
    const ids = gru.nodes.filter((n) => n.kind !== 'port').map((n) => `${n.id}:${n.text}`);
    expect(ids.sort()).toEqual(['h:+', 'n:tanh', 'oneMinusZ:1−', 'r:σ', 'rh:⊙', 'z:σ', 'zh:⊙', 'zn:⊙'].sort());
    expect(gru.wires.filter((w) => w.kind === 'state').map((w) => w.id)).toEqual(['hIn', 'hKept', 'hOutPath']);
    for (const [cell, act] of [['rnn_tanh', 'tanh'], ['rnn_relu', 'ReLU']] as const) {
      const rnn = cellDiagramLayout(variant({ cell }));
      const gates = rnn.nodes.filter((n) => n.kind === 'gate');
      expect(gates.map((n) => [n.id, n.text])).toEqual([['act', act]]);
    }
  });

  test('Jordan output feedback: y_{t−1} enters the box (dashed and gradient-free when teacher forced); a pure Jordan network has no h_{t−1} and no h_t → t+1', () => {
    const elman = cellDiagramLayout({ ...variant({ cell: 'rnn_tanh' }), feedback: { recurrent: true, teacherForcing: false } });
    const jordan = cellDiagramLayout({ ...variant({ cell: 'rnn_tanh' }), feedback: { recurrent: false, teacherForcing: true } });
    const node = (l: DiagramLayout, id: string) => l.nodes.find((n) => n.id === id);
    expect(node(elman, 'yPrev')).toMatchObject({ symbol: { base: 'y', sub: 't−1' }, shows: { value: true, grad: true } });
    expect(node(elman, 'hPrev')).toBeDefined();
    expect(elman.wires.find((w) => w.id === 'yIn')!.kind).toBe('plain');
    expect(elman.title).toBe('Jordan + Elman RNN (tanh)');
    expect(node(jordan, 'yPrev')).toMatchObject({ symbol: { base: 'y*', sub: 't−1' }, shows: { value: true, grad: false } });
    expect(node(jordan, 'hPrev')).toBeUndefined();
    expect(node(jordan, 'hNext')).toBeUndefined();
    expect(jordan.wires.find((w) => w.id === 'hToNext')).toBeUndefined();
    expect(node(elman, 'hNext')).toBeDefined();
    expect(jordan.wires.find((w) => w.id === 'yIn')!.kind).toBe('peephole');
    expect(jordan.wires.find((w) => w.id === 'bus')!.points[0][0]).toBe(node(jordan, 'x')!.x);
    expect(() => cellDiagramLayout({ ...variant({ cell: 'gru' }), feedback: { recurrent: true, teacherForcing: false } })).toThrow(/output feedback is an rnn_tanh\/rnn_relu option, not gru's/);
  });

  test('reverse direction: the state read and the step the outputs go to are t+1 and t−1', () => {
    const fwd = cellDiagramLayout(variant({ cell: 'lstm' }, 0));
    const rev = cellDiagramLayout(variant({ cell: 'lstm' }, 1));
    const sym = (l: DiagramLayout, id: string) => l.nodes.find((n) => n.id === id)!.symbol;
    expect(sym(fwd, 'cPrev')).toEqual({ base: 'c', sub: 't−1' });
    expect(sym(rev, 'cPrev')).toEqual({ base: 'c', sub: 't+1' });
    expect(sym(rev, 'hPrev')).toEqual({ base: 'h', sub: 't+1' });
    expect(sym(rev, 'hNext').base).toBe('to t−1');
  });

  test('refusals name the problem', () => {
    expect(() => cellDiagramLayout({ cell: 'lstm', gateNames: ['i', 'f', 'o'] })).toThrow(/input node g/);
    expect(() => cellDiagramLayout({ cell: 'gru', gateNames: ['r', 'z', 'n'], peepholes: true })).toThrow(/peepholes are an LSTM option/);
  });
});

describe('cellDiagramValues', () => {
  test('lstm L=2 bi T=5 H=3 k=2: every reading is the record at (t, unit) or the norm of its row; the reverse direction reads t+1', () => {
    const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 2, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 5, H: 3, I: 2, O: 2 });
    const walk = bpttWalk(config, params, batch, { bpttWindow: 2 });
    const H = 3;
    const row = (buf: Float64Array, t: number, w = H) => buf.subarray(t * w, (t + 1) * w);
    const nrm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));
    for (const [t, layer, dir] of [
      [2, 0, 0],
      [2, 1, 1],
      [1, 1, 0],
    ]) {
      const d = walk.dirs[layer * 2 + dir];
      const prevT = dir === 0 ? t - 1 : t + 1;
      for (const j of [0, 2]) {
        const r = cellDiagramValues(walk, { t, layer, dir }, j, 'x');
        const gate = (k: number, buf = d.gates) => buf[t * 4 * H + k * H + j];
        expect(['i', 'f', 'g', 'o'].map((g) => r.get(g)!.value)).toEqual([0, 1, 2, 3].map((k) => gate(k)));
        expect(['i', 'f', 'g', 'o'].map((g) => r.get(g)!.grad)).toEqual([0, 1, 2, 3].map((k) => gate(k, d.gateGrads)));
        expect(r.get('c')).toMatchObject({ value: d.c![t * H + j], grad: d.dc![t * H + j] });
        expect(r.get('h')).toMatchObject({ value: d.h[t * H + j], grad: d.dh[t * H + j] });
        expect(r.get('cPrev')).toMatchObject({ value: d.c![prevT * H + j], grad: d.dcFromNext![prevT * H + j] });
        expect(r.get('hPrev')).toMatchObject({ value: d.h[prevT * H + j], grad: d.fromNext[prevT * H + j] });
        expect(r.get('hNext')!.grad).toBe(d.fromNext[t * H + j]);
        expect(r.get('hUp')!.grad).toBe(d.fromOutput[t * H + j]);
        expect(r.get('fc')!.value).toBe(gate(1) * d.c![prevT * H + j]);
        expect(r.get('ig')!.value).toBe(gate(0) * gate(2));
        expect(r.get('tanhc')!.value).toBe(Math.tanh(d.c![t * H + j]));
        // The cell's own update, from the readings, is the record's c_t and h_t.
        expect(r.get('fc')!.value! + r.get('ig')!.value!).toBe(d.c![t * H + j]);
        expect(r.get('o')!.value! * r.get('tanhc')!.value!).toBe(d.h[t * H + j]);
      }
      const n = cellDiagramValues(walk, { t, layer, dir }, 'norm', 'x');
      expect(n.get('f')!.value).toBeCloseTo(nrm(row(d.gates, t, 4 * H).subarray(H, 2 * H)), 12);
      expect(n.get('c')!.grad).toBeCloseTo(nrm(row(d.dc!, t)), 12);
      expect(n.get('hPrev')!.grad).toBeCloseTo(nrm(row(d.fromNext, prevT)), 12);
      // Above layer 1, x_t is the layer below's h_t (both directions): shown as a norm.
      const x = n.get('x')!;
      if (layer === 0) expect(x).toEqual({ text: 'x' });
      else expect(x.value).toBeCloseTo(nrm([...row(walk.dirs[0].h, t), ...row(walk.dirs[1].h, t)]), 12);
    }
    // Window 2: the forward direction's step 2 (processing index 2) cuts the gradient into step 1.
    const cutT = [...walk.dirs[0].cut].indexOf(1);
    expect(cutT).toBeGreaterThanOrEqual(0);
    expect(cellDiagramValues(walk, { t: cutT, layer: 0, dir: 0 }, 0).get('hNext')).toMatchObject({ grad: 0, note: 'cut by the window' });
  });

  test('the first processed step reads the zero start state and the walk\'s initialStateGrad', () => {
    const { config, params, batch } = makeCase({ cell: 'gru', numLayers: 1, bidirectional: true, loss: 'mse', outputMode: 'sequence', B: 1, T: 4, H: 3, I: 2, O: 2 });
    const walk = bpttWalk(config, params, batch);
    for (const [t, dir] of [
      [0, 0],
      [3, 1],
    ]) {
      const r = cellDiagramValues(walk, { t, layer: 0, dir }, 1);
      expect(r.get('hPrev')).toMatchObject({ value: 0, grad: walk.initialStateGrad!.h[dir][1], note: 'the walk starts from this state' });
      expect(r.get('zh')!.value).toBe(0);
      const z = walk.dirs[dir].gates[t * 9 + 3 + 1];
      const nGate = walk.dirs[dir].gates[t * 9 + 6 + 1];
      expect(r.get('oneMinusZ')!.value).toBe(1 - z);
      expect(r.get('zn')!.value).toBe((1 - z) * nGate);
      expect(r.get('zn')!.value! + r.get('zh')!.value!).toBe(walk.dirs[dir].h[t * 3 + 1]);
    }
  });

  test('a gate the ladder removed reads the constant 1 with no gradient; the rnn reads its one block', () => {
    const { config, params, batch } = makeCase({ cell: 'lstm', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 3, H: 2, lstm: { gates: { input: false, forget: true, output: true }, peepholes: true } });
    const walk = bpttWalk(config, params, batch);
    for (const pick of [0, 'norm'] as const) {
      const r = cellDiagramValues(walk, { t: 1, layer: 0, dir: 0 }, pick);
      expect(r.get('i')).toEqual({ value: 1, removed: true });
      expect(r.get('f')!.removed).toBeUndefined();
    }
    expect(cellDiagramValues(walk, { t: 1, layer: 0, dir: 0 }, 1).get('ig')!.value).toBe(walk.dirs[0].gates[1 * 3 * 2 + 2 + 1]);
    const rnn = makeCase({ cell: 'rnn_relu', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 3, H: 2 });
    const w = bpttWalk(rnn.config, rnn.params, rnn.batch);
    const r = cellDiagramValues(w, { t: 2, layer: 0, dir: 0 }, 1);
    expect(r.get('act')).toMatchObject({ value: w.dirs[0].h[5], grad: w.dirs[0].gateGrads[5] });
    expect(r.get('h')).toEqual({ grad: w.dirs[0].dh[5], gradName: 'dL/dh_t' });
  });

  test.each([
    ['lstm', { cell: 'lstm' as const }],
    ['lstm ladder with peepholes', { cell: 'lstm' as const, lstm: { gates: { input: true, forget: false, output: false }, peepholes: true } }],
    ['gru', { cell: 'gru' as const }],
    ['rnn_tanh', { cell: 'rnn_tanh' as const }],
  ])('%s: each part reads exactly the numbers its layout says it shows', (_, spec) => {
    const { config, params, batch } = makeCase({ ...spec, numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 3, H: 2 });
    const walk = bpttWalk(config, params, batch);
    const layout = cellDiagramLayout({ cell: walk.cell, gateNames: walk.gateNames, peepholes: walk.dirs[0].grads.peepholes !== null });
    for (const t of [0, 2]) {
      const readings = cellDiagramValues(walk, { t, layer: 0, dir: 0 }, 'norm', 'x');
      for (const n of layout.nodes) {
        const r = readings.get(n.id) ?? {};
        expect([n.id, r.value !== undefined || r.text !== undefined, r.grad !== undefined]).toEqual([n.id, n.shows.value, n.shows.grad]);
      }
      expect([...readings.keys()].filter((id) => !layout.nodes.some((n) => n.id === id))).toEqual([]);
    }
  });

  test('Jordan feedback: y_{t−1} reads the norm of the fed value and of the gradient this step hands back to it; no h_{t−1} without W_hh', () => {
    for (const outputFeedback of [
      { recurrent: true, teacherForcing: false },
      { recurrent: false, teacherForcing: true },
    ]) {
      const { config, params, batch } = makeCase({ cell: 'rnn_tanh', numLayers: 1, bidirectional: false, loss: 'cross_entropy', outputMode: 'sequence', B: 1, T: 4, H: 3, O: 3, outputFeedback });
      const walk = bpttWalk(config, params, batch);
      const fb = walk.dirs[0].feedback!;
      const nrm = (buf: Float64Array, t: number) => Math.hypot(...buf.subarray(t * 3, (t + 1) * 3));
      const layout = cellDiagramLayout({ cell: 'rnn_tanh', gateNames: walk.gateNames, feedback: outputFeedback });
      for (const t of [0, 2]) {
        const r = cellDiagramValues(walk, { t, layer: 0, dir: 0 }, 1);
        const y = r.get('yPrev')!;
        expect(y.alwaysNorm).toBe(true);
        expect(y.value).toBeCloseTo(nrm(fb.fed, t), 14);
        if (t > 0 && !outputFeedback.teacherForcing) expect(y.grad).toBeCloseTo(nrm(fb.dFed, t - 1), 14);
        else expect(y.grad).toBeUndefined();
        expect(r.has('hPrev')).toBe(outputFeedback.recurrent);
        expect(r.has('hNext')).toBe(outputFeedback.recurrent);
        expect([...r.keys()].filter((id) => !layout.nodes.some((n) => n.id === id))).toEqual([]);
      }
    }
  });

  test('refusals name the problem', () => {
    const { config, params, batch } = makeCase({ cell: 'gru', numLayers: 1, bidirectional: false, loss: 'mse', outputMode: 'sequence', B: 1, T: 3, H: 2 });
    const walk = bpttWalk(config, params, batch);
    expect(() => cellDiagramValues(walk, { t: 3, layer: 0, dir: 0 }, 0)).toThrow(/step 3 is not in 0..2/);
    expect(() => cellDiagramValues(walk, { t: 0, layer: 0, dir: 1 }, 0)).toThrow(/no layer 0, direction 1/);
    expect(() => cellDiagramValues(walk, { t: 0, layer: 0, dir: 0 }, 2)).toThrow(/unit 2 is not in 0..1/);
  });
});
