import { ACTION_KINDS, checkAction, type Action, type ActionBoard, type ActionError } from '../sim/actions';
import { EventQueue } from '../sim/clock/event-queue';
import { Prng } from '../sim/clock/prng';
import { Monitors, type Violation } from '../sim/check/monitors';
import { CONFIG_NAMES_SIZE, CONFIG_NGPIO, CONFIG_SIZE, EVENTQ, IRQ_STATUS_VALID, MSG_NAMES, REQUESTQ, VIRTIO_GPIO_F_IRQ } from '../sim/gpio/constants';
import { encodeNames } from '../sim/gpio/names';
import type { LatencyRange } from '../sim/clock/time';
import { GpioDevice, type DeviceInterrupts, type DeviceObserver } from '../sim/gpio/device';
import type { DeviceConfig } from '../sim/gpio/policies';
import { Wire, type WireListener } from '../sim/gpio/wire';
import { World, initialDrive, isWorldStep, type SourceSpec, type WorldStep } from '../sim/gpio/world';
import type { MachineConfig } from '../sim/machine';
import type { GuestMemory } from '../sim/memory';
import { EV, type SimContext } from '../sim/sim-context';
import { TK } from '../sim/trace/kinds';
import { Trace } from '../sim/trace/trace';
import { AVAIL_IDX, F_RING_EVENT_IDX, F_VERSION_1, STATUS_ACKNOWLEDGE, STATUS_DRIVER, STATUS_DRIVER_OK, STATUS_FEATURES_OK } from '../sim/virtio/constants';
import type { VhostDevice } from './backend';
import type { RingLayout } from '../sim/virtio/ring-layout';

/**
 * The project's own device model (GpioDevice, the device side of the split
 * virtqueues, the spec monitors) and the world outside its lines, running on
 * a real guest's RAM in wall-clock time. The vhost-user back end feeds it the
 * front end's messages as device-status transitions and ring setups, and the
 * guest's kicks; it answers with interrupts (writes to the call eventfds).
 *
 * Time is real: `now` is nanoseconds since this context was made, device
 * latencies are zero (the real cost is the back end's own), and the world's
 * sources (clocks, pulses) run on timers. A run is a recording, not a replay.
 */
export interface Clock {
  /** Nanoseconds since an arbitrary origin, monotonic. */
  now(): number;
  /** Calls `fn` after about `ms` milliseconds; returns a canceller. */
  schedule(ms: number, fn: () => void): () => void;
}

export const wallClock: Clock = {
  now: () => Number(process.hrtime.bigint()),
  schedule: (ms, fn) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};

const ZERO: LatencyRange = { min: 0, max: 0 };

export interface RealtimeCounts {
  kicks: [number, number];
  interrupts: [number, number];
  configInterrupts: number;
  /** virtio-gpio requests by message name. */
  requests: Record<string, number>;
  eventValid: number;
  eventInvalid: number;
  /** Device (re)starts: one per time the front end set the features and started the rings. */
  sessions: number;
}

/** Forwards everything to the monitors, counting requests and eventq returns on the way. */
class CountingObserver implements DeviceObserver {
  private readonly _m: Monitors;
  private readonly _c: RealtimeCounts;
  constructor(m: Monitors, c: RealtimeCounts) {
    this._m = m;
    this._c = c;
  }
  request(line: number, type: number, value: number, head: number, seq: number): void {
    const name = MSG_NAMES[type] ?? `type ${type}`;
    this._c.requests[name] = (this._c.requests[name] ?? 0) + 1;
    this._m.request(line, type, value, head, seq);
  }
  response(line: number, type: number, status: number, usedLen: number, respLen: number, head: number, seq: number): void {
    this._m.response(line, type, status, usedLen, respLen, head, seq);
  }
  used(queue: number, line: number, usedLen: number, capacity: number, seq: number): void {
    this._m.used(queue, line, usedLen, capacity, seq);
  }
  irqEvent(line: number, result: number, cause: number, irqType: number): void {
    this._m.irqEvent(line, result, cause, irqType);
  }
  malformed(queue: number, reason: number, writeBeforeRead: boolean, seq: number): void {
    this._m.malformed(queue, reason, writeBeforeRead, seq);
  }
  ringFault(queue: number, fault: number, seq: number): void {
    this._m.ringFault(queue, fault, seq);
  }
  eventBuffer(line: number, held: boolean, irqType: number, direction: number, seq: number): void {
    this._m.eventBuffer(line, held, irqType, direction, seq);
  }
  eventReturn(line: number, status: number, irqType: number, latchedAt: number, seq: number): void {
    if (status === IRQ_STATUS_VALID) this._c.eventValid++;
    else this._c.eventInvalid++;
    this._m.eventReturn(line, status, irqType, latchedAt, seq);
  }
  irqType(line: number, before: number, requested: number, status: number, heldAfter: boolean, seq: number): void {
    this._m.irqType(line, before, requested, status, heldAfter, seq);
  }
  direction(line: number, before: number, requested: number, status: number, valueSet: boolean, irqTypeBefore: number, irqTypeAfter: number, latchAfter: number): void {
    this._m.direction(line, before, requested, status, valueSet, irqTypeBefore, irqTypeAfter, latchAfter);
  }
  notReady(queue: number, seq: number): void {
    this._m.notReady(queue, seq);
  }
}

export class RealtimeDevice implements SimContext, DeviceInterrupts, WireListener, VhostDevice {
  readonly numQueues = 2;
  readonly cfg: MachineConfig;
  readonly deviceCfg: DeviceConfig;
  readonly prng: Prng;
  readonly trace: Trace;
  readonly wire: Wire;
  readonly world: World;
  now = 0;
  /** Device events; replaced when the device is stopped, so nothing of an old session reaches a new one. */
  queue = new EventQueue(256);
  private readonly _worldQueue = new EventQueue(256);
  private readonly _clock: Clock;
  private readonly _origin: number;
  private _cancelTimer: (() => void) | null = null;
  private readonly _stepTimers: (() => void)[] = [];
  private _timerAt = Infinity;

  device: GpioDevice | null = null;
  /** The guest memory of the running session (the live view reads the rings from it). */
  mem: GuestMemory | null = null;
  monitors: Monitors | null = null;
  /** Violations of device sessions that already ended. */
  private readonly _pastViolations: Violation[] = [];
  private _pastMust = 0;
  private readonly _pendingKick = new Uint8Array(2);
  readonly counts: RealtimeCounts = { kicks: [0, 0], interrupts: [0, 0], configInterrupts: 0, requests: {}, eventValid: 0, eventInvalid: 0, sessions: 0 };

  /** Raises the used-buffer interrupt of a queue (the back end writes the call eventfd). */
  signal: (queue: number) => void = () => {};
  /**
   * Called after each kick is handled, with the wall times (ns since the origin) it was seen, the
   * first call eventfd write for it was issued (-1: the kick raised no interrupt), and the device
   * finished. The call is taken before the write: writing the eventfd wakes QEMU's thread, which on a
   * busy 2-core machine often preempts this one inside write(2), and that wait is not the back end's work.
   */
  onKickDone: ((queue: number, seenNs: number, calledNs: number, doneNs: number) => void) | null = null;
  /** While a kick is handled (and timed): when its first interrupt was raised, -1 before. */
  private _kickCalledAt = -1;
  private _timingKick = false;

  constructor(cfg: MachineConfig, clock: Clock = wallClock) {
    this.cfg = cfg;
    this._clock = clock;
    this._origin = clock.now();
    this.deviceCfg = { ...cfg.device, latency: { notify: ZERO, request: ZERO, event: ZERO, interrupt: ZERO } };
    this.prng = new Prng(cfg.seed);
    this.trace = new Trace(cfg.traceCapacity, cfg.traceEnabled);
    this.wire = new Wire(this, cfg.pulls);
    // No oracle here: a real guest's interrupts are judged by the monitors only.
    this.world = new World(this, this.wire, { episode: () => {} }, cfg.world);
    for (let i = 0; i < cfg.device.ngpio; i++) {
      const dev = cfg.device.initialDirection[i] === 1 ? (cfg.device.initialValue[i] ?? 0) : -1;
      this.wire.init(i, initialDrive(cfg.world[i] as SourceSpec), dev);
    }
    this.wire.listen(this);
    this.world.start();
    // Time-only steps that act on the world (drive, pulse, clock ...) run at their time from now.
    for (const s of cfg.steps) if (s.event === undefined && isWorldStep(s.action)) this._worldAt(s.at, s.action);
    this.pump();
  }

  // ---- SimContext -----------------------------------------------------------------

  emit(kind: number, line: number, a: number, b: number, c: number): number {
    return this.trace.emit(this.now, kind, line, a, b, c);
  }
  after(delay: number, ev: number, a = 0, b = 0, c = 0): void {
    (ev === EV.World ? this._worldQueue : this.queue).push(this.now + delay, ev, a, b, c);
  }
  draw(range: LatencyRange): number {
    return this.prng.range(range.min, range.max);
  }

  // ---- what the vhost-user back end tells the device --------------------------------

  /**
   * The front end set the features (SET_FEATURES): a new device session when
   * none is running, with the status walked through ACKNOWLEDGE, DRIVER and
   * FEATURES_OK as the guest's driver must have done (vhost-user never shows
   * the status writes themselves).
   */
  start(mem: GuestMemory, features: bigint): void {
    const lo = Number(features & 0xffff_ffffn);
    const hi = Number((features >> 32n) & 0xffff_ffffn);
    this._tick();
    if (this.device) this.stop();
    const dev = new GpioDevice(this, mem, this.deviceCfg, this.wire, this);
    const mon = new Monitors(this, dev);
    dev.obs = new CountingObserver(mon, this.counts);
    dev.senseInitial();
    mon.checkConfig();
    this.device = dev;
    this.mem = mem;
    this.monitors = mon;
    this.counts.sessions++;
    dev.writeStatus(STATUS_ACKNOWLEDGE);
    dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    dev.setDriverFeatures(lo, hi);
    dev.writeStatus(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    this._pendingKick.fill(0);
  }

  features(): bigint {
    let f = 1n << BigInt(F_VERSION_1);
    if (this.deviceCfg.offerIrq) f |= 1n << BigInt(VIRTIO_GPIO_F_IRQ);
    if (this.deviceCfg.offerEventIdx) f |= 1n << BigInt(F_RING_EVENT_IDX);
    return f;
  }

  /** The 8-byte virtio_gpio_config; before the first session, built the same way from the configuration. */
  config(): Uint8Array {
    if (this.device) return this.device.config;
    const cfg = this.deviceCfg;
    const b = new Uint8Array(CONFIG_SIZE);
    const v = new DataView(b.buffer);
    v.setUint16(CONFIG_NGPIO, cfg.ngpio, true);
    v.setUint32(CONFIG_NAMES_SIZE, cfg.names ? encodeNames(cfg.names).length : 0, true);
    return b;
  }

  queuesUsed(features: bigint): number[] {
    return (features >> BigInt(VIRTIO_GPIO_F_IRQ)) & 1n ? [REQUESTQ, EVENTQ] : [REQUESTQ];
  }

  status(): number {
    return this.device?.status ?? 0;
  }

  get running(): boolean {
    return this.device !== null;
  }

  get driverOk(): boolean {
    return this.device !== null && (this.device.status & STATUS_DRIVER_OK) !== 0;
  }

  /** A ring is complete (size, addresses, kick, enabled): the device may use it, resuming at `base`. */
  queueStart(q: number, layout: RingLayout, base: number): void {
    this._tick();
    this.device?.setupQueue(q, layout, base === 0 ? undefined : base);
  }

  /** Every ring the driver uses is running: the guest's DRIVER_OK has happened. */
  setDriverOk(): void {
    const dev = this.device;
    if (!dev || this.driverOk) return;
    this._tick();
    dev.writeStatus(dev.status | STATUS_DRIVER_OK);
    for (let q = 0; q < 2; q++) {
      if (this._pendingKick[q]) {
        this._pendingKick[q] = 0;
        dev.notify(q);
      }
    }
    this.pump();
  }

  /** The guest kicked queue `q` (its kick eventfd became readable). */
  kick(q: number): void {
    const seen = this._tick();
    this.counts.kicks[q === EVENTQ ? 1 : 0]++;
    const dev = this.device;
    if (!dev) return;
    if (!this.driverOk) {
      this._pendingKick[q] = 1;
      return;
    }
    // Kicks are eventfds: when both are readable their order is lost. The driver never queues an
    // eventq buffer right after a request without waiting for its answer, but it does re-queue a
    // buffer and then send SET_IRQ_TYPE NONE (gpiomon's exit). Looking at the eventq first keeps
    // that order; seen the other way round, the monitors would flag "queued while disabled".
    const timed = this.onKickDone !== null;
    this._timingKick = timed;
    this._kickCalledAt = -1;
    // Only when the eventq has news: a wake that finds nothing is a trip through cold code on every request.
    if (q === REQUESTQ && this._eventqHasNews()) dev.notify(EVENTQ);
    dev.notify(q);
    this.pump();
    this._timingKick = false;
    if (timed) this.onKickDone?.(q, seen, this._kickCalledAt, this._clock.now() - this._origin);
  }

  /**
   * Whether the eventq's avail index moved past what the device took (new buffers, or an index jump
   * the device's wake must report): read without DeviceQueue.pending(), which records a jump as a fault.
   */
  private _eventqHasNews(): boolean {
    const eq = this.device?.queues[EVENTQ];
    const mem = this.mem;
    if (!eq || !mem) return false;
    const at = eq.layout.avail + AVAIL_IDX;
    if (!mem.contains(at, 2)) return true;
    return mem.le16(at) !== eq.nextAvail;
  }

  /** The front end stopped the device (GET_VRING_BASE, disconnect): its session ends. */
  stop(): void {
    const mon = this.monitors;
    if (mon) {
      this._pastViolations.push(...mon.violations);
      this._pastMust += mon.mustCount;
    }
    this.device = null;
    this.mem = null;
    this.monitors = null;
    this.queue = new EventQueue(256);
  }

  /** The next avail index of a ring (GET_VRING_BASE). */
  ringBase(q: number): number {
    return this.device?.queues[q]?.nextAvail ?? 0;
  }

  get violations(): Violation[] {
    return [...this._pastViolations, ...(this.monitors?.violations ?? [])];
  }

  get mustCount(): number {
    return this._pastMust + (this.monitors?.mustCount ?? 0);
  }

  // ---- running --------------------------------------------------------------------

  private _tick(): number {
    const t = this._clock.now() - this._origin;
    if (t > this.now) this.now = t;
    return this.now;
  }

  /** Runs every event that is due, then arms a timer for the next one. */
  pump(): void {
    this._tick();
    for (let guard = 0; guard < 1_000_000; guard++) {
      const dq = this.queue;
      const wq = this._worldQueue;
      const td = dq.peekTime();
      const tw = wq.peekTime();
      const next = Math.min(td, tw);
      if (next > this.now) break;
      // Ties: device first (it was already under way), as events at one time run in insertion order.
      const q = td <= tw ? dq : wq;
      q.pop();
      this._dispatch(q.kind, q.a, q.b, q.c);
    }
    const next = Math.min(this.queue.peekTime(), this._worldQueue.peekTime());
    if (next === Infinity) return;
    if (next >= this._timerAt && this._cancelTimer) return;
    this._cancelTimer?.();
    this._timerAt = next;
    const ms = Math.max(0, Math.ceil((next - this.now) / 1e6));
    this._cancelTimer = this._clock.schedule(ms, () => {
      this._cancelTimer = null;
      this._timerAt = Infinity;
      this.pump();
    });
  }

  /** Stops the timers (the run is over). */
  close(): void {
    for (const cancel of this._stepTimers.splice(0)) cancel();
    this._cancelTimer?.();
    this._cancelTimer = null;
    this._timerAt = Infinity;
  }

  private _dispatch(kind: number, a: number, b: number, c: number): void {
    const dev = this.device;
    switch (kind) {
      case EV.World:
        return this.world.act(a, b, c);
      case EV.DeviceWake:
        return dev?.wake(a);
      case EV.RequestDone:
        return dev?.requestDone(a);
      case EV.EventReturn:
        return dev?.eventReturn(a, b, c);
    }
  }

  /**
   * Something a user did to the world while the guest runs (the app's drive
   * buttons in `vgpio guest --ui`): checked by the one validator, traced as a
   * live step the way Machine.apply traces one, then carried out now. Only
   * world actions exist here: the guest is the driver.
   */
  applyLive(action: Action): ActionError | null {
    if (!isWorldStep(action)) return { field: 'line', message: `'${action.do}' acts on a simulated driver; a real guest's world takes drive, release, pulse, press, clock and assert` };
    const board: ActionBoard = { ngpio: this.cfg.device.ngpio, clientCount: 0, sourceKind: (line) => this.world.specs[line]?.kind ?? 'none', clientKind: () => 'none' };
    const err = checkAction(action, board);
    if (err) return err;
    this._tick();
    this.emit(TK.Step, -1, -1, ACTION_KINDS.code[action.do], 1);
    this.world.apply(action);
    this.pump();
    return null;
  }

  private _worldAt(atNs: number, action: WorldStep): void {
    const run = (): void => {
      this._tick();
      this.world.apply(action);
      this.pump();
    };
    this._stepTimers.push(this._clock.schedule(Math.max(0, atNs / 1e6), run));
  }

  // ---- DeviceInterrupts ------------------------------------------------------------

  raise(queue: number): void {
    if (queue === REQUESTQ || queue === EVENTQ) {
      this.counts.interrupts[queue === EVENTQ ? 1 : 0]++;
      if (this._timingKick && this._kickCalledAt < 0) this._kickCalledAt = this._clock.now() - this._origin;
      this.signal(queue);
    } else {
      // Config-change interrupts need the back-end request channel, which this back end does not offer.
      this.counts.configInterrupts++;
    }
  }

  // ---- WireListener ---------------------------------------------------------------

  levelChanged(line: number, level: number): void {
    this.device?.levelChanged(line, level);
  }
}
