/**
 * The network panel of the built page on the sequence-to-sequence task, against the engine. On
 * the CPU backend (deterministic bit for bit) the page trains the task's defaults with teacher
 * forcing r = 0.5 for three steps; this test process builds the same run, takes the same steps
 * with the CPU engine, walks validation example 2 through encoder and decoder itself, and compares
 * what the graph and the step-through show (their data attributes) with that record.
 */
/// <reference types="@webgpu/types" />
/// <reference types="vite/client" />
// The trainer's module names WebGPU types and imports WGSL as ?raw text; Vitest runs it in Node
// (the CPU backend is used), and these two references let this Node tier type-check it.
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/store/defaults.ts';
import { prepareAnyRun, Trainer, type PreparedSeq2SeqRun } from '../../src/train/Trainer.ts';
import { walkExample, type Seq2SeqWalkView } from '../../src/train/walk.ts';
import { baseArgs, requireChromium } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** Training steps the page takes before its numbers are checked. */
const STEPS = 3;
/** The validation example walked. */
const EXAMPLE = 2;
/** The teacher-forcing ratio set on the page. */
const RATIO = 0.5;

/** A number the page shows, from its data-value. */
async function shown(page: Page, testId: string): Promise<number> {
  const value = await page.getByTestId(testId).first().getAttribute('data-value');
  if (value === null) throw new Error(`${testId} has no data-value`);
  return Number(value);
}

/** Euclidean norm of row t of a (T, width) buffer. */
function rowNorm(buf: Float64Array, t: number, width: number): number {
  let s = 0;
  for (let j = 0; j < width; j++) s += buf[t * width + j] ** 2;
  return Math.sqrt(s);
}

/** Expects a shown number to equal the engine's to 1e-12 relative. */
function expectSame(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: page ${actual}, engine ${expected}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));
}

/** The walk the page should show: the task's page defaults with r = 0.5, trained STEPS steps on the CPU engine. */
async function engineWalk(): Promise<Seq2SeqWalkView> {
  const config = defaultConfig('seq2seq');
  config.training.teacherForcing = { kind: 'constant', ratio: RATIO };
  const trainer = new Trainer(prepareAnyRun(config));
  for (let i = 0; i < STEPS; i++) trainer.step();
  await trainer.flush();
  return walkExample(trainer.prepared as PreparedSeq2SeqRun, trainer.settings, await trainer.backend.getParams(), { kind: 'example', index: EXAMPLE }, trainer.stepIndex);
}

describe('network panel of the built page, sequence to sequence', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
  });
  afterAll(() => server?.close());

  test('CPU backend, r = 0.5, 3 steps: the graph shows encoder, decoder and the hand-over; the stepper shows the engine’s record of example 2', async () => {
    const expected = await engineWalk();
    const { encoder, decoder } = expected.walk;
    const S = encoder.T;
    const U = decoder.T;
    const H = encoder.hiddenSize;
    const G = encoder.gateNames.length;
    const browser = await chromium.launch({ executablePath: requireChromium(), args: baseArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
      await page.locator('#backend-choice').selectOption('cpu');
      await expect.poll(() => page.getByTestId('backend').getAttribute('data-state'), { timeout: 30_000 }).toBe('cpu');
      await page.getByTestId('task-picker').selectOption('seq2seq');
      await expect.poll(() => page.getByTestId('nv-row').locator('option').first().textContent(), { timeout: 60_000 }).toBe('encoder layer 1');
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
      await page.locator('#tf-ratio').fill(String(RATIO));
      for (let i = 1; i <= STEPS; i++) {
        await page.getByTestId('step-button').click();
        await expect.poll(() => page.getByTestId('step').textContent(), { timeout: 30_000 }).toBe(String(i));
      }
      await page.getByTestId('nv-example').fill(String(EXAMPLE));
      await expect.poll(() => page.getByTestId('nv-walk-step').textContent(), { timeout: 30_000 }).toBe(`example ${EXAMPLE} at step ${STEPS}`);

      // The graph, backward view: S encoder columns, then U decoder columns, the hand-over between them.
      await page.getByTestId('nv-tab-graph').click();
      await page.getByTestId('nv-view-backward').click();
      const graph = page.getByTestId('seq2seq-graph');
      await graph.waitFor();
      expect(await shown(page, 'graph-teacher-forcing')).toBe(RATIO);
      expect(await graph.locator('[data-testid="graph-node"][data-part="encoder"]').count()).toBe(S);
      expect(await graph.locator('[data-testid="graph-node"][data-part="decoder"]').count()).toBe(U);
      for (const t of [0, S - 1]) expectSame(Number(await graph.locator(`[data-part="encoder"][data-t="${t}"]`).getAttribute('data-value')), rowNorm(encoder.dirs[0].dh, t, H), `‖dL/dh‖ encoder t = ${t + 1}`);
      expectSame(await shown(page, 'handover-edge'), rowNorm(expected.walk.handOverGrad.h[0], 0, H), '‖dL/dh_S‖ crossing the hand-over');
      const sources = await graph.locator('[data-testid="decoder-input"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-source')));
      expect(sources).toEqual(expected.walk.inputSource);
      expect(new Set(sources.slice(1))).toEqual(new Set(['own', 'target'])); // this example at this step reads both kinds
      const symbols = await graph.locator('[data-testid="decoder-input"]').evaluateAll((els) => els.map((e) => e.firstChild!.textContent));
      expect(symbols).toEqual(expected.decoderLabels);
      expect(await graph.locator('[data-testid="feedback-edge"]').count()).toBe(U - 1);

      // A decoder cell's inspector: its h_(t-1) at u = 1 is the hand-over, so the GRU update substituted gives h_1.
      await graph.locator('[data-testid="graph-node"][data-part="decoder"][data-t="0"]').click();
      await page.getByTestId('cell-inspector').waitFor();
      expectSame(await shown(page, 'insp-h'), rowNorm(decoder.dirs[0].h, 0, H), 'inspector ‖h_1‖ (decoder)');
      expectSame(await shown(page, 'insp-sub-h'), decoder.dirs[0].h[0], 'inspector h_1 unit 0 substituted');

      // Step through: a forward decoder step (u = 2) and a backward encoder step (t = 2).
      await page.getByTestId('nv-tab-stepper').click();
      const stepper = page.getByTestId('seq2seq-stepper');
      await stepper.waitFor();
      expectSame(await shown(page, 'walk-loss'), expected.walk.loss, 'loss');
      await stepper.focus();
      for (let i = 0; i < S + 1; i++) await page.keyboard.press('ArrowRight');
      expect(await stepper.getAttribute('data-part')).toBe('decoder');
      expect(await stepper.getAttribute('data-phase')).toBe('forward');
      expect(await stepper.getAttribute('data-t')).toBe('1');
      expectSame(await shown(page, 'h-norm'), rowNorm(decoder.dirs[0].h, 1, H), '‖h_2‖ decoder');
      expectSame(await shown(page, 'gate-norm-z'), rowNorm(decoder.dirs[0].gates.subarray(G * H + H, G * H + 2 * H), 0, H), '‖z_2‖ decoder');
      expect(await page.getByTestId('stepper-reads').getAttribute('data-source')).toBe(expected.walk.inputSource[1]);
      // End (the encoder's backward pass at t = 1), then one back: t = 2.
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      expect(await stepper.getAttribute('data-part')).toBe('encoder');
      expect(await stepper.getAttribute('data-phase')).toBe('backward');
      const t = Number(await stepper.getAttribute('data-t'));
      expect(t).toBe(1);
      const e = encoder.dirs[0];
      expectSame(await shown(page, 'dh-norm'), rowNorm(e.dh, t, H), '‖dL/dh_2‖ encoder');
      expectSame(await shown(page, 'from-next-norm'), rowNorm(e.fromNext, t, H), '‖dL/dh_2 from t = 3‖ encoder');
      expectSame(await shown(page, 'contrib-Whh'), e.contribution.Whh[t], '‖ΔW_hh‖ encoder t = 2');
      expectSame(await shown(page, 'total-Whh'), e.total.Whh[t], 'running ‖dL/dW_hh‖ encoder after t = 2');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
