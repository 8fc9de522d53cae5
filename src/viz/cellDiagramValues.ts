/**
 * The numbers the cell diagram (cellDiagram.ts) writes on its parts, read from one step of
 * the BPTT walk (src/engine/bpttWalk.ts) and never recomputed another way: the activated
 * gates, h_t, c_t and their gradients are the record's; the pointwise products (f ⊙ c_{t−1},
 * i ⊙ g, z ⊙ h_{t−1}, …) are products of record values, as the cell forms them. Either one
 * unit's scalars or, in norms mode, the Euclidean norm of each vector.
 *
 * What each gradient is: a gate's δ (dL/d its pre-activation, the record's gateGrads); on the
 * output wires what arrives back, dL/dh_t from the next step (fromNext) and from the output or
 * the layer above (fromOutput), dL/dc_t in total; on the input wires what this step sends back
 * to the previous one (the previous step's fromNext and dcFromNext, or, at the first step,
 * the walk's initialStateGrad when it has one). A gradient cut by the window reads 0, as in
 * the record, with a note. With Jordan output feedback, the fed value y_{t−1} and the gradient
 * this step hands back to it are norms (they have O entries, not H).
 */
import type { BpttWalk } from '../engine/bpttWalk.ts';

/** What a diagram part shows. */
export interface DiagramReading {
  /** The value (a unit's scalar, or a norm). */
  value?: number;
  /** The gradient on it (see the file header). */
  grad?: number;
  /** What the gradient is, e.g. "δ_f" or "dL/dh_t from t+1". */
  gradName?: string;
  /** Shown instead of a value (layer 1's input as the walk labels it). */
  text?: string;
  /** A norm even in unit mode (x_t above layer 1 has D·H features, not H units). */
  alwaysNorm?: boolean;
  /** A gate the ladder switched off: the constant 1. */
  removed?: boolean;
  /** A remark, e.g. that the window cut this gradient. */
  note?: string;
}

/** Which cell of the walk. */
export interface DiagramAt {
  t: number;
  layer: number;
  dir: number;
}

/** One unit j, or the norm of each vector. */
export type DiagramPick = number | 'norm';

/** The LSTM gates the ladder can switch off. */
const LADDER_GATES = ['i', 'f', 'o'];

/** Euclidean norm. */
function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k] * v[k];
  return Math.sqrt(s);
}

/** Element-wise map of equal-length vectors. */
function zip(f: (...xs: number[]) => number, ...vs: ArrayLike<number>[]): Float64Array {
  return Float64Array.from({ length: vs[0].length }, (_, k) => f(...vs.map((v) => v[k])));
}

/** The readings of every part of the diagram of cell (t, layer, dir), for unit `pick` or as norms. */
export function cellDiagramValues(walk: BpttWalk, at: DiagramAt, pick: DiagramPick, inputLabel?: string): Map<string, DiagramReading> {
  const { t, layer, dir } = at;
  const { T, D, hiddenSize: H, gateNames } = walk;
  if (!(Number.isInteger(t) && t >= 0 && t < T)) throw new RangeError(`cellDiagramValues: step ${t} is not in 0..${T - 1}`);
  if (!(Number.isInteger(layer) && layer >= 0 && layer < walk.numLayers && (dir === 0 || (dir === 1 && D === 2)))) {
    throw new RangeError(`cellDiagramValues: there is no layer ${layer}, direction ${dir} in a walk of ${walk.numLayers} layers and ${D} directions`);
  }
  if (pick !== 'norm' && !(Number.isInteger(pick) && pick >= 0 && pick < H)) throw new RangeError(`cellDiagramValues: unit ${pick} is not in 0..${H - 1}`);
  const row = layer * D + dir;
  const d = walk.dirs[row];
  const G = gateNames.length;
  const read = (v: ArrayLike<number>) => (pick === 'norm' ? norm(v) : v[pick]);
  const at_ = (buf: Float64Array, s: number) => buf.subarray(s * H, (s + 1) * H);
  const prevT = dir === 0 ? t - 1 : t + 1;
  const hasPrev = prevT >= 0 && prevT < T;
  const zero = new Float64Array(H);
  const gateVec = (name: string, buf: Float64Array) => {
    const k = gateNames.indexOf(name);
    return k < 0 ? null : buf.subarray(t * G * H + k * H, t * G * H + (k + 1) * H);
  };
  const out = new Map<string, DiagramReading>();
  const cutNote = (s: number) => (d.cut[s] ? 'cut by the window' : undefined);
  const nextName = dir === 0 ? 't+1' : 't−1';

  // Inputs: the previous state and what this step sends back to it.
  const hPrev = hasPrev ? at_(d.h, prevT) : (walk.initial?.h[row] ?? zero);
  const hPrevGrad = hasPrev ? at_(d.fromNext, prevT) : walk.initialStateGrad?.h[row];
  const fb = d.feedback;
  if (fb?.recurrent !== false) out.set('hPrev', { value: read(hPrev), grad: hPrevGrad && read(hPrevGrad), gradName: `dL/dh_${dir === 0 ? 't−1' : 't+1'} from this step`, note: hasPrev ? cutNote(prevT) : 'the walk starts from this state' });
  if (fb) {
    // Jordan feedback: what step t reads through W_hy (O values, so always a norm) and the gradient it hands back to it.
    const O = fb.outSize;
    const grad = !fb.teacherForcing && t > 0 ? norm(fb.dFed.subarray((t - 1) * O, t * O)) : undefined;
    const note = t === 0 ? 'nothing is fed back before step 1' : fb.teacherForcing ? 'teacher forced: no gradient flows back along it' : undefined;
    out.set('yPrev', { value: norm(fb.fed.subarray(t * O, (t + 1) * O)), grad, gradName: 'dL/d(fed value) from this step', alwaysNorm: true, note });
  }
  if (layer === 0) out.set('x', { text: inputLabel ?? '' });
  else {
    const below = Array.from({ length: D }, (_, e) => Array.from(at_(walk.dirs[(layer - 1) * D + e].h, t))).flat();
    out.set('x', { value: norm(below), alwaysNorm: true });
  }

  // Gates: the activated value and δ, dL/d(pre-activation).
  const boxes = walk.cell === 'rnn_tanh' || walk.cell === 'rnn_relu' ? [['act', 'h']] : walk.cell === 'gru' ? ['r', 'z', 'n'].map((g) => [g, g]) : ['i', 'f', 'g', 'o'].map((g) => [g, g]);
  for (const [id, name] of boxes) {
    const v = gateVec(name, d.gates);
    if (!v) {
      if (!(walk.cell === 'lstm' && LADDER_GATES.includes(name))) throw new Error(`cellDiagramValues: the walk has no gate ${name}`);
      out.set(id, { value: 1, removed: true });
    } else out.set(id, { value: read(v), grad: read(gateVec(name, d.gateGrads)!), gradName: `δ_${name}` });
  }
  const gateOr1 = (name: string) => gateVec(name, d.gates) ?? new Float64Array(H).fill(1);

  // Outputs: h_t with dL/dh_t, and the two ways dL/dh_t arrives.
  const h = at_(d.h, t);
  const dh = at_(d.dh, t);
  out.set('h', walk.cell === 'rnn_tanh' || walk.cell === 'rnn_relu' ? { grad: read(dh), gradName: 'dL/dh_t' } : { value: read(h), grad: read(dh), gradName: 'dL/dh_t' });
  if (fb?.recurrent !== false) out.set('hNext', { grad: read(at_(d.fromNext, t)), gradName: `dL/dh_t from ${nextName}`, note: cutNote(t) });
  const viaFeedback = fb ? `; and ${read(at_(fb.fromFeedback, t))} through y_t fed into step t+1` : '';
  out.set('hUp', { grad: read(at_(d.fromOutput, t)), gradName: layer + 1 < walk.numLayers ? 'dL/dh_t from the layer above' : `dL/dh_t from the output${viaFeedback}` });

  if (walk.cell === 'lstm') {
    const c = at_(d.c!, t);
    const cPrev = hasPrev ? at_(d.c!, prevT) : (walk.initial?.c?.[row] ?? zero);
    const cPrevGrad = hasPrev ? at_(d.dcFromNext!, prevT) : walk.initialStateGrad?.c?.[row];
    const [i, f, g] = [gateOr1('i'), gateOr1('f'), gateOr1('g')];
    out.set('cPrev', { value: read(cPrev), grad: cPrevGrad && read(cPrevGrad), gradName: `dL/dc_${dir === 0 ? 't−1' : 't+1'} from this step`, note: hasPrev ? cutNote(prevT) : 'the walk starts from this state' });
    out.set('fc', { value: read(zip((a, b) => a * b, f, cPrev)) });
    out.set('ig', { value: read(zip((a, b) => a * b, i, g)) });
    out.set('tanhc', { value: read(zip(Math.tanh, c)) });
    out.set('c', { value: read(c), grad: read(at_(d.dc!, t)), gradName: 'dL/dc_t' });
  } else if (walk.cell === 'gru') {
    const [z, n] = [gateVec('z', d.gates)!, gateVec('n', d.gates)!];
    out.set('zh', { value: read(zip((a, b) => a * b, z, hPrev)) });
    out.set('oneMinusZ', { value: read(zip((a) => 1 - a, z)) });
    out.set('zn', { value: read(zip((a, b) => (1 - a) * b, z, n)) });
  }
  return out;
}
