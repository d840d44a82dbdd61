import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../memory';
import { allocRing, isValidQueueSize, needEvent } from './ring-layout';

// virtio 1.2 §2.7 "Virtqueue Part Alignment" table:
//   Descriptor Table  align 16  size 16*Q
//   Available Ring    align 2   size 6+2*Q
//   Used Ring         align 4   size 6+8*Q
const VALID_SIZES = Array.from({ length: 16 }, (_, i) => 1 << i); // 1 .. 32768

describe('allocRing', () => {
  it('places a size-4 queue at the exact addresses a fresh guest would get', () => {
    const mem = new GuestMemory(0x10000);
    const r = allocRing(mem, 4);
    expect(r).toEqual({
      size: 4,
      desc: 0x1000, // first allocation, at the base
      avail: 0x1040, // 0x1000 + 16*4
      used: 0x1050, // avail ends at 0x1040 + 6 + 2*4 = 0x104e, rounded up to 4
      usedEvent: 0x104c, // avail + 4 + 2*4: the trailing le16 of the avail ring
      availEvent: 0x1074, // used + 4 + 8*4: the trailing le16 of the used ring
    });
  });

  it('rounds the descriptor table up to 16 and the used ring up to 4 from a misaligned break', () => {
    const mem = new GuestMemory(0x10000);
    mem.alloc(1, 1); // break now at 0x1001
    const r = allocRing(mem, 2);
    expect(r.desc).toBe(0x1010);
    expect(r.avail).toBe(0x1030); // 0x1010 + 32, already 2-aligned
    // avail is 6 + 2*2 = 10 bytes: ends at 0x103a, which the used ring must round to 0x103c.
    expect(r.used).toBe(0x103c);
  });

  it.each(VALID_SIZES)('size %i: every part aligned, sized per the spec, and non-overlapping', (q) => {
    const mem = new GuestMemory(0x100000);
    mem.alloc(3, 1); // start misaligned so the rounding is exercised for every size
    const r = allocRing(mem, q);
    expect(r.size).toBe(q);
    expect(r.desc % 16).toBe(0);
    expect(r.avail % 2).toBe(0);
    expect(r.used % 4).toBe(0);
    expect(r.avail).toBeGreaterThanOrEqual(r.desc + 16 * q);
    expect(r.used).toBeGreaterThanOrEqual(r.avail + 6 + 2 * q);
    expect(r.usedEvent).toBe(r.avail + 6 + 2 * q - 2);
    expect(r.availEvent).toBe(r.used + 6 + 8 * q - 2);
    // The allocator's break sits exactly at the end of the used ring: nothing else was reserved.
    const next = mem.alloc(0, 1);
    expect(next).toBe(r.used + 6 + 8 * q);
  });

  it.each([0, 3, 6, 12, 100, 32769, 65536, -4, 1.5, NaN, Infinity])('rejects queue size %s without allocating', (q) => {
    const mem = new GuestMemory(0x10000);
    expect(isValidQueueSize(q)).toBe(false);
    expect(() => allocRing(mem, q)).toThrow(RangeError);
    expect(mem.alloc(0, 1)).toBe(0x1000); // the break did not move
  });

  it('accepts exactly the powers of two from 1 to 32768', () => {
    const accepted: number[] = [];
    for (let q = -2; q <= 70000; q++) if (isValidQueueSize(q)) accepted.push(q);
    expect(accepted).toEqual(VALID_SIZES);
  });

  it('throws RangeError when guest memory cannot hold the ring', () => {
    const mem = new GuestMemory(0x1000 + 16 * 8); // room for the descriptor table only
    expect(() => allocRing(mem, 8)).toThrow(RangeError);
  });
});

/**
 * Reference for the event-index test, written from the spec's wording rather
 * than Linux's formula: the side publishing entries old..new-1 (u16, wrapping)
 * must notify when the other side asked to hear about entry `event`, i.e. when
 * `event` is one of the indices just published.
 */
function needEventRef(event: number, newIdx: number, oldIdx: number): boolean {
  const published = (newIdx - oldIdx) & 0xffff;
  for (let k = 0; k < published; k++) if (((oldIdx + k) & 0xffff) === event) return true;
  return false;
}

describe('needEvent', () => {
  it('fires for event in [old, new) and not just outside it', () => {
    // old = 10, new = 13: entries 10, 11, 12 were published.
    expect(needEvent(9, 13, 10)).toBe(false);
    expect(needEvent(10, 13, 10)).toBe(true);
    expect(needEvent(12, 13, 10)).toBe(true);
    expect(needEvent(13, 13, 10)).toBe(false);
    // Nothing published: never.
    expect(needEvent(10, 10, 10)).toBe(false);
  });

  it('handles the window straddling the u16 wrap', () => {
    // Published 0xfffe, 0xffff, 0x0000, 0x0001.
    expect(needEvent(0xfffd, 2, 0xfffe)).toBe(false);
    expect(needEvent(0xfffe, 2, 0xfffe)).toBe(true);
    expect(needEvent(0xffff, 2, 0xfffe)).toBe(true);
    expect(needEvent(0x0001, 2, 0xfffe)).toBe(true);
    expect(needEvent(0x0002, 2, 0xfffe)).toBe(false);
  });

  it('matches the brute-force reference for every triple drawn from values near the wrap points', () => {
    const near = (c: number) => [-2, -1, 0, 1, 2].map((d) => (c + d) & 0xffff);
    const values = [...new Set([...near(0), ...near(0x8000), ...near(0xffff), ...near(0x4000), 100, 0x7ffe, 0xc000])];
    let mismatches = 0;
    let checked = 0;
    for (const e of values)
      for (const n of values)
        for (const o of values) {
          checked++;
          if (needEvent(e, n, o) !== needEventRef(e, n, o)) mismatches++;
        }
    expect(checked).toBe(values.length ** 3);
    expect(mismatches).toBe(0);
  });

  it('matches the reference for every event value when old/new straddle the wrap by up to 8', () => {
    let mismatches = 0;
    for (let o = 0xfff8; o <= 0x10008; o++)
      for (let span = 0; span <= 9; span++) {
        const oldIdx = o & 0xffff;
        const newIdx = (o + span) & 0xffff;
        for (let e = 0; e <= 0xffff; e += e < 16 || e > 0xffef ? 1 : 257) {
          if (needEvent(e, newIdx, oldIdx) !== needEventRef(e, newIdx, oldIdx)) mismatches++;
        }
      }
    expect(mismatches).toBe(0);
  });
});
