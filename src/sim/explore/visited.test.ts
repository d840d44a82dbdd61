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

  it('answers as a plain set of keys would, through every growth (fast-check against a Set)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -3, max: 3 })), { maxLength: 3000 }), fc.integer({ min: 1, max: 5000 }), (pairs, limit) => {
        const s = new FingerprintSet(limit);
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
