import { TypedBlock, type TableSource } from '../typed-block';
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
  USED_ELEM_ID,
  USED_ELEM_LEN,
  USED_ELEM_SIZE,
  USED_FLAGS,
  USED_IDX,
  USED_RING,
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
} from './constants';
import { needEvent, type RingLayout } from './ring-layout';
import type { GuestMemory } from '../memory';

/**
 * Why the device could not take a chain from the ring. Every one of these means
 * the ring itself is broken (the device cannot know where the chain ends), so
 * the device stops using the queue and asks for a reset. A chain that walks fine
 * but has the wrong shape for the message is a different matter (see the device).
 */
export const RingFault = {
  None: 0,
  /** avail->idx moved more than queue-size entries past what the device consumed. */
  AvailIndexJump: 1,
  HeadOutOfRange: 2,
  NextOutOfRange: 3,
  /** The chain is longer than the queue: a `next` loop. */
  DescriptorLoop: 4,
  /** A buffer does not lie inside guest memory. */
  BufferOutOfRange: 5,
  /** VIRTQ_DESC_F_INDIRECT without the feature negotiated. */
  IndirectNotNegotiated: 6,
  /** A head made available again while the device still holds its chain (not yet in the used ring). */
  HeadInFlight: 7,
} as const;
export type RingFault = (typeof RingFault)[keyof typeof RingFault];

export const RING_FAULT_TEXT: Record<RingFault, string> = {
  [RingFault.None]: 'no fault',
  [RingFault.AvailIndexJump]: 'avail index jumped by more than the queue size',
  [RingFault.HeadOutOfRange]: 'chain head index out of range',
  [RingFault.NextOutOfRange]: 'descriptor next index out of range',
  [RingFault.DescriptorLoop]: 'descriptor chain loops (longer than the queue)',
  [RingFault.BufferOutOfRange]: 'buffer lies outside guest memory',
  [RingFault.IndirectNotNegotiated]: 'indirect descriptor without VIRTIO_F_INDIRECT_DESC',
  [RingFault.HeadInFlight]: 'a chain made available again while the device still holds it',
};

/** A chain the device popped, reusable so popping allocates nothing. */
export class Chain {
  head = 0;
  count = 0;
  readonly addr: Float64Array;
  readonly len: Uint32Array;
  readonly write: Uint8Array;
  /** A device-readable buffer came after a device-writable one (a driver rule, 2.7.4.2). */
  writeBeforeRead = false;

  constructor(capacity: number, tables: TableSource | null = null) {
    const b = new TypedBlock(capacity, 3, tables);
    this.addr = b.f64();
    this.len = b.u32();
    this.write = b.u8();
  }

  readableCount(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.write[i] === 0) n++;
    return n;
  }

  writableLen(): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (this.write[i] === 1) n += this.len[i] as number;
    return n;
  }
}

/**
 * The device side of a split virtqueue, after rust-vmm virtio-queue: the rings
 * stay in guest memory, the device keeps only next_avail / next_used as free-
 * running u16 indices, checks the avail index against the queue size, walks each
 * chain with a time-to-live equal to the queue size, and publishes used entries
 * element first, index second.
 */
export class DeviceQueue {
  readonly layout: RingLayout;
  private readonly _mem: GuestMemory;
  nextAvail = 0;
  nextUsed = 0;
  private _signalledUsed = 0;
  private _signalledValid = false;
  eventIdx = false;
  /** Set once the ring was found broken; the device stops touching it. */
  fault: RingFault = RingFault.None;
  /** Heads the device took and has not returned: a head made available again meanwhile is a broken ring. */
  private readonly _held: Uint8Array;

  /**
   * A new queue zeroes its used ring header. With `start` (vhost-user
   * SET_VRING_BASE after a stop) it resumes instead: both indices continue from
   * there and the rings in guest memory are left as they are.
   */
  constructor(mem: GuestMemory, layout: RingLayout, start?: number) {
    this._mem = mem;
    this.layout = layout;
    this._held = new Uint8Array(layout.size);
    if (start !== undefined) {
      this.nextAvail = this.nextUsed = this._signalledUsed = start & 0xffff;
      return;
    }
    mem.setLe16(layout.used + USED_FLAGS, 0);
    mem.setLe16(layout.used + USED_IDX, 0);
  }

  /** Chains available and not yet taken, or -1 if the index jumped (sets `fault`). */
  pending(): number {
    if (this.fault !== RingFault.None) return 0;
    const n = (this._mem.le16(this.layout.avail + AVAIL_IDX) - this.nextAvail) & 0xffff;
    if (n > this.layout.size) {
      this.fault = RingFault.AvailIndexJump;
      return -1;
    }
    return n;
  }

  /**
   * Takes the next available chain into `chain`. Returns RingFault.None on
   * success; any other value also sets `fault`. Call only when pending() > 0.
   */
  pop(chain: Chain): RingFault {
    const size = this.layout.size;
    const slot = this.nextAvail & (size - 1);
    const head = this._mem.le16(this.layout.avail + AVAIL_RING + slot * AVAIL_ENTRY_SIZE);
    this.nextAvail = (this.nextAvail + 1) & 0xffff;
    chain.head = head;
    chain.count = 0;
    chain.writeBeforeRead = false;
    if (head >= size) return (this.fault = RingFault.HeadOutOfRange);
    // The driver reused descriptors the device still owns: taking them would hand out one chain twice.
    if (this._held[head]) return (this.fault = RingFault.HeadInFlight);
    let idx = head;
    let ttl = size;
    let sawWrite = false;
    for (;;) {
      const d = this.layout.desc + idx * DESC_SIZE;
      const addr = this._mem.le64addr(d + DESC_ADDR);
      const len = this._mem.le32(d + DESC_LEN);
      const flags = this._mem.le16(d + DESC_FLAGS);
      if (flags & VIRTQ_DESC_F_INDIRECT) return (this.fault = RingFault.IndirectNotNegotiated);
      if (addr < 0 || !this._mem.contains(addr, len)) return (this.fault = RingFault.BufferOutOfRange);
      const w = flags & VIRTQ_DESC_F_WRITE ? 1 : 0;
      if (w) sawWrite = true;
      else if (sawWrite) chain.writeBeforeRead = true;
      const i = chain.count++;
      chain.addr[i] = addr;
      chain.len[i] = len;
      chain.write[i] = w;
      if ((flags & VIRTQ_DESC_F_NEXT) === 0) {
        this._held[head] = 1;
        return RingFault.None;
      }
      idx = this._mem.le16(d + DESC_NEXT);
      if (idx >= size) return (this.fault = RingFault.NextOutOfRange);
      if (--ttl === 0) return (this.fault = RingFault.DescriptorLoop);
    }
  }

  /** Returns a chain to the driver: element first, then the index (2.7.8). */
  pushUsed(head: number, len: number): void {
    this._held[head] = 0;
    const slot = this.nextUsed & (this.layout.size - 1);
    const elem = this.layout.used + USED_RING + slot * USED_ELEM_SIZE;
    this._mem.setLe32(elem + USED_ELEM_ID, head);
    this._mem.setLe32(elem + USED_ELEM_LEN, len);
    this.nextUsed = (this.nextUsed + 1) & 0xffff;
    this._mem.setLe16(this.layout.used + USED_IDX, this.nextUsed);
  }

  /**
   * Whether the driver wants an interrupt for what was pushed since the last one
   * (2.7.7): the NO_INTERRUPT flag, or with EVENT_IDX the driver's used_event.
   */
  needsNotification(): boolean {
    const newUsed = this.nextUsed;
    const old = this._signalledUsed;
    const valid = this._signalledValid;
    this._signalledUsed = newUsed;
    this._signalledValid = true;
    if (!this.eventIdx) return (this._mem.le16(this.layout.avail + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
    if (!valid) return true;
    return needEvent(this._mem.le16(this.layout.usedEvent), newUsed, old);
  }

  /** With EVENT_IDX, ask to be notified as soon as anything new is added (avail_event = next_avail). */
  armAvailEvent(): void {
    if (this.eventIdx) this._mem.setLe16(this.layout.availEvent, this.nextAvail);
  }
}
