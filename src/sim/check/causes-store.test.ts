import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventRing, LineFifos, PinnedCopies, SeqLog, SeqTable } from './causes-store';

/** The reference: a Map trimmed from its oldest key after each set, as the tracker used to keep its links. */
function boundedSet<V>(m: Map<number, V>, k: number, v: V, cap: number): void {
  m.set(k, v);
  if (m.size > cap) m.delete(m.keys().next().value as number);
}

type Op = { set: number; v0: number; v1: number } | { get: number };

/** Runs `ops` on a table and on the trimmed Map, comparing every answer. */
function sameAsMap(t: SeqTable | SeqLog, cap: number, ops: readonly Op[]): void {
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
}

const key = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 2 ** 32 - 50, max: 2 ** 32 + 50 }), fc.constant(2 ** 53 - 1));
const ops = (k: fc.Arbitrary<number>): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.record({ set: k, v0: fc.integer({ min: -1, max: 1e9 }), v1: fc.integer({ min: -1, max: 99 }) }) },
      { weight: 3, arbitrary: fc.record({ get: fc.oneof(k, fc.constant(-1)) }) },
    ),
    { maxLength: 700 },
  );
/** Keys as the tracker makes them: mostly the newest seq, sometimes an older one again. */
const risingOps = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 })), { maxLength: 700 })
  .map((xs) => {
    let seq = 0;
    return xs.map(([r, step, back, what]): Op => {
      seq += step;
      const k = r < 7 ? seq : Math.max(0, seq - back);
      return what === 0 ? { get: k } : { set: k, v0: seq, v1: r };
    });
  });

/** Small capacities (eviction all the time) and ones above the 64 entries the tables start with (growth). */
const CAP = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 60, max: 300 }));

describe('SeqTable and SeqLog keep what a Map trimmed from its oldest entry keeps', () => {
  test('SeqTable, for any sequence of sets (new keys, repeated keys, keys far apart) and lookups', () => {
    fc.assert(fc.property(CAP, ops(key), (cap, o) => sameAsMap(new SeqTable(cap), cap, o)), { numRuns: 200 });
  });

  test('SeqLog, for keys in any order', () => {
    fc.assert(fc.property(CAP, ops(key), (cap, o) => sameAsMap(new SeqLog(cap), cap, o)), { numRuns: 200 });
  });

  test('SeqLog, for keys mostly rising with older ones coming back (the tracker\'s pattern)', () => {
    fc.assert(fc.property(CAP, risingOps, (cap, o) => sameAsMap(new SeqLog(cap), cap, o)), { numRuns: 200 });
  });

  test('SeqLog object values: the 4 most recent of 10 keys are held, re-setting a key does not make it newer', () => {
    const t = new SeqLog<string>(4);
    for (let k = 0; k < 10; k++) t.setObj(k * 1000, `v${k}`);
    expect([...Array(10).keys()].map((k) => t.getObj(k * 1000) ?? null)).toEqual([null, null, null, null, null, null, 'v6', 'v7', 'v8', 'v9']);
    t.setObj(6000, 'again');
    t.setObj(500, 'old key, new entry');
    expect([t.getObj(6000), t.getObj(7000), t.getObj(500)]).toEqual([undefined, 'v7', 'old key, new entry']);
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

describe('EventRing growing to its capacity', () => {
  test('holds exactly what a ring allocated at full size holds, for any rising seqs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 700 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 400 }), (cap, steps) => {
        const r = new EventRing(cap);
        const full = new Map<number, number>(); // slot -> the last seq put there
        let seq = 0;
        for (const step of steps) {
          seq += step;
          r.set(seq, seq * 2, 1, 0, seq, 0, 0);
          full.set(seq % cap, seq);
        }
        for (let q = 0; q <= seq; q++) {
          const held = full.get(q % cap) === q;
          expect(r.has(q)).toBe(held);
          if (held) expect(r.get(q)!.a).toBe(q);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('PinnedCopies', () => {
  test('keeps the copy each (slot, line) was given for as long as it names it, long after the ring dropped it', () => {
    const ring = new EventRing(4);
    const pinned = new PinnedCopies(2, 3);
    ring.set(10, 100, 5, 2, 1, 2, 3);
    pinned.pin(1, 2, 10, ring);
    pinned.pin(0, 2, 10, ring);
    for (let s = 11; s < 30; s++) ring.set(s, s, 9, 0, 0, 0, 0);
    expect(ring.get(10)).toBeUndefined();
    expect(pinned.get(1, 2, 10)).toEqual({ seq: 10, t: 100, kind: 5, line: 2, a: 1, b: 2, c: 3 });
    expect(pinned.get(1, 2, 11)).toBeUndefined(); // Another seq: not this slot's copy.
    pinned.pin(1, 2, 29, ring); // The slot moves on: its copy is now of 29; the other slot still keeps 10.
    expect([pinned.get(1, 2, 10), pinned.get(1, 2, 29)?.kind, pinned.get(0, 2, 10)?.t]).toEqual([undefined, 9, 100]);
    pinned.pin(0, 2, -1, ring); // Named nothing: no copy.
    expect(pinned.get(0, 2, 10)).toBeUndefined();
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
