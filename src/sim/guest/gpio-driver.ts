import {
  CONFIG_NAMES_SIZE,
  CONFIG_NGPIO,
  DIRECTION_NONE,
  EVENTQ,
  IRQ_REQUEST_GPIO,
  IRQ_REQUEST_SIZE,
  IRQ_RESPONSE_SIZE,
  IRQ_STATUS_INVALID,
  IRQ_STATUS_VALID,
  IRQ_TYPE_NONE,
  MSG_GET_DIRECTION,
  MSG_GET_LINE_NAMES,
  MSG_SET_IRQ_TYPE,
  REQUEST_GPIO,
  REQUEST_SIZE,
  REQUEST_TYPE,
  REQUEST_VALUE,
  REQUESTQ,
  RESPONSE_SIZE,
  RESPONSE_STATUS,
  RESPONSE_VALUE,
  STATUS_OK,
  VIRTIO_GPIO_F_IRQ,
  isValidIrqType,
} from '../gpio/constants';
import { decodeNames } from '../gpio/names';
import type { GpioDevice } from '../gpio/device';
import type { GuestMemory } from '../memory';
import type { SimContext } from '../sim-context';
import { TK } from '../trace/kinds';
import {
  F_RING_EVENT_IDX,
  F_VERSION_1,
  STATUS_ACKNOWLEDGE,
  STATUS_DRIVER,
  STATUS_DRIVER_OK,
  STATUS_FEATURES_OK,
  hasFeature,
} from '../virtio/constants';
import { DriverQueue, GET_BROKEN, GET_NONE } from '../virtio/driver-queue';
import { allocRing } from '../virtio/ring-layout';
import type { GuestInterruptSink } from '../virtio/transport-irq';
import { namesOf } from '../vocabulary';
import { DriverWarning, EINVAL, ENOSPC } from './warnings';

/** Who asked for a request; completions go back to them. */
const Owner = { Probe: 1, Bus: 2, MaskType: 3, Gpiolib: 4 } as const;

/** The irq_chip callback that changed the flags (traced with DrvFlags). */
export const Callback = { Enable: 1, Disable: 2, Mask: 3, Unmask: 4, SetType: 5, Ack: 6, Eoi: 7, EventqCallback: 8, SyncUnlock: 9, Prepare: 10 } as const;
/** What Linux calls each callback. */
export const CALLBACK_NAMES: Readonly<Record<number, string>> = {
  [Callback.Enable]: 'irq_enable',
  [Callback.Disable]: 'irq_disable',
  [Callback.Mask]: 'irq_mask',
  [Callback.Unmask]: 'irq_unmask',
  [Callback.SetType]: 'irq_set_type',
  [Callback.Ack]: 'irq_ack',
  [Callback.Eoi]: 'irq_eoi',
  [Callback.EventqCallback]: 'eventq callback',
  [Callback.SyncUnlock]: 'bus_sync_unlock',
  [Callback.Prepare]: 'prepare (queue buffer)',
};

/** Bits of the DrvFlags trace event: struct vgpio_irq_line's flags, named as Linux names them. */
export const Flag = { Disabled: 1, Masked: 2, Queued: 4, UpdatePending: 8, QueuePending: 16 } as const;
export const FLAGS = namesOf(Flag, 'snake');

/** The set flags of a DrvFlags bit field, by name ("-" when none is set). */
export function flagNames(bits: number): string {
  const f = FLAGS.names.filter((n) => bits & (FLAGS.code[n] as number));
  return f.length ? f.join(' ') : '-';
}

/** Guest-side variants of the driver (scenario settings). */
export interface DriverVariant {
  /** How mask/unmask is done: a local flag (Linux), or SET_IRQ_TYPE NONE / type (the V8 "mask = NONE" reading). */
  mask: 'flag' | 'none-type';
  /** Negotiate VIRTIO_RING_F_EVENT_IDX when the device offers it. */
  eventIdx: boolean;
}

/** Where a finished gpiolib call goes: gpiolib. */
export interface CallCompletion {
  /** result >= 0 is the value, < 0 an errno. */
  callDone(cookie: number, result: number): void;
}

/** Where VALID interrupts go, and who holds the bus lock during a SET_IRQ_TYPE: the irq core. */
export interface IrqEntry {
  /** The eventq callback decided to hand a VALID interrupt on (generic_handle_domain_irq). */
  handleIrq(line: number): void;
  /** bus_sync_unlock finished its traffic. */
  syncUnlockDone(line: number): void;
}

/** Follows eventq buffers on the driver side (the oracle's in-flight bookkeeping). */
export interface EventPipeline {
  eventQueued(line: number): void;
  /** An eventq buffer was taken off the used ring with this status. */
  eventConsumed(line: number, status: number): void;
}

/** The rest of the guest, connected once it is built (gpiolib and the irq core are made after the chip). */
export interface DriverLinks {
  gpiolib: CallCompletion;
  irq: IrqEntry;
  pipeline: EventPipeline | null;
  /** Probe finished: 0 when the chip is registered, else an errno. */
  probed(result: number): void;
}

const UNCONNECTED: DriverLinks = {
  gpiolib: { callDone: () => {} },
  irq: { handleIrq: () => {}, syncUnlockDone: () => {} },
  pipeline: null,
  probed: () => {},
};

interface PendingCall {
  msg: number;
  value: number;
  rxLen: number;
  owner: number;
  cookie: number;
}

const PROBE_NAMES = -1;
/** Linux keeps each line's request and response ____cacheline_aligned (DMA safety): so does the model. */
const CACHELINE = 64;

/**
 * The toy guest driver, after Linux drivers/gpio/gpio-virtio.c. Per line it
 * owns preallocated request/response buffers and allows one request in flight
 * (the line mutex); the irq_chip callbacks only change flags, and
 * bus_sync_unlock sends SET_IRQ_TYPE before queueing the eventq buffer. It reads
 * every answer back from guest memory, exactly as the device left it.
 */
export class VirtioGpioDriver implements GuestInterruptSink {
  private readonly _ctx: SimContext;
  private readonly _mem: GuestMemory;
  private readonly _dev: GpioDevice;
  private _links: DriverLinks = UNCONNECTED;
  readonly variant: DriverVariant;
  private readonly _queueSize: number;

  ngpio = 0;
  namesSize = 0;
  names: string[] | null = null;
  hasIrq = false;
  eventIdx = false;
  ready = false;
  probeError = 0;
  requestq: DriverQueue | null = null;
  eventq: DriverQueue | null = null;
  /**
   * Where used entries go whose token is not one of this driver's lines (chains a
   * misbehaving driver put on the same rings). Linux's callbacks would take such a
   * token for their own per-line structure (memory corruption); the model skips it.
   */
  foreign: ((q: number, token: number, len: number) => void) | null = null;

  // Per-line request channel (struct virtio_gpio_line).
  private _reqAddr = new Float64Array(0);
  private _resAddr = new Float64Array(0);
  private _namesRes = 0;
  private _busy = new Uint8Array(0);
  private _curMsg = new Uint16Array(0);
  private _curRxLen = new Uint32Array(0);
  private _curOwner = new Uint8Array(0);
  private _curCookie = new Int32Array(0);
  private _curRes = new Float64Array(0);
  private _waiting: (PendingCall[] | undefined)[] = [];

  // Per-line irq state (struct vgpio_irq_line).
  type = new Uint8Array(0);
  disabled = new Uint8Array(0);
  masked = new Uint8Array(0);
  queued = new Uint8Array(0);
  updatePending = new Uint8Array(0);
  queuePending = new Uint8Array(0);
  private _ireq = new Float64Array(0);
  private _ires = new Float64Array(0);

  /** Request round trips completed (for benchmarks and the report). */
  completed = 0;
  warnings = 0;
  private _probeLine = 0;

  constructor(ctx: SimContext, mem: GuestMemory, dev: GpioDevice, variant: DriverVariant, queueSize: number) {
    this._ctx = ctx;
    this._mem = mem;
    this._dev = dev;
    this.variant = variant;
    this._queueSize = queueSize;
  }

  /** Connects the rest of the guest; call once, before probe(). */
  connect(links: DriverLinks): void {
    this._links = links;
  }

  // ---- probe ----------------------------------------------------------------------

  /** virtio core + virtio_gpio_probe: status handshake, features, config, queues, names, directions. */
  probe(): void {
    const dev = this._dev;
    dev.writeStatus(0);
    dev.writeStatus(STATUS_ACKNOWLEDGE);
    dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    const wantLo = (1 << VIRTIO_GPIO_F_IRQ) | (this.variant.eventIdx ? 1 << F_RING_EVENT_IDX : 0);
    const wantHi = 1 << (F_VERSION_1 - 32);
    dev.setDriverFeatures(dev.offered.lo & wantLo, dev.offered.hi & wantHi);
    dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    if ((dev.status & STATUS_FEATURES_OK) === 0) return this._probeFailed(EINVAL);
    this.hasIrq = hasFeature(dev.acked.lo, dev.acked.hi, VIRTIO_GPIO_F_IRQ);
    this.eventIdx = hasFeature(dev.acked.lo, dev.acked.hi, F_RING_EVENT_IDX);

    // virtio_cread16 / virtio_cread32, byte by byte through the config window.
    const rd = (o: number): number => dev.readConfig8(o);
    this.ngpio = rd(CONFIG_NGPIO) | (rd(CONFIG_NGPIO + 1) << 8);
    this.namesSize =
      (rd(CONFIG_NAMES_SIZE) | (rd(CONFIG_NAMES_SIZE + 1) << 8) | (rd(CONFIG_NAMES_SIZE + 2) << 16) | (rd(CONFIG_NAMES_SIZE + 3) << 24)) >>> 0;
    if (this.ngpio === 0) return this._probeFailed(EINVAL); // "Number of GPIOs can't be zero"

    const n = this.ngpio;
    const mem = this._mem;
    this._reqAddr = new Float64Array(n);
    this._resAddr = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this._reqAddr[i] = mem.alloc(REQUEST_SIZE, CACHELINE);
      this._resAddr[i] = mem.alloc(RESPONSE_SIZE, CACHELINE);
    }
    this._busy = new Uint8Array(n);
    this._curMsg = new Uint16Array(n);
    this._curRxLen = new Uint32Array(n);
    this._curOwner = new Uint8Array(n);
    this._curCookie = new Int32Array(n);
    this._curRes = new Float64Array(n);
    this._waiting = new Array(n);
    this.type = new Uint8Array(n);
    this.disabled = new Uint8Array(n).fill(1);
    this.masked = new Uint8Array(n).fill(1);
    this.queued = new Uint8Array(n);
    this.updatePending = new Uint8Array(n);
    this.queuePending = new Uint8Array(n);

    this.requestq = new DriverQueue(mem, allocRing(mem, this._queueSize), this.eventIdx, this._ctx.tables ?? null);
    dev.setupQueue(REQUESTQ, this.requestq.layout);
    if (this.hasIrq) {
      this._ireq = new Float64Array(n);
      this._ires = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        this._ireq[i] = mem.alloc(IRQ_REQUEST_SIZE, CACHELINE);
        this._ires[i] = mem.alloc(IRQ_RESPONSE_SIZE, CACHELINE);
      }
      this.eventq = new DriverQueue(mem, allocRing(mem, this._queueSize), this.eventIdx, this._ctx.tables ?? null);
      dev.setupQueue(EVENTQ, this.eventq.layout);
    }
    dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);

    if (this.namesSize > 0) {
      this._namesRes = mem.alloc(1 + this.namesSize, CACHELINE);
      this._enqueue(0, MSG_GET_LINE_NAMES, 0, 1 + this.namesSize, Owner.Probe, PROBE_NAMES);
    } else {
      this._probeDirections();
    }
  }

  // ---- requests -------------------------------------------------------------------

  /** A gpiolib call (one message); the result comes back through host.callDone(cookie, result). */
  call(line: number, msg: number, value: number, cookie: number): void {
    this._enqueue(line, msg, value, RESPONSE_SIZE, Owner.Gpiolib, cookie);
  }

  /** Messages waiting for the line's request slot (not counting the one in flight). */
  waiting(line: number): number {
    return this._waiting[line]?.length ?? 0;
  }

  busy(line: number): boolean {
    return this._busy[line] === 1;
  }

  private _enqueue(line: number, msg: number, value: number, rxLen: number, owner: number, cookie: number): void {
    if (this._busy[line]) {
      // mutex_lock(&line->lock): wait behind the request already in flight on this line.
      (this._waiting[line] ??= []).push({ msg, value, rxLen, owner, cookie });
      return;
    }
    this._start(line, msg, value, rxLen, owner, cookie);
  }

  private _start(line: number, msg: number, value: number, rxLen: number, owner: number, cookie: number): void {
    const mem = this._mem;
    const req = this._reqAddr[line] as number;
    const res = msg === MSG_GET_LINE_NAMES ? this._namesRes : (this._resAddr[line] as number);
    mem.setLe16(req + REQUEST_TYPE, msg);
    mem.setLe16(req + REQUEST_GPIO, line);
    mem.setLe32(req + REQUEST_VALUE, value);
    this._busy[line] = 1;
    this._curMsg[line] = msg;
    this._curRxLen[line] = rxLen;
    this._curOwner[line] = owner;
    this._curCookie[line] = cookie;
    this._curRes[line] = res;
    const rq = this.requestq as DriverQueue;
    const head = rq.addPair(req, REQUEST_SIZE, res, rxLen, line);
    if (head < 0) {
      this._warn(line, DriverWarning.RequestqAddFailed);
      this._finish(line, ENOSPC);
      return;
    }
    this._ctx.emit(TK.RingAdd, line, REQUESTQ, head, rq.availIdx);
    this._kick(rq, REQUESTQ, line);
  }

  private _kick(q: DriverQueue, index: number, line: number): void {
    const notify = q.kickPrepare();
    this._ctx.emit(TK.RingKick, line, index, q.availIdx, notify ? 1 : 0);
    if (notify) this._dev.notify(index);
  }

  /** The request on `line` came back with `rxLen` bytes written: read the answer from memory. */
  private _complete(line: number, rxLen: number): void {
    const res = this._curRes[line] as number;
    const status = this._mem.u8(res + RESPONSE_STATUS);
    const value = rxLen >= RESPONSE_SIZE ? this._mem.u8(res + RESPONSE_VALUE) : 0;
    const msg = this._curMsg[line] as number;
    this._ctx.emit(TK.MsgDone, line, msg, status | (value << 8), rxLen);
    let result: number;
    if (status !== STATUS_OK) {
      this._warn(line, DriverWarning.RequestFailed);
      result = EINVAL;
    } else if (rxLen !== (this._curRxLen[line] as number)) {
      this._warn(line, DriverWarning.IncorrectLen);
      result = EINVAL;
    } else {
      result = value;
    }
    this.completed++;
    this._finish(line, result);
  }

  private _finish(line: number, result: number): void {
    const owner = this._curOwner[line] as number;
    const cookie = this._curCookie[line] as number;
    this._busy[line] = 0;
    // Release the line before telling the owner, who may send the next message at once.
    const next = this._waiting[line]?.shift();
    if (next) this._start(line, next.msg, next.value, next.rxLen, next.owner, next.cookie);
    switch (owner) {
      case Owner.Gpiolib:
        this._links.gpiolib.callDone(cookie, result);
        return;
      case Owner.Probe:
        return this._probeStep(cookie, result);
      case Owner.Bus:
        return this._syncUnlockTypeSent(line);
      case Owner.MaskType:
        if (cookie === 1) this.prepare(line); // unmask by type: queue once the type is back on.
        return;
    }
  }

  // ---- interrupts from the transport ----------------------------------------------

  queueInterrupt(q: number): void {
    this._ctx.emit(TK.IrqVqCallback, -1, q, 0, 0);
    if (q === REQUESTQ) this._requestqCallback();
    else if (q === EVENTQ && this.eventq) this._eventqCallback();
  }

  configInterrupt(): void {
    this._warn(-1, DriverWarning.ConfigChange);
  }

  /** virtio_gpio_request_vq: complete every used request. */
  private _requestqCallback(): void {
    const rq = this.requestq;
    if (!rq) return;
    for (;;) {
      const line = rq.getBuf();
      if (line === GET_NONE) return;
      if (line === GET_BROKEN) {
        this._warn(-1, DriverWarning.QueueBroken);
        return;
      }
      if (line >= this.ngpio) {
        this._ctx.emit(TK.RingGet, -1, REQUESTQ, rq.lastHead, rq.lastLen);
        this.foreign?.(REQUESTQ, line, rq.lastLen);
        continue;
      }
      this._ctx.emit(TK.RingGet, line, REQUESTQ, rq.lastHead, rq.lastLen);
      this._complete(line, rq.lastLen);
    }
  }

  /** virtio_gpio_event_vq: take each returned eventq buffer and decide whether it is an interrupt. */
  private _eventqCallback(): void {
    const eq = this.eventq as DriverQueue;
    for (;;) {
      const line = eq.getBuf();
      if (line === GET_NONE) return;
      if (line === GET_BROKEN) {
        this._warn(-1, DriverWarning.QueueBroken);
        return;
      }
      const len = eq.lastLen;
      if (line >= this.ngpio) {
        this._ctx.emit(TK.RingGet, -1, EVENTQ, eq.lastHead, len);
        this.foreign?.(EVENTQ, line, len);
        continue;
      }
      // The line comes from which buffer this is, never from data the device wrote.
      const status = this._mem.u8(this._ires[line] as number);
      this._ctx.emit(TK.RingGet, line, EVENTQ, eq.lastHead, len);
      this._ctx.emit(TK.EvqDone, line, status, 0, len);
      this._links.pipeline?.eventConsumed(line, status);
      if (len !== IRQ_RESPONSE_SIZE) {
        // Linux logs and moves on with `queued` still set: the line's interrupt is dead (S-N2).
        this._warn(line, DriverWarning.IrqIncorrectLen);
        continue;
      }
      if (this._ignoreIrq(line, status)) continue;
      this._links.irq.handleIrq(line);
    }
  }

  /** ignore_irq(): the buffer is back with the driver; drop, re-queue INVALID, or pass VALID on. */
  private _ignoreIrq(line: number, status: number): boolean {
    this.queued[line] = 0;
    this._flags(line, Callback.EventqCallback);
    if (this.masked[line] || this.disabled[line]) return true;
    if (status === IRQ_STATUS_INVALID) {
      // Returned because the interrupt was disabled earlier but is enabled again now.
      this.prepare(line);
      return true;
    }
    if (status !== IRQ_STATUS_VALID) {
      this._warn(line, DriverWarning.IrqBadStatus);
      return true;
    }
    return false;
  }

  // ---- irq_chip callbacks ---------------------------------------------------------

  irqEnable(line: number): void {
    this.disabled[line] = 0;
    this.masked[line] = 0;
    this.queuePending[line] = 1;
    this.updatePending[line] = 1;
    this._flags(line, Callback.Enable);
  }

  irqDisable(line: number): void {
    this.disabled[line] = 1;
    this.masked[line] = 1;
    this.queuePending[line] = 0;
    this.updatePending[line] = 1;
    this._flags(line, Callback.Disable);
  }

  irqMask(line: number): void {
    this.masked[line] = 1;
    this._flags(line, Callback.Mask);
    if (this.variant.mask === 'none-type' && this.type[line] !== IRQ_TYPE_NONE) {
      this._enqueue(line, MSG_SET_IRQ_TYPE, IRQ_TYPE_NONE, RESPONSE_SIZE, Owner.MaskType, 0);
      this._ctx.emit(TK.DrvIrqTypeSent, line, IRQ_TYPE_NONE, Callback.Mask, 0);
    }
  }

  irqUnmask(line: number): void {
    this.masked[line] = 0;
    this._flags(line, Callback.Unmask);
    if (this.variant.mask === 'none-type' && this.type[line] !== IRQ_TYPE_NONE) {
      const t = this.disabled[line] ? IRQ_TYPE_NONE : (this.type[line] as number);
      this._enqueue(line, MSG_SET_IRQ_TYPE, t, RESPONSE_SIZE, Owner.MaskType, 1);
      this._ctx.emit(TK.DrvIrqTypeSent, line, t, Callback.Unmask, 0);
      return;
    }
    // "Queue the buffer unconditionally on unmask": the re-queue is the end of interrupt.
    this.prepare(line);
  }

  /** irq_set_type: virtio types map 1:1 from Linux's; anything else is -EINVAL. */
  irqSetType(line: number, t: number): number {
    if (!isValidIrqType(t) || t === IRQ_TYPE_NONE) {
      this._warn(line, DriverWarning.UnsupportedType);
      return EINVAL;
    }
    this.type[line] = t;
    this.updatePending[line] = 1;
    this._flags(line, Callback.SetType);
    return 0;
  }

  /** irq_ack for the edge-flow variant: re-queue before the handler runs. */
  irqAck(line: number): void {
    this._flags(line, Callback.Ack);
    if (!this.queued[line] && !this.masked[line] && !this.disabled[line]) this.prepare(line);
  }

  /** irq_eoi for the fasteoi-flow variant: re-queue unless masked (a oneshot thread still owns the line). */
  irqEoi(line: number): void {
    this._flags(line, Callback.Eoi);
    if (!this.queued[line] && !this.masked[line] && !this.disabled[line]) this.prepare(line);
  }

  /**
   * irq_bus_sync_unlock: send the owed SET_IRQ_TYPE (NONE when disabled) and
   * wait for it, ignoring its status, then queue the buffer if an enable is
   * pending. Returns true when there was nothing to send (done at once).
   */
  busSyncUnlock(line: number): boolean {
    if (!this.updatePending[line]) return true;
    this.updatePending[line] = 0;
    const t = this.disabled[line] ? IRQ_TYPE_NONE : (this.type[line] as number);
    this._ctx.emit(TK.DrvIrqTypeSent, line, t, Callback.SyncUnlock, 0);
    this._enqueue(line, MSG_SET_IRQ_TYPE, t, RESPONSE_SIZE, Owner.Bus, 0);
    return false;
  }

  private _syncUnlockTypeSent(line: number): void {
    if (this.queuePending[line]) {
      this.queuePending[line] = 0;
      this.prepare(line);
    }
    this._flags(line, Callback.SyncUnlock);
    this._links.irq.syncUnlockDone(line);
  }

  /** virtio_gpio_irq_prepare: queue the line's {irq request, irq response} pair. */
  prepare(line: number): void {
    if (this.queued[line] || this.masked[line] || this.disabled[line]) {
      this._warn(line, DriverWarning.PrepareWarn);
      return;
    }
    const eq = this.eventq;
    if (!eq) return;
    const ireq = this._ireq[line] as number;
    const ires = this._ires[line] as number;
    this._mem.setLe16(ireq + IRQ_REQUEST_GPIO, line);
    const head = eq.addPair(ireq, IRQ_REQUEST_SIZE, ires, IRQ_RESPONSE_SIZE, line);
    if (head < 0) {
      this._warn(line, DriverWarning.EventqAddFailed);
      return;
    }
    this.queued[line] = 1;
    this._links.pipeline?.eventQueued(line);
    this._ctx.emit(TK.RingAdd, line, EVENTQ, head, eq.availIdx);
    this._flags(line, Callback.Prepare);
    this._kick(eq, EVENTQ, line);
  }

  // ---- probe steps ----------------------------------------------------------------

  private _probeStep(step: number, result: number): void {
    if (step === PROBE_NAMES) {
      if (result < 0) {
        this._warn(0, DriverWarning.GetNamesFailed);
      } else {
        const block = this._mem.bytes.slice(this._namesRes + 1, this._namesRes + 1 + this.namesSize);
        this.names = decodeNames(block, this.ngpio);
        if (this.names === null) this._warn(0, DriverWarning.NamesTooShort);
      }
      this._probeDirections();
      return;
    }
    // gpiochip_add_data asks each line's direction once.
    this._dirResult[step] = result;
    this._probeLine = step + 1;
    this._probeNextDirection();
  }

  /** Directions read at probe: >= 0 a virtio direction, < 0 an errno. */
  private _dirResult = new Int32Array(0);

  directionAtProbe(line: number): number {
    return this._dirResult[line] ?? DIRECTION_NONE;
  }

  private _probeDirections(): void {
    this._dirResult = new Int32Array(this.ngpio);
    this._probeLine = 0;
    this._probeNextDirection();
  }

  private _probeNextDirection(): void {
    if (this._probeLine >= this.ngpio) {
      this.ready = true;
      this._links.probed(0);
      return;
    }
    this._enqueue(this._probeLine, MSG_GET_DIRECTION, 0, RESPONSE_SIZE, Owner.Probe, this._probeLine);
  }

  private _probeFailed(errno: number): void {
    this.probeError = errno;
    this._warn(-1, DriverWarning.ProbeFailed);
    this._links.probed(errno);
  }

  // ---- tracing --------------------------------------------------------------------

  flagBits(line: number): number {
    return (
      (this.disabled[line] ? Flag.Disabled : 0) |
      (this.masked[line] ? Flag.Masked : 0) |
      (this.queued[line] ? Flag.Queued : 0) |
      (this.updatePending[line] ? Flag.UpdatePending : 0) |
      (this.queuePending[line] ? Flag.QueuePending : 0)
    );
  }

  private _flags(line: number, cb: number): void {
    this._ctx.emit(TK.DrvFlags, line, this.flagBits(line), cb, this.type[line] as number);
  }

  private _warn(line: number, w: number): void {
    this.warnings++;
    this._ctx.emit(TK.DrvWarn, line, w, 0, 0);
  }
}
