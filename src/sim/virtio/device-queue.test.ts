import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../memory';
import { allocRing, type RingLayout } from './ring-layout';
import { Chain, DeviceQueue, RingFault } from './device-queue';
import { DriverQueue, GET_NONE } from './driver-queue';

function setup(size = 8) {
  const mem = new GuestMemory(0x10000);
  const ring = allocRing(mem, size);
  const drv = new DriverQueue(mem, ring);
  const dev = new DeviceQueue(mem, ring);
  return { mem, ring, drv, dev, v: mem.view, chain: new Chain(size) };
}

function chainBufs(c: Chain) {
  return Array.from({ length: c.count }, (_, i) => ({ addr: c.addr[i], len: c.len[i], write: c.write[i] === 1 }));
}

/** A descriptor written by hand, as a driver that does not use DriverQueue would. */
function writeDesc(v: DataView, ring: RingLayout, i: number, addr: number, len: number, flags: number, next: number): void {
  const d = ring.desc + 16 * i;
  v.setUint32(d, addr, true);
  v.setUint32(d + 4, 0, true);
  v.setUint32(d + 8, len, true);
  v.setUint16(d + 12, flags, true);
  v.setUint16(d + 14, next, true);
}

/** Records every store to guest memory, in order, by hooking the DataView all accessors go through. */
function recordWrites(mem: GuestMemory): Array<[string, number, number]> {
  const log: Array<[string, number, number]> = [];
  const view = mem.view;
  for (const m of ['setUint8', 'setUint16', 'setUint32'] as const) {
    const orig = view[m].bind(view);
    Object.defineProperty(view, m, {
      value: (addr: number, value: number, le?: boolean) => {
        log.push([m, addr, value]);
        orig(addr, value, le);
      },
    });
  }
  return log;
}

describe('DeviceQueue: popping chains', () => {
  it('pops a driver-added pair with the exact buffers, directions and head', () => {
    const { drv, dev, chain } = setup();
    drv.addPair(0x2000, 24, 0x3000, 16, 5);
    const h = drv.addPair(0x4000, 8, 0x5000, 4, 6);
    expect(dev.pending()).toBe(2);
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect(chain.head).toBe(0);
    expect(chainBufs(chain)).toEqual([
      { addr: 0x2000, len: 24, write: false },
      { addr: 0x3000, len: 16, write: true },
    ]);
    expect(chain.writeBeforeRead).toBe(false);
    expect(chain.readableCount()).toBe(1);
    expect(chain.writableLen()).toBe(16);
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect(chain.head).toBe(h);
    expect(chainBufs(chain)).toEqual([
      { addr: 0x4000, len: 8, write: false },
      { addr: 0x5000, len: 4, write: true },
    ]);
    expect(dev.pending()).toBe(0);
    expect(dev.nextAvail).toBe(2);
  });

  it('walks hand-written descriptors in `next` order, not table order', () => {
    const { ring, dev, v, chain } = setup();
    writeDesc(v, ring, 5, 0x2000, 3, 1, 2); // NEXT -> 2
    writeDesc(v, ring, 2, 0x2100, 4, 1 | 2, 7); // NEXT|WRITE -> 7
    writeDesc(v, ring, 7, 0x2200, 5, 2, 0); // WRITE, last
    v.setUint16(ring.avail + 4, 5, true);
    v.setUint16(ring.avail + 2, 1, true);
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect(chain.head).toBe(5);
    expect(chainBufs(chain)).toEqual([
      { addr: 0x2000, len: 3, write: false },
      { addr: 0x2100, len: 4, write: true },
      { addr: 0x2200, len: 5, write: true },
    ]);
    expect(chain.readableCount()).toBe(1);
    expect(chain.writableLen()).toBe(9);
  });

  it('flags a readable buffer after a writable one (a driver rule, not a ring fault)', () => {
    const { drv, dev, chain } = setup();
    drv.addChain(
      [
        { addr: 0x2000, len: 4, write: true },
        { addr: 0x2100, len: 4, write: false },
      ],
      1,
    );
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect(chain.writeBeforeRead).toBe(true);
    expect(dev.fault).toBe(RingFault.None);
  });

  it('accepts a chain exactly as long as the queue and a zero-length buffer at the end of memory', () => {
    const { mem, drv, dev, chain } = setup(4);
    const bufs = [0, 1, 2, 3].map((i) => ({ addr: 0x2000 + i, len: 1, write: i > 0 }));
    bufs[3] = { addr: mem.size, len: 0, write: true };
    drv.addChain(bufs, 1);
    expect(dev.pop(chain)).toBe(RingFault.None);
    expect(chain.count).toBe(4);
    expect(chain.addr[3]).toBe(0x10000);
  });

  it('counts pending chains up to exactly the queue size and faults one beyond', () => {
    const { ring, dev, v } = setup(4);
    v.setUint16(ring.avail + 2, 4, true);
    expect(dev.pending()).toBe(4);
    v.setUint16(ring.avail + 2, 5, true);
    expect(dev.pending()).toBe(-1);
    expect(dev.fault).toBe(RingFault.AvailIndexJump);
    // A faulted queue is dead: it reports nothing pending even if the index is fixed.
    v.setUint16(ring.avail + 2, 1, true);
    expect(dev.pending()).toBe(0);
  });

  it.each([5, 0x8000, 0x8001, 0x8004, 0xfffe])('faults when avail idx jumps by %i in a size-4 queue', (jump) => {
    const { ring, dev, v } = setup(4);
    v.setUint16(ring.avail + 2, jump, true);
    expect(dev.pending()).toBe(-1);
    expect(dev.fault).toBe(RingFault.AvailIndexJump);
  });

  it('treats an avail idx that moved backwards as a jump of ~65535', () => {
    const { ring, dev, v, chain } = setup(4);
    v.setUint16(ring.avail + 2, 1, true);
    writeDesc(v, ring, 0, 0x2000, 1, 0, 0);
    dev.pop(chain);
    v.setUint16(ring.avail + 2, 0, true); // the driver "un-publishes"
    expect(dev.pending()).toBe(-1);
    expect(dev.fault).toBe(RingFault.AvailIndexJump);
  });
});

describe('DeviceQueue: returning used chains', () => {
  it('writes {le32 id, le32 len} at used->ring[slot] and then used->idx', () => {
    const { mem, ring, dev, v } = setup(4);
    const log = recordWrites(mem);
    dev.pushUsed(3, 0x1234_5678);
    dev.pushUsed(1, 9);
    expect(log).toEqual([
      ['setUint32', ring.used + 4, 3],
      ['setUint32', ring.used + 8, 0x1234_5678],
      ['setUint16', ring.used + 2, 1],
      ['setUint32', ring.used + 12, 1],
      ['setUint32', ring.used + 16, 9],
      ['setUint16', ring.used + 2, 2],
    ]);
    expect(v.getUint16(ring.used + 2, true)).toBe(2);
    expect(dev.nextUsed).toBe(2);
  });

  it('wraps the used slot at the queue size', () => {
    const { ring, dev, v } = setup(4);
    for (let i = 0; i < 5; i++) dev.pushUsed(i, 100 + i);
    // The fifth element went to slot 0, overwriting the first.
    expect(v.getUint32(ring.used + 4, true)).toBe(4);
    expect(v.getUint32(ring.used + 8, true)).toBe(104);
    expect(v.getUint16(ring.used + 2, true)).toBe(5);
  });

  it('returns chains to the driver in the order the device completes them, with their lengths', () => {
    const { drv, dev, chain } = setup();
    for (let t = 0; t < 3; t++) drv.addPair(0x2000, 8, 0x2100, 8, 10 + t);
    const heads: number[] = [];
    while (dev.pending() > 0) {
      dev.pop(chain);
      heads.push(chain.head);
    }
    dev.pushUsed(heads[2] as number, 30);
    dev.pushUsed(heads[0] as number, 10);
    dev.pushUsed(heads[1] as number, 20);
    const got: Array<[number, number]> = [];
    for (let tok = drv.getBuf(); tok !== GET_NONE; tok = drv.getBuf()) got.push([tok, drv.lastLen]);
    expect(got).toEqual([
      [12, 30],
      [10, 10],
      [11, 20],
    ]);
    expect(drv.numFree).toBe(8);
  });

  it('survives 70,000 round trips of 1..4-buffer chains through a size-4 queue across the u16 wrap', () => {
    const { drv, dev, chain } = setup(4);
    const trips = 70_000;
    for (let i = 0; i < trips; i++) {
      const n = (i % 4) + 1;
      const bufs = Array.from({ length: n }, (_, k) => ({ addr: 0x2000 + 16 * k, len: k + 1, write: k === n - 1 }));
      const head = drv.addChain(bufs, i);
      if (dev.pending() !== 1 || dev.pop(chain) !== RingFault.None) throw new Error(`trip ${i}: pop failed (fault ${dev.fault})`);
      if (chain.head !== head || chain.count !== n || chain.len[n - 1] !== n) throw new Error(`trip ${i}: wrong chain`);
      dev.pushUsed(chain.head, i & 0xffff);
      if (drv.getBuf() !== i || drv.lastLen !== (i & 0xffff)) throw new Error(`trip ${i}: wrong token`);
      if (drv.numFree !== 4) throw new Error(`trip ${i}: leaked descriptors (${drv.numFree} free)`);
    }
    expect(dev.nextAvail).toBe(trips & 0xffff);
    expect(dev.nextUsed).toBe(trips & 0xffff);
    expect(drv.lastUsedIdx).toBe(trips & 0xffff);
    expect(dev.fault).toBe(RingFault.None);
    expect(drv.broken).toBeNull();
  });
});

describe('DeviceQueue: interrupt suppression', () => {
  it('without EVENT_IDX interrupts unless the driver set VIRTQ_AVAIL_F_NO_INTERRUPT', () => {
    const { drv, dev } = setup();
    dev.pushUsed(0, 0);
    expect(dev.needsNotification()).toBe(true);
    drv.disableCallbacks();
    dev.pushUsed(0, 0);
    expect(dev.needsNotification()).toBe(false);
    drv.enableCallbacks();
    dev.pushUsed(0, 0);
    expect(dev.needsNotification()).toBe(true);
  });

  it('with EVENT_IDX always interrupts the first time (no previous signal to compare with)', () => {
    const { ring, dev, v } = setup();
    dev.eventIdx = true;
    v.setUint16(ring.usedEvent, 0x4000, true); // far away
    dev.pushUsed(0, 0);
    expect(dev.needsNotification()).toBe(true);
  });

  // Entries 3..5 are pushed after a signal at used idx 3: the driver asked to
  // be interrupted once entry used_event is used.
  it.each([
    [2, false],
    [3, true],
    [5, true],
    [6, false],
  ])('with EVENT_IDX, after pushing entries 3..5, used_event=%i interrupts: %s', (usedEvent, expected) => {
    const { ring, dev, v } = setup();
    dev.eventIdx = true;
    for (let i = 0; i < 3; i++) dev.pushUsed(i, 0);
    dev.needsNotification(); // signalled at 3
    for (let i = 3; i < 6; i++) dev.pushUsed(i, 0);
    v.setUint16(ring.usedEvent, usedEvent, true);
    expect(dev.needsNotification()).toBe(expected);
  });

  it('with EVENT_IDX does not interrupt twice for the same entries and ignores the NO_INTERRUPT flag', () => {
    const { ring, dev, v } = setup();
    dev.eventIdx = true;
    v.setUint16(ring.avail + 0, 1, true);
    dev.pushUsed(0, 0);
    expect(dev.needsNotification()).toBe(true);
    v.setUint16(ring.usedEvent, 0, true);
    expect(dev.needsNotification()).toBe(false); // nothing pushed since
    dev.pushUsed(1, 0);
    v.setUint16(ring.usedEvent, 1, true);
    expect(dev.needsNotification()).toBe(true); // flag set, but EVENT_IDX rules
  });

  it('with EVENT_IDX and a driver that disabled callbacks, stays quiet while the driver drains', () => {
    const mem = new GuestMemory(0x10000);
    const ring = allocRing(mem, 8);
    const drv = new DriverQueue(mem, ring, true);
    const dev = new DeviceQueue(mem, ring);
    dev.eventIdx = true;
    const chain = new Chain(8);
    for (let t = 0; t < 4; t++) drv.addPair(0x2000, 8, 0x2100, 8, t);
    const heads: number[] = [];
    while (dev.pending() > 0) {
      dev.pop(chain);
      heads.push(chain.head);
    }
    dev.pushUsed(heads[0] as number, 0);
    expect(dev.needsNotification()).toBe(true); // interrupt -> the driver's handler runs
    drv.disableCallbacks(); // NAPI-style: poll with callbacks off
    expect(drv.getBuf()).toBe(0);
    dev.pushUsed(heads[1] as number, 0);
    expect(dev.needsNotification()).toBe(false);
    expect(drv.getBuf()).toBe(1);
    dev.pushUsed(heads[2] as number, 0);
    expect(dev.needsNotification()).toBe(false);
    expect(drv.getBuf()).toBe(2);
    drv.enableCallbacks(); // used_event = 3: interrupt for the next entry
    dev.pushUsed(heads[3] as number, 0);
    expect(dev.needsNotification()).toBe(true);
  });
});

describe('DeviceQueue: kick suppression', () => {
  it('with EVENT_IDX arms avail_event at next_avail so the next add kicks and a later one does not', () => {
    const mem = new GuestMemory(0x10000);
    const ring = allocRing(mem, 8);
    const drv = new DriverQueue(mem, ring, true);
    const dev = new DeviceQueue(mem, ring);
    dev.eventIdx = true;
    const chain = new Chain(8);
    drv.addPair(0x2000, 8, 0x2100, 8, 0);
    drv.addPair(0x2000, 8, 0x2100, 8, 1);
    drv.kickPrepare(); // announces entries 0..1
    while (dev.pending() > 0) dev.pop(chain);
    dev.armAvailEvent();
    expect(mem.view.getUint16(ring.availEvent, true)).toBe(2);
    drv.addPair(0x2000, 8, 0x2100, 8, 2);
    expect(drv.kickPrepare()).toBe(true);
    // The device has not run since: no kick for the next one.
    drv.addPair(0x2000, 8, 0x2100, 8, 3);
    expect(drv.kickPrepare()).toBe(false);
  });

  it('without EVENT_IDX leaves avail_event alone', () => {
    const { ring, dev, v } = setup();
    v.setUint16(ring.availEvent, 0xabcd, true);
    dev.armAvailEvent();
    expect(v.getUint16(ring.availEvent, true)).toBe(0xabcd);
  });
});
