/**
 * The equations of each recurrent cell as TeX, exactly as the engine computes them
 * (src/engine/cells.ts: PyTorch's forms and gate orders), with the LSTM ladder's switched-off
 * gates, peepholes and Jordan output feedback; and a few sentences in the lectures' words
 * (shared/reference) on what each cell adds over the simpler one.
 */
import type { CellType, LstmGates } from '../engine/model.ts';

/** The cell variant an equations panel shows. */
export interface CellVariant {
  cell: CellType;
  /** LSTM: which gates exist (default all); a missing gate is the constant 1. */
  gates?: LstmGates;
  /** LSTM: diagonal peephole weights from the cell state to the gates. */
  peepholes?: boolean;
  /** rnn_tanh/rnn_relu: Jordan feedback of the previous output; `recurrent: false` drops W_hh; teacher forcing feeds the previous target. */
  outputFeedback?: { recurrent: boolean; teacherForcing?: boolean };
}

/** One displayed equation. */
export interface Equation {
  /** The symbol it defines, e.g. "f_t" (for tests and keys). */
  defines: string;
  /** TeX source, rendered in display mode. */
  tex: string;
}

/** Everything the panel shows for one variant. */
export interface CellEquations {
  /** The cell's name as a heading, e.g. "LSTM". */
  title: string;
  equations: Equation[];
  /** What the symbols mean, one sentence with inline math between $ signs. */
  legend: string;
  /** Two or three sentences on what the cell adds over the simpler one; inline math between $ signs. */
  about: string[];
  /** One sentence per option in force (a gate switched off, peepholes, feedback); inline math between $ signs. */
  notes: string[];
}

/** The affine term of gate k with the given input and state: W_{ik} x_t + b_{ik} + W_{hk} h_{t-1} + b_{hk}. */
function affine(k: string, recurrent = true): string {
  const input = `W_{i${k}}\\,x_t + b_{i${k}}`;
  return recurrent ? `${input} + W_{h${k}}\\,h_{t-1} + b_{h${k}}` : input;
}

/** The symbols every gated cell shares. */
const LEGEND_COMMON = '$\\sigma(u) = 1/(1 + e^{-u})$ is the logistic sigmoid, $\\odot$ the element-wise product, $W_{i\\cdot}$ and $W_{h\\cdot}$ the input and recurrent weights';

/** Vanilla RNN, tanh or ReLU, with or without Jordan feedback. */
function vanilla(v: CellVariant): CellEquations {
  const relu = v.cell === 'rnn_relu';
  const act = relu ? '\\operatorname{ReLU}' : '\\tanh';
  const recurrent = v.outputFeedback?.recurrent ?? true;
  const feedback = v.outputFeedback ? ' + W_{hy}\\,y_{t-1}' : '';
  const notes: string[] = [];
  if (v.outputFeedback) {
    const fed = v.outputFeedback.teacherForcing
      ? 'With teacher forcing, $y_{t-1}$ is the previous target (one-hot for classes), and no gradient flows through it.'
      : 'Without teacher forcing, $y_{t-1}$ is the network\u2019s own previous output (its softmax for classes).';
    notes.push(
      recurrent
        ? `Output feedback (Jordan): the previous output $y_{t-1}$ enters beside $h_{t-1}$. ${fed}`
        : `A pure Jordan network: no $W_{hh}$, so the state sees the past only through the previous output $y_{t-1}$. ${fed}`,
    );
  }
  return {
    title: relu ? 'Vanilla RNN (ReLU)' : 'Vanilla RNN (tanh)',
    equations: [{ defines: 'h_t', tex: `h_t = ${act}\\big(${affine('h', recurrent)}${feedback}\\big)` }],
    legend:
      (relu ? '$\\operatorname{ReLU}(u) = \\max(0, u)$; ' : '') +
      (recurrent ? '$W_{ih}$ and $W_{hh}$ are the input and recurrent weights' : '$W_{ih}$ are the input weights') +
      (v.outputFeedback ? ', $W_{hy}$ the output feedback weights.' : '.'),
    about: [
      'The simplest recurrence: one state $h_t$, rewritten at every step from the input $x_t$ and the previous state through the same weights $W_{hh}$.',
      relu
        ? 'ReLU does not saturate for positive inputs, but backpropagation through time still multiplies the gradient by $W_{hh}$ once per step, so it vanishes or explodes over long gaps (clipping tames the explosions).'
        : 'Backpropagation through time multiplies the gradient by $W_{hh}$ and $\\tanh\'$ once per step, so it vanishes (or explodes) over long gaps: $x_1$ goes $t$ times through $\\tanh$, and the vanilla RNN has a short memory.',
    ],
    notes,
  };
}

/** The LSTM as the engine runs it: gates i, f, g, o in PyTorch's order, any of i, f, o switched off, optional peepholes. */
function lstm(v: CellVariant): CellEquations {
  const gates = v.gates ?? { input: true, forget: true, output: true };
  const peep = v.peepholes ?? false;
  const gate = (k: 'i' | 'f' | 'o', cell: string) => ({
    defines: `${k}_t`,
    tex: `${k}_t = \\sigma\\big(${affine(k)}${peep ? ` + p_${k} \\odot ${cell}` : ''}\\big)`,
  });
  const keep = gates.forget ? 'f_t \\odot c_{t-1}' : 'c_{t-1}';
  const write = gates.input ? 'i_t \\odot g_t' : 'g_t';
  const cellEq = { defines: 'c_t', tex: `c_t = ${keep} + ${write}` };
  const outputGate = gates.output ? [gate('o', 'c_t')] : [];
  const equations: Equation[] = [
    ...(gates.input ? [gate('i', 'c_{t-1}')] : []),
    ...(gates.forget ? [gate('f', 'c_{t-1}')] : []),
    { defines: 'g_t', tex: `g_t = \\tanh\\big(${affine('g')}\\big)` },
    // With a peephole the output gate reads c_t, so it follows the cell update.
    ...(peep ? [cellEq, ...outputGate] : [...outputGate, cellEq]),
    { defines: 'h_t', tex: `h_t = ${gates.output ? 'o_t \\odot ' : ''}\\tanh(c_t)` },
  ];
  const off = (['input', 'forget', 'output'] as const).filter((g) => !gates[g]);
  const notes: string[] = [];
  if (off.length === 3) notes.push('Every gate is off: this is the residual cell $c_t = c_{t-1} + g_t$, whose state only accumulates, the first rung of the lectures\u2019 ladder.');
  else if (off.length > 0) notes.push(`Switched off (the constant 1, with no weights): the ${off.join(' and ')} gate${off.length > 1 ? 's' : ''}.`);
  if (peep && off.length < 3) notes.push('Peepholes: the gates see the cell state itself through diagonal weights $p$, with $i$ and $f$ reading $c_{t-1}$ and $o$ reading $c_t$.');
  return {
    title: off.length === 0 ? `LSTM${peep ? ' with peepholes' : ''}` : `LSTM ladder${peep ? ' with peepholes' : ''}`,
    equations,
    legend: `${LEGEND_COMMON}; $c_t$ is the cell state.`,
    about: [
      'The LSTM adds a cell state $c_t$ updated by addition. Starting from the residual cell $c_t = c_{t-1} + g_t$, the path from $c_{t-1}$ to $c_t$ passes the past state unaltered to the future, and the gradient back: the constant error carousel that lets it remember long term.',
      'Gates make the carousel controllable: the forget gate $f$ decides how much of the state to keep, the input gate $i$ how much of the candidate $g$ to write, and the output gate $o$ how much of the state to show as $h_t$.',
    ],
    notes,
  };
}

/** The GRU as PyTorch and the engine run it: r, z, n. */
function gru(): CellEquations {
  return {
    title: 'GRU',
    equations: [
      { defines: 'r_t', tex: `r_t = \\sigma\\big(${affine('r')}\\big)` },
      { defines: 'z_t', tex: `z_t = \\sigma\\big(${affine('z')}\\big)` },
      { defines: 'n_t', tex: `n_t = \\tanh\\big(W_{in}\\,x_t + b_{in} + r_t \\odot (W_{hn}\\,h_{t-1} + b_{hn})\\big)` },
      { defines: 'h_t', tex: 'h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}' },
    ],
    legend: `${LEGEND_COMMON}.`,
    about: [
      'The GRU couples the LSTM\u2019s input and forget gates into one: $z_t$ keeps the old state and $1 - z_t$ writes the candidate $n_t$, so where the state is forgotten it is replaced by the input, and where it is remembered the input is blocked.',
      'It keeps the additive path through time without a separate cell state, and the reset gate $r_t$ decides how much of $h_{t-1}$ the candidate sees: three weight blocks instead of the LSTM\u2019s four.',
    ],
    notes: [],
  };
}

/** A piece of prose: plain text, or TeX to render inline. */
export interface ProseSegment {
  math: boolean;
  text: string;
}

/** Splits prose at its $ signs into text and inline-math segments; throws on an unclosed $. */
export function splitInlineMath(prose: string): ProseSegment[] {
  const parts = prose.split('$');
  if (parts.length % 2 === 0) throw new Error(`unbalanced $ in: ${prose}`);
  return parts.map((text, i) => ({ math: i % 2 === 1, text })).filter((p) => p.text !== '');
}

/** The equations, legend and explanation for a cell variant. */
export function cellEquations(v: CellVariant): CellEquations {
  if (v.cell === 'lstm') return lstm(v);
  if (v.cell === 'gru') return gru();
  return vanilla(v);
}
