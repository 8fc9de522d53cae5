/**
 * Saved sessions in the built app: a run's settings survive a reload of the bare address
 * (IndexedDB), "New session" forgets them, a link in the address wins over the saved
 * session (and the page says so); with IndexedDB refused (`indexedDB.open` throws) or full
 * (`put` throws QuotaExceededError) the page says so and still trains.
 */
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeHash } from '../../src/share/hash.ts';
import { applyOverride, defaultState } from '../../src/share/schema.ts';
import { baseArgs, requireChromium } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** Waits for the run to be built (play enabled). */
async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
}

/** The step counter's value. */
async function step(page: Page): Promise<number> {
  return Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
}

/** Trains a moment and checks the step counter moved. */
async function trains(page: Page): Promise<void> {
  await page.getByTestId('play').click();
  await expect.poll(() => step(page), { timeout: 30_000 }).toBeGreaterThan(2);
  await page.getByTestId('play').click();
}

/** The page's training losses by step, through its CSV export. */
async function losses(page: Page): Promise<Map<number, number>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  const rows = Buffer.concat(chunks).toString('utf8').trim().split('\n').map((line) => line.split(','));
  return new Map(rows.filter((r) => r[0] === 'train').map((r) => [Number(r[1]), Number(r[2])]));
}

/** Plays until the step counter reaches `n`, then pauses; returns the step it paused at. */
async function playTo(page: Page, n: number): Promise<number> {
  await page.getByTestId('play').click();
  await expect.poll(() => step(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(n);
  await page.getByTestId('play').click();
  await page.locator('[data-testid="play"][aria-label="Play"]').waitFor();
  return step(page);
}

describe('saved sessions in the built app', () => {
  let server: StaticServer;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
    browser = await chromium.launch({ executablePath: requireChromium(), args: baseArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('settings survive a reload of the bare address; a link wins over them; New session forgets them', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await ready(page);
    await page.getByTestId('task-picker').selectOption('copy');
    await expect.poll(() => new URL(page.url()).hash).toContain('t=copy');
    await ready(page);
    await trains(page); // the pause saves, a moment later
    await page.locator('[data-testid="play"][aria-label="Play"]').waitFor();
    const paused = String(await step(page));
    await expect.poll(() => page.getByTestId('share').getAttribute('data-saved-step'), { timeout: 10_000 }).toBe(paused);

    await page.goto(server.url);
    await ready(page);
    expect(await page.getByTestId('task-picker').inputValue()).toBe('copy');
    expect(new URL(page.url()).hash).toContain('t=copy');

    // Another link, opened in a new tab, wins, and the page says the saved session was not opened.
    const linkPage = await context.newPage();
    await linkPage.goto(`${server.url}#v=1&t=reber`);
    await ready(linkPage);
    expect(await linkPage.getByTestId('task-picker').inputValue()).toBe('reber');
    expect(await linkPage.getByTestId('persist-notice').textContent()).toContain('instead of your saved session');
    await linkPage.close();

    await page.getByTestId('share').click();
    await page.getByTestId('new-session').click();
    await expect.poll(() => page.getByTestId('task-picker').inputValue()).toBe('adding');
    await ready(page);
    await page.goto(server.url);
    await ready(page);
    expect(await page.getByTestId('task-picker').inputValue()).toBe('adding');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a reload restores the run where it was (CPU): the same step and curves, and the next steps’ losses equal an uninterrupted run’s', async () => {
    const hash = encodeHash(applyOverride(defaultState('adding'), { config: { task: { id: 'adding', settings: { T: 12 } }, model: { hiddenSize: 8 }, training: { batchSize: 8 } }, backend: 'cpu' }));
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}#${hash}`);
    await ready(page);
    const paused = await playTo(page, 30);
    // The pause's save (not one taken on the 10 s timer while it played) holds the step it paused at.
    await expect.poll(() => page.getByTestId('share').getAttribute('data-saved-step'), { timeout: 10_000 }).toBe(String(paused));
    const saved = await losses(page);
    expect(saved.size).toBe(paused);

    await page.reload();
    await ready(page);
    expect(await step(page)).toBe(paused);
    expect(await page.getByTestId('persist-notice').count()).toBe(0);
    expect(await losses(page)).toEqual(saved);
    for (let i = 1; i <= 3; i++) {
      await page.getByTestId('step-button').click();
      await expect.poll(() => step(page)).toBe(paused + i);
    }
    const resumed = await losses(page);
    await context.close();

    // The same link in a fresh browser (no saved session), trained without a break.
    context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
    const fresh = await context.newPage();
    await fresh.goto(`${server.url}#${hash}`);
    await ready(fresh);
    await playTo(fresh, paused + 3);
    const straight = await losses(fresh);
    for (let s = 1; s <= paused + 3; s++) expect(resumed.get(s), `step ${s}`).toBe(straight.get(s));
    await context.close();
  });

  test('IndexedDB refused: indexedDB.open throws; the page says so and trains', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('storage refused by the test', 'SecurityError');
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await ready(page);
    expect(await page.getByTestId('persist-notice').textContent()).toContain('Saved sessions are off');
    await trains(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    await context.close();
  });

  test('IndexedDB full: put fails with QuotaExceededError; the page says so and trains', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(() => {
      IDBObjectStore.prototype.put = () => {
        throw new DOMException('full (the test)', 'QuotaExceededError');
      };
    });
    const page = await context.newPage();
    await page.goto(server.url);
    await ready(page);
    await expect.poll(async () => (await page.getByTestId('persist-notice').count()) && page.getByTestId('persist-notice').textContent()).toContain('storage is full');
    await trains(page);
    expect(await page.getByTestId('error').count()).toBe(0);
    await context.close();
  });
});
