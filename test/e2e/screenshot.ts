/**
 * Takes the README's screenshots of the built app (run `npm run build` first) in headless
 * Chromium with WebGPU on SwiftShader: the adding problem trained for a few seconds, at
 * 1280x720, 820x1000 and 390x844, light and dark. Writes docs/page-<width>.png (light),
 * docs/page-<width>-dark.png and docs/screenshot.png (1280, light).
 * Usage: `npx tsx test/e2e/screenshot.ts [out-dir] [width] [light|dark]` (the last two pick one size or scheme).
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../chromium.ts';
import { root } from './build.ts';
import { serveDir } from './serve.ts';

const [outDir = join(root, 'docs'), onlyWidth, onlyScheme] = process.argv.slice(2);
const SIZES = [
  { width: 1280, height: 720 },
  { width: 820, height: 1000 },
  { width: 390, height: 844 },
].filter((s) => !onlyWidth || s.width === Number(onlyWidth));
const SCHEMES = (['light', 'dark'] as const).filter((s) => !onlyScheme || s === onlyScheme);
/** Seconds of training before each picture. */
const TRAIN_SECONDS = 6;

const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
try {
  for (const scheme of SCHEMES) {
    for (const size of SIZES) {
      const page = await browser.newPage({ viewport: size, colorScheme: scheme });
      page.on('console', (msg) => msg.type() === 'error' && console.log(`console error: ${msg.text()}`));
      await page.goto(server.url);
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="play"]').click();
      await page.waitForTimeout(TRAIN_SECONDS * 1000);
      await page.locator('[data-testid="play"]').click();
      await page.waitForTimeout(1500);
      const file = join(outDir, `page-${size.width}${scheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path: file });
      const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
      console.log(`wrote ${file} (document ${scroll.w}x${scroll.h})`);
      await page.close();
    }
  }
  if (!onlyWidth && !onlyScheme) await copyFile(join(outDir, 'page-1280.png'), join(outDir, 'screenshot.png'));
} finally {
  await browser.close();
  await server.close();
}
