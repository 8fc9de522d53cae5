/** The task's sequence shape as a small diagram (src/ui/charts/ShapeDiagram.tsx). */
import type { SequenceShape } from '../../tasks/index.ts';
import { ShapeDiagram } from '../charts/ShapeDiagram.tsx';

/** Props of {@link ShapeSlot}. */
export interface ShapeSlotProps {
  shape: SequenceShape;
  /** CSS pixels per diagram unit (a box is 24 units wide). */
  scale: number;
  /** Show the shape's name under it. */
  caption?: boolean;
}

/** The diagram in a frame the panels size. */
export function ShapeSlot({ shape, scale, caption = true }: ShapeSlotProps) {
  return (
    <figure className="shape-slot">
      <ShapeDiagram shape={shape} scale={scale} caption={caption} />
    </figure>
  );
}
