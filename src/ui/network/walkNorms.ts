/** Per-step norms of a BPTT walk, and its shape, in the form the unrolled graph reads them. */
import type { BpttWalk } from '../../engine/bpttWalk.ts';
import { vectorNorm } from './format.ts';
import type { GraphShape } from './graphLayout.ts';

/** Per (layer, direction), index layer * D + dir, a (T) array of norms. */
export type RowNorms = Float64Array[];

/** What the unrolled graph colours: node norms, and the gradient along the edges (backward view). */
export interface GraphNorms {
  /** ‖h_t‖ (forward view) or ‖dL/dh_t‖ (backward view). */
  nodes: RowNorms;
  /** Backward view: ‖dL/dh_t arriving from the next processed step‖, the recurrent edge into t. */
  recurrent?: RowNorms;
  /** Backward view: ‖dL/dh_t arriving from the output or the layer above‖, the edge from above into t. */
  fromOutput?: RowNorms;
  /** Backward view, output feedback: (T) ‖dL/dh_t arriving through y_t fed into step t+1‖, the feedback edge y_t → h_{t+1}. */
  feedback?: Float64Array;
}

/** The norm of each (T, H) buffer's rows. */
function rowNorms(buf: Float64Array, T: number, H: number): Float64Array {
  return Float64Array.from({ length: T }, (_, t) => vectorNorm(buf, t * H, H));
}

/** The graph's norms for a walk: ‖h_t‖ forward; ‖dL/dh_t‖ and its two sources backward. */
export function walkGraphNorms(walk: BpttWalk, view: 'forward' | 'backward'): GraphNorms {
  const { T, hiddenSize: H } = walk;
  if (view === 'forward') return { nodes: walk.dirs.map((w) => rowNorms(w.h, T, H)) };
  return {
    nodes: walk.dirs.map((w) => rowNorms(w.dh, T, H)),
    recurrent: walk.dirs.map((w) => rowNorms(w.fromNext, T, H)),
    fromOutput: walk.dirs.map((w) => rowNorms(w.fromOutput, T, H)),
    ...(walk.dirs[0].feedback ? { feedback: rowNorms(walk.dirs[0].feedback.fromFeedback, T, H) } : {}),
  };
}

/** The graph's shape for a walk: layers, directions, T, output mode, window, and its output feedback. */
export function walkGraphShape(walk: BpttWalk): GraphShape {
  const fb = walk.dirs[0].feedback;
  const shape: GraphShape = { layers: walk.numLayers, bidirectional: walk.D === 2, T: walk.T, outputMode: walk.outputMode, window: walk.window };
  return fb ? { ...shape, feedback: { teacherForcing: fb.teacherForcing, recurrent: fb.recurrent } } : shape;
}
