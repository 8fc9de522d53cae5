/**
 * Jordan output feedback in the unrolled graph (lectures 000 and 001: the previous output
 * y_{t-1} enters h_t through W_hy): a curved edge from the output above step t-1 down to the
 * cell at t, with an arrowhead, drawn apart from the straight recurrent edges. Backward, it
 * is coloured by the gradient it carries back, ‖dL/dh_{t-1} through y_{t-1}‖. With teacher
 * forcing the target y*_{t-1} is fed: the edge is dashed and carries no gradient.
 */
import { formatNumber, stepLabel } from './format.ts';
import type { GraphFeedback } from './graphLayout.ts';
import './feedback.css';

/** Props of {@link FeedbackEdges}. */
export interface FeedbackEdgesProps {
  feedback: GraphFeedback;
  /** The steps t whose edge y_{t-1} → h_t is drawn. */
  steps: readonly number[];
  /** Centre x of step t's column. */
  cx: (t: number) => number;
  /** Distance between neighbouring columns. */
  step: number;
  /** y of the outputs' row. */
  yOut: number;
  /** y of the cells' row. */
  yCell: number;
  /** Side of a cell's square. */
  node: number;
  /** Backward view: (T) the gradient along the edge leaving y_t, ‖dL/dh_t through the feedback‖; absent forward. */
  norms?: Float64Array;
  /** The stroke for a gradient (the graph's own edge scale). */
  edge: (v: number) => { stroke: string; strokeWidth: number };
  /** Where the one-line caption ends (right-aligned). */
  caption: { x: number; y: number };
}

/** The feedback edges and their caption. */
export function FeedbackEdges({ feedback, steps, cx, step, yOut, yCell, node, norms, edge, caption }: FeedbackEdgesProps) {
  const forced = feedback.teacherForcing;
  const fed = forced ? 'y*' : 'y';
  return (
    <g className={`nv-feedback${forced ? ' nv-feedback-forced' : ''}`}>
      <text className="nv-caption" x={caption.x} y={caption.y} textAnchor="end">
        {forced ? '⤵ dashed: target y*_(t−1) fed back (teacher forced, no gradient)' : '⤵ y_(t−1) fed back into h_t through W_hy'}
      </text>
      {steps.map((t) => {
        const v = norms?.[t - 1];
        // From the output above t-1, leaving to the right, into the cell at t from its upper left.
        const [x0, y0] = [cx(t - 1) + 4, yOut + 3];
        const [x1, y1] = [cx(t) - node / 2 - 1, yCell - node / 2 - 1];
        const [c1x, c1y] = [x0 + step * 0.55, yOut + 2];
        const [c2x, c2y] = [x1 - step * 0.3, y1 - (y1 - yOut) * 0.35];
        const style = v !== undefined && !forced ? edge(v) : undefined;
        const angle = Math.atan2(y1 - c2y, x1 - c2x);
        const head = (da: number) => `${x1 - 6 * Math.cos(angle + da)},${y1 - 6 * Math.sin(angle + da)}`;
        const title = `${fed}_${stepLabel(t - 1)} fed into h_${stepLabel(t)}${forced ? ' (teacher forced: no gradient flows back)' : v !== undefined ? `: ‖dL/dh_${stepLabel(t - 1)} through it‖ = ${formatNumber(v)}` : ' through W_hy'}`;
        return (
          <g key={t} data-testid="graph-feedback-edge" data-t={t} data-forced={forced} data-value={forced ? undefined : v}>
            <path className="nv-feedback-edge" d={`M${x0},${y0} C${c1x},${c1y} ${c2x},${c2y} ${x1},${y1}`} {...(style && { stroke: style.stroke, strokeWidth: style.strokeWidth })}>
              <title>{title}</title>
            </path>
            <polygon className="nv-feedback-head" points={`${x1},${y1} ${head(0.45)} ${head(-0.45)}`} {...(style && { fill: style.stroke })} />
          </g>
        );
      })}
    </g>
  );
}
