import {
  AVAIL_ENTRY_SIZE,
  AVAIL_FLAGS,
  AVAIL_IDX,
  AVAIL_RING,
  DESC_ADDR,
  DESC_FLAGS,
  DESC_LEN,
  DESC_NEXT,
  DESC_SIZE,
  USED_ELEM_SIZE,
  USED_FLAGS,
  USED_IDX,
  USED_RING,
  VIRTQ_DESC_F_NEXT,
} from './constants';
import type { RingLayout } from './ring-layout';
import type { GuestMemory } from '../memory';

/** A copy of one split virtqueue's three parts as they are in guest memory now (for inspection, never for the data path). */
export interface RingSnapshot {
  /** The raw descriptor table (16 bytes per entry). */
  desc: Uint8Array;
  availFlags: number;
  availIdx: number;
  availRing: Uint16Array;
  usedFlags: number;
  usedIdx: number;
  /** Used ring elements as (id, len) pairs. */
  usedRing: Uint32Array;
}

export function snapshotRing(mem: GuestMemory, L: RingLayout): RingSnapshot {
  const size = L.size;
  const availRing = new Uint16Array(size);
  for (let i = 0; i < size; i++) availRing[i] = mem.le16(L.avail + AVAIL_RING + AVAIL_ENTRY_SIZE * i);
  const usedRing = new Uint32Array(2 * size);
  for (let i = 0; i < 2 * size; i++) usedRing[i] = mem.le32(L.used + USED_RING + (USED_ELEM_SIZE / 2) * i);
  return {
    desc: mem.bytes.slice(L.desc, L.desc + DESC_SIZE * size),
    availFlags: mem.le16(L.avail + AVAIL_FLAGS),
    availIdx: mem.le16(L.avail + AVAIL_IDX),
    availRing,
    usedFlags: mem.le16(L.used + USED_FLAGS),
    usedIdx: mem.le16(L.used + USED_IDX),
    usedRing,
  };
}

/**
 * The ring entries published between two free-running u16 indices, oldest
 * first: the heads from `from` up to (not including) `to`. An index that ran
 * ahead by more than the ring holds yields nothing (the device treats it as a
 * broken ring).
 */
export function entriesBetween(from: number, to: number, size: number, entry: (slot: number) => number): number[] {
  const n = (to - from) & 0xffff;
  if (n > size) return [];
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(entry((from + k) & (size - 1)));
  return out;
}

/**
 * Walks a chain in the descriptor table, at most `size` descriptors (a loop
 * ends, as the device's time-to-live ends it): calls `fn` with each
 * descriptor's index, address (-1 above 4 GiB), length and flags.
 */
export function walkChain(mem: GuestMemory, L: RingLayout, head: number, fn: (d: number, addr: number, len: number, flags: number) => void): void {
  let d = head;
  for (let k = 0; k < L.size && d < L.size; k++) {
    const base = L.desc + DESC_SIZE * d;
    const flags = mem.le16(base + DESC_FLAGS);
    fn(d, mem.le64addr(base + DESC_ADDR), mem.le32(base + DESC_LEN), flags);
    if ((flags & VIRTQ_DESC_F_NEXT) === 0) return;
    d = mem.le16(base + DESC_NEXT);
  }
}
