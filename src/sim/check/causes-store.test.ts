import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventRing, LineFifos, SeqTable } from './causes-store';

/** The reference: a Map trimmed from its oldest key after each set, as the tracker used to keep its links. */
function boundedSet<V>(m: Map<number, V>, k: number, v: V, cap: number): void {
  m.set(k, v);
  if (m.size > cap) m.delete(m.keys().next().value as number);
}

describe('SeqTable keeps what a Map trimmed from its oldest entry keeps', () => {
  test('for any sequence of sets (new keys, repeated keys, keys far apart) and lookups', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 2 ** 32 - 50, max: 2 ** 32 + 50 }), fc.constant(2 ** 53 - 1));
    const op = fc.oneof(
      fc.record({ set: key, v0: fc.integer({ min: -1, max: 1e9 }), v1: fc.integer({ min: -1, max: 99 }) }),
      fc.record({ get: fc.oneof(key, fc.constant(-1)) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 300 }), (cap, ops) => {
        const t = new SeqTable<string>(cap);
        const ref = new Map<number, [number, number]>();
        for (const o of ops) {
          if ('set' in o) {
            t.set(o.set, o.v0, o.v1);
            boundedSet(ref, o.set, [o.v0, o.v1], cap);
          } else {
            const r = ref.get(o.get);
            expect(t.has(o.get)).toBe(r !== undefined);
            expect(t.get(o.get, -7)).toBe(r ? r[0] : -7);
            expect(t.get1(o.get, -7)).toBe(r ? r[1] : -7);
          }
          expect(t.size).toBe(ref.size);
        }
        for (const [k, [v0, v1]] of ref) expect([t.get(k, -7), t.get1(k, -7)]).toEqual([v0, v1]);
      }),
      { numRuns: 300 },
    );
  });

  test('object values: the 4 most recent of 10 keys are held, re-setting a key does not make it newer', () => {
    const t = new SeqTable<string>(4);
    for (let k = 0; k < 10; k++) t.setObj(k * 1000, `v${k}`);
    expect([...Array(10).keys()].map((k) => t.getObj(k * 1000) ?? null)).toEqual([null, null, null, null, null, null, 'v6', 'v7', 'v8', 'v9']);
    t.setObj(6000, 'again'); // Still the oldest: the next new key drops it.
    t.setObj(10_000, 'v10');
    expect([t.getObj(6000), t.getObj(7000), t.getObj(10_000)]).toEqual([undefined, 'v7', 'v10']);
  });
});

describe('EventRing', () => {
  test('holds the copies of the last `capacity` seqs and hands out fresh objects', () => {
    const r = new EventRing(4);
    for (let s = 0; s < 10; s++) r.set(s, s * 10, 7, s % 3, -s, 0x7fffffff, s);
    expect([...Array(10).keys()].map((s) => r.has(s))).toEqual([false, false, false, false, false, false, true, true, true, true]);
    expect(r.get(5)).toBeUndefined();
    expect(r.has(-1)).toBe(false);
    const e = r.get(8)!;
    expect(e).toEqual({ seq: 8, t: 80, kind: 7, line: 2, a: -8, b: 0x7fffffff, c: 8 });
    expect(r.get(8)).not.toBe(e);
    expect([r.is(8, 7, 2), r.is(8, 7, 1), r.is(8, 6, 2), r.is(4, 7, 1)]).toEqual([true, false, false, false]);
  });
});

describe('LineFifos behave like one capped array per line', () => {
  test('for any sequence of pushes, shifts, trims and peeks', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 2 }), seq: fc.integer({ min: 0, max: 1e9 }) }),
      fc.record({ shift: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ trim: fc.integer({ min: 0, max: 2 }), n: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ last: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 200 }), (depth, ops) => {
        const f = new LineFifos(3, depth);
        const ref: number[][] = [[], [], []];
        for (const o of ops) {
          if ('push' in o) {
            f.push(o.push, o.seq);
            ref[o.push]!.push(o.seq);
            if (ref[o.push]!.length > depth) ref[o.push]!.shift();
          } else if ('shift' in o) expect(f.shift(o.shift)).toBe(ref[o.shift]!.shift() ?? -1);
          else if ('trim' in o) {
            f.trim(o.trim, o.n);
            while (ref[o.trim]!.length > o.n) ref[o.trim]!.shift();
          } else expect(f.last(o.last)).toBe(ref[o.last]![ref[o.last]!.length - 1] ?? -1);
          for (let l = 0; l < 3; l++) expect(f.length(l)).toBe(ref[l]!.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
