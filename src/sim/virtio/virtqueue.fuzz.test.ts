import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../memory';
import { Prng } from '../clock/prng';
import { allocRing, needEvent, type RingLayout } from './ring-layout';
import { Chain, DeviceQueue, RingFault } from './device-queue';
import { DriverQueue, GET_BROKEN, GET_NONE } from './driver-queue';

// A misbehaving peer writes raw bytes into guest memory; the other side must
// neither throw nor spin, and must classify the damage exactly. Everything is
// driven by the project's seeded Prng, so every run replays the same bytes.

const MEM_SIZE = 0x4000; // small, so random addresses often fall outside it
const NEXT = 1;
const WRITE = 2;
const INDIRECT = 4;
const SIZES = [1, 2, 4, 8, 16];

// Random ring operations per run: 4 x 30,000 on the device side and 2 x 25,000
// on the driver side, 170,000 in all. Each test checks it ran its full share.
const DEVICE_OPS = 30_000;
const DRIVER_OPS = 25_000;

function freshRing(size: number) {
  const mem = new GuestMemory(MEM_SIZE);
  const ring = allocRing(mem, size);
  return { mem, ring, v: mem.view };
}

function writeDesc(v: DataView, ring: RingLayout, i: number, addrLo: number, addrHi: number, len: number, flags: number, next: number): void {
  const d = ring.desc + 16 * i;
  v.setUint32(d, addrLo >>> 0, true);
  v.setUint32(d + 4, addrHi >>> 0, true);
  v.setUint32(d + 8, len >>> 0, true);
  v.setUint16(d + 12, flags & 0xffff, true);
  v.setUint16(d + 14, next & 0xffff, true);
}

/** Publishes `heads` in the avail ring from index `from` and sets avail->idx past them. */
function publish(v: DataView, ring: RingLayout, from: number, ...heads: number[]): void {
  heads.forEach((h, k) => v.setUint16(ring.avail + 4 + 2 * ((from + k) & (ring.size - 1)), h, true));
  v.setUint16(ring.avail + 2, (from + heads.length) & 0xffff, true);
}

// ---- one targeted test per fault code ---------------------------------------------------

describe('device side: each ring corruption is classified', () => {
  it('AvailIndexJump: avail->idx more than the queue size ahead', () => {
    const { mem, ring, v } = freshRing(8);
    const dev = new DeviceQueue(mem, ring);
    v.setUint16(ring.avail + 2, 9, true);
    expect(dev.pending()).toBe(-1);
    expect(dev.fault).toBe(RingFault.AvailIndexJump);
    expect(dev.pending()).toBe(0); // stopped
  });

  it.each([8, 9, 0xffff])('HeadOutOfRange: avail ring entry %i in a size-8 queue', (head) => {
    const { mem, ring, v } = freshRing(8);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(8);
    publish(v, ring, 0, head);
    expect(dev.pending()).toBe(1);
    expect(dev.pop(chain)).toBe(RingFault.HeadOutOfRange);
    expect(dev.fault).toBe(RingFault.HeadOutOfRange);
    expect(chain.count).toBe(0);
    expect(chain.head).toBe(head);
    expect(dev.pending()).toBe(0);
  });

  it('NextOutOfRange: a `next` index equal to the queue size, after one good descriptor', () => {
    const { mem, ring, v } = freshRing(8);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(8);
    writeDesc(v, ring, 0, 0x2000, 0, 4, NEXT, 8);
    publish(v, ring, 0, 0);
    expect(dev.pop(chain)).toBe(RingFault.NextOutOfRange);
    expect(chain.count).toBe(1);
  });

  it('DescriptorLoop: 0 -> 1 -> 0 ... is cut off after exactly queue-size descriptors', () => {
    const { mem, ring, v } = freshRing(8);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(8);
    writeDesc(v, ring, 0, 0x2000, 0, 4, NEXT, 1);
    writeDesc(v, ring, 1, 0x2010, 0, 4, NEXT | WRITE, 0);
    publish(v, ring, 0, 0);
    expect(dev.pop(chain)).toBe(RingFault.DescriptorLoop);
    expect(chain.count).toBe(8); // the TTL, not an endless walk
  });

  it('DescriptorLoop: a self-loop in a size-1 queue', () => {
    const { mem, ring, v } = freshRing(1);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(1);
    writeDesc(v, ring, 0, 0x2000, 0, 4, NEXT, 0);
    publish(v, ring, 0, 0);
    expect(dev.pop(chain)).toBe(RingFault.DescriptorLoop);
    expect(chain.count).toBe(1);
  });

  it.each([
    ['starts beyond memory', MEM_SIZE, 0, 1],
    ['ends one byte beyond memory', MEM_SIZE - 4, 0, 5],
    ['has a 4 GiB length', 0x2000, 0, 0xffff_ffff],
    ['lies above 4 GiB', 0x2000, 1, 4],
    ['is a huge 64-bit address', 0xffff_ffff, 0xffff_ffff, 1],
  ])('BufferOutOfRange: a buffer that %s', (_what, lo, hi, len) => {
    const { mem, ring, v } = freshRing(4);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(4);
    writeDesc(v, ring, 2, 0x2000, 0, 8, NEXT, 3); // a good first buffer
    writeDesc(v, ring, 3, lo, hi, len, WRITE, 0);
    publish(v, ring, 0, 2);
    expect(dev.pop(chain)).toBe(RingFault.BufferOutOfRange);
    expect(dev.fault).toBe(RingFault.BufferOutOfRange);
  });

  it('accepts a buffer that ends exactly at the end of memory (the boundary of BufferOutOfRange)', () => {
    const { mem, ring, v } = freshRing(4);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(4);
    writeDesc(v, ring, 0, MEM_SIZE - 4, 0, 4, WRITE, 0);
    publish(v, ring, 0, 0);
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect([chain.addr[0], chain.len[0], chain.write[0]]).toEqual([MEM_SIZE - 4, 4, 1]);
  });

  it('IndirectNotNegotiated: VIRTQ_DESC_F_INDIRECT on a well-formed descriptor', () => {
    const { mem, ring, v } = freshRing(4);
    const dev = new DeviceQueue(mem, ring);
    const chain = new Chain(4);
    writeDesc(v, ring, 0, 0x2000, 0, 16, INDIRECT, 0); // a one-entry indirect table
    publish(v, ring, 0, 0);
    expect(dev.pop(chain)).toBe(RingFault.IndirectNotNegotiated);
    expect(dev.fault).toBe(RingFault.IndirectNotNegotiated);
  });
});

// ---- random device-side fuzz against an independent reference ----------------------------

/**
 * What popping `head` must yield, written from the spec rather than the
 * device's TTL: a walk that revisits a descriptor is a loop (a chain that never
 * revisits one cannot be longer than the queue). Within a descriptor the checks
 * go INDIRECT, buffer range, then `next`, the device's order.
 */
function refWalk(v: DataView, ring: RingLayout, memSize: number, head: number): { fault: RingFault; bufs: number[][] } {
  const bufs: number[][] = [];
  if (head >= ring.size) return { fault: RingFault.HeadOutOfRange, bufs };
  const seen = new Set<number>();
  for (let idx = head; ; ) {
    if (seen.has(idx)) return { fault: RingFault.DescriptorLoop, bufs };
    seen.add(idx);
    const d = ring.desc + 16 * idx;
    const lo = v.getUint32(d, true);
    const hi = v.getUint32(d + 4, true);
    const len = v.getUint32(d + 8, true);
    const flags = v.getUint16(d + 12, true);
    if (flags & INDIRECT) return { fault: RingFault.IndirectNotNegotiated, bufs };
    if (hi !== 0 || lo + len > memSize) return { fault: RingFault.BufferOutOfRange, bufs };
    bufs.push([lo, len, flags & WRITE ? 1 : 0]);
    if ((flags & NEXT) === 0) return { fault: RingFault.None, bufs };
    idx = v.getUint16(d + 14, true);
    if (idx >= ring.size) return { fault: RingFault.NextOutOfRange, bufs };
  }
}

/** Random field values, biased towards the interesting edges. */
class Gen {
  readonly p: Prng;
  constructor(p: Prng) {
    this.p = p;
  }
  pct(): number {
    return this.p.range(0, 99);
  }
  u16(): number {
    return this.p.range(0, 0xffff);
  }
  u32(): number {
    return this.p.nextU32();
  }
  addr(): [number, number] {
    const r = this.pct();
    if (r < 55) return [this.p.range(0x1000, MEM_SIZE - 1), 0];
    if (r < 70) return [MEM_SIZE - this.p.range(0, 64), 0]; // straddling the end
    if (r < 82) return [this.p.range(MEM_SIZE, 0xffff_ffff), 0]; // beyond RAM
    if (r < 90) return [this.u32(), this.p.range(1, 0xffff_ffff)]; // above 4 GiB
    return [this.p.range(0, 0xfff), 0]; // the null page: inside RAM, so legal
  }
  len(): number {
    const r = this.pct();
    if (r < 55) return this.p.range(0, 64);
    if (r < 65) return 0;
    if (r < 80) return this.p.range(0, MEM_SIZE);
    return this.p.range(0x8000_0000, 0xffff_ffff);
  }
  flags(): number {
    if (this.pct() < 4) return this.u16();
    return (this.pct() < 55 ? NEXT : 0) | (this.pct() < 50 ? WRITE : 0) | (this.pct() < 3 ? INDIRECT : 0);
  }
  index(size: number): number {
    return this.pct() < 88 ? this.p.range(0, size - 1) : this.u16();
  }
}

function fail(seed: number, op: number, msg: string): never {
  throw new Error(`seed ${seed}, op ${op}: ${msg}`);
}

/**
 * Fuzzes the device side until `ops` operations have run. Each episode is a
 * fresh ring; a misbehaving driver scribbles on it while the device services
 * it, until the device declares the ring broken (or the episode ends).
 */
function fuzzDevice(seed: number, ops: number, reuse = false): { ops: number; outcomes: Record<string, number> } {
  const g = new Gen(new Prng(seed));
  const p = g.p;
  const outcomes: Record<string, number> = {};
  const tally = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
  let op = 0;
  while (op < ops) {
    const size = SIZES[p.range(0, SIZES.length - 1)] as number;
    const { mem, ring, v } = freshRing(size);
    const dev = new DeviceQueue(mem, ring);
    dev.eventIdx = p.range(0, 1) === 1;
    const chain = new Chain(size);
    const faultNow = (): RingFault => dev.fault; // read afresh: TypeScript would keep the loop's narrowing
    let availIdx = 0; // what the misbehaving driver last published
    let signalled = -1; // used idx at the device's last needsNotification, -1 before the first
    // Head reuse: the device keeps some chains a while (as it does an eventq buffer until the line
    // fires); the driver may make one of those heads available again while the device holds it.
    const held: number[] = [];
    // Start some episodes near the u16 wrap.
    if (p.range(0, 3) === 0) {
      const start = 0x10000 - p.range(1, 2 * size);
      dev.nextAvail = start & 0xffff;
      dev.nextUsed = start & 0xffff;
      availIdx = start & 0xffff;
      v.setUint16(ring.avail + 2, availIdx, true);
    }
    // Mostly well-formed descriptors to start with, so chains get popped before they break.
    for (let i = 0; i < size; i++) writeDesc(v, ring, i, 0x2000 + 64 * i, 0, 32, i % 2 === 0 ? 0 : WRITE, 0);

    for (let step = 0; step < 200 && op < ops && dev.fault === RingFault.None; step++, op++) {
      const r = g.pct();
      if (r < 14) {
        // Corrupt one descriptor, field by field.
        const i = p.range(0, size - 1);
        const [lo, hi] = g.addr();
        writeDesc(v, ring, i, lo, hi, g.len(), g.flags(), g.index(size));
      } else if (r < 24) {
        // Repair one descriptor into a good single buffer, so valid chains keep flowing.
        writeDesc(v, ring, p.range(0, size - 1), 0x2000, 0, p.range(0, 64), p.range(0, 1) * WRITE, 0);
      } else if (r < 36) {
        // Publish a head (possibly out of range; with reuse, often one the device still holds).
        const reused = reuse && held.length > 0 && p.range(0, 1) === 0;
        const h = reused ? (held[p.range(0, held.length - 1)] as number) : g.index(size);
        v.setUint16(ring.avail + 4 + 2 * (availIdx & (size - 1)), h, true);
        const jump = g.pct();
        if (jump < 85) availIdx = (availIdx + 1) & 0xffff;
        else if (jump < 93) availIdx = (availIdx + p.range(0, size + 2)) & 0xffff;
        else if (jump < 97) availIdx = (availIdx - 1) & 0xffff; // moves backwards
        else availIdx = g.u16();
        v.setUint16(ring.avail + 2, availIdx, true);
      } else if (reuse && r < 40 && held.length > 0) {
        // The device returns a chain it held.
        const h = held.splice(p.range(0, held.length - 1), 1)[0] as number;
        const slot = dev.nextUsed & (size - 1);
        dev.pushUsed(h, 0);
        if (v.getUint32(ring.used + 4 + 8 * slot, true) !== h) fail(seed, op, 'held chain returned to the wrong used slot');
        tally('returned');
      } else if (r < 40) {
        // Scribble on an avail ring slot, the flags, or used_event.
        const what = p.range(0, 2);
        if (what === 0) v.setUint16(ring.avail + 4 + 2 * p.range(0, size - 1), g.u16(), true);
        else if (what === 1) v.setUint16(ring.avail, g.u16(), true);
        else v.setUint16(ring.usedEvent, g.u16(), true);
      } else {
        // The device's turn: everything it does is checked against the reference.
        const expectPending = (v.getUint16(ring.avail + 2, true) - dev.nextAvail) & 0xffff;
        const n = dev.pending();
        if (expectPending > size) {
          if (n !== -1 || faultNow() !== RingFault.AvailIndexJump) fail(seed, op, `pending ${n}, expected an index jump`);
          tally('AvailIndexJump');
          break;
        }
        if (n !== expectPending) fail(seed, op, `pending ${n}, expected ${expectPending}`);
        if (n === 0) {
          dev.armAvailEvent();
          if (dev.eventIdx && v.getUint16(ring.availEvent, true) !== dev.nextAvail) fail(seed, op, 'avail_event not armed');
          continue;
        }
        const head = v.getUint16(ring.avail + 4 + 2 * (dev.nextAvail & (size - 1)), true);
        // Taking a head the device still holds would hand out one chain twice: HeadInFlight, before any walk.
        const want = head < size && held.includes(head) ? { fault: RingFault.HeadInFlight, bufs: [] } : refWalk(v, ring, MEM_SIZE, head);
        const before = dev.nextAvail;
        const got = dev.pop(chain);
        if (got !== want.fault) fail(seed, op, `pop of head ${head} gave fault ${got}, reference says ${want.fault}`);
        if (dev.nextAvail !== ((before + 1) & 0xffff)) fail(seed, op, 'next_avail did not advance by one');
        if (chain.count > size) fail(seed, op, `walked ${chain.count} descriptors in a queue of ${size}`);
        if (got !== RingFault.None) {
          if (faultNow() !== got || dev.pending() !== 0) fail(seed, op, 'a faulted queue must stay stopped');
          tally(Object.keys(RingFault).find((k) => RingFault[k as keyof typeof RingFault] === got) as string);
          break;
        }
        if (chain.head !== head || chain.count !== want.bufs.length) fail(seed, op, 'chain shape differs from the reference');
        for (let i = 0; i < chain.count; i++) {
          const [a, l, wr] = want.bufs[i] as number[];
          if (chain.addr[i] !== a || chain.len[i] !== l || chain.write[i] !== wr) fail(seed, op, `buffer ${i} differs`);
          if (!mem.contains(chain.addr[i] as number, chain.len[i] as number)) fail(seed, op, 'accepted a buffer outside RAM');
        }
        tally('ok');
        if (reuse && p.range(0, 2) > 0) {
          held.push(chain.head); // kept: returned by a later step (or never)
          continue;
        }
        // Return it with an arbitrary length and check the used element landed where the spec says.
        const usedLen = g.u32();
        const slot = dev.nextUsed & (size - 1);
        dev.pushUsed(chain.head, usedLen);
        const e = ring.used + 4 + 8 * slot;
        if (v.getUint32(e, true) !== head || v.getUint32(e + 4, true) !== usedLen) fail(seed, op, 'used element wrong');
        if (v.getUint16(ring.used + 2, true) !== dev.nextUsed) fail(seed, op, 'used idx not published');
        if (p.range(0, 1) === 0) {
          const old = signalled;
          const irq = dev.needsNotification();
          const want = !dev.eventIdx
            ? (v.getUint16(ring.avail, true) & 1) === 0
            : old < 0 || needEvent(v.getUint16(ring.usedEvent, true), dev.nextUsed, old);
          if (irq !== want) fail(seed, op, `needsNotification ${irq}, expected ${want}`);
          signalled = dev.nextUsed;
        }
      }
    }
  }
  return { ops: op, outcomes };
}

describe('device side: random fuzz (a misbehaving driver scribbling on the rings)', () => {
  // Four seeds of 30,000 operations; each also reports which outcomes it reached.
  it.each([1, 2, 3, 4])('seed %i: matches the reference walk for 30,000 operations', (seed) => {
    const { ops, outcomes } = fuzzDevice(seed, DEVICE_OPS);
    expect(ops).toBe(DEVICE_OPS);
    // Every fault class and plenty of good chains must actually have been reached.
    for (const k of ['ok', 'AvailIndexJump', 'HeadOutOfRange', 'NextOutOfRange', 'DescriptorLoop', 'BufferOutOfRange', 'IndirectNotNegotiated']) {
      expect(outcomes[k] ?? 0, `${k} reached`).toBeGreaterThan(k === 'ok' ? 1000 : 3);
    }
  });
});

describe('device side: random fuzz with in-flight head reuse', () => {
  it.each([5, 6])('seed %i: a held head made available again is HeadInFlight, exactly as the reference says, for 30,000 operations', (seed) => {
    const { ops, outcomes } = fuzzDevice(seed, DEVICE_OPS, true);
    expect(ops).toBe(DEVICE_OPS);
    for (const k of ['ok', 'returned', 'HeadInFlight', 'HeadOutOfRange', 'DescriptorLoop', 'BufferOutOfRange']) {
      expect(outcomes[k] ?? 0, `${k} reached`).toBeGreaterThan(k === 'ok' ? 500 : k === 'returned' ? 100 : 3);
    }
  });
});

// ---- random driver-side fuzz: a malicious device -------------------------------------------

function fuzzDriver(seed: number, ops: number): { ops: number; outcomes: Record<'token' | 'none' | 'broken', number> } {
  const g = new Gen(new Prng(seed));
  const p = g.p;
  const outcomes = { token: 0, none: 0, broken: 0 };
  let op = 0;
  while (op < ops) {
    const size = SIZES[p.range(0, SIZES.length - 1)] as number;
    const { mem, ring, v } = freshRing(size);
    const drv = new DriverQueue(mem, ring, p.range(0, 1) === 1);
    const outstanding = new Map<number, { token: number; n: number }>(); // head -> chain
    let usedIdx = 0; // what the malicious device last published
    let nextToken = 0;

    for (let step = 0; step < 300 && op < ops; step++, op++) {
      const r = g.pct();
      if (r < 30) {
        // The driver adds a legitimate chain.
        const n = p.range(1, 3);
        const bufs = Array.from({ length: n }, (_, i) => ({ addr: 0x2000 + 32 * i, len: 32, write: i === n - 1 }));
        const fits = drv.broken === null && drv.numFree >= n;
        const head = drv.addChain(bufs, nextToken);
        if (!fits) {
          if (head !== -1) fail(seed, op, 'add succeeded without room or on a broken queue');
          continue;
        }
        if (head < 0 || head >= size || outstanding.has(head)) fail(seed, op, `add returned head ${head}`);
        outstanding.set(head, { token: nextToken++, n });
      } else if (r < 60) {
        // The malicious device writes a used element: an outstanding head, some other
        // index, or garbage; then usually bumps used->idx, sometimes wildly.
        const heads = [...outstanding.keys()];
        const k = g.pct();
        const id =
          k < 55 && heads.length > 0 ? (heads[p.range(0, heads.length - 1)] as number) : k < 80 ? p.range(0, size - 1) : k < 90 ? p.range(size, 0xffff) : g.u32();
        const e = ring.used + 4 + 8 * (usedIdx & (size - 1));
        v.setUint32(e, id, true);
        v.setUint32(e + 4, g.u32(), true);
        const j = g.pct();
        usedIdx = j < 85 ? (usedIdx + 1) & 0xffff : j < 93 ? usedIdx : g.u16();
        v.setUint16(ring.used + 2, usedIdx, true);
      } else {
        // The driver takes a used buffer; predict the outcome from the raw bytes first.
        const wasBroken = drv.broken !== null;
        const last = drv.lastUsedIdx;
        const e = ring.used + 4 + 8 * (last & (size - 1));
        const id = v.getUint32(e, true);
        const len = v.getUint32(e + 4, true);
        const got = drv.getBuf();
        if (wasBroken) {
          if (got !== GET_BROKEN) fail(seed, op, 'a broken queue returned something');
          outcomes.broken++;
          break; // next episode
        }
        if (v.getUint16(ring.used + 2, true) === last) {
          if (got !== GET_NONE) fail(seed, op, `expected GET_NONE, got ${got}`);
          outcomes.none++;
          continue;
        }
        const chain = outstanding.get(id);
        if (chain === undefined) {
          if (got !== GET_BROKEN || drv.broken === null) fail(seed, op, `id ${id} is not outstanding but getBuf gave ${got}`);
          outcomes.broken++;
          continue; // one more getBuf on the broken queue is checked above
        }
        if (got !== chain.token || drv.lastLen !== len || drv.lastHead !== id) fail(seed, op, `got ${got}, expected token ${chain.token}`);
        if (drv.lastUsedIdx !== ((last + 1) & 0xffff)) fail(seed, op, 'last used idx did not advance');
        outstanding.delete(id);
        outcomes.token++;
      }
      // Descriptors are accounted for exactly: outstanding chains plus free ones.
      let inUse = 0;
      for (const c of outstanding.values()) inUse += c.n;
      if (drv.numFree !== size - inUse) fail(seed, op, `numFree ${drv.numFree}, expected ${size - inUse}`);
    }
  }
  return { ops: op, outcomes };
}

describe('driver side: random fuzz (a malicious device writing used entries)', () => {
  it.each([11, 12])('seed %i: getBuf returns an outstanding token, GET_NONE or GET_BROKEN, as predicted, for 25,000 operations', (seed) => {
    const { ops, outcomes: o } = fuzzDriver(seed, DRIVER_OPS);
    expect(ops).toBe(DRIVER_OPS);
    expect(o.token).toBeGreaterThan(1000);
    expect(o.none).toBeGreaterThan(100);
    expect(o.broken).toBeGreaterThan(100);
  });
});
