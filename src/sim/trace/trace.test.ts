import { describe, expect, test } from 'vitest';
import { TK } from './kinds';
import { Trace } from './trace';

function fill(t: Trace, n: number): void {
  for (let i = 0; i < n; i++) t.emit(i * 10, i % 2 ? TK.RingAdd : TK.LineLevel, i % 8, i, -i, i * 3);
}

describe('trace ring', () => {
  test('keeps the last `capacity` events and exact counts beyond them', () => {
    const t = new Trace(100);
    fill(t, 250);
    expect(t.total).toBe(250);
    expect(t.firstSeq).toBe(150);
    expect(t.dropped).toBe(150);
    expect(t.get(149)).toBeNull();
    expect(t.get(150)).toEqual({ seq: 150, t: 1500, kind: TK.LineLevel, line: 6, a: 150, b: -150, c: 450 });
    expect(t.count(TK.RingAdd)).toBe(125);
    expect(t.count(TK.LineLevel)).toBe(125);
    expect(t.countsByCategory()).toMatchObject({ ring: 125, line: 125 });
    let seen = 0;
    t.forEach(() => seen++);
    expect(seen).toBe(100);
  });

  test('the hash covers every event ever recorded, whatever the capacity', () => {
    const small = new Trace(10);
    const big = new Trace(10_000);
    fill(small, 5_000);
    fill(big, 5_000);
    expect(small.hash()).toBe(big.hash());
    expect(small.hash()).toMatch(/^[0-9a-f]{16}$/);
  });

  test('changing any field of any event changes the hash', () => {
    const base = new Trace(10);
    fill(base, 50);
    for (const field of [0, 1, 2, 3, 4, 5]) {
      const t = new Trace(10);
      for (let i = 0; i < 50; i++) {
        const v = [i * 10, i % 2 ? TK.RingAdd : TK.LineLevel, i % 8, i, -i, i * 3];
        if (i === 17) v[field] = (v[field] as number) + 1;
        t.emit(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!);
      }
      expect(t.hash(), `field ${field}`).not.toBe(base.hash());
    }
  });

  test('a disabled trace stores nothing but still counts', () => {
    const t = new Trace(10, false);
    fill(t, 30);
    expect(t.total).toBe(0);
    expect(t.count(TK.RingAdd)).toBe(15);
  });

  test('columns() packs a slice for the worker; a million events fit in well under 64 MB', () => {
    const t = new Trace(1000);
    fill(t, 1200);
    const c = t.columns(1100, 50);
    expect(c.firstSeq).toBe(1100);
    expect([...c.a.slice(0, 3)]).toEqual([1100, 1101, 1102]);
    expect(new Trace(1_000_000).byteSize).toBeLessThan(64 * 1024 * 1024);
  });
});
