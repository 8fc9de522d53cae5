/**
 * How far each output's error reaches back: ‖dℓ_t/dh_k‖ for output t (rows) and step k
 * (columns), for one (layer, direction) of the walked example, on a log colour scale over
 * six decades. A unidirectional layer gives a lower triangle; its fading away from the
 * diagonal is the vanishing gradient (lectures 002, 003), and a window cuts it off. Grey:
 * no gradient reaches that step from that output.
 */
import { useMemo } from 'react';
import type { OutputReach } from '../../engine/outputReach.ts';
import { logMagnitudeColor, MISSING } from './colors.ts';
import { Heatmap } from './Heatmap.tsx';

/** Props of {@link ReachTriangle}. */
export interface ReachTriangleProps {
  reach: OutputReach;
  /** (layer, direction) shown: layer · D + dir. */
  row: number;
  /** Input at each step, for the hover read-out. */
  labels?: readonly string[];
  /** Width available, in pixels. */
  width: number;
}

/** Decades of the colour scale below the largest norm. */
const DECADES = 6;

/** The triangle heatmap. */
export function ReachTriangle({ reach, row, labels, width }: ReachTriangleProps) {
  const { rows, T } = reach;
  const norms = reach.norms[row];
  const colorOf = useMemo(() => {
    let hi = 0;
    for (const v of norms) if (Number.isFinite(v)) hi = Math.max(hi, v);
    const scale = logMagnitudeColor(hi, DECADES);
    return (v: number) => (v === 0 ? MISSING : scale(v));
  }, [norms]);
  const cell = Math.max(2, Math.min(14, Math.floor((width - 90) / T)));
  return (
    <figure className="nv-reach" data-testid="reach-triangle">
      <figcaption className="chart-title">
        ‖dℓ_t/dh_k‖ of this example: how far each output’s error reaches back (output t down, step k across; log scale over {DECADES} decades; grey: none)
      </figcaption>
      <Heatmap
        name=""
        T={T}
        H={rows}
        value={(k, r) => norms[r * T + k]}
        colorOf={colorOf}
        cellW={cell}
        cellH={rows === 1 ? 14 : cell}
        labels={labels}
        pinnedUnit={null}
        onPin={() => {}}
        rowName={rows === 1 ? 'output at the last step' : 'output'}
      />
    </figure>
  );
}
