/** fast-check arbitraries for link states, derived from the schema table (src/share/schema.ts). */
import fc from 'fast-check';
import { SCHEMA, TASK_ROW, VERSION_ROW, defaultState, type RowValue, type SchemaRow, type ShareState } from '../../src/share/schema.ts';
import { TASKS } from '../../src/tasks/index.ts';

/** Any value a row allows. Text is well-formed Unicode of any plane, short (a link is capped). */
export function rowValue(row: SchemaRow): fc.Arbitrary<RowValue> {
  switch (row.type) {
    case 'int': {
      const n = fc.integer({ min: row.min, max: row.max });
      return row.nullWord ? fc.oneof(n, fc.constant(null)) : n;
    }
    case 'number': {
      const n = fc.oneof(fc.double({ min: row.min, max: row.max, noNaN: true }), fc.constantFrom(row.min, row.max));
      return row.nullWord ? fc.oneof(n, fc.constant(null)) : n;
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...row.values);
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: Math.min(row.maxLength, 40) });
  }
}

const rows = SCHEMA.filter((r) => r !== VERSION_ROW && r !== TASK_ROW);

/**
 * Any valid state: a task, then one drawn value per row, applied in table order to the task's
 * default state and skipped where the row does not apply (as the decoder does).
 */
export const validState: fc.Arbitrary<ShareState> = fc
  .tuple(fc.constantFrom(...TASKS.map((t) => t.info.id)), fc.tuple(...rows.map(rowValue)))
  .map(([taskId, values]) => {
    const s = defaultState(taskId);
    rows.forEach((row, i) => {
      if (row.task !== undefined && row.task !== taskId) return;
      if (!row.applies || row.applies(s)) row.set(s, values[i]);
    });
    return s;
  });
