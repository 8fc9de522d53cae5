/**
 * Geometry of the lectures' input/output patterns, drawn after Karpathy's "unreasonable
 * effectiveness" figure: input boxes at the bottom, hidden states in the middle joined by
 * recurrent arrows, outputs on top. Framework-free: boxes and arrows in viewBox units, which
 * the ShapeDiagram component turns into SVG.
 */
import type { SequenceShape } from '../tasks/types.ts';

/** What a box stands for: an input, a hidden state, an output, or a decoder input fed from the previous output. */
export type BoxKind = 'input' | 'hidden' | 'output' | 'fed';

/** One box, its top-left corner and size in viewBox units. */
export interface Box {
  kind: BoxKind;
  /** Time step (column). */
  t: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One arrow from (x1, y1) to its head at (x2, y2). */
export interface Arrow {
  /** Up the column (input to state, state to output), or along time (a recurrent arrow). */
  kind: 'up' | 'recurrent';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A whole diagram. */
export interface ShapeLayout {
  width: number;
  height: number;
  boxes: Box[];
  arrows: Arrow[];
  /** One sentence for screen readers and tooltips. */
  description: string;
}

const COL = 40;
const BOX_W = 24;
const BOX_H = 16;
const GAP = 2;
const PAD = 4;
/** Vertical distance between row tops. */
const ROW = 34;

/** Which columns have inputs and outputs, and the sentence that says so. */
interface Pattern {
  steps: number;
  inputs: number[];
  outputs: number[];
  fed?: number[];
  description: string;
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

const PATTERNS: Record<Exclude<SequenceShape, 'bidirectional'>, Pattern> = {
  'one-to-many': { steps: 4, inputs: [0], outputs: range(0, 4), description: 'One input, then an output at every step.' },
  'many-to-one': { steps: 4, inputs: range(0, 4), outputs: [3], description: 'An input at every step, one output after the last.' },
  'many-to-many': { steps: 4, inputs: range(0, 4), outputs: range(0, 4), description: 'An input and an output at every step, in sync.' },
  'many-to-many (delayed)': {
    steps: 5,
    inputs: range(0, 3),
    outputs: range(2, 5),
    description: 'Outputs lag the inputs: the state must carry each input until its output is due.',
  },
  seq2seq: {
    steps: 6,
    inputs: range(0, 3),
    outputs: range(3, 6),
    fed: range(3, 6),
    description: 'An encoder reads the whole input; a decoder then writes the output, fed its previous output at each step.',
  },
};

/** A box centred on (cx, top). */
const box = (kind: BoxKind, t: number, cx: number, top: number): Box => ({ kind, t, x: cx - BOX_W / 2, y: top, w: BOX_W, h: BOX_H });

/** An arrow from the top of a box at (ax, aTop) to the bottom of one at (bx, bTop). */
const up = (ax: number, aTop: number, bx: number, bTop: number): Arrow => ({ kind: 'up', x1: ax, y1: aTop - GAP, x2: bx, y2: bTop + BOX_H + GAP });

/** A recurrent arrow between two boxes of one row, pointing right or left. */
function along(fromCx: number, toCx: number, top: number): Arrow {
  const dir = Math.sign(toCx - fromCx);
  const y = top + BOX_H / 2;
  return { kind: 'recurrent', x1: fromCx + dir * (BOX_W / 2 + GAP), y1: y, x2: toCx - dir * (BOX_W / 2 + GAP), y2: y };
}

/** The diagram of a unidirectional pattern. */
function unidirectional(p: Pattern): ShapeLayout {
  const [outTop, hidTop, inTop] = [PAD, PAD + ROW, PAD + 2 * ROW];
  const cx = (t: number) => PAD + COL / 2 + t * COL;
  const boxes: Box[] = [];
  const arrows: Arrow[] = [];
  for (let t = 0; t < p.steps; t++) {
    boxes.push(box('hidden', t, cx(t), hidTop));
    if (t > 0) arrows.push(along(cx(t - 1), cx(t), hidTop));
    const input = p.inputs.includes(t) ? 'input' : p.fed?.includes(t) ? 'fed' : null;
    if (input) {
      boxes.push(box(input, t, cx(t), inTop));
      arrows.push(up(cx(t), inTop, cx(t), hidTop));
    }
    if (p.outputs.includes(t)) {
      boxes.push(box('output', t, cx(t), outTop));
      arrows.push(up(cx(t), hidTop, cx(t), outTop));
    }
  }
  return { width: 2 * PAD + p.steps * COL, height: inTop + BOX_H + PAD, boxes, arrows, description: p.description };
}

/**
 * The bidirectional diagram: a forward row (arrows right) above a backward row (arrows left),
 * shifted apart sideways so each input reaches both rows, and each output reads both,
 * without an arrow crossing a box.
 */
function bidirectional(): ShapeLayout {
  const steps = 4;
  const shift = BOX_W * 0.45;
  const [outTop, fwdTop, bwdTop, inTop] = [PAD, PAD + ROW, PAD + 2 * ROW - 6, PAD + 3 * ROW - 6];
  const cx = (t: number) => PAD + shift + COL / 2 + t * COL;
  const boxes: Box[] = [];
  const arrows: Arrow[] = [];
  for (let t = 0; t < steps; t++) {
    const [f, b, c] = [cx(t) - shift, cx(t) + shift, cx(t)];
    boxes.push(box('output', t, c, outTop), box('hidden', t, f, fwdTop), box('hidden', t, b, bwdTop), box('input', t, c, inTop));
    arrows.push(up(c - 4, inTop, f, fwdTop), up(c + 4, inTop, b, bwdTop), up(f, fwdTop, c - 4, outTop), up(b, bwdTop, c + 4, outTop));
    if (t > 0) arrows.push(along(cx(t - 1) - shift, f, fwdTop), along(b, cx(t - 1) + shift, bwdTop));
  }
  return {
    width: 2 * PAD + steps * COL + 2 * shift,
    height: inTop + BOX_H + PAD,
    boxes,
    arrows,
    description: 'A forward and a backward recurrent layer read the sequence in both directions; every output sees the past and the future.',
  };
}

/** The diagram of a sequence shape. */
export function shapeLayout(shape: SequenceShape): ShapeLayout {
  if (shape === 'bidirectional') return bidirectional();
  const pattern = PATTERNS[shape];
  if (!pattern) throw new Error(`shapeLayout: unknown sequence shape "${shape as string}"`);
  return unidirectional(pattern);
}
