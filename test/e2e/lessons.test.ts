/**
 * Lessons in the built app: the Lessons panel lists every lesson with a link to its run;
 * each lesson's link (and its contrast's) opens with no notice, on the lesson's task, and
 * trains: two steps advance the step counter with a finite training loss. On the CPU
 * (Chromium without WebGPU), where the page falls back to the reference engine.
 */
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { contrastHash, contrastState, LESSONS, lessonHash, lessonState } from '../../src/share/lessons.ts';
import { tabForViews } from '../../src/store/share.ts';
import { baseArgs, requireChromium } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** The step counter's value. */
async function step(page: Page): Promise<number> {
  return Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
}

/** Waits for the run to be built (play enabled). */
async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
}

/** Two single steps on the current run; returns the training loss shown after them. */
async function twoSteps(page: Page): Promise<number> {
  for (let i = 1; i <= 2; i++) {
    await page.getByTestId('step-button').click();
    await expect.poll(() => step(page), { timeout: 60_000 }).toBe(i);
  }
  await expect.poll(async () => (await page.getByTestId('train-loss').textContent())!.trim()).not.toBe('—');
  return Number((await page.getByTestId('train-loss').textContent())!.replace(/,/g, ''));
}

describe('lessons in the built app', () => {
  let server: StaticServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
    browser = await chromium.launch({ executablePath: requireChromium(), args: baseArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the Lessons panel lists every lesson, and its link opens the run', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(server.url);
    await ready(page);
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
        const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(`${server.url}#${hash}`);
        await ready(page);
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
