/** The task's sequence shape as a small diagram (the components engineer's ShapeDiagram goes here when it lands). */
import type { SequenceShape } from '../../tasks/index.ts';

/** Props of {@link ShapeSlot}. */
export interface ShapeSlotProps {
  shape: SequenceShape;
}

/** SLOT: a labelled placeholder until src/ui/charts/ShapeDiagram.tsx exists. */
export function ShapeSlot({ shape }: ShapeSlotProps) {
  return (
    <figure className="shape-slot" data-slot="ShapeDiagram">
      <figcaption>{shape}</figcaption>
    </figure>
  );
}
