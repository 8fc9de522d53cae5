/**
 * "Share with weights": a small model's parameters in the link, as the `w` key after the
 * settings (`v=1&t=adding&...&w=<base64url>`).
 *
 *   w = base64url(deflate-raw(float32 little-endian params in paramLayout order))
 *
 * with the built-in CompressionStream (no dependency). A link over MAX_LINK_BYTES is refused
 * with its size named. Decoding trusts nothing: the text must be base64url, and it is
 * inflated through a DecompressionStream read chunk by chunk and abandoned as soon as it
 * passes the model's byte count, so a small hostile link cannot inflate to gigabytes; then
 * the count, the layout's zero padding and every value's finiteness are checked before
 * anything is returned.
 */
import { packParams, paramLayout, unpackParams, type ParamLayout } from '../engine/paramLayout.ts';
import type { ModelConfig } from '../engine/model.ts';
import type { TensorMap } from '../engine/tensor.ts';

/** The key that carries the weights. */
export const WEIGHTS_KEY = 'w';

/** Longest link with weights, in bytes (the page's address included). */
export const MAX_LINK_BYTES = 32 * 1024;

/** A link's weights that cannot be written or read; the message is for the user. */
export class WeightsLinkError extends Error {
  override name = 'WeightsLinkError';
}

/** Bytes through a compression or decompression stream, collected; `cap` bytes at most, else null (the stream is cancelled). */
async function throughStream(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream, cap = Infinity): Promise<Uint8Array<ArrayBuffer> | null> {
  const writer = stream.writable.getWriter();
  // Not awaited before reading: the stream holds back writes until its output is read.
  const written = writer.write(bytes).then(() => writer.close());
  written.catch(() => {}); // a failure shows on the reading side
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > cap) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** base64url without padding. */
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes from base64url (padding optional); throws WeightsLinkError on other characters. */
function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new WeightsLinkError('The weights in this link are damaged: they are not base64url text.');
  }
  const binary = atob(text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The flat float32 array's bytes, little-endian. */
function float32Bytes(flat: Float32Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(flat.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < flat.length; i++) view.setFloat32(i * 4, flat[i], true);
  return out;
}

/** Size in bytes of a number, readable (`12,345`). */
const bytesText = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/**
 * `hash` with the model's weights appended as `w`. `page` is the address before the `#`
 * (counted in the link's length). Throws WeightsLinkError naming the sizes when the link
 * would be longer than MAX_LINK_BYTES.
 */
export async function withWeights(hash: string, config: ModelConfig, params: TensorMap, page = ''): Promise<string> {
  const layout = paramLayout(config);
  const raw = float32Bytes(packParams(layout, params));
  const packed = await throughStream(raw, new CompressionStream('deflate-raw'));
  const w = toBase64Url(packed!);
  const link = `${hash.replace(/^#/, '')}&${WEIGHTS_KEY}=${w}`;
  const length = page.length + 1 + link.length;
  if (length > MAX_LINK_BYTES) {
    throw new WeightsLinkError(
      `A link with these weights would be ${bytesText(length)} (${layout.slots.reduce((n, s) => n + s.size, 0).toLocaleString('en-US')} parameters, ` +
        `${bytesText(packed!.length)} compressed); the most is ${bytesText(MAX_LINK_BYTES)}. Share without weights, or use a smaller model.`,
    );
  }
  return link;
}

/** The `w` value of a hash, or null when it has none (the first one counts, as for every key). */
export function weightsOf(hash: string): string | null {
  for (const part of hash.replace(/^#/, '').split('&')) {
    if (part.startsWith(`${WEIGHTS_KEY}=`)) return part.slice(WEIGHTS_KEY.length + 1);
  }
  return null;
}

/**
 * The weights a link's `w` carries, for `config`; throws WeightsLinkError (damaged text,
 * data that inflates past or short of the model's size, non-zero padding, a value that is
 * not finite) before returning anything.
 */
export async function readWeights(w: string, config: ModelConfig): Promise<TensorMap> {
  const layout: ParamLayout = paramLayout(config);
  const expected = layout.total * 4;
  if (w.length > MAX_LINK_BYTES) throw new WeightsLinkError(`The weights in this link are ${bytesText(w.length)} of text, more than a link may hold (${bytesText(MAX_LINK_BYTES)}).`);
  const compressed = fromBase64Url(w);
  let raw: Uint8Array | null;
  try {
    raw = await throughStream(compressed, new DecompressionStream('deflate-raw'), expected);
  } catch {
    throw new WeightsLinkError('The weights in this link are damaged: they do not decompress.');
  }
  if (raw === null) throw new WeightsLinkError(`The weights in this link decompress to more than the ${bytesText(expected)} this model's parameters take: they are for another model.`);
  if (raw.length !== expected) throw new WeightsLinkError(`The weights in this link are ${bytesText(raw.length)}; this model's parameters take ${bytesText(expected)}: they are for another model.`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const flat = new Float32Array(layout.total);
  for (let i = 0; i < flat.length; i++) flat[i] = view.getFloat32(i * 4, true);
  for (const slot of layout.slots) {
    for (let i = 0; i < slot.size; i++) {
      const v = flat[slot.offset + i];
      if (!Number.isFinite(v)) throw new WeightsLinkError(`The weights in this link are damaged: ${slot.name}[${i}] is ${v}.`);
    }
  }
  let at = 0;
  for (const slot of layout.slots) {
    for (let i = at; i < slot.offset; i++) if (flat[i] !== 0) throw new WeightsLinkError('The weights in this link are damaged: the padding between tensors is not zero.');
    at = slot.offset + slot.size;
  }
  for (let i = at; i < flat.length; i++) if (flat[i] !== 0) throw new WeightsLinkError('The weights in this link are damaged: the padding after the last tensor is not zero.');
  return unpackParams(layout, flat);
}
