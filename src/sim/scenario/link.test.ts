import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { base64urlDecode, base64urlEncode, decodeLink, encodeLink, LINK_PREFIX, MAX_LINK_CHARS } from './link';
import { MAX_SCENARIO_BYTES, validateScenario } from './load';

const SCENARIO = {
  version: 1,
  title: 'Link round trip: ünïcödé ✓ and "quotes"',
  seed: 42,
  duration: '2ms',
  device: { lines: [{ name: 'button', pull: 'up' }, { name: 'led', direction: 'out' }] },
  world: { button: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'button', trigger: 'edge-falling', name: 'keys' }],
  timeline: [{ at: '1ms', do: 'press', line: 'button', hold: '100us' }],
  expect: { total: { lost: 0 } },
};

/** A payload built by hand from raw bytes, bypassing encodeLink's checks. */
const linkOf = (bytes: Uint8Array): string => LINK_PREFIX + base64urlEncode(bytes);
const deflated = (text: string): Uint8Array => new Uint8Array(deflateRawSync(Buffer.from(text, 'utf8')));

async function refused(text: string): Promise<string> {
  const r = await decodeLink(text);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
}

describe('share links', () => {
  test('a scenario survives encode then decode exactly', async () => {
    const link = await encodeLink(SCENARIO);
    expect(link.startsWith('s1.')).toBe(true);
    expect(link).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
    const r = await decodeLink(link);
    expect(r).toEqual({ ok: true, value: SCENARIO });
  });

  test('the payload may come bare, as a fragment, or inside a full URL', async () => {
    const link = await encodeLink(SCENARIO);
    for (const text of [link, `#${link}`, `http://localhost:5173/#${link}`, `https://example.org/vgpio/?x=1#${link}\n`]) {
      expect(await decodeLink(text)).toEqual({ ok: true, value: SCENARIO });
    }
  });

  test('encoding is deterministic and readable by a plain inflate', async () => {
    const link = await encodeLink(SCENARIO);
    expect(await encodeLink(SCENARIO)).toBe(link);
    const { inflateRawSync } = await import('node:zlib');
    const bytes = base64urlDecode(link.slice(3)) as Uint8Array;
    expect(JSON.parse(inflateRawSync(bytes).toString('utf8'))).toEqual(SCENARIO);
  });

  test('a link longer than 8 KB is refused before decoding, with its length', async () => {
    const text = LINK_PREFIX + 'A'.repeat(MAX_LINK_CHARS);
    const error = await refused(text);
    expect(error).toContain(String(text.length));
    expect(error).toContain(String(MAX_LINK_CHARS));
    // Even a huge garbage string is refused at once.
    expect(await refused('x'.repeat(50_000_000))).toContain('50000000');
  });

  test('a scenario too large for a link cannot be encoded', async () => {
    // Incompressible text: pseudo-random printable characters.
    let x = 12345;
    const noise = Array.from({ length: 20_000 }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return String.fromCharCode(33 + ((x >>> 16) % 90));
    }).join('');
    await expect(encodeLink({ ...SCENARIO, description: noise })).rejects.toThrow(/too large for a link/);
  });

  test('a newer link format is refused with a clear message', async () => {
    const link = await encodeLink(SCENARIO);
    const error = await refused('s2.' + link.slice(3));
    expect(error).toMatch(/format s2, newer than this vgpio-lab understands/);
    expect(await refused('http://x/#s17.abc')).toMatch(/s17, newer/);
  });

  test('text that is not a vgpio-lab link is refused', async () => {
    for (const text of ['', 'hello', 'http://localhost:5173/', '#code/abc', 's.abc', 'S1.abc', 's0.abc', ' s1abc']) {
      expect(await refused(text)).toMatch(/not a vgpio-lab link/);
    }
  });

  test('invalid base64url is refused', async () => {
    for (const body of ['abc+', 'ab/c', 'ab=c', 'a', 'abcde', 'ab c', 'é']) {
      expect(await refused(LINK_PREFIX + body)).toMatch(/damaged|empty/);
    }
    expect(await refused(LINK_PREFIX)).toMatch(/empty/);
  });

  test('corrupt compressed data is refused, never thrown', async () => {
    const link = await encodeLink(SCENARIO);
    const bytes = base64urlDecode(link.slice(3)) as Uint8Array;
    const garbage = new Uint8Array(64).map((_, i) => (i * 97 + 13) & 0xff);
    expect(await refused(linkOf(garbage))).toMatch(/damaged/);
    // Flip bits in the middle of the stream.
    const flipped = bytes.slice();
    for (let i = 4; i < flipped.length; i += 7) flipped[i] ^= 0x5a;
    expect(await refused(linkOf(flipped))).toMatch(/damaged|scenario/);
  });

  test('a truncated link is refused', async () => {
    const link = await encodeLink(SCENARIO);
    for (const cut of [4, 10, Math.floor(link.length / 2), link.length - 3]) {
      const r = await decodeLink(link.slice(0, cut));
      expect(r.ok).toBe(false);
    }
  });

  test('a zip bomb is stopped at the scenario size cap', async () => {
    // Deflate expands at most about 1000:1, so 5 MB of spaces makes a link under 8 KB that expands 10x past the cap.
    const bomb = new Uint8Array(deflateRawSync(Buffer.alloc(5 * 1024 * 1024, 0x20), { level: 9 }));
    const text = linkOf(bomb);
    expect(text.length).toBeLessThan(MAX_LINK_CHARS);
    const error = await refused(text);
    expect(error).toContain(`${MAX_SCENARIO_BYTES / 1024} KB`);
    // The 50 MB bomb of the brief is refused even earlier, by the length check.
    const big = linkOf(new Uint8Array(deflateRawSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 })));
    expect(await refused(big)).toMatch(/characters long/);
  });

  test('decompression stops as soon as the output passes the cap', async () => {
    // 6 MB of spaces: about 6 KB of deflate, so the link fits; it must not be inflated whole.
    const bomb = linkOf(new Uint8Array(deflateRawSync(Buffer.alloc(6 * 1024 * 1024, 0x20), { level: 9 })));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    const Real = globalThis.DecompressionStream;
    let produced = 0;
    class Counting {
      readonly writable: WritableStream;
      readonly readable: ReadableStream;
      constructor(format: 'deflate-raw') {
        const inner = new Real(format);
        const count = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, ctl) {
            produced += chunk.length;
            ctl.enqueue(chunk);
          },
        });
        this.writable = inner.writable;
        this.readable = inner.readable.pipeThrough(count, { preventCancel: false });
      }
    }
    globalThis.DecompressionStream = Counting as unknown as typeof DecompressionStream;
    try {
      expect(await refused(bomb)).toContain('KB');
    } finally {
      globalThis.DecompressionStream = Real;
    }
    // Back-pressure keeps the inflater within a few chunks of the cap, far from 6 MB.
    expect(produced).toBeGreaterThan(MAX_SCENARIO_BYTES);
    expect(produced).toBeLessThan(MAX_SCENARIO_BYTES + 1024 * 1024);
  });

  test('keys that reach a prototype are refused', async () => {
    for (const json of [
      '{"version":1,"__proto__":{"polluted":true}}',
      '{"version":1,"device":{"constructor":{"prototype":{"x":1}}}}',
      '{"a":[{"prototype":1}]}',
    ]) {
      expect(await refused(linkOf(deflated(json)))).toMatch(/is not allowed/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('content that is not JSON or not UTF-8 is refused', async () => {
    expect(await refused(linkOf(deflated('{"version": 1,')))).toMatch(/not valid JSON/);
    expect(await refused(linkOf(new Uint8Array(deflateRawSync(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))))).toMatch(/UTF-8/);
  });

  test('base64url encoding matches Node for every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 151 + n * 7) & 0xff);
      const enc = base64urlEncode(bytes);
      expect(enc).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64urlDecode(enc)).toEqual(bytes);
    }
  });

  test('fuzz: 1,500 seeded random and mutated link strings never throw', async () => {
    const valid = await encodeLink(SCENARIO);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#/:?=%+ s1é\u0000';
    const randomText = fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }).map((cs) => cs.join(''));
    const mutated = fc
      .tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 63 }), fc.constantFrom('replace', 'delete', 'insert', 'truncate'))
      .map(([at, c, how]) => {
        const ch = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[c] as string;
        if (how === 'replace') return valid.slice(0, at) + ch + valid.slice(at + 1);
        if (how === 'delete') return valid.slice(0, at) + valid.slice(at + 1);
        if (how === 'insert') return valid.slice(0, at) + ch + valid.slice(at);
        return valid.slice(0, at);
      });
    const rawBytes = fc.uint8Array({ maxLength: 300 }).map((b) => linkOf(b));
    const anyLink = fc.oneof(randomText, mutated, rawBytes, randomText.map((t) => `${LINK_PREFIX}${t}`));
    await fc.assert(
      fc.asyncProperty(anyLink, async (text) => {
        const r = await decodeLink(text);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      { seed: 20260101, numRuns: 1500 },
    );
  });

  test('fuzz: links carrying hostile JSON (deep nesting, forbidden keys, mutated scenarios) are refused in our words', async () => {
    const library = /Expected never|Invalid key|Invalid type:|Maximum call stack|but received/;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat({ max: 200_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
          fc.nat({ max: 5_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
          fc.constantFrom('__proto__', 'constructor', 'prototype').map((k) => JSON.stringify({ ...SCENARIO, device: JSON.parse(`{"${k}":{}}`) as unknown })),
          fc.tuple(fc.constantFrom('title', 'device', 'world', 'clients', 'timeline', 'seed'), fc.jsonValue({ maxDepth: 3 })).map(([k, v]) =>
            JSON.stringify({ ...SCENARIO, [k]: v, [`${k}x`]: 1 }),
          ),
        ),
        async (json) => {
          const r = await decodeLink(linkOf(deflated(json)));
          if (r.ok) {
            const v = validateScenario(r.value);
            if (!v.ok) expect(v.error).not.toMatch(library);
          } else {
            expect(r.error).not.toMatch(library);
          }
        },
      ),
      { seed: 20261202, numRuns: 300 },
    );
  });
});

describe('share links carry misbehaving-driver steps', () => {
  test('a scenario with inject-request, inject-event and inject-chain steps survives encode then decode, and still loads', async () => {
    const scenario = {
      version: 1,
      title: 'rogue traffic in a link',
      duration: '2ms',
      device: { lines: [{ name: 'sensor' }], preset: 'rust-vmm', transport: 'intx-irqfd', latency: { assert: '2us', deassert: '5us', resample: '3us' } },
      timeline: [
        { at: '1ms', do: 'inject-request', type: 'GET_VALUE', gpio: 1, responseLen: 4 },
        { at: '1100us', do: 'inject-event', gpio: 0, requestWritable: true },
        { at: '1200us', do: 'inject-chain', queue: 'requestq', descriptors: [{ index: 40, addr: 4096, len: 8, flags: ['next'], next: 40 }], availJump: 3 },
      ],
    };
    const r = await decodeLink(await encodeLink(scenario));
    expect(r).toEqual({ ok: true, value: scenario });
    expect(validateScenario(r.ok ? r.value : null).ok).toBe(true);
  });
});
