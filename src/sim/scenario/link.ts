import { LINK_PREFIX } from './link-view';
import { MAX_SCENARIO_BYTES, parseJsonSafely, type Result } from './load';

/**
 * Share links: `s1.` + base64url(deflate-raw(UTF-8 JSON)), carried in a URL
 * fragment (`https://host/#s1.…`) so no server ever sees the scenario.
 *
 * Decoding treats the text as hostile: its length is checked before any work,
 * the prefix says which format it is (newer ones are refused, not guessed),
 * the decompressed size is capped while streaming (a few KB of deflate can
 * expand to gigabytes), and the JSON goes through parseJsonSafely, which
 * refuses `__proto__` and friends. It never throws.
 *
 * Compression uses the web's CompressionStream, present in browsers, workers
 * and Node 18+. The core's lib has no DOM types, so the few members used are
 * declared here and reached through globalThis.
 */

// The format's prefix is declared in link-view.ts, which the page needs at boot without this codec.
export { LINK_PREFIX };
/** Longest link accepted, whole URL included (RFC 9110 asks servers and clients to support 8000 octets). */
export const MAX_LINK_CHARS = 8192;
export const DEFAULT_LINK_BASE = 'http://localhost:5173/';

interface StreamReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
interface StreamWriter {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
interface TransformPair {
  readonly readable: { getReader(): StreamReader };
  readonly writable: { getWriter(): StreamWriter };
}
interface WebApis {
  CompressionStream?: new (format: 'deflate-raw') => TransformPair;
  DecompressionStream?: new (format: 'deflate-raw') => TransformPair;
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string, opts: { fatal: boolean }) => { decode(b: Uint8Array): string };
}
const web = globalThis as unknown as WebApis;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

/** base64url without padding (RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += B64[n >> 18]! + B64[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]!;
  }
  return out;
}

/** Strict base64url decoding (no padding, no other characters); null when invalid. */
export function base64urlDecode(text: string): Uint8Array | null {
  if (text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (B64_INDEX[c] as number) : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, so every payload has exactly one spelling.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

async function pump(format: 'compress' | 'decompress', input: Uint8Array, cap: number): Promise<Result<Uint8Array>> {
  const Ctor = format === 'compress' ? web.CompressionStream : web.DecompressionStream;
  if (!Ctor) return { ok: false, error: 'this JavaScript runtime has no CompressionStream (needs a current browser or Node 18+)' };
  const stream = new Ctor('deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Not awaited: with back-pressure the write only settles as the output is read.
  // Their failures surface through read(); the catch keeps them from going unhandled.
  writer.write(input).catch(() => {});
  writer.close().catch(() => {});
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      size += value.length;
      if (size > cap) {
        await reader.cancel().catch(() => {});
        return { ok: false, error: `the link expands to more than ${cap / 1024} KB (the scenario size limit); refusing it` };
      }
      chunks.push(value);
    }
  } catch {
    await reader.cancel().catch(() => {});
    return { ok: false, error: 'the link is damaged: its compressed data does not decompress (was it cut short or edited?)' };
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { ok: true, value: out };
}

/**
 * The link payload for a scenario (JSON value): `s1.` + base64url(deflate-raw(JSON)).
 * Rejects when the payload is longer than MAX_LINK_CHARS.
 */
export async function encodeLink(scenarioJson: unknown): Promise<string> {
  const text = JSON.stringify(scenarioJson);
  if (text === undefined) throw new TypeError('a link carries a JSON value');
  const r = await pump('compress', new web.TextEncoder().encode(text), Infinity);
  if (!r.ok) throw new Error(r.error);
  const link = LINK_PREFIX + base64urlEncode(r.value);
  if (link.length > MAX_LINK_CHARS) {
    throw new RangeError(`the scenario is too large for a link: ${link.length} characters, the limit is ${MAX_LINK_CHARS}`);
  }
  return link;
}

/** The payload part of a link: the fragment of a URL, or the text itself (a leading `#` dropped). */
function payloadOf(text: string): string {
  const t = text.trim();
  const hash = t.indexOf('#');
  const fragment = hash >= 0 ? t.slice(hash + 1) : t;
  // View fields (`&t=…`, see link-view.ts) may follow the payload; the scenario is the payload alone.
  const amp = fragment.indexOf('&');
  return amp >= 0 ? fragment.slice(0, amp) : fragment;
}

/**
 * Decodes a share link into the JSON value it carries (not yet validated as a
 * scenario). Accepts the bare payload (`s1.…`), a fragment (`#s1.…`) or a full
 * URL. Never throws.
 */
export async function decodeLink(text: string): Promise<Result<unknown>> {
  if (typeof text !== 'string') return { ok: false, error: 'a link is text' };
  if (text.length > MAX_LINK_CHARS) {
    return { ok: false, error: `the link is ${text.length} characters long; links are at most ${MAX_LINK_CHARS}` };
  }
  const payload = payloadOf(text);
  const m = /^s(\d{1,6})\./.exec(payload);
  if (!m) return { ok: false, error: `not a vgpio-lab link (expected a URL ending in #${LINK_PREFIX}… or the ${LINK_PREFIX}… text itself)` };
  const format = Number(m[1]);
  if (`s${format}.` !== LINK_PREFIX) {
    return format > 1
      ? { ok: false, error: `this link uses link format s${format}, newer than this vgpio-lab understands (${LINK_PREFIX.slice(0, -1)}); update vgpio-lab` }
      : { ok: false, error: `not a vgpio-lab link (unknown link format s${m[1]})` };
  }
  const body = payload.slice(m[0].length);
  if (body === '') return { ok: false, error: 'the link is empty after its s1. prefix' };
  const bytes = base64urlDecode(body);
  if (!bytes) return { ok: false, error: 'the link is damaged: it is not valid base64url (letters, digits, - and _ only)' };
  const raw = await pump('decompress', bytes, MAX_SCENARIO_BYTES);
  if (!raw.ok) return raw;
  let json: string;
  try {
    json = new web.TextDecoder('utf-8', { fatal: true }).decode(raw.value);
  } catch {
    return { ok: false, error: 'the link is damaged: its content is not UTF-8 text' };
  }
  const parsed = parseJsonSafely(json);
  if (!parsed.ok) return { ok: false, error: `the link does not hold a valid scenario: ${parsed.error}` };
  return parsed;
}
