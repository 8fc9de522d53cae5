/**
 * Where the cell inspector draws each part of a recurrent cell: the lectures' pictures
 * (lecture 001's memory cell and colah's LSTM diagram; 002's GRU as coupled input and forget
 * gates, and peepholes; 004's vanilla RNN), as boxes, circles and wires in one coordinate
 * system of VIEW_W × VIEW_H. Framework-free: a component renders it and puts values on it.
 *
 * Conventions (colah's legend, which lecture 001 reproduces): a box is a neural network layer
 * with its activation (σ, tanh, ReLU); a circle a pointwise operation (⊙, +, 1−); a wire a
 * vector transfer. The inputs enter on the left (c_{t−1} along the top, h_{t−1} along the
 * bottom) and from below (x_t); the outputs leave on the right (to the next step) and upwards
 * (to the output or the layer above). The LSTM's cell path c_{t−1} → c_t runs along the top,
 * the GRU's h_{t−1} → h_t likewise. The reverse direction of a bidirectional layer reads its
 * "previous" state from t+1, and its subscripts say so.
 *
 * Node ids name the quantity a node shows (cellDiagramValues.ts fills them from the walk):
 *   ports  cPrev, hPrev, x (inputs); c, hNext, hUp (outputs)
 *   gates  lstm i, f, g, o; gru r, z, n; rnn act
 *   ops    lstm fc (f ⊙ c_{t−1}), ig (i ⊙ g), cSum (+), tanhc (tanh c_t), h (o ⊙ tanh c_t = h_t);
 *          gru zh (z ⊙ h_{t−1}), oneMinusZ (1 − z), zn ((1 − z) ⊙ n), rh (r ⊙ (W_hn h_{t−1} + b_hn)), h (+ = h_t);
 *          rnn h (a junction: the dot h_t leaves by, labelled with dL/dh_t); with output feedback the port yPrev
 */
import type { CellType } from '../engine/model.ts';

/** The diagram's coordinate system (the SVG's viewBox). */
export const VIEW_W = 566;
/** Height of the viewBox. */
export const VIEW_H = 336;
/** Size of a gate box. */
export const BOX_W = 70;
/** Height of a gate box: three lines (activation, value, gradient). */
export const BOX_H = 50;
/** Radius of a pointwise operation's circle. */
export const OP_R = 11;
/** Spacing of a label's lines. */
export const LINE_H = 14;

const PATH_Y = 64;
const BUS_Y = 268;
const GATE_Y = 206;
const IN_X = 78;
const OUT_X = 484;
const TOP_Y = 8;
const BOTTOM_Y = VIEW_H - 6;

/** A symbol with an optional subscript, e.g. c_{t−1} = { base: 'c', sub: 't−1' }. */
export interface Sym {
  base: string;
  sub?: string;
}

/** Where a label's lines go: the first line's baseline at y, anchored at x. */
export interface LabelSpot {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

/** A part of the cell. */
export interface DiagramNode {
  /** The quantity it shows (see the file header). */
  id: string;
  /** `gate`: a box with its activation; `op`: a pointwise circle (or the tanh ellipse); `junction`: a labelled dot; `port`: where a wire enters or leaves. */
  kind: 'gate' | 'op' | 'junction' | 'port';
  /** Centre (a port: the wire's end). */
  x: number;
  y: number;
  /** Box or circle size (zero for ports). */
  w: number;
  h: number;
  /** What is drawn inside: σ, tanh, ReLU, ⊙, +, 1−. */
  text: string;
  /** The quantity's symbol, first line of its label (gates: written on their output wire instead). */
  symbol: Sym;
  /** What it is, in the lectures' words (a tooltip). */
  title: string;
  /** How a gate's fill reads its value: σ in [0, 1], tanh in [−1, 1], ReLU in [0, ∞). */
  range?: 'unit' | 'signed' | 'positive';
  /** An LSTM gate the lectures' ladder switched off: drawn greyed, the constant 1. */
  removed?: boolean;
  /** Where its label (symbol, value, gradient) goes; gates carry theirs inside the box. */
  label?: LabelSpot;
  /** Which numbers it shows: a value (one unit's or a norm) and a gradient; cellDiagramValues reads exactly these. */
  shows: Shows;
}

/** The numbers a part shows. */
export interface Shows {
  value: boolean;
  grad: boolean;
}

const VALUE: Shows = { value: true, grad: false };
const GRAD: Shows = { value: false, grad: true };
const BOTH: Shows = { value: true, grad: true };

/** A wire: a vector transfer along a polyline. */
export interface DiagramWire {
  id: string;
  points: [number, number][];
  /** `state`: the carried state (LSTM cell path, GRU h path), drawn heavy; `peephole`: dashed. */
  kind: 'state' | 'plain' | 'peephole';
  /** An arrowhead at the end. */
  arrow?: boolean;
  /** Drawn with a gap where heavier wires cross it. */
  halo?: boolean;
  /** The symbol written beside it. */
  label?: Sym & LabelSpot;
}

/** A whole cell. */
export interface DiagramLayout {
  title: string;
  nodes: DiagramNode[];
  wires: DiagramWire[];
  /** Dots where a wire splits (a copy, in colah's legend). */
  joints: [number, number][];
  /** The cell's outline. */
  body: { x: number; y: number; w: number; h: number };
}

/** Which cell to draw. */
export interface DiagramVariant {
  cell: CellType;
  /** The cell's gate rows (gateNames of the model): an LSTM gate of i, f, o missing from it is drawn switched off. */
  gateNames: readonly string[];
  /** LSTM: peephole wires from the cell state to the gates. */
  peepholes?: boolean;
  /** 1 for the reverse direction of a bidirectional layer: the previous state is that of t+1. */
  dir?: number;
  /** Where h_t goes up to (default y_t, the output; below the top layer, the layer above). */
  up?: Sym;
  /** rnn_tanh/rnn_relu: Jordan output feedback (y_{t−1} into the box); `recurrent: false` has no h_{t−1}. */
  feedback?: { recurrent: boolean; teacherForcing: boolean };
}

/** The subscripts of a direction: the state read and the step the outputs go to. */
function subscripts(dir: number): { prev: string; next: string } {
  return dir === 1 ? { prev: 't+1', next: 't−1' } : { prev: 't−1', next: 't+1' };
}

/** A gate box at (x, GATE_Y). */
function gate(id: string, x: number, text: string, range: DiagramNode['range'], title: string, removed = false): DiagramNode {
  return { id, kind: 'gate', x, y: GATE_Y, w: BOX_W, h: BOX_H, text: removed ? '= 1' : text, symbol: { base: id === 'act' ? 'h' : id, sub: 't' }, title, range, removed, shows: removed ? VALUE : BOTH };
}

/** A pointwise circle. */
function op(id: string, x: number, y: number, text: string, symbol: Sym, title: string, label?: LabelSpot, shows: Shows = label ? VALUE : { value: false, grad: false }): DiagramNode {
  return { id, kind: 'op', x, y, w: 2 * OP_R, h: 2 * OP_R, text, symbol, title, label, shows };
}

/** A port: a wire's free end with its label. */
function port(id: string, x: number, y: number, symbol: Sym, title: string, label: LabelSpot, shows: Shows): DiagramNode {
  return { id, kind: 'port', x, y, w: 0, h: 0, text: '', symbol, title, label, shows };
}

/** Labels of ports on the left: right-aligned, symbol above the wire, value and gradient below. */
const leftLabel = (y: number): LabelSpot => ({ x: IN_X - 4, y: y - 9, anchor: 'end' });
/** Labels of ports on the right. */
const rightLabel = (y: number): LabelSpot => ({ x: OUT_X + 4, y: y - 9, anchor: 'start' });

/** The input ports every cell has: h_{t−1} along the bottom (or the top) and x_t from below at xX. */
function inputs(prev: string, hY: number, xX: number): DiagramNode[] {
  return [
    port('hPrev', IN_X, hY, { base: 'h', sub: prev }, `the previous hidden state h_${prev}`, leftLabel(hY), BOTH),
    port('x', xX, BOTTOM_Y, { base: 'x', sub: 't' }, 'the input x_t (the layer below’s h_t above layer 1)', { x: xX + 6, y: BOTTOM_Y - 4, anchor: 'start' }, VALUE),
  ];
}

/** The output ports: h_t to the next step (right) and up to the output or the layer above (from the column at upX). */
function outputs(v: DiagramVariant, next: string, nextY: number, upX: number): DiagramNode[] {
  return [
    port('hNext', OUT_X, nextY, { base: `to ${next}` }, `h_t goes on to step ${next}; dL/dh_t comes back from it`, rightLabel(nextY), GRAD),
    port('hUp', upX, TOP_Y, v.up ?? { base: 'y', sub: 't' }, 'h_t goes up to the output (or the layer above); dL/dh_t comes back from it', { x: upX + 6, y: TOP_Y + 6, anchor: 'start' }, GRAD),
  ];
}

/** Straight wire through points. */
function wire(id: string, points: [number, number][], kind: DiagramWire['kind'] = 'plain', extra: Partial<DiagramWire> = {}): DiagramWire {
  return { id, points, kind, ...extra };
}

const BODY = { x: IN_X + 6, y: 30, w: OUT_X - IN_X - 16, h: BUS_Y - 30 + 28 };

/** LSTM (lecture 001's memory cell, colah's picture): gates f, i, g, o; the cell path along the top. */
function lstm(v: DiagramVariant): DiagramLayout {
  const { prev, next } = subscripts(v.dir ?? 0);
  const has = (g: string) => v.gateNames.includes(g);
  const [fX, iX, gX, oX] = [150, 226, 302, 378];
  const tanhX = 440;
  const hY = 160;
  const jX = 462;
  const top = GATE_Y - BOX_H / 2;
  const bottom = GATE_Y + BOX_H / 2;
  const nodes: DiagramNode[] = [
    port('cPrev', IN_X, PATH_Y, { base: 'c', sub: prev }, `the internal (cell) state c_${prev}: the lectures' s`, leftLabel(PATH_Y), BOTH),
    ...inputs(prev, BUS_Y, 110),
    gate('f', fX, 'σ', 'unit', 'forget gate f_t: how much of the cell state to keep', !has('f')),
    gate('i', iX, 'σ', 'unit', 'input gate i_t: how much of the input node to write', !has('i')),
    gate('g', gX, 'tanh', 'signed', 'input node g_t (colah’s C̃_t): the candidate written into the state'),
    gate('o', oX, 'σ', 'unit', 'output gate o_t: how much of the state to show as h_t', !has('o')),
    op('fc', fX, PATH_Y, '⊙', { base: 'f⊙c', sub: prev }, `what the forget gate keeps: f_t ⊙ c_${prev}`, { x: (fX + gX) / 2, y: PATH_Y - 20, anchor: 'middle' }),
    op('ig', gX, 136, '⊙', { base: 'i⊙g', sub: 't' }, 'what the input gate writes: i_t ⊙ g_t', { x: gX - 6, y: 98, anchor: 'end' }),
    op('cSum', gX, PATH_Y, '+', { base: 'c', sub: 't' }, 'the state update c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t: the constant error carousel'),
    { ...op('tanhc', tanhX, 110, 'tanh', { base: 'tanh c', sub: 't' }, 'the state squashed: tanh(c_t)', { x: tanhX - 14, y: 134, anchor: 'end' }), w: 40 },
    op('h', tanhX, hY, '⊙', { base: 'h', sub: 't' }, 'the hidden state h_t = o_t ⊙ tanh(c_t)', { x: jX + 10, y: hY - 16, anchor: 'start' }, BOTH),
    port('c', OUT_X, PATH_Y, { base: 'c', sub: 't' }, `the cell state c_t, on to step ${next}; dL/dc_t comes back`, rightLabel(PATH_Y), BOTH),
    ...outputs(v, next, BUS_Y, jX),
  ];
  const wires: DiagramWire[] = [
    wire('cIn', [[IN_X, PATH_Y], [fX - OP_R, PATH_Y]], 'state'),
    wire('cKept', [[fX + OP_R, PATH_Y], [gX - OP_R, PATH_Y]], 'state'),
    wire('cOut', [[gX + OP_R, PATH_Y], [OUT_X, PATH_Y]], 'state', { arrow: true }),
    wire('cToTanh', [[tanhX, PATH_Y], [tanhX, 110 - OP_R]]),
    wire('tanhToH', [[tanhX, 110 + OP_R], [tanhX, hY - OP_R]]),
    wire('fOut', [[fX, top], [fX, PATH_Y + OP_R]], 'plain', { label: { base: 'f', sub: 't', x: fX + 6, y: top - 8, anchor: 'start' } }),
    wire('iOut', [[iX, top], [iX, 136], [gX - OP_R, 136]], 'plain', { label: { base: 'i', sub: 't', x: iX + 6, y: top - 8, anchor: 'start' } }),
    wire('gOut', [[gX, top], [gX, 136 + OP_R]], 'plain', { label: { base: 'g', sub: 't', x: gX + 6, y: top - 8, anchor: 'start' } }),
    wire('igOut', [[gX, 136 - OP_R], [gX, PATH_Y + OP_R]]),
    wire('oOut', [[oX + BOX_W / 2, GATE_Y], [tanhX, GATE_Y], [tanhX, hY + OP_R]], 'plain', { label: { base: 'o', sub: 't', x: (oX + BOX_W / 2 + tanhX) / 2 - 2, y: GATE_Y - 8, anchor: 'middle' } }),
    wire('hOut', [[tanhX + OP_R, hY], [jX, hY]]),
    wire('hToNext', [[jX, hY], [jX, BUS_Y], [OUT_X, BUS_Y]], 'plain', { arrow: true }),
    wire('hToUp', [[jX, hY], [jX, TOP_Y]], 'plain', { arrow: true, halo: true }),
    wire('bus', [[IN_X, BUS_Y], [oX, BUS_Y]]),
    wire('xIn', [[110, BOTTOM_Y], [110, BUS_Y]]),
    ...[fX, iX, gX, oX].map((x, k) => wire(`stub${k}`, [[x, BUS_Y], [x, bottom]])),
  ];
  const joints: [number, number][] = [[110, BUS_Y], [fX, BUS_Y], [iX, BUS_Y], [gX, BUS_Y], [tanhX, PATH_Y], [jX, hY]];
  if (v.peepholes) {
    const pX = IN_X + 22;
    const peep = (g: string, to: [number, number], from: [number, number], at: LabelSpot) =>
      has(g) ? [wire(`peep${g}`, [from, to], 'peephole', { arrow: true, label: { base: 'p', sub: g, ...at } })] : [];
    wires.push(
      ...peep('f', [fX - BOX_W / 2 + 6, top], [pX, PATH_Y], { x: pX - 2, y: 120, anchor: 'end' }),
      ...peep('i', [iX - BOX_W / 2 + 6, top], [pX, PATH_Y], { x: 178, y: 150, anchor: 'start' }),
      ...peep('o', [oX - BOX_W / 2 + 8, top], [gX + 28, PATH_Y], { x: gX + 32, y: 96, anchor: 'start' }),
    );
    if (has('f') || has('i')) joints.push([pX, PATH_Y]);
    if (has('o')) joints.push([gX + 28, PATH_Y]);
  }
  return { title: v.gateNames.length === 4 ? 'LSTM' : 'LSTM ladder', nodes, wires, joints, body: BODY };
}

/** GRU (lecture 002: the input gate coupled to the forget gate as 1 − z): gates z, r, n; h's path along the top. */
function gru(v: DiagramVariant): DiagramLayout {
  const { prev, next } = subscripts(v.dir ?? 0);
  const [zX, rX, rhX, nX] = [160, 240, 290, 350];
  const downX = IN_X + 22;
  const jX = 420;
  const midY = 136;
  const top = GATE_Y - BOX_H / 2;
  const bottom = GATE_Y + BOX_H / 2;
  const nodes: DiagramNode[] = [
    ...inputs(prev, PATH_Y, 120),
    gate('z', zX, 'σ', 'unit', 'update gate z_t: how much of h_{t−1} to keep (the forget gate); 1 − z_t writes the candidate (the input gate)'),
    gate('r', rX, 'σ', 'unit', 'reset gate r_t: how much of h_{t−1} the candidate sees'),
    gate('n', nX, 'tanh', 'signed', 'candidate n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t−1} + b_hn))'),
    op('rh', rhX, GATE_Y, '⊙', { base: 'r⊙(W_hn h+b_hn)' }, 'r_t ⊙ (W_hn h_{t−1} + b_hn), inside n_t (not kept by the walk)'),
    op('zh', zX, PATH_Y, '⊙', { base: 'z⊙h', sub: prev }, `what is kept: z_t ⊙ h_${prev}`, { x: (zX + nX) / 2, y: PATH_Y - 20, anchor: 'middle' }),
    op('oneMinusZ', 255, midY, '1−', { base: '1−z', sub: 't' }, 'the coupled input gate 1 − z_t', { x: (255 + nX) / 2, y: midY - 20, anchor: 'middle' }),
    op('zn', nX, midY, '⊙', { base: '(1−z)⊙n', sub: 't' }, 'what is written: (1 − z_t) ⊙ n_t', { x: nX + 6, y: 96, anchor: 'start' }),
    op('h', nX, PATH_Y, '+', { base: 'h', sub: 't' }, 'the hidden state h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}', { x: jX + 8, y: PATH_Y + 18, anchor: 'start' }, BOTH),
    ...outputs(v, next, PATH_Y, jX),
  ];
  const wires: DiagramWire[] = [
    wire('hIn', [[IN_X, PATH_Y], [zX - OP_R, PATH_Y]], 'state'),
    wire('hKept', [[zX + OP_R, PATH_Y], [nX - OP_R, PATH_Y]], 'state'),
    wire('hOutPath', [[nX + OP_R, PATH_Y], [OUT_X, PATH_Y]], 'state', { arrow: true }),
    wire('hToUp', [[jX, PATH_Y], [jX, TOP_Y]], 'plain', { arrow: true }),
    wire('hDown', [[downX, PATH_Y], [downX, BUS_Y]]),
    wire('bus', [[downX, BUS_Y], [nX, BUS_Y]]),
    wire('xIn', [[120, BOTTOM_Y], [120, BUS_Y]]),
    wire('zOut', [[zX, top], [zX, PATH_Y + OP_R]], 'plain', { label: { base: 'z', sub: 't', x: zX + 6, y: top - 8, anchor: 'start' } }),
    wire('zTo1', [[zX, midY], [255 - OP_R, midY]]),
    wire('oneMinusZOut', [[255 + OP_R, midY], [nX - OP_R, midY]]),
    wire('rOut', [[rX + BOX_W / 2, GATE_Y], [rhX - OP_R + 2, GATE_Y]], 'plain', { label: { base: 'r', sub: 't', x: rX + 6, y: top - 8, anchor: 'start' } }),
    wire('rhOut', [[rhX + OP_R - 2, GATE_Y], [nX - BOX_W / 2, GATE_Y]]),
    wire('nOut', [[nX, top], [nX, midY + OP_R]], 'plain', { label: { base: 'n', sub: 't', x: nX + 6, y: top - 8, anchor: 'start' } }),
    wire('znOut', [[nX, midY - OP_R], [nX, PATH_Y + OP_R]]),
    ...[zX, rX, nX].map((x, k) => wire(`stub${k}`, [[x, BUS_Y], [x, bottom]])),
    wire('stubRh', [[rhX, BUS_Y], [rhX, GATE_Y + OP_R - 2]]),
  ];
  const joints: [number, number][] = [[downX, PATH_Y], [120, BUS_Y], [zX, BUS_Y], [rX, BUS_Y], [rhX, BUS_Y], [zX, midY], [jX, PATH_Y]];
  return { title: 'GRU', nodes, wires, joints, body: BODY };
}

/**
 * Vanilla RNN (lecture 004): h_t = act(W_xh x_t + W_hh h_{t−1}), one box. With Jordan output
 * feedback (lectures 000, 001) y_{t−1} enters the box from the left too (y*_{t−1}, dashed, when
 * teacher forced); a pure Jordan network has no h_{t−1} input and no h_t → t+1 wire.
 */
function vanilla(v: DiagramVariant): DiagramLayout {
  const { prev, next } = subscripts(v.dir ?? 0);
  const relu = v.cell === 'rnn_relu';
  const aX = 270;
  const xX = 160;
  const fb = v.feedback;
  const recurrent = fb?.recurrent ?? true;
  const terms = `W_ih x_t + b_ih${recurrent ? ` + W_hh h_${prev} + b_hh` : ''}${fb ? ` + W_hy y_${prev}` : ''}`;
  const [hPrev, x] = inputs(prev, BUS_Y, xX);
  const nodes: DiagramNode[] = [
    ...(recurrent ? [hPrev] : []),
    x,
    gate('act', aX, relu ? 'ReLU' : 'tanh', relu ? 'positive' : 'signed', `the one layer: h_t = ${relu ? 'ReLU' : 'tanh'}(${terms}); its δ is dL/d(pre-activation)`),
    { ...port('h', aX, PATH_Y, { base: 'dL/dh', sub: 't' }, 'dL/dh_t: what comes back from the output and from the next step', { x: aX + 8, y: PATH_Y + 18, anchor: 'start' }, GRAD), kind: 'junction' },
    // Without W_hh, h_t reaches the next step only through y_t.
    ...outputs(v, next, PATH_Y, aX).filter((n) => recurrent || n.id !== 'hNext'),
  ];
  const wires: DiagramWire[] = [
    wire('bus', [[recurrent ? IN_X : xX, BUS_Y], [aX, BUS_Y], [aX, GATE_Y + BOX_H / 2]], recurrent ? 'state' : 'plain'),
    wire('xIn', [[xX, BOTTOM_Y], [xX, BUS_Y]]),
    wire('hUpPath', [[aX, GATE_Y - BOX_H / 2], [aX, TOP_Y]], 'state', { arrow: true, label: { base: 'h', sub: 't', x: aX + 6, y: GATE_Y - BOX_H / 2 - 8, anchor: 'start' } }),
    ...(recurrent ? [wire('hToNext', [[aX, PATH_Y], [OUT_X, PATH_Y]], 'state', { arrow: true })] : []),
  ];
  if (fb) {
    const sym = { base: fb.teacherForcing ? 'y*' : 'y', sub: prev };
    const title = fb.teacherForcing ? `the target y*_${prev} fed back through W_hy (teacher forcing: no gradient flows back along it)` : `the previous output y_${prev} fed back through W_hy (Jordan)`;
    nodes.push(port('yPrev', IN_X, GATE_Y, sym, title, leftLabel(GATE_Y), fb.teacherForcing ? VALUE : BOTH));
    wires.push(wire('yIn', [[IN_X, GATE_Y], [aX - BOX_W / 2, GATE_Y]], fb.teacherForcing ? 'peephole' : 'plain', { arrow: true }));
  }
  const title = `${fb ? (recurrent ? 'Jordan + Elman RNN' : 'Jordan RNN') : 'Vanilla RNN'} (${relu ? 'ReLU' : 'tanh'})`;
  return { title, nodes, wires, joints: recurrent ? [[xX, BUS_Y]] : [], body: BODY };
}

/** The layout of a cell variant. */
export function cellDiagramLayout(v: DiagramVariant): DiagramLayout {
  if (v.feedback && (v.cell === 'lstm' || v.cell === 'gru')) throw new Error(`cellDiagramLayout: output feedback is an rnn_tanh/rnn_relu option, not ${v.cell}'s`);
  if (v.cell === 'lstm') {
    if (!v.gateNames.includes('g')) throw new Error(`cellDiagramLayout: an LSTM needs its input node g; got gates ${v.gateNames.join(', ')}`);
    return lstm(v);
  }
  if (v.peepholes) throw new Error(`cellDiagramLayout: peepholes are an LSTM option, not ${v.cell}'s`);
  return v.cell === 'gru' ? gru(v) : vanilla(v);
}
