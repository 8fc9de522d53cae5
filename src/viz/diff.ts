/**
 * A short label naming what differs between two runs' settings, for the loss chart's legend
 * of earlier runs: `describeDifferences({ cell: 'rnn_tanh', lr: 0.01 }, { cell: 'lstm', lr: 0.003 })`
 * is "cell: rnn_tanh → lstm, lr: 0.01 → 0.003". Settings are plain nested records of numbers,
 * strings, booleans and null; an undefined field counts as absent.
 */

/** A leaf value of a settings record. */
export type ConfigValue = number | string | boolean | null;

/** A plain settings object: nested records whose leaves are {@link ConfigValue}s. */
export interface ConfigRecord {
  readonly [key: string]: ConfigValue | ConfigRecord | undefined;
}

/** Options of {@link describeDifferences}. */
export interface DescribeOptions {
  /** At most this many differences are named; the rest are counted ("+2 more"). Default 3. */
  maxItems?: number;
}

/** What the label says when nothing differs. */
export const NO_DIFFERENCE = 'same settings';

/** The leaves of a record by path (keys joined with "."), in key order; throws on values that are not settings. */
export function flattenConfig(config: ConfigRecord, prefix: string[] = [], out = new Map<string, ConfigValue>()): Map<string, ConfigValue> {
  for (const [key, value] of Object.entries(config)) {
    const path = [...prefix, key];
    if (value === undefined) continue;
    if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
      out.set(path.join('.'), value);
    } else if (typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
      flattenConfig(value, path, out);
    } else {
      const kind = Array.isArray(value) ? 'an array' : typeof value;
      throw new TypeError(`describeDifferences: "${path.join('.')}" is ${kind}; settings must be numbers, strings, booleans, null or plain records`);
    }
  }
  return out;
}

/** A value as the label shows it: numbers with at most 4 significant digits, booleans as on/off, null and absent as "none". */
export function formatValue(value: ConfigValue | undefined): string {
  if (value === undefined || value === null) return 'none';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return value;
}

/** Equal settings: ===, except that NaN equals NaN. */
function sameValue(x: ConfigValue | undefined, y: ConfigValue | undefined): boolean {
  return x === y || (Number.isNaN(x) && Number.isNaN(y));
}

/**
 * The shortest dotted suffix of `path` that no other path in `all` ends with, so
 * "model.cell" reads "cell" unless another setting is also called "cell".
 */
function shortName(path: string, all: Iterable<string>): string {
  const parts = path.split('.');
  const others = [...all].filter((p) => p !== path);
  for (let n = 1; n < parts.length; n++) {
    const suffix = parts.slice(-n).join('.');
    if (!others.some((p) => p === suffix || p.endsWith(`.${suffix}`))) return suffix;
  }
  return path;
}

/**
 * "name: before → after" for each setting that differs, joined by ", ", in the order the
 * settings appear (before's first, then those only after has); {@link NO_DIFFERENCE} when none.
 */
export function describeDifferences(before: ConfigRecord, after: ConfigRecord, options: DescribeOptions = {}): string {
  const maxItems = options.maxItems ?? 3;
  if (!Number.isInteger(maxItems) || maxItems < 1) throw new RangeError(`describeDifferences: maxItems must be a positive integer, got ${maxItems}`);
  const a = flattenConfig(before);
  const b = flattenConfig(after);
  const paths = new Set([...a.keys(), ...b.keys()]);
  const changed = [...paths].filter((p) => !sameValue(a.get(p), b.get(p)));
  if (changed.length === 0) return NO_DIFFERENCE;
  const items = changed
    .slice(0, maxItems)
    .map((p) => `${shortName(p, paths)}: ${formatValue(a.get(p))} → ${formatValue(b.get(p))}`);
  const rest = changed.length - items.length;
  return rest > 0 ? `${items.join(', ')} +${rest} more` : items.join(', ');
}
