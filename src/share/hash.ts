/**
 * The state in a URL hash, `v=1&t=adding&t.T=100&c=rnn_tanh&vw.gradients=1`, written and
 * read through the schema table (schema.ts).
 *
 * Encoding writes the version and the task, then in table order only the rows whose value differs from
 * what the decoder would hold at that point (the task's default state, changed by the rows
 * before), so links stay short and a key's meaning never depends on what comes after it.
 *
 * Decoding is total: it never throws and always returns a state that validates. Unknown
 * keys are ignored; a value of the wrong type, out of range or not allowed is replaced by
 * its default and named in `notices`. Keys are only looked up in a Map and compared with
 * the table's, so `__proto__` or `constructor` are unknown keys like any other. Values are
 * plain strings, numbers and booleans: nothing is evaluated, and text values (pasted
 * training text) come back as the text given, for the page to render as text. Notices
 * quote a value only when it is short and made of letters, digits and `.+-_`.
 */
import { LINK_VERSION, SCHEMA, TASK_ROW, VERSION_ROW, defaultState, rowProblem, sameData, stateRows, validateState, type RowValue, type SchemaRow, type ShareState } from './schema.ts';

/** Longest hash decoded, in UTF-16 units; a longer one gets one notice and the defaults. */
export const MAX_HASH_LENGTH = 64 * 1024;

/** A state whose link would be longer than decodeHash reads; the message is for the user. */
export class LinkTooLongError extends Error {
  override name = 'LinkTooLongError';
}

/** What decoding a hash gives: a valid state, and one line per key that was not used as given. */
export interface DecodedHash {
  state: ShareState;
  notices: string[];
}

/** A row's value as written in a link (before percent-encoding). */
function formatValue(row: SchemaRow, v: RowValue): string {
  if (v === null) return (row as { nullWord?: string }).nullWord ?? 'null';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/**
 * The hash of a state, without the leading `#`: `v` and `t` first, then each row that differs
 * from the task's default, in table order. Throws LinkTooLongError when the link would be
 * over MAX_HASH_LENGTH (long pasted text), and an Error when the state does not validate (a
 * caller's bug: states from the page and from `decodeHash` always do).
 */
export function encodeHash(s: ShareState): string {
  const problems = validateState(s);
  if (problems.length > 0) throw new Error(`encodeHash: the state is not valid: ${problems.join('; ')}`);
  const parts = [`${VERSION_ROW.key}=${LINK_VERSION}`];
  // The task comes first, always (a link should not depend on which task a build opens with), and brings its own defaults.
  parts.push(`${TASK_ROW.key}=${encodeURIComponent(s.config.task.id)}`);
  const draft = defaultState(s.config.task.id);
  for (const row of stateRows(s)) {
    if (row === TASK_ROW) continue;
    const v = row.get(s) as RowValue;
    if (sameData(v, row.get(draft))) continue;
    row.set(draft, v);
    parts.push(`${encodeURIComponent(row.key)}=${encodeURIComponent(formatValue(row, v))}`);
  }
  const hash = parts.join('&');
  if (hash.length > MAX_HASH_LENGTH) {
    throw new LinkTooLongError(`This link would be ${hash.length.toLocaleString('en-US')} characters long; links hold at most ${MAX_HASH_LENGTH.toLocaleString('en-US')}. Pasted text is the usual cause: share a shorter text.`);
  }
  return hash;
}

/** A number as links write it: decimal, optionally signed, with an optional exponent. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Percent-decodes, or null when the text is not valid percent-encoded UTF-8. */
function percentDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** A value fit to quote in a notice, or a neutral description of it. */
function quote(text: string): string {
  return /^[\w.+-]{1,24}$/.test(text) ? `"${text}"` : `the value given (${text.length} characters)`;
}

/** Parses a link's text for a row: the value, or why not. */
function parseValue(row: SchemaRow, text: string): { value: RowValue } | { problem: string } {
  let value: unknown = text;
  if (row.type === 'int' || row.type === 'number') {
    if (row.nullWord !== undefined && text === row.nullWord) value = null;
    else if (NUMBER.test(text)) value = Number(text) + 0; // + 0 turns -0 into 0
    else return { problem: 'is not a number' };
  } else if (row.type === 'boolean') {
    if (text === '1' || text === 'true') value = true;
    else if (text === '0' || text === 'false') value = false;
  }
  const problem = rowProblem(row, value);
  return problem ? { problem } : { value: value as RowValue };
}

/** The task's default state, with a notice when a hash cannot be read at all. */
function defaults(notice?: string): DecodedHash {
  return { state: defaultState(), notices: notice ? [notice] : [] };
}

/** Reads a hash (with or without the leading `#`) into a valid state; never throws. */
export function decodeHash(hash: string): DecodedHash {
  if (typeof hash !== 'string') return defaults('the link is not text; showing the defaults');
  const body = hash.startsWith('#') ? hash.slice(1) : hash;
  if (body.length > MAX_HASH_LENGTH) return defaults(`the link is ${body.length} characters long, more than the ${MAX_HASH_LENGTH} this page reads; showing the defaults`);

  const notices: string[] = [];
  const given = new Map<string, string>();
  for (const part of body.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = percentDecode(eq < 0 ? part : part.slice(0, eq));
    if (key === null) continue; // not a key this page writes
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    if (given.has(key)) {
      if (SCHEMA.some((r) => r.key === key)) notices.push(`${key}: given more than once; the first is used`);
      continue;
    }
    given.set(key, raw);
  }

  /** The row's value from the link, or undefined (with a notice when the link had one that does not fit). */
  const read = (row: SchemaRow): RowValue | undefined => {
    const raw = given.get(row.key);
    if (raw === undefined) return undefined;
    const text = percentDecode(raw);
    const parsed = text === null ? { problem: 'is not valid percent-encoding' } : parseValue(row, text);
    if ('value' in parsed) return parsed.value;
    notices.push(`${row.key}: ${text === null ? 'the value given' : quote(text)} ${parsed.problem}; using ${formatValue(row, row.default)}`);
    return undefined;
  };

  read(VERSION_ROW); // version 1 is the only one; this notes any other
  const taskId = read(TASK_ROW);
  const state = defaultState(typeof taskId === 'string' ? taskId : undefined);

  for (const row of SCHEMA) {
    if (row === VERSION_ROW || row === TASK_ROW || !given.has(row.key)) continue;
    if (row.task !== undefined && row.task !== state.config.task.id) continue; // another task's setting of the same key, or none
    if (row.applies && !row.applies(state)) {
      notices.push(`${row.key}: does not apply to this ${row.task ? 'task' : 'model or training setup'}; ignored`);
      continue;
    }
    const v = read(row);
    if (v !== undefined) row.set(state, v);
  }
  return { state, notices };
}
