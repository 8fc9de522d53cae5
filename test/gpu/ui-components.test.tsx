/**
 * The playground's presentational components in a real browser: the loss and metric charts
 * drawing from a RunHistory (and not re-rendering React as it grows), the log axis with
 * values it cannot show, the KaTeX equations panel, and the sequence-shape diagrams.
 */
import { act, Profiler, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { RunHistory } from '../../src/store/history.ts';
import { SEQUENCE_SHAPES } from '../../src/tasks/types.ts';
import type { MetricsBatch } from '../../src/train/Trainer.ts';
import { EquationsPanel } from '../../src/ui/equations/EquationsPanel.tsx';
import { LossChart } from '../../src/ui/charts/LossChart.tsx';
import { MetricChart } from '../../src/ui/charts/MetricChart.tsx';
import { ShapeDiagram } from '../../src/ui/charts/ShapeDiagram.tsx';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let mounted: { root: Root; el: HTMLElement } | null = null;

/** Renders `node` into a fresh 480 px wide div on the page. */
async function mount(node: ReactNode): Promise<HTMLElement> {
  const el = document.createElement('div');
  el.style.width = '480px';
  document.body.append(el);
  const root = createRoot(el);
  await act(async () => root.render(node));
  mounted = { root, el };
  return el;
}

afterEach(async () => {
  if (!mounted) return;
  const { root, el } = mounted;
  await act(async () => root.unmount());
  el.remove();
  mounted = null;
});

/** Waits for two animation frames, so a requested redraw has happened. */
async function frames(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
}

/** A metrics batch of training losses at consecutive steps from `from`, and validation points. */
function batch(from: number, losses: number[], validation: [number, number][] = []): MetricsBatch {
  return {
    train: losses.map((loss, i) => ({ step: from + i, loss, gradNorm: 1, clippedNorm: 1, skipped: false, dhNorm: [], dcNorm: null })),
    validation: validation.map(([step, loss]) => ({ step, loss, metric: 1 / (1 + loss) })),
    stepsPerSecond: 100,
    stepsSubmitted: from + losses.length,
  };
}

/** Pixels of the chart's canvas that are not transparent (the canvas clears to transparent; the surface shows through). */
function paintedPixels(el: HTMLElement): number {
  const canvas = el.querySelector('canvas')!;
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
  return n;
}

describe('LossChart', () => {
  test('empty history: says so and paints nothing; after batches arrive it draws, without re-rendering React', async () => {
    const history = new RunHistory();
    const onRender = vi.fn();
    const el = await mount(
      <Profiler id="chart" onRender={onRender}>
        <LossChart history={history} scale="linear" />
      </Profiler>,
    );
    await frames();
    expect(el.querySelector('.chart-empty')!.textContent).toBe('No data yet');
    expect(paintedPixels(el)).toBe(0);
    const renders = onRender.mock.calls.length;

    for (let k = 0; k < 20; k++) {
      history.append(batch(k * 50, Array.from({ length: 50 }, (_, i) => 2 * Math.exp(-(k * 50 + i) / 300) + 0.1), [[k * 50 + 49, 2 * Math.exp(-(k * 50 + 49) / 300) + 0.2]]));
    }
    await frames();
    expect(paintedPixels(el)).toBeGreaterThan(500);
    expect(el.querySelector('.chart-empty')!.textContent).toBe('');
    expect(el.querySelectorAll('.chart-axis-y .tick').length).toBeGreaterThan(1);
    expect(el.querySelector('[role="img"]')!.getAttribute('aria-label')).toMatch(/^Loss: training loss \(smoothed\) 0\.\d+ at step 999; validation loss 0\.\d+ at step 999$/);
    expect(onRender.mock.calls.length).toBe(renders);
  });

  test('a single point draws; clearing the history empties the chart again', async () => {
    const history = new RunHistory();
    history.append(batch(0, [1.5], [[0, 1.6]]));
    const el = await mount(<LossChart history={history} scale="linear" />);
    await frames();
    expect(paintedPixels(el)).toBeGreaterThan(10);
    history.clear();
    await frames();
    expect(paintedPixels(el)).toBe(0);
  });

  test('log scale with zero, negative and non-finite losses: no error, the positive values are drawn', async () => {
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => errors.push(e.error);
    window.addEventListener('error', onError);
    try {
      const history = new RunHistory();
      history.append(batch(0, [0, -1, Number.NaN, Infinity, 0.5, 0.4, 0.3], [[3, 0], [6, -2]]));
      const el = await mount(<LossChart history={history} scale="log" />);
      await frames();
      expect(paintedPixels(el)).toBeGreaterThan(10);
      expect(el.querySelector('.chart-empty')!.textContent).toBe('');

      const none = new RunHistory();
      none.append(batch(0, [0, -1, Number.NaN]));
      await act(async () => mounted!.root.render(<LossChart history={none} scale="log" />));
      await frames();
      expect(el.querySelector('.chart-empty')!.textContent).toBe('No positive values to draw yet');
      expect(paintedPixels(el)).toBe(0);
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(errors).toEqual([]);
  });

  test('the Log scale toggle is a pressed-state button that asks for the other scale', async () => {
    const onScaleChange = vi.fn();
    const el = await mount(<LossChart history={new RunHistory()} scale="linear" onScaleChange={onScaleChange} />);
    const button = el.querySelector('button')!;
    expect(button.textContent).toBe('Log scale');
    expect(button.getAttribute('aria-pressed')).toBe('false');
    await act(async () => button.click());
    expect(onScaleChange).toHaveBeenCalledWith('log');
  });

  test('title={null} leaves the caption out for a page that titles the panel, and keeps the toggle', async () => {
    const el = await mount(<LossChart history={new RunHistory()} scale="log" onScaleChange={() => {}} title={null} />);
    expect(el.querySelector('figcaption')).toBeNull();
    expect(el.querySelector('button')!.getAttribute('aria-pressed')).toBe('true');
  });

  test('pointer over the plot: a readout of the nearest step and each curve\'s value; gone when the pointer leaves', async () => {
    const history = new RunHistory();
    history.append(batch(0, Array.from({ length: 101 }, (_, i) => 1 + i / 100), [[50, 3]]));
    const el = await mount(<LossChart history={history} scale="linear" />);
    await frames();
    const plot = el.querySelector<HTMLElement>('.chart-plot')!;
    const box = plot.getBoundingClientRect();
    // The plot area spans left margin 50 to right margin 14; its middle is step 50.
    const middle = box.left + 50 + (box.width - 64) / 2;
    plot.dispatchEvent(new PointerEvent('pointermove', { clientX: middle, clientY: box.top + 50, bubbles: true }));
    await frames();
    const lines = [...el.querySelectorAll('.chart-hover tspan')].map((t) => t.textContent);
    expect(lines[0]).toBe('step 50');
    expect(lines[1]).toMatch(/^training loss \(smoothed\) 1\.\d+$/);
    expect(lines[2]).toBe('validation loss 3');
    plot.dispatchEvent(new PointerEvent('pointerleave', { clientX: middle, clientY: box.top + 50 }));
    await frames();
    expect(el.querySelector('.chart-hover text')).toBeNull();
  });

  test('earlier runs are drawn behind and named in the legend', async () => {
    const history = new RunHistory();
    const ghost = { label: 'cell: rnn_tanh → lstm', train: { step: [0, 10, 20], value: [2, 1.5, 1.2] }, validation: { step: [20], value: [1.3] } };
    const el = await mount(<LossChart history={history} scale="linear" ghosts={[ghost]} />);
    await frames();
    expect(paintedPixels(el)).toBeGreaterThan(10);
    expect([...el.querySelectorAll('.chart-legend li')].map((li) => li.textContent)).toContain('Earlier: cell: rnn_tanh → lstm');
  });
});

describe('MetricChart', () => {
  test('validation metric with a dashed baseline line and its label', async () => {
    const history = new RunHistory();
    history.append(batch(0, [1, 0.9], [[0, 1], [1, 0.5]]));
    const el = await mount(<MetricChart history={history} name="accuracy" baseline={{ value: 0.25, label: 'chance' }} />);
    await frames();
    expect(paintedPixels(el)).toBeGreaterThan(10);
    expect(el.querySelector('.chart-baseline line')).not.toBeNull();
    expect(el.querySelector('.chart-baseline text')!.textContent).toBe('chance (0.25)');
    expect(getComputedStyle(el.querySelector('.chart-baseline line')!).strokeDasharray).not.toBe('none');
  });
});

describe('EquationsPanel', () => {
  /** The TeX sources KaTeX kept in its MathML annotations. */
  const texOf = (el: HTMLElement) => [...el.querySelectorAll('.equation annotation[encoding="application/x-tex"]')].map((a) => a.textContent);

  test.each([
    ['rnn_tanh', ['h_t = \\tanh']],
    ['rnn_relu', ['h_t = \\operatorname{ReLU}']],
    ['lstm', ['i_t = \\sigma', 'f_t = \\sigma', 'g_t = \\tanh', 'o_t = \\sigma', 'c_t = f_t \\odot c_{t-1} + i_t \\odot g_t', 'h_t = o_t \\odot \\tanh(c_t)']],
    ['gru', ['r_t = \\sigma', 'z_t = \\sigma', 'n_t = \\tanh', 'h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}']],
  ] as const)('%s: KaTeX renders every equation (HTML and MathML), no katex-error', async (cell, expected) => {
    const el = await mount(<EquationsPanel cell={cell} />);
    expect(el.querySelector('.katex-error')).toBeNull();
    expect(el.querySelectorAll('.equation .katex-html').length).toBe(expected.length);
    const tex = texOf(el);
    expected.forEach((start, i) => expect(tex[i]).toContain(start));
    expect(el.querySelector('.equations-prose')!.textContent!.length).toBeGreaterThan(100);
    // The KaTeX stylesheet is in force: its fonts are asked for.
    expect(getComputedStyle(el.querySelector('.katex')!).fontFamily).toContain('KaTeX_Main');
  });

  test('LSTM ladder with peepholes: the missing gate is gone, the peepholes are there, and the note says so', async () => {
    const el = await mount(<EquationsPanel cell="lstm" gates={{ input: true, forget: false, output: true }} peepholes />);
    const tex = texOf(el).join('\n');
    expect(tex).not.toContain('f_t');
    expect(tex).toContain('p_i \\odot c_{t-1}');
    expect(tex).toContain('p_o \\odot c_t');
    expect(el.textContent).toContain('Switched off');
    expect(el.querySelector('.katex-error')).toBeNull();
  });
});

describe('ShapeDiagram', () => {
  test.each(SEQUENCE_SHAPES.map((s) => [s]))('%s: an SVG with a title for screen readers, boxes and arrows', async (shape) => {
    const el = await mount(<ShapeDiagram shape={shape} />);
    const svg = el.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelector('title')!.textContent).toBe(`Sequence shape: ${shape}`);
    expect(svg.querySelectorAll('rect.box-hidden').length).toBeGreaterThanOrEqual(4);
    expect(svg.querySelectorAll('line.arrow').length).toBeGreaterThan(4);
    // Colours come from the theme.
    expect(getComputedStyle(svg.querySelector('rect.box-hidden')!).fill).not.toBe('rgb(0, 0, 0)');
  });
});
