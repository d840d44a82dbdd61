import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DeviceHarness } from '../testing/device-harness';
import { EVENTQ, MSG_GET_LINE_NAMES, REQUESTQ } from './constants';
import { USED_ELEM_SIZE, USED_RING } from '../virtio/constants';
import type { BufferSpec } from '../virtio/driver-queue';

/** A chain the test driver makes: buffers laid out in a scratch area, any sizes, any direction. */
interface ChainSpec {
  queue: number;
  bufs: { len: number; write: boolean }[];
  /** The request fields written into the first buffer when it is large enough. */
  type: number;
  gpio: number;
  value: number;
}

/** Mostly the right shape (a readable request, then a writable response of a near-miss size), sometimes anything. */
const bufsArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 3, 9).map((n) => [{ len: 8, write: false }, { len: n, write: true }]) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 2).map((n) => [{ len: 2, write: false }, { len: n, write: true }]) },
  {
    weight: 2,
    arbitrary: fc.array(fc.record({ len: fc.oneof(fc.constantFrom(0, 1, 2, 3, 8, 9), fc.integer({ min: 0, max: 40 })), write: fc.boolean() }), { minLength: 1, maxLength: 4 }),
  },
);

const chainArb: fc.Arbitrary<ChainSpec> = fc.record({
  queue: fc.constantFrom(REQUESTQ, EVENTQ),
  bufs: bufsArb,
  type: fc.oneof(fc.integer({ min: 0, max: 8 }), fc.constant(MSG_GET_LINE_NAMES)),
  gpio: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 0xffff })),
  value: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 0xffffffff })),
});

/** Every byte range the device may write: the chains' writable buffers, and the used rings (with avail_event). */
function allowedRanges(h: DeviceHarness, writable: [number, number][]): [number, number][] {
  const rings = [h.rq.layout, h.eq.layout].map((L): [number, number] => [L.used, L.used + USED_RING + USED_ELEM_SIZE * L.size + 2]);
  return [...writable, ...rings];
}

describe('the device writes only where it was allowed to', () => {
  test('no byte outside the writable buffers of the chains it answers, and no used length above their capacity', () => {
    fc.assert(
      fc.property(fc.array(chainArb, { minLength: 1, maxLength: 12 }), (chains) => {
        const h = new DeviceHarness({ ngpio: 4, names: ['a', 'b', '', 'd'], policy: { malformed: 'err', badGpio: 'err' } });
        const scratch = h.mem.alloc(4096, 8);
        let at = scratch;
        const writable: [number, number][] = [];
        const capacity = new Map<number, number>();
        chains.forEach((c, i) => {
          const bufs: BufferSpec[] = c.bufs.map((b) => {
            const addr = at;
            at += Math.max(b.len, 1) + 8;
            if (b.write) writable.push([addr, addr + b.len]);
            return { addr, len: b.len, write: b.write };
          });
          const first = bufs[0]!;
          if (!first.write && first.len >= 8) {
            h.mem.setLe16(first.addr, c.type);
            h.mem.setLe16(first.addr + 2, c.gpio);
            h.mem.setLe32(first.addr + 4, c.value);
          } else if (!first.write && first.len >= 2) {
            h.mem.setLe16(first.addr, c.gpio);
          }
          capacity.set(i, c.bufs.filter((b) => b.write).reduce((n, b) => n + b.len, 0));
          h.postChain(c.queue, bufs, i);
        });
        const before = h.mem.bytes.slice();
        // Descriptor tables and avail rings are the driver's; the harness wrote them already.
        h.run(10_000_000);
        const allowed = allowedRanges(h, writable);
        // Compare a word at a time; look at the bytes of a word only when it changed.
        const now32 = new Uint32Array(h.mem.buffer);
        const was32 = new Uint32Array(before.buffer);
        for (let w = 0; w < now32.length; w++) {
          if (now32[w] === was32[w]) continue;
          for (let addr = 4 * w; addr < 4 * w + 4; addr++) {
            if (h.mem.bytes[addr] === before[addr]) continue;
            if (!allowed.some(([a, b]) => addr >= a && addr < b)) throw new Error(`device wrote byte ${addr} outside every writable buffer`);
          }
        }
        for (const q of [h.rq, h.eq]) {
          for (;;) {
            const token = q.getBuf();
            if (token < 0) break;
            expect(q.lastLen).toBeLessThanOrEqual(capacity.get(token) ?? 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  test('GET_LINE_NAMES for a gpio past the last line, with a 1-byte response buffer: ERR in that byte, used length 1', () => {
    const h = new DeviceHarness({ ngpio: 4 });
    const scratch = h.mem.alloc(64, 8);
    h.mem.setLe16(scratch, MSG_GET_LINE_NAMES);
    h.mem.setLe16(scratch + 2, 9);
    h.mem.setLe32(scratch + 4, 0);
    h.mem.bytes.fill(0xee, scratch + 8, scratch + 16);
    h.postChain(REQUESTQ, [
      { addr: scratch, len: 8, write: false },
      { addr: scratch + 8, len: 1, write: true },
    ]);
    h.run();
    expect(h.rq.getBuf()).toBe(99);
    expect(h.rq.lastLen).toBe(1);
    expect(h.mem.u8(scratch + 8)).toBe(1);
    expect(h.mem.u8(scratch + 9)).toBe(0xee); // The byte after the buffer is untouched.
  });
});
