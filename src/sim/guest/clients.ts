import {
  IRQ_TYPE_EDGE_BOTH,
  IRQ_TYPE_EDGE_FALLING,
  IRQ_TYPE_EDGE_RISING,
} from '../gpio/constants';
import type { World } from '../gpio/world';
import { EV, type SimContext } from '../sim-context';
import { TK } from '../trace/kinds';
import { EdgeFlags, GpioOp, type GpioRequester, type Gpiolib } from './gpiolib';
import type { IrqClients, IrqCore, IrqOp } from './irq-core';
import type { VirtioGpioDriver } from './gpio-driver';
import { DEBOUNCE_ACTION_BASE, SoftwareDebounce } from './sw-debounce';
import { ENODEV, ENXIO } from './warnings';

/** gpioDone tag of the direction_input a no-interrupt chip gets before the request fails. */
const NO_IRQ_TAG = -(1 << 30);
/** gpioDone tags of the software debounce's reads (+ line): the level at request time, the work's read. */
const DEBOUNCE_INIT_TAG = 1 << 20;
const DEBOUNCE_WORK_TAG = 2 << 20;

/** Scenario-level description of a client driver. */
export type ClientSpec =
  | {
      kind: 'irq-consumer';
      line: number;
      name: string;
      trigger: number;
      /** A threaded (IRQF_ONESHOT) handler: the line stays masked until the thread is done. */
      threaded: boolean;
      primaryNs: number;
      threadNs: number;
      /**
       * Acknowledging a level source at the source: never, in the primary handler,
       * in the thread, or later from a workqueue (`ackDelayNs` after the call).
       */
      ack: 'none' | 'handler' | 'thread' | 'deferred';
      ackDelayNs: number;
      startNs: number;
    }
  | { kind: 'gpiomon'; lines: number[]; edges: 'rising' | 'falling' | 'both'; name: string; startNs: number; debounceNs?: number }
  | { kind: 'poller'; line: number; name: string; intervalNs: number; startNs: number }
  | { kind: 'output'; line: number; name: string; initial: 0 | 1; startNs: number };

/** What the oracle is told about a client's interrupt expectations. */
export interface ClientObserver {
  /** From now on the client expects interrupts of `trigger` on `line`. */
  expect(line: number, trigger: number): void;
  /** The client stopped expecting interrupts on `line`. */
  unexpect(line: number): void;
}

/** One edge gpiomon reported. */
export interface GpiomonEvent {
  t: number;
  line: number;
  edge: 'rising' | 'falling';
}

export interface GpiomonListener {
  gpiomonEvent(ev: GpiomonEvent): void;
  gpiomonError(errno: number, what: string): void;
  /** request_irq returned for a line: edge detection is on there. */
  gpiomonReady?(line: number): void;
}

/**
 * What the gpiomon check (check/gpiomon-check.ts) is told: when edge
 * detection starts and stops on a line, and each event gpiomon reports
 * (physical edge, timestamp taken by the primary handler).
 */
export interface GpiomonWatcher {
  gpiomonArmed(line: number, trigger: number): void;
  gpiomonDisarmed(line: number): void;
  gpiomonReported(line: number, edge: 'rising' | 'falling', stampNs: number): void;
}

/** Shared wiring every client gets. */
export interface ClientEnv {
  ctx: SimContext;
  gpiolib: Gpiolib;
  irq: IrqCore;
  chip: VirtioGpioDriver;
  world: World;
  observer: ClientObserver;
  /** The gpiomon check, when the machine has one. */
  gpiomonWatcher?: GpiomonWatcher;
}

const ClientAction = { DeferredAck: 1, PollAgain: 2 } as const;

export abstract class Client implements GpioRequester {
  readonly id: number;
  readonly env: ClientEnv;
  /** When the client driver binds (after the chip is registered). */
  startNs = 0;
  /** The last error this client got (errno), or 0. */
  error = 0;
  errorWhat = '';

  constructor(id: number, env: ClientEnv) {
    this.id = id;
    this.env = env;
  }

  abstract readonly kind: ClientSpec['kind'];
  abstract readonly lines: readonly number[];
  abstract start(): void;
  primary(_line: number, _callNo: number): number {
    return 0;
  }
  thread(_line: number, _callNo: number): number {
    return 0;
  }
  timer(_action: number, _gen: number): void {}
  gpioDone(_tag: number, _result: number): void {}
  irqOpDone(_line: number, _op: IrqOp, _result: number): void {}

  protected fail(errno: number, what: string): void {
    this.error = errno;
    this.errorWhat = what;
  }
}

/**
 * A kernel driver that takes an interrupt from a GPIO line (think gpio-keys or
 * a sensor driver): requests the line as input, calls request_irq with the
 * trigger, counts and timestamps its handler calls, and acknowledges a level
 * source at the source when the scenario says so.
 */
export class IrqConsumer extends Client {
  readonly kind = 'irq-consumer';
  readonly spec: Extract<ClientSpec, { kind: 'irq-consumer' }>;
  readonly lines: readonly number[];
  trigger: number;
  calls = 0;
  readonly callTimes: number[] = [];
  acks = 0;
  enabled = false;
  private _ackGen = 0;
  private static readonly _MAX_TIMES = 10_000;

  constructor(id: number, env: ClientEnv, spec: Extract<ClientSpec, { kind: 'irq-consumer' }>) {
    super(id, env);
    this.spec = spec;
    this.lines = [spec.line];
    this.trigger = spec.trigger;
    this.startNs = spec.startNs;
  }

  start(): void {
    const { gpiolib, chip } = this.env;
    const line = this.spec.line;
    const r = gpiolib.request(line, this.spec.name);
    if (r < 0) return this.fail(r, 'request line');
    if (!chip.hasIrq) return this.fail(ENODEV, 'gpiod_to_irq: no interrupt support');
    gpiolib.call(line, GpioOp.DirectionInput, 0, this, 0);
  }

  override gpioDone(_tag: number, result: number): void {
    if (result < 0) return this.fail(result, 'direction_input');
    this.env.irq.requestIrq(this.spec.line, this.trigger, { clientId: this.id, threaded: this.spec.threaded }, this.id);
  }

  override irqOpDone(line: number, op: IrqOp, result: number): void {
    const { gpiolib, observer } = this.env;
    if (result < 0) {
      if (op === 'request') this.fail(result, 'request_irq');
      return;
    }
    if (op === 'request' || op === 'enable' || op === 'set-type') {
      gpiolib.usedAsIrq[line] = 1;
      gpiolib.irqEnabled[line] = 1;
      this.enabled = true;
      observer.expect(line, this.trigger);
    } else if (op === 'free') {
      gpiolib.usedAsIrq[line] = 0;
      gpiolib.irqEnabled[line] = 0;
    }
  }

  override primary(line: number, _callNo: number): number {
    this.calls++;
    if (this.callTimes.length < IrqConsumer._MAX_TIMES) this.callTimes.push(this.env.ctx.now);
    if (this.spec.ack === 'handler') this._ack(line);
    else if (this.spec.ack === 'deferred') this.env.ctx.after(this.spec.ackDelayNs, EV.Client, this.id, ClientAction.DeferredAck, this._ackGen);
    return this.spec.primaryNs;
  }

  override thread(line: number, _callNo: number): number {
    if (this.spec.ack === 'thread') this._ack(line);
    return this.spec.threadNs;
  }

  override timer(action: number, gen: number): void {
    if (action === ClientAction.DeferredAck && gen === this._ackGen) this._ack(this.spec.line);
  }

  /** irq_set_irq_type on the live interrupt (a polarity flip, say). */
  setTrigger(trigger: number): void {
    this.trigger = trigger;
    this.env.observer.unexpect(this.spec.line);
    this.env.irq.setIrqType(this.spec.line, trigger, this.id);
  }

  disable(): void {
    this.enabled = false;
    this.env.observer.unexpect(this.spec.line);
    this.env.gpiolib.irqEnabled[this.spec.line] = 0;
    this.env.irq.disableIrq(this.spec.line, this.id);
  }

  enable(): void {
    this.env.irq.enableIrq(this.spec.line, this.id);
  }

  private _ack(line: number): void {
    this.acks++;
    this.env.ctx.emit(TK.SourceAck, line, this.id, 0, 0);
    this.env.world.ack(line);
  }
}

/**
 * What `gpiomon` does through the GPIO character device: request the lines
 * with edge detection, which in the kernel is a threaded oneshot interrupt
 * (edge_irq_handler takes the timestamp, edge_irq_thread reports the event).
 * For both edges the thread reads the line back with GET_VALUE to tell rising
 * from falling, as gpiolib-cdev does.
 */
export class GpiomonReader extends Client {
  readonly kind = 'gpiomon';
  readonly lines: readonly number[];
  readonly edges: 'rising' | 'falling' | 'both';
  readonly name: string;
  listener: GpiomonListener | null = null;
  readonly events: GpiomonEvent[] = [];
  private readonly _stamp: Float64Array;
  private readonly _requested: boolean[];
  /** request_irq issued for the line (it may still be waiting for the bus lock). */
  private readonly _irqIssued: boolean[];
  active = false;
  /** Software debounce (gpiomon --debounce-period), or null. */
  readonly debounce: SoftwareDebounce | null;
  private static readonly _MAX_EVENTS = 10_000;

  constructor(id: number, env: ClientEnv, lines: number[], edges: 'rising' | 'falling' | 'both', name = 'gpiomon', startNs = 0, debounceNs = 0) {
    super(id, env);
    this.debounce = debounceNs > 0 ? new SoftwareDebounce(env.ctx, debounceNs, env.chip.ngpio) : null;
    this.startNs = startNs;
    this.lines = lines;
    this.edges = edges;
    this.name = name;
    this._stamp = new Float64Array(env.chip.ngpio);
    this._requested = new Array<boolean>(env.chip.ngpio).fill(false);
    this._irqIssued = new Array<boolean>(env.chip.ngpio).fill(false);
  }

  get trigger(): number {
    return this.edges === 'rising' ? IRQ_TYPE_EDGE_RISING : this.edges === 'falling' ? IRQ_TYPE_EDGE_FALLING : IRQ_TYPE_EDGE_BOTH;
  }

  start(): void {
    const { gpiolib, chip } = this.env;
    for (const line of this.lines) {
      const r = gpiolib.request(line, this.name);
      if (r < 0) return this._error(r, 'unable to request lines');
      this._requested[line] = true;
    }
    this.active = true;
    if (!chip.hasIrq) {
      // linereq_create(): the first line is switched to input, then edge_detector_setup() finds no
      // interrupt (gpiod_to_irq fails) and the request ioctl fails with ENXIO; the lines are freed.
      gpiolib.call(this.lines[0] as number, GpioOp.DirectionInput, 0, this, NO_IRQ_TAG);
      return;
    }
    for (const line of this.lines) {
      gpiolib.edges[line] = this.edges === 'rising' ? EdgeFlags.Rising : this.edges === 'falling' ? EdgeFlags.Falling : EdgeFlags.Both;
      gpiolib.call(line, GpioOp.DirectionInput, 0, this, line);
    }
  }

  /** Stops monitoring: free_irq, then release the lines (SET_DIRECTION NONE). */
  stop(): void {
    const { gpiolib, irq, observer } = this.env;
    this.active = false;
    for (const line of this.lines) {
      if (!this._requested[line]) continue;
      this._requested[line] = false;
      observer.unexpect(line);
      this.env.gpiomonWatcher?.gpiomonDisarmed(line);
      // A request_irq still in flight is freed when it returns (irqOpDone); a live one now.
      if (irq.action[line]?.clientId === this.id) {
        this._irqIssued[line] = false;
        irq.freeIrq(line, this.id);
      }
      gpiolib.release(line);
    }
  }

  override gpioDone(tag: number, result: number): void {
    // tag >= 0: direction_input for line `tag`; tag < 0: the thread's GET_VALUE for line ~tag.
    if (tag === NO_IRQ_TAG) {
      if (this.active) this._error(result < 0 ? result : ENXIO, 'unable to request lines');
      return;
    }
    if (tag >= DEBOUNCE_WORK_TAG) {
      const line = tag - DEBOUNCE_WORK_TAG;
      const edge = this.active && result >= 0 ? this.debounce!.settle(line, result) : null;
      if (edge !== null && (this.edges === 'both' || this.edges === edge)) {
        this._stamp[line] = this.env.ctx.now; // debounce_work_func takes the timestamp when it reports
        this._report(line, edge);
      }
      return;
    }
    if (tag >= DEBOUNCE_INIT_TAG) {
      const line = tag - DEBOUNCE_INIT_TAG;
      if (!this.active) return;
      if (result < 0) return this._error(result, 'unable to request lines');
      this.debounce!.level[line] = result;
      this._irqIssued[line] = true;
      // Both edges, a plain handler: it only restarts the debounce work.
      this.env.irq.requestIrq(line, IRQ_TYPE_EDGE_BOTH, { clientId: this.id, threaded: false }, this.id);
      return;
    }
    if (tag >= 0) {
      if (!this.active) return; // Stopped while the line was being set up.
      if (result < 0) return this._error(result, 'unable to request lines');
      // debounce_setup(): with software debounce, read the level the first edge will be compared with.
      if (this.debounce) return this.env.gpiolib.call(tag, GpioOp.Get, 0, this, DEBOUNCE_INIT_TAG + tag);
      this._irqIssued[tag] = true;
      this.env.irq.requestIrq(tag, this.trigger, { clientId: this.id, threaded: true }, this.id);
      return;
    }
    const line = ~tag;
    if (result >= 0) this._report(line, result === 1 ? 'rising' : 'falling');
    this.env.irq.threadDone(line);
  }

  override irqOpDone(line: number, op: IrqOp, result: number): void {
    if (op === 'request') {
      if (result < 0) return this._error(result, 'unable to request lines');
      if (!this.active) {
        // stop() ran while this request waited for the bus lock: give the interrupt back.
        this._irqIssued[line] = false;
        this.env.irq.freeIrq(line, this.id);
        return;
      }
      this.env.gpiolib.usedAsIrq[line] = 1;
      this.env.gpiolib.irqEnabled[line] = 1;
      this.env.observer.expect(line, this.debounce ? IRQ_TYPE_EDGE_BOTH : this.trigger);
      this.env.gpiomonWatcher?.gpiomonArmed(line, this.trigger);
      this.listener?.gpiomonReady?.(line);
    } else if (op === 'free') {
      this.env.gpiolib.usedAsIrq[line] = 0;
      this.env.gpiolib.irqEnabled[line] = 0;
      this.env.gpiolib.edges[line] = 0;
    }
  }

  override primary(line: number): number {
    if (this.debounce) {
      this.debounce.kick(line, this.id);
      return 0;
    }
    // edge_irq_handler: the event timestamp is taken here, when the eventq buffer is processed.
    this._stamp[line] = this.env.ctx.now;
    return 0;
  }

  override timer(action: number, gen: number): void {
    const line = action - DEBOUNCE_ACTION_BASE;
    // debounce_work_func: the period passed with no further edge; read the line.
    if (this.debounce && this.active && line >= 0 && this.debounce.current(line, gen)) {
      this.env.gpiolib.call(line, GpioOp.Get, 0, this, DEBOUNCE_WORK_TAG + line);
    }
  }

  override thread(line: number): number {
    if (this.edges === 'both') {
      // The direction of the edge is not in the message: read the level back (a full round trip).
      this.env.gpiolib.call(line, GpioOp.Get, 0, this, ~line);
      return -1;
    }
    this._report(line, this.edges);
    return 0;
  }

  private _report(line: number, edge: 'rising' | 'falling'): void {
    const ev: GpiomonEvent = { t: this._stamp[line] as number, line, edge };
    if (this.events.length < GpiomonReader._MAX_EVENTS) this.events.push(ev);
    this.env.ctx.emit(TK.GpiomonEvent, line, edge === 'rising' ? 1 : 2, this.id, 0);
    this.env.gpiomonWatcher?.gpiomonReported(line, edge, ev.t);
    this.listener?.gpiomonEvent(ev);
  }

  private _error(errno: number, what: string): void {
    this.fail(errno, what);
    this.listener?.gpiomonError(errno, what);
    this.stop();
  }
}

/** A driver that owns an output line (an LED, a reset line) and sets it. */
export class OutputUser extends Client {
  readonly kind = 'output';
  readonly spec: Extract<ClientSpec, { kind: 'output' }>;
  readonly lines: readonly number[];
  value: number;
  sets = 0;

  constructor(id: number, env: ClientEnv, spec: Extract<ClientSpec, { kind: 'output' }>) {
    super(id, env);
    this.spec = spec;
    this.lines = [spec.line];
    this.value = spec.initial;
    this.startNs = spec.startNs;
  }

  start(): void {
    const r = this.env.gpiolib.request(this.spec.line, this.spec.name);
    if (r < 0) return this.fail(r, 'request line');
    this.env.gpiolib.call(this.spec.line, GpioOp.DirectionOutput, this.value, this, 0);
  }

  set(value: number): void {
    this.value = value;
    this.env.gpiolib.call(this.spec.line, GpioOp.Set, value, this, 1);
  }

  override gpioDone(tag: number, result: number): void {
    if (result < 0) this.fail(result, tag === 0 ? 'direction_output' : 'set');
    else if (tag === 1) this.sets++;
  }
}


/**
 * A driver that polls a line's value (a requestq round trip per read): back
 * to back with interval 0, else every `intervalNs`. The request benchmarks use it.
 */
export class Poller extends Client {
  readonly kind = 'poller';
  readonly spec: Extract<ClientSpec, { kind: 'poller' }>;
  readonly lines: readonly number[];
  reads = 0;
  lastValue = -1;
  stopped = false;

  constructor(id: number, env: ClientEnv, spec: Extract<ClientSpec, { kind: 'poller' }>) {
    super(id, env);
    this.spec = spec;
    this.lines = [spec.line];
    this.startNs = spec.startNs;
  }

  override start(): void {
    const r = this.env.gpiolib.request(this.spec.line, this.spec.name);
    if (r < 0) return this.fail(r, 'request line');
    this.env.gpiolib.call(this.spec.line, GpioOp.Get, 0, this, 0);
  }

  override gpioDone(_tag: number, result: number): void {
    if (result < 0) return this.fail(result, 'get');
    this.reads++;
    this.lastValue = result;
    if (this.stopped) return;
    if (this.spec.intervalNs === 0) this.env.gpiolib.call(this.spec.line, GpioOp.Get, 0, this, 0);
    else this.env.ctx.after(this.spec.intervalNs, EV.Client, this.id, ClientAction.PollAgain, 0);
  }

  override timer(action: number): void {
    if (action === ClientAction.PollAgain && !this.stopped) this.env.gpiolib.call(this.spec.line, GpioOp.Get, 0, this, 0);
  }
}


/**
 * The client drivers of a run, by id (their index): the irq core reaches
 * their handlers through it, and the shell adds gpiomon readers at run time.
 */
export class ClientSet implements IrqClients {
  readonly list: Client[] = [];
  private _env: ClientEnv | null = null;

  /** The guest the clients live in (built after the irq core, which needs this set). */
  connect(env: ClientEnv): void {
    this._env = env;
  }

  add(spec: ClientSpec): Client {
    const id = this.list.length;
    const env = this._env as ClientEnv;
    let c: Client;
    switch (spec.kind) {
      case 'irq-consumer':
        c = new IrqConsumer(id, env, spec);
        break;
      case 'gpiomon':
        c = new GpiomonReader(id, env, spec.lines, spec.edges, spec.name, spec.startNs, spec.debounceNs ?? 0);
        break;
      case 'poller':
        c = new Poller(id, env, spec);
        break;
      case 'output':
        c = new OutputUser(id, env, spec);
        break;
    }
    this.list.push(c);
    return c;
  }

  /** A gpiomon reader added at run time (the shell's gpiomon); the caller starts it. */
  addGpiomon(lines: number[], edges: 'rising' | 'falling' | 'both', name = 'gpiomon', debounceNs = 0): GpiomonReader {
    return this.add({ kind: 'gpiomon', lines, edges, name, startNs: 0, debounceNs }) as GpiomonReader;
  }

  /** The irq-consumer client of a line, or -1. */
  consumerOn(line: number): number {
    return this.list.findIndex((c) => c instanceof IrqConsumer && c.spec.line === line);
  }

  primary(clientId: number, line: number, callNo: number): number {
    return this.list[clientId]?.primary(line, callNo) ?? 0;
  }

  thread(clientId: number, line: number, callNo: number): number {
    return this.list[clientId]?.thread(line, callNo) ?? 0;
  }

  irqOpDone(line: number, op: IrqOp, result: number, clientId: number): void {
    this.list[clientId]?.irqOpDone(line, op, result);
  }
}
