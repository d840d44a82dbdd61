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

  it('has a fixed size set when it is made, and past its limit it stops remembering', () => {
    const s = new FingerprintSet(1000);
    expect(s.bytes).toBe(2048 * 8);
    for (let i = 0; i < 1500; i++) s.add(i * 7919, i);
    expect(s.size).toBe(1000);
    expect(s.overflow).toBe(500);
    // A forgotten state is new again (no pruning), a remembered one is not.
    expect(s.add(1400 * 7919, 1400)).toBe(true);
    expect(s.add(0, 0)).toBe(false);
  });
});
