/** A small (rows, cols) matrix as a diverging heatmap on a canvas, e.g. one step's ΔW_hh. */
import { useEffect, useRef } from 'react';
import { maxAbsFinite, rgbBytes, signedColor } from './colors.ts';

/** Props of {@link MatrixHeatmap}. */
export interface MatrixHeatmapProps {
  /** Row-major values. */
  values: Float64Array;
  rows: number;
  cols: number;
  /** Caption, e.g. "ΔW_hh". */
  label: string;
  /** The box it fits in, in pixels (cells need not be square). */
  size?: number;
}

/** The matrix, red negative, blue positive, scaled to its largest |v|. */
export function MatrixHeatmap({ values, rows, cols, label, size = 120 }: MatrixHeatmapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cw = Math.max(1, Math.floor(size / cols));
  const ch = Math.max(1, Math.floor(size / rows));
  useEffect(() => {
    const color = signedColor(maxAbsFinite(values));
    const img = new ImageData(cols, rows);
    for (let i = 0; i < rows * cols; i++) {
      const [r, g, b] = rgbBytes(color(values[i]));
      img.data.set([r, g, b, 255], i * 4);
    }
    const src = document.createElement('canvas');
    src.width = cols;
    src.height = rows;
    src.getContext('2d')!.putImageData(img, 0, 0);
    const ctx = ref.current!.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(src, 0, 0, cols * cw, rows * ch);
  }, [values, rows, cols, cw, ch]);
  return (
    <figure className="nv-matrix">
      <canvas ref={ref} width={cols * cw} height={rows * ch} aria-label={`${label}, ${rows} × ${cols}`} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
