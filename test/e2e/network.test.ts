/**
 * The network panel of the built page against the engine (issue 7: "every number shown
 * equals the engine's own record for that example"). On the CPU backend, which is
 * deterministic bit for bit, the page takes three training steps from the adding problem's
 * defaults; this test process builds the same run (same config and seed), takes the same
 * three steps with the CPU engine, walks validation example 2 itself, and compares the
 * numbers the step-through and the cell inspector show (their data-value attributes).
 */
/// <reference types="@webgpu/types" />
/// <reference types="vite/client" />
// The trainer's module names WebGPU types and imports WGSL as ?raw text; Vitest runs it in Node
// (the CPU backend is used), and these two references let this Node tier type-check it.
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/store/defaults.ts';
import { prepareRun, Trainer } from '../../src/train/Trainer.ts';
import { walkExample, type WalkView } from '../../src/train/walk.ts';
import { baseArgs, requireChromium } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** Training steps the page takes before its numbers are checked. */
const STEPS = 3;
/** The validation example walked. */
const EXAMPLE = 2;

/** A number the page shows, from its data-value. */
async function shown(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  if (value === null) throw new Error(`${testId} has no data-value`);
  return Number(value);
}

/** Euclidean norm of row t of a (T, width) buffer, slice [from, from + n). */
function rowNorm(buf: Float64Array, t: number, width: number, from = 0, n = width): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += buf[t * width + from + j] ** 2;
  return Math.sqrt(s);
}

/** Expects a shown number to equal the engine's to 1e-12 relative (the page prints it with String(number)). */
function expectSame(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: page ${actual}, engine ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

/** The walk the page should show: the adding problem's page defaults, trained STEPS steps on the CPU engine. */
async function engineWalk(): Promise<WalkView> {
  const config = defaultConfig('adding');
  const trainer = new Trainer(prepareRun(config, new Map()));
  for (let i = 0; i < STEPS; i++) trainer.step();
  await trainer.flush();
  return walkExample(trainer.run, trainer.settings, await trainer.backend.getParams(), { kind: 'example', index: EXAMPLE }, trainer.stepIndex);
}

describe('network panel of the built page', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
  });
  afterAll(() => server?.close());

  test('CPU backend, adding problem, 3 steps: the step-through and the cell inspector show the engine’s record of example 2', async () => {
    const expected = await engineWalk();
    const w = expected.walk;
    const d = w.dirs[0];
    const H = w.hiddenSize;
    const G = w.gateNames.length;
    const browser = await chromium.launch({ executablePath: requireChromium(), args: baseArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
      await page.locator('#backend-choice').selectOption('cpu');
      await expect.poll(() => page.getByTestId('backend').getAttribute('data-state')).toBe('cpu');
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
      for (let i = 1; i <= STEPS; i++) {
        await page.getByTestId('step-button').click();
        await expect.poll(() => page.getByTestId('step').textContent()).toBe(String(i));
      }
      await page.getByTestId('nv-example').fill(String(EXAMPLE));
      await expect.poll(() => page.getByTestId('nv-walk-step').textContent(), { timeout: 15_000 }).toBe(`example ${EXAMPLE} at step ${STEPS}`);

      // Step through: the loss, then the forward pass at t = 1.
      await page.getByTestId('nv-tab-stepper').click();
      const stepper = page.getByTestId('bptt-stepper');
      await stepper.waitFor();
      expectSame(await shown(page, 'walk-loss'), w.loss, 'loss');
      expect(await stepper.getAttribute('data-phase')).toBe('forward');
      expectSame(await shown(page, 'h-norm'), rowNorm(d.h, 0, H), '‖h_1‖');
      expectSame(await shown(page, 'c-norm'), rowNorm(d.c!, 0, H), '‖c_1‖');
      const f = w.gateNames.indexOf('f');
      expectSame(await shown(page, 'gate-norm-f'), rowNorm(d.gates, 0, G * H, f * H, H), '‖f_1‖');

      // End: the backward pass's last position (t = 1); one back: t = 2.
      await stepper.focus();
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      expect(await stepper.getAttribute('data-phase')).toBe('backward');
      const t = Number(await stepper.getAttribute('data-t'));
      expect(t).toBe(1);
      expectSame(await shown(page, 'dh-norm'), rowNorm(d.dh, t, H), '‖dL/dh_2‖');
      expectSame(await shown(page, 'dc-norm'), rowNorm(d.dc!, t, H), '‖dL/dc_2‖');
      expectSame(await shown(page, 'from-next-norm'), rowNorm(d.fromNext, t, H), '‖dL/dh_2 from step 3‖');
      expectSame(await shown(page, 'contrib-Whh'), d.contribution.Whh[t], '‖ΔW_hh‖ at t = 2');
      expectSame(await shown(page, 'total-Whh'), d.total.Whh[t], 'running ‖dL/dW_hh‖ after t = 2');

      // The graph: clicking the cell at t = 5 opens the inspector with its values; the update substituted gives h_5.
      await page.getByTestId('nv-tab-graph').click();
      await page.locator('[data-testid="graph-node"][data-t="4"]').first().click();
      await page.getByTestId('cell-inspector').waitFor();
      expectSame(await shown(page, 'insp-h'), rowNorm(d.h, 4, H), 'inspector ‖h_5‖');
      expectSame(await shown(page, 'insp-dh'), rowNorm(d.dh, 4, H), 'inspector ‖dL/dh_5‖');
      const subH = await shown(page, 'insp-sub-h');
      expect(Math.abs(subH - d.h[4 * H])).toBeLessThan(1e-12);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
