/**
 * The network views' cost (issue 7, "Speed"): the built page (run `npm run build` first) in
 * headless Chromium on WebGPU, at the headline size (LSTM, H = 128, batch 32, T = 64 on the
 * adding problem), trains for a fixed time with the network panel hidden (its Hide switch:
 * the views are unmounted, no walks are requested) and shown (one tab held open, each in turn,
 * then every tab cycled a second each), and reports steps per second both ways, the page's frame
 * rate from requestAnimationFrame timings, and the CPU its processes used. With `shots`, it
 * instead writes docs/page-network-<tab>.png at 1280x720 (light) after a few seconds of training
 * on the page's defaults, and the rnn_tanh-vs-LSTM gradient picture.
 *
 * Usage: `npx tsx bench/views.ts [seconds per phase, default 30] [rounds over the tabs, default 1]` or `npx tsx bench/views.ts shots [out-dir]`.
 * On this machine SwiftShader (WebGPU on the CPU) shares the 2 cores with the page and the
 * worker, and the GPU process that runs it also rasterizes the page, so any drawing takes
 * compute time from training: the slowdown measured here is pessimistic for a real GPU. Run it
 * on an otherwise idle machine (it prints the load average; other jobs swamp the figures).
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
  // Press play only once the page reads paused, and wait until it reads playing: a press while a pause is still on its
  // way is taken as play-after-pause (Session.togglePlay), and the phase must measure training, not a pause.
  await page.locator('[data-testid="play"][aria-label="Play"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('play').click();
  await page.locator('[data-testid="play"][aria-label="Pause"]').waitFor({ timeout: 60_000 });
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
  await page.locator('[data-testid="play"][aria-label="Play"]').waitFor({ timeout: 60_000 });
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
 * Trains in pairs of phases, views hidden and shown, the pair's order alternating (hidden first, then shown first, ...: a
 * drift over the run falls on both alike). Shown is one tab held open (what a user watching a view does), each tab in turn,
 * then `cycle`: every tab in turn, a second each (each view mounts and draws: a worst case). Prints each phase, then a table
 * of each pair: steps per second both ways and their ratio, the page's frame rate, and the CPU the page's renderer
 * process and the GPU process used.
 */
async function bench(url: string, seconds: number, rounds: number): Promise<void> {
  const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
    await page.goto(url);
    await ready(page);
    await headline(page);
    console.log(`backend: ${await page.getByTestId('backend').textContent()}`);
    const shownKinds = [...TABS, 'cycle'] as const;
    const rows: { kind: string; hidden: Phase; shown: Phase }[] = [];
    let i = 0;
    let n = 0;
    const line = async (label: string, r: Phase) =>
      console.log(
        `${label.padEnd(16)} ${r.stepsPerSecond.toFixed(3)} steps/s, ${r.fps.toFixed(1)} frames/s, p95 frame ${r.p95FrameMs.toFixed(1)} ms, ` +
          `renderer ${(100 * r.rendererCpu).toFixed(0)}%, gpu-process ${(100 * r.gpuCpu).toFixed(0)}% of a core, load ${r.load.toFixed(1)}, at step ${await stepCount(page)}`,
      );
    for (let round = 0; round < rounds; round++) {
      for (const kind of shownKinds) {
        const phases: Partial<Record<'hidden' | 'shown', Phase>> = {};
        for (const which of n++ % 2 ? (['shown', 'hidden'] as const) : (['hidden', 'shown'] as const)) {
          await showViews(page, which === 'shown');
          if (which === 'shown' && kind !== 'cycle') await page.getByTestId(`nv-tab-${kind}`).click();
          const cycle = which === 'shown' && kind === 'cycle' ? async (p: Page) => void (await p.getByTestId(`nv-tab-${TABS[i++ % TABS.length]}`).click()) : undefined;
          phases[which] = await trainFor(page, seconds, cycle);
          await line(which === 'shown' ? `shown ${kind}` : 'hidden', phases[which]);
        }
        rows.push({ kind, hidden: phases.hidden!, shown: phases.shown! });
      }
    }
    console.log(`\n${seconds} s per phase; LSTM H=128, B=32, T=64, adding problem; CPU in % of one core\n`);
    console.log('| shown | steps/s hidden | steps/s shown | shown ÷ hidden | frames/s shown | p95 frame shown (ms) | renderer CPU hidden / shown | GPU process CPU hidden / shown | load |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const { kind, hidden, shown } of rows) {
      const pct = (x: number) => (100 * x).toFixed(0);
      console.log(
        `| ${kind === 'cycle' ? 'every tab, a second each' : `${kind} tab`} | ${hidden.stepsPerSecond.toFixed(3)} | ${shown.stepsPerSecond.toFixed(3)} | ${(shown.stepsPerSecond / hidden.stepsPerSecond).toFixed(3)} | ` +
          `${shown.fps.toFixed(1)} | ${shown.p95FrameMs.toFixed(1)} | ${pct(hidden.rendererCpu)} / ${pct(shown.rendererCpu)} | ${pct(hidden.gpuCpu)} / ${pct(shown.gpuCpu)} | ${((hidden.load + shown.load) / 2).toFixed(1)} |`,
      );
    }
    const ratios = rows.map((r) => r.shown.stepsPerSecond / r.hidden.stepsPerSecond);
    console.log(`\nshown ÷ hidden: median ${median(ratios).toFixed(3)}, least ${Math.min(...ratios).toFixed(3)}; least frames/s shown ${Math.min(...rows.map((r) => r.shown.fps)).toFixed(1)}`);
  } finally {
    await browser.close();
  }
}

const [mode, arg] = process.argv.slice(2);
const server = await serveDir(process.env.DIST ?? join(root, 'dist')); // DIST: another build folder
try {
  if (mode === 'shots') await shots(server.url, arg ?? join(root, 'docs'));
  else await bench(server.url, Number(mode ?? 30), Number(arg ?? 1));
} finally {
  await server.close();
}
