/**
 * The network panel of the built page against the engine (issue 7: "every number shown
 * equals the engine's own record for that example"). On the CPU backend, which is
 * deterministic bit for bit, the page takes three training steps from the adding problem's
 * defaults; this test process builds the same run (same config and seed), takes the same
 * three steps with the CPU engine, walks validation example 2 itself, and compares the
 * numbers the step-through and the cell inspector show (their data-value attributes).
 */
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/store/defaults.ts';
import { openApp, ready, servedApp, stepTo, useCpu } from './fixture.ts';
import { engineWalk, expectSame, rowNorm, shown, walkOnPage } from './networkPanel.ts';

/** Training steps the page takes before its numbers are checked. */
const STEPS = 3;
/** The validation example walked. */
const EXAMPLE = 2;

describe('network panel of the built page', () => {
  const app = servedApp();

  test('CPU backend, adding problem, 3 steps: the step-through and the cell inspector show the engine’s record of example 2', async () => {
    const expected = await engineWalk(defaultConfig('adding'), STEPS, EXAMPLE);
    const w = expected.walk;
    const d = w.dirs[0];
    const H = w.hiddenSize;
    const G = w.gateNames.length;
    const { page, errors } = await openApp(app.browser, app.url);
    await useCpu(page);
    await ready(page);
    await stepTo(page, STEPS);
    await walkOnPage(page, EXAMPLE, STEPS);

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
  });
});
