/**
 * What the e2e files share: the built app (dist/) served under the sub-path with a headless
 * Chromium to open it in, a page of it that records what goes wrong, and the waits the files
 * make on it (a run built, the step counter).
 */
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { afterAll, beforeAll, expect } from 'vitest';
import { baseArgs, requireChromium, webgpuArgs } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir, type StaticServer } from './serve.ts';

/** The served build and the browser of one describe block (read them inside its tests). */
export interface ServedApp {
  /** URL of the app's index under the sub-path. */
  readonly url: string;
  /** The Chromium the block's tests open pages in. */
  readonly browser: Browser;
}

/**
 * Serves dist/ under the sub-path and launches Chromium (with SwiftShader's WebGPU when `webgpu`,
 * else without WebGPU, so the page trains on the CPU) before the calling describe block's tests;
 * closes both after them.
 */
export function servedApp({ webgpu = false } = {}): ServedApp {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await serveDir(join(root, 'dist'));
    browser = await chromium.launch({ executablePath: requireChromium(), args: webgpu ? [...baseArgs, ...webgpuArgs] : baseArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`servedApp: the ${what} is started in beforeAll; read it inside a test`);
    return value;
  };
  return {
    get url() {
      return started(server, 'server').url;
    },
    get browser() {
      return started(browser, 'browser');
    },
  };
}

/**
 * Records what goes wrong on a page: uncaught errors, console errors, and dialogs (dismissed).
 * A test expects the list empty at its end.
 */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return errors;
}

/** The viewport every page of the app is opened at. */
export const VIEWPORT = { width: 1280, height: 720 };

/**
 * Opens `url` in a new page (1280 x 720 from a browser; a context brings its own options),
 * records its errors, and waits for its run to be built.
 */
export async function openApp(from: Browser | BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = 'newContext' in from ? await from.newPage({ viewport: VIEWPORT }) : await from.newPage();
  const errors = recordErrors(page);
  await page.goto(url);
  await ready(page);
  return { page, errors };
}

/** Waits until a run is built (the play button is enabled), up to 60 s. */
export async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
}

/** The step counter's value. */
export async function stepCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
}

/** Single steps (the step button) until the step counter reads `n`, each awaited up to `timeout` ms. */
export async function stepTo(page: Page, n: number, timeout = 30_000): Promise<void> {
  for (let i = (await stepCount(page)) + 1; i <= n; i++) {
    await page.getByTestId('step-button').click();
    await expect.poll(() => stepCount(page), { timeout }).toBe(i);
  }
}

/** Switches the page to the CPU backend and waits until it says so. */
export async function useCpu(page: Page): Promise<void> {
  await page.locator('#backend-choice').selectOption('cpu');
  await expect.poll(() => page.getByTestId('backend').getAttribute('data-state'), { timeout: 30_000 }).toBe('cpu');
}

/** Clicks a button that downloads a file; returns the file's bytes. */
export async function downloadVia(page: Page, testId: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The page's metric history, through its CSV export button: rows of fields, the header first. */
export async function exportedCsv(page: Page): Promise<string[][]> {
  return (await downloadVia(page, 'export-csv'))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(','));
}
