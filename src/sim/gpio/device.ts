import { f64From, TypedBlock } from '../typed-block';
import {
  CONFIG_NAMES_SIZE,
  CONFIG_NGPIO,
  CONFIG_PADDING,
  CONFIG_SIZE,
  DIRECTION_IN,
  DIRECTION_NONE,
  DIRECTION_OUT,
  EVENTQ,
  IRQ_REQUEST_GPIO,
  IRQ_REQUEST_SIZE,
  IRQ_RESPONSE_SIZE,
  IRQ_STATUS_INVALID,
  IRQ_STATUS_VALID,
  IRQ_TYPE_NONE,
  MSG_GET_DIRECTION,
  MSG_GET_LINE_NAMES,
  MSG_GET_VALUE,
  MSG_SET_DIRECTION,
  MSG_SET_IRQ_TYPE,
  MSG_SET_VALUE,
  REQUEST_GPIO,
  REQUEST_SIZE,
  REQUEST_TYPE,
  REQUEST_VALUE,
  REQUESTQ,
  RESPONSE_SIZE,
  STATUS_ERR,
  STATUS_OK,
  VIRTIO_GPIO_F_IRQ,
  edgeQualifies,
  isEdgeType,
  isLevelType,
  isValidIrqType,
  levelActive,
} from './constants';
import { encodeNames } from './names';
import { HOST_WAIT_NS, crashesOn, type DeviceConfig } from './policies';
import type { GuestMemory } from '../memory';
import { EV, type SimContext } from '../sim-context';
import { Chain, DeviceQueue, RingFault } from '../virtio/device-queue';
import type { RingLayout } from '../virtio/ring-layout';
import { F_RING_EVENT_IDX, F_VERSION_1, STATUS_DEVICE_NEEDS_RESET, STATUS_DRIVER_OK, hasFeature, withFeature } from '../virtio/constants';
import { writeStatus, type StatusWrite } from '../virtio/device-status';
import { DeliveryResult, EventCause, SinkState, TK } from '../trace/kinds';
import { Failure, Malformed, type DeviceInterrupts, type DeviceLines, type DeviceObserver, type EventqWatcher } from './device-ports';

export { Failure, Malformed, MALFORMED_TEXT } from './device-ports';
export type { DeviceInterrupts, DeviceLines, DeviceObserver, EventqWatcher } from './device-ports';

/**
 * The virtio-gpio device (virtio 1.2 section 5.18, and the V8 patch): config
 * space, the requestq with all six messages, the eventq with one buffer pair per
 * line, and per-line interrupt state. Everything it reads and writes goes
 * through guest memory; what it does where implementations differ is set by
 * DevicePolicy. Bad input never throws: it is answered ERR, or the device fails
 * the way the policy says, and the observer is told which rule was broken.
 */
export class GpioDevice {
  readonly cfg: DeviceConfig;
  private readonly _ctx: SimContext;
  private readonly _mem: GuestMemory;
  private readonly _lines: DeviceLines;
  private readonly _irq: DeviceInterrupts;
  private readonly _watch: EventqWatcher | null;
  obs: DeviceObserver | null = null;

  readonly config = new Uint8Array(CONFIG_SIZE);
  readonly namesBlock: Uint8Array;
  readonly offered = { lo: 0, hi: 0 };
  readonly acked = { lo: 0, hi: 0 };
  status = 0;
  /** Non-null once the device stopped working; says why. */
  failure: number = 0;

  readonly queues: (DeviceQueue | null)[] = [null, null];
  private _chain: Chain;
  private readonly _wakePending = new Uint8Array(2);

  // Per-line state, in typed arrays because the event paths touch it constantly.
  readonly direction: Uint8Array;
  readonly outValue: Uint8Array;
  /** SET_VALUE seen since the line was last deactivated (the spec's "set value before output"). */
  readonly valueSet: Uint8Array;
  /** The trigger type the driver configured (NONE = interrupt disabled). */
  readonly irqType: Uint8Array;
  /** The edges the device watches: equals irqType, except that with `onNone: lazy` detection stays on after NONE. */
  readonly detectType: Uint8Array;
  /** The last non-NONE type, so an edge while disabled can be recorded as masked (it would have interrupted). */
  readonly lastType: Uint8Array;
  /** Head of the eventq chain the device holds for the line, or -1. */
  readonly held: Int32Array;
  /** Address of the held chain's response byte. */
  readonly heldResp: Float64Array;
  /** With `onNone: lazy`, the held buffer is only a leftover to return INVALID on the next edge. */
  readonly zombie: Uint8Array;
  /** Pending edges: 0/1 for a single latch, up to the depth for a queue. */
  readonly latch: Uint16Array;
  /** Time of the oldest pending edge (for the monitors); -1 if none. */
  readonly latchedAt: Float64Array;
  /** With `hostRequest`: the line is requested on the host (SET_DIRECTION IN/OUT made the request). */
  readonly hostRequested: Uint8Array;
  /** With `hostRequest`: a dropped host request that the line's waiter still keeps alive (it holds the host line). */
  readonly hostLinger: Uint8Array;
  /** With `hostRequest`: when the waiter holding the line's buffer started waiting (its 1 s waits count from here). */
  private readonly _waitStart: Float64Array;
  /** Generation of the line's waiter, so a stale wait-end event is ignored. */
  private readonly _waitGen: Uint32Array;
  /** Level seen by edge detection (the last level the device sensed). */
  private readonly _sensed: Uint8Array;
  /** Same-line ordering: when the line's last queued message completes. */
  private readonly _lineBusyUntil: Float64Array;

  // Device-side interrupt event counters per line.
  readonly evDelivered: Uint32Array;
  readonly evCoalesced: Uint32Array;
  readonly evMasked: Uint32Array;
  readonly invalidReturns: Uint32Array;
  /** The last device-side delivery result per line (DeliveryResult), 255 before the first. */
  readonly lastResult: Uint8Array;
  readonly validReturns: Uint32Array;

  // In-flight requestq messages, completed in time order by RequestDone events.
  private _slotHead: Int32Array;
  private _slotType: Uint16Array;
  private _slotGpio: Uint16Array;
  private _slotValue: Uint32Array;
  private _slotResp: Float64Array;
  private _slotRespLen: Uint32Array;
  private _slotFree: number[] = [];
  /** eventq: where each head's response byte is, for returns already decided. */
  private _eventResp: Float64Array;

  constructor(ctx: SimContext, mem: GuestMemory, cfg: DeviceConfig, lines: DeviceLines, irq: DeviceInterrupts, watch: EventqWatcher | null = null) {
    this._ctx = ctx;
    this._mem = mem;
    this.cfg = cfg;
    this._lines = lines;
    this._irq = irq;
    this._watch = watch;
    const n = cfg.ngpio;
    this.namesBlock = cfg.names ? encodeNames(cfg.names) : new Uint8Array(0);
    const cv = new DataView(this.config.buffer);
    cv.setUint16(CONFIG_NGPIO, n, true);
    cv.setUint16(CONFIG_PADDING, 0, true);
    cv.setUint32(CONFIG_NAMES_SIZE, this.namesBlock.length, true);

    withFeature(this.offered, F_VERSION_1);
    if (cfg.offerIrq) withFeature(this.offered, VIRTIO_GPIO_F_IRQ);
    if (cfg.offerEventIdx) withFeature(this.offered, F_RING_EVENT_IDX);

    this.direction = Uint8Array.from({ length: n }, (_, i) => cfg.initialDirection[i] ?? DIRECTION_IN);
    this.outValue = Uint8Array.from({ length: n }, (_, i) => cfg.initialValue[i] ?? 0);
    this.valueSet = new Uint8Array(n);
    this.irqType = new Uint8Array(n);
    this.detectType = new Uint8Array(n);
    this.lastType = new Uint8Array(n);
    this.held = new Int32Array(n).fill(-1);
    this.heldResp = new Float64Array(n);
    this.zombie = new Uint8Array(n);
    this.latch = new Uint16Array(n);
    this.latchedAt = new Float64Array(n).fill(-1);
    this.hostRequested = new Uint8Array(n);
    this.hostLinger = new Uint8Array(n);
    this._waitStart = new Float64Array(n);
    this._waitGen = new Uint32Array(n);
    this._sensed = new Uint8Array(n);
    this._lineBusyUntil = new Float64Array(n + 1);
    this.evDelivered = new Uint32Array(n);
    this.evCoalesced = new Uint32Array(n);
    this.evMasked = new Uint32Array(n);
    this.invalidReturns = new Uint32Array(n);
    this.lastResult = new Uint8Array(n).fill(255);
    this.validReturns = new Uint32Array(n);
    this._chain = new Chain(1, this._ctx.tables ?? null);
    this._slotHead = new Int32Array(0);
    this._slotType = new Uint16Array(0);
    this._slotGpio = new Uint16Array(0);
    this._slotValue = new Uint32Array(0);
    this._slotResp = new Float64Array(0);
    this._slotRespLen = new Uint32Array(0);
    this._eventResp = new Float64Array(0);
  }

  /** Called once the wire exists: the device senses each line's initial level. */
  senseInitial(): void {
    for (let i = 0; i < this.cfg.ngpio; i++) this._sensed[i] = (this._lines.level[i] as number);
  }

  // ---- Transport-facing registers -------------------------------------------------

  readConfig8(offset: number): number {
    return offset >= 0 && offset < CONFIG_SIZE ? (this.config[offset] as number) : 0;
  }

  setDriverFeatures(lo: number, hi: number): void {
    this.acked.lo = lo >>> 0;
    this.acked.hi = hi >>> 0;
  }

  negotiated(bit: number): boolean {
    return hasFeature(this.acked.lo, this.acked.hi, bit) && hasFeature(this.offered.lo, this.offered.hi, bit);
  }

  writeStatus(value: number): StatusWrite {
    const r = writeStatus(this.status, value, this.offered, this.acked);
    if (r.status !== this.status) this._ctx.emit(TK.DevStatus, -1, this.status, r.status, 0);
    this.status = r.status;
    return r;
  }

  /** The driver set up queue `q` at `layout` (transport queue registers); `start` resumes a stopped ring (vhost-user). */
  setupQueue(q: number, layout: RingLayout, start?: number): void {
    const dq = new DeviceQueue(this._mem, layout, start);
    dq.eventIdx = this.negotiated(F_RING_EVENT_IDX);
    dq.armAvailEvent();
    this.queues[q] = dq;
    const size = layout.size;
    if (this._chain.addr.length < size) this._chain = new Chain(size, this._ctx.tables ?? null);
    if (q === REQUESTQ) {
      const b = new TypedBlock(size, 6, this._ctx.tables ?? null);
      this._slotHead = b.i32();
      this._slotType = b.u16();
      this._slotGpio = b.u16();
      this._slotValue = b.u32();
      this._slotResp = b.f64();
      this._slotRespLen = b.u32();
      this._slotFree = [];
      for (let i = size - 1; i >= 0; i--) this._slotFree.push(i);
    } else {
      this._eventResp = f64From(this._ctx.tables ?? null, size);
    }
  }

  /** The driver's available-buffer notification for queue `q`. */
  notify(q: number): void {
    if (this._wakePending[q]) return; // One wake drains everything added meanwhile.
    this._wakePending[q] = 1;
    this._ctx.after(this._ctx.draw(this.cfg.latency.notify), EV.DeviceWake, q);
  }

  // ---- Event handlers (dispatched by the machine) ---------------------------------

  wake(q: number): void {
    this._wakePending[q] = 0;
    const dq = this.queues[q];
    if (!dq || !this._ready()) {
      const seq = this._ctx.emit(TK.DevFailure, -1, this.failure, q, 1);
      this.obs?.notReady(q, seq);
      return;
    }
    let stalled = false;
    for (;;) {
      const n = dq.pending();
      if (n < 0) return this._ringFault(q, dq.fault);
      if (n === 0) break;
      const chain = this._chain;
      const fault = dq.pop(chain);
      if (fault !== RingFault.None) return this._ringFault(q, fault);
      this._ctx.emit(TK.RingPop, -1, q, chain.head, chain.count);
      if (stalled) continue; // rust-vmm: after a bad chain the rest of the batch is never used.
      const ok = q === REQUESTQ ? this._takeRequest(chain) : this._takeEventBuffer(chain);
      if (!ok) {
        if (this.cfg.policy.malformed === 'stall') stalled = true;
        if (this.failure !== 0) return;
      }
    }
    dq.armAvailEvent();
  }

  /** A requestq message's processing time is over: act on it and answer. */
  requestDone(slot: number): void {
    this._slotFree.push(slot);
    if (this.failure !== 0) return;
    const head = this._slotHead[slot] as number;
    const type = this._slotType[slot] as number;
    const gpio = this._slotGpio[slot] as number;
    const value = this._slotValue[slot] as number;
    const resp = this._slotResp[slot] as number;
    const respLen = this._slotRespLen[slot] as number;
    let status: number = STATUS_OK;
    let out = 0;
    let usedLen = RESPONSE_SIZE;
    const p = this.cfg.policy;
    const exact = p.responseSize === 'exact';
    // An out-of-range gpio reaches here only under `badGpio: err`, or for a message
    // rust-vmm answers without indexing the line (see crashesOn in policies.ts).
    switch (gpio < this.cfg.ngpio || (exact && type === MSG_GET_LINE_NAMES) ? type : -1) {
      case MSG_GET_LINE_NAMES: {
        const n = this.namesBlock.length;
        usedLen = respLen;
        // rust-vmm (GpioController::operation) answers the names whatever gpio and value say.
        if (respLen !== 1 + n || (!exact && (n === 0 || gpio !== 0))) {
          status = STATUS_ERR;
          if (exact) this._writeErrPair(resp);
          else this._mem.bytes.fill(0, resp + 1, resp + respLen);
        } else {
          this._mem.bytes.set(this.namesBlock, resp + 1);
        }
        this._mem.setU8(resp, status);
        this._finishRequest(head, gpio, type, status, 0, usedLen, respLen);
        return;
      }
      case MSG_GET_DIRECTION:
        out = this.direction[gpio] as number;
        break;
      case MSG_SET_DIRECTION:
        status = this._setDirection(gpio, value);
        break;
      case MSG_GET_VALUE:
        // rust-vmm PhysDevice::value: ERR unless the line is requested on the host.
        if (p.hostRequest ? !this.hostRequested[gpio] : p.getNeedsDirection && this.direction[gpio] === DIRECTION_NONE) status = STATUS_ERR;
        else out = this.direction[gpio] === DIRECTION_OUT ? (this.outValue[gpio] as number) : (this._lines.level[gpio] as number);
        break;
      case MSG_SET_VALUE:
        if (value > 1) status = STATUS_ERR;
        else {
          this.outValue[gpio] = value;
          this.valueSet[gpio] = 1;
          if (this.direction[gpio] === DIRECTION_OUT) this._lines.setDevice(gpio, value);
        }
        break;
      case MSG_SET_IRQ_TYPE:
        status = this._setIrqType(gpio, value);
        break;
      default:
        status = STATUS_ERR;
    }
    if (exact) {
      // rust-vmm process_requests: the operation has run; a response buffer that is not
      // exactly 2 bytes gets [ERR, 0] (written even past a shorter buffer), and the used
      // length is always the buffer's length.
      if (respLen !== RESPONSE_SIZE) status = STATUS_ERR;
      if (status !== STATUS_OK) this._writeErrPair(resp);
      else {
        this._mem.setU8(resp, status);
        this._mem.setU8(resp + 1, out);
      }
      this._finishRequest(head, gpio, type, status, status === STATUS_OK ? out : 0, respLen, respLen);
      return;
    }
    this._mem.setU8(resp, status);
    // A device never writes past the buffer it was given: a 1-byte response
    // buffer (accepted for GET_LINE_NAMES) takes the status alone.
    if (respLen >= RESPONSE_SIZE) this._mem.setU8(resp + 1, status === STATUS_OK ? out : 0);
    else usedLen = respLen;
    this._finishRequest(head, gpio, type, status, out, usedLen, respLen);
  }

  /** [ERR, 0] at `resp`, as far as guest memory goes (rust-vmm writes both bytes whatever the buffer's size). */
  private _writeErrPair(resp: number): void {
    this._mem.setU8(resp, STATUS_ERR);
    if (this._mem.contains(resp + 1, 1)) this._mem.setU8(resp + 1, 0);
  }

  /** A decided eventq return reaches the used ring. */
  eventReturn(line: number, status: number, head: number): void {
    if (this.failure !== 0) return;
    const dq = this.queues[EVENTQ] as DeviceQueue;
    const resp = this._eventResp[head] as number;
    const fault = this.cfg.faults;
    const written = status === IRQ_STATUS_VALID && fault.eventqValidStatus !== undefined ? fault.eventqValidStatus : status;
    this._mem.setU8(resp, written);
    const usedLen = fault.eventqUsedLen ?? IRQ_RESPONSE_SIZE;
    this._ctx.emit(TK.EvqReturn, line, written, head, usedLen);
    dq.pushUsed(head, usedLen);
    const seq = this._ctx.emit(TK.RingPush, line, EVENTQ, head, usedLen);
    this.obs?.used(EVENTQ, line, usedLen, IRQ_RESPONSE_SIZE, seq);
    if (dq.needsNotification()) this._irq.raise(EVENTQ);
  }

  // ---- The wire -------------------------------------------------------------------

  /** The physical level of `line` changed (the wire tells): run edge and level detection. */
  levelChanged(line: number, level: number): void {
    const prev = this._sensed[line] as number;
    this._sensed[line] = level;
    if (prev === level || this.failure !== 0) return;
    if (this.direction[line] === DIRECTION_OUT) return; // No interrupts on outputs (5.18.6.8).
    const detect = this.detectType[line] as number;
    if (detect === IRQ_TYPE_NONE) {
      // Disabled: an edge or level that the previous configuration would have reported is dropped (5.18.6.9).
      const last = this.lastType[line] as number;
      if (isEdgeType(last) ? edgeQualifies(last, prev, level) : levelActive(last, level)) {
        this._irqEvent(line, DeliveryResult.Masked, isLevelType(last) ? EventCause.LevelActive : level ? EventCause.Rising : EventCause.Falling);
      }
      return;
    }
    if (isEdgeType(detect)) {
      if (edgeQualifies(detect, prev, level)) this._edge(line, level ? EventCause.Rising : EventCause.Falling);
      return;
    }
    if (levelActive(detect, level)) this._levelActive(line);
  }

  /** What a source querying this sink would learn (seed 000, Paul Brook): normal / latched / masked. */
  sinkState(line: number): number {
    const t = this.irqType[line] as number;
    if (t === IRQ_TYPE_NONE) return this.latch[line] ? SinkState.Latched : SinkState.Masked;
    if (this.latch[line]) return SinkState.Latched;
    if (isLevelType(t) && this.held[line] === -1) return SinkState.Masked;
    return SinkState.Normal;
  }

  // ---- requestq -------------------------------------------------------------------

  private _takeRequest(chain: Chain): boolean {
    const head = chain.head;
    if (chain.count !== 2 || chain.write[0] !== 0 || chain.write[1] !== 1) {
      return this._malformed(REQUESTQ, Malformed.ChainShape, chain);
    }
    if (chain.len[0] !== REQUEST_SIZE) return this._malformed(REQUESTQ, Malformed.RequestSize, chain);
    const req = chain.addr[0] as number;
    const type = this._mem.le16(req + REQUEST_TYPE);
    const gpio = this._mem.le16(req + REQUEST_GPIO);
    const value = this._mem.le32(req + REQUEST_VALUE);
    const resp = chain.addr[1] as number;
    const respLen = chain.len[1] as number;
    const seq = this._ctx.emit(TK.MsgRequest, gpio, type, value, head);
    this.obs?.request(gpio, type, value, head, seq);
    const minLen = type === MSG_GET_LINE_NAMES ? 1 : RESPONSE_SIZE;
    // rust-vmm checks only the descriptors' shape; a response of the wrong size is answered ERR (requestDone).
    if (respLen < minLen && this.cfg.policy.responseSize !== 'exact') return this._malformed(REQUESTQ, Malformed.ResponseSize, chain);
    const inRange = gpio < this.cfg.ngpio;
    if (!inRange && this.cfg.policy.badGpio === 'crash' && crashesOn(type, value)) {
      this._fail(Failure.Crashed);
      return false;
    }
    // Same line: answer in arrival order. Different lines: each message draws its own latency.
    const orderKey = inRange ? gpio : this.cfg.ngpio;
    let done = this._ctx.now + this._ctx.draw(this.cfg.latency.request);
    const busy = this._lineBusyUntil[orderKey] as number;
    if (done < busy) done = busy;
    this._lineBusyUntil[orderKey] = done;
    const slot = this._slotFree.pop() as number;
    this._slotHead[slot] = head;
    this._slotType[slot] = type;
    this._slotGpio[slot] = gpio;
    this._slotValue[slot] = value;
    this._slotResp[slot] = resp;
    this._slotRespLen[slot] = respLen;
    this._ctx.after(done - this._ctx.now, EV.RequestDone, slot);
    return true;
  }

  private _finishRequest(head: number, gpio: number, type: number, status: number, out: number, usedLen: number, respLen: number): void {
    const dq = this.queues[REQUESTQ] as DeviceQueue;
    const seq = this._ctx.emit(TK.MsgResponse, gpio, type, status | (out << 8), usedLen);
    this.obs?.response(gpio, type, status, usedLen, respLen, head, seq);
    dq.pushUsed(head, usedLen);
    const pushSeq = this._ctx.emit(TK.RingPush, gpio, REQUESTQ, head, usedLen);
    this.obs?.used(REQUESTQ, gpio, usedLen, respLen, pushSeq);
    if (dq.needsNotification()) this._irq.raise(REQUESTQ);
  }

  private _setDirection(line: number, dir: number): number {
    const before = this.direction[line] as number;
    const typeBefore = this.irqType[line] as number;
    const valueSetBefore = this.valueSet[line] === 1;
    let status: number = STATUS_OK;
    if (dir !== DIRECTION_NONE && dir !== DIRECTION_OUT && dir !== DIRECTION_IN) status = STATUS_ERR;
    // rust-vmm: a new host request for a line the old one (kept by the waiter) still holds fails (EBUSY).
    else if (dir !== DIRECTION_NONE && this.hostLinger[line]) status = STATUS_ERR;
    else if (dir === DIRECTION_OUT && this.cfg.policy.outNeedsValue && !this.valueSet[line]) status = STATUS_ERR;
    if (status === STATUS_OK) {
      const p = this.cfg.policy;
      this.direction[line] = dir;
      if (dir === DIRECTION_NONE) {
        if (p.directionNone === 'discard') this._discardLineState(line);
        else this._dropHostRequest(line);
      } else if (p.hostRequest) {
        // PhysDevice::set_direction requests (or reconfigures) the host line with a
        // direction only: whatever edge detection it had is off until a SET_IRQ_TYPE.
        this.hostRequested[line] = 1;
        this.detectType[line] = IRQ_TYPE_NONE;
      }
      if (before !== dir) this._ctx.emit(TK.DevDirection, line, before, dir, this.outValue[line] as number);
      // Switching drive changes the wire: an output drives its value, anything else releases it.
      this._lines.setDevice(line, dir === DIRECTION_OUT ? (this.outValue[line] as number) : -1);
    }
    this.obs?.direction(line, before, dir, status, valueSetBefore, typeBefore, this.irqType[line] as number, this.latch[line] as number);
    return status;
  }

  /** DIRECTION_NONE: forget everything about the line (5.18.6.9), returning a held buffer INVALID. */
  private _discardLineState(line: number): void {
    this.valueSet[line] = 0;
    this.outValue[line] = 0;
    this._setType(line, IRQ_TYPE_NONE);
    this.lastType[line] = IRQ_TYPE_NONE;
    this.detectType[line] = IRQ_TYPE_NONE;
    this.latch[line] = 0;
    this.latchedAt[line] = -1;
    if (this.held[line] !== -1) this._returnHeld(line, IRQ_STATUS_INVALID);
  }

  /**
   * rust-vmm GpioController::set_direction(NONE): the cached value goes, the trigger
   * type stays. PhysDevice drops its reference to the host request; a waiter
   * thread holding the line's buffer keeps the request (and its edge detection)
   * alive until its current 1 s wait ends, then hands the buffer back INVALID.
   */
  private _dropHostRequest(line: number): void {
    this.valueSet[line] = 0;
    this.outValue[line] = 0;
    if (!this.cfg.policy.hostRequest) return;
    this.hostRequested[line] = 0;
    if (this.held[line] === -1) {
      this._hostRequestGone(line);
      return;
    }
    this.hostLinger[line] = 1;
    const start = this._waitStart[line] as number;
    const end = start + (Math.floor((this._ctx.now - start) / HOST_WAIT_NS) + 1) * HOST_WAIT_NS;
    this._ctx.after(end - this._ctx.now, EV.HostWaitEnd, line, this._waitGen[line] as number);
  }

  /** The host request is freed: no edge detection, and its queued edges go with it. */
  private _hostRequestGone(line: number): void {
    this.detectType[line] = IRQ_TYPE_NONE;
    this.latch[line] = 0;
    this.latchedAt[line] = -1;
  }

  /**
   * A waiter's 1 s wait_edge_events ended (EV.HostWaitEnd). If the line has no host
   * request any more, the waiter's next look finds none and returns INVALID
   * (PhysDevice::wait_for_interrupt, GpioIrqNotEnabled); with a new request it
   * simply waits on that one.
   */
  hostWaitEnd(line: number, gen: number): void {
    if (this.failure !== 0 || gen !== this._waitGen[line] || this.held[line] === -1 || !this.hostLinger[line]) return;
    this._returnHeld(line, IRQ_STATUS_INVALID);
  }

  private _setIrqType(line: number, t: number): number {
    const p = this.cfg.policy;
    const before = this.irqType[line] as number;
    let status: number = STATUS_OK;
    if (!this.negotiated(VIRTIO_GPIO_F_IRQ)) status = STATUS_ERR;
    else if (!isValidIrqType(t)) status = STATUS_ERR;
    else if (this.direction[line] === DIRECTION_OUT && t !== IRQ_TYPE_NONE) status = STATUS_ERR;
    else if (isLevelType(t) && p.level === 'rejected') status = STATUS_ERR;
    else if (t === before && p.sameType === 'err') status = STATUS_ERR;
    else if (t !== before && t !== IRQ_TYPE_NONE && before !== IRQ_TYPE_NONE && p.typeChange === 'rejected') status = STATUS_ERR;
    // PhysDevice::set_irq_type: edge detection needs a host request (GpioLineRequestNotConfigured).
    else if (p.hostRequest && t !== IRQ_TYPE_NONE && !this.hostRequested[line]) status = STATUS_ERR;
    if (status === STATUS_OK) this._applyIrqType(line, t);
    this.obs?.irqType(line, before, t, status, t === IRQ_TYPE_NONE && this.held[line] !== -1, -1);
    return status;
  }

  private _applyIrqType(line: number, t: number): void {
    const p = this.cfg.policy;
    this._setType(line, t);
    if (t === IRQ_TYPE_NONE) {
      if (p.onNone === 'now') {
        // Disabling discards latched events and hands the buffer back (5.18.6.9, 5.18.7.3).
        this.detectType[line] = IRQ_TYPE_NONE;
        this.latch[line] = 0;
        this.latchedAt[line] = -1;
        if (this.held[line] !== -1) this._returnHeld(line, IRQ_STATUS_INVALID);
      } else if (this.held[line] !== -1) {
        // rust-vmm: the waiter keeps the buffer until the next edge, and edge detection stays on.
        this.zombie[line] = 1;
      }
      return;
    }
    this.detectType[line] = t;
    if (p.onNone === 'now' || isLevelType(t)) {
      this.latch[line] = 0;
      this.latchedAt[line] = -1;
    }
    // rust-vmm: the waiter left over from before NONE looks at the line's buffer only after
    // an edge wakes it (PhysDevice::wait_for_interrupt); a new type gives it one, so it
    // reports the next edge VALID like any waiter.
    this.zombie[line] = 0;
    // Enabling starts latching from now; a buffer held while disabled becomes armed (V8 "held" policy).
    if (this.held[line] !== -1) this._armed(line);
  }

  private _setType(line: number, t: number): void {
    const before = this.irqType[line] as number;
    if (before === t) return;
    this.irqType[line] = t;
    if (t !== IRQ_TYPE_NONE) this.lastType[line] = t;
    this._ctx.emit(TK.DevIrqType, line, before, t, 0);
  }

  // ---- eventq ---------------------------------------------------------------------

  private _takeEventBuffer(chain: Chain): boolean {
    if (!this.negotiated(VIRTIO_GPIO_F_IRQ)) return this._malformed(EVENTQ, Malformed.EventShape, chain);
    if (
      chain.count !== 2 ||
      chain.write[0] !== 0 ||
      chain.write[1] !== 1 ||
      chain.len[0] !== IRQ_REQUEST_SIZE ||
      chain.len[1] !== IRQ_RESPONSE_SIZE
    ) {
      return this._malformed(EVENTQ, Malformed.EventShape, chain);
    }
    const head = chain.head;
    const line = this._mem.le16((chain.addr[0] as number) + IRQ_REQUEST_GPIO);
    this._eventResp[head] = chain.addr[1] as number;
    const seq = this._ctx.emit(TK.EvqArm, line, head, 0, 0);
    if (line < this.cfg.ngpio) this._watch?.eventTaken(line);
    if (line >= this.cfg.ngpio) {
      if (this.cfg.policy.badGpio === 'crash') {
        this._fail(Failure.Crashed);
        return false;
      }
      this._scheduleReturn(line, IRQ_STATUS_INVALID, head);
      return true;
    }
    const alreadyHeld = this.held[line] !== -1;
    this.obs?.eventBuffer(line, alreadyHeld, this.irqType[line] as number, this.direction[line] as number, seq);
    const p = this.cfg.policy;
    if (alreadyHeld) {
      // Only one pair per line (5.18.7.2); like rust-vmm, the extra one goes straight back.
      this._scheduleReturn(line, IRQ_STATUS_INVALID, head);
      return true;
    }
    if (this.irqType[line] === IRQ_TYPE_NONE && p.earlyBuffer === 'returned') {
      this._scheduleReturn(line, IRQ_STATUS_INVALID, head);
      return true;
    }
    if (p.hostRequest && !this.hostRequested[line]) {
      // rust-vmm: the waiter finds no host request and fails at once (PhysDevice::wait_for_interrupt,
      // GpioIrqNotEnabled): the trigger type outlived SET_DIRECTION NONE.
      this._scheduleReturn(line, IRQ_STATUS_INVALID, head);
      return true;
    }
    this.held[line] = head;
    this.heldResp[line] = chain.addr[1] as number;
    this.zombie[line] = 0;
    this._waitStart[line] = this._ctx.now;
    if (this.irqType[line] !== IRQ_TYPE_NONE) this._armed(line);
    return true;
  }

  /** A buffer became usable for an enabled line: deliver what is pending at once. */
  private _armed(line: number): void {
    const t = this.irqType[line] as number;
    if (this.cfg.policy.mockStorm) {
      this._deliverValid(line, -1, EventCause.LevelActive);
      return;
    }
    if (this.latch[line] > 0) {
      const at = this.latchedAt[line] as number;
      this.latch[line]!--;
      this.latchedAt[line] = this.latch[line] ? this._ctx.now : -1;
      this._returnHeld(line, IRQ_STATUS_VALID, at);
      return;
    }
    // Level: re-sample on unmask (the spec's EOI); the `transition` policy does not.
    if (isLevelType(t) && this.cfg.policy.levelSample === 'resample' && levelActive(t, (this._lines.level[line] as number))) {
      this._irqEvent(line, DeliveryResult.Delivered, EventCause.LevelActive);
      this._returnHeld(line, IRQ_STATUS_VALID);
    }
  }

  private _edge(line: number, cause: number): void {
    if (this.held[line] !== -1 && this.zombie[line]) {
      // rust-vmm after NONE: the edge wakes the waiter, which finds no buffer and hands its
      // chain back INVALID before reading any event (PhysDevice::wait_for_interrupt): the
      // edge stays queued on the host, to be reported once the interrupt is enabled again.
      this._returnHeld(line, IRQ_STATUS_INVALID);
      if (this.detectType[line] === IRQ_TYPE_NONE) {
        // The waiter held the last reference to a dropped host request: the edge went with it.
        this._irqEvent(line, DeliveryResult.Masked, cause);
        return;
      }
    }
    const enabled = this.irqType[line] !== IRQ_TYPE_NONE;
    if (enabled && this.held[line] !== -1) {
      this._irqEvent(line, DeliveryResult.Delivered, cause);
      this._returnHeld(line, IRQ_STATUS_VALID, this._ctx.now);
      return;
    }
    // The buffer is away (or, with lazy NONE, detection is still on): latch.
    const depth = this.cfg.policy.edgeLatch.kind === 'single' ? 1 : this.cfg.policy.edgeLatch.depth;
    if ((this.latch[line] as number) >= depth) {
      this._irqEvent(line, DeliveryResult.Coalesced, cause);
      return;
    }
    if (this.latch[line] === 0) this.latchedAt[line] = this._ctx.now;
    this.latch[line]!++;
    this._irqEvent(line, DeliveryResult.Delivered, cause);
  }

  private _levelActive(line: number): void {
    if (this.irqType[line] !== IRQ_TYPE_NONE && this.held[line] !== -1 && !this.zombie[line]) {
      this._irqEvent(line, DeliveryResult.Delivered, EventCause.LevelActive);
      this._returnHeld(line, IRQ_STATUS_VALID);
      return;
    }
    // Level interrupts are never latched (5.18.6.9): ignored until the buffer returns.
    this._irqEvent(line, DeliveryResult.Masked, EventCause.LevelActive);
  }

  private _deliverValid(line: number, at: number, cause: number): void {
    this._irqEvent(line, DeliveryResult.Delivered, cause);
    this._returnHeld(line, IRQ_STATUS_VALID, at);
  }

  private _irqEvent(line: number, result: number, cause: number): void {
    this.lastResult[line] = result;
    if (result === DeliveryResult.Delivered) this.evDelivered[line]!++;
    else if (result === DeliveryResult.Coalesced) this.evCoalesced[line]!++;
    else this.evMasked[line]!++;
    this._ctx.emit(TK.DevIrqEvent, line, result, this.sinkState(line), cause);
    this.obs?.irqEvent(line, result, cause, this.irqType[line] as number);
  }

  private _returnHeld(line: number, status: number, latchedAt = -1): void {
    const head = this.held[line] as number;
    this.held[line] = -1;
    this.zombie[line] = 0;
    this._waitGen[line]!++;
    // The waiter ends; if SET_DIRECTION NONE dropped the request meanwhile, it goes now.
    if (this.hostLinger[line]) {
      this.hostLinger[line] = 0;
      this._hostRequestGone(line);
    }
    this._eventResp[head] = this.heldResp[line] as number;
    this._scheduleReturn(line, status, head, latchedAt);
  }

  private _scheduleReturn(line: number, status: number, head: number, latchedAt = -1): void {
    if (status === IRQ_STATUS_VALID) this.validReturns[line]!++;
    else if (line < this.cfg.ngpio) this.invalidReturns[line]!++;
    this.obs?.eventReturn(line, status, line < this.cfg.ngpio ? (this.irqType[line] as number) : 0, latchedAt, -1);
    if (line < this.cfg.ngpio) this._watch?.eventDecided(line, status);
    this._ctx.after(this._ctx.draw(this.cfg.latency.event), EV.EventReturn, line, status, head);
  }

  // ---- failures -------------------------------------------------------------------

  private _ready(): boolean {
    return this.failure === 0 && (this.status & STATUS_DRIVER_OK) !== 0 && (this.status & STATUS_DEVICE_NEEDS_RESET) === 0;
  }

  private _malformed(q: number, reason: number, chain: Chain): boolean {
    const seq = this._ctx.emit(TK.MsgMalformed, -1, q, reason, chain.head);
    this.obs?.malformed(q, reason, chain.writeBeforeRead, seq);
    const mode = this.cfg.policy.malformed;
    if (mode === 'reset') {
      this._fail(Failure.NeedsReset);
      return false;
    }
    if (mode === 'stall') return false;
    // 'err': answer ERR when there is a writable byte to put it in; otherwise return the chain with nothing written.
    const dq = this.queues[q] as DeviceQueue;
    let written = 0;
    for (let i = 0; i < chain.count; i++) {
      if (chain.write[i] === 1 && (chain.len[i] as number) > 0) {
        this._mem.setU8(chain.addr[i] as number, q === REQUESTQ ? STATUS_ERR : IRQ_STATUS_INVALID);
        written = 1;
        break;
      }
    }
    dq.pushUsed(chain.head, written);
    this._ctx.emit(TK.RingPush, -1, q, chain.head, written);
    if (dq.needsNotification()) this._irq.raise(q);
    return true;
  }

  private _ringFault(q: number, fault: number): void {
    const seq = this._ctx.emit(TK.RingFault, -1, q, fault, 0);
    this.obs?.ringFault(q, fault, seq);
    this._fail(Failure.NeedsReset);
  }

  private _fail(reason: number): void {
    if (this.failure !== 0) return;
    this.failure = reason;
    this._ctx.emit(TK.DevFailure, -1, reason, 0, 0);
    if (reason === Failure.NeedsReset) {
      const before = this.status;
      this.status |= STATUS_DEVICE_NEEDS_RESET;
      this._ctx.emit(TK.DevStatus, -1, before, this.status, 0);
      this._irq.raise(-1);
    }
  }
}

export { DIRECTION_IN, DIRECTION_OUT, DIRECTION_NONE };
