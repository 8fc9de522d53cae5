/**
 * The network views' cost (issue 7, "Speed"): the built page (run `npm run build` first) in
 * headless Chromium on WebGPU, at the headline size (LSTM, H = 128, batch 32, T = 64 on the
 * adding problem), trains for a fixed time with the network panel hidden (its Hide switch:
 * the views are unmounted, no walks are requested) and then shown (its tabs cycled, one a
 * second, so each view draws and the walk refreshes every 2 s), and reports steps per second
 * both ways and the page's frame rate from requestAnimationFrame timings. With `shots`, it instead writes docs/page-network-<tab>.png
 * at 1280x720 (light) after a few seconds of training on the page's defaults.
 *
 * Usage: `npx tsx bench/views.ts [seconds per phase, default 20] [open-first]` or `npx tsx bench/views.ts shots [out-dir]`.
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

/** Records every animation frame's duration in window.__frames. */
const FRAME_RECORDER = `(() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__frames.length < 1e6) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

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
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(FRAME_RECORDER);
  await page.getByTestId('play').click();
  await page.waitForTimeout(2000); // warm-up: the first steps compile pipelines
  const s0 = await stepCount(page);
  const t0 = Date.now();
  await page.evaluate('window.__frames.length = 0');
  const end = t0 + seconds * 1000;
  while (Date.now() < end) {
    if (during) await during(page);
    await page.waitForTimeout(Math.min(1000, Math.max(0, end - Date.now())));
  }
  const frames = (await page.evaluate('window.__frames.slice()')) as number[];
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

/** Shows or hides the network views with the panel's switch. */
async function showViews(page: Page, on: boolean): Promise<void> {
  const toggle = page.getByTestId('nv-toggle');
  if ((await toggle.getAttribute('aria-expanded')) !== String(on)) await toggle.click();
  await page.locator(on ? '#nv-body' : '[data-testid="nv-toggle"][aria-expanded="false"]').waitFor();
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
        await page.locator('[data-testid="graph-node"][data-t="25"]').first().click();
        await page.getByTestId('cell-inspector').waitFor();
      }
      await panel.scrollIntoViewIfNeeded();
      const file = join(outDir, `page-network-${tab}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
      if (tab === 'stepper') {
        // A backward step: End, then back to t = 27 of 30.
        await page.getByTestId('bptt-stepper').focus();
        await page.keyboard.press('End');
        for (let i = 0; i < 26; i++) await page.keyboard.press('ArrowLeft');
        const back = join(outDir, 'page-network-stepper-backward.png');
        await page.screenshot({ path: back });
        console.log(`wrote ${back}`);
      }
    }
    // A vanilla RNN against the LSTM just trained, on the gradient tab: the LSTM's last ‖dL/dh_t‖ is the dashed earlier run.
    await page.locator('#cell').selectOption('rnn_tanh');
    await page.getByTestId('reset').click();
    await ready(page);
    await page.getByTestId('play').click();
    await page.waitForTimeout(6000);
    await page.getByTestId('play').click();
    await page.waitForTimeout(1500);
    await page.getByTestId('nv-tab-gradients').click();
    await page.waitForTimeout(800);
    const compare = join(outDir, 'page-network-gradients-rnn-vs-lstm.png');
    await page.screenshot({ path: compare });
    console.log(`wrote ${compare}`);
  } finally {
    await browser.close();
  }
}

/** Trains with the views closed, then open, and prints the figures. */
async function bench(url: string, seconds: number, openFirst: boolean): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(url);
    await ready(page);
    await headline(page);
    console.log(`backend: ${await page.getByTestId('backend').textContent()}`);
    // Closed and open alternate (closed, open, closed, open) so a drift over the run (validation passes, a warmer GPU) falls on both.
    const results: { open: boolean; r: Awaited<ReturnType<typeof trainFor>> }[] = [];
    let i = 0;
    for (const open of openFirst ? [true, false, true, false] : [false, true, false, true]) {
      await showViews(page, open);
      // Open: every tab in turn, a second each, so each view draws while training runs.
      const r = await trainFor(page, seconds, open ? async (p) => void (await p.getByTestId(`nv-tab-${TABS[i++ % TABS.length]}`).click()) : undefined);
      results.push({ open, r });
      console.log(`${open ? 'open  ' : 'closed'} ${r.stepsPerSecond.toFixed(3)} steps/s, ${r.fps.toFixed(1)} frames/s, p95 frame ${r.p95FrameMs.toFixed(1)} ms, at step ${await stepCount(page)}`);
    }
    const mean = (open: boolean, key: 'stepsPerSecond' | 'fps' | 'p95FrameMs') => {
      const rs = results.filter((x) => x.open === open).map((x) => x.r[key]);
      return rs.reduce((a, c) => a + c, 0) / rs.length;
    };
    console.log(`\n${seconds} s per phase, LSTM H=128, B=32, T=64, adding problem; means of two phases each\n`);
    console.log('| views | steps/s | frames/s | p95 frame (ms) |\n|---|---|---|---|');
    for (const open of [false, true]) console.log(`| ${open ? 'open (tabs cycled each second)' : 'hidden'} | ${mean(open, 'stepsPerSecond').toFixed(3)} | ${mean(open, 'fps').toFixed(1)} | ${mean(open, 'p95FrameMs').toFixed(1)} |`);
    console.log(`\nsteps/s open ÷ hidden = ${(mean(true, 'stepsPerSecond') / mean(false, 'stepsPerSecond')).toFixed(3)}`);
  } finally {
    await browser.close();
  }
}

const [mode, arg] = process.argv.slice(2);
const server = await serveDir(join(root, 'dist'));
try {
  if (mode === 'shots') await shots(server.url, arg ?? join(root, 'docs'));
  else await bench(server.url, Number(mode ?? 20), arg === 'open-first');
} finally {
  await server.close();
}
