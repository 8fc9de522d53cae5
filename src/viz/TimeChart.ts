/**
 * A live chart of values over training steps, framework-free: a canvas draws the curves
 * (downsampled per pixel column from min/max pyramids kept as the series grow, so a redraw
 * of a run of millions of steps costs O(width · log n)), an SVG on
 * top holds the d3 axes, the baseline and the "no data" note, crisp at any devicePixelRatio.
 * The chart reads its layers' series at draw time; `requestDraw` coalesces redraws into one
 * requestAnimationFrame, and a ResizeObserver redraws when the container changes size. The
 * React components in src/ui/charts are thin wrappers around it.
 */
import { axisBottom, axisLeft, format, select, type NumberValue, type ScaleContinuousNumeric, type Selection } from 'd3';
import { finite, finitePositive, MinMaxPyramid, nearestIndex, Smoother, type Drawable, type PointList, type Series } from './series.ts';
import { stepExtent, stepScale, valueExtent, valueScale, valueTicks, type AxisScale } from './scales.ts';

/** One curve on the chart. */
export interface ChartLayer {
  /** The data, read at every draw (it may grow between draws). */
  series: Series;
  /** A CSS colour, or a custom property of the container such as `--color-train`. */
  color: string;
  /** A line through the points, or the points as dots joined by a thin line. */
  kind: 'line' | 'points';
  /** Points only: join the dots with a thin line (default true). */
  joined?: boolean;
  /** Short name for the chart's accessible summary; unnamed layers are left out of it. */
  label?: string;
  /** Line width in CSS pixels (default 1.5). */
  width?: number;
  /** Opacity in [0, 1] (default 1). */
  alpha?: number;
  /** Dash pattern in CSS pixels (default solid). */
  dash?: number[];
  /** Draw the exponential moving average with this weight in [0, 1) instead of the raw values. */
  smoothing?: number;
}

/** A horizontal reference line, such as a task's trivial baseline. */
export interface ChartBaseline {
  value: number;
  label: string;
}

/** Margins around the plot area, in CSS pixels, leaving room for the axes. */
const MARGIN = { top: 10, right: 14, bottom: 24, left: 50 };

/** SVG namespace. */
const SVG = 'http://www.w3.org/2000/svg';

/** Reads a colour: a custom property of `el` when it starts with "--", else the string itself. */
function resolveColor(el: Element, color: string): string {
  if (!color.startsWith('--')) return color;
  const value = getComputedStyle(el).getPropertyValue(color).trim();
  if (!value) throw new Error(`TimeChart: the CSS variable ${color} is not defined here; import src/ui/theme.css`);
  return value;
}

/** A number for the accessible summary and the baseline: 3 significant digits. */
const short = format('.3~g');
/** Step tick labels: 0, 500, 1k, 1.5k (each tick picks its own SI prefix). */
const stepFormat = (v: NumberValue) => format('~s')(v);
/** Value tick labels: up to 3 significant digits, no trailing zeros. */
const valueFormat = (v: NumberValue) => format('.3~g')(v);

/** A live chart of step-indexed series in a container element. */
export class TimeChart {
  private readonly canvas: HTMLCanvasElement;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly resizeObserver: ResizeObserver;
  private readonly darkQuery: MediaQueryList;
  private layers: ChartLayer[] = [];
  private scale: AxisScale = 'linear';
  private baseline: ChartBaseline | null = null;
  private frame = 0;
  /** The pointer's x in CSS pixels over the container, or null when it is not over the chart. */
  private pointerX: number | null = null;
  private readonly smoothers = new WeakMap<Series, Smoother>();
  /** Per drawn series (raw or smoothed), its min/max pyramid for the current kind of axis. */
  private readonly pyramids = new WeakMap<Series, MinMaxPyramid>();

  /**
   * Builds the canvas and SVG inside `container` (which must be sized by its CSS and get
   * `position: relative` here). `title` starts the accessible summary, e.g. "Loss".
   */
  constructor(
    private readonly container: HTMLElement,
    private readonly title: string,
  ) {
    container.style.position = 'relative';
    container.setAttribute('role', 'img');
    this.canvas = document.createElement('canvas');
    this.canvas.setAttribute('aria-hidden', 'true');
    this.canvas.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;display:block';
    const svgEl = document.createElementNS(SVG, 'svg');
    svgEl.setAttribute('aria-hidden', 'true');
    svgEl.style.cssText = 'position:absolute;inset:0;width:100%;height:100%;overflow:visible;pointer-events:none';
    container.append(this.canvas, svgEl);
    this.svg = select(svgEl);
    this.svg.append('g').attr('class', 'chart-axis chart-axis-x');
    this.svg.append('g').attr('class', 'chart-axis chart-axis-y');
    this.svg.append('g').attr('class', 'chart-baseline');
    this.svg.append('text').attr('class', 'chart-empty').attr('text-anchor', 'middle');
    this.svg.append('g').attr('class', 'chart-hover');
    container.addEventListener('pointermove', this.onPointer);
    container.addEventListener('pointerleave', this.onPointer);
    this.resizeObserver = new ResizeObserver(() => this.requestDraw());
    this.resizeObserver.observe(container);
    this.darkQuery = matchMedia('(prefers-color-scheme: dark)');
    this.darkQuery.addEventListener('change', this.requestDraw);
    this.requestDraw();
  }

  /** Replaces the curves (drawn in order, so later layers lie on top). */
  setLayers(layers: ChartLayer[]): void {
    this.layers = layers;
    this.requestDraw();
  }

  /** Switches the value axis between linear and log. */
  setScale(scale: AxisScale): void {
    this.scale = scale;
    this.requestDraw();
  }

  /** Sets or removes the dashed reference line. */
  setBaseline(baseline: ChartBaseline | null): void {
    this.baseline = baseline;
    this.requestDraw();
  }

  /** Schedules one redraw on the next animation frame (many calls before it make one draw). */
  readonly requestDraw = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  };

  /** Stops observing and removes what the chart added to the container. */
  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resizeObserver.disconnect();
    this.darkQuery.removeEventListener('change', this.requestDraw);
    this.container.removeEventListener('pointermove', this.onPointer);
    this.container.removeEventListener('pointerleave', this.onPointer);
    this.canvas.remove();
    this.svg.remove();
  }

  /** The layer's points as drawn: smoothed if asked. */
  private source(layer: ChartLayer): Series {
    if (layer.smoothing === undefined) return layer.series;
    let smoother = this.smoothers.get(layer.series);
    if (!smoother || smoother.weight !== layer.smoothing) {
      smoother = new Smoother(layer.smoothing);
      this.smoothers.set(layer.series, smoother);
    }
    return smoother.update(layer.series);
  }

  /** The series' pyramid for this kind of axis, brought up to date. */
  private pyramid(s: Series, drawable: Drawable): MinMaxPyramid {
    let p = this.pyramids.get(s);
    if (!p || p.drawable !== drawable) {
      p = new MinMaxPyramid(drawable);
      this.pyramids.set(s, p);
    }
    p.update(s);
    return p;
  }

  /** Draws now: fits the scales to the data, then the curves, axes and baseline. */
  draw(): void {
    const { clientWidth: width, clientHeight: height } = this.container;
    const dpr = window.devicePixelRatio || 1;
    // Resizing reallocates the canvas: only when the size changed.
    const [w, h] = [Math.max(1, Math.round(width * dpr)), Math.max(1, Math.round(height * dpr))];
    if (this.canvas.width !== w) this.canvas.width = w;
    if (this.canvas.height !== h) this.canvas.height = h;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('TimeChart: the browser gave no 2D canvas context');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const plotW = Math.max(1, width - MARGIN.left - MARGIN.right);
    const plotH = Math.max(1, height - MARGIN.top - MARGIN.bottom);
    const drawable = this.scale === 'log' ? finitePositive : finite;

    const sources = this.layers.map((layer) => this.source(layer));
    const steps = stepExtent(sources);
    const x = steps && stepScale(steps, [MARGIN.left, MARGIN.left + plotW]);
    // Downsample against x, then fit y to what survives: M4 keeps every column's extremes, so the extent is exact.
    const points = x ? sources.map((s) => this.pyramid(s, drawable).downsample((step) => x(step) - MARGIN.left, plotW)) : [];
    const extra = this.baseline ? [this.baseline.value] : [];
    const values = x ? valueExtent(points, drawable, extra) : null;
    const y = values && points.some((p) => p.step.length > 0) ? valueScale(this.scale, values, [MARGIN.top + plotH, MARGIN.top]) : null;

    this.drawAxes(x, y, width, height);
    this.drawEmptyNote(x ? (y ? null : `No ${this.scale === 'log' ? 'positive ' : ''}values to draw yet`) : 'No data yet', width, height);
    this.drawBaseline(y, width);
    this.drawHover(x, y, sources, drawable, width);
    if (!x || !y) return this.describe();

    ctx.save();
    ctx.beginPath();
    ctx.rect(MARGIN.left, MARGIN.top, plotW, plotH);
    ctx.clip();
    this.layers.forEach((layer, i) => this.drawLayer(ctx, layer, points[i], x, y));
    ctx.restore();
    this.describe();
  }

  /** One layer's downsampled points as a line, or as dots joined by a faint line. */
  private drawLayer(ctx: CanvasRenderingContext2D, layer: ChartLayer, p: PointList, x: ScaleContinuousNumeric<number, number>, y: ScaleContinuousNumeric<number, number>): void {
    const n = p.step.length;
    if (n === 0) return;
    ctx.globalAlpha = layer.alpha ?? 1;
    ctx.strokeStyle = ctx.fillStyle = resolveColor(this.container, layer.color);
    ctx.lineWidth = layer.width ?? 1.5;
    ctx.lineJoin = 'round';
    ctx.setLineDash(layer.dash ?? []);
    if (layer.kind === 'line' || layer.joined !== false) {
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        if (i === 0) ctx.moveTo(x(p.step[i]), y(p.value[i]));
        else ctx.lineTo(x(p.step[i]), y(p.value[i]));
      }
      if (layer.kind === 'points') ctx.lineWidth = Math.min(1, ctx.lineWidth);
      ctx.stroke();
    }
    // A line through one point is invisible: draw the point.
    if (layer.kind === 'points' || n === 1) {
      const r = Math.max(1.5, (layer.width ?? 1.5) + 0.5);
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        const cx = x(p.step[i]);
        const cy = y(p.value[i]);
        ctx.moveTo(cx + r, cy);
        ctx.arc(cx, cy, r, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    ctx.setLineDash([]);
  }

  /** The d3 axes in the SVG overlay (removed while there is nothing to scale). */
  private drawAxes(x: ScaleContinuousNumeric<number, number> | null, y: ScaleContinuousNumeric<number, number> | null, width: number, height: number): void {
    const gx = this.svg.select<SVGGElement>('.chart-axis-x');
    const gy = this.svg.select<SVGGElement>('.chart-axis-y');
    if (!x || !y) {
      gx.selectAll('*').remove();
      gy.selectAll('*').remove();
      return;
    }
    const xTicks = Math.max(2, Math.floor((width - MARGIN.left - MARGIN.right) / 60));
    const yTicks = Math.max(2, Math.floor((height - MARGIN.top - MARGIN.bottom) / 40));
    gx.attr('transform', `translate(0,${height - MARGIN.bottom})`).call(axisBottom(x).ticks(xTicks).tickFormat(stepFormat).tickSizeOuter(0));
    const yAxis = axisLeft(y)
      .tickValues(valueTicks(this.scale, y, yTicks))
      .tickFormat(valueFormat)
      .tickSizeOuter(0)
      .tickSizeInner(-(width - MARGIN.left - MARGIN.right));
    gy.attr('transform', `translate(${MARGIN.left},0)`).call(yAxis);
  }

  /** Follows the pointer for the hover readout. */
  private readonly onPointer = (e: PointerEvent): void => {
    this.pointerX = e.type === 'pointerleave' ? null : e.clientX - this.container.getBoundingClientRect().left;
    this.requestDraw();
  };

  /**
   * The readout under the pointer: a vertical rule at the nearest step, a dot on each named
   * layer's nearest drawable point, and their values, placed on the side with more room.
   */
  private drawHover(
    x: ScaleContinuousNumeric<number, number> | null,
    y: ScaleContinuousNumeric<number, number> | null,
    sources: Series[],
    drawable: Drawable,
    width: number,
  ): void {
    const g = this.svg.select('.chart-hover');
    g.selectAll('*').remove();
    const px = this.pointerX;
    if (!x || !y || px === null || px < MARGIN.left || px > width - MARGIN.right) return;
    const step = x.invert(px);
    const lines: { text: string; color: string }[] = [];
    const dots: { cx: number; cy: number; color: string }[] = [];
    let ruleStep: number | null = null;
    this.layers.forEach((layer, i) => {
      if (!layer.label) return;
      const s = sources[i];
      const k = nearestIndex(s.step, step);
      if (k < 0 || !drawable(s.value[k])) return;
      const color = resolveColor(this.container, layer.color);
      ruleStep ??= s.step[k];
      dots.push({ cx: x(s.step[k]), cy: y(s.value[k]), color });
      lines.push({ text: `${layer.label} ${short(s.value[k])}${s.step[k] !== ruleStep ? ` (step ${s.step[k]})` : ''}`, color });
    });
    if (ruleStep === null) return;
    const rx = x(ruleStep);
    const [top, bottom] = y.range().slice().sort((a, b) => a - b);
    g.append('line').attr('x1', rx).attr('x2', rx).attr('y1', top).attr('y2', bottom);
    for (const d of dots) g.append('circle').attr('cx', d.cx).attr('cy', d.cy).attr('r', 3.5).style('fill', d.color);
    const right = rx < width / 2;
    const text = g
      .append('text')
      .attr('x', right ? rx + 8 : rx - 8)
      .attr('y', top + 12)
      .attr('text-anchor', right ? 'start' : 'end');
    text.append('tspan').attr('class', 'chart-hover-step').text(`step ${ruleStep}`);
    for (const l of lines) text.append('tspan').attr('x', right ? rx + 8 : rx - 8).attr('dy', 14).style('fill', l.color).text(l.text);
  }

  /** The centred note shown while nothing can be drawn, or none. */
  private drawEmptyNote(text: string | null, width: number, height: number): void {
    this.svg
      .select('.chart-empty')
      .attr('x', width / 2)
      .attr('y', height / 2)
      .text(text ?? '');
  }

  /** The dashed reference line with its label at the right end, when set and on the scale. */
  private drawBaseline(y: ScaleContinuousNumeric<number, number> | null, width: number): void {
    const g = this.svg.select('.chart-baseline');
    g.selectAll('*').remove();
    const b = this.baseline;
    if (!b || !y || (this.scale === 'log' && !(b.value > 0))) return;
    const yy = y(b.value);
    g.append('line').attr('x1', MARGIN.left).attr('x2', width - MARGIN.right).attr('y1', yy).attr('y2', yy);
    g.append('text')
      .attr('x', width - MARGIN.right - 4)
      .attr('y', yy - 4)
      .attr('text-anchor', 'end')
      .text(`${b.label} (${short(b.value)})`);
  }

  /** Updates the container's accessible name: the title and each named layer's latest value. */
  private describe(): void {
    const parts = this.layers
      .filter((l) => l.label)
      .map((l) => {
        const n = l.series.value.length;
        return n ? `${l.label} ${short(l.series.value[n - 1])} at step ${l.series.step[n - 1]}` : `${l.label}: no data`;
      });
    if (this.baseline) parts.push(`${this.baseline.label} ${short(this.baseline.value)}`);
    this.container.setAttribute('aria-label', `${this.title}${parts.length ? `: ${parts.join('; ')}` : ''}`);
  }
}
