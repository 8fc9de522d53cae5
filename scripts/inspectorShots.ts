/**
 * Screenshots of the cell inspector on the built page (run `npm run build` first): the adding
 * problem with an LSTM and with a GRU, trained a few seconds on SwiftShader's WebGPU, the graph's
 * cell at t = 26 opened from the keyboard (Tab to the graph, → to the step, Enter), the page
 * scrolled to the inspector's diagram. Writes <out>/page-network-inspector-<cell>[-dark].png at
 * 1280x720, and prints what it saw of the keyboard path.
 * Usage: `npx tsx scripts/inspectorShots.ts [out-dir (default docs)] [light|dark|both (default light)]`.
 */
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseArgs, requireChromium, webgpuArgs } from '../test/chromium.ts';
import { root } from '../test/e2e/build.ts';
import { serveDir } from '../test/e2e/serve.ts';

const [outDir = join(root, 'docs'), schemes = 'light'] = process.argv.slice(2);
const SCHEMES = (['light', 'dark'] as const).filter((s) => schemes === 'both' || s === schemes);
/** The step opened (0-based), of the adding problem's T = 30. */
const T_OPEN = 25;

const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: requireChromium(), args: [...baseArgs, ...webgpuArgs] });
try {
  for (const scheme of SCHEMES) {
    for (const cell of ['lstm', 'gru']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: scheme });
      page.on('console', (msg) => msg.type() === 'error' && console.log(`console error: ${msg.text()}`));
      page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
      await page.goto(`${server.url}#v=1&c=${cell}`);
      await page.locator('[data-testid="play"]:not([disabled])').waitFor({ timeout: 120_000 });
      await page.getByTestId('play').click();
      await page.waitForTimeout(5000);
      await page.getByTestId('play').click();
      await page.waitForTimeout(1500);
      await page.getByTestId('nv-tab-graph').click();
      await page.locator('[data-testid="graph-node"]').first().waitFor();
      // The keyboard path: the graph's one tab stop, → to the step, Enter opens the inspector.
      await page.getByTestId('nv-view-backward').focus();
      for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'graph-node'; i++) await page.keyboard.press('Tab');
      for (let i = 0; i < T_OPEN; i++) await page.keyboard.press('ArrowRight');
      const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
      await page.keyboard.press('Enter');
      await page.getByTestId('cell-inspector').waitFor();
      console.log(`${cell} ${scheme}: focused "${label}", inspector "${await page.locator('[data-testid="cell-inspector"] strong').textContent()}"`);
      await page.getByTestId('cell-diagram').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await page.waitForTimeout(300);
      const file = join(outDir, `page-network-inspector-${cell}${scheme === 'dark' ? '-dark' : ''}.png`);
      await page.screenshot({ path: file });
      console.log(`wrote ${file}`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
