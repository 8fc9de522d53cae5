/**
 * The network views' cost (issue 7, "Speed"): the built page (run `npm run build` first) in
 * headless Chromium on WebGPU, at the headline size (LSTM, H = 128, batch 32, T = 64 on the
 * adding problem), trains for a fixed time with the network panel hidden (its Hide switch:
 * the views are unmounted, no walks are requested) and then shown (its tabs cycled, one a
 * second, so each view draws and the walk refreshes every 2 s), and reports steps per second
 * both ways and the page's frame rate from requestAnimationFrame timings. With `shots`, it instead writes docs/page-network-<tab>.png
 * at 1280x720 (light) after a few seconds of training on the page's defaults.
 *
 * Usage: `npx tsx bench/views.ts [seconds per phase, default 30] [pairs of phases, default 4]` or `npx tsx bench/views.ts shots [out-dir]`.
 * On this machine SwiftShader (WebGPU on the CPU) shares the 2 cores with the page and the
 * worker, so the slowdown measured here is pessimistic for a real GPU.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../test/chromium.ts';
import { encodeHash } from '../src/share/hash.ts';
import { LESSONS, lessonState } from '../src/share/lessons.ts';
import { applyOverride, type StateOverride } from '../src/share/schema.ts';
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
/**
 * CPU seconds used so far by this script's Chromium, per process type (the renderer holds the page, the training worker and
 * the views worker; the gpu-process runs SwiftShader), read from /proc for the descendants of this process.
 */
function chromiumCpu(): Record<string, number> {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  const parent = new Map<number, number>();
  const info = new Map<number, { type: string; seconds: number }>();
  for (const pid of procs) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(pid), Number(fields[1]));
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('chrom')) info.set(Number(pid), { type: /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser', seconds: (Number(fields[11]) + Number(fields[12])) / 100 });
    } catch {
      // the process ended while being read
    }
  }
  const mine = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 16; p = parent.get(p) ?? 0, hops++) if (p === process.pid) return true;
    return false;
  };
  const out: Record<string, number> = {};
  for (const [pid, { type, seconds }] of info) if (mine(pid)) out[type] = (out[type] ?? 0) + seconds;
  return out;
}

interface Phase {
  stepsPerSecond: number;
  fps: number;
  p95FrameMs: number;
  /** Share of one core used by the page's renderer process (page, training worker, views worker) and by the GPU process. */
  rendererCpu: number;
  gpuCpu: number;
  /** The machine's 1-minute load average at the end (other work on the machine skews everything). */
  load: number;
}

async function trainFor(page: Page, seconds: number, during?: (page: Page) => Promise<void>): Promise<Phase> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(FRAME_RECORDER);
  await page.getByTestId('play').click();
  await page.waitForTimeout(2000); // warm-up: the first steps compile pipelines
  const s0 = await stepCount(page);
  const t0 = Date.now();
  const c0 = chromiumCpu();
  await page.evaluate('window.__frames.length = 0');
  const end = t0 + seconds * 1000;
  while (Date.now() < end) {
    if (during) await during(page);
    await page.waitForTimeout(Math.min(1000, Math.max(0, end - Date.now())));
  }
  const frames = (await page.evaluate('window.__frames.slice()')) as number[];
  const s1 = await stepCount(page);
  const elapsed = (Date.now() - t0) / 1000;
  const c1 = chromiumCpu();
  const share = (type: string) => ((c1[type] ?? 0) - (c0[type] ?? 0)) / elapsed;
  await page.getByTestId('play').click();
  await page.waitForTimeout(500);
  const sorted = frames.slice().sort((a, b) => a - b);
  const total = frames.reduce((a, b) => a + b, 0);
  return {
    stepsPerSecond: (s1 - s0) / elapsed,
    fps: frames.length / (total / 1000),
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
    rendererCpu: share('renderer'),
    gpuCpu: share('gpu-process'),
    load: loadavg()[0],
  };
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
    let page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
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
    // The vanishing-gradients lesson's pair at T = 50 on the CPU backend, the LSTM with its forget-gate bias at 1: rnn_tanh for
    // 500 steps, then the LSTM (opened as a link in the same page, so the rnn_tanh run stays as an earlier run) until it has
    // learned the task (about 1,000 steps): the gradient tab draws the LSTM's ‖dL/dh_t‖ solid and the rnn_tanh run's dashed.
    // A page of its own, so the only earlier run is the rnn_tanh one.
    await page.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
    const lesson = LESSONS.find((l) => l.id === 'vanishing-gradients')!;
    const pair: [StateOverride, number][] = [
      [{ config: { task: { settings: { T: 50 } } }, backend: 'cpu' }, 500],
      [{ config: { task: { settings: { T: 50 } }, model: { cell: 'lstm' }, init: { forgetBiasOne: true } }, backend: 'cpu' }, 1200],
    ];
    for (const [override, steps] of pair) {
      await page.goto(`${url}#${encodeHash(applyOverride(lessonState(lesson), override))}`);
      await ready(page);
      await page.getByTestId('play').click();
      const end = Date.now() + 240_000;
      while ((await stepCount(page)) < steps && Date.now() < end) await page.waitForTimeout(1000);
      await page.getByTestId('play').click();
      await page.waitForTimeout(1500);
      console.log(`trained ${await page.getByTestId('model-summary').textContent()} to step ${await stepCount(page)}`);
    }
    await showViews(page, true);
    await page.getByTestId('nv-tab-gradients').click();
    await page.waitForTimeout(800);
    await page.getByTestId('network-views').scrollIntoViewIfNeeded();
    const compare = join(outDir, 'page-network-gradients-rnn-vs-lstm.png');
    await page.screenshot({ path: compare });
    console.log(`wrote ${compare}`);
  } finally {
    await browser.close();
  }
}

/** The middle value. */
function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Trains in phases with the views hidden and shown, in the order hidden, shown, shown, hidden,
 * hidden, shown, ... (ABBA: a drift over the run falls on both alike), and prints each phase and
 * the ratio of each adjacent (hidden, shown) pair's steps per second.
 */
async function bench(url: string, seconds: number, pairs: number): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(url);
    await ready(page);
    await headline(page);
    console.log(`backend: ${await page.getByTestId('backend').textContent()}`);
    const order = Array.from({ length: pairs }, (_, p) => (p % 2 ? [true, false] : [false, true])).flat();
    const results: { open: boolean; r: Phase }[] = [];
    let i = 0;
    for (const open of order) {
      await showViews(page, open);
      // Shown: every tab in turn, a second each, so each view draws (and mounts) while training runs.
      const r = await trainFor(page, seconds, open ? async (p) => void (await p.getByTestId(`nv-tab-${TABS[i++ % TABS.length]}`).click()) : undefined);
      results.push({ open, r });
      console.log(
        `${open ? 'shown ' : 'hidden'} ${r.stepsPerSecond.toFixed(3)} steps/s, ${r.fps.toFixed(1)} frames/s, p95 frame ${r.p95FrameMs.toFixed(1)} ms, ` +
          `renderer ${(100 * r.rendererCpu).toFixed(0)}% gpu-process ${(100 * r.gpuCpu).toFixed(0)}% of a core, load ${r.load.toFixed(1)}, at step ${await stepCount(page)}`,
      );
    }
    const ratios: number[] = [];
    for (let p = 0; p < pairs; p++) {
      const [a, b] = results.slice(2 * p, 2 * p + 2);
      const [hidden, shown] = a.open ? [b, a] : [a, b];
      ratios.push(shown.r.stepsPerSecond / hidden.r.stepsPerSecond);
    }
    const of = (open: boolean, key: keyof Phase) => results.filter((x) => x.open === open).map((x) => x.r[key]);
    const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
    console.log(`\n${seconds} s per phase, ${2 * pairs} phases; LSTM H=128, B=32, T=64, adding problem\n`);
    console.log('| views | steps/s | frames/s | p95 frame (ms) | renderer CPU (% of a core) | GPU process CPU | load |\n|---|---|---|---|---|---|---|');
    for (const open of [false, true]) {
      const m = (key: keyof Phase, scale = 1, digits = 1) => (scale * mean(of(open, key))).toFixed(digits);
      console.log(`| ${open ? 'shown (tabs cycled each second)' : 'hidden'} | ${m('stepsPerSecond', 1, 3)} | ${m('fps')} | ${m('p95FrameMs')} | ${m('rendererCpu', 100, 0)} | ${m('gpuCpu', 100, 0)} | ${m('load')} |`);
    }
    console.log(`\nsteps/s shown ÷ hidden, per pair: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ${median(ratios).toFixed(3)}, mean ${mean(ratios).toFixed(3)}`);
    console.log(`least frames/s in a shown phase: ${Math.min(...of(true, 'fps')).toFixed(1)}`);
  } finally {
    await browser.close();
  }
}

const [mode, arg] = process.argv.slice(2);
const server = await serveDir(process.env.DIST ?? join(root, 'dist')); // DIST: another build folder
try {
  if (mode === 'shots') await shots(server.url, arg ?? join(root, 'docs'));
  else await bench(server.url, Number(mode ?? 30), Number(arg ?? 4));
} finally {
  await server.close();
}
