import { expect, test } from 'vitest';
import {
  availFlagsText,
  chainPredecessor,
  decodeBuffer,
  descFlagsText,
  hexBytes,
  namesText,
  pendingSlots,
  readDescriptor,
  ringDistance,
  usedFlagsText,
} from './queue-decode';

/** A descriptor table from (addr, len, flags, next) tuples, little-endian as in guest memory. */
function table(...descs: [bigint, number, number, number][]): Uint8Array {
  const b = new Uint8Array(16 * descs.length);
  const dv = new DataView(b.buffer);
  descs.forEach(([addr, len, flags, next], i) => {
    dv.setBigUint64(16 * i, addr, true);
    dv.setUint32(16 * i + 8, len, true);
    dv.setUint16(16 * i + 12, flags, true);
    dv.setUint16(16 * i + 14, next, true);
  });
  return b;
}

test('descriptors decode from raw bytes', () => {
  const t = table([0x1a40n, 8, 1, 1], [0x1a48n, 2, 2, 0], [0x1_2345_6789n, 0xffff_ffff, 4, 65535]);
  expect(readDescriptor(t, 0)).toEqual({ addr: '0x1a40', len: 8, flags: 1, next: 1 });
  expect(readDescriptor(t, 1)).toEqual({ addr: '0x1a48', len: 2, flags: 2, next: 0 });
  expect(readDescriptor(t, 2)).toEqual({ addr: '0x123456789', len: 4294967295, flags: 4, next: 65535 });
  // Hand-written bytes: addr 0x00000010_00000020, len 1, flags WRITE|NEXT, next 3.
  const raw = new Uint8Array([0x20, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 3, 0, 3, 0]);
  expect(readDescriptor(raw, 0)).toEqual({ addr: '0x1000000020', len: 1, flags: 3, next: 3 });
});

test('flags decode', () => {
  expect(descFlagsText(0)).toBe('–');
  expect(descFlagsText(1)).toBe('NEXT');
  expect(descFlagsText(2)).toBe('WRITE');
  expect(descFlagsText(3)).toBe('NEXT|WRITE');
  expect(descFlagsText(7)).toBe('NEXT|WRITE|INDIRECT');
  expect(descFlagsText(0x11)).toBe('NEXT|0x10');
  expect(availFlagsText(0)).toBe('0');
  expect(availFlagsText(1)).toBe('1 (NO_INTERRUPT)');
  expect(usedFlagsText(1)).toBe('1 (NO_NOTIFY)');
});

test('ring pending slots between free-running indices', () => {
  expect(Array.from(pendingSlots(2, 5, 8))).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
  expect(Array.from(pendingSlots(6, 9, 8))).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
  // Across the u16 wrap.
  expect(Array.from(pendingSlots(65535, 1, 4))).toEqual([1, 0, 0, 1]);
  expect(Array.from(pendingSlots(3, 3, 4))).toEqual([0, 0, 0, 0]);
  // More than the ring holds: a broken ring, every slot counts.
  expect(Array.from(pendingSlots(0, 9, 4))).toEqual([1, 1, 1, 1]);
  expect(ringDistance(65534, 2)).toBe(4);
  expect(ringDistance(5, 5)).toBe(0);
});

test('chain predecessor skips free descriptors', () => {
  const t = table([0n, 8, 1, 1], [0n, 2, 2, 0], [0n, 8, 1, 1]);
  expect(chainPredecessor(t, 3, 1)).toBe(0);
  expect(chainPredecessor(t, 3, 1, new Uint8Array([0, 2, 2]))).toBe(2);
  expect(chainPredecessor(t, 3, 0)).toBe(-1);
});

test('requestq buffers: a request when readable, a response when writable', () => {
  // SET_IRQ_TYPE gpio 0 value 3 (edge-both).
  const req = new Uint8Array([6, 0, 0, 0, 3, 0, 0, 0]);
  expect(hexBytes(req)).toBe('06 00 00 00 03 00 00 00');
  expect(decodeBuffer('requestq', false, req, 8)).toEqual({
    struct: 'request',
    fields: [
      ['type', '6 (SET_IRQ_TYPE)'],
      ['gpio', '0'],
      ['value', '3 (edge-both)'],
    ],
  });
  expect(decodeBuffer('requestq', false, new Uint8Array([3, 0, 2, 1, 2, 0, 0, 0]), 8).fields).toEqual([
    ['type', '3 (SET_DIRECTION)'],
    ['gpio', '258'],
    ['value', '2 (in)'],
  ]);
  expect(decodeBuffer('requestq', false, new Uint8Array([5, 0, 1, 0, 0x78, 0x56, 0x34, 0x12]), 8).fields[2]).toEqual(['value', '305419896']);
  expect(decodeBuffer('requestq', false, new Uint8Array([4, 0, 1, 0]), 4)).toEqual({
    struct: 'request',
    fields: [
      ['type', '4 (GET_VALUE)'],
      ['gpio', '1'],
      ['value', '0'],
    ],
    note: 'short buffer: 4 bytes, the struct needs 8',
  });
  expect(decodeBuffer('requestq', true, new Uint8Array([0, 1]), 2, 4)).toEqual({
    struct: 'response',
    fields: [
      ['status', '0 (OK)'],
      ['value', '1 (high)'],
    ],
  });
  expect(decodeBuffer('requestq', true, new Uint8Array([1, 0]), 2).fields).toEqual([
    ['status', '1 (ERR)'],
    ['value', '0'],
  ]);
  expect(decodeBuffer('requestq', true, new Uint8Array([0, 2]), 2, 2).fields[1]).toEqual(['value', '2 (in)']);
});

test('a GET_LINE_NAMES response shows its first bytes', () => {
  const names = new TextEncoder().encode('\0button\0door-sen');
  expect(names.length).toBe(16);
  expect(namesText(names.subarray(1))).toBe('button␀door-sen');
  expect(decodeBuffer('requestq', true, names, 40, 1)).toEqual({
    struct: 'names',
    fields: [
      ['status', '0 (OK)'],
      ['names', 'button␀door-sen…'],
    ],
    note: 'GET_LINE_NAMES response: 1 + 39 bytes, the first 15 names bytes shown',
  });
  // Type unknown: more than two bytes still reads as a names block.
  expect(decodeBuffer('requestq', true, new Uint8Array([0, 0x61, 0, 1]), 4).struct).toBe('names');
  expect(namesText(new Uint8Array([0x41, 0x07, 0x7f, 0]))).toBe('A··␀');
});

test('eventq buffers: gpio when readable, status when writable', () => {
  expect(decodeBuffer('eventq', false, new Uint8Array([5, 0]), 2)).toEqual({ struct: 'irq request', fields: [['gpio', '5']] });
  expect(decodeBuffer('eventq', true, new Uint8Array([1]), 1)).toEqual({ struct: 'irq response', fields: [['status', '1 (VALID)']] });
  expect(decodeBuffer('eventq', true, new Uint8Array([0]), 1)).toEqual({ struct: 'irq response', fields: [['status', '0 (INVALID)']] });
  expect(decodeBuffer('eventq', true, new Uint8Array([0, 0]), 2).note).toBe('length 2, the struct is 1 byte');
  expect(decodeBuffer('eventq', false, null, 2)).toEqual({ struct: 'empty', fields: [], note: 'no buffer contents (the descriptor is not in flight)' });
});
