/**
 * Weights in the link (src/share/weightsLink.ts): a round trip through deflate-raw and
 * base64url, the 32 KB refusal with the size named, and hostile `w` values: not base64url,
 * not deflate, a decompression bomb (read no further than the model's size), the wrong
 * count, NaN, non-zero padding.
 */
import { describe, expect, test } from 'vitest';
import { initParams, type ModelConfig } from '../../src/engine/model.ts';
import { packParams, paramLayout } from '../../src/engine/paramLayout.ts';
import type { TensorMap } from '../../src/engine/tensor.ts';
import { decodeHash, encodeHash } from '../../src/share/hash.ts';
import { defaultState } from '../../src/share/schema.ts';
import { MAX_LINK_BYTES, WeightsLinkError, readWeights, weightsOf, withWeights } from '../../src/share/weightsLink.ts';

/** The adding problem's default LSTM: 2 features in, H = 16, one output. */
const SMALL: ModelConfig = { cell: 'lstm', inputSize: 2, hiddenSize: 16, numLayers: 1, bidirectional: false, outputSize: 1 };
const BIG: ModelConfig = { ...SMALL, hiddenSize: 64, numLayers: 2 };

/** deflate-raw of some bytes, base64url, as a hostile link would carry them. */
async function deflated(chunks: Iterable<Uint8Array<ArrayBuffer>>): Promise<string> {
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  const writing = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  const out = new Uint8Array(await new Response(stream.readable).arrayBuffer());
  await writing;
  return Buffer.from(out).toString('base64url');
}

/** The model's layout as float32 bytes, after `edit` changes the flat array. */
function flatBytes(config: ModelConfig, edit: (flat: Float32Array) => void = () => {}): Uint8Array<ArrayBuffer> {
  const flat = packParams(paramLayout(config), initParams(config, 1));
  edit(flat);
  return new Uint8Array(flat.buffer);
}

/** Expects readWeights to refuse with a message matching. */
async function expectRefused(w: string, message: RegExp, config = SMALL): Promise<void> {
  const error = await readWeights(w, config).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WeightsLinkError);
  expect((error as Error).message).toMatch(message);
}

const rounded = (params: TensorMap): TensorMap => new Map([...params].map(([k, t]) => [k, { shape: t.shape, data: t.data.map(Math.fround) }]));

describe('share with weights', () => {
  test('round trip: the adding problem’s LSTM (H=16) in a link, read back as its float32 values; the settings decode as before', async () => {
    const state = defaultState('adding');
    const hash = encodeHash(state);
    const params = initParams(SMALL, 1);
    const page = 'https://example.github.io/rnn-playground/';
    const link = await withWeights(`#${hash}`, SMALL, params, page);
    console.log(`adding LSTM H=16 (${paramLayout(SMALL).slots.reduce((n, s) => n + s.size, 0)} parameters): link with weights ${page.length + 1 + link.length} bytes`);
    expect(link.startsWith(`${hash}&w=`)).toBe(true);
    expect(page.length + 1 + link.length).toBeLessThanOrEqual(MAX_LINK_BYTES);
    expect(decodeHash(link)).toEqual({ state, notices: [] });
    expect(await readWeights(weightsOf(link)!, SMALL)).toEqual(rounded(params));
  });

  test('a link over 32 KB is refused, naming its size and the limit', async () => {
    const error = await withWeights('v=1', BIG, initParams(BIG, 1)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(WeightsLinkError);
    expect((error as Error).message).toMatch(/^A link with these weights would be [\d,]+ bytes \(50,753 parameters, [\d,]+ bytes compressed\); the most is 32,768 bytes\. Share without weights, or use a smaller model\.$/);
  });

  test('weightsOf finds w, or null', () => {
    expect(weightsOf('#v=1&w=abc&h=3')).toBe('abc');
    expect(weightsOf('v=1&ww=abc')).toBeNull();
  });

  test('text that is not base64url, or not deflate, is refused', async () => {
    await expectRefused('<img src=x onerror=alert(1)>', /not base64url/);
    await expectRefused('a', /not base64url/);
    await expectRefused(Buffer.from('definitely not deflate data, just text').toString('base64url'), /do not decompress/);
  });

  test('a decompression bomb (20 MB of zeros in 26 kB of link) is abandoned at the model’s size', async () => {
    const mb = new Uint8Array(1 << 20);
    const bomb = await deflated(Array.from({ length: 20 }, () => mb));
    expect(bomb.length).toBeLessThan(MAX_LINK_BYTES);
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    await expectRefused(bomb, /decompress to more than the [\d,]+ bytes this model's parameters take/);
    const ms = performance.now() - start;
    const grew = process.memoryUsage().arrayBuffers - before;
    console.log(`bomb: ${bomb.length} characters, refused in ${ms.toFixed(1)} ms, array buffers grew ${(grew / 1e6).toFixed(2)} MB`);
    expect(ms).toBeLessThan(200);
    expect(grew).toBeLessThan(8e6);
  });

  test('the wrong count, a NaN, an Infinity or non-zero padding is refused before anything is returned', async () => {
    const bytes = flatBytes(SMALL);
    await expectRefused(await deflated([bytes.subarray(0, bytes.length - 4)]), /are [\d,]+ bytes; this model's parameters take [\d,]+ bytes/);
    await expectRefused(await deflated([bytes]), /decompress to more than/, { ...SMALL, hiddenSize: 8 });
    const layout = paramLayout(SMALL);
    const hh = layout.slots.find((s) => s.name === 'rnn.weight_hh_l0')!;
    await expectRefused(await deflated([flatBytes(SMALL, (f) => void (f[hh.offset + 5] = NaN))]), /^The weights in this link are damaged: rnn\.weight_hh_l0\[5\] is NaN\.$/);
    await expectRefused(await deflated([flatBytes(SMALL, (f) => void (f[layout.slots[0].offset] = Infinity))]), /rnn\.weight_ih_l0\[0\] is Infinity/);
    const head = layout.slots.find((s) => s.name === 'head.weight')!; // 16 values, then 48 of padding
    await expectRefused(await deflated([flatBytes(SMALL, (f) => void (f[head.offset + head.size] = 1))]), /padding between tensors is not zero/);
    await expectRefused(await deflated([flatBytes(SMALL, (f) => void (f[f.length - 1] = 1))]), /padding after the last tensor is not zero/);
  });
});
