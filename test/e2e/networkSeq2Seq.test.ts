/**
 * The network panel of the built page on the sequence-to-sequence task, against the engine. On
 * the CPU backend (deterministic bit for bit) the page trains the task's defaults with teacher
 * forcing r = 0.5 for three steps; this test process builds the same run, takes the same steps
 * with the CPU engine, walks validation example 2 through encoder and decoder itself, and compares
 * what the graph and the step-through show (their data attributes) with that record.
 */
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/store/defaults.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { openApp, ready, servedApp, stepTo, useCpu } from './fixture.ts';
import { engineSeq2SeqWalk, expectSame, rowNorm, shown, walkOnPage } from './networkPanel.ts';

/** Training steps the page takes before its numbers are checked. */
const STEPS = 3;
/** The validation example walked. */
const EXAMPLE = 2;
/** The teacher-forcing ratio set on the page. */
const RATIO = 0.5;

/** The run the page builds: the task's page defaults with teacher forcing r = 0.5. */
function seq2seqConfig(): TrainerConfig {
  const config = defaultConfig('seq2seq');
  config.training.teacherForcing = { kind: 'constant', ratio: RATIO };
  return config;
}

describe('network panel of the built page, sequence to sequence', () => {
  const app = servedApp();

  test('CPU backend, r = 0.5, 3 steps: the graph shows encoder, decoder and the hand-over; the stepper shows the engine’s record of example 2', async () => {
    const expected = await engineSeq2SeqWalk(seq2seqConfig(), STEPS, EXAMPLE);
    const { encoder, decoder } = expected.walk;
    const S = encoder.T;
    const U = decoder.T;
    const H = encoder.hiddenSize;
    const G = encoder.gateNames.length;
    const { page, errors } = await openApp(app.browser, app.url);
    await useCpu(page);
    await page.getByTestId('task-picker').selectOption('seq2seq');
    await expect.poll(() => page.getByTestId('nv-row').locator('option').first().textContent(), { timeout: 60_000 }).toBe('encoder layer 1');
    await ready(page);
    await page.locator('#tf-ratio').fill(String(RATIO));
    await stepTo(page, STEPS);
    await walkOnPage(page, EXAMPLE, STEPS);

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
  });
});
