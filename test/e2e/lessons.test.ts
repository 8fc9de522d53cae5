/**
 * Lessons in the built app: the Lessons panel lists every lesson with a link to its run;
 * each lesson's link (and its contrast's) opens with no notice, on the lesson's task, and
 * trains: two steps advance the step counter with a finite training loss. On the CPU
 * (Chromium without WebGPU), where the page falls back to the reference engine.
 */
import type { Page } from 'playwright';
import { describe, expect, test } from 'vitest';
import { contrastHash, contrastState, LESSONS, lessonHash, lessonState } from '../../src/share/lessons.ts';
import { tabForViews } from '../../src/store/share.ts';
import { openApp, ready, servedApp, stepTo } from './fixture.ts';

/** Two single steps from step 0 (to step 2); returns the training loss shown after them. */
async function twoSteps(page: Page): Promise<number> {
  await stepTo(page, 2, 60_000);
  await expect.poll(async () => (await page.getByTestId('train-loss').textContent())!.trim()).not.toBe('—');
  return Number((await page.getByTestId('train-loss').textContent())!.replace(/,/g, ''));
}

describe('lessons in the built app', () => {
  const app = servedApp();

  test('the Lessons panel lists every lesson, and its link opens the run', async () => {
    const { page } = await openApp(app.browser, app.url);
    await page.getByTestId('lessons').click();
    const panel = page.getByTestId('lessons-panel');
    for (const lesson of LESSONS) {
      const item = panel.getByTestId(`lesson-${lesson.id}`);
      expect(await item.locator('h3').textContent()).toBe(lesson.title);
      expect(await item.getByTestId('lesson-open').getAttribute('href')).toBe(`#${lessonHash(lesson)}`);
    }
    const last = LESSONS[LESSONS.length - 1];
    await panel.getByTestId(`lesson-${last.id}`).getByTestId('lesson-open').click();
    await expect.poll(() => page.getByTestId('task-picker').inputValue()).toBe(last.override.config.task.id);
    await ready(page);
    expect(await page.getByTestId('lessons-panel').count()).toBe(0);
    await page.close();
  });

  for (const lesson of LESSONS) {
    const links = [{ name: 'lesson', hash: lessonHash(lesson), tab: tabForViews(lessonState(lesson).views) }, ...(lesson.contrast ? [{ name: 'contrast', hash: contrastHash(lesson), tab: tabForViews(contrastState(lesson).views) }] : [])];
    for (const { name, hash, tab } of links) {
      test(`${lesson.id} (${name}): opens with no notice on ${lesson.override.config.task.id} and trains`, async () => {
        const { page, errors } = await openApp(app.browser, `${app.url}#${hash}`);
        expect(await page.getByTestId('link-notices').count()).toBe(0);
        expect(await page.getByTestId('error').count()).toBe(0);
        expect(await page.getByTestId('task-picker').inputValue()).toBe(lesson.override.config.task.id);
        expect(new URL(page.url()).hash).toBe(`#${hash}`);
        // The views the lesson names are open: its network-panel tab is the selected one.
        if (tab) expect(await page.getByTestId(`nv-tab-${tab}`).getAttribute('aria-selected')).toBe('true');
        expect(Number.isFinite(await twoSteps(page))).toBe(true);
        expect(errors).toEqual([]);
        await page.close();
      });
    }
  }
});
