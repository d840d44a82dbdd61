import { ACTION_KINDS, ActionOrigin, checkAction, MAX_DURATION_NS, MAX_SHELL_COMMAND, type Action, type ActionBoard, type ActionError, type TimedAction } from './actions';
import { GpiomonCheck } from './check/gpiomon-check';
import { CauseTracker } from './check/causes';
import { Monitors } from './check/monitors';
import { Oracle } from './check/oracle';
import { EventqPipeline } from './check/pipeline';
import { GpioDevice } from './gpio/device';
import type { DeviceConfig } from './gpio/policies';
import { Wire } from './gpio/wire';
import { DIRECTION_OUT } from './gpio/constants';
import { World, initialDrive, isWorldStep, type Pull, type SourceSpec } from './gpio/world';
import { ClientSet, type Client, type ClientEnv, type ClientSpec, type GpiomonReader, type IrqConsumer, type OutputUser } from './guest/clients';
import { VirtioGpioDriver, type DriverVariant } from './guest/gpio-driver';
import { Gpiolib } from './guest/gpiolib';
import { IrqCore, type IrqFlowConfig } from './guest/irq-core';
import { ROGUE_AREA, RogueDriver } from './guest/rogue';
import { Shell, type ShellPort } from './guest/shell';
import { GuestMemory } from './memory';
import type { TableBuffers } from './typed-block';
import { EV, ScheduleChooser, SimCore, type Chooser, type TraceTap } from './sim-context';
import { TK } from './trace/kinds';
import type { Trace } from './trace/trace';
import { AVAIL_ENTRY_SIZE, AVAIL_RING, DESC_SIZE, USED_ELEM_SIZE, USED_RING } from './virtio/constants';
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
  steps: TimedAction[];
  traceCapacity: number;
  traceEnabled: boolean;
  /** How long an owed interrupt may stay unserved before the oracle calls it lost. */
  settleNs: number;
  /** Timeline steps with a time window: each window is drawn once, in order, before the run starts. */
  windows?: StepWindow[];
  /** Schedule choices to replay: (choice index, value), rising index; others take the seeded default. */
  schedule?: readonly (readonly [number, number])[];
  /** Decides every choice point instead (the explorer); wins over `schedule`. */
  chooser?: Chooser | null;
  /** Room on the event queue before it first grows (the explorer builds thousands of small machines). */
  queueCapacity?: number;
  /**
   * Follow causes (default true; they need the trace). The explorer turns them off for the
   * schedules it only judges: causes never change the simulation, and its counterexample is
   * replayed with them on before it is reported.
   */
  causes?: boolean;
  /**
   * Follows the trace as it is written, from the first event the constructor traces (at time
   * zero) on, ahead of the causes tracker: the explorer's recorder. Needs the trace on.
   */
  tap?: TraceTap | null;
  /**
   * Guest RAM to reuse instead of a new buffer (zeroed here), taken only when its size is
   * exactly what this config needs: the explorer runs thousands of machines one after another.
   */
  memory?: ArrayBuffer;
  /**
   * The previous machine's host-side tables to reuse, zeroed (rewound here): for the explorer, like
   * `memory`. The machine that used them last must never run again.
   */
  tables?: TableBuffers;
}

/** A time window on timeline steps: they run up to `width` ns after their `at`, as drawn. */
export interface StepWindow {
  width: number;
  /** Indexes into MachineConfig.steps (a press with hold is two). */
  steps: number[];
}

/** Why a run call returned. */
/**
 * Why runUntil returned. 'time-limit': the next event lies beyond
 * Number.MAX_SAFE_INTEGER ns, where simulated time would stop being exact; the
 * clock stays below it.
 */
export type RunStop = 'time' | 'paused' | 'idle' | 'event-limit' | 'predicate' | 'time-limit';

/** A page: guest memory starts with a null page (address 0 is never a buffer) and ends with a spare one. */
const PAGE = 0x1000;
/** Alignment slack per allocation: the driver aligns every buffer to a 64-byte cache line. */
const SLACK = 64;

/** Memory big enough for both rings, every per-line buffer (request, response, irq pair) and the names block. */
function memorySize(cfg: MachineConfig): number {
  const q = cfg.queueSize;
  const ring = DESC_SIZE * q + (AVAIL_RING + AVAIL_ENTRY_SIZE * q + 2) + (USED_RING + USED_ELEM_SIZE * q + 2) + SLACK;
  const names = cfg.device.names ? cfg.device.names.reduce((n, s) => n + s.length + 1, 0) : 0;
  return PAGE + 2 * ring + cfg.device.ngpio * 4 * SLACK + names + SLACK + PAGE;
}

/** Exact-position steps in the order of their event counts. */
function exactSteps(steps: readonly TimedAction[]): TimedAction[] {
  return steps.filter((s) => s.event !== undefined).sort((a, b) => (a.event as number) - (b.event as number));
}

/** Two taps in turn: the first sees each event before the second (the causes tracker) traces a cause after it. */
function bothTaps(first: TraceTap, second: TraceTap): TraceTap {
  const kinds = first.kinds.map((k, i) => k | (second.kinds[i] ?? 0));
  const a = first.kinds;
  const b = second.kinds;
  return {
    kinds,
    traced: (seq, kind, line, x, y, z) => {
      if (a[kind] === 1) first.traced(seq, kind, line, x, y, z);
      if (b[kind] === 1) second.traced(seq, kind, line, x, y, z);
    },
  };
}

/** Client timer action that starts a client driver at its start time (after the chip is registered). */
const CLIENT_START = 100;

/**
 * The whole simulated system: guest memory, the device and its transport, the
 * wire and the world outside, the guest driver stack, its clients and shell,
 * the oracle and the spec monitors, all driven by one event queue in
 * simulated nanoseconds. The machine builds the parts and connects them (the
 * world drives the wire, the wire tells the device and the oracle, the device
 * raises the transport); it then only dispatches queued events and carries out
 * actions. Pure TypeScript: the same config and seed give the same trace hash.
 */
export class Machine implements ActionBoard {
  readonly cfg: MachineConfig;
  /** Simulated time, the event queue, the PRNG and the trace that every part shares. */
  readonly core: SimCore;
  readonly mem: GuestMemory;

  readonly wire: Wire;
  readonly world: World;
  readonly device: GpioDevice;
  readonly transport: TransportInterrupt;
  readonly chip: VirtioGpioDriver;
  readonly irq: IrqCore;
  readonly gpiolib: Gpiolib;
  private readonly _clients = new ClientSet();
  readonly clients: readonly Client[] = this._clients.list;
  readonly oracle: Oracle;
  /** Compares what gpiomon reports with the waveform (wrong direction, missed, phantom). */
  readonly gpiomonCheck: GpiomonCheck;
  /** Where each line's interrupt is on its way through the stack (for the oracle and the report). */
  readonly pipeline: EventqPipeline;
  readonly monitors: Monitors;
  private _causes: CauseTracker | null = null;
  /** Built on first use (see `shell`): most runs never type a command, and the explorer builds a machine per schedule. */
  private _shell: Shell | null = null;
  /** A misbehaving driver on the same rings: the `inject-*` actions. */
  readonly rogue: RogueDriver;

  /** Events processed so far (the position exact steps are recorded against). */
  processed = 0;
  private readonly _exactSteps: TimedAction[];
  private _exactNext = 0;
  private _pauseRequested = false;
  private _chipReady = false;

  constructor(cfg: MachineConfig) {
    this.cfg = cfg;
    cfg.tables?.rewind();
    const core = (this.core = new SimCore(cfg.seed, cfg.traceCapacity, cfg.traceEnabled, cfg.queueCapacity, cfg.tables ?? null));
    core.chooser = cfg.chooser ?? (cfg.schedule ? new ScheduleChooser(cfg.schedule) : null);
    const tap = cfg.tap ?? null;
    core.tap = tap;
    // The misbehaving driver's scratch corner sits after everything the real driver allocates.
    const rogueBase = memorySize(cfg);
    const size = rogueBase + ROGUE_AREA;
    const reuse = cfg.memory !== undefined && cfg.memory.byteLength === size;
    if (reuse) new Uint8Array(cfg.memory as ArrayBuffer).fill(0);
    this.mem = new GuestMemory(reuse ? (cfg.memory as ArrayBuffer) : size);
    const n = cfg.device.ngpio;

    this.pipeline = new EventqPipeline(n);
    this.wire = new Wire(core, cfg.pulls);
    const lat = cfg.device.latency;
    const zero = { min: 0, max: 0 };
    this.transport = new TransportInterrupt(core, cfg.transport, lat.interrupt, {
      assert: lat.irqfdAssert ?? zero,
      deassert: lat.irqfdDeassert ?? zero,
      resample: lat.irqfdResample ?? null,
    });
    this.device = new GpioDevice(core, this.mem, cfg.device, this.wire, this.transport, this.pipeline);
    this.chip = new VirtioGpioDriver(core, this.mem, this.device, cfg.driver, cfg.queueSize);
    this.transport.sink = this.chip;
    // No function literals in this constructor: see _links().
    const links = this._links();
    this.rogue = new RogueDriver(core, this.mem, links.rogue, rogueBase);
    this.chip.foreign = links.foreign;

    // Time zero: the world's initial drive and the device's outputs set the wire, silently.
    for (let i = 0; i < n; i++) {
      const dev = cfg.device.initialDirection[i] === DIRECTION_OUT ? (cfg.device.initialValue[i] ?? 0) : -1;
      this.wire.init(i, initialDrive(cfg.world[i] as SourceSpec), dev);
    }
    this.device.senseInitial();
    this.oracle = new Oracle(core, this.pipeline, n, cfg.settleNs, this.wire.level);
    if (cfg.traceEnabled && cfg.causes !== false) {
      // Causes are trace events that point at trace events: with the trace off there is nothing to point at.
      const causes = this.causes;
      // The other tap sees each event first, as it would have read it from the ring before a cause traced after it.
      core.tap = tap === null ? causes : bothTaps(tap, causes);
      this.oracle.sink = causes;
    }
    this.world = new World(core, this.wire, this.oracle, cfg.world);
    // The device senses first (it acts on the edge), then the oracle judges it.
    this.wire.listen(this.device);
    this.wire.listen(this.oracle);
    this.gpiomonCheck = new GpiomonCheck(core, n, cfg.settleNs, this.wire.level);
    this.wire.listen(this.gpiomonCheck);

    this.irq = new IrqCore(core, this.chip, this._clients, this.oracle, cfg.irqFlow, n);
    this.gpiolib = new Gpiolib(core, this.chip);
    this.pipeline.watch(this.irq, this.chip);
    this.chip.connect({ gpiolib: this.gpiolib, irq: this.irq, pipeline: this.pipeline, probed: links.probed });
    this.monitors = new Monitors(core, this.device);
    this.device.obs = this.monitors;

    const env: ClientEnv = { ctx: core, gpiolib: this.gpiolib, irq: this.irq, chip: this.chip, world: this.world, observer: this.oracle, gpiomonWatcher: this.gpiomonCheck };
    this._clients.connect(env);
    for (const spec of cfg.clients) this._clients.add(spec);

    // Timeline: time-only steps go on the queue now (they run first among events at their time);
    // exact-position steps wait in order for their event count.
    this._exactSteps = exactSteps(cfg.steps);
    // Windowed steps draw their time first, before any other choice point (so they are choices 0..k-1).
    const shift = new Float64Array(cfg.steps.length);
    for (const w of cfg.windows ?? []) {
      const first = cfg.steps[w.steps[0] as number] as TimedAction;
      const d = core.drawFrom({ min: 0, max: w.width }, first.at);
      for (const i of w.steps) shift[i] = d;
    }
    for (let i = 0; i < cfg.steps.length; i++) {
      const s = cfg.steps[i] as TimedAction;
      if (s.event === undefined) core.queue.push(s.at + (shift[i] as number), EV.Step, i);
    }

    this.monitors.checkConfig();
    this.world.start();
    this.chip.probe();
  }

  /**
   * The callbacks the constructor hands to the parts, made here rather than in the constructor: in
   * V8 (Node 20) a function literal inside a class constructor keeps every instance alive through
   * minor collections until the next full one, and a run that builds machine after machine (the
   * explorer) then spent about half its time collecting garbage. machine-explore.test.ts holds it.
   */
  private _links(): { rogue: ConstructorParameters<typeof RogueDriver>[2]; foreign: () => void; probed: (result: number) => void } {
    const chip = this.chip;
    const device = this.device;
    return {
      rogue: { queue: (q) => (q === 0 ? chip.requestq : q === 1 ? chip.eventq : null), notify: (q) => device.notify(q) },
      foreign: () => this.rogue.foreignUsed(),
      probed: (r) => this._probed(r),
    };
  }

  /**
   * Why each lost / spurious / coalesced label and masked / coalesced device result happened (needs the
   * trace). Built on first use: a run that does not follow causes (trace off, or `causes: false`) gets an
   * empty tracker only if someone asks, and never pays for its tables.
   */
  get causes(): CauseTracker {
    return (this._causes ??= this._makeCauses());
  }

  private _makeCauses(): CauseTracker {
    const cfg = this.cfg;
    return new CauseTracker(this.core, this.device, {
      driverMask: cfg.driver.mask,
      flow: cfg.irqFlow.flow,
      requeue: cfg.irqFlow.requeue,
      typeChange: cfg.irqFlow.typeChange,
      clientAck: (line) => {
        for (const c of cfg.clients) if (c.kind === 'irq-consumer' && c.line === line && c.ack !== 'none') return c.ack;
        return undefined;
      },
    });
  }

  /**
   * The guest's shell: `shell` actions run here, from the first event on. A new shell's state
   * does not depend on when it is made (it shows its prompt at once; chipReady only runs typed-ahead
   * commands, and a shell nobody made has none), so it is made when first asked for.
   */
  get shell(): Shell {
    return (this._shell ??= new Shell(this._shellPort()));
  }

  /** Simulated time now (ns). */
  get now(): number {
    return this.core.now;
  }

  get trace(): Trace {
    return this.core.trace;
  }

  // ---- running --------------------------------------------------------------------

  /**
   * Runs events up to and including time `until` (then sets the clock to it),
   * stopping early at a pause step, after `maxEvents`, or when `stopWhen` says so.
   */
  runUntil(until: number, maxEvents = Infinity, stopWhen?: () => boolean): RunStop {
    const core = this.core;
    const queue = core.queue;
    let budget = maxEvents;
    // Time is an exact integer of ns only up to 2^53 - 1: never move the clock past it.
    const limit = until > Number.MAX_SAFE_INTEGER;
    if (limit && until !== Infinity) until = Number.MAX_SAFE_INTEGER;
    for (;;) {
      if (this._pauseRequested) {
        this._pauseRequested = false;
        return 'paused';
      }
      if (budget-- <= 0) return 'event-limit';
      if (this._applyDueExactStep()) continue;
      const next = queue.peekTime();
      // Nothing queued (Infinity) stops even an unbounded run: there is no event to take.
      if (next > until || next === Infinity) {
        if (until !== Infinity && until > core.now) core.now = until;
        if (next === Infinity && until === Infinity) return 'idle';
        return limit && next !== Infinity ? 'time-limit' : 'time';
      }
      if (next > Number.MAX_SAFE_INTEGER) return 'time-limit';
      this._processOne();
      if (stopWhen?.()) return 'predicate';
    }
  }

  /** Processes exactly one event (or one due exact step). False when nothing is left. */
  step(): boolean {
    if (this._applyDueExactStep()) return true;
    if (this.core.queue.size === 0) return false;
    this._processOne();
    return true;
  }

  /** Time of the next event, or Infinity. */
  nextEventTime(): number {
    const ex = this._exactSteps[this._exactNext];
    if (ex && ex.event === this.processed) return Math.max(this.core.now, ex.at);
    return this.core.queue.peekTime();
  }

  /** Ends the run: the oracle judges what is old enough. Call once, after the last runUntil. */
  finish(): void {
    this.oracle.finish();
    this.gpiomonCheck.finish();
  }

  private _processOne(): void {
    const q = this.core.queue;
    q.pop();
    if (q.time > this.core.now) this.core.now = q.time;
    this.processed++;
    this._dispatch(q.kind, q.a, q.b, q.c);
  }

  private _applyDueExactStep(): boolean {
    const s = this._exactSteps[this._exactNext];
    if (!s || s.event !== this.processed) return false;
    this._exactNext++;
    if (s.at > this.core.now) this.core.now = s.at;
    // Traced exactly as when it was applied live, so a replay hashes the same.
    this.apply(s.action, ActionOrigin.Live);
    return true;
  }

  private _dispatch(kind: number, a: number, b: number, c: number): void {
    switch (kind) {
      case EV.Step:
        this._apply((this.cfg.steps[a] as TimedAction).action, ActionOrigin.Timeline, a, false);
        return;
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
        return this.shell.timer(a);
      case EV.HostWaitEnd:
        return this.device.hostWaitEnd(a, b);
      case EV.Irqfd:
        return this.transport.irqfdStep(a);
    }
  }

  // ---- actions --------------------------------------------------------------------

  /**
   * The one way anything changes a run from outside: carries out an action now
   * and traces it as its origin says. An action the board cannot take (a press
   * on a line with no button, an interrupt change for a client that is not an
   * irq-consumer) is refused with the reason, and nothing happens.
   * `echoed`: a shell command the terminal already shows (typed live).
   */
  apply(action: Action, origin: ActionOrigin = ActionOrigin.Live, echoed = false): ActionError | null {
    return this._apply(action, origin, -1, echoed);
  }

  private _apply(action: Action, origin: ActionOrigin, index: number, echoed: boolean): ActionError | null {
    if (origin === ActionOrigin.Live) {
      // What a person does must fit in a scenario file, or restart and share links could not replay it.
      if (this.core.now > MAX_DURATION_NS) {
        return { field: 'time', message: 'the run is past one simulated hour, the longest a scenario can replay' };
      }
      if (action.do === 'shell' && action.command.length > MAX_SHELL_COMMAND) {
        return { field: 'command', message: `shell commands are at most ${MAX_SHELL_COMMAND} characters (this one has ${action.command.length})` };
      }
    }
    if (action.do === 'pause') {
      // Not part of the simulation (the trace and its hash do not see it): a viewer stops here.
      this._pauseRequested = true;
      return null;
    }
    const err = checkAction(action, this);
    if (err) return err;
    // A verb typed in the shell is traced as the command line that did it.
    if (origin !== ActionOrigin.Shell) this.core.emit(TK.Step, -1, index, ACTION_KINDS.code[action.do], origin === ActionOrigin.Live ? 1 : 0);
    if (isWorldStep(action)) {
      this.world.apply(action);
      return null;
    }
    switch (action.do) {
      case 'irq-type':
        (this.clients[action.client] as IrqConsumer).setTrigger(action.trigger);
        break;
      case 'irq-disable':
        (this.clients[action.client] as IrqConsumer).disable();
        break;
      case 'irq-enable':
        (this.clients[action.client] as IrqConsumer).enable();
        break;
      case 'set-output':
        (this.clients[action.client] as OutputUser).set(action.value);
        break;
      case 'shell':
        this.shell.exec(action.command, echoed);
        break;
      case 'inject-request':
        this.rogue.request(action.msgType, action.gpio, action.value, action.request, action.response);
        break;
      case 'inject-event':
        this.rogue.event(action.gpio, action.request, action.response);
        break;
      case 'inject-chain':
        this.rogue.chain(action.queue, action.descriptors, action.head, action.availJump);
        break;
    }
    return null;
  }

  // ---- the board, as actions are checked against it ---------------------------------

  get ngpio(): number {
    return this.cfg.device.ngpio;
  }

  get clientCount(): number {
    return this.clients.length;
  }

  sourceKind(line: number): string {
    return this.world.specs[line]?.kind ?? 'none';
  }

  clientKind(client: number): string {
    return this.clients[client]?.kind ?? 'none';
  }

  // ---- bring-up -------------------------------------------------------------------

  /** Adds a gpiomon reader at run time (as the shell's gpiomon does); the caller starts it. */
  addGpiomon(lines: number[], edges: 'rising' | 'falling' | 'both', name = 'gpiomon', debounceNs = 0): GpiomonReader {
    return this._clients.addGpiomon(lines, edges, name, debounceNs);
  }

  /** The guest registered the chip (gpiochip_add_data), or its probe failed. */
  get chipReady(): boolean {
    return this._chipReady;
  }

  private _probed(result: number): void {
    if (result >= 0) {
      this.gpiolib.registerChip();
      this._chipReady = true;
      // Client drivers bind once the chip is registered, at their start time at the earliest.
      for (const c of this.clients) {
        if (c.startNs <= this.core.now) c.start();
        else this.core.queue.push(c.startNs, EV.Client, c.id, CLIENT_START, 0);
      }
    }
    this._shell?.chipReady();
  }

  /** What the shell may read, and the one act() it may call. */
  private _shellPort(): ShellPort {
    const core = this.core;
    const rest: Omit<ShellPort, 'now'> = {
      gpiolib: this.gpiolib,
      wire: this.wire,
      ngpio: this.cfg.device.ngpio,
      lineNames: () => this.cfg.device.names ?? this.chip.names,
      sourceKind: (line) => this.sourceKind(line),
      consumerOn: (line) => this._clients.consumerOn(line),
      registered: () => this._chipReady,
      ready: () => this._chipReady || this.chip.probeError !== 0,
      addGpiomon: (lines, edges, name, debounceNs) => this.addGpiomon(lines, edges, name, debounceNs),
      act: (action) => this.apply(action, ActionOrigin.Shell),
      setTimer: (ns, id) => core.after(ns, EV.Shell, id, 0, 0),
      traceCommand: (n) => void core.emit(TK.ShellCommand, -1, n, 0, 0),
    };
    // The clock is a getter on a prototype: a getter written in this object literal would be a new
    // closure in a new hidden class per machine, which V8 keeps (with the machine) until a full collection.
    return Object.assign(new ShellClock(core), rest);
  }
}

/** The shell port's clock (see _shellPort). */
class ShellClock {
  private readonly _core: SimCore;
  constructor(core: SimCore) {
    this._core = core;
  }
  get now(): number {
    return this._core.now;
  }
}
