/**
 * A minimap of all T steps with a d3 brush that selects the visible range. d3 owns the brush's
 * DOM (behind a ref, set up in an effect and torn down in its cleanup); React owns the strip.
 */
import { brushX, scaleLinear, select, type BrushBehavior, type D3BrushEvent } from 'd3';
import { useEffect, useRef } from 'react';

/** Props of {@link StepBrush}. */
export interface StepBrushProps {
  /** Number of steps. */
  T: number;
  /** Visible range [start, end) of steps. */
  range: readonly [number, number];
  /** Called with the new range (whole steps, at least one) while the brush moves. */
  onChange: (range: [number, number]) => void;
  /** Left edge and width of the strip, in the parent SVG's units. */
  x: number;
  width: number;
  /** Top of the strip and its height. */
  y: number;
  height: number;
  /** Colour of each step's cell in the strip (e.g. its largest norm), or none. */
  stepColor?: (t: number) => string;
}

/** The strip, its step cells and the brush. */
export function StepBrush({ T, range, onChange, x, width, y, height, stepColor }: StepBrushProps) {
  const ref = useRef<SVGGElement>(null);
  const brushRef = useRef<BrushBehavior<unknown> | null>(null);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  });
  const scale = scaleLinear().domain([0, T]).range([0, width]);

  useEffect(() => {
    const g = select(ref.current!);
    const sx = scaleLinear().domain([0, T]).range([0, width]);
    const brush = brushX<unknown>()
      .extent([
        [0, 0],
        [width, height],
      ])
      .on('brush end', (event: D3BrushEvent<unknown>) => {
        if (!event.sourceEvent || !event.selection) return; // moves made by code below, or a cleared brush
        const [a, b] = event.selection as [number, number];
        const start = Math.max(0, Math.min(T - 1, Math.round(sx.invert(a))));
        const end = Math.max(start + 1, Math.min(T, Math.round(sx.invert(b))));
        onChangeRef.current([start, end]);
      });
    g.call(brush);
    brushRef.current = brush;
    return () => {
      brush.on('brush end', null);
      brushRef.current = null;
      g.selectAll('*').remove();
    };
  }, [T, width, height]);

  // Keep the brush where the range is (a change from props, or snapping to whole steps).
  const [start, end] = range;
  useEffect(() => {
    if (brushRef.current) select(ref.current!).call(brushRef.current.move, [scale(start), scale(end)]);
  });

  return (
    <g className="nv-brush" transform={`translate(${x},${y})`} data-testid="step-brush">
      {stepColor &&
        Array.from({ length: T }, (_, t) => (
          <rect key={t} x={scale(t)} y={0} width={Math.max(scale(t + 1) - scale(t), 0.5)} height={height} fill={stepColor(t)} />
        ))}
      <rect className="nv-brush-frame" x={0} y={0} width={width} height={height} />
      <g ref={ref} />
    </g>
  );
}
