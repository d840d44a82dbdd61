import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../memory';
import { allocRing, type RingLayout } from './ring-layout';
import { DriverQueue, GET_BROKEN, GET_NONE } from './driver-queue';

// The device side is played by raw little-endian writes here, so these tests
// pin the driver against the byte layout of virtio 1.2 §2.7 alone.
const NEXT = 1;
const WRITE = 2;

function setup(size = 8, eventIdx = false) {
  const mem = new GuestMemory(0x10000);
  const ring = allocRing(mem, size);
  const dq = new DriverQueue(mem, ring, eventIdx);
  return { mem, ring, dq, v: mem.view };
}

function rawDesc(v: DataView, ring: RingLayout, i: number) {
  const d = ring.desc + 16 * i;
  return {
    addr: v.getBigUint64(d + 0, true),
    len: v.getUint32(d + 8, true),
    flags: v.getUint16(d + 12, true),
    next: v.getUint16(d + 14, true),
  };
}

/** What a device does to complete a chain: element at used->ring[idx % size], then used->idx. */
function devicePush(v: DataView, ring: RingLayout, usedIdx: number, id: number, len: number): number {
  const e = ring.used + 4 + 8 * (usedIdx & (ring.size - 1));
  v.setUint32(e, id, true);
  v.setUint32(e + 4, len, true);
  const next = (usedIdx + 1) & 0xffff;
  v.setUint16(ring.used + 2, next, true);
  return next;
}

describe('DriverQueue: adding buffers', () => {
  it('writes a pair as two 16-byte descriptors and publishes its head in the avail ring', () => {
    const { ring, dq, v } = setup();
    const head = dq.addPair(0x2000, 24, 0x3000, 16, 77);
    expect(head).toBe(0);
    expect(rawDesc(v, ring, 0)).toEqual({ addr: 0x2000n, len: 24, flags: NEXT, next: 1 });
    expect(rawDesc(v, ring, 1)).toEqual({ addr: 0x3000n, len: 16, flags: WRITE, next: 0 });
    expect(v.getUint16(ring.avail + 0, true)).toBe(0); // avail flags
    expect(v.getUint16(ring.avail + 2, true)).toBe(1); // avail idx
    expect(v.getUint16(ring.avail + 4, true)).toBe(0); // avail ring[0] = head
    expect(dq.numFree).toBe(6);
    expect(dq.availIdx).toBe(1);
    expect(dq.lastHead).toBe(0);
    expect(dq.tokenAt(0)).toBe(77);
    expect(dq.tokenAt(1)).toBe(-1); // the second descriptor is not a head
  });

  it('takes successive chains from the free list and fills successive avail slots', () => {
    const { ring, dq, v } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 1);
    const h2 = dq.addPair(0x2200, 8, 0x2300, 8, 2);
    expect(h2).toBe(2);
    expect(rawDesc(v, ring, 2).next).toBe(3);
    expect(v.getUint16(ring.avail + 2, true)).toBe(2);
    expect(v.getUint16(ring.avail + 4 + 2 * 1, true)).toBe(2); // avail ring[1]
  });

  it('writes a mixed chain with NEXT on all but the last and WRITE on device-writable buffers', () => {
    const { ring, dq, v } = setup();
    const head = dq.addChain(
      [
        { addr: 0x2000, len: 4, write: false },
        { addr: 0x2010, len: 5, write: false },
        { addr: 0x2020, len: 6, write: true },
      ],
      9,
    );
    expect(head).toBe(0);
    expect(rawDesc(v, ring, 0)).toEqual({ addr: 0x2000n, len: 4, flags: NEXT, next: 1 });
    expect(rawDesc(v, ring, 1)).toEqual({ addr: 0x2010n, len: 5, flags: NEXT, next: 2 });
    expect(rawDesc(v, ring, 2)).toEqual({ addr: 0x2020n, len: 6, flags: WRITE, next: 0 });
    expect(dq.numFree).toBe(5);
  });

  it('writes a 64-bit address across both halves of the le64 field', () => {
    const { ring, dq, v } = setup();
    dq.addChain([{ addr: 0x1_2345_6789, len: 1, write: true }], 0);
    expect(rawDesc(v, ring, 0).addr).toBe(0x1_2345_6789n);
  });

  it('refuses a chain that does not fit, an empty chain, and changes nothing when it does', () => {
    const { ring, dq, v } = setup(4);
    dq.addChain(
      [
        { addr: 0x2000, len: 1, write: false },
        { addr: 0x2000, len: 1, write: false },
        { addr: 0x2000, len: 1, write: true },
      ],
      1,
    );
    expect(dq.numFree).toBe(1);
    expect(dq.addPair(0x2000, 1, 0x2000, 1, 2)).toBe(-1);
    expect(dq.addChain([], 3)).toBe(-1);
    expect(
      dq.addChain(
        [
          { addr: 0x2000, len: 1, write: false },
          { addr: 0x2000, len: 1, write: true },
        ],
        4,
      ),
    ).toBe(-1);
    expect(dq.numFree).toBe(1);
    expect(dq.availIdx).toBe(1);
    expect(v.getUint16(ring.avail + 2, true)).toBe(1);
    // The last free descriptor still takes a one-buffer chain.
    expect(dq.addChain([{ addr: 0x2000, len: 1, write: true }], 5)).toBe(3);
    expect(dq.numFree).toBe(0);
  });
});

describe('DriverQueue: taking used buffers', () => {
  it('returns GET_NONE while used->idx has not moved', () => {
    const { dq } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 5);
    expect(dq.hasUsed()).toBe(false);
    expect(dq.getBuf()).toBe(GET_NONE);
  });

  it('returns the token of a completed chain with its used length and frees its descriptors', () => {
    const { ring, dq, v } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 100);
    const h = dq.addPair(0x2200, 8, 0x2300, 8, 200);
    devicePush(v, ring, 0, h, 13); // the device completes the second chain first
    expect(dq.hasUsed()).toBe(true);
    expect(dq.getBuf()).toBe(200);
    expect(dq.lastLen).toBe(13);
    expect(dq.lastHead).toBe(2);
    expect(dq.numFree).toBe(6);
    expect(dq.lastUsedIdx).toBe(1);
    expect(dq.hasUsed()).toBe(false);
    expect(dq.getBuf()).toBe(GET_NONE);
    expect(dq.tokenAt(2)).toBe(-1);
  });

  it('reuses the most recently freed chain first (Linux puts it at the head of the free list)', () => {
    const { ring, dq, v } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 1); // descs 0,1
    dq.addPair(0x2000, 8, 0x2100, 8, 2); // descs 2,3
    devicePush(v, ring, 0, 0, 0);
    expect(dq.getBuf()).toBe(1);
    // Free list is now 0 -> 1 -> 4 -> 5 ...
    expect(dq.addPair(0x2000, 8, 0x2100, 8, 3)).toBe(0);
    expect(rawDesc(v, ring, 0).next).toBe(1);
    expect(dq.addPair(0x2000, 8, 0x2100, 8, 4)).toBe(4);
  });

  it.each([
    ['an index beyond the queue', 8],
    ['a huge u32 id', 0xffff_ffff],
    ['the second descriptor of an outstanding pair', 1],
    ['a descriptor that was never used', 6],
  ])('marks the queue broken when the device returns %s', (_what, id) => {
    const { ring, dq, v } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 1);
    devicePush(v, ring, 0, id, 4);
    expect(dq.getBuf()).toBe(GET_BROKEN);
    expect(dq.broken).toBe(`id ${id} is not a head`);
    // Broken is sticky: no more buffers in or out, and nothing is freed.
    expect(dq.getBuf()).toBe(GET_BROKEN);
    expect(dq.addPair(0x2000, 8, 0x2100, 8, 2)).toBe(-1);
    expect(dq.addChain([{ addr: 0x2000, len: 1, write: true }], 3)).toBe(-1);
    expect(dq.numFree).toBe(6);
    expect(dq.lastUsedIdx).toBe(0);
  });

  it('marks the queue broken when the device completes the same chain twice', () => {
    const { ring, dq, v } = setup();
    const h = dq.addPair(0x2000, 8, 0x2100, 8, 1);
    devicePush(v, ring, devicePush(v, ring, 0, h, 0), h, 0);
    expect(dq.getBuf()).toBe(1);
    expect(dq.getBuf()).toBe(GET_BROKEN);
    expect(dq.broken).toBe('id 0 is not a head');
    expect(dq.numFree).toBe(8); // the double completion freed nothing twice
  });
});

describe('DriverQueue: index wrap-around', () => {
  it('keeps working through 70,000 round trips on a size-4 queue (avail and used idx wrap past 65535)', () => {
    const { ring, dq, v } = setup(4);
    const trips = 70_000;
    let usedIdx = 0;
    for (let i = 0; i < trips; i++) {
      const head = dq.addPair(0x2000, 8, 0x2100, 8, i);
      // The head is always published in slot (avail idx before the add) % 4.
      const slot = (i & 0xffff) & 3;
      if (v.getUint16(ring.avail + 4 + 2 * slot, true) !== head) throw new Error(`trip ${i}: head not in slot ${slot}`);
      usedIdx = devicePush(v, ring, usedIdx, head, i & 0xff);
      const tok = dq.getBuf();
      if (tok !== i || dq.lastLen !== (i & 0xff)) throw new Error(`trip ${i}: got token ${tok} len ${dq.lastLen}`);
    }
    expect(dq.availIdx).toBe(trips & 0xffff); // 4464
    expect(v.getUint16(ring.avail + 2, true)).toBe(4464);
    expect(dq.lastUsedIdx).toBe(4464);
    expect(dq.numFree).toBe(4);
    expect(dq.broken).toBeNull();
  });

  it('sees used entries published across the wrap while several chains are in flight', () => {
    const { ring, dq, v } = setup(4);
    let usedIdx = 0;
    // Advance both indices to 65534 one chain at a time.
    for (let i = 0; i < 65534; i++) {
      const h = dq.addChain([{ addr: 0x2000, len: 1, write: true }], i);
      usedIdx = devicePush(v, ring, usedIdx, h, 0);
      dq.getBuf();
    }
    const heads = [0, 1, 2, 3].map((k) => dq.addChain([{ addr: 0x2000, len: 1, write: true }], 1000 + k));
    expect(dq.availIdx).toBe(2); // 65534 + 4, wrapped
    for (const h of [...heads].reverse()) usedIdx = devicePush(v, ring, usedIdx, h, 0);
    expect(usedIdx).toBe(2);
    expect([dq.getBuf(), dq.getBuf(), dq.getBuf(), dq.getBuf(), dq.getBuf()]).toEqual([1003, 1002, 1001, 1000, GET_NONE]);
    expect(dq.numFree).toBe(4);
  });
});

describe('DriverQueue: kick suppression', () => {
  it('kicks unless the device set VIRTQ_USED_F_NO_NOTIFY', () => {
    const { ring, dq, v } = setup();
    dq.addPair(0x2000, 8, 0x2100, 8, 1);
    expect(dq.kickPrepare()).toBe(true);
    v.setUint16(ring.used + 0, 1, true); // VIRTQ_USED_F_NO_NOTIFY
    dq.addPair(0x2000, 8, 0x2100, 8, 2);
    expect(dq.kickPrepare()).toBe(false);
    v.setUint16(ring.used + 0, 0, true);
    expect(dq.kickPrepare()).toBe(true);
  });

  // With EVENT_IDX, entries old..new-1 were added since the last kick; the
  // device asked to be kicked when entry avail_event is added.
  it.each([
    [5 - 1, false], // before the window: the device already knew about that entry
    [5, true], // the first entry added since the last kick
    [7, true], // the last entry added
    [8, false], // the next entry, not added yet
  ])('with EVENT_IDX and entries 5..7 added, avail_event=%i kicks: %s', (availEvent, expected) => {
    const { ring, dq, v } = setup(8, true);
    for (let i = 0; i < 5; i++) dq.addChain([{ addr: 0x2000, len: 1, write: true }], i);
    dq.kickPrepare(); // 0..4 were announced
    for (let i = 5; i < 8; i++) dq.addChain([{ addr: 0x2000, len: 1, write: true }], i);
    v.setUint16(ring.availEvent, availEvent, true);
    expect(dq.kickPrepare()).toBe(expected);
  });

  it('with EVENT_IDX ignores the NO_NOTIFY flag and never kicks for an empty batch', () => {
    const { ring, dq, v } = setup(8, true);
    v.setUint16(ring.used + 0, 1, true);
    v.setUint16(ring.availEvent, 0, true);
    dq.addPair(0x2000, 8, 0x2100, 8, 1);
    expect(dq.kickPrepare()).toBe(true);
    expect(dq.kickPrepare()).toBe(false); // nothing new since
  });
});

describe('DriverQueue: interrupt suppression', () => {
  it('without EVENT_IDX toggles VIRTQ_AVAIL_F_NO_INTERRUPT in avail->flags', () => {
    const { ring, dq, v } = setup();
    dq.disableCallbacks();
    expect(v.getUint16(ring.avail + 0, true)).toBe(1);
    expect(dq.callbacksEnabled()).toBe(false);
    dq.enableCallbacks();
    expect(v.getUint16(ring.avail + 0, true)).toBe(0);
    expect(dq.callbacksEnabled()).toBe(true);
  });

  it('with EVENT_IDX publishes used_event = last used index as it consumes, never touching avail->flags', () => {
    const { ring, dq, v } = setup(8, true);
    let u = 0;
    for (let i = 0; i < 3; i++) u = devicePush(v, ring, u, dq.addChain([{ addr: 0x2000, len: 1, write: true }], i), 0);
    dq.getBuf();
    dq.getBuf();
    expect(v.getUint16(ring.usedEvent, true)).toBe(2);
    dq.disableCallbacks();
    expect(v.getUint16(ring.avail + 0, true)).toBe(0);
    dq.getBuf();
    // Disabled: consuming does not move used_event, so the device keeps quiet.
    expect(v.getUint16(ring.usedEvent, true)).toBe(2);
    dq.enableCallbacks();
    expect(v.getUint16(ring.usedEvent, true)).toBe(3);
    expect(v.getUint16(ring.avail + 0, true)).toBe(0);
  });
});
