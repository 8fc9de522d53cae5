/**
 * PyTorch golden values (test/fixtures/torch, from scripts/make_torch_fixtures.py) through
 * the whole `grad` path: file parsing, the backend, and the JSON it prints. Shapes first,
 * then relative error max|a - b| / max(max|b|, 1e-12) per tensor: below 1e-6 for the float64
 * engine (`--backend cpu`), below 1e-3 for the float32 WGSL kernels (`--backend webgpu`, all
 * fixtures in one headless Chromium; a missing Chromium fails these tests, it never skips them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gradFiles, run, type Backend, type GradOutput, type GradRequest } from '../../src/cli/grad.ts';
import type { TensorJson } from '../../src/engine/checkpoint.ts';
import { relError } from '../engine/helpers.ts';

const DIR = 'test/fixtures/torch';
const TOLERANCE: Record<Backend, number> = { cpu: 1e-6, webgpu: 1e-3 };
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

interface Expected extends GradOutput {
  case: string;
  bpttWindow?: number;
}

const expectedOf = (name: string): Expected => JSON.parse(readFileSync(`${DIR}/${name}.expected.json`, 'utf8'));

/** The `grad` request a fixture describes. */
function requestOf(name: string): GradRequest {
  const { bpttWindow } = expectedOf(name);
  return { checkpoint: `${DIR}/${name}.checkpoint.json`, batch: `${DIR}/${name}.batch.json`, bpttWindow };
}

const worst: Record<Backend, { error: number; where: string }> = { cpu: { error: 0, where: '' }, webgpu: { error: 0, where: '' } };
afterAll(() => {
  for (const [backend, w] of Object.entries(worst)) {
    if (w.where) console.log(`torch fixtures, ${backend}: max relative error ${w.error.toExponential(2)} (${w.where})`);
  }
});

/** Checks names, shapes, then every tensor's relative error, and keeps the worst error seen. */
function expectMatches(actual: GradOutput, name: string, backend: Backend): void {
  const expected = expectedOf(name);
  const expectClose = (a: TensorJson, e: TensorJson, where: string) => {
    expect(a.shape, `${where} shape`).toEqual(e.shape);
    const error = relError(a.data, e.data);
    if (error > worst[backend].error) worst[backend] = { error, where };
    expect(error, `${where} relative error`).toBeLessThan(TOLERANCE[backend]);
  };
  // PyTorch's state_dict order is the order grad prints.
  expect(Object.keys(actual.grads)).toEqual(Object.keys(expected.grads));
  expectClose({ shape: [], data: [actual.loss] }, { shape: [], data: [expected.loss] }, `${name} loss`);
  expectClose(actual.outputs, expected.outputs, `${name} outputs`);
  for (const [tensor, g] of Object.entries(expected.grads)) expectClose(actual.grads[tensor], g, `${name} ${tensor}`);
}

describe('grad --backend cpu matches PyTorch float64 to 1e-6', () => {
  test('the fixtures are there (8 cases)', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const name of cases) {
    test(name, async () => {
      const { checkpoint, batch, bpttWindow } = requestOf(name);
      const args = ['--checkpoint', checkpoint, '--batch', batch];
      if (bpttWindow !== undefined) args.push('--bptt-window', String(bpttWindow));
      let out = '';
      let err = '';
      const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
      expect(err).toBe('');
      expect(code).toBe(0);
      expectMatches(JSON.parse(out), name, 'cpu');
    });
  }
});

describe('grad --backend webgpu (WGSL, float32, headless Chromium) matches PyTorch to 1e-3', () => {
  let outputs: GradOutput[];
  beforeAll(async () => {
    const started = performance.now();
    outputs = await gradFiles(cases.map(requestOf), 'webgpu');
    console.log(`torch fixtures, webgpu: ${cases.length} cases in one Chromium, ${Math.round(performance.now() - started)} ms`);
  }, 120_000);

  cases.forEach((name, i) => test(name, () => expectMatches(outputs[i], name, 'webgpu')));
});
