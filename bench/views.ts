/**
 * The network views' cost (issue 7, "Speed"): the built page (run `npm run build` first) in
 * headless Chromium on WebGPU, at the headline size (LSTM, H = 128, batch 32, T = 64 on the
 * adding problem), trains for a fixed time with the network panel's views closed (the panel
 * on its gradient tab is not mounted: the page is scrolled so nothing of it is drawn? no: the
 * panel is removed from the layout with display:none) and then open (each tab in turn, the
 * stepper playing), and reports steps per second both ways and the views' frame rate from
 * requestAnimationFrame timings. With `shots`, it instead writes docs/page-network-<tab>.png
 * at 1280x720 (light) after a few seconds of training on the page's defaults.
 *
 * Usage: `npx tsx bench/views.ts [seconds per phase, default 20]` or `npx tsx bench/views.ts shots [out-dir]`.
 * On this machine SwiftShader (WebGPU on the CPU) shares the 2 cores with the page and the
 * worker, so the slowdown measured here is pessimistic for a real GPU.
 */
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../test/chromium.ts';
import { root } from '../test/e2e/build.ts';
import { serveDir } from '../test/e2e/serve.ts';

/** The panel's tabs, as NetworkViewsPanel names them. */
const TABS = ['graph', 'gradients', 'gates', 'stepper', 'clipping'] as const;

/** Waits until a run is built (play enabled). */
async function ready(page: Page): Promise<void> {
  await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 120_000 });
}

/** The step counter. */
async function stepCount(page: Page): Promise<number> {
  return Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
}

/** Trains for `seconds` and returns steps per second (from the step counter) and the page's frame times. */
async function trainFor(page: Page, seconds: number, during?: (page: Page) => Promise<void>): Promise<{ stepsPerSecond: number; fps: number; p95FrameMs: number }> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[] };
    w.__frames = [];
    let last = performance.now();
    const tick = (now: number) => {
      w.__frames.push(now - last);
      last = now;
      if (w.__frames.length < 1e6) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByTestId('play').click();
  await page.waitForTimeout(2000); // warm-up: the first steps compile pipelines
  const s0 = await stepCount(page);
  const t0 = Date.now();
  await page.evaluate(() => ((window as unknown as { __frames: number[] }).__frames.length = 0));
  const end = t0 + seconds * 1000;
  while (Date.now() < end) {
    if (during) await during(page);
    await page.waitForTimeout(Math.min(1000, Math.max(0, end - Date.now())));
  }
  const frames = await page.evaluate(() => (window as unknown as { __frames: number[] }).__frames.slice());
  const s1 = await stepCount(page);
  const elapsed = (Date.now() - t0) / 1000;
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  const sorted = frames.slice().sort((a, b) => a - b);
  const total = frames.reduce((a, b) => a + b, 0);
  return { stepsPerSecond: (s1 - s0) / elapsed, fps: frames.length / (total / 1000), p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN };
}

/** Sets the headline size: adding problem T = 64, LSTM H = 128, batch 32; then resets to build it. */
async function headline(page: Page): Promise<void> {
  await page.locator('#task-T').fill('64');
  await page.locator('#hidden').fill('128');
  await page.locator('#batch').selectOption('32');
  await page.getByTestId('reset').click();
  await page.waitForTimeout(500);
  await ready(page);
  const summary = await page.getByTestId('model-summary').textContent();
  if (!summary?.includes('128')) throw new Error(`the headline size did not apply: ${summary}`);
}

/** Shows or hides the network views panel. */
async function showViews(page: Page, on: boolean): Promise<void> {
  await page.evaluate((show) => {
    const el = document.querySelector<HTMLElement>('[data-testid="network-views"]');
    if (!el) throw new Error('no network views panel on the page');
    el.style.display = show ? '' : 'none';
  }, on);
}

/** Writes one screenshot per tab. */
async function shots(url: string, outDir: string): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
    page.on('console', (msg) => msg.type() === 'error' && console.log(`console error: ${msg.text()}`));
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(url);
    await ready(page);
    await page.getByTestId('play').click();
    await page.waitForTimeout(6000);
    await page.getByTestId('play').click();
    await page.waitForTimeout(1500);
    const panel = page.getByTestId('network-views');
    for (const tab of TABS) {
      await page.getByTestId(`nv-tab-${tab}`).click();
      await page.waitForTimeout(800);
      if (tab === 'graph') {
        await page.locator('.nv-graph-tab circle, .nv-graph-tab [data-node]').first().click().catch(() => {});
        await page.waitForTimeout(300);
      }
      await panel.scrollIntoViewIfNeeded();
      const file = join(outDir, `page-network-${tab}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
    }
  } finally {
    await browser.close();
  }
}

/** Trains with the views closed, then open, and prints the figures. */
async function bench(url: string, seconds: number): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(url);
    await ready(page);
    await headline(page);
    console.log(`backend: ${await page.getByTestId('backend').textContent()}`);
    await showViews(page, false);
    const closed = await trainFor(page, seconds);
    await showViews(page, true);
    let i = 0;
    // Open: every tab in turn, a second each, so each view draws while training runs.
    const open = await trainFor(page, seconds, async (p) => {
      await p.getByTestId(`nv-tab-${TABS[i++ % TABS.length]}`).click();
    });
    const row = (name: string, r: typeof closed) => `| ${name} | ${r.stepsPerSecond.toFixed(2)} | ${r.fps.toFixed(1)} | ${r.p95FrameMs.toFixed(1)} |`;
    console.log(`\n${seconds} s per phase, LSTM H=128, B=32, T=64, adding problem\n`);
    console.log('| views | steps/s | frames/s | p95 frame (ms) |\n|---|---|---|---|');
    console.log(row('closed', closed));
    console.log(row('open (tabs cycled each second)', open));
    console.log(`\nsteps/s open ÷ closed = ${(open.stepsPerSecond / closed.stepsPerSecond).toFixed(3)}`);
  } finally {
    await browser.close();
  }
}

const [mode, arg] = process.argv.slice(2);
const server = await serveDir(join(root, 'dist'));
try {
  if (mode === 'shots') await shots(server.url, arg ?? join(root, 'docs'));
  else await bench(server.url, Number(mode ?? 20));
} finally {
  await server.close();
}
