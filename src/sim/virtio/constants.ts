/**
 * virtio 1.2 constants used by the transport and split virtqueues (sections
 * 2.1 Device Status Field, 2.7 Split Virtqueues, 6 Reserved Feature Bits).
 */

// Device status bits (2.1).
export const STATUS_ACKNOWLEDGE = 1;
export const STATUS_DRIVER = 2;
export const STATUS_DRIVER_OK = 4;
export const STATUS_FEATURES_OK = 8;
export const STATUS_DEVICE_NEEDS_RESET = 64;
export const STATUS_FAILED = 128;

// Feature bits (6): numbered bits of a 64-bit word.
export const F_RING_INDIRECT_DESC = 28;
export const F_RING_EVENT_IDX = 29;
export const F_VERSION_1 = 32;

// Descriptor flags (2.7.5).
export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;

// Ring flags (2.7.6, 2.7.8).
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;
export const VIRTQ_USED_F_NO_NOTIFY = 1;

// Struct layouts (2.7.5, 2.7.6, 2.7.8), byte offsets.
export const DESC_SIZE = 16;
export const DESC_ADDR = 0; // le64
export const DESC_LEN = 8; // le32
export const DESC_FLAGS = 12; // le16
export const DESC_NEXT = 14; // le16

export const AVAIL_FLAGS = 0; // le16
export const AVAIL_IDX = 2; // le16
export const AVAIL_RING = 4; // le16[size], then le16 used_event
export const AVAIL_ENTRY_SIZE = 2;

export const USED_FLAGS = 0; // le16
export const USED_IDX = 2; // le16
export const USED_RING = 4; // {le32 id, le32 len}[size], then le16 avail_event
export const USED_ELEM_SIZE = 8;
export const USED_ELEM_ID = 0;
export const USED_ELEM_LEN = 4;

// Ring alignment (2.7, "Virtqueue Part Alignment").
export const DESC_TABLE_ALIGN = 16;
export const AVAIL_RING_ALIGN = 2;
export const USED_RING_ALIGN = 4;

/** Largest split queue size (2.7: a power of two, at most 32768). */
export const MAX_QUEUE_SIZE = 32768;

/** Bit helpers for a 64-bit feature word kept as two 32-bit halves. */
export function hasFeature(lo: number, hi: number, bit: number): boolean {
  return bit < 32 ? ((lo >>> bit) & 1) === 1 : ((hi >>> (bit - 32)) & 1) === 1;
}

export function withFeature(word: { lo: number; hi: number }, bit: number): void {
  if (bit < 32) word.lo = (word.lo | (1 << bit)) >>> 0;
  else word.hi = (word.hi | (1 << (bit - 32))) >>> 0;
}
