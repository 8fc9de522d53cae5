/**
 * Faults in the built app (headless Chromium with SwiftShader WebGPU). Playwright's init scripts
 * do not run in workers, and the training worker is where WebGPU is requested, so the faults are
 * injected by rewriting the worker's script on its way in (context.route): a few lines put before
 * it break WebGPU the way a browser or machine would.
 *  - no WebGPU, three ways (navigator.gpu missing, a null adapter, requestDevice rejecting): the
 *    CPU trains and a banner says why and which browsers have WebGPU;
 *  - too big: adapter limits shrunk to 4 MiB per buffer; a hidden size of 256 is refused with the
 *    limit named and the largest size that fits, and the previous run keeps training on WebGPU;
 *  - a crashed GPU process (DevTools protocol Browser.crashGpuProcess) while training: the page
 *    says the GPU was lost and training resumed, and the step counter goes on.
 */
import type { Browser, Page } from 'playwright';
import { describe, expect, test } from 'vitest';
import { openApp, servedApp, stepCount, VIEWPORT } from './fixture.ts';

/** Worker-script prefixes, one per fault. */
const PATCHES = {
  missing: `Object.defineProperty(Object.getPrototypeOf(navigator), 'gpu', { get: () => undefined, configurable: true });`,
  nullAdapter: `GPU.prototype.requestAdapter = async () => null;`,
  rejectDevice: `GPUAdapter.prototype.requestDevice = async () => { throw new DOMException('injected by the test', 'OperationError'); };`,
  smallLimits: `{
    const real = Object.getOwnPropertyDescriptor(GPUAdapter.prototype, 'limits').get;
    const SMALL = 4 * 1024 * 1024;
    Object.defineProperty(GPUAdapter.prototype, 'limits', {
      configurable: true,
      get() {
        const limits = real.call(this);
        return new Proxy(limits, { get: (t, k) => (k === 'maxStorageBufferBindingSize' || k === 'maxBufferSize' ? SMALL : t[k]) });
      },
    });
  }`,
} as const;

/** A page of the app whose training worker runs `patch` first, with the errors the page logs. */
async function open(browser: Browser, url: string, patch: string | null): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  if (patch !== null) {
    await context.route('**/assets/worker-*.js', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: `${patch}\n${await response.text()}` });
    });
  }
  return openApp(context, url);
}

/** Waits until the step counter passes `n`. */
async function stepBeyond(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((min) => Number(document.querySelector('[data-testid="step"]')!.textContent!.replace(/,/g, '')) > min, n, { timeout });
}

describe('faults in the built app', () => {
  const app = servedApp({ webgpu: true });

  const causes = [
    ['missing', /navigator\.gpu is missing/],
    ['nullAdapter', /requestAdapter returned null/],
    ['rejectDevice', /requestDevice rejected: injected by the test/],
  ] as const;
  for (const [cause, reason] of causes) {
    test(`no WebGPU (${cause}): the CPU trains, and a banner says why and which browsers have WebGPU`, async () => {
      const { page, errors } = await open(app.browser, app.url, PATCHES[cause]);
      try {
        expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('cpu');
        const banner = (await page.getByTestId('no-webgpu').textContent())!;
        console.log(`${cause}: ${banner}`);
        expect(banner).toMatch(reason);
        expect(banner).toMatch(/Chrome and Edge 113/);
        await page.getByTestId('play').click();
        await stepBeyond(page, 20);
        await page.getByTestId('play').click();
        expect(await page.getByTestId('error').count()).toBe(0);
        expect(errors).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  }

  test('WebGPU with real limits shows no such banner', async () => {
    const { page } = await open(app.browser, app.url, null);
    try {
      expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('webgpu');
      expect(await page.getByTestId('no-webgpu').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  test('too big: hidden size 256 with 4 MiB buffers is refused naming the limit and what fits; the previous run trains on', async () => {
    const { page, errors } = await open(app.browser, app.url, PATCHES.smallLimits);
    try {
      expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('webgpu');
      await page.getByTestId('play').click();
      await stepBeyond(page, 10);
      await page.locator('#hidden').fill('256');
      await page.getByTestId('reset').click();
      const message = page.getByTestId('error');
      await expect.poll(() => message.count(), { timeout: 30_000 }).toBe(1);
      const text = (await message.textContent())!;
      console.log(`too big: ${text}`);
      expect(text).toMatch(/maxStorageBufferBindingSize is 4\.0 MiB/);
      expect(text).toMatch(/Largest that fits with the other settings unchanged: hidden size \d+/);
      // The previous run (hidden size 16, on WebGPU) is still the one in use, and still training.
      expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('webgpu');
      const before = await stepCount(page);
      await stepBeyond(page, before + 10);
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  test('a crashed GPU process (Browser.crashGpuProcess) while training: the page says resumed and keeps training', async () => {
    const { page } = await open(app.browser, app.url, null);
    try {
      expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('webgpu');
      await page.getByTestId('play').click();
      await stepBeyond(page, 20);
      // Long enough for the worker's copy (every 3 s) to move past step 0.
      await page.waitForTimeout(4000);
      const crashedAt = await stepCount(page);
      const cdp = await app.browser.newBrowserCDPSession();
      await cdp.send('Browser.crashGpuProcess');
      const notice = page.getByTestId('fault-recovered');
      await notice.waitFor({ timeout: 30_000 });
      const text = (await notice.textContent())!;
      console.log(`GPU process crash: ${text}`);
      const resumed = Number(/GPU device lost; resumed from step (\d+)/.exec(text)?.[1]);
      expect(resumed).toBeGreaterThan(0);
      expect(resumed).toBeLessThanOrEqual(crashedAt);
      // The new GPU process starts SwiftShader and compiles the shaders again: slow on a loaded machine.
      const at = await stepCount(page);
      await stepBeyond(page, at + 10, 90_000);
    } finally {
      await page.context().close();
    }
  }, 180_000);
});
