/**
 * `grad --backend webgpu`: runs the WGSL kernels on a real WebGPU implementation, headless
 * Chromium (SwiftShader on a machine without a GPU). Node serves the repository with Vite
 * (which resolves the kernels' `?raw` WGSL imports), opens one blank page, imports
 * src/gpu/gradJobs.ts there and hands it the jobs. Everything started is closed again,
 * on errors too. Vite and Playwright are imported only here, so `--backend cpu` never loads them.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright';
import type { Plugin, ViteDevServer } from 'vite';
import { baseArgs, requireChromium, webgpuArgs } from './chromium.ts';
import type { GradOutput } from './grad.ts';

/** The browser module, by URL under the repository root; it is WebGPU code, so it lives in src/gpu. */
const GRAD_MODULE = '/src/gpu/gradJobs.ts';

/** Set to 1 to launch Chromium without its WebGPU flags (tests the "no WebGPU" path). */
export const NO_WEBGPU_ENV = 'RNN_PLAYGROUND_NO_WEBGPU';

/** One job, as src/gpu/gradJobs.ts's GradJob: checkpoint and batch JSON (validated) and the BPTT window. */
export interface WebGpuJob {
  checkpoint: unknown;
  batch: unknown;
  bpttWindow?: number;
}

/** WebGPU cannot be used here: no Chromium, Chromium would not start, or it offers no WebGPU device. */
export class WebGpuUnavailable extends Error {}

/** Runs every job on one WebGPU device in one Chromium; results in job order, as src/gpu/gradJobs.ts returns them (unchecked). */
export async function gradOnWebGpu(jobs: WebGpuJob[]): Promise<GradOutput[]> {
  let executablePath: string;
  try {
    executablePath = requireChromium();
  } catch (e) {
    throw new WebGpuUnavailable(messageOf(e));
  }
  const args = process.env[NO_WEBGPU_ENV] === '1' ? baseArgs : [...baseArgs, ...webgpuArgs];
  const { chromium } = await import('playwright');
  const [server, browser] = await Promise.allSettled([
    startVite(),
    chromium.launch({ executablePath, args }).catch((e: unknown) => {
      throw new WebGpuUnavailable(`cannot start Chromium at ${executablePath}: ${messageOf(e)}`);
    }),
  ]);
  try {
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    return await runInPage(browser.value, server.value, jobs, executablePath);
  } finally {
    if (browser.status === 'fulfilled') await browser.value.close();
    if (server.status === 'fulfilled') await server.value.close();
  }
}

async function runInPage(browser: Browser, server: ViteDevServer, jobs: WebGpuJob[], chromiumPath: string): Promise<GradOutput[]> {
  const { port } = server.httpServer!.address() as AddressInfo;
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  // The import is a string, not a function: a test runner may rewrite `import()` inside
  // functions it transforms, and the page would not know the rewritten name.
  await inPage(`loading ${GRAD_MODULE}`, () =>
    page.evaluate(`import(${JSON.stringify(GRAD_MODULE)}).then((m) => { globalThis.gradJobs = m.gradJobs; })`),
  );
  const outcome = await inPage('running the kernels', () => page.evaluate((j) => (globalThis as unknown as GradPage).gradJobs(j), jobs));
  if (!outcome.ok) throw new WebGpuUnavailable(`no WebGPU device in Chromium (${chromiumPath}): ${outcome.reason}`);
  return outcome.results;
}

/** What the page exposes once src/gpu/gradJobs.ts is loaded. */
interface GradPage {
  gradJobs(jobs: WebGpuJob[]): Promise<{ ok: true; results: GradOutput[] } | { ok: false; reason: string }>;
}

/** Awaits a browser-side step; a failure becomes one line naming the step. */
async function inPage<T>(step: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new Error(`${step}: ${messageOf(e)}`);
  }
}

/** Vite serving the repository root on 127.0.0.1 and a free port: no config file, watcher, HMR or dependency scan. */
async function startVite(): Promise<ViteDevServer> {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    cacheDir: 'node_modules/.vite-grad',
    appType: 'custom',
    logLevel: 'silent',
    clearScreen: false,
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false, ws: false, watch: null },
    plugins: [blankPage()],
  });
  try {
    return await server.listen();
  } catch (e) {
    await server.close();
    throw e;
  }
}

/** Answers `/` with an empty HTML page, the origin the module is imported from. */
function blankPage(): Plugin {
  return {
    name: 'grad-blank-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== '/') return next();
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end('<!doctype html><title>rnn-playground grad</title>');
      });
    },
  };
}

/** First line of anything thrown, without Playwright's `page.evaluate: Error: ` style prefix. */
function messageOf(e: unknown): string {
  const line = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return line.replace(/^[a-zA-Z]+\.[a-zA-Z]+: (Error: )?/, '');
}
