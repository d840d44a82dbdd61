import { EventQueue } from './clock/event-queue';
import { Prng } from './clock/prng';
import { Monitors } from './check/monitors';
import { Oracle, type PipelineProbe } from './check/oracle';
import { IRQ_STATUS_VALID, IRQ_TYPE_NONE } from './gpio/constants';
import { GpioDevice, type DeviceWiring } from './gpio/device';
import type { DeviceConfig, LatencyRange } from './gpio/policies';
import { Wire, type WireListener } from './gpio/wire';
import { World, type Pull, type SourceSpec, type WorldSink } from './gpio/world';
import { GpiomonReader, IrqConsumer, OutputUser, Poller, type Client, type ClientEnv, type ClientObserver, type ClientSpec } from './guest/clients';
import { VirtioGpioDriver, type DriverHost, type DriverVariant } from './guest/gpio-driver';
import { Gpiolib } from './guest/gpiolib';
import { IrqCore, type IrqFlowConfig, type IrqHost, type IrqOp } from './guest/irq-core';
import { GuestMemory } from './memory';
import { EV, type SimContext } from './sim-context';
import { TK } from './trace/kinds';
import { Trace } from './trace/trace';
import { TransportInterrupt, type InterruptMode } from './virtio/transport-irq';

/** Everything needed to build a machine; the scenario loader produces it. */
export interface MachineConfig {
  seed: number;
  device: DeviceConfig;
  queueSize: number;
  transport: InterruptMode;
  driver: DriverVariant;
  irqFlow: IrqFlowConfig;
  world: SourceSpec[];
  pulls: Pull[];
  clients: ClientSpec[];
  steps: MachineStep[];
  traceCapacity: number;
  traceEnabled: boolean;
  /** How long an owed interrupt may stay unserved before the oracle calls it lost. */
  settleNs: number;
}

/** One timeline action, with lines and clients already resolved to indices. */
export type StepAction =
  | { do: 'drive'; line: number; level: 0 | 1 }
  | { do: 'release'; line: number }
  | { do: 'pulse'; line: number; level: 0 | 1; widthNs: number }
  | { do: 'press'; line: number; pressed: boolean }
  | { do: 'clock'; line: number; periodNs: number; highNs: number; count: number | null }
  | { do: 'assert'; line: number }
  | { do: 'irq-type'; client: number; trigger: number }
  | { do: 'irq-disable'; client: number }
  | { do: 'irq-enable'; client: number }
  | { do: 'set-output'; client: number; value: 0 | 1 }
  | { do: 'shell'; command: string }
  | { do: 'pause' };

/**
 * A step at simulated time `at`. With `event`, it applies exactly after that
 * many processed events (how live UI actions are recorded, so a replay lands
 * them at the same place in the event order, not merely at the same time).
 */
export interface MachineStep {
  at: number;
  event?: number;
  action: StepAction;
}

/** Why a run call returned. */
export type RunStop = 'time' | 'paused' | 'idle' | 'event-limit' | 'predicate';

/** The shell, seen from the machine (implemented in guest/shell.ts). */
export interface ShellPort {
  /** `echoed`: the terminal already shows the line (typed live), so it is not printed again. */
  exec(command: string, echoed?: boolean): void;
  /** Called when the chip is ready, so commands typed earlier can run. */
  chipReady(): void;
  /** Everything the shell printed so far. */
  transcript(): string;
  /** An EV.Shell event came due (a shell timer: gpioset -t, gpiomon --idle-timeout, press holds). */
  timer?(a: number, b: number, c: number): void;
}

/** Memory big enough for both rings, every per-line buffer and the names block. */
function memorySize(cfg: MachineConfig): number {
  const q = cfg.queueSize;
  const ring = 16 * q + (6 + 2 * q) + (6 + 8 * q) + 64;
  const names = cfg.device.names ? cfg.device.names.reduce((n, s) => n + s.length + 1, 0) : 0;
  return 0x1000 + 2 * ring + cfg.device.ngpio * 4 * 64 + names + 64 + 0x1000;
}

/**
 * The whole simulated system: guest memory, the device and its transport, the
 * wire and the world outside, the guest driver stack and its clients, the
 * oracle and the spec monitors, all driven by one event queue in simulated
 * nanoseconds. It is pure TypeScript: the same config and seed give the same
 * trace hash anywhere.
 */
export class Machine implements SimContext, DeviceWiring, WorldSink, WireListener, DriverHost, IrqHost, ClientObserver, PipelineProbe {
  readonly cfg: MachineConfig;
  now = 0;
  readonly queue = new EventQueue(1024);
  readonly prng: Prng;
  readonly trace: Trace;
  readonly mem: GuestMemory;

  readonly device: GpioDevice;
  readonly transport: TransportInterrupt;
  readonly wire: Wire;
  readonly world: World;
  readonly chip: VirtioGpioDriver;
  readonly irq: IrqCore;
  readonly gpiolib: Gpiolib;
  readonly clients: Client[] = [];
  readonly oracle: Oracle;
  readonly monitors: Monitors;
  shell: ShellPort | null = null;

  /** Events processed so far (the position exact steps are recorded against). */
  processed = 0;
  /** Steps applied live (through applyLive), ready to be saved with the scenario. */
  readonly recorded: MachineStep[] = [];
  private readonly _exactSteps: MachineStep[];
  private _exactNext = 0;
  private _pauseRequested = false;
  private _chipReady = false;
  private readonly _pendingShell: string[] = [];

  // Pipeline bookkeeping for the oracle: eventq buffers on their way to the device, VALIDs on their way back.
  private readonly _toDevice: Int32Array;
  private readonly _validPending: Int32Array;

  /** Sum of eventq VALID / INVALID buffers the driver consumed, per line. */
  readonly validConsumed: Uint32Array;
  readonly invalidConsumed: Uint32Array;

  constructor(cfg: MachineConfig) {
    this.cfg = cfg;
    this.prng = new Prng(cfg.seed);
    this.trace = new Trace(cfg.traceCapacity, cfg.traceEnabled);
    this.mem = new GuestMemory(memorySize(cfg));
    const n = cfg.device.ngpio;

    this.wire = new Wire(this, cfg.pulls);
    this.world = new World(this, this, cfg.world);
    this.device = new GpioDevice(this, this.mem, cfg.device, this);
    this.transport = new TransportInterrupt(this, cfg.transport, cfg.device.latency.interrupt);
    this.chip = new VirtioGpioDriver(this, this.mem, this.device, this, cfg.driver, cfg.queueSize);
    this.transport.sink = this.chip;
    this.irq = new IrqCore(this, this.chip, this, cfg.irqFlow, n);
    this.gpiolib = new Gpiolib(this, this.chip);
    this._toDevice = new Int32Array(n);
    this._validPending = new Int32Array(n);
    this.validConsumed = new Uint32Array(n);
    this.invalidConsumed = new Uint32Array(n);

    // Time zero: the world's initial drive and the device's outputs set the wire.
    for (let i = 0; i < n; i++) {
      const dev = cfg.device.initialDirection[i] === 1 ? (cfg.device.initialValue[i] ?? 0) : -1;
      this.wire.init(i, this.world.initialDrive(i), dev);
    }
    this.wire.listener = this;
    this.device.senseInitial();
    this.oracle = new Oracle(this, this, n, cfg.settleNs, this.wire.level);
    this.monitors = new Monitors(this, this.device);
    this.device.obs = this.monitors;

    const env: ClientEnv = { ctx: this, gpiolib: this.gpiolib, irq: this.irq, chip: this.chip, world: this.world, observer: this };
    for (const spec of cfg.clients) this.clients.push(this._makeClient(spec, env));

    // Timeline: time-only steps go on the queue now (they run first among events at their time);
    // exact-position steps wait in order for their event count.
    this._exactSteps = cfg.steps.filter((s) => s.event !== undefined).sort((a, b) => (a.event as number) - (b.event as number));
    cfg.steps.forEach((s, i) => {
      if (s.event === undefined) this.queue.push(s.at, EV.Step, i);
    });

    this.monitors.checkConfig();
    this.world.start();
    this.chip.probe();
  }

  // ---- SimContext -----------------------------------------------------------------

  emit(kind: number, line: number, a: number, b: number, c: number): number {
    return this.trace.emit(this.now, kind, line, a, b, c);
  }

  after(delay: number, ev: number, a = 0, b = 0, c = 0): void {
    this.queue.push(this.now + delay, ev, a, b, c);
  }

  draw(range: LatencyRange): number {
    return this.prng.range(range.min, range.max);
  }

  // ---- running --------------------------------------------------------------------

  /**
   * Runs events up to and including time `until` (then sets the clock to it),
   * stopping early at a pause step, after `maxEvents`, or when `stopWhen` says so.
   */
  runUntil(until: number, maxEvents = Infinity, stopWhen?: () => boolean): RunStop {
    let budget = maxEvents;
    for (;;) {
      if (this._pauseRequested) {
        this._pauseRequested = false;
        return 'paused';
      }
      if (budget-- <= 0) return 'event-limit';
      if (this._applyDueExactStep()) continue;
      const next = this.queue.peekTime();
      // Nothing queued (Infinity) stops even an unbounded run: there is no event to take.
      if (next > until || next === Infinity) {
        if (until !== Infinity && until > this.now) this.now = until;
        return next === Infinity && until === Infinity ? 'idle' : 'time';
      }
      this._processOne();
      if (stopWhen?.()) return 'predicate';
    }
  }

  /** Processes exactly one event (or one due exact step). False when nothing is left. */
  step(): boolean {
    if (this._applyDueExactStep()) return true;
    if (this.queue.size === 0) return false;
    this._processOne();
    return true;
  }

  /** Time of the next event, or Infinity. */
  nextEventTime(): number {
    const ex = this._exactSteps[this._exactNext];
    if (ex && ex.event === this.processed) return Math.max(this.now, ex.at);
    return this.queue.peekTime();
  }

  private _processOne(): void {
    const q = this.queue;
    q.pop();
    if (q.time > this.now) this.now = q.time;
    this.processed++;
    this._dispatch(q.kind, q.a, q.b, q.c);
  }

  private _applyDueExactStep(): boolean {
    const s = this._exactSteps[this._exactNext];
    if (!s || s.event !== this.processed) return false;
    this._exactNext++;
    if (s.at > this.now) this.now = s.at;
    // Traced exactly as when it was applied live (index -1), so a replay hashes the same.
    this._apply(s.action, -1, true);
    return true;
  }

  private _dispatch(kind: number, a: number, b: number, c: number): void {
    switch (kind) {
      case EV.Step:
        return this._apply((this.cfg.steps[a] as MachineStep).action, a, false);
      case EV.World:
        return this.world.act(a, b, c);
      case EV.DeviceWake:
        return this.device.wake(a);
      case EV.RequestDone:
        return this.device.requestDone(a);
      case EV.EventReturn:
        return this.device.eventReturn(a, b, c);
      case EV.GuestIrq:
        return this.transport.take(a);
      case EV.Handler:
        return this.irq.stage(a, b, c);
      case EV.Client:
        if (b === CLIENT_START) return this.clients[a]?.start();
        return this.clients[a]?.timer(b, c);
      case EV.OracleCheck:
        return this.oracle.check(a, b);
      case EV.Shell:
        return this.shell?.timer?.(a, b, c);
    }
  }

  // ---- steps ----------------------------------------------------------------------

  /** Applies an action now and records it at this exact position, for replay and share links. */
  applyLive(action: StepAction, opts: { echoed?: boolean } = {}): void {
    this.recorded.push({ at: this.now, event: this.processed, action });
    this._apply(action, -1, true, opts.echoed ?? false);
  }

  private _apply(action: StepAction, index: number, exact: boolean, echoed = false): void {
    if (action.do === 'pause') {
      // Not part of the simulation (the trace and its hash do not see it): a viewer stops here.
      this._pauseRequested = true;
      return;
    }
    this.emit(TK.Step, -1, index, STEP_CODES[action.do], exact ? 1 : 0);
    switch (action.do) {
      case 'drive':
        return this.world.set(action.line, action.level);
      case 'release':
        return this.world.release(action.line);
      case 'pulse':
        return this.world.pulse(action.line, action.level, action.widthNs);
      case 'press':
        return this.world.press(action.line, action.pressed);
      case 'clock':
        return this.world.startClock(action.line, action.periodNs, action.highNs, 0, action.count);
      case 'assert':
        return this.world.assert(action.line);
      case 'irq-type': {
        const c = this.clients[action.client];
        if (c instanceof IrqConsumer) c.setTrigger(action.trigger);
        return;
      }
      case 'irq-disable': {
        const c = this.clients[action.client];
        if (c instanceof IrqConsumer) c.disable();
        return;
      }
      case 'irq-enable': {
        const c = this.clients[action.client];
        if (c instanceof IrqConsumer) c.enable();
        return;
      }
      case 'set-output': {
        const c = this.clients[action.client];
        if (c instanceof OutputUser) c.set(action.value);
        return;
      }
      case 'shell':
        if (!this.shell) return;
        if (this._chipReady) this.shell.exec(action.command, echoed);
        else this._pendingShell.push(action.command);
        return;
    }
  }

  // ---- clients --------------------------------------------------------------------

  private _makeClient(spec: ClientSpec, env: ClientEnv): Client {
    const id = this.clients.length;
    switch (spec.kind) {
      case 'irq-consumer':
        return new IrqConsumer(id, env, spec);
      case 'gpiomon':
        return new GpiomonReader(id, env, spec.lines, spec.edges, spec.name, spec.startNs);
      case 'poller':
        return new Poller(id, env, spec);
      case 'output':
        return new OutputUser(id, env, spec);
    }
  }

  /** Adds a gpiomon reader at run time (the shell's gpiomon); the caller starts it. */
  addGpiomon(lines: number[], edges: 'rising' | 'falling' | 'both', name = 'gpiomon'): GpiomonReader {
    const env: ClientEnv = { ctx: this, gpiolib: this.gpiolib, irq: this.irq, chip: this.chip, world: this.world, observer: this };
    const reader = new GpiomonReader(this.clients.length, env, lines, edges, name);
    this.clients.push(reader);
    return reader;
  }

  get chipReady(): boolean {
    return this._chipReady;
  }

  // ---- DeviceWiring ---------------------------------------------------------------

  outputChanged(line: number, level: number): void {
    this.wire.setDevice(line, level);
  }
  level(line: number): number {
    return this.wire.level[line] as number;
  }
  interrupt(queue: number): void {
    this.transport.raise(queue);
  }
  eventTaken(line: number): void {
    if (this._toDevice[line]! > 0) this._toDevice[line]!--;
  }
  eventDecided(line: number, status: number): void {
    if (status === IRQ_STATUS_VALID) this._validPending[line]!++;
  }

  // ---- WorldSink / WireListener ---------------------------------------------------

  worldDrive(line: number, level: number): void {
    this.wire.setWorld(line, level);
  }
  sourceEpisode(line: number, _episode: number): void {
    this.oracle.episode(line);
  }
  levelChanged(line: number, level: number): void {
    this.device.sense(line, level);
    this.oracle.level(line, level);
  }

  // ---- DriverHost -----------------------------------------------------------------

  callDone(cookie: number, result: number): void {
    this.gpiolib.callDone(cookie, result);
  }
  probed(result: number): void {
    if (result < 0) return;
    this.gpiolib.registerChip();
    this._chipReady = true;
    // Client drivers bind once the chip is registered, at their start time at the earliest.
    for (const c of this.clients) {
      if (c.startNs <= this.now) c.start();
      else this.queue.push(c.startNs, EV.Client, c.id, CLIENT_START, 0);
    }
    this.shell?.chipReady();
    for (const cmd of this._pendingShell.splice(0)) this.shell?.exec(cmd);
  }
  handleIrq(line: number): void {
    this.irq.handleIrq(line);
  }
  syncUnlockDone(line: number): void {
    this.irq.syncUnlockDone(line);
  }
  eventConsumed(line: number, status: number): void {
    if (status === IRQ_STATUS_VALID) {
      this.validConsumed[line]!++;
    } else {
      this.invalidConsumed[line]!++;
    }
    // Any status the device decided as VALID counts here, even if a fault rewrote it.
    if (this._validPending[line]! > 0) this._validPending[line]!--;
  }
  eventQueued(line: number): void {
    this._toDevice[line]!++;
  }

  // ---- IrqHost --------------------------------------------------------------------

  primary(clientId: number, line: number, callNo: number): number {
    return this.clients[clientId]?.primary(line, callNo) ?? 0;
  }
  thread(clientId: number, line: number, callNo: number): number {
    return this.clients[clientId]?.thread(line, callNo) ?? 0;
  }
  irqOpDone(line: number, op: IrqOp, result: number, clientId: number): void {
    this.clients[clientId]?.irqOpDone(line, op, result);
  }
  handlerStart(line: number, _clientId: number, callNo: number, part: number): void {
    if (part === 0) this.oracle.handlerStart(line, callNo);
  }
  handlerEnd(): void {}

  // ---- ClientObserver / PipelineProbe ---------------------------------------------

  expect(line: number, trigger: number): void {
    if (trigger !== IRQ_TYPE_NONE) this.oracle.expect(line, trigger);
  }
  unexpect(line: number): void {
    this.oracle.unexpect(line);
  }
  inFlight(line: number): boolean {
    return this.irq.busy(line) || this._validPending[line]! > 0 || this._toDevice[line]! > 0 || this.chip.busy(line);
  }

  /** Ends the run: the oracle judges what is old enough. Call once, after the last runUntil. */
  finish(): void {
    this.oracle.finish();
  }
}

const CLIENT_START = 100;

/** Numeric codes of step kinds in Step trace events. */
export const STEP_CODES: Record<StepAction['do'], number> = {
  drive: 1,
  release: 2,
  pulse: 3,
  press: 4,
  clock: 5,
  assert: 6,
  'irq-type': 7,
  'irq-disable': 8,
  'irq-enable': 9,
  'set-output': 10,
  shell: 11,
  pause: 12,
};
