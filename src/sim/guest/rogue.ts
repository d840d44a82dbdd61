import type { RogueBuffer, RogueDescriptor } from '../actions';
import { EVENTQ, IRQ_REQUEST_GPIO, REQUEST_GPIO, REQUEST_TYPE, REQUEST_VALUE, REQUESTQ } from '../gpio/constants';
import type { GuestMemory } from '../memory';
import type { SimContext } from '../sim-context';
import { TK } from '../trace/kinds';
import type { DriverQueue } from '../virtio/driver-queue';

/** Tokens of chains the misbehaving driver added: far above any line number the real driver uses. */
export const ROGUE_TOKEN_BASE = 0x4000_0000;

/** Scratch buffers in the misbehaving driver's own corner of guest memory, used round-robin. */
export const ROGUE_SLOTS = 16;
export const ROGUE_SLOT_SIZE = 256;
/** The corner's size: the slots, plus room for the longest buffer a step may declare past the last slot. */
export const ROGUE_AREA = ROGUE_SLOTS * ROGUE_SLOT_SIZE + 4096;

/** What the misbehaving driver needs: the real driver's queues and the device's doorbell. */
export interface RoguePorts {
  queue(q: number): DriverQueue | null;
  notify(q: number): void;
}

/**
 * A misbehaving guest driver on demand: it puts traffic Linux never sends on the
 * REAL rings, next to the real driver's own. Well-formed-but-wrong chains go
 * through DriverQueue.addChain (the ring's own code, so the free list and the
 * avail index stay consistent); deliberately broken ones (descriptor loops,
 * out-of-range addresses or heads, an avail index jump) are raw memory writes
 * through DriverQueue.writeRawDesc/publishRaw. Each injection always notifies.
 * Nothing it does throws: a queue that is not set up, broken or full is traced
 * as "could not publish" (head -1).
 */
export class RogueDriver {
  private readonly _ctx: SimContext;
  private readonly _mem: GuestMemory;
  private readonly _ports: RoguePorts;
  private readonly _base: number;
  private _slot = 0;
  private _token = 0;
  /** Chains added through the ring's own code, and those of them the device gave back. */
  added = 0;
  returned = 0;

  constructor(ctx: SimContext, mem: GuestMemory, ports: RoguePorts, base: number) {
    this._ctx = ctx;
    this._mem = mem;
    this._ports = ports;
    this._base = base;
  }

  /** A requestq message with any type, gpio, value and buffer sizes and flags. */
  request(type: number, gpio: number, value: number, req: RogueBuffer, resp: RogueBuffer): void {
    const r = this._scratch();
    this._mem.setLe16(r + REQUEST_TYPE, type & 0xffff);
    this._mem.setLe16(r + REQUEST_GPIO, gpio & 0xffff);
    this._mem.setLe32(r + REQUEST_VALUE, value >>> 0);
    this._add(REQUESTQ, r, req, this._scratch(), resp);
  }

  /** An eventq buffer pair for any line, of any shape. */
  event(gpio: number, req: RogueBuffer, resp: RogueBuffer): void {
    const r = this._scratch();
    this._mem.setLe16(r + IRQ_REQUEST_GPIO, gpio & 0xffff);
    this._add(EVENTQ, r, req, this._scratch(), resp);
  }

  /** Descriptors written exactly as given, then `head` published with the avail index moved by 1 + `jump`. */
  chain(q: number, descs: readonly RogueDescriptor[], head: number, jump: number): void {
    const dq = this._ports.queue(q);
    if (!dq) {
      this._ctx.emit(TK.RoguePublish, -1, q, -1, 0);
      return;
    }
    for (const d of descs) {
      const addr = d.addr ?? this._scratch();
      const index = d.index & (dq.layout.size - 1);
      dq.writeRawDesc(index, addr, d.len, d.flags, d.next);
      this._ctx.emit(TK.RogueDesc, index, q | ((d.flags & 0xfff) << 4) | ((d.next & 0x7fff) << 16), addr | 0, d.len | 0);
    }
    const idx = dq.publishRaw(head, jump);
    this._ctx.emit(TK.RoguePublish, -1, q, head, idx);
    this._ports.notify(q);
  }

  /**
   * The real driver took a used entry carrying one of our tokens. Linux would
   * treat the token as its own per-line structure (gpio-virtio trusts every token
   * on its queues), which is memory corruption; the model's driver hands it here.
   */
  foreignUsed(): void {
    this.returned++;
  }

  private _add(q: number, reqAddr: number, req: RogueBuffer, respAddr: number, resp: RogueBuffer): void {
    const dq = this._ports.queue(q);
    const token = ROGUE_TOKEN_BASE + (this._token++ & 0xfff_ffff);
    const head = dq ? dq.addChain([{ addr: reqAddr, len: req.len, write: req.write }, { addr: respAddr, len: resp.len, write: resp.write }], token) : -1;
    if (head >= 0) {
      this.added++;
      this._ctx.emit(TK.RingAdd, -1, q, head, dq!.availIdx);
    }
    this._ctx.emit(TK.RoguePublish, -1, q, head, dq ? dq.availIdx : 0);
    if (head >= 0) this._ports.notify(q);
  }

  private _scratch(): number {
    const addr = this._base + this._slot * ROGUE_SLOT_SIZE;
    this._slot = (this._slot + 1) % ROGUE_SLOTS;
    this._mem.bytes.fill(0, addr, addr + ROGUE_SLOT_SIZE);
    return addr;
  }
}
