/**
 * One units × time heatmap: the cells drawn on a <canvas> (one pixel per value, scaled up
 * without smoothing), axes, hover and the pinned unit in an SVG overlay.
 */
import { scaleLinear } from 'd3';
import { useEffect, useRef, useState } from 'react';
import { rgbBytes } from './colors.ts';
import { formatNumber, stepLabel } from './format.ts';

/** Props of {@link Heatmap}. */
export interface HeatmapProps {
  /** Name shown above it and in data-gate, e.g. "f" or "h". */
  name: string;
  /** Steps (columns) and units (rows). */
  T: number;
  H: number;
  /** The value of unit j at step t. */
  value: (t: number, j: number) => number;
  /** The colour of a value. */
  colorOf: (v: number) => string;
  /** Pixels per step and per unit. */
  cellW: number;
  cellH: number;
  /** The input symbol read at each step, shown on hover. */
  labels?: readonly string[];
  /** The unit outlined in every heatmap. */
  pinnedUnit: number | null;
  /** Called with the clicked unit. */
  onPin: (unit: number) => void;
  /** What a row is called in the hover read-out (default "unit"). */
  rowName?: string;
}

const LEFT = 34;
const BOTTOM = 18;

/** The heatmap with its axes and hover read-out. */
export function Heatmap({ name, T, H, value, colorOf, cellW, cellH, labels, pinnedUnit, onPin, rowName = 'unit' }: HeatmapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ t: number; j: number } | null>(null);
  const w = T * cellW;
  const h = H * cellH;

  useEffect(() => {
    const img = new ImageData(T, H);
    const bytes = new Map<string, [number, number, number]>(); // a scale yields few distinct colours: parse each once
    for (let j = 0; j < H; j++)
      for (let t = 0; t < T; t++) {
        const css = colorOf(value(t, j));
        let rgb = bytes.get(css);
        if (!rgb) bytes.set(css, (rgb = rgbBytes(css)));
        const [r, g, b] = rgb;
        const o = (j * T + t) * 4;
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    const src = document.createElement('canvas');
    src.width = T;
    src.height = H;
    src.getContext('2d')!.putImageData(img, 0, 0);
    const ctx = canvas.current!.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(src, 0, 0, w, h);
  }, [T, H, value, colorOf, w, h]);

  const tx = scaleLinear().domain([0, T]).range([0, w]);
  const timeTicks = tx.ticks(Math.max(2, Math.floor(w / 60))).filter((t) => Number.isInteger(t) && t < T);
  const unitTicks = scaleLinear().domain([0, H]).ticks(Math.max(2, Math.floor(h / 24))).filter((j) => Number.isInteger(j) && j < H);
  const at = (e: React.MouseEvent<SVGRectElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const t = Math.floor(((e.clientX - box.left) / box.width) * T);
    const j = Math.floor(((e.clientY - box.top) / box.height) * H);
    return t >= 0 && t < T && j >= 0 && j < H ? { t, j } : null;
  };
  const v = hover && value(hover.t, hover.j);

  return (
    <figure className="nv-heatmap" data-testid="heatmap" data-gate={name}>
      <figcaption>
        <b>{name}</b>{' '}
        {hover ? (
          <span data-testid="heatmap-hover" data-t={hover.t} data-unit={hover.j} data-value={v!}>
            {rowName} {hover.j}, t = {stepLabel(hover.t)}
            {labels?.[hover.t] !== undefined ? ` (input ${JSON.stringify(labels[hover.t])})` : ''}: {formatNumber(v!)}
          </span>
        ) : null}
      </figcaption>
      <div className="nv-heatmap-box" style={{ width: LEFT + w + 4, height: h + BOTTOM }}>
        <canvas ref={canvas} width={w} height={h} style={{ left: LEFT }} />
        <svg width={LEFT + w + 4} height={h + BOTTOM}>
          <g transform={`translate(${LEFT},0)`}>
            {timeTicks.map((t) => (
              <text key={t} className="nv-axis" x={tx(t) + cellW / 2} y={h + 13} textAnchor="middle">
                {stepLabel(t)}
              </text>
            ))}
            {unitTicks.map((j) => (
              <text key={j} className="nv-axis" x={-4} y={j * cellH + cellH / 2 + 3} textAnchor="end">
                {j}
              </text>
            ))}
            {pinnedUnit !== null && pinnedUnit < H && <rect className="nv-pin" x={-1} y={pinnedUnit * cellH - 1} width={w + 2} height={cellH + 2} data-testid="heatmap-pin" />}
            {hover && <rect className="nv-hover" x={hover.t * cellW} y={hover.j * cellH} width={cellW} height={cellH} />}
            <rect
              className="nv-hit"
              width={w}
              height={h}
              onPointerMove={(e) => setHover(at(e))}
              onPointerLeave={() => setHover(null)}
              onClick={(e) => {
                const p = at(e);
                if (p) onPin(p.j);
              }}
            />
          </g>
        </svg>
      </div>
    </figure>
  );
}
