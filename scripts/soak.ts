/**
 * Soak test (not part of npm test): the built app trains the adding problem on WebGPU in headless
 * Chromium (SwiftShader) for a while, network views open, and every minute this prints the main
 * thread's JS heap (CDP Runtime.getHeapUsage after a forced GC), the live GPU buffers in the
 * training worker (createBuffer minus destroy, counted by a wrapper put before the worker's script),
 * the steps that minute, and the console errors so far.
 *
 *   npx tsx scripts/soak.ts [seconds=300]
 *
 * Builds dist/ first (as the e2e tier does). Flat heap and buffer counts after the first minute,
 * no console errors and a steady step rate are what a healthy run shows.
 */
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../test/chromium.ts';
import buildApp, { root } from '../test/e2e/build.ts';
import { serveDir } from '../test/e2e/serve.ts';

const seconds = Number(process.argv[2] ?? 300);
if (!(seconds > 0)) throw new Error(`soak: the duration must be a positive number of seconds, got '${process.argv[2]}'`);

/** Counts the worker's live GPU buffers on `self.__liveBuffers`. */
const COUNT_BUFFERS = `{
  let live = 0;
  const dead = new WeakSet();
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (d) { live++; return create.call(this, d); };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function () { if (!dead.has(this)) { dead.add(this); live--; } return destroy.call(this); };
  Object.defineProperty(self, '__liveBuffers', { get: () => live });
}`;

buildApp();
const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs, '--js-flags=--expose-gc'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/assets/worker-*.js', async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${COUNT_BUFFERS}\n${await response.text()}` });
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(server.url);
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
  const backend = await page.getByTestId('backend').textContent();
  // Every view open: the network views panel, on its live gradients tab.
  const toggle = page.getByTestId('nv-toggle');
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const gradients = page.getByTestId('nv-tab-gradients');
  if ((await gradients.count()) > 0) await gradients.click();

  const cdp = await context.newCDPSession(page);
  const step = async () => Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
  const heapMiB = async () => {
    await page.evaluate(() => (globalThis as { gc?: () => void }).gc?.());
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / 2 ** 20;
  };
  const buffers = async () => {
    const worker = page.workers()[0];
    return worker ? await worker.evaluate(() => (self as unknown as { __liveBuffers: number }).__liveBuffers) : NaN;
  };

  console.log(`soak: ${seconds} s on ${backend}, network views ${(await toggle.count()) > 0 ? 'open' : 'absent'}`);
  console.log('minute  steps  steps/min  heap MiB  live GPU buffers  console errors');
  await page.getByTestId('play').click();
  let last = await step();
  const start = Date.now();
  for (let minute = 1; Date.now() - start < seconds * 1000; minute++) {
    await page.waitForTimeout(Math.min(60_000, seconds * 1000 - (Date.now() - start)));
    const now = await step();
    console.log(`${String(minute).padStart(6)}  ${String(now).padStart(5)}  ${String(now - last).padStart(9)}  ${(await heapMiB()).toFixed(1).padStart(8)}  ${String(await buffers()).padStart(16)}  ${String(errors.length).padStart(14)}`);
    last = now;
  }
  await page.getByTestId('play').click();
  if (errors.length) console.log(`console errors:\n${errors.join('\n')}`);
} finally {
  await browser.close();
  server.close();
}
