/**
 * Jordan output feedback on the built page (CPU backend): the Model panel's switch turns it on
 * (disabled, saying what it needs, for the copy task's default LSTM; marked "needs reset"), a
 * reset builds the run, and after three steps the network panel's graph draws the T-1 feedback
 * edges and the step-through shows the feedback numbers of the engine's own walk of the same
 * run, computed in this test.
 */
import { describe, expect, test } from 'vitest';
import { defaultConfig } from '../../src/store/defaults.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { openApp, ready, servedApp, stepTo, useCpu } from './fixture.ts';
import { engineWalk, expectSame, rowNorm, shown, walkOnPage } from './networkPanel.ts';

/** Training steps the page takes before its numbers are checked. */
const STEPS = 3;
/** The validation example walked. */
const EXAMPLE = 2;

/** The run the page builds: the copy task's defaults with a vanilla tanh RNN and output feedback. */
function jordanConfig(): TrainerConfig {
  const config = defaultConfig('copy');
  return { ...config, model: { ...config.model, cell: 'rnn_tanh', lstm: undefined, outputFeedback: { teacherForcing: false, recurrent: true } } };
}

describe('Jordan output feedback on the built page', () => {
  const app = servedApp();

  test('CPU, copy task: feedback on in the Model panel, reset, 3 steps: T-1 feedback edges and the walk’s feedback numbers', async () => {
    const expected = await engineWalk(jordanConfig(), STEPS, EXAMPLE);
    const w = expected.walk;
    const d = w.dirs[0];
    const fb = d.feedback!;
    const { T, hiddenSize: H } = w;
    const { page, errors } = await openApp(app.browser, app.url);
    await useCpu(page);
    await page.getByTestId('task-picker').selectOption('copy');
    await ready(page);

    // The copy task's LSTM: the switch is there, disabled, and says what it needs.
    const feedback = page.locator('#feedback');
    await expect.poll(() => feedback.isDisabled()).toBe(true);
    expect(await page.getByTestId('feedback-needs').textContent()).toBe('Output feedback needs a vanilla RNN cell (tanh or ReLU).');
    await page.locator('#cell').selectOption('rnn_tanh');
    await expect.poll(() => feedback.isDisabled()).toBe(false);
    await feedback.check();
    const panel = page.getByTestId('output-feedback');
    await panel.getByTestId('needs-reset').first().waitFor();
    expect(await page.locator('#feedback-forced').isChecked()).toBe(false);
    expect(await page.locator('#feedback-recurrent').isChecked()).toBe(true);
    await page.getByTestId('reset').click();
    await expect.poll(() => panel.getByTestId('needs-reset').count(), { timeout: 60_000 }).toBe(0);
    await ready(page);
    await stepTo(page, STEPS);
    await walkOnPage(page, EXAMPLE, STEPS);

    // The graph, backward: T-1 curved edges y_(t-1) -> h_t, each carrying the walk's ‖dL/dh_(t-1) through the feedback‖.
    await page.getByTestId('nv-tab-graph').click();
    await page.getByTestId('nv-view-backward').click();
    const edges = page.getByTestId('graph-feedback-edge');
    await expect.poll(() => edges.count()).toBe(T - 1);
    for (const t of [1, 4, T - 1]) {
      const v = Number(await page.locator(`[data-testid="graph-feedback-edge"][data-t="${t}"]`).getAttribute('data-value'));
      expectSame(v, rowNorm(fb.fromFeedback, t - 1, H), `feedback edge into t = ${t + 1}`);
    }
    expect(rowNorm(fb.fromFeedback, 3, H)).toBeGreaterThan(0);

    // The step-through, backward at t = 4 (0-based 3): the three parts of dL/dh_t and ΔW_hy.
    await page.getByTestId('nv-tab-stepper').click();
    const stepper = page.getByTestId('bptt-stepper');
    await stepper.waitFor();
    await stepper.focus();
    await page.keyboard.press('End');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    expect(await stepper.getAttribute('data-t')).toBe('3');
    expectSame(await shown(page, 'from-feedback-norm'), rowNorm(fb.fromFeedback, 3, H), '‖dL/dh_4 through y_4 fed into step 5‖');
    expectSame(await shown(page, 'from-next-norm'), rowNorm(d.fromNext, 3, H), '‖dL/dh_4 through W_hh‖');
    expectSame(await shown(page, 'from-output-norm'), rowNorm(d.fromOutput, 3, H), '‖dL/dh_4 from the loss at 4‖');
    expectSame(await shown(page, 'dh-norm'), rowNorm(d.dh, 3, H), '‖dL/dh_4‖');
    expectSame(await shown(page, 'contrib-Why'), fb.contribution[3], '‖ΔW_hy‖ at t = 4');
    expectSame(await shown(page, 'total-Why'), fb.total[3], 'running ‖dL/dW_hy‖ after t = 4');

    // Back to an LSTM: the feedback goes off with it, and stays off for the next vanilla RNN.
    await page.locator('#cell').selectOption('lstm');
    await expect.poll(() => feedback.isDisabled()).toBe(true);
    expect(await feedback.isChecked()).toBe(false);
    await page.locator('#cell').selectOption('rnn_tanh');
    await expect.poll(() => feedback.isDisabled()).toBe(false);
    expect(await feedback.isChecked()).toBe(false);
    expect(errors).toEqual([]);
  });
});
