/**
 * Takes docs/screenshot.png: the built app (run `npm run build` first) at 1280x720 in headless
 * Chromium with WebGPU on SwiftShader. Usage: `npx tsx test/e2e/screenshot.ts [out.png]`.
 */
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir } from './serve.ts';

const out = process.argv[2] ?? join(root, 'docs/screenshot.png');
const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url);
  await page.locator('[data-testid="backend"]:not([data-state="pending"])').waitFor();
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
