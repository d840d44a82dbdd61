import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GuestMemory } from '../memory';
import { EventQueue } from '../clock/event-queue';
import { Prng } from '../clock/prng';
import { allocRing } from './ring-layout';
import { Chain, DeviceQueue, RingFault } from './device-queue';
import { DriverQueue, GET_NONE, type BufferSpec } from './driver-queue';

// Fixed seeds: the properties explore the same cases on every run and in CI.
const SEED = 0x76_67_70_69; // "vgpi"

// ---- driver + device against a FIFO reference model ---------------------------------

type Op =
  | { t: 'add'; readable: number; lens: number[]; offset: number }
  | { t: 'pop' }
  | { t: 'push'; pick: number; len: number }
  | { t: 'get' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc.record({
        t: fc.constant('add' as const),
        readable: fc.integer({ min: 0, max: n }), // the first `readable` buffers are device-readable, the rest writable
        lens: fc.array(fc.integer({ min: 0, max: 256 }), { minLength: n, maxLength: n }),
        offset: fc.integer({ min: 0, max: 0x3f00 }),
      }),
    ),
    weight: 3,
  },
  { arbitrary: fc.constant({ t: 'pop' as const }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('push' as const), pick: fc.nat(), len: fc.nat({ max: 0xffff_ffff }) }), weight: 2 },
  { arbitrary: fc.constant({ t: 'get' as const }), weight: 2 },
);

interface Outstanding {
  token: number;
  head: number;
  bufs: BufferSpec[];
  usedLen: number;
}

const DATA = 0x8000; // buffers live here, well clear of the rings

/**
 * Runs `ops` against a real DriverQueue + DeviceQueue sharing guest memory and
 * checks every step against the model: chains become available in add order
 * (FIFO), the device may complete popped chains in any order, and the driver
 * must get back exactly the completed chains in completion order.
 */
function runModel(size: number, warmup: number, ops: readonly Op[]): void {
  const mem = new GuestMemory(0x10000);
  const ring = allocRing(mem, size);
  const drv = new DriverQueue(mem, ring);
  const dev = new DeviceQueue(mem, ring);
  const chain = new Chain(size);

  // Optional warm-up: single-buffer round trips to bring every index near the u16 wrap.
  for (let i = 0; i < warmup; i++) {
    drv.addChain([{ addr: DATA, len: 1, write: true }], 0);
    dev.pending();
    dev.pop(chain);
    dev.pushUsed(chain.head, 0);
    drv.getBuf();
  }

  const avail: Outstanding[] = []; // added, not yet popped (FIFO)
  const popped: Outstanding[] = []; // popped, not yet completed (any order)
  const used: Outstanding[] = []; // completed, not yet taken by the driver (FIFO)
  let nextToken = 1;
  const inUse = () => [...avail, ...popped, ...used].reduce((n, o) => n + o.bufs.length, 0);

  // Checked after every operation, so plain comparisons keep it cheap.
  const check = (): void => {
    const want = size - inUse();
    if (drv.numFree !== want) throw new Error(`numFree ${drv.numFree}, expected ${want}`);
    if (drv.broken !== null) throw new Error(`driver queue broken: ${drv.broken}`);
    if (dev.fault !== RingFault.None) throw new Error(`device ring fault ${dev.fault}`);
    if (drv.hasUsed() !== used.length > 0) throw new Error(`hasUsed ${drv.hasUsed()} with ${used.length} used`);
  };

  const apply = (op: Op): void => {
    switch (op.t) {
      case 'add': {
        const bufs = op.lens.map((len, i) => ({ addr: DATA + op.offset + 0x40 * i, len, write: i >= op.readable }));
        const fits = size - inUse() >= bufs.length;
        const token = nextToken++;
        const head = drv.addChain(bufs, token);
        if (!fits) {
          expect(head).toBe(-1);
          return;
        }
        expect(head).toBeGreaterThanOrEqual(0);
        expect(head).toBeLessThan(size);
        // A new head must not be the head of a chain still in flight.
        expect([...avail, ...popped, ...used].some((o) => o.head === head)).toBe(false);
        avail.push({ token, head, bufs, usedLen: -1 });
        return;
      }
      case 'pop': {
        expect(dev.pending()).toBe(avail.length);
        if (avail.length === 0) return;
        const want = avail.shift() as Outstanding;
        expect(dev.pop(chain)).toBe(RingFault.None);
        expect(chain.head).toBe(want.head);
        expect(chain.count).toBe(want.bufs.length);
        for (let i = 0; i < chain.count; i++) {
          const b = want.bufs[i] as BufferSpec;
          expect([chain.addr[i], chain.len[i], chain.write[i]]).toEqual([b.addr, b.len, b.write ? 1 : 0]);
        }
        expect(chain.writeBeforeRead).toBe(false);
        popped.push(want);
        return;
      }
      case 'push': {
        if (popped.length === 0) return;
        const [done] = popped.splice(op.pick % popped.length, 1) as [Outstanding];
        done.usedLen = op.len;
        dev.pushUsed(done.head, op.len);
        used.push(done);
        return;
      }
      case 'get': {
        const tok = drv.getBuf();
        const want = used.shift();
        if (want === undefined) {
          expect(tok).toBe(GET_NONE);
          return;
        }
        expect([tok, drv.lastLen, drv.lastHead]).toEqual([want.token, want.usedLen, want.head]);
        return;
      }
    }
  };

  for (const op of ops) {
    apply(op);
    check();
  }
  // Drain: everything still in flight comes back, and every descriptor is free again.
  while (avail.length > 0) apply({ t: 'pop' });
  while (popped.length > 0) apply({ t: 'push', pick: 0, len: 1 });
  while (used.length > 0) apply({ t: 'get' });
  check();
  expect(drv.numFree).toBe(size);
  expect(drv.getBuf()).toBe(GET_NONE);
}

describe('virtqueue: driver and device against a reference model', () => {
  it('returns exactly the completed tokens, in completion order, with their lengths', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4, 8, 16), fc.array(opArb, { maxLength: 200 }), (size, ops) => runModel(size, 0, ops)),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('does the same when every index starts a few steps before the u16 wrap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 8),
        fc.integer({ min: 65536 - 24, max: 65536 }),
        fc.array(opArb, { minLength: 20, maxLength: 120 }),
        (size, warmup, ops) => runModel(size, warmup, ops),
      ),
      { seed: SEED, numRuns: 8 },
    );
  });
});

// ---- EventQueue against a reference sort ---------------------------------------------

type QOp = { t: 'push'; time: number } | { t: 'pop' };

describe('EventQueue: ordering property', () => {
  it('pops every event in (time, insertion) order, interleaved with pushes', () => {
    const timeArb = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    const qop: fc.Arbitrary<QOp> = fc.oneof(
      { arbitrary: fc.record({ t: fc.constant('push' as const), time: timeArb }), weight: 3 },
      { arbitrary: fc.constant({ t: 'pop' as const }), weight: 2 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(qop, { maxLength: 300 }), (cap, ops) => {
        const q = new EventQueue(cap);
        const ref: Array<{ time: number; seq: number }> = [];
        let seq = 0;
        const popBoth = (): void => {
          // Reference: sort what is pending by (time, seq) and take the first.
          ref.sort((x, y) => x.time - y.time || x.seq - y.seq);
          const want = ref.shift();
          expect(q.peekTime()).toBe(want === undefined ? Infinity : want.time);
          expect(q.pop()).toBe(want !== undefined);
          if (want) expect([q.time, q.a, q.b, q.c]).toEqual([want.time, want.seq, -(want.seq + 1), want.seq % 251]);
        };
        for (const op of ops) {
          if (op.t === 'push') {
            q.push(op.time, seq % 256, seq, -(seq + 1), seq % 251);
            ref.push({ time: op.time, seq });
            seq++;
          } else popBoth();
          expect(q.size).toBe(ref.length);
        }
        while (ref.length > 0) popBoth();
        expect(q.pop()).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// ---- Prng determinism and bounds ------------------------------------------------------

describe('Prng: properties', () => {
  it('the same seed gives the same sequence, of u32 values', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (seed) => {
        const a = new Prng(seed);
        const b = new Prng(seed);
        const xs = Array.from({ length: 64 }, () => a.nextU32());
        expect(Array.from({ length: 64 }, () => b.nextU32())).toEqual(xs);
        expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff)).toBe(true);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('range(lo, hi) is an integer within [lo, hi] and replays identically', () => {
    const bounds = fc.oneof(
      // Narrow spans (one draw).
      fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 0xffff_ffff })).map(([lo, span]) => [lo, lo + span] as const),
      // Wide spans (two draws), staying within safe integers.
      fc.tuple(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: 2 ** 32, max: 2 ** 51 })).map(([lo, span]) => [lo, lo + span] as const),
      // Anything in the safe range.
      fc.tuple(fc.maxSafeInteger(), fc.maxSafeInteger()).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), fc.array(bounds, { minLength: 1, maxLength: 30 }), (seed, ranges) => {
        const a = new Prng(seed);
        const b = new Prng(seed);
        for (const [lo, hi] of ranges) {
          const x = a.range(lo, hi);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(lo);
          expect(x).toBeLessThanOrEqual(hi);
          expect(b.range(lo, hi)).toBe(x);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
