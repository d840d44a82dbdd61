import { describe, expect, test } from 'vitest';
import { decodeLink, libraryEntry, MAX_LINK_CHARS, parseHash } from '../sim/index';
import { shareUrl } from './share-link';

const BASE = 'https://example.org/vgpio/';

describe('Copy link', () => {
  test('a scenario that fits gives a URL that opens to the same scenario', async () => {
    const json = libraryEntry('calm-board')!.scenario;
    const r = await shareUrl(json, BASE);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.url.startsWith(`${BASE}#s1.`)).toBe(true);
    expect(r.value.url.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
    expect(await decodeLink(r.value.hash.slice(1))).toEqual({ ok: true, value: json });
  });

  test('the link carries the view it was copied at: cursor, selected event, tab and comparison settings', async () => {
    const json = libraryEntry('two-edges-while-away')!.scenario;
    const view = { t: 1_100_000, sel: 81, tab: 'compare', with: ['device.preset=rust-vmm'] };
    const r = await shareUrl(json, BASE, view);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.hash).toBe(`#${r.value.link}&t=1100000&sel=81&tab=compare&with=device.preset%3Drust-vmm`);
    const back = parseHash(new URL(r.value.url).hash);
    expect(back).toEqual({ source: { kind: 'link', link: r.value.link }, view, errors: [] });
    expect(await decodeLink(r.value.url)).toEqual({ ok: true, value: json });
  });

  test('a link over 8,192 characters is refused with its length, never reported as copied', async () => {
    // Incompressible text: the link grows with it.
    let x = 7;
    const noise = Array.from({ length: 9000 }, () => String.fromCharCode(0x21 + ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 90))).join('');
    const r = await shareUrl({ version: 1, title: 't', description: noise }, BASE);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^No link made: .*8192|^No link made: it would be [\d,]+ characters, over the 8,192 a link may hold/);
  });

  test('the whole URL counts: a link just under the limit with a long base is refused', async () => {
    let x = 3;
    const noise = Array.from({ length: 5600 }, () => String.fromCharCode(0x21 + ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 90))).join('');
    const json = { version: 1, title: 't', description: noise };
    const short = await shareUrl(json, BASE);
    if (!short.ok) throw new Error(short.error);
    const longBase = `${BASE}${'p/'.repeat((MAX_LINK_CHARS - short.value.url.length) / 2 + 10)}`;
    const r = await shareUrl(json, longBase);
    expect(r.ok ? '' : r.error).toMatch(/^No link made: it would be [\d,]+ characters, over the 8,192 a link may hold/);
  });
});
