import { TypedBlock, type TableSource } from '../typed-block';
import {
  AVAIL_FLAGS,
  AVAIL_IDX,
  AVAIL_RING,
  AVAIL_ENTRY_SIZE,
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
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
  VIRTQ_USED_F_NO_NOTIFY,
} from './constants';
import { needEvent, type RingLayout } from './ring-layout';
import type { GuestMemory } from '../memory';

/** One buffer of a chain as the driver describes it. */
export interface BufferSpec {
  addr: number;
  len: number;
  /** Device-writable (VIRTQ_DESC_F_WRITE). */
  write: boolean;
}

/** getBuf() results besides a token (tokens are >= 0). */
export const GET_NONE = -1;
export const GET_BROKEN = -2;

/**
 * The driver side of a split virtqueue, after Linux virtio_ring.c: a free list
 * of descriptors, a shadow avail index, and a last-used index. Like Linux it
 * keeps private copies of each chain's links ("desc_extra") so freeing a chain
 * never trusts memory the device could have scribbled on.
 */
export class DriverQueue {
  readonly layout: RingLayout;
  private readonly _mem: GuestMemory;
  private readonly _next: Uint16Array;
  private readonly _chainLen: Uint16Array;
  private readonly _token: Int32Array;
  private _freeHead = 0;
  private _numFree: number;
  private _availIdx = 0;
  private _numAdded = 0;
  private _lastUsed = 0;
  private _eventIdx = false;
  /** Callbacks disabled (Linux avail_flags_shadow & VRING_AVAIL_F_NO_INTERRUPT). */
  private _cbDisabled = false;
  /** Why the queue was marked broken (Linux BAD_RING), or null. */
  broken: string | null = null;
  /** Used length reported with the token most recently returned by getBuf(). */
  lastLen = 0;
  /** Head of the chain most recently returned by getBuf() or added by add*(). */
  lastHead = 0;

  constructor(mem: GuestMemory, layout: RingLayout, eventIdx = false, tables: TableSource | null = null) {
    this._mem = mem;
    this.layout = layout;
    this._eventIdx = eventIdx;
    const n = layout.size;
    const b = new TypedBlock(n, 3, tables);
    this._next = b.u16();
    this._chainLen = b.u16();
    this._token = b.i32().fill(-1);
    for (let i = 0; i < n; i++) this._next[i] = (i + 1) % n;
    this._numFree = n;
    mem.setLe16(layout.avail + AVAIL_FLAGS, 0);
    mem.setLe16(layout.avail + AVAIL_IDX, 0);
  }

  get numFree(): number {
    return this._numFree;
  }
  get availIdx(): number {
    return this._availIdx;
  }
  get lastUsedIdx(): number {
    return this._lastUsed;
  }
  setEventIdx(on: boolean): void {
    this._eventIdx = on;
  }

  /** Adds a two-buffer chain (one readable, one writable): the shape every virtio-gpio message has. */
  addPair(outAddr: number, outLen: number, inAddr: number, inLen: number, token: number): number {
    if (this.broken !== null || this._numFree < 2) return -1;
    const head = this._freeHead;
    const second = this._next[head] as number;
    this._freeHead = this._next[second] as number;
    this._numFree -= 2;
    this._writeDesc(head, outAddr, outLen, VIRTQ_DESC_F_NEXT, second);
    this._writeDesc(second, inAddr, inLen, VIRTQ_DESC_F_WRITE, 0);
    this._chainLen[head] = 2;
    return this._publish(head, token);
  }

  /** Adds a chain of any shape; used by tests and by deliberately misbehaving drivers. */
  addChain(bufs: readonly BufferSpec[], token: number): number {
    const n = bufs.length;
    if (this.broken !== null || n === 0 || this._numFree < n) return -1;
    const head = this._freeHead;
    let idx = head;
    for (let i = 0; i < n; i++) {
      const b = bufs[i] as BufferSpec;
      const next = this._next[idx] as number;
      const last = i === n - 1;
      this._writeDesc(idx, b.addr, b.len, (last ? 0 : VIRTQ_DESC_F_NEXT) | (b.write ? VIRTQ_DESC_F_WRITE : 0), last ? 0 : next);
      if (last) this._freeHead = next;
      idx = next;
    }
    this._numFree -= n;
    this._chainLen[head] = n;
    return this._publish(head, token);
  }

  /**
   * Raw writes for a deliberately broken driver: one descriptor exactly as given
   * (any flags, any next, any address), bypassing the free list.
   */
  writeRawDesc(idx: number, addr: number, len: number, flags: number, next: number): void {
    this._writeDesc(idx & (this.layout.size - 1), addr, len, flags, next);
  }

  /**
   * Raw write for a deliberately broken driver: puts `head` in the avail ring at
   * the index found in memory and moves that index by 1 + `jump`, without
   * touching this driver's shadow index (so the two disagree afterwards, as
   * they would if another piece of code wrote the ring). Returns the index written.
   */
  publishRaw(head: number, jump: number): number {
    const idx = this._mem.le16(this.layout.avail + AVAIL_IDX);
    this._mem.setLe16(this.layout.avail + AVAIL_RING + (idx & (this.layout.size - 1)) * AVAIL_ENTRY_SIZE, head & 0xffff);
    const next = (idx + 1 + jump) & 0xffff;
    this._mem.setLe16(this.layout.avail + AVAIL_IDX, next);
    return next;
  }

  /**
   * Whether the device wants a notification for what was added since the last
   * kick (Linux virtqueue_kick_prepare_split): the NO_NOTIFY flag, or with
   * EVENT_IDX the device's avail_event.
   */
  kickPrepare(): boolean {
    const newIdx = this._availIdx;
    const oldIdx = (newIdx - this._numAdded) & 0xffff;
    this._numAdded = 0;
    if (this._eventIdx) return needEvent(this._mem.le16(this.layout.availEvent), newIdx, oldIdx);
    return (this._mem.le16(this.layout.used + USED_FLAGS) & VIRTQ_USED_F_NO_NOTIFY) === 0;
  }

  /** True when the device has published used entries the driver has not consumed. */
  hasUsed(): boolean {
    return this._mem.le16(this.layout.used + USED_IDX) !== this._lastUsed;
  }

  /**
   * Takes the next used entry: returns its token (and sets lastLen / lastHead),
   * GET_NONE when there is none, or GET_BROKEN when the device named a chain the
   * driver never made available (the queue is then broken, as in Linux).
   */
  getBuf(): number {
    if (this.broken !== null) return GET_BROKEN;
    const used = this.layout.used;
    if (this._mem.le16(used + USED_IDX) === this._lastUsed) return GET_NONE;
    const slot = this._lastUsed & (this.layout.size - 1);
    const elem = used + USED_RING + slot * USED_ELEM_SIZE;
    const id = this._mem.le32(elem + USED_ELEM_ID);
    const len = this._mem.le32(elem + USED_ELEM_LEN);
    if (id >= this.layout.size || (this._token[id] as number) < 0) {
      this.broken = `id ${id} is not a head`;
      return GET_BROKEN;
    }
    const token = this._token[id] as number;
    this._detach(id);
    this._lastUsed = (this._lastUsed + 1) & 0xffff;
    // Like Linux, only re-arm used_event while callbacks are enabled.
    if (this._eventIdx && !this._cbDisabled) this._mem.setLe16(this.layout.usedEvent, this._lastUsed);
    this.lastLen = len;
    this.lastHead = id;
    return token;
  }

  /** Asks the device not to interrupt for used buffers (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event far away). */
  disableCallbacks(): void {
    this._cbDisabled = true;
    if (this._eventIdx) return; // With EVENT_IDX Linux just stops moving used_event.
    this._mem.setLe16(this.layout.avail + AVAIL_FLAGS, VIRTQ_AVAIL_F_NO_INTERRUPT);
  }

  enableCallbacks(): void {
    this._cbDisabled = false;
    if (this._eventIdx) this._mem.setLe16(this.layout.usedEvent, this._lastUsed);
    else this._mem.setLe16(this.layout.avail + AVAIL_FLAGS, 0);
  }

  callbacksEnabled(): boolean {
    return (this._mem.le16(this.layout.avail + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  }

  /** The token of the chain whose head is `head`, or -1 when that head is not in flight. */
  tokenAt(head: number): number {
    return head < this.layout.size ? (this._token[head] as number) : -1;
  }

  private _writeDesc(idx: number, addr: number, len: number, flags: number, next: number): void {
    const d = this.layout.desc + idx * DESC_SIZE;
    this._mem.setLe64(d + DESC_ADDR, addr);
    this._mem.setLe32(d + DESC_LEN, len);
    this._mem.setLe16(d + DESC_FLAGS, flags);
    this._mem.setLe16(d + DESC_NEXT, next);
  }

  private _publish(head: number, token: number): number {
    this._token[head] = token;
    const slot = this._availIdx & (this.layout.size - 1);
    this._mem.setLe16(this.layout.avail + AVAIL_RING + slot * AVAIL_ENTRY_SIZE, head);
    this._availIdx = (this._availIdx + 1) & 0xffff;
    this._numAdded++;
    // Publish the new index after the ring entry (the spec's write ordering).
    this._mem.setLe16(this.layout.avail + AVAIL_IDX, this._availIdx);
    this.lastHead = head;
    return head;
  }

  private _detach(head: number): void {
    // Walk the driver's own copy of the links, never the shared descriptor table.
    let idx = head;
    const n = this._chainLen[head] as number;
    for (let i = 1; i < n; i++) idx = this._next[idx] as number;
    this._next[idx] = this._freeHead;
    this._freeHead = head;
    this._numFree += n;
    this._token[head] = -1;
  }
}
