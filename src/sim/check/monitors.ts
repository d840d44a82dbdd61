import {
  DIRECTION_NONE,
  DIRECTION_OUT,
  EVENTQ,
  IRQ_STATUS_INVALID,
  IRQ_STATUS_VALID,
  IRQ_TYPE_NONE,
  MSG_GET_DIRECTION,
  MSG_GET_LINE_NAMES,
  MSG_GET_VALUE,
  MSG_NAMES,
  MSG_SET_DIRECTION,
  MSG_SET_IRQ_TYPE,
  MSG_SET_VALUE,
  REQUESTQ,
  STATUS_ERR,
  STATUS_OK,
  VIRTIO_GPIO_F_IRQ,
  isEdgeType,
  isValidIrqType,
} from '../gpio/constants';
import { Malformed, type DeviceObserver, type GpioDevice } from '../gpio/device';
import type { SimContext } from '../sim-context';
import { u32From } from '../typed-block';
import { DeliveryResult, TK } from '../trace/kinds';
import { RingFault } from '../virtio/device-queue';
import { RULES, ruleApplies, ruleIndex } from './rules';

/** One recorded breach of a rule. */
export interface Violation {
  rule: string;
  level: 'must' | 'should';
  side: 'driver' | 'device';
  section: string;
  t: number;
  line: number;
  /** Seq of the trace event that shows it, or -1. */
  seq: number;
  message: string;
}

const R = {
  padding: ruleIndex('gpio.config.padding-zero'),
  namesSize: ruleIndex('gpio.config.names-size'),
  namesFormat: ruleIndex('gpio.names.format'),
  bothBuffers: ruleIndex('gpio.rq.both-buffers'),
  requestSize: ruleIndex('gpio.rq.request-size'),
  responseSize: ruleIndex('gpio.rq.response-size'),
  gpioRange: ruleIndex('gpio.rq.gpio-range'),
  knownType: ruleIndex('gpio.rq.known-type'),
  validValue: ruleIndex('gpio.rq.valid-value'),
  namesRequest: ruleIndex('gpio.rq.names-request'),
  valueBeforeOutput: ruleIndex('gpio.rq.value-before-output'),
  irqNeedsFeature: ruleIndex('gpio.rq.irq-needs-feature'),
  irqNotOutput: ruleIndex('gpio.rq.irq-not-output'),
  noneWhenDone: ruleIndex('gpio.rq.irq-none-when-done'),
  changeViaNone: ruleIndex('gpio.rq.type-change-via-none'),
  responseFilled: ruleIndex('gpio.rq.response-filled'),
  sameLineOrder: ruleIndex('gpio.rq.same-line-order'),
  dirNoneDiscards: ruleIndex('gpio.rq.direction-none-discards'),
  edgeLatched: ruleIndex('gpio.irq.edge-latched'),
  disableDiscards: ruleIndex('gpio.irq.disable-discards-latch'),
  v8HoldEarly: ruleIndex('gpio.irq.v8-hold-early-buffer'),
  v12ReturnEarly: ruleIndex('gpio.irq.v12-return-early-buffer'),
  enableBeforeUnmask: ruleIndex('gpio.eq.enable-before-unmask'),
  onePair: ruleIndex('gpio.eq.one-pair-per-line'),
  pairShape: ruleIndex('gpio.eq.pair-shape'),
  noEventUnlessEnabled: ruleIndex('gpio.eq.no-event-unless-enabled-unmasked'),
  noneReturns: ruleIndex('gpio.eq.none-returns-buffer'),
  writeAfterRead: ruleIndex('vq.framing.write-after-read'),
  noLoops: ruleIndex('vq.desc.no-loops'),
  inRange: ruleIndex('vq.desc.in-range'),
  indirect: ruleIndex('vq.desc.indirect-negotiated'),
  availMonotonic: ruleIndex('vq.avail.monotonic'),
  headInFlight: ruleIndex('vq.avail.head-in-flight'),
  usedLen: ruleIndex('vq.used.len-written'),
  driverOk: ruleIndex('vq.init.driver-ok'),
};

/**
 * The live spec monitors. They watch what the device sees and does (through
 * DeviceObserver) and record each broken rule with the time, the line and the
 * trace event that shows it. Which rules apply depends on the spec revision.
 */
export class Monitors implements DeviceObserver {
  private readonly _ctx: SimContext;
  private readonly _dev: GpioDevice;
  private readonly _spec: 'v1.2' | 'v8';
  readonly violations: Violation[] = [];
  /** Exact count per rule index, beyond the bounded list. */
  readonly counts: Uint32Array;
  private static readonly _MAX_KEPT = 10_000;

  // Same-line ordering: heads in arrival order, per line.
  private readonly _order: number[][];
  /** When the line's interrupt was last enabled (NONE -> a type): nothing latched before it may be reported. */
  private readonly _enabledAt: Float64Array;
  /** An eventq buffer arrived while the type was NONE and has not been resolved yet. */
  private readonly _early: Uint8Array;

  constructor(ctx: SimContext, dev: GpioDevice) {
    this._ctx = ctx;
    this._dev = dev;
    this._spec = dev.cfg.spec;
    this.counts = u32From(ctx.tables ?? null, RULES.length);
    const n = dev.cfg.ngpio;
    this._order = Array.from({ length: n }, () => []);
    this._enabledAt = new Float64Array(n).fill(-1);
    this._early = new Uint8Array(n);
  }

  /** MUST-level violations (advisories excluded). */
  get mustCount(): number {
    let n = 0;
    for (let i = 0; i < RULES.length; i++) if (RULES[i]!.level === 'must') n += this.counts[i] as number;
    return n;
  }

  /** Checks the configuration space and names block as the driver will read them. */
  checkConfig(): void {
    const dev = this._dev;
    if (dev.config[2] !== 0 || dev.config[3] !== 0) this._flag(R.padding, -1, -1, 'configuration padding is not zero');
    const namesSize = dev.namesBlock.length;
    if ((dev.cfg.names === null) !== (namesSize === 0)) this._flag(R.namesSize, -1, -1, `gpio_names_size is ${namesSize}`);
    if (dev.cfg.names) {
      const seen = new Set<string>();
      for (const name of dev.cfg.names) {
        if (name === '') continue;
        if (seen.has(name)) this._flag(R.namesFormat, -1, -1, `line name "${name}" is not unique`);
        seen.add(name);
      }
      if (dev.cfg.names.length !== dev.cfg.ngpio) this._flag(R.namesFormat, -1, -1, `${dev.cfg.names.length} names for ${dev.cfg.ngpio} lines`);
    }
  }

  // ---- DeviceObserver -------------------------------------------------------------

  request(line: number, type: number, value: number, head: number, seq: number): void {
    const dev = this._dev;
    if (!(type >= MSG_GET_LINE_NAMES && type <= MSG_SET_IRQ_TYPE)) {
      this._flag(R.knownType, line, seq, `unknown message type ${type}`);
    } else if (!valueAllowed(type, value)) {
      this._flag(R.validValue, line, seq, `${MSG_NAMES[type]} with value ${value}`);
    }
    if (type === MSG_GET_LINE_NAMES) {
      if (line !== 0 || value !== 0) this._flag(R.namesRequest, line, seq, `GET_LINE_NAMES with gpio ${line}, value ${value}`);
      return; // Not a per-line message.
    }
    if (line >= dev.cfg.ngpio) {
      this._flag(R.gpioRange, line, seq, `gpio ${line} but ngpio is ${dev.cfg.ngpio}`);
      return;
    }
    this._order[line]!.push(head);
    if (type === MSG_SET_IRQ_TYPE) {
      if (!dev.negotiated(VIRTIO_GPIO_F_IRQ)) this._flag(R.irqNeedsFeature, line, seq, 'SET_IRQ_TYPE without VIRTIO_GPIO_F_IRQ');
      else if (value !== IRQ_TYPE_NONE && dev.direction[line] === DIRECTION_OUT) {
        this._flag(R.irqNotOutput, line, seq, 'SET_IRQ_TYPE on an output line');
      }
    }
  }

  response(line: number, type: number, status: number, usedLen: number, respLen: number, head: number, seq: number): void {
    if (status !== STATUS_OK && status !== STATUS_ERR) this._flag(R.responseFilled, line, seq, `status ${status}`);
    const expected = type === MSG_GET_LINE_NAMES ? respLen : 2;
    // A response buffer too small for the answer is the driver's fault (rust-vmm answers it ERR instead of refusing the chain).
    if (type !== MSG_GET_LINE_NAMES && respLen < 2) this._flag(R.responseSize, line, seq, `response buffer of ${respLen} bytes`);
    else if (usedLen < expected) this._flag(R.responseFilled, line, seq, `used length ${usedLen}, expected ${expected}`);
    // rust-vmm reports the buffer's length as used even though it wrote only the 2-byte response.
    if (type !== MSG_GET_LINE_NAMES && usedLen > 2) this._flag(R.usedLen, line, seq, `used length ${usedLen} but the device wrote a 2-byte response`);
    if (line >= this._dev.cfg.ngpio || type === MSG_GET_LINE_NAMES) return;
    const order = this._order[line]!;
    const first = order[0];
    if (first === head) order.shift();
    else {
      const i = order.indexOf(head);
      if (i >= 0) order.splice(i, 1);
      this._flag(R.sameLineOrder, line, seq, `answered chain ${head} before chain ${first} on the same line`);
    }
  }

  used(queue: number, line: number, usedLen: number, capacity: number, seq: number): void {
    if (usedLen > capacity) {
      this._flag(R.usedLen, line, seq, `${queue === EVENTQ ? 'eventq' : 'requestq'} used length ${usedLen} exceeds the ${capacity}-byte writable buffer`);
    }
  }

  irqEvent(line: number, result: number, _cause: number, irqType: number): void {
    if (result === DeliveryResult.Masked && isEdgeType(irqType)) {
      this._flag(R.edgeLatched, line, -1, 'an edge on an enabled line was dropped instead of latched');
    }
  }

  malformed(queue: number, reason: number, writeBeforeRead: boolean, seq: number): void {
    if (writeBeforeRead) this._flag(R.writeAfterRead, -1, seq, 'a device-readable buffer follows a device-writable one');
    if (queue === EVENTQ && !this._dev.negotiated(VIRTIO_GPIO_F_IRQ)) {
      this._flag(R.irqNeedsFeature, -1, seq, 'eventq buffer without VIRTIO_GPIO_F_IRQ');
      return;
    }
    switch (reason) {
      case Malformed.ChainShape:
        return this._flag(R.bothBuffers, -1, seq, 'request chain is not one readable and one writable buffer');
      case Malformed.RequestSize:
        return this._flag(R.requestSize, -1, seq, 'request buffer is not 8 bytes');
      case Malformed.ResponseSize:
        return this._flag(R.responseSize, -1, seq, 'response buffer too small');
      case Malformed.EventShape:
        return this._flag(R.pairShape, -1, seq, 'eventq chain is not a 2-byte request and a 1-byte response');
    }
  }

  ringFault(queue: number, fault: number, seq: number): void {
    const q = queue === REQUESTQ ? 'requestq' : 'eventq';
    switch (fault) {
      case RingFault.DescriptorLoop:
        return this._flag(R.noLoops, -1, seq, `${q}: descriptor chain loops`);
      case RingFault.AvailIndexJump:
        return this._flag(R.availMonotonic, -1, seq, `${q}: avail index moved by more than the queue size`);
      case RingFault.IndirectNotNegotiated:
        return this._flag(R.indirect, -1, seq, `${q}: indirect descriptor without the feature`);
      case RingFault.HeadInFlight:
        return this._flag(R.headInFlight, -1, seq, `${q}: a chain made available again while the device still holds it`);
      default:
        return this._flag(R.inRange, -1, seq, `${q}: index or buffer out of range`);
    }
  }

  eventBuffer(line: number, held: boolean, irqType: number, direction: number, seq: number): void {
    if (held) this._flag(R.onePair, line, seq, 'a second eventq buffer for a line whose buffer the device already holds');
    if (direction === DIRECTION_OUT) this._flag(R.irqNotOutput, line, seq, 'eventq buffer for an output line');
    if (irqType === IRQ_TYPE_NONE) {
      this._flag(R.enableBeforeUnmask, line, seq, 'eventq buffer queued while the interrupt is disabled (type NONE)');
      this._early[line] = 1;
    }
  }

  eventReturn(line: number, status: number, irqType: number, latchedAt: number, seq: number): void {
    if (line >= this._dev.cfg.ngpio) return;
    if (status === IRQ_STATUS_VALID) {
      if (irqType === IRQ_TYPE_NONE) this._flag(R.noEventUnlessEnabled, line, seq, 'VALID returned while the interrupt is disabled');
      const enabledAt = this._enabledAt[line] as number;
      if (latchedAt >= 0 && enabledAt >= 0 && latchedAt < enabledAt) {
        this._flag(R.disableDiscards, line, seq, 'reported an edge latched before the interrupt was last enabled');
      }
    } else if (status === IRQ_STATUS_INVALID && this._early[line]) {
      this._early[line] = 0;
      this._flag(R.v8HoldEarly, line, seq, 'buffer queued while NONE was handed back instead of kept for the next SET_IRQ_TYPE');
    }
  }

  irqType(line: number, before: number, requested: number, status: number, heldAfter: boolean, seq: number): void {
    if (line >= this._dev.cfg.ngpio) return;
    if (before !== IRQ_TYPE_NONE && requested !== IRQ_TYPE_NONE && requested !== before && isValidIrqType(requested)) {
      this._flag(R.changeViaNone, line, seq, `trigger changed from ${before} to ${requested} without NONE in between`);
    }
    if (status !== STATUS_OK) return;
    if (requested !== IRQ_TYPE_NONE && before === IRQ_TYPE_NONE) this._enabledAt[line] = this._ctx.now;
    if (requested === IRQ_TYPE_NONE) {
      if (heldAfter) this._flag(R.noneReturns, line, seq, 'the buffer was kept after SET_IRQ_TYPE NONE');
    } else if (this._early[line]) {
      this._early[line] = 0;
      this._flag(R.v12ReturnEarly, line, seq, 'a buffer queued before the interrupt was enabled was held instead of returned INVALID');
    }
  }

  direction(line: number, _before: number, requested: number, status: number, valueSet: boolean, irqTypeBefore: number, irqTypeAfter: number, latchAfter: number): void {
    if (requested === DIRECTION_OUT && !valueSet) this._flag(R.valueBeforeOutput, line, -1, 'SET_DIRECTION OUT without a SET_VALUE first');
    if (requested === DIRECTION_NONE) {
      if (irqTypeBefore !== IRQ_TYPE_NONE) this._flag(R.noneWhenDone, line, -1, 'line deactivated while its interrupt was still enabled');
      if (status === STATUS_OK && (irqTypeAfter !== IRQ_TYPE_NONE || latchAfter !== 0)) {
        this._flag(R.dirNoneDiscards, line, -1, 'interrupt state survived SET_DIRECTION NONE');
      }
    }
  }

  notReady(queue: number, seq: number): void {
    const why = this._dev.failure !== 0 ? 'after the device failed' : 'before DRIVER_OK';
    this._flag(R.driverOk, -1, seq, `${queue === REQUESTQ ? 'requestq' : 'eventq'} notified ${why}`);
  }

  // ---- recording ------------------------------------------------------------------

  private _flag(rule: number, line: number, seq: number, message: string): void {
    const r = RULES[rule]!;
    if (!ruleApplies(r, this._spec)) return;
    this.counts[rule]!++;
    this._ctx.emit(TK.Violation, line, rule, seq, r.level === 'must' ? 1 : 0);
    if (this.violations.length < Monitors._MAX_KEPT) {
      this.violations.push({ rule: r.id, level: r.level, side: r.side, section: r.section, t: this._ctx.now, line, seq, message });
    }
  }
}

/** The value a message's table allows (5.18.6.1 - 5.18.6.6). */
function valueAllowed(type: number, value: number): boolean {
  switch (type) {
    case MSG_GET_LINE_NAMES:
    case MSG_GET_DIRECTION:
    case MSG_GET_VALUE:
      return value === 0;
    case MSG_SET_DIRECTION:
      return value <= 2;
    case MSG_SET_VALUE:
      return value <= 1;
    case MSG_SET_IRQ_TYPE:
      return isValidIrqType(value);
    default:
      return false;
  }
}
