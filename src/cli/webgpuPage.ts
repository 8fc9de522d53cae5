/**
 * A browser module driven from Node: Vite serves the repository root (resolving `?raw` WGSL
 * imports and, when asked, pre-bundling npm packages), headless Chromium opens one blank page
 * with the WebGPU flags, imports the module by URL, and Node calls its exports with JSON
 * arguments. Everything started is closed again, on errors too. Shared by `grad --backend
 * webgpu` (src/cli/webgpuGrad.ts) and `npm run bench` (bench/main.ts). Vite and Playwright
 * are imported only when a page is opened, so commands that never open one never load them.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import type { Plugin, ViteDevServer } from 'vite';
import { baseArgs, requireChromium, webgpuArgs } from './chromium.ts';

/** WebGPU cannot be used here: no Chromium, Chromium would not start, or it offers no WebGPU device. */
export class WebGpuUnavailable extends Error {}

/** What page to open and how. */
export interface PageOptions {
  /** The browser module, by URL under the repository root, e.g. `/src/gpu/gradJobs.ts`. */
  module: string;
  /** Launch Chromium with its WebGPU flags (false tests the "no WebGPU" path). */
  webgpu: boolean;
  /** npm packages Vite pre-bundles for the page (needed for packages with CommonJS inside). */
  prebundle?: string[];
  /** Vite's cache folder for the pre-bundled packages, under the repository root. */
  cacheDir?: string;
  /** Receives every line the page logs to its console. */
  onConsole?: (text: string) => void;
}

/** The opened page: calls an export of the module with one JSON argument and returns its JSON result. */
export type CallExport = <R>(name: string, arg?: unknown) => Promise<R>;

/** Opens the page, imports the module, runs `fn` with a way to call its exports, and closes everything. */
export async function withPageModule<T>(options: PageOptions, fn: (call: CallExport) => Promise<T>): Promise<T> {
  let executablePath: string;
  try {
    executablePath = requireChromium();
  } catch (e) {
    throw new WebGpuUnavailable(messageOf(e));
  }
  const args = options.webgpu ? [...baseArgs, ...webgpuArgs] : baseArgs;
  const { chromium } = await import('playwright');
  const [server, browser] = await Promise.allSettled([
    startVite(options),
    chromium.launch({ executablePath, args }).catch((e: unknown) => {
      throw new WebGpuUnavailable(`cannot start Chromium at ${executablePath}: ${messageOf(e)}`);
    }),
  ]);
  try {
    if (server.status === 'rejected') throw server.reason;
    if (browser.status === 'rejected') throw browser.reason;
    const { port } = server.value.httpServer!.address() as AddressInfo;
    const page = await browser.value.newPage();
    if (options.onConsole) page.on('console', (message) => options.onConsole!(message.text()));
    await page.goto(`http://127.0.0.1:${port}/`);
    await loadModule(page, options.module);
    return await fn((name, arg) => inPage(`calling ${name}`, () => page.evaluate(callInPage, [MODULE_GLOBAL, name, arg] as const)));
  } finally {
    if (browser.status === 'fulfilled') await browser.value.close();
    if (server.status === 'fulfilled') await server.value.close();
  }
}

/** Where the page keeps the imported module. */
const MODULE_GLOBAL = '__pageModule';

/** Imports the module into MODULE_GLOBAL. */
async function loadModule(page: Page, module: string): Promise<void> {
  // The import is a string, not a function: a test runner may rewrite `import()` inside
  // functions it transforms, and the page would not know the rewritten name.
  await inPage(`loading ${module}`, () =>
    page.evaluate(`import(${JSON.stringify(module)}).then((m) => { globalThis.${MODULE_GLOBAL} = m; })`),
  );
}

/** Runs in the page (serialized, so it closes over nothing): calls one export of the loaded module. */
function callInPage([global, name, arg]: readonly [string, string, unknown]): Promise<never> {
  const module = (globalThis as unknown as Record<string, Record<string, (a: unknown) => Promise<never>>>)[global];
  return module[name](arg);
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
async function startVite(options: PageOptions): Promise<ViteDevServer> {
  const { createServer } = await import('vite');
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('../..', import.meta.url)),
    cacheDir: options.cacheDir ?? 'node_modules/.vite-grad',
    appType: 'custom',
    logLevel: 'silent',
    clearScreen: false,
    optimizeDeps: { noDiscovery: true, include: options.prebundle ?? [] },
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
    name: 'blank-page',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url !== '/') return next();
        res.setHeader('content-type', 'text/html; charset=utf-8');
        // The empty data: icon keeps Chromium from requesting /favicon.ico (a 404 in the console).
        res.end('<!doctype html><title>rnn-playground</title><link rel="icon" href="data:,">');
      });
    },
  };
}

/** First line of anything thrown, without Playwright's `page.evaluate: Error: ` style prefix. */
export function messageOf(e: unknown): string {
  const line = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return line.replace(/^[a-zA-Z]+\.[a-zA-Z]+: (Error: )?/, '');
}
