/**
 * `grad`: the loss, the head's outputs and every parameter's gradient for one
 * checkpoint and one batch, printed as one JSON object (format in docs/checkpoint.md).
 *
 * Exit codes: 0 with the JSON on stdout; 2 for bad input, with one line on stderr,
 * `grad: <file or flag>: <field>: <problem>`; 1 for anything else (a bug, or a
 * result JSON cannot carry), also one line. stdout stays empty unless the exit is 0.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FormatError, parseBatch, parseCheckpoint, tensorToJson, type TensorJson } from '../engine/checkpoint.ts';
import { paramSpecs } from '../engine/model.ts';
import { lossAndGrads } from '../engine/network.ts';

/** How the command is called. */
export const GRAD_USAGE = 'grad --checkpoint FILE --batch FILE [--backend cpu] [--bptt-window K]';

/** Where the command writes; injected so tests run it in-process. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What `grad` prints on success. */
export interface GradOutput {
  loss: number;
  outputs: TensorJson;
  /** Every parameter, in `state_dict` order. */
  grads: Record<string, TensorJson>;
}

/** Bad input; the message already names where (`file: field: problem` or `--flag: problem`). */
class InputError extends Error {}

/** A result JSON cannot carry (NaN or an infinity). */
class ResultError extends Error {}

/** Runs `grad` with its arguments (after the word `grad`); returns the exit code. */
export function run(argv: string[], io: CliIO): number {
  let output: GradOutput;
  try {
    output = grad(argv);
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`grad: ${e.message}\n`);
      return 2;
    }
    const what = e instanceof ResultError ? '' : 'internal error: ';
    io.stderr(`grad: ${what}${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  io.stdout(`${JSON.stringify(output)}\n`);
  return 0;
}

function grad(argv: string[]): GradOutput {
  const flags = readFlags(argv);
  const { config, params } = readJson(flags.checkpoint, parseCheckpoint);
  const batch = readJson(flags.batch, (json) => parseBatch(json, config));
  const opts = flags.bpttWindow === undefined ? undefined : { bpttWindow: flags.bpttWindow };
  const result = lossAndGrads(config, params, batch, opts);

  const grads = paramSpecs(config).map(({ name }) => {
    const g = result.grads.get(name);
    if (!g) throw new Error(`engine returned no gradient for ${name}`);
    return [name, finite(tensorToJson(g), `grads.${name}`)] as const;
  });
  if (!Number.isFinite(result.loss)) throw new ResultError(`loss is ${result.loss}; JSON cannot carry it`);
  return { loss: result.loss, outputs: finite(tensorToJson(result.outputs), 'outputs'), grads: Object.fromEntries(grads) };
}

/** Checks a result tensor holds only finite numbers (JSON would print NaN as null). */
function finite(t: TensorJson, field: string): TensorJson {
  const i = t.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new ResultError(`${field}.data[${i}] is ${t.data[i]}; JSON cannot carry it (overflow?)`);
  return t;
}

/** Parses and checks the flags. */
function readFlags(argv: string[]): { checkpoint: string; batch: string; bpttWindow?: number } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        checkpoint: { type: 'string', multiple: true },
        batch: { type: 'string', multiple: true },
        backend: { type: 'string', multiple: true },
        'bptt-window': { type: 'string', multiple: true },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    const problem = (e instanceof Error ? e.message : String(e)).split(/\.\s|\n/)[0];
    throw new InputError(`arguments: ${problem}; usage: ${GRAD_USAGE}`);
  }
  const single = (name: keyof typeof values): string | undefined => {
    const v = values[name];
    if (v && v.length > 1) throw new InputError(`--${name}: given ${v.length} times`);
    return v?.[0];
  };
  const checkpoint = single('checkpoint');
  const batch = single('batch');
  const backend = single('backend') ?? 'cpu';
  const window = single('bptt-window');
  if (checkpoint === undefined) throw new InputError(`--checkpoint: missing; usage: ${GRAD_USAGE}`);
  if (batch === undefined) throw new InputError(`--batch: missing; usage: ${GRAD_USAGE}`);
  if (backend === 'webgpu') throw new InputError('--backend: webgpu is not yet available (use cpu)');
  if (backend !== 'cpu') throw new InputError(`--backend: unknown backend "${backend}" (expected cpu)`);
  if (window !== undefined && !/^[1-9][0-9]*$/.test(window)) {
    throw new InputError(`--bptt-window: expected a positive integer, got "${window}"`);
  }
  return { checkpoint, batch, bpttWindow: window === undefined ? undefined : Number(window) };
}

/** Reads a JSON file and hands it to `parse`; every failure becomes an InputError naming the file. */
function readJson<T>(file: string, parse: (json: unknown) => T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError(`${file}: cannot read: ${message.split(', ')[0]}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${file}: invalid JSON: ${jsonProblem(e instanceof Error ? e.message : String(e), text)}`);
  }
  try {
    return parse(json);
  } catch (e) {
    if (e instanceof FormatError) throw new InputError(`${file}: ${e.message}`);
    throw e;
  }
}

/** JSON.parse's message without the echoed input, with its position as line and column. */
function jsonProblem(message: string, text: string): string {
  const problem = oneLine(message.replace(/, ".*" is not valid JSON$/s, ''));
  return problem.replace(/at position (\d+)/, (_, p: string) => {
    const before = text.slice(0, Number(p)).split('\n');
    return `at line ${before.length}, column ${before[before.length - 1].length + 1}`;
  });
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}
