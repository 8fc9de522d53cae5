/**
 * The built app in headless Chromium, served from a sub-path, used as a newcomer would:
 * on SwiftShader's WebGPU, pick the adding problem, press play, see the step counter
 * advance and the loss fall; space, `n` and `r`; a setting that needs a reset says so and
 * reset builds the new run; then the character model trains and samples text. Without
 * WebGPU the same page trains on the CPU.
 */
import type { Page } from 'playwright';
import { describe, expect, test } from 'vitest';
import { openApp, ready, servedApp, useCpu } from './fixture.ts';

/** A number the top bar shows. */
async function stat(page: Page, id: string): Promise<number> {
  return Number((await page.getByTestId(id).textContent())!.replace(/,/g, ''));
}

/** Waits until the step counter reaches `n`. */
async function stepAtLeast(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((min) => Number(document.querySelector('[data-testid="step"]')!.textContent!.replace(/,/g, '')) >= min, n, { timeout });
}

/** Picks a task in the Data section and waits for its run. */
async function pickTask(page: Page, id: string): Promise<void> {
  await page.getByTestId('task-picker').selectOption(id);
  await page.locator('[data-testid="play"][disabled]').waitFor({ timeout: 5_000 }).catch(() => {});
  await ready(page);
}

describe('built app served from a sub-path', () => {
  describe('in a Chromium with WebGPU', () => {
    const app = servedApp({ webgpu: true });

    test('WebGPU (SwiftShader): adding problem trains, keys work, lr applies live, a reset-only setting says so; the char model samples text; switch to the CPU', async () => {
      const { page, errors } = await openApp(app.browser, app.url);
      expect(await page.title()).toBe('RNN Playground');
      await expect.poll(() => page.getByTestId('backend').getAttribute('data-state'), { timeout: 30_000 }).toBe('webgpu');
      expect(await page.getByTestId('backend').textContent()).toMatch(/^WebGPU · .*swiftshader/);

      // Every control has a label and a tooltip (a title, or a description it names).
      const unlabelled = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea, button'))
          .filter((c) => !c.closest('[hidden]'))
          .filter((c) => {
            const named = (c.labels?.length ?? 0) > 0 || c.getAttribute('aria-label') || (c.tagName === 'BUTTON' && c.textContent!.trim());
            const tip = c.closest('[title]') || c.getAttribute('aria-describedby');
            return !(named && tip);
          })
          .map((c) => c.outerHTML.slice(0, 80)),
      );
      expect(unlabelled).toEqual([]);

      // Pick the adding problem (from another task, so the picker builds a new run).
      await pickTask(page, 'copy');
      await pickTask(page, 'adding');

      // One step for the first loss, then play: the counter advances and the loss falls.
      await page.getByTestId('step-button').click();
      await stepAtLeast(page, 1);
      await expect.poll(() => page.getByTestId('train-loss').textContent(), { timeout: 30_000 }).not.toBe('—');
      const firstLoss = await stat(page, 'train-loss');
      await page.getByTestId('play').click();
      await stepAtLeast(page, 60);
      // Space pauses (focus on the page, not on a button).
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press(' ');
      await expect.poll(() => page.getByTestId('play').getAttribute('aria-label'), { timeout: 30_000 }).toBe('Play');
      await page.waitForTimeout(400);
      const paused = await stat(page, 'step');
      expect(await stat(page, 'train-loss')).toBeLessThan(firstLoss / 2);
      expect(await stat(page, 'validation-loss')).toBeLessThan(firstLoss / 2);
      await page.waitForTimeout(500);
      expect(await stat(page, 'step')).toBe(paused);

      // `n` takes one step, `r` goes back to step 0.
      await page.keyboard.press('n');
      await expect.poll(() => stat(page, 'step'), { timeout: 30_000 }).toBe(paused + 1);
      await page.keyboard.press('r');
      await expect.poll(() => stat(page, 'step'), { timeout: 30_000 }).toBe(0);

      // The hidden size needs a new run: it says so until reset builds it.
      await page.locator('#hidden').focus();
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.getByTestId('needs-reset').count(), { timeout: 30_000 }).toBe(1);
      // Meanwhile the learning rate still applies live (the run is sent its live settings only) and waits for nothing.
      await page.locator('#lr').focus();
      await page.keyboard.press('ArrowLeft');
      await page.waitForTimeout(500);
      expect(await page.getByTestId('needs-reset').count()).toBe(1);
      expect(await page.getByTestId('error').count()).toBe(0);
      await page.getByTestId('reset').click();
      await ready(page);
      await expect.poll(() => page.getByTestId('needs-reset').count(), { timeout: 30_000 }).toBe(0);
      expect(await page.getByTestId('model-summary').textContent()).toContain('1 × 1 × 17');
      // The earlier run's curve stays on the chart, named by what differed.
      await expect.poll(() => page.locator('.charts').textContent(), { timeout: 30_000 }).toMatch(/hiddenSize: 16 → 17/);

      // The character model: a few steps, and text sampled from its weights appears.
      await pickTask(page, 'char-model');
      await page.getByTestId('play').click();
      await stepAtLeast(page, 5);
      await page.getByTestId('play').click();
      await expect.poll(() => page.getByTestId('sample-text').textContent(), { timeout: 15_000 }).toMatch(/^It is a truth .{20,}/s);

      // The backend switch rebuilds the run on the CPU.
      await useCpu(page);
      await ready(page);
      expect(await stat(page, 'step')).toBe(0);

      expect(errors).toEqual([]);
    }, 120_000);
  });

  describe('in a Chromium without WebGPU', () => {
    const app = servedApp();

    test('no WebGPU: the backend says CPU with a reason, the adding problem trains there; pasted text: none is refused by name, some trains', async () => {
      const { page, errors } = await openApp(app.browser, app.url);
      expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('cpu');
      expect(await page.getByTestId('backend').getAttribute('title')).toMatch(/^WebGPU is not used: \S.+/);
      await page.getByTestId('step-button').click();
      await expect.poll(() => page.getByTestId('train-loss').textContent(), { timeout: 30_000 }).not.toBe('—');
      const firstLoss = await stat(page, 'train-loss');
      await page.getByTestId('play').click();
      await stepAtLeast(page, 60);
      await page.getByTestId('play').click();
      await expect.poll(() => page.getByTestId('play').getAttribute('aria-label'), { timeout: 30_000 }).toBe('Play');
      expect(await stat(page, 'train-loss')).toBeLessThan(firstLoss / 2);

      // A bad setting gets a message naming the problem, and fixing it recovers.
      await pickTask(page, 'char-model');
      await page.locator('#task-source').selectOption('pasted');
      await expect.poll(() => page.getByTestId('needs-reset').count(), { timeout: 30_000 }).toBeGreaterThan(0);
      await page.getByTestId('reset').click();
      await expect.poll(() => page.getByTestId('error').textContent(), { timeout: 30_000 }).toMatch(/Paste some text to train on first/);
      await page.locator('#task-text').fill('the cat sat on the mat. '.repeat(20));
      await page.getByTestId('reset').click();
      await ready(page);
      expect(await page.getByTestId('error').count()).toBe(0);
      expect(await page.getByTestId('model-summary').textContent()).toContain('one-hot over 11 symbols');
      expect(errors).toEqual([]);
    }, 60_000);
  });
});
