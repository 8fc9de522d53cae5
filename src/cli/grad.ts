/**
 * `grad`: the loss, the head's outputs and every parameter's gradient for one
 * checkpoint and one batch, printed as one JSON object (format in docs/checkpoint.md),
 * computed by the float64 engine (`--backend cpu`) or the WGSL kernels in headless
 * Chromium (`--backend webgpu`, src/cli/webgpuGrad.ts).
 *
 * Exit codes: 0 with the JSON on stdout; 2 for bad input, with one line on stderr,
 * `grad: <file or flag>: <field>: <problem>`, or when WebGPU cannot be used
 * (`grad: --backend: webgpu unavailable: <why>`); 1 for anything else (a bug, or a
 * result JSON cannot carry), also one line. stdout stays empty unless the exit is 0.
 * Files and flags are checked before any browser starts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FormatError, parseBatch, parseCheckpoint, tensorToJson, type TensorJson } from '../engine/checkpoint.ts';
import { paramSpecs, type ModelConfig } from '../engine/model.ts';
import { lossAndGrads } from '../engine/network.ts';
import { gradOnWebGpu } from './webgpuGrad.ts';
import { WebGpuUnavailable } from './webgpuPage.ts';

/** How the command is called. */
export const GRAD_USAGE = 'grad --checkpoint FILE --batch FILE [--backend cpu|webgpu] [--bptt-window K]';

/** Where `grad` computes. */
export const BACKENDS = ['cpu', 'webgpu'] as const;
/** Where `grad` computes: the float64 engine, or the WGSL kernels in headless Chromium. */
export type Backend = (typeof BACKENDS)[number];

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

/** One computation as the flags name it: the two files and the optional BPTT window. */
export interface GradRequest {
  checkpoint: string;
  batch: string;
  bpttWindow?: number;
}

/** Bad input; the message already names where (`file: field: problem` or `--flag: problem`). */
class InputError extends Error {}

/** A result JSON cannot carry (NaN or an infinity). */
class ResultError extends Error {}

/** Runs `grad` with its arguments (after the word `grad`); resolves to the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  let output: GradOutput;
  try {
    const { backend, ...request } = readFlags(argv);
    [output] = await gradFiles([request], backend);
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`grad: ${e.message}\n`);
      return 2;
    }
    if (e instanceof WebGpuUnavailable) {
      io.stderr(`grad: --backend: webgpu unavailable: ${oneLine(e.message)}\n`);
      return 2;
    }
    const what = e instanceof ResultError ? '' : 'internal error: ';
    io.stderr(`grad: ${what}${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  io.stdout(`${JSON.stringify(output)}\n`);
  return 0;
}

/**
 * `grad` for several requests on one backend, in order (on webgpu, one Chromium for all).
 * Every file is read and checked first; throws InputError, WebGpuUnavailable or ResultError.
 */
export async function gradFiles(requests: GradRequest[], backend: Backend): Promise<GradOutput[]> {
  const jobs = requests.map(readRequest);
  const outputs =
    backend === 'cpu'
      ? jobs.map(gradOnCpu)
      : await gradOnWebGpu(jobs.map((j) => ({ checkpoint: j.checkpoint.json, batch: j.batch.json, bpttWindow: j.bpttWindow })));
  return outputs.map((output, i) => checked(output, jobs[i].checkpoint.parsed.config));
}

/** A request's files, read and validated: each as its JSON and as the engine's values. */
function readRequest({ checkpoint: checkpointFile, batch: batchFile, bpttWindow }: GradRequest) {
  const checkpoint = readJson(checkpointFile, parseCheckpoint);
  const batch = readJson(batchFile, (json) => parseBatch(json, checkpoint.parsed.config));
  return { checkpoint, batch, bpttWindow };
}

/** One request on the float64 engine. */
function gradOnCpu({ checkpoint, batch, bpttWindow }: ReturnType<typeof readRequest>): GradOutput {
  const { config, params } = checkpoint.parsed;
  const result = lossAndGrads(config, params, batch.parsed, bpttWindow === undefined ? undefined : { bpttWindow });
  const grads = [...result.grads].map(([name, g]) => [name, tensorToJson(g)] as const);
  return { loss: result.loss, outputs: tensorToJson(result.outputs), grads: Object.fromEntries(grads) };
}

/** The output with grads in `state_dict` order, every number finite (JSON would print NaN as null). */
function checked(output: GradOutput, config: ModelConfig): GradOutput {
  const grads = paramSpecs(config).map(({ name }) => {
    const g = Object.hasOwn(output.grads, name) ? output.grads[name] : undefined;
    if (!g) throw new Error(`backend returned no gradient for ${name}`);
    return [name, finite(g, `grads.${name}`)] as const;
  });
  if (!Number.isFinite(output.loss)) throw new ResultError(`loss is ${output.loss}; JSON cannot carry it`);
  return { loss: output.loss, outputs: finite(output.outputs, 'outputs'), grads: Object.fromEntries(grads) };
}

/** Checks a result tensor holds only finite numbers (JSON would print NaN as null). */
function finite(t: TensorJson, field: string): TensorJson {
  const i = t.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new ResultError(`${field}.data[${i}] is ${t.data[i]}; JSON cannot carry it (overflow?)`);
  return t;
}

/** Parses and checks the flags. */
function readFlags(argv: string[]): GradRequest & { backend: Backend } {
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
  if (!isBackend(backend)) throw new InputError(`--backend: unknown backend "${backend}" (expected ${BACKENDS.join(' or ')})`);
  if (window !== undefined && !/^[1-9][0-9]*$/.test(window)) {
    throw new InputError(`--bptt-window: expected a positive integer, got "${window}"`);
  }
  return { checkpoint, batch, backend, bpttWindow: window === undefined ? undefined : Number(window) };
}

function isBackend(name: string): name is Backend {
  return (BACKENDS as readonly string[]).includes(name);
}

/** Reads a JSON file and hands it to `parse`; every failure becomes an InputError naming the file. */
function readJson<T>(file: string, parse: (json: unknown) => T): { json: unknown; parsed: T } {
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
    return { json, parsed: parse(json) };
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
