/**
 * Weights in and out of the built app, on the CPU: the checkpoint JSON downloads; a
 * truncated file, a wrong-shape file and NaN files (JSON and safetensors) are refused with
 * a message naming the problem and the run goes on exactly as an untouched run does; the
 * checkpoint and `model.safetensors` load into a fresh run of the same link; a link with
 * weights carries them (float32), a big model's is refused with the 32 KB message; a model
 * PyTorch does not have says why its export is disabled.
 */
import type { Page } from 'playwright';
import { describe, expect, test } from 'vitest';
import { encodeHash } from '../../src/share/hash.ts';
import { LESSONS, lessonHash } from '../../src/share/lessons.ts';
import { applyOverride, defaultState } from '../../src/share/schema.ts';
import { downloadVia, exportedCsv, openApp, servedApp, stepTo } from './fixture.ts';

/** The run every test here opens: small, on the CPU, so losses compare exactly. */
const HASH = encodeHash(applyOverride(defaultState('adding'), { config: { task: { id: 'adding', settings: { T: 12 } }, model: { hiddenSize: 8 }, training: { batchSize: 8 } }, backend: 'cpu' }));

/** A checkpoint as the page writes it. */
interface Checkpoint {
  model: Record<string, unknown>;
  tensors: Record<string, { shape: number[]; data: (number | null)[] }>;
}

/** The page's checkpoint, parsed (the Weights popover is opened if it is not). */
async function checkpoint(page: Page): Promise<Checkpoint> {
  if ((await page.getByTestId('weights-panel').count()) === 0) await page.getByTestId('weights').click();
  return JSON.parse((await downloadVia(page, 'download-checkpoint')).toString('utf8')) as Checkpoint;
}

/** Training losses by step, through the CSV export. */
async function losses(page: Page): Promise<number[]> {
  return (await exportedCsv(page)).filter((r) => r[0] === 'train').map((r) => Number(r[2]));
}

/** Uploads a file through the Weights popover's file input; returns the message shown. */
async function upload(page: Page, name: string, buffer: Buffer): Promise<string> {
  if ((await page.getByTestId('weights-panel').count()) === 0) await page.getByTestId('weights').click();
  const message = page.getByTestId('weights-message');
  await page.evaluate(() => (document.querySelector('[data-testid="weights-message"]')!.textContent = ''));
  await page.getByTestId('weights-file').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await expect.poll(async () => (await message.textContent())!.length).toBeGreaterThan(0);
  return (await message.textContent())!;
}

/** Every value of a checkpoint's tensors rounded to float32, as safetensors and links carry them. */
function float32(c: Checkpoint): Record<string, number[]> {
  return Object.fromEntries(Object.entries(c.tensors).map(([k, t]) => [k, t.data.map((v) => Math.fround(v!))]));
}

describe('weights in and out of the built app', () => {
  const app = servedApp();
  /** Opens `hash` in a new page and waits for its run. */
  const open = async (hash: string): Promise<Page> => (await openApp(app.browser, `${app.url}#${hash}`)).page;

  test('bad files are refused with the problem named, and the run goes on as if untouched; good files load', async () => {
    const page = await open(HASH);
    await stepTo(page, 3);
    const saved = await checkpoint(page);
    const text = JSON.stringify(saved);
    expect(Object.keys(saved.tensors).length).toBeGreaterThan(2);

    expect(await upload(page, 'truncated.json', Buffer.from(text.slice(0, text.length / 2)))).toMatch(/truncated\.json cannot be loaded: .*JSON/);
    const wrong = structuredClone(saved);
    const [name, tensor] = Object.entries(wrong.tensors).find(([, t]) => t.shape.length === 2 && t.shape[0] !== t.shape[1])!;
    tensor.shape = [tensor.shape[1], tensor.shape[0]];
    expect(await upload(page, 'wrong-shape.json', Buffer.from(JSON.stringify(wrong)))).toContain(name);
    const nan = structuredClone(saved);
    nan.tensors[name].data[1] = null;
    expect(await upload(page, 'nan.json', Buffer.from(JSON.stringify(nan)))).toMatch(/nan\.json cannot be loaded: .*finite number/);
    const st = await downloadVia(page, 'export-safetensors');
    const headerEnd = 8 + Number(st.readBigUInt64LE(0));
    const nanSt = Buffer.from(st);
    nanSt.writeFloatLE(NaN, headerEnd + 4);
    expect(await upload(page, 'nan.safetensors', nanSt)).toMatch(/NaN/);
    expect(await upload(page, 'truncated.safetensors', st.subarray(0, headerEnd + 10))).toContain('truncated.safetensors cannot be loaded');

    // The model is unchanged: the next steps' losses equal those of an untouched run.
    await stepTo(page, 6);
    const after = await losses(page);
    const untouched = await open(HASH);
    await stepTo(untouched, 6);
    expect(after).toEqual(await losses(untouched));
    await untouched.close();

    // The step-3 checkpoint and safetensors load into a fresh run of the same link.
    const fresh = await open(HASH);
    expect(await upload(fresh, 'rnn-playground-checkpoint.json', Buffer.from(text))).toBe('Loaded rnn-playground-checkpoint.json.');
    expect((await checkpoint(fresh)).tensors).toEqual(saved.tensors);
    expect(await upload(fresh, 'model.safetensors', st)).toBe('Loaded model.safetensors.');
    expect(float32(await checkpoint(fresh))).toEqual(float32(saved));
    await fresh.close();
    await page.close();
  });

  test('a link with weights carries them; a big model’s is refused; a model PyTorch lacks says why it cannot export', async () => {
    const page = await open(HASH);
    await stepTo(page, 2);
    const saved = await checkpoint(page);
    await page.getByTestId('share').click();
    await page.getByTestId('share-weights').click();
    await expect.poll(() => page.getByTestId('share-link').inputValue()).toContain('&w=');
    const link = await page.getByTestId('share-link').inputValue();
    const { page: other } = await openApp(app.browser, link);
    await expect.poll(async () => float32(await checkpoint(other))).toEqual(float32(saved));
    expect(await other.getByTestId('link-notices').count()).toBe(0);
    await other.close();
    await page.close();

    const big = await open(encodeHash(applyOverride(defaultState('adding'), { config: { model: { hiddenSize: 128 } }, backend: 'cpu' })));
    await big.getByTestId('share').click();
    await big.getByTestId('share-weights').click();
    await expect.poll(() => big.locator('.share-said').textContent()).toMatch(/the most is 32,768 bytes/);
    await big.close();

    const gates = await open(lessonHash(LESSONS.find((l) => l.id === 'lstm-gate-by-gate')!));
    await gates.getByTestId('weights').click();
    expect(await gates.getByTestId('export-safetensors').isDisabled()).toBe(true);
    expect(await gates.getByTestId('no-torch').textContent()).toMatch(/No PyTorch export: .*gate/);
    await gates.close();
  });
});
