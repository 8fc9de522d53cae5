/** A task's sequence shape as a small SVG: inputs at the bottom, hidden states with recurrent arrows, outputs on top. */
import { useId } from 'react';
import type { SequenceShape } from '../../tasks/types.ts';
import { shapeLayout } from '../../viz/sequenceShapes.ts';
import '../theme.css';
import './charts.css';

/** Props of {@link ShapeDiagram}. */
export interface ShapeDiagramProps {
  shape: SequenceShape;
  /** CSS pixels per diagram unit (default 1.2; a box is 24 units wide), the same for every shape so they compare. */
  scale?: number;
  /** Show the shape's name under the diagram (default true). */
  caption?: boolean;
}

/** Box classes by kind (a fed decoder input is an input box drawn dashed and hollow). */
const BOX_CLASS = { input: 'box-input', hidden: 'box-hidden', output: 'box-output', fed: 'box-input box-fed' } as const;

/** The diagram, with a <title> and <desc> naming the shape for screen readers. */
export function ShapeDiagram({ shape, scale = 1.2, caption = true }: ShapeDiagramProps) {
  const layout = shapeLayout(shape);
  const id = useId();
  const captionH = caption ? 14 : 0;
  const height = layout.height + captionH;
  return (
    <svg
      className="shape-diagram"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      viewBox={`0 0 ${layout.width} ${height}`}
      width={layout.width * scale}
      height={height * scale}
      data-shape={shape}
    >
      <title id={`${id}-title`}>{`Sequence shape: ${shape}`}</title>
      <desc id={`${id}-desc`}>{layout.description}</desc>
      <defs>
        <marker id={`${id}-head`} viewBox="0 0 6 6" refX="5" refY="3" markerWidth="5" markerHeight="5" orient="auto-start-reverse">
          <path className="arrow-head" d="M0,0 L6,3 L0,6 z" />
        </marker>
      </defs>
      {layout.arrows.map((a, i) => (
        <line key={i} className={`arrow arrow-${a.kind}`} x1={a.x1} y1={a.y1} x2={a.x2} y2={a.y2} markerEnd={`url(#${id}-head)`} />
      ))}
      {layout.boxes.map((b, i) => (
        <rect key={i} className={BOX_CLASS[b.kind]} x={b.x} y={b.y} width={b.w} height={b.h} rx={3} />
      ))}
      {caption && (
        <text className="caption" x={layout.width / 2} y={height - 3} textAnchor="middle">
          {shape}
        </text>
      )}
    </svg>
  );
}
