/**
 * The `grad` command: its output, and for every kind of bad input exit 2 with one
 * stderr line naming the file (or flag) and the field, and nothing on stdout.
 * Most cases run in-process; a few spawn `npm run --silent cli` to prove the wiring.
 * The webgpu cases need Chromium (test/chromium.ts); without it they fail, never skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { run } from '../../src/cli/grad.ts';
import { NO_WEBGPU_ENV } from '../../src/cli/webgpuGrad.ts';
import { paramSpecs } from '../../src/engine/model.ts';
import { relError } from '../engine/helpers.ts';

/** JSON read from a file, which the cases below reshape freely (into wrong types too). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON, broken on purpose
type Json = Record<string, any>;

const FIXTURES = 'test/fixtures/torch';
const RNN = `${FIXTURES}/rnn_tanh-l1-uni-mse-sequence`;
const EMBEDDING = `${FIXTURES}/gru-l1-uni-embedding-ce-sequence`;
const tmp = mkdtempSync(join(tmpdir(), 'grad-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs `grad` in-process and collects what it writes. */
async function grad(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const read = (file: string): Json => JSON.parse(readFileSync(file, 'utf8'));

/** Writes `text` (or JSON) to a temp file and returns its path. */
function write(name: string, content: unknown): string {
  const file = join(tmp, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Expects exit 2, an empty stdout and exactly one stderr line matching `line`. */
function expectRejected(result: { code: number; out: string; err: string }, line: RegExp): void {
  expect(result.err).toMatch(/^grad: [^\n]*\n$/);
  expect(result.err).toMatch(line);
  expect(result.out).toBe('');
  expect(result.code).toBe(2);
}

describe('grad output', () => {
  test('rnn_tanh L=1 fixture: one JSON line with loss, outputs and grads in state_dict order', async () => {
    const { code, out, err } = await grad('--checkpoint', `${RNN}.checkpoint.json`, '--batch', `${RNN}.batch.json`);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.endsWith('\n') && !out.slice(0, -1).includes('\n')).toBe(true);
    const result = JSON.parse(out);
    expect(Object.keys(result)).toEqual(['loss', 'outputs', 'grads']);
    expect(result.outputs.shape).toEqual([2, 5, 2]);
    const config = read(`${RNN}.checkpoint.json`).model;
    expect(Object.keys(result.grads)).toEqual(paramSpecs(config).map((s) => s.name));
  });

  test('--backend cpu and --bptt-window K >= T give exactly the full-BPTT output', async () => {
    const base = ['--checkpoint', `${RNN}.checkpoint.json`, '--batch', `${RNN}.batch.json`];
    const full = await grad(...base);
    const windowed = await grad(...base, '--backend', 'cpu', '--bptt-window', '100');
    expect(windowed.code).toBe(0);
    expect(windowed.out).toBe(full.out);
  });

  test('a result JSON cannot carry (relu overflow to Infinity) exits 1 with one line and no stdout', async () => {
    const checkpoint = read(`${RNN}.checkpoint.json`);
    checkpoint.model.cell = 'rnn_relu';
    for (const t of Object.values<Json>(checkpoint.tensors)) t.data = t.data.map(() => 1e300);
    const { code, out, err } = await grad('--checkpoint', write('overflow.json', checkpoint), '--batch', `${RNN}.batch.json`);
    expect(err).toMatch(/^grad: [^\n]*JSON cannot carry it[^\n]*\n$/);
    expect(out).toBe('');
    expect(code).toBe(1);
  });
});

let written = 0;

/** A fixture file's JSON after `change`, written to a temp file; returns its path. */
function changed(fixture: string, kind: 'checkpoint' | 'batch', change: (j: Json) => void): string {
  const j = read(`${fixture}.${kind}.json`);
  change(j);
  return write(`${kind}-${++written}.json`, j);
}

/** A string as a literal RegExp source. */
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** [case, the two files, the one at fault, the start of its problem (a RegExp source, after `grad: <file>: `)]. */
const fileCases: [string, () => [checkpoint: string, batch: string], 'checkpoint' | 'batch', string][] = [
  ['unknown cell', () => [changed(RNN, 'checkpoint', (j) => (j.model.cell = 'transformer')), `${RNN}.batch.json`],
    'checkpoint', 'model\\.cell: expected one of .*got "transformer"'],
  ['tensor missing', () => [changed(RNN, 'checkpoint', (j) => delete j.tensors['rnn.weight_hh_l0']), `${RNN}.batch.json`],
    'checkpoint', 'tensors\\.rnn\\.weight_hh_l0: missing \\(expected shape \\[4, 4\\]\\)'],
  ['shape mismatch', () => [changed(RNN, 'checkpoint', (j) => (j.tensors['head.weight'].shape = [4, 2])), `${RNN}.batch.json`],
    'checkpoint', 'tensors\\.head\\.weight\\.shape: expected \\[2, 4\\], got \\[4, 2\\]'],
  ['non-numeric data', () => [changed(RNN, 'checkpoint', (j) => (j.tensors['rnn.bias_ih_l0'].data[3] = 'x')), `${RNN}.batch.json`],
    'checkpoint', 'tensors\\.rnn\\.bias_ih_l0\\.data\\[3\\]: expected a finite number, got "x"'],
  ['wrong format', () => [changed(RNN, 'checkpoint', (j) => (j.format = 'torch')), `${RNN}.batch.json`],
    'checkpoint', 'format: expected "rnn-playground-checkpoint", got "torch"'],
  ['wrong version', () => [changed(RNN, 'checkpoint', (j) => (j.version = 3)), `${RNN}.batch.json`],
    'checkpoint', 'version: unsupported version 3'],
  ['targets B mismatch', () => [`${RNN}.checkpoint.json`, changed(RNN, 'batch', (j) => (j.targets.shape = [3, 5, 2]))],
    'batch', 'targets\\.shape: expected \\[B, T, O\\] = \\[2, 5, 2\\], got \\[3, 5, 2\\]'],
  ['token out of range', () => [`${EMBEDDING}.checkpoint.json`, changed(EMBEDDING, 'batch', (j) => (j.tokens.data[4] = 7))],
    'batch', 'tokens\\.data\\[4\\]: token id 7 is out of range \\[0, 7\\)'],
  ['invalid JSON, position as line and column', () => [write('bad1.json', '{\n  "format": "rnn-playground-checkpoint"\n  "version": 1\n}'), `${RNN}.batch.json`],
    'checkpoint', "invalid JSON: Expected ',' or '}' after property value in JSON at line 3, column 3"],
  ['invalid JSON without a position, input not echoed', () => [write('bad2.json', '{"format": }'), `${RNN}.batch.json`],
    'checkpoint', "invalid JSON: Unexpected token '}'"],
  ['empty batch file', () => [`${RNN}.checkpoint.json`, write('empty.json', '')],
    'batch', 'invalid JSON: Unexpected end of JSON input'],
  ['missing file', () => [join(tmp, 'nope.json'), `${RNN}.batch.json`],
    'checkpoint', 'cannot read: ENOENT: no such file or directory'],
  ['a directory', () => [`${RNN}.checkpoint.json`, tmp], 'batch', 'cannot read: EISDIR: illegal operation on a directory'],
];

describe('grad rejects bad files: exit 2, one stderr line naming file and field', () => {
  for (const [name, files, culprit, line] of fileCases) {
    test(`${name} (${culprit} file)`, async () => {
      const [checkpoint, batch] = files();
      const file = culprit === 'checkpoint' ? checkpoint : batch;
      expectRejected(await grad('--checkpoint', checkpoint, '--batch', batch), new RegExp(`^grad: ${esc(file)}: ${line}[^\\n]*\\n$`));
    });
  }
});

describe('grad rejects bad flags: exit 2, one stderr line naming the flag', () => {
  const ok = ['--checkpoint', `${RNN}.checkpoint.json`, '--batch', `${RNN}.batch.json`];
  const flagCases: [string, string[], RegExp][] = [
    ['no flags', [], /^grad: --checkpoint: missing; usage: grad --checkpoint FILE/],
    ['--batch missing', ok.slice(0, 2), /^grad: --batch: missing/],
    ['unknown flag', [...ok, '--lr', '0.1'], /^grad: arguments: Unknown option '--lr'; usage:/],
    ['stray positional', [...ok, 'extra'], /^grad: arguments: Unexpected argument 'extra'; usage:/],
    ['flag without value', ['--checkpoint'], /^grad: arguments: Option '--checkpoint <value>' argument missing; usage:/],
    ['flag given twice', [...ok, '--batch', 'other.json'], /^grad: --batch: given 2 times/],
    ['--backend unknown', [...ok, '--backend', 'cuda'], /^grad: --backend: unknown backend "cuda" \(expected cpu or webgpu\)/],
    ['--bptt-window 0', [...ok, '--bptt-window', '0'], /^grad: --bptt-window: expected a positive integer, got "0"/],
    ['--bptt-window 2.5', [...ok, '--bptt-window=2.5'], /^grad: --bptt-window: expected a positive integer, got "2\.5"/],
  ];
  for (const [name, args, pattern] of flagCases) {
    test(name, async () => expectRejected(await grad(...args), pattern));
  }
});

describe('grad --backend webgpu', () => {
  const ok = ['--checkpoint', `${RNN}.checkpoint.json`, '--batch', `${RNN}.batch.json`];
  afterEach(() => vi.unstubAllEnvs());

  test('rnn fixture: the same keys, tensor names and shapes as cpu, every tensor within 1e-3', async () => {
    const cpu = await grad(...ok, '--backend', 'cpu');
    const gpu = await grad(...ok, '--backend', 'webgpu');
    expect(gpu.err).toBe('');
    expect(gpu.code).toBe(0);
    expect(gpu.out.endsWith('\n') && !gpu.out.slice(0, -1).includes('\n')).toBe(true);
    const [c, g] = [JSON.parse(cpu.out), JSON.parse(gpu.out)];
    expect(Object.keys(g)).toEqual(Object.keys(c));
    expect(Object.keys(g.grads)).toEqual(Object.keys(c.grads));
    expect(g.outputs.shape).toEqual(c.outputs.shape);
    for (const name of Object.keys(c.grads)) expect(g.grads[name].shape, name).toEqual(c.grads[name].shape);
    expect(relError([g.loss], [c.loss]), 'loss').toBeLessThan(1e-3);
    expect(relError(g.outputs.data, c.outputs.data), 'outputs').toBeLessThan(1e-3);
    for (const name of Object.keys(c.grads)) expect(relError(g.grads[name].data, c.grads[name].data), name).toBeLessThan(1e-3);
  }, 60_000);

  test('bad files and flags exit 2 before any browser starts (CHROMIUM_PATH points nowhere)', async () => {
    vi.stubEnv('CHROMIUM_PATH', join(tmp, 'no-chromium'));
    expectRejected(await grad('--checkpoint', join(tmp, 'nope.json'), '--batch', `${RNN}.batch.json`, '--backend', 'webgpu'),
      /^grad: \S*nope\.json: cannot read: ENOENT/);
    const badBatch = changed(RNN, 'batch', (j) => (j.targets.shape = [3, 5, 2]));
    expectRejected(await grad('--checkpoint', `${RNN}.checkpoint.json`, '--batch', badBatch, '--backend', 'webgpu'),
      /^grad: \S+: targets\.shape: expected/);
    expectRejected(await grad(...ok, '--backend', 'webgpu', '--bptt-window', '0'), /^grad: --bptt-window: /);
  });

  test('Chromium missing: exit 2, one line saying how to install it or set CHROMIUM_PATH', async () => {
    vi.stubEnv('CHROMIUM_PATH', join(tmp, 'no-chromium'));
    expectRejected(await grad(...ok, '--backend', 'webgpu'),
      /^grad: --backend: webgpu unavailable: Chromium not found at \S*no-chromium; install it \(.*apt-get install chromium\) or set CHROMIUM_PATH/);
  });

  test(`no WebGPU in Chromium (${NO_WEBGPU_ENV}=1 drops its WebGPU flags): exit 2, one line with the adapter's reason`, async () => {
    vi.stubEnv(NO_WEBGPU_ENV, '1');
    expectRejected(await grad(...ok, '--backend', 'webgpu'),
      /^grad: --backend: webgpu unavailable: no WebGPU device in Chromium \(\S+\): requestAdapter returned null/);
  }, 60_000);
});

describe('npm run --silent cli (real process)', () => {
  const npm = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { encoding: 'utf8' });

  test('grad on the rnn fixture: exit 0, the same JSON as in-process, empty stderr', async () => {
    const args = ['grad', '--checkpoint', `${RNN}.checkpoint.json`, '--batch', `${RNN}.batch.json`];
    const p = npm(...args);
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    expect(p.stdout).toBe((await grad(...args.slice(1))).out);
  }, 60_000);

  test('grad --backend webgpu on the lstm fixture: exit 0, one JSON line, empty stderr (wall time logged)', () => {
    const lstm = `${FIXTURES}/lstm-l1-bi-ce-sequence`;
    const started = performance.now();
    const p = npm('grad', '--checkpoint', `${lstm}.checkpoint.json`, '--batch', `${lstm}.batch.json`, '--backend', 'webgpu');
    console.log(`grad --backend webgpu, one call end to end: ${Math.round(performance.now() - started)} ms`);
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0);
    expect(p.stdout).toMatch(/^\{"loss":[^\n]*\}\n$/);
    expect(Object.keys(JSON.parse(p.stdout).grads)).toContain('rnn.weight_hh_l0_reverse');
  }, 120_000);

  test('grad with a missing file: exit 2, one stderr line, empty stdout', () => {
    const p = npm('grad', '--checkpoint', 'missing.json', '--batch', `${RNN}.batch.json`);
    expect(p.stderr).toMatch(/^grad: missing\.json: cannot read: ENOENT[^\n]*\n$/);
    expect(p.stdout).toBe('');
    expect(p.status).toBe(2);
  }, 60_000);
});
