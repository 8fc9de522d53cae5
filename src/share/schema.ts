/**
 * The link's schema: ONE table of every setting a shared link carries (key, type, range or
 * allowed values, default, where it lives in the state), read by the hash encoder and
 * decoder (hash.ts), the lessons (lessons.ts), the docs (docs/links.md) and the tests.
 *
 * The state a link describes is a whole run (the TrainerConfig: task and its settings, seed,
 * architecture, initialization, training), the backend choice, which views are open, and
 * which panels an embedded page hides. Task settings are not listed by hand: each task's
 * `info.settings` specs become rows keyed `t.<key>`, read only when that task is chosen.
 *
 * Rows are applied in table order, so a row may depend on the rows before it (`applies`):
 * the LSTM's gate switches only exist for an LSTM, the threshold only when clipping is on.
 * Defaults depend on the task (`defaultState(taskId)`: the row's default, then the task's
 * preset, configs that train it in docs/trainer.md).
 */
import { MAX_LAYERS } from '../engine/checkpoint.ts';
import { CELL_TYPES, FULL_LSTM, INIT_SCHEMES } from '../engine/model.ts';
import { OPTIMIZER_KINDS } from '../engine/optimizer.ts';
import { outputFeedbackNeeds, TASKS, type SettingSpec, type SettingValue, type Task } from '../tasks/index.ts';
import type { TrainerConfig } from '../train/config.ts';

/** The version key's value this build writes and reads. */
export const LINK_VERSION = 1;

/** Panels a view switch opens or closes. */
export const VIEW_NAMES = ['loss', 'output', 'equations', 'network', 'gradients', 'heatmaps'] as const;
/** A view. */
export type ViewName = (typeof VIEW_NAMES)[number];

/** Parts of the page an embedded link (slides, iframes) may hide. */
export const EMBED_PANELS = ['header', 'settings', 'controls', 'lessons'] as const;
/** A hideable panel. */
export type EmbedPanel = (typeof EMBED_PANELS)[number];

/** Where training runs: WebGPU when the browser has it (`auto`), or the CPU reference. */
export const BACKEND_CHOICES = ['auto', 'cpu'] as const;
/** A backend choice. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Everything a link describes. */
export interface ShareState {
  config: TrainerConfig;
  backend: BackendChoice;
  /** Open (true) or closed views. */
  views: Record<ViewName, boolean>;
  /** Panels hidden (true) in embed mode. */
  embed: Record<EmbedPanel, boolean>;
}

/** A value as a row reads and writes it; null only for rows with a `nullWord`. */
export type RowValue = number | boolean | string | null;

/** What every row has. */
interface RowBase {
  /** The key in the link: short, stable, URL-safe. */
  key: string;
  /** Where the value lives in the state, for the docs. */
  where: string;
  /** The value in the default state (a task's preset may differ; see `defaultState`). */
  default: RowValue;
  /** When the row is part of the state (given the rows before it); absent: always. */
  applies?: (s: ShareState) => boolean;
  /** `applies` in words, for the docs. */
  when?: string;
  /** For task setting rows: the task whose settings the row belongs to. */
  task?: string;
  /** The value in the state (undefined when its field is absent). */
  get(s: ShareState): RowValue | undefined;
  /** Writes the value into the state. */
  set(s: ShareState, v: RowValue): void;
}

/** A whole number in [min, max], or null written as `nullWord` when given. */
export interface IntRow extends RowBase {
  type: 'int';
  min: number;
  max: number;
  nullWord?: string;
}

/** A finite number in [min, max]. */
export interface NumberRow extends RowBase {
  type: 'number';
  min: number;
  max: number;
  nullWord?: string;
}

/** true or false, written 1 or 0. */
export interface BooleanRow extends RowBase {
  type: 'boolean';
}

/** One of a few names. */
export interface EnumRow extends RowBase {
  type: 'enum';
  values: readonly string[];
}

/** Free text of at most maxLength UTF-16 units, kept as inert text. */
export interface StringRow extends RowBase {
  type: 'string';
  maxLength: number;
}

/** A row of the schema table. */
export type SchemaRow = IntRow | NumberRow | BooleanRow | EnumRow | StringRow;

type Model = TrainerConfig['model'];
type Optimizer = TrainerConfig['training']['optimizer'];

/** The task a state chooses (the registry's entry). */
export function stateTask(s: ShareState): Task {
  const task = TASKS.find((t) => t.info.id === s.config.task.id);
  if (!task) throw new RangeError(`unknown task "${s.config.task.id}"`);
  return task;
}

/** The input encoding a state's task settings choose, when the task has one. */
function encodingOf(s: ShareState): unknown {
  return s.config.task.settings.encoding;
}

/** Rows of the recurrent tasks only: the encoder-decoder trains with full BPTT, from zero, without dropout. */
const recurrentTask = (s: ShareState) => stateTask(s).kind === 'recurrent';
const RECURRENT_ONLY = 'a recurrent task (the encoder-decoder trains with full BPTT, from zero, without dropout)';

/** The LSTM's variants; the encoder-decoder trains the standard LSTM only. */
const isLstm = (s: ShareState) => s.config.model.cell === 'lstm' && recurrentTask(s);
const LSTM_ONLY = 'c=lstm, a recurrent task (the encoder-decoder trains the standard LSTM)';

/** Rows of the encoder-decoder (seq2seq) only. */
const encoderDecoder = (s: ShareState) => stateTask(s).kind === 'encoder-decoder';

type Schedule = NonNullable<TrainerConfig['training']['teacherForcing']>;

/** A schedule of a kind with the rows' default numbers (teacher forcing throughout, r = 1, for `constant`). */
function schedule(kind: Schedule['kind']): Schedule {
  if (kind === 'linear') return { kind, start: 1, end: 0, steps: 1000 };
  if (kind === 'inverse_sigmoid') return { kind, k: 100 };
  return { kind: 'constant', ratio: 1 };
}

/** Read and write one number of the teacher-forcing schedule, when it is of `kind`. */
function scheduleField(kind: Schedule['kind'], name: string) {
  const of = (s: ShareState) => s.config.training.teacherForcing as unknown as Record<string, number>;
  return {
    where: `config.training.teacherForcing.${name}`,
    applies: (s: ShareState) => s.config.training.teacherForcing?.kind === kind,
    when: `tf=${kind}`,
    get: (s: ShareState) => (s.config.training.teacherForcing?.kind === kind ? of(s)[name] : undefined),
    set: (s: ShareState, v: RowValue) => void (of(s)[name] = v as number),
  };
}

/**
 * Whether Jordan output feedback is possible: an rnn cell, one layer, unidirectional, a
 * head at every step, features or one-hot input (no embedding). See src/engine/jordan.ts.
 */
function feedbackPossible(s: ShareState): boolean {
  return outputFeedbackNeeds(stateTask(s), s.config.model, encodingOf(s) === 'embedding').length === 0;
}

/** Which clipping is on, from the optimizer's two fields. */
function clipMode(o: Optimizer): 'none' | 'norm' | 'value' {
  if (o.clipNorm !== null) return 'norm';
  return o.clipValue != null ? 'value' : 'none';
}

/** Read and write one field of an object the state holds. */
function field<T extends object>(where: string, of: (s: ShareState) => T, name: keyof T & string) {
  return {
    where: `${where}.${name}`,
    get: (s: ShareState) => of(s)[name] as RowValue,
    set: (s: ShareState, v: RowValue) => {
      (of(s) as Record<string, unknown>)[name] = v;
    },
  };
}

const model = (s: ShareState) => s.config.model;
const training = (s: ShareState) => s.config.training;
const optimizer = (s: ShareState) => s.config.training.optimizer;
const gates = (s: ShareState) => s.config.model.lstm!.gates;

/** Rows for the run itself, in the order they apply. */
const RUN_ROWS: SchemaRow[] = [
  { key: 's', type: 'int', min: 0, max: 2 ** 32 - 1, default: 7, ...field('config', (s) => s.config, 'seed') },
  { key: 'be', type: 'enum', values: BACKEND_CHOICES, default: 'auto', ...field('', (s) => s, 'backend'), where: 'backend' },
  // Model
  {
    key: 'c', type: 'enum', values: CELL_TYPES, default: 'lstm', ...field('config.model', model, 'cell'),
    set: (s, v) => {
      const m = s.config.model;
      m.cell = v as Model['cell'];
      // The LSTM options exist exactly when the cell is an LSTM (the standard LSTM until switched).
      if (m.cell === 'lstm' && !m.lstm) m.lstm = structuredClone(FULL_LSTM);
      if (m.cell !== 'lstm') delete m.lstm;
    },
  },
  { key: 'h', type: 'int', min: 1, max: 512, default: 16, ...field('config.model', model, 'hiddenSize') },
  { key: 'l', type: 'int', min: 1, max: MAX_LAYERS, default: 1, ...field('config.model', model, 'numLayers') },
  {
    key: 'bi', type: 'boolean', default: false, ...field('config.model', model, 'bidirectional'),
    applies: (s) => stateTask(s).info.bidirectional !== 'forbidden', when: 'the task allows a bidirectional model',
  },
  { key: 'e', type: 'int', min: 1, max: 256, default: 16, ...field('config.model', model, 'embeddingSize') },
  { key: 'gi', type: 'boolean', default: true, applies: isLstm, when: LSTM_ONLY, where: 'config.model.lstm.gates.input', get: (s) => s.config.model.lstm?.gates.input, set: (s, v) => void (gates(s).input = v as boolean) },
  { key: 'gf', type: 'boolean', default: true, applies: isLstm, when: LSTM_ONLY, where: 'config.model.lstm.gates.forget', get: (s) => s.config.model.lstm?.gates.forget, set: (s, v) => void (gates(s).forget = v as boolean) },
  { key: 'go', type: 'boolean', default: true, applies: isLstm, when: LSTM_ONLY, where: 'config.model.lstm.gates.output', get: (s) => s.config.model.lstm?.gates.output, set: (s, v) => void (gates(s).output = v as boolean) },
  { key: 'pp', type: 'boolean', default: false, applies: isLstm, when: LSTM_ONLY, where: 'config.model.lstm.peepholes', get: (s) => s.config.model.lstm?.peepholes, set: (s, v) => void (s.config.model.lstm!.peepholes = v as boolean) },
  {
    key: 'fb', type: 'boolean', default: false, applies: feedbackPossible, when: 'rnn_tanh or rnn_relu, 1 layer, unidirectional, no embedding, a recurrent task with an output per step', where: 'config.model.outputFeedback (present or not)',
    get: (s) => s.config.model.outputFeedback !== undefined,
    set: (s, v) => {
      if (v) s.config.model.outputFeedback ??= { teacherForcing: false, recurrent: true };
      else delete s.config.model.outputFeedback;
    },
  },
  {
    key: 'fbt', type: 'boolean', default: false, applies: (s) => s.config.model.outputFeedback !== undefined, when: 'fb=1', where: 'config.model.outputFeedback.teacherForcing',
    get: (s) => s.config.model.outputFeedback?.teacherForcing, set: (s, v) => void (s.config.model.outputFeedback!.teacherForcing = v as boolean),
  },
  {
    key: 'fbr', type: 'boolean', default: true, applies: (s) => s.config.model.outputFeedback !== undefined, when: 'fb=1', where: 'config.model.outputFeedback.recurrent',
    get: (s) => s.config.model.outputFeedback?.recurrent, set: (s, v) => void (s.config.model.outputFeedback!.recurrent = v as boolean),
  },
  // Initialization
  { key: 'in', type: 'enum', values: INIT_SCHEMES, default: 'pytorch', ...field('config.init', (s) => s.config.init, 'scheme') },
  { key: 'f1', type: 'boolean', default: false, ...field('config.init', (s) => s.config.init, 'forgetBiasOne') },
  // Optimizer
  { key: 'o', type: 'enum', values: OPTIMIZER_KINDS, default: 'adam', ...field('config.training.optimizer', optimizer, 'kind') },
  { key: 'lr', type: 'number', min: 0, max: 1000, default: 0.01, ...field('config.training.optimizer', optimizer, 'lr') },
  { key: 'mu', type: 'number', min: 0, max: 0.999, default: 0.9, ...field('config.training.optimizer', optimizer, 'momentum') },
  { key: 'al', type: 'number', min: 0, max: 0.9999, default: 0.99, ...field('config.training.optimizer', optimizer, 'alpha') },
  { key: 'b1', type: 'number', min: 0, max: 0.9999, default: 0.9, ...field('config.training.optimizer', optimizer, 'beta1') },
  { key: 'b2', type: 'number', min: 0, max: 0.99999, default: 0.999, ...field('config.training.optimizer', optimizer, 'beta2') },
  { key: 'eps', type: 'number', min: 0, max: 1, default: 1e-8, ...field('config.training.optimizer', optimizer, 'eps') },
  { key: 'wd', type: 'number', min: 0, max: 1, default: 0, ...field('config.training.optimizer', optimizer, 'weightDecay') },
  {
    key: 'cl', type: 'enum', values: ['none', 'norm', 'value'], default: 'norm', where: 'config.training.optimizer.clipNorm / clipValue (which is set)',
    get: (s) => clipMode(optimizer(s)),
    set: (s, v) => {
      const o = optimizer(s);
      const threshold = o.clipNorm ?? o.clipValue ?? 1;
      o.clipNorm = v === 'norm' ? threshold : null;
      o.clipValue = v === 'value' ? threshold : null;
    },
  },
  {
    key: 'ct', type: 'number', min: 0, max: 1000, default: 1, where: 'config.training.optimizer.clipNorm or clipValue',
    applies: (s) => clipMode(optimizer(s)) !== 'none', when: 'cl is norm or value',
    get: (s) => optimizer(s).clipNorm ?? optimizer(s).clipValue ?? undefined,
    set: (s, v) => {
      const o = optimizer(s);
      if (clipMode(o) === 'norm') o.clipNorm = v as number;
      else o.clipValue = v as number;
    },
  },
  // Training
  { key: 'bs', type: 'int', min: 1, max: 1024, default: 32, ...field('config.training', training, 'batchSize') },
  { key: 'win', type: 'int', min: 1, max: 1000, nullWord: 'full', default: null, ...field('config.training', training, 'window'), applies: recurrentTask, when: RECURRENT_ONLY },
  { key: 'sf', type: 'boolean', default: false, ...field('config.training', training, 'stateful'), applies: recurrentTask, when: RECURRENT_ONLY },
  { key: 'dp', type: 'number', min: 0, max: 0.9, default: 0, ...field('config.training', training, 'dropout'), applies: recurrentTask, when: RECURRENT_ONLY },
  { key: 'ev', type: 'int', min: 0, max: 100_000, default: 20, ...field('config.training', training, 'evalEvery') },
  // Teacher forcing (encoder-decoder tasks): the ratio r by step, constant or scheduled (src/train/config.ts)
  {
    key: 'tf', type: 'enum', values: ['constant', 'linear', 'inverse_sigmoid'], default: 'constant', applies: encoderDecoder, when: 'an encoder-decoder task (seq2seq)', where: 'config.training.teacherForcing.kind',
    get: (s) => s.config.training.teacherForcing?.kind,
    set: (s, v) => {
      if (s.config.training.teacherForcing?.kind !== v) s.config.training.teacherForcing = schedule(v as Schedule['kind']);
    },
  },
  { key: 'tfr', type: 'number', min: 0, max: 1, default: 1, ...scheduleField('constant', 'ratio') },
  { key: 'tfs', type: 'number', min: 0, max: 1, default: 1, ...scheduleField('linear', 'start') },
  { key: 'tfe', type: 'number', min: 0, max: 1, default: 0, ...scheduleField('linear', 'end') },
  { key: 'tfn', type: 'int', min: 1, max: 1_000_000, default: 1000, ...scheduleField('linear', 'steps') },
  { key: 'tfk', type: 'number', min: 1, max: 1_000_000, default: 100, ...scheduleField('inverse_sigmoid', 'k') },
];

/** One boolean row per view (`v<initial>` would clash; keys are `vw.<name>`), then per hideable panel. */
const PAGE_ROWS: SchemaRow[] = [
  ...VIEW_NAMES.map((name): SchemaRow => ({ key: `vw.${name}`, type: 'boolean', default: name === 'loss' || name === 'output', ...field('views', (s) => s.views, name) })),
  ...EMBED_PANELS.map((name): SchemaRow => ({ key: `hide.${name}`, type: 'boolean', default: false, ...field('embed', (s) => s.embed, name) })),
];

/** A task setting's spec as a schema row `t.<key>`. */
function taskRow(task: Task, spec: SettingSpec): SchemaRow {
  const id = task.info.id;
  const base = {
    key: `t.${spec.key}`,
    task: id,
    default: spec.default,
    applies: (s: ShareState) => s.config.task.id === id,
    when: `t=${id}`,
    ...field<Record<string, SettingValue>>(`config.task.settings`, (s) => s.config.task.settings as Record<string, SettingValue>, spec.key),
  };
  if (spec.kind === 'number') return { ...base, type: spec.integer ? 'int' : 'number', min: spec.min, max: spec.max };
  if (spec.kind === 'choice') return { ...base, type: 'enum', values: spec.options.map((o) => o.value) };
  return { ...base, type: 'string', maxLength: spec.maxLength };
}

/** The task row: first, since defaults and every `t.*` row depend on it. The page opens on the adding problem. */
export const TASK_ROW: EnumRow = {
  key: 't', type: 'enum', values: TASKS.map((t) => t.info.id), default: 'adding', where: 'config.task.id',
  get: (s) => s.config.task.id,
  set: (s, v) => void (s.config.task.id = v as string),
};

/** The version row; always written, so a later build can tell old links apart. */
export const VERSION_ROW: IntRow = {
  key: 'v', type: 'int', min: 1, max: LINK_VERSION, default: LINK_VERSION, where: '(the link format, not the state)',
  get: () => LINK_VERSION,
  set: () => {},
};

/** The schema table: every row a link may carry, in the order they are written and applied. */
export const SCHEMA: readonly SchemaRow[] = [
  VERSION_ROW,
  TASK_ROW,
  ...TASKS.flatMap((task) => task.info.settings.map((spec) => taskRow(task, spec))),
  ...RUN_ROWS,
  ...PAGE_ROWS,
];

/** A deep partial of the state: what a task preset or a lesson changes. */
export type StateOverride = {
  config?: {
    task?: { id?: string; settings?: Record<string, SettingValue> };
    seed?: number;
    model?: Partial<Omit<Model, 'lstm'>> & { lstm?: { gates?: Partial<NonNullable<Model['lstm']>['gates']>; peepholes?: boolean } };
    init?: Partial<TrainerConfig['init']>;
    training?: Partial<Omit<TrainerConfig['training'], 'optimizer' | 'teacherForcing'>> & { optimizer?: Partial<Optimizer>; teacherForcing?: Schedule };
  };
  backend?: BackendChoice;
  views?: Partial<Record<ViewName, boolean>>;
  embed?: Partial<Record<EmbedPanel, boolean>>;
};

/**
 * Each task's preset over the rows' defaults: configs that train it within a few hundred
 * steps (docs/trainer.md; test/gpu/trainer.test.ts), Adam with clipping by norm 1, B = 32;
 * the same as the page's src/store/defaults.ts.
 */
const TASK_PRESETS: Readonly<Record<string, StateOverride>> = {
  'time-series': {},
  adding: { config: { task: { settings: { T: 30 } }, training: { optimizer: { lr: 0.02 } } } },
  copy: { config: { task: { settings: { k: 3, delay: 5 } }, model: { hiddenSize: 32 }, training: { optimizer: { lr: 0.02 } } } },
  'char-model': { config: { task: { settings: { T: 32 } }, model: { hiddenSize: 32 }, training: { evalEvery: 100 } } },
  reber: { config: { seed: 1 } },
  sentiment: { config: { task: { settings: { encoding: 'one-hot' } } } },
  seq2seq: { config: { task: { settings: { operation: 'reverse', minLength: 3, maxLength: 5 } }, model: { cell: 'gru', hiddenSize: 32 } } },
  tagging: { config: { model: { bidirectional: true }, training: { optimizer: { lr: 0.02 } } } },
};

/** Whether a value is a plain object (not null, not an array). */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Copies `over` into `target` key by key (own keys of code-written objects only), recursing into objects. */
function mergeInto(target: Record<string, unknown>, over: Record<string, unknown>): void {
  for (const key of Object.keys(over)) {
    const v = over[key];
    if (isObject(v) && isObject(target[key])) mergeInto(target[key] as Record<string, unknown>, v);
    else target[key] = structuredClone(v);
  }
}

/**
 * The state with `over` applied, as a new object: the cell is set through its row, so the
 * LSTM options appear or go with it. Presets and lessons are written in code, not read
 * from links (links go through hash.ts, row by row).
 */
export function applyOverride(base: ShareState, over: StateOverride): ShareState {
  const s = structuredClone(base);
  const cell = over.config?.model?.cell;
  if (cell !== undefined) rowByKey('c').set(s, cell);
  mergeInto(s as unknown as Record<string, unknown>, over as Record<string, unknown>);
  // A schedule is replaced whole: merging one kind into another would mix their numbers.
  const schedule = over.config?.training?.teacherForcing;
  if (schedule) s.config.training.teacherForcing = structuredClone(schedule);
  return s;
}

/** The row with this key (a run or page row, or `t`, `v`); throws for other keys. */
function rowByKey(key: string): SchemaRow {
  const row = SCHEMA.find((r) => r.key === key && r.task === undefined);
  if (!row) throw new RangeError(`no schema row "${key}"`);
  return row;
}

/** The default state of a task (the first task when none is given): rows' defaults, then the task's preset. */
export function defaultState(taskId: string = TASK_ROW.default as string): ShareState {
  const task = TASKS.find((t) => t.info.id === taskId);
  if (!task) throw new RangeError(`unknown task "${taskId}"; known: ${TASKS.map((t) => t.info.id).join(', ')}`);
  const settings: Record<string, SettingValue> = {};
  for (const spec of task.info.settings) settings[spec.key] = spec.default;
  const optimizer: Optimizer = { kind: 'adam', lr: 0.01, momentum: 0.9, alpha: 0.99, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, clipNorm: 1, clipValue: null };
  const s: ShareState = {
    config: {
      task: { id: taskId, settings },
      seed: 0,
      model: { cell: 'lstm', hiddenSize: 0, numLayers: 0, bidirectional: false, embeddingSize: 0, lstm: structuredClone(FULL_LSTM) },
      init: { scheme: 'pytorch', forgetBiasOne: false },
      training: { optimizer, batchSize: 0, window: null, stateful: false, dropout: 0, evalEvery: 0 },
    },
    backend: 'auto',
    views: Object.fromEntries(VIEW_NAMES.map((v) => [v, false])) as Record<ViewName, boolean>,
    embed: Object.fromEntries(EMBED_PANELS.map((p) => [p, false])) as Record<EmbedPanel, boolean>,
  };
  if (task.kind === 'encoder-decoder') s.config.training.teacherForcing = schedule('constant');
  for (const row of [...RUN_ROWS, ...PAGE_ROWS]) if (!row.applies || row.applies(s)) row.set(s, row.default);
  return applyOverride(s, TASK_PRESETS[taskId] ?? {});
}

/** Why a value does not fit a row, worded to follow its key (null when it fits). */
export function rowProblem(row: SchemaRow, v: unknown): string | null {
  switch (row.type) {
    case 'int':
    case 'number': {
      if (v === null && row.nullWord !== undefined) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'is not a number';
      if (row.type === 'int' && !Number.isInteger(v)) return 'is not a whole number';
      if (v < row.min || v > row.max || Object.is(v, -0)) return `is out of range (${row.min} to ${row.max}${row.nullWord ? `, or ${row.nullWord}` : ''})`;
      return null;
    }
    case 'boolean':
      return typeof v === 'boolean' ? null : 'is not 1 or 0';
    case 'enum':
      return typeof v === 'string' && row.values.includes(v) ? null : `is not one of ${row.values.join(', ')}`;
    case 'string':
      if (typeof v !== 'string') return 'is not text';
      if (v.length > row.maxLength) return `is longer than ${row.maxLength} characters`;
      // Lone surrogates cannot be written in a URL (encodeURIComponent throws on them).
      return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v) ? 'is not well-formed Unicode' : null;
  }
}

/** The rows that apply to a state, in order, with the version row left out. */
export function stateRows(s: ShareState): SchemaRow[] {
  return SCHEMA.filter((row) => row !== VERSION_ROW && (!row.applies || row.applies(s)));
}

/** Structural equality of plain data, key order aside (numbers by Object.is, so -0 differs from 0). */
export function sameData(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameData(a[k], b[k]));
  }
  return Object.is(a, b);
}

/**
 * Everything wrong with a state, as `key: problem` lines (empty when valid): the task is
 * known, every row that applies holds a value it allows, and nothing else is in the state
 * (it equals the state rebuilt from its rows' values on the task's defaults).
 */
export function validateState(s: ShareState): string[] {
  const task = TASKS.find((t) => t.info.id === s?.config?.task?.id);
  if (!task) return [`t: unknown task`];
  const problems: string[] = [];
  const rebuilt = defaultState(task.info.id);
  for (const row of SCHEMA) {
    if (row === VERSION_ROW || row === TASK_ROW) continue;
    // Skipped rows' fields must then match the rebuilt state's (checked at the end).
    if (row.applies && !row.applies(s)) continue;
    const v = row.get(s);
    const problem = rowProblem(row, v);
    if (problem) problems.push(`${row.key}: ${problem}`);
    else if (!row.applies || row.applies(rebuilt)) row.set(rebuilt, v as RowValue);
  }
  if (problems.length === 0 && !sameData(s, rebuilt)) problems.push('the state holds fields its rows do not describe, or misses some');
  return problems;
}
