/**
 * PyTorch golden values (test/fixtures/torch, from scripts/make_torch_fixtures.py) through
 * the whole `grad` path: file parsing, the float64 engine, and the JSON it prints.
 * Shapes first, then relative error max|a - b| / max(max|b|, 1e-12) below 1e-6 per tensor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { run, type GradOutput } from '../../src/cli/grad.ts';
import type { TensorJson } from '../../src/engine/checkpoint.ts';
import { relError } from '../engine/helpers.ts';

const DIR = 'test/fixtures/torch';
const TOLERANCE = 1e-6;
const cases = readdirSync(DIR)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.slice(0, -'.expected.json'.length))
  .sort();

interface Expected extends GradOutput {
  case: string;
  bpttWindow?: number;
}

let worst = { error: 0, where: '' };
afterAll(() => console.log(`torch fixtures: max relative error ${worst.error.toExponential(2)} (${worst.where})`));

/** Checks shape, then relative error, and keeps the worst error seen. */
function expectClose(actual: TensorJson, expected: TensorJson, where: string): void {
  expect(actual.shape, `${where} shape`).toEqual(expected.shape);
  const error = relError(actual.data, expected.data);
  if (error > worst.error) worst = { error, where };
  expect(error, `${where} relative error`).toBeLessThan(TOLERANCE);
}

describe('grad matches PyTorch float64', () => {
  test('the fixtures are there (8 cases)', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const name of cases) {
    test(name, () => {
      const expected: Expected = JSON.parse(readFileSync(`${DIR}/${name}.expected.json`, 'utf8'));
      const args = ['--checkpoint', `${DIR}/${name}.checkpoint.json`, '--batch', `${DIR}/${name}.batch.json`];
      if (expected.bpttWindow !== undefined) args.push('--bptt-window', String(expected.bpttWindow));
      let out = '';
      let err = '';
      const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
      expect(err).toBe('');
      expect(code).toBe(0);
      const actual: GradOutput = JSON.parse(out);

      // PyTorch's state_dict order is the order grad prints.
      expect(Object.keys(actual.grads)).toEqual(Object.keys(expected.grads));
      expectClose({ shape: [], data: [actual.loss] }, { shape: [], data: [expected.loss] }, `${name} loss`);
      expectClose(actual.outputs, expected.outputs, `${name} outputs`);
      for (const [tensor, g] of Object.entries(expected.grads)) expectClose(actual.grads[tensor], g, `${name} ${tensor}`);
    });
  }
});
