/** The cells' equations: valid TeX for every variant, and the same gates as the engine runs. */
import katex from 'katex';
import { describe, expect, test } from 'vitest';
import { CELL_TYPES, gateNames, type LstmGates, type ModelConfig } from '../../src/engine/model.ts';
import { cellEquations, splitInlineMath, type CellVariant } from '../../src/viz/cellEquations.ts';

/** Every LSTM gate combination (the lectures' ladder) with and without peepholes, and every other cell. */
const variants: CellVariant[] = [
  ...CELL_TYPES.filter((c) => c !== 'lstm').map((cell) => ({ cell })),
  { cell: 'rnn_tanh', outputFeedback: { recurrent: true } },
  { cell: 'rnn_relu', outputFeedback: { recurrent: false, teacherForcing: true } },
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((bits) =>
    [false, true].map((peepholes): CellVariant => {
      const gates: LstmGates = { input: Boolean(bits & 1), forget: Boolean(bits & 2), output: Boolean(bits & 4) };
      return { cell: 'lstm', gates, peepholes };
    }),
  ),
];

/** The engine's config for a variant (sizes do not matter to gateNames). */
function config(v: CellVariant): ModelConfig {
  const base = { cell: v.cell, inputSize: 1, hiddenSize: 1, numLayers: 1, bidirectional: false, outputSize: 1 };
  return v.cell === 'lstm' ? { ...base, lstm: { gates: v.gates!, peepholes: v.peepholes! } } : base;
}

/** A readable name for a variant. */
const name = (v: CellVariant) => JSON.stringify(v);

describe('cellEquations', () => {
  test.each(variants.map((v) => [name(v), v] as const))('%s: every equation, legend and prose math is valid TeX', (_, v) => {
    const eq = cellEquations(v);
    const render = (tex: string) => katex.renderToString(tex, { throwOnError: true, output: 'mathml' });
    for (const e of eq.equations) expect(() => render(e.tex)).not.toThrow();
    for (const text of [eq.legend, ...eq.about, ...eq.notes]) {
      for (const seg of splitInlineMath(text)) if (seg.math) expect(() => render(seg.text)).not.toThrow();
    }
    expect(eq.about.length).toBeGreaterThanOrEqual(2);
  });

  test.each(variants.map((v) => [name(v), v] as const))('%s: defines exactly the engine\'s gates, then the states', (_, v) => {
    const defined = cellEquations(v).equations.map((e) => e.defines);
    const gates = gateNames(config(v));
    if (v.cell === 'lstm') {
      expect(defined.filter((d) => d !== 'c_t' && d !== 'h_t').sort()).toEqual(gates.map((g) => `${g}_t`).sort());
      expect(defined.at(-1)).toBe('h_t');
      expect(defined).toContain('c_t');
    } else if (v.cell === 'gru') {
      expect(defined).toEqual(['r_t', 'z_t', 'n_t', 'h_t']);
      expect(gates).toEqual(['r', 'z', 'n']);
    } else {
      expect(defined).toEqual(['h_t']);
    }
  });

  test('standard LSTM: PyTorch order i, f, g, o, then c_t = f ⊙ c_{t-1} + i ⊙ g and h_t = o ⊙ tanh(c_t)', () => {
    const eq = cellEquations({ cell: 'lstm' });
    expect(eq.equations.map((e) => e.defines)).toEqual(['i_t', 'f_t', 'g_t', 'o_t', 'c_t', 'h_t']);
    expect(eq.equations[4].tex).toBe('c_t = f_t \\odot c_{t-1} + i_t \\odot g_t');
    expect(eq.equations[5].tex).toBe('h_t = o_t \\odot \\tanh(c_t)');
    expect(eq.notes).toEqual([]);
  });

  test('peepholes: i and f read c_{t-1}, o reads c_t and comes after the cell update', () => {
    const eq = cellEquations({ cell: 'lstm', peepholes: true });
    expect(eq.equations.map((e) => e.defines)).toEqual(['i_t', 'f_t', 'g_t', 'c_t', 'o_t', 'h_t']);
    expect(eq.equations[0].tex).toContain('p_i \\odot c_{t-1}');
    expect(eq.equations[1].tex).toContain('p_f \\odot c_{t-1}');
    expect(eq.equations[4].tex).toContain('p_o \\odot c_t');
  });

  test('no gates: the residual cell c_t = c_{t-1} + g_t, h_t = tanh(c_t), named as such', () => {
    const eq = cellEquations({ cell: 'lstm', gates: { input: false, forget: false, output: false }, peepholes: false });
    expect(eq.equations.map((e) => e.tex)).toEqual([expect.stringMatching(/^g_t = /), 'c_t = c_{t-1} + g_t', 'h_t = \\tanh(c_t)']);
    expect(eq.notes.join(' ')).toMatch(/residual cell/);
  });

  test('GRU: h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1}, r inside the candidate on the recurrent term only', () => {
    const eq = cellEquations({ cell: 'gru' });
    expect(eq.equations[3].tex).toBe('h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}');
    expect(eq.equations[2].tex).toContain('r_t \\odot (W_{hn}\\,h_{t-1} + b_{hn})');
  });

  test('Jordan feedback adds W_hy y_{t-1}; the pure Jordan network drops W_hh', () => {
    expect(cellEquations({ cell: 'rnn_tanh', outputFeedback: { recurrent: true } }).equations[0].tex).toMatch(/W_\{hh\}.*W_\{hy\}\\,y_\{t-1\}/);
    const jordan = cellEquations({ cell: 'rnn_relu', outputFeedback: { recurrent: false, teacherForcing: true } });
    expect(jordan.equations[0].tex).not.toContain('W_{hh}');
    expect(jordan.notes.join(' ')).toMatch(/previous target/);
    expect(cellEquations({ cell: 'rnn_tanh', outputFeedback: { recurrent: true, teacherForcing: false } }).notes.join(' ')).toMatch(/own previous output/);
  });

  test('splitInlineMath separates text and math, and refuses an unclosed $', () => {
    expect(splitInlineMath('a $x_t$ b')).toEqual([
      { math: false, text: 'a ' },
      { math: true, text: 'x_t' },
      { math: false, text: ' b' },
    ]);
    expect(() => splitInlineMath('a $x')).toThrow(/unbalanced \$/);
  });
});
