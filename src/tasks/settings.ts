/**
 * Task settings: one table of specs per task (key, default, range, one-line help) that
 * drives the UI's controls and the URL schema, and one function that checks values
 * against it.
 */

/** What every setting has. */
interface SettingBase {
  /** Stable key, used in URLs. */
  key: string;
  label: string;
  /** One line for the UI. */
  help: string;
}

/** A number in [min, max]; an integer when `integer`. */
export interface NumberSetting extends SettingBase {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  /** Slider step. */
  step: number;
  integer: boolean;
}

/** One of a few named options. */
export interface ChoiceSetting extends SettingBase {
  kind: 'choice';
  default: string;
  options: readonly { value: string; label: string }[];
}

/** Free text (e.g. pasted training text), at most maxLength UTF-16 units. */
export interface TextSetting extends SettingBase {
  kind: 'text';
  default: string;
  maxLength: number;
}

/** Any task setting. */
export type SettingSpec = NumberSetting | ChoiceSetting | TextSetting;

/** A setting's value. */
export type SettingValue = number | string;

/** Setting values by key. */
export type TaskSettings = Readonly<Record<string, SettingValue>>;

/** A problem with a task's settings or data, worded for the user. */
export class TaskError extends Error {
  override name = 'TaskError';
}

/** An integer setting. */
export function integerSetting(key: string, label: string, def: number, min: number, max: number, help: string): NumberSetting {
  return { kind: 'number', key, label, help, default: def, min, max, step: 1, integer: true };
}

/**
 * Fills in defaults and checks every value against its spec: numbers finite, in range and
 * integral where asked; choices among the options; text not too long; no unknown keys.
 */
export function resolveSettings(specs: readonly SettingSpec[], given: Partial<TaskSettings>): TaskSettings {
  const known = new Set(specs.map((s) => s.key));
  for (const key of Object.keys(given)) if (!known.has(key)) throw new TaskError(`unknown setting "${key}"`);
  const out: Record<string, SettingValue> = {};
  for (const spec of specs) {
    const v = given[spec.key] ?? spec.default;
    if (spec.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TaskError(`${spec.label} must be a number`);
      if (spec.integer && !Number.isInteger(v)) throw new TaskError(`${spec.label} must be a whole number, not ${v}`);
      if (v < spec.min || v > spec.max) throw new TaskError(`${spec.label} must be between ${spec.min} and ${spec.max}, not ${v}`);
    } else if (spec.kind === 'choice') {
      if (!spec.options.some((o) => o.value === v)) {
        throw new TaskError(`${spec.label} must be one of ${spec.options.map((o) => o.value).join(', ')}, not "${v}"`);
      }
    } else {
      if (typeof v !== 'string') throw new TaskError(`${spec.label} must be text`);
      if (v.length > spec.maxLength) throw new TaskError(`${spec.label} is ${v.length} characters long; the most is ${spec.maxLength}`);
    }
    out[spec.key] = v;
  }
  return out;
}

/** A resolved number setting. */
export function numberOf(settings: TaskSettings, key: string): number {
  const v = settings[key];
  if (typeof v !== 'number') throw new TaskError(`setting "${key}" is not a number`);
  return v;
}

/** A resolved choice or text setting; T narrows a choice to its options (resolveSettings checked them). */
export function textOf<T extends string = string>(settings: TaskSettings, key: string): T {
  const v = settings[key];
  if (typeof v !== 'string') throw new TaskError(`setting "${key}" is not text`);
  return v as T;
}
