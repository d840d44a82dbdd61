import {
  AVAIL_ENTRY_SIZE,
  AVAIL_RING,
  AVAIL_RING_ALIGN,
  DESC_SIZE,
  DESC_TABLE_ALIGN,
  MAX_QUEUE_SIZE,
  USED_ELEM_SIZE,
  USED_RING,
  USED_RING_ALIGN,
} from './constants';
import type { GuestMemory } from '../memory';

/** Where one split virtqueue's three parts live in guest memory. */
export interface RingLayout {
  readonly size: number;
  readonly desc: number;
  readonly avail: number;
  readonly used: number;
  /** Address of le16 used_event (the trailing field of the avail ring). */
  readonly usedEvent: number;
  /** Address of le16 avail_event (the trailing field of the used ring). */
  readonly availEvent: number;
}

export function isValidQueueSize(size: number): boolean {
  return Number.isInteger(size) && size >= 1 && size <= MAX_QUEUE_SIZE && (size & (size - 1)) === 0;
}

/** Allocates the descriptor table, avail ring and used ring for a queue of `size` entries. */
export function allocRing(mem: GuestMemory, size: number): RingLayout {
  if (!isValidQueueSize(size)) throw new RangeError(`queue size ${size} is not a power of two in 1..32768`);
  const desc = mem.alloc(DESC_SIZE * size, DESC_TABLE_ALIGN);
  const avail = mem.alloc(AVAIL_RING + AVAIL_ENTRY_SIZE * size + 2, AVAIL_RING_ALIGN);
  const used = mem.alloc(USED_RING + USED_ELEM_SIZE * size + 2, USED_RING_ALIGN);
  return {
    size,
    desc,
    avail,
    used,
    usedEvent: avail + AVAIL_RING + AVAIL_ENTRY_SIZE * size,
    availEvent: used + USED_RING + USED_ELEM_SIZE * size,
  };
}

/**
 * The event-index test both sides use (2.7.7.2, 2.7.10): notify when `event`
 * lies in the half-open window (old, new] of indices just published, all in u16.
 */
export function needEvent(event: number, newIdx: number, oldIdx: number): boolean {
  return ((newIdx - event - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
}
