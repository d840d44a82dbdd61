import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './visited';

describe('the visited-state set', () => {
  it('remembers a fingerprint once and says so the second time', () => {
    const s = new FingerprintSet(100);
    expect(s.add(1, 2)).toBe(true);
    expect(s.add(1, 2)).toBe(false);
    expect(s.add(2, 1)).toBe(true);
    expect(s.size).toBe(2);
  });

  it('grows as states arrive up to the size its limit fixes, and past its limit it stops remembering', () => {
    const s = new FingerprintSet(1000);
    expect(s.maxBytes).toBe(2048 * 8);
    expect(s.bytes).toBe(1024 * 8);
    for (let i = 0; i < 1500; i++) s.add(i * 7919, i);
    expect(s.size).toBe(1000);
    expect(s.bytes).toBe(2048 * 8);
    expect(s.overflow).toBe(500);
    // A forgotten state is new again (no pruning), a remembered one is not.
    expect(s.add(1400 * 7919, 1400)).toBe(true);
    expect(s.add(0, 0)).toBe(false);
  });

  it('past 64 Ki slots a growth goes straight to the size the search projects, within the limit', () => {
    const s = new FingerprintSet(1_000_000);
    s.projected = 300_000;
    const add = (n: number): void => {
      for (let i = s.size; i < n; i++) s.add(Math.imul(i, 0x9e3779b1), i);
    };
    add(32_768); // 64 Ki slots, half full: the growths so far doubled
    expect(s.bytes).toBe(65_536 * 8);
    add(32_769); // the next goes to 1 Mi slots, what 300,000 states need at most half full
    expect(s.bytes).toBe(1_048_576 * 8);
    expect(s.size).toBe(32_769);
    // Every key made the jump: each is still known, and a new one is new.
    let known = 0;
    for (let i = 0; i < 32_769; i++) if (!s.add(Math.imul(i, 0x9e3779b1), i)) known++;
    expect(known).toBe(32_769);
    expect(s.add(7, 7)).toBe(true);
    // A projection past the limit stops at the limit's size; one below double still doubles.
    const t = new FingerprintSet(40_000);
    t.projected = 10_000_000;
    for (let i = 0; i < 32_769; i++) t.add(Math.imul(i, 0x9e3779b1), i);
    expect(t.bytes).toBe(t.maxBytes);
    const u = new FingerprintSet(1_000_000);
    u.projected = 40_000;
    for (let i = 0; i < 32_769; i++) u.add(Math.imul(i, 0x9e3779b1), i);
    expect(u.bytes).toBe(131_072 * 8);
  });

  it('a set that takes over an ended one\'s table starts empty at that size, and only when its limit allows the size', () => {
    const old = new FingerprintSet(1_000_000);
    for (let i = 0; i < 5000; i++) old.add(Math.imul(i, 0x9e3779b1), i);
    expect(old.bytes).toBe(16_384 * 8);
    const next = FingerprintSet.reusing(old, 1_000_000);
    expect([next.size, next.bytes]).toEqual([0, 16_384 * 8]);
    // Nothing of the old search is remembered: every key is new again, once.
    for (let i = 0; i < 5000; i++) expect(next.add(Math.imul(i, 0x9e3779b1), i)).toBe(true);
    expect(next.add(0, 0)).toBe(false);
    // A smaller limit than the table: a small table of its own, as a new set has.
    expect(FingerprintSet.reusing(next, 1000).bytes).toBe(1024 * 8);
    expect(FingerprintSet.reusing(null, 1000).bytes).toBe(1024 * 8);
  });

  it('answers as a plain set of keys would, through every growth (fast-check against a Set)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -3, max: 3 })), { maxLength: 3000 }), fc.integer({ min: 1, max: 5000 }), fc.nat(20_000), (pairs, limit, projected) => {
        const s = new FingerprintSet(limit);
        s.projected = projected;
        const ref = new Set<string>();
        for (const [a, b] of [...pairs, ...pairs]) {
          // Lanes spread over the whole 32 bits, and h2's top bits dropped as the key drops them.
          const h1 = Math.imul(a, 0x9e3779b1) | 0;
          const h2 = Math.imul(b, 0x85ebca6b) ^ (a << 21);
          const key = `${h1 >>> 0}:${h2 & 0x1f_ffff}`;
          const known = ref.has(key);
          if (!known && ref.size < limit) ref.add(key);
          expect(s.add(h1, h2)).toBe(!known);
        }
        expect(s.size).toBe(ref.size);
        expect(s.bytes).toBeLessThanOrEqual(s.maxBytes);
      }),
      { numRuns: 200 },
    );
  });
});
