import { DESC_OWNERS, DIRECTION_NAMES, IRQ_TYPE_NAMES, MSGS, MSG_NAMES, STATUSES } from '../sim/index';

/**
 * Decoders for the virtqueue inspector: split-virtqueue descriptors (virtio
 * 1.2 2.7.5) and the virtio-gpio structs in their buffers (5.18.6), read from
 * raw little-endian bytes. Pure functions, no DOM.
 */

// The split-virtqueue layout and flags, as the core defines them (virtio 1.2 2.7).
export { DESC_SIZE, VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, VIRTQ_USED_F_NO_NOTIFY } from '../sim/index';
import { DESC_SIZE, VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE, VIRTQ_USED_F_NO_NOTIFY } from '../sim/index';

/** Descriptor owner codes of QueueView.owner. */
export const OWNER_NAMES = DESC_OWNERS.names;
export type OwnerName = (typeof OWNER_NAMES)[number];

export interface Descriptor {
  /** le64 addr as hex ("0x1a40"); exact for the whole 64 bits. */
  addr: string;
  len: number;
  flags: number;
  next: number;
}

const le16 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8)) >>> 0;
const le32 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;

/** Descriptor `i` of a raw table (16 bytes each: le64 addr, le32 len, le16 flags, le16 next). */
export function readDescriptor(table: Uint8Array, i: number): Descriptor {
  const o = i * DESC_SIZE;
  const lo = le32(table, o);
  const hi = le32(table, o + 4);
  const addr = hi ? `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}` : `0x${lo.toString(16)}`;
  return { addr, len: le32(table, o + 8), flags: le16(table, o + 12), next: le16(table, o + 14) };
}

/** "NEXT|WRITE", "INDIRECT", or "–" for none; unknown bits as hex. */
export function descFlagsText(flags: number): string {
  const out: string[] = [];
  if (flags & VIRTQ_DESC_F_NEXT) out.push('NEXT');
  if (flags & VIRTQ_DESC_F_WRITE) out.push('WRITE');
  if (flags & VIRTQ_DESC_F_INDIRECT) out.push('INDIRECT');
  const rest = flags & ~7;
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out.length ? out.join('|') : '–';
}

export function hexBytes(bytes: Uint8Array | null | undefined): string {
  if (!bytes || bytes.length === 0) return '';
  return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Which ring slots hold entries between two free-running u16 indices: avail
 * entries the device has not taken (deviceNextAvail → availIdx) or used entries
 * the driver has not taken back (driverLastUsed → usedIdx). More than `size`
 * apart means the ring is broken; then every slot counts.
 */
export function pendingSlots(from: number, to: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const n = Math.min((to - from) & 0xffff, size);
  for (let k = 0; k < n; k++) out[(from + k) & (size - 1)] = 1;
  return out;
}

/** Number of entries between two free-running u16 indices. */
export function ringDistance(from: number, to: number): number {
  return (to - from) & 0xffff;
}

/**
 * The descriptor whose NEXT link points at `d` (its predecessor in a chain), or
 * -1. Descriptors that are free are skipped when `owner` is given, as their
 * table entries are stale.
 */
export function chainPredecessor(table: Uint8Array, size: number, d: number, owner?: Uint8Array): number {
  for (let i = 0; i < size; i++) {
    if (i === d || (owner && owner[i] === 0)) continue;
    const x = readDescriptor(table, i);
    if (x.flags & VIRTQ_DESC_F_NEXT && x.next === d) return i;
  }
  return -1;
}

export interface DecodedBuffer {
  /** What the buffer holds: "request", "response", "irq request", "irq response", "names", or "empty". */
  struct: string;
  /** Field name → decoded value, in struct order. */
  fields: [string, string][];
  /** A caveat (a short buffer, or a buffer the device has not written yet). */
  note?: string;
}

const msgName = (t: number): string => MSG_NAMES[t] ?? `unknown (${t})`;

/** How the value of a request of this type reads. */
function requestValue(type: number, value: number): string {
  if (type === MSGS.code.SET_IRQ_TYPE) return `${value} (${IRQ_TYPE_NAMES[value] ?? 'invalid type'})`;
  if (type === MSGS.code.SET_DIRECTION) return `${value} (${DIRECTION_NAMES[value] ?? 'invalid direction'})`;
  return String(value);
}

/** How the value of a response to a request of this type reads. */
function responseValue(type: number | undefined, value: number): string {
  if (type === MSGS.code.GET_DIRECTION) return `${value} (${DIRECTION_NAMES[value] ?? 'invalid direction'})`;
  if (type === MSGS.code.GET_VALUE) return `${value} (${value ? 'high' : 'low'})`;
  return String(value);
}

/** Printable text of a names block: NULs become "␀", other control bytes "·". */
export function namesText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0 ? '␀' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·';
  return s;
}

/**
 * Decodes a buffer of the virtio-gpio queues. The WRITE flag says which side
 * fills it: on the requestq a readable buffer is a request (le16 type, le16
 * gpio, le32 value) and a writable one a response (u8 status, u8 value; for
 * GET_LINE_NAMES 1 + gpio_names_size bytes); on the eventq the readable buffer
 * is an irq request (le16 gpio), the writable one an irq response (u8 status).
 * `len` is the descriptor's length (bytes holds at most its first 16 bytes);
 * `requestType` is the type of the request the response answers, when known.
 */
export function decodeBuffer(queue: string, write: boolean, bytes: Uint8Array | null, len: number, requestType?: number): DecodedBuffer {
  if (!bytes || bytes.length === 0) return { struct: 'empty', fields: [], note: 'no buffer contents (the descriptor is not in flight)' };
  const short = (need: number): string | undefined => (len < need ? `short buffer: ${len} bytes, the struct needs ${need}` : undefined);
  if (queue === 'eventq') {
    if (!write) {
      const d: DecodedBuffer = { struct: 'irq request', fields: [['gpio', String(le16(bytes, 0))]] };
      const n = short(2);
      return n ? { ...d, note: n } : d;
    }
    const s = bytes[0] ?? 0;
    const d: DecodedBuffer = { struct: 'irq response', fields: [['status', `${s} (${s === 1 ? 'VALID' : s === 0 ? 'INVALID' : 'unknown'})`]] };
    const n = len !== 1 ? `length ${len}, the struct is 1 byte` : undefined;
    return n ? { ...d, note: n } : d;
  }
  if (!write) {
    const type = le16(bytes, 0);
    const value = le32(bytes, 4);
    const d: DecodedBuffer = {
      struct: 'request',
      fields: [
        ['type', `${type} (${msgName(type)})`],
        ['gpio', String(le16(bytes, 2))],
        ['value', requestValue(type, value)],
      ],
    };
    const n = short(8);
    return n ? { ...d, note: n } : d;
  }
  const status = bytes[0] ?? 0;
  const statusText = `${status} (${STATUSES.name(status) ?? 'unknown'})`;
  if (requestType === MSGS.code.GET_LINE_NAMES || (requestType === undefined && len > 2)) {
    const shown = bytes.subarray(1);
    return {
      struct: 'names',
      fields: [
        ['status', statusText],
        ['names', `${namesText(shown)}${len - 1 > shown.length ? '…' : ''}`],
      ],
      note: `GET_LINE_NAMES response: 1 + ${len - 1} bytes${len - 1 > shown.length ? `, the first ${shown.length} names bytes shown` : ''}`,
    };
  }
  const d: DecodedBuffer = {
    struct: 'response',
    fields: [
      ['status', statusText],
      ['value', responseValue(requestType, bytes[1] ?? 0)],
    ],
  };
  const n = short(2);
  return n ? { ...d, note: n } : d;
}

/** Avail ring flags ("NO_INTERRUPT" or "0"). */
export function availFlagsText(flags: number): string {
  return flags & VIRTQ_AVAIL_F_NO_INTERRUPT ? `${flags} (NO_INTERRUPT)` : String(flags);
}

/** Used ring flags ("NO_NOTIFY" or "0"). */
export function usedFlagsText(flags: number): string {
  return flags & VIRTQ_USED_F_NO_NOTIFY ? `${flags} (NO_NOTIFY)` : String(flags);
}
