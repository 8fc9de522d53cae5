/**
 * The link is the state, in the built app: a link with backend=cpu opens the run it
 * describes, and its first 20 training losses (read back from the page's CSV export) equal,
 * bit for bit, those of the same config trained by src/train/Trainer.ts on the CPU engine
 * in a blank page of the same Chromium; changing a setting rewrites the hash; a hostile hash (markup and `javascript:`
 * in every text-valued key, `__proto__` and `constructor` keys) lists its keys in a
 * notice rendered as text, runs no script, and the page still trains.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { build } from 'vite';
import { describe, expect, test } from 'vitest';
import { encodeHash } from '../../src/share/hash.ts';
import { applyOverride, defaultState, SCHEMA } from '../../src/share/schema.ts';
import type { TrainerConfig } from '../../src/train/config.ts';
import { root } from './build.ts';
import { downloadVia, exportedCsv, openApp, servedApp, stepCount, stepTo } from './fixture.ts';

/**
 * The first `steps` training losses of `config` on the CPU engine, as src/train/Trainer.ts
 * computes them, run in a blank Chromium page: the engine's source bundled by Vite on its
 * own (no page, worker, store or link code). Chromium's Math.exp and Math.tanh differ from
 * Node's in the last bit, so a bit-for-bit comparison needs the same JavaScript engine.
 */
async function engineLosses(browser: Browser, config: TrainerConfig, steps: number): Promise<number[]> {
  const entry = `import { prepareRun, Trainer } from ${JSON.stringify(join(root, 'src/train/Trainer.ts'))};
    globalThis.referenceLosses = (config, steps) => {
      const trainer = new Trainer(prepareRun(config));
      return Array.from({ length: steps }, () => { trainer.step(); return trainer.backend.latestMetrics().loss; });
    };`;
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root,
    plugins: [{ name: 'reference-entry', resolveId: (id) => (id === 'reference-entry' ? '\0reference-entry' : null), load: (id) => (id === '\0reference-entry' ? entry : null) }],
    build: { write: false, minify: false, rollupOptions: { input: 'reference-entry', output: { format: 'iife' } } },
  });
  type Bundle = { output: { type: string; code?: string }[] };
  const bundle = output as Bundle | Bundle[];
  const chunk = (Array.isArray(bundle) ? bundle[0] : bundle).output.find((o) => o.type === 'chunk');
  if (!chunk?.code) throw new Error('the reference bundle has no chunk');
  const page = await browser.newPage();
  try {
    await page.addScriptTag({ content: chunk.code });
    return await page.evaluate(([c, n]) => (globalThis as unknown as { referenceLosses(c: unknown, n: number): number[] }).referenceLosses(c, n), [config, steps] as const);
  } finally {
    await page.close();
  }
}

/** What a hostile link puts in a text-valued key. */
const HOSTILE = ['<img src=x onerror="window.__pwned=1">', 'javascript:window.__pwned=1', '"><script>window.__pwned=1</script>'];

describe('links in the built app', () => {
  const app = servedApp();

  test('a CPU link reproduces the run: its first 20 losses equal the engine’s exactly; the chart exports as PNG and SVG; a change rewrites the hash', async () => {
    const state = applyOverride(defaultState('adding'), {
      config: { task: { id: 'adding', settings: { T: 12 } }, seed: 5, model: { cell: 'gru', hiddenSize: 8 }, training: { batchSize: 8, optimizer: { lr: 0.03 } } },
      backend: 'cpu',
    });
    const hash = encodeHash(state);
    const expected = await engineLosses(app.browser, state.config, 20);
    expect(new Set(expected).size).toBe(20);

    const { page, errors } = await openApp(app.browser, `${app.url}#${hash}`);
    expect(await page.getByTestId('backend').getAttribute('data-state')).toBe('cpu');
    expect(await page.getByTestId('link-notices').count()).toBe(0);
    await stepTo(page, 20);
    const rows = await exportedCsv(page);
    expect(rows[0].slice(0, 5)).toEqual(['kind', 'step', 'train_loss', 'grad_norm', 'clipped_norm']);
    const train = rows.filter((r) => r[0] === 'train');
    expect(train.map((r) => Number(r[1]))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(train.map((r) => Number(r[2]))).toEqual(expected);

    // The chart as pictures: a PNG of the plot's pixel size, not one flat colour; an SVG with the axes' text and the curves as an image.
    const pngBytes = await downloadVia(page, 'export-png');
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    const plotSize = await page.locator('.loss-chart .chart-plot canvas').evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
    expect([pngBytes.readUInt32BE(16), pngBytes.readUInt32BE(20)]).toEqual(plotSize);
    const colours = await page.evaluate(async (b64) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, pngBytes.toString('base64'));
    expect(colours).toBeGreaterThan(3);
    const svgText = (await downloadVia(page, 'export-svg')).toString('utf8');
    expect(svgText).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svgText).toContain('<image href="data:image/png;base64,');
    expect(svgText).toMatch(/<text[^>]*>[^<]+<\/text>/);

    // The hash is the page's state: the same link, then a changed seed in it (no new history entry).
    expect(new URL(page.url()).hash).toBe(`#${hash}`);
    const entries = await page.evaluate(() => history.length);
    await page.locator('#seed').fill('9');
    await page.locator('#seed').press('Enter');
    await expect.poll(() => new URL(page.url()).hash).toContain('s=9');
    expect(await page.evaluate(() => history.length)).toBe(entries);

    // The Share popover shows the link.
    await page.getByTestId('share').click();
    expect(await page.getByTestId('share-link').inputValue()).toBe(page.url());
    expect(errors).toEqual([]);
    await page.close();
  });

  test('embed flags hide the panels they name, and only those', async () => {
    const { page, errors } = await openApp(app.browser, `${app.url}#v=1&t=adding&be=cpu&hide.settings=1&hide.lessons=1`);
    expect(await page.locator('.column.settings').isVisible()).toBe(false);
    expect(await page.getByTestId('lessons').isVisible()).toBe(false);
    expect(await page.getByTestId('play').isVisible()).toBe(true);
    expect(await page.getByTestId('share').isVisible()).toBe(true);
    expect(new URL(page.url()).hash).toContain('hide.settings=1');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a hostile link: markup and javascript: in every text-valued key, __proto__ keys; a notice as text, no script runs, the page trains', async () => {
    const textRows = SCHEMA.filter((r) => r.type === 'string' || r.type === 'enum');
    const parts = ['v=1', `t=${encodeURIComponent(HOSTILE[0])}`];
    textRows.forEach((r, i) => parts.push(`${encodeURIComponent(r.key)}=${encodeURIComponent(HOSTILE[i % HOSTILE.length])}`));
    parts.push('__proto__=1', '__proto__%5Bpolluted%5D=1', 'constructor=x', 'constructor.prototype.polluted=1');
    const { page, errors } = await openApp(app.browser, `${app.url}#${parts.join('&')}`);

    const notice = page.getByTestId('link-notices');
    await notice.waitFor();
    const text = (await notice.textContent())!;
    expect(text).toContain('t: the value given');
    expect(await notice.locator('img, script').count()).toBe(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => ({ pwned: (window as { __pwned?: unknown }).__pwned, polluted: ({} as { polluted?: unknown }).polluted }))).toEqual({ pwned: undefined, polluted: undefined });

    // The page works: the default task trains, and the notice closes.
    expect(await page.getByTestId('task-picker').inputValue()).toBe('adding');
    await page.getByTestId('play').click();
    await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(3);
    await page.getByTestId('dismiss-notices').click();
    expect(await notice.count()).toBe(0);

    // Pasted text is text: a char-model link whose text is markup shows it verbatim.
    await page.evaluate((h) => (location.hash = h), `v=1&t=char-model&t.source=pasted&t.text=${encodeURIComponent(HOSTILE[0])}`);
    await expect.poll(() => page.getByTestId('task-picker').inputValue()).toBe('char-model');
    expect(await page.locator('textarea').first().inputValue()).toBe(HOSTILE[0]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });
});
