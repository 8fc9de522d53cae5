/** The sequence-shape diagrams: the right boxes for each pattern, inside the view, no arrow through a box. */
import { describe, expect, test } from 'vitest';
import { SEQUENCE_SHAPES } from '../../src/tasks/types.ts';
import { shapeLayout, type Arrow, type Box } from '../../src/viz/sequenceShapes.ts';

/** Columns holding boxes of a kind. */
const columns = (boxes: Box[], kind: Box['kind']) => boxes.filter((b) => b.kind === kind).map((b) => b.t);

/** Whether the segment passes through the box's interior (sampled finely; the boxes are 16+ units). */
function crosses(a: Arrow, b: Box): boolean {
  for (let k = 0; k <= 200; k++) {
    const x = a.x1 + ((a.x2 - a.x1) * k) / 200;
    const y = a.y1 + ((a.y2 - a.y1) * k) / 200;
    if (x > b.x + 0.5 && x < b.x + b.w - 0.5 && y > b.y + 0.5 && y < b.y + b.h - 0.5) return true;
  }
  return false;
}

describe('shapeLayout', () => {
  test('one-to-many: one input, an output at every step', () => {
    const { boxes } = shapeLayout('one-to-many');
    expect(columns(boxes, 'input')).toEqual([0]);
    expect(columns(boxes, 'output')).toEqual([0, 1, 2, 3]);
  });

  test('many-to-one: an input at every step, one output at the last', () => {
    const { boxes } = shapeLayout('many-to-one');
    expect(columns(boxes, 'input')).toEqual([0, 1, 2, 3]);
    expect(columns(boxes, 'output')).toEqual([3]);
  });

  test('delayed: the outputs start after the first inputs; seq2seq: outputs only after the last input, decoder fed', () => {
    const delayed = shapeLayout('many-to-many (delayed)').boxes;
    expect(Math.min(...columns(delayed, 'output'))).toBeGreaterThan(Math.min(...columns(delayed, 'input')));
    const s2s = shapeLayout('seq2seq').boxes;
    expect(Math.min(...columns(s2s, 'output'))).toBeGreaterThan(Math.max(...columns(s2s, 'input')));
    expect(columns(s2s, 'fed')).toEqual(columns(s2s, 'output'));
  });

  test('bidirectional: two hidden rows, recurrent arrows in both directions', () => {
    const { boxes, arrows } = shapeLayout('bidirectional');
    expect(columns(boxes, 'hidden')).toHaveLength(8);
    const recurrent = arrows.filter((a) => a.kind === 'recurrent');
    expect(recurrent.filter((a) => a.x2 > a.x1)).toHaveLength(3);
    expect(recurrent.filter((a) => a.x2 < a.x1)).toHaveLength(3);
  });

  test.each(SEQUENCE_SHAPES.map((s) => [s]))('%s: boxes inside the view and apart, no arrow through a box, a description', (shape) => {
    const { boxes, arrows, width, height, description } = shapeLayout(shape);
    expect(description.length).toBeGreaterThan(10);
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(width);
      expect(b.y + b.h).toBeLessThanOrEqual(height);
    }
    boxes.forEach((a, i) =>
      boxes.slice(i + 1).forEach((b) => {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        expect(apart, `${a.kind}@${a.t} overlaps ${b.kind}@${b.t}`).toBe(true);
      }),
    );
    for (const a of arrows) for (const b of boxes) expect(crosses(a, b), `arrow ${JSON.stringify(a)} crosses ${b.kind}@${b.t}`).toBe(false);
    // Every hidden state after the first receives a recurrent arrow; every output an arrow from below.
    expect(arrows.filter((a) => a.kind === 'up').length).toBeGreaterThanOrEqual(columns(boxes, 'output').length + columns(boxes, 'input').length);
  });
});
