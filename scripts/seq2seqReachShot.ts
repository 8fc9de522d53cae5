/**
 * Screenshots of the encoder-decoder's Gradients tab and keyboard access on the built page (run
 * `npm run build` first): the seq2seq task (reversal, the page's defaults) on the CPU backend,
 * trained to about `steps` steps, then paused; the Gradients tab with the reach table scrolled
 * into view (docs/page-network-seq2seq-reach.png), and the graph with a decoder cell reached from
 * the keyboard (Tab to the graph, → across the hand-over, ↑, Enter) and its inspector open
 * (page-network-seq2seq-keys.png). Prints what it saw. 1280x720, light theme.
 * Usage: `npx tsx scripts/seq2seqReachShot.ts [out-dir (default docs)] [steps (default 300)]`.
 */
import { join } from 'node:path';
import { chromium } from 'playwright';
import { baseArgs, requireChromium } from '../test/chromium.ts';
import { root } from '../test/e2e/build.ts';
import { serveDir } from '../test/e2e/serve.ts';

const [outDir = join(root, 'docs'), stepsArg = '300'] = process.argv.slice(2);
const STEPS = Number(stepsArg);

const server = await serveDir(join(root, 'dist'));
const browser = await chromium.launch({ executablePath: requireChromium(), args: baseArgs });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, colorScheme: 'light' });
  page.on('console', (msg) => msg.type() === 'error' && console.log(`console error: ${msg.text()}`));
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  await page.goto(server.url);
  const play = page.locator('[data-testid="play"]:not([disabled])');
  await play.waitFor({ timeout: 120_000 });
  await page.locator('#backend-choice').selectOption('cpu');
  await page.locator('[data-testid="backend"][data-state="cpu"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('task-picker').selectOption('seq2seq');
  await page.locator('[data-testid="nv-row"] option', { hasText: 'decoder layer 1' }).waitFor({ state: 'attached', timeout: 60_000 });
  await play.waitFor({ timeout: 60_000 });
  await play.click();
  const step = async () => Number((await page.getByTestId('step').textContent())!.replace(/,/g, ''));
  const end = Date.now() + 300_000;
  while ((await step()) < STEPS && Date.now() < end) await page.waitForTimeout(1000);
  await page.getByTestId('play').click();
  await page.waitForTimeout(2500);
  console.log(`trained to step ${await step()}: ${await page.getByTestId('nv-walk-step').textContent()}`);

  await page.getByTestId('nv-tab-gradients').click();
  const reach = page.getByTestId('seq2seq-reach');
  await reach.waitFor({ timeout: 30_000 });
  const cells = reach.locator('[data-testid="reach-cell"]');
  console.log(`reach table: ${await cells.count()} cells, layer ${Number(await reach.getAttribute('data-layer')) + 1}`);
  await reach.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await page.waitForTimeout(300);
  const file = join(outDir, 'page-network-seq2seq-reach.png');
  await page.screenshot({ path: file });
  console.log(`wrote ${file}`);

  // The keyboard path on the graph: its one tab stop, → along the encoder and across the hand-over, Enter.
  await page.getByTestId('nv-tab-graph').click();
  const graph = page.getByTestId('seq2seq-graph');
  await graph.waitFor();
  const S = await graph.locator('[data-testid="graph-node"][data-part="encoder"]').count();
  await page.getByTestId('nv-view-backward').focus();
  for (let i = 0; i < 6 && (await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'graph-node'; i++) await page.keyboard.press('Tab');
  for (let i = 0; i < S + 1; i++) await page.keyboard.press('ArrowRight');
  const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
  await page.keyboard.press('Enter');
  await page.getByTestId('cell-inspector').waitFor();
  console.log(`focused "${label}", inspector "${await page.locator('[data-testid="cell-inspector"] strong').textContent()}", ${await page.getByTestId('inspector-part').textContent()}`);
  await graph.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  const keys = join(outDir, 'page-network-seq2seq-keys.png');
  await page.screenshot({ path: keys });
  console.log(`wrote ${keys}`);
  await page.close();
} finally {
  await browser.close();
  await server.close();
}
