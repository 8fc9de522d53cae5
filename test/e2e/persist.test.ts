/**
 * Saved sessions in the built app: a run's settings survive a reload of the bare address
 * (IndexedDB), "New session" forgets them, a link in the address wins over the saved
 * session (and the page says so); with IndexedDB refused (`indexedDB.open` throws) or full
 * (`put` throws QuotaExceededError) the page says so and still trains.
 */
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, test } from 'vitest';
import { encodeHash } from '../../src/share/hash.ts';
import { applyOverride, defaultState } from '../../src/share/schema.ts';
import { exportedCsv, openApp, ready, servedApp, stepCount, stepTo, VIEWPORT } from './fixture.ts';

/** Trains a moment and checks the step counter moved. */
async function trains(page: Page): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(2);
  await page.getByTestId('play').click();
}

/** The page's training losses by step, through its CSV export. */
async function losses(page: Page): Promise<Map<number, number>> {
  return new Map((await exportedCsv(page)).filter((r) => r[0] === 'train').map((r) => [Number(r[1]), Number(r[2])]));
}

/** Plays until the step counter reaches `n`, then pauses; returns the step it paused at. */
async function playTo(page: Page, n: number): Promise<number> {
  await page.getByTestId('play').click();
  await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
  await page.getByTestId('play').click();
  await page.locator('[data-testid="play"][aria-label="Play"]').waitFor();
  return stepCount(page);
}

describe('saved sessions in the built app', () => {
  const app = servedApp();
  let context: BrowserContext;

  test('settings survive a reload of the bare address; a link wins over them; New session forgets them', async () => {
    context = await app.browser.newContext({ viewport: VIEWPORT });
    const { page, errors } = await openApp(context, app.url);
    await page.getByTestId('task-picker').selectOption('copy');
    await expect.poll(() => new URL(page.url()).hash).toContain('t=copy');
    await ready(page);
    await trains(page); // the pause saves, a moment later
    await page.locator('[data-testid="play"][aria-label="Play"]').waitFor();
    const paused = String(await stepCount(page));
    await expect.poll(() => page.getByTestId('share').getAttribute('data-saved-step'), { timeout: 10_000 }).toBe(paused);

    await page.goto(app.url);
    await ready(page);
    expect(await page.getByTestId('task-picker').inputValue()).toBe('copy');
    expect(new URL(page.url()).hash).toContain('t=copy');

    // Another link, opened in a new tab, wins, and the page says the saved session was not opened.
    const { page: linkPage } = await openApp(context, `${app.url}#v=1&t=reber`);
    expect(await linkPage.getByTestId('task-picker').inputValue()).toBe('reber');
    expect(await linkPage.getByTestId('persist-notice').textContent()).toContain('instead of your saved session');
    await linkPage.close();

    await page.getByTestId('share').click();
    await page.getByTestId('new-session').click();
    await expect.poll(() => page.getByTestId('task-picker').inputValue()).toBe('adding');
    await ready(page);
    await page.goto(app.url);
    await ready(page);
    expect(await page.getByTestId('task-picker').inputValue()).toBe('adding');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a reload restores the run where it was (CPU): the same step and curves, and the next steps’ losses equal an uninterrupted run’s', async () => {
    const hash = encodeHash(applyOverride(defaultState('adding'), { config: { task: { id: 'adding', settings: { T: 12 } }, model: { hiddenSize: 8 }, training: { batchSize: 8 } }, backend: 'cpu' }));
    context = await app.browser.newContext({ viewport: VIEWPORT });
    const { page } = await openApp(context, `${app.url}#${hash}`);
    const paused = await playTo(page, 30);
    // The pause's save (not one taken on the 10 s timer while it played) holds the step it paused at.
    await expect.poll(() => page.getByTestId('share').getAttribute('data-saved-step'), { timeout: 10_000 }).toBe(String(paused));
    const saved = await losses(page);
    expect(saved.size).toBe(paused);

    await page.reload();
    await ready(page);
    // The run is built (play enabled) before the saved weights and curves are put back into it.
    await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBe(paused);
    expect(await page.getByTestId('persist-notice').count()).toBe(0);
    expect(await losses(page)).toEqual(saved);
    await stepTo(page, paused + 3);
    const resumed = await losses(page);
    await context.close();

    // The same link in a fresh browser (no saved session), trained without a break.
    context = await app.browser.newContext({ viewport: VIEWPORT });
    const { page: fresh } = await openApp(context, `${app.url}#${hash}`);
    await playTo(fresh, paused + 3);
    const straight = await losses(fresh);
    for (let s = 1; s <= paused + 3; s++) expect(resumed.get(s), `step ${s}`).toBe(straight.get(s));
    await context.close();
  });

  test('IndexedDB refused: indexedDB.open throws; the page says so and trains', async () => {
    context = await app.browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('storage refused by the test', 'SecurityError');
      };
    });
    const { page } = await openApp(context, app.url);
    expect(await page.getByTestId('persist-notice').textContent()).toContain('Saved sessions are off');
    await trains(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    await context.close();
  });

  test('IndexedDB full: put fails with QuotaExceededError; the page says so and trains', async () => {
    context = await app.browser.newContext({ viewport: VIEWPORT });
    await context.addInitScript(() => {
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('full (the test)', 'QuotaExceededError');
      };
    });
    const { page } = await openApp(context, app.url);
    await expect.poll(async () => (await page.getByTestId('persist-notice').count()) && page.getByTestId('persist-notice').textContent()).toContain('storage is full');
    await trains(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    await context.close();
  });
});
