/**
 * docs/links.md carries the schema table and the lessons gallery generated from
 * src/share/schema.ts and src/share/lessons.ts; this test fails when they drift apart.
 * UPDATE_DOCS=1 rewrites the generated blocks (between the `<!-- generated: … -->` markers).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { LESSONS, contrastHash, lessonHash } from '../../src/share/lessons.ts';
import { SCHEMA, defaultState, sameData, stateRows, type RowValue, type SchemaRow } from '../../src/share/schema.ts';
import { TASKS } from '../../src/tasks/index.ts';

const DOC = 'docs/links.md';

/** A value as a link writes it, in code font. */
function shown(row: SchemaRow, v: RowValue): string {
  if (v === null) return `\`${(row as { nullWord?: string }).nullWord}\``;
  if (typeof v === 'boolean') return v ? '`1`' : '`0`';
  return v === '' ? '(empty)' : `\`${v}\``;
}

/** What a row allows, in words. */
function allowed(row: SchemaRow): string {
  switch (row.type) {
    case 'int':
    case 'number':
      return `${row.type === 'int' ? 'whole number' : 'number'} ${row.min} to ${row.max}${row.nullWord ? `, or \`${row.nullWord}\`` : ''}`;
    case 'boolean':
      return '`1` or `0`';
    case 'enum':
      return row.values.map((v) => `\`${v}\``).join(', ');
    case 'string':
      return `text, at most ${row.maxLength.toLocaleString('en-US')} characters`;
  }
}

/** The schema table as markdown. */
function schemaTable(): string {
  const lines = ['| key | type | allowed | default | where in the state | only when |', '|---|---|---|---|---|---|'];
  for (const row of SCHEMA) lines.push(`| \`${row.key}\` | ${row.type} | ${allowed(row)} | ${shown(row, row.default)} | \`${row.where}\` | ${row.when ?? ''} |`);
  return lines.join('\n');
}

/** Each task's defaults that differ from the table's default column, as `key=value` lists. */
function presets(): string {
  return TASKS.map((task) => {
    const s = defaultState(task.info.id);
    const differ = stateRows(s).filter((row) => row.key !== 't' && !sameData(row.get(s), row.default));
    return `- \`${task.info.id}\`: ${differ.map((row) => `\`${row.key}=${formatted(row, row.get(s) as RowValue)}\``).join(', ') || 'the table\'s defaults'}`;
  }).join('\n');
}

/** A value as written in a link. */
function formatted(row: SchemaRow, v: RowValue): string {
  if (v === null) return (row as { nullWord?: string }).nullWord!;
  return typeof v === 'boolean' ? (v ? '1' : '0') : String(v);
}

/** The lessons gallery as markdown, with relative links. */
function gallery(): string {
  return LESSONS.map((l) => {
    const contrast = l.contrast ? `; [${l.contrast.label}](#${contrastHash(l)})` : '';
    return `### ${l.title}\n\n${l.text}\n\n*Look at:* ${l.lookAt}\n\n[Open the lesson](#${lessonHash(l)})${contrast}. Lectures: ${l.lectures.map((f) => `\`${f}\``).join(', ')}.`;
  }).join('\n\n');
}

/** Replaces (or checks) the block between a generated marker and its end. */
function block(doc: string, name: string, body: string): string {
  const start = `<!-- generated: ${name} -->`;
  const end = `<!-- end: ${name} -->`;
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  expect(i, `${DOC} has the ${start} marker`).toBeGreaterThanOrEqual(0);
  expect(j, `${DOC} has the ${end} marker`).toBeGreaterThan(i);
  return `${doc.slice(0, i + start.length)}\n${body}\n${doc.slice(j)}`;
}

test('docs/links.md holds the schema table and the lessons gallery as the code has them', () => {
  const doc = readFileSync(DOC, 'utf8');
  const generated = block(block(block(doc, 'schema', schemaTable()), 'presets', presets()), 'lessons', gallery());
  if (process.env.UPDATE_DOCS) writeFileSync(DOC, generated);
  else expect(doc).toBe(generated);
});
