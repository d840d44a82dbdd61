import {
  DEFAULT_SCENARIO_ID,
  LIBRARY,
  LineEditor,
  Machine,
  Shell,
  TK,
  decodeLink,
  irqRoute,
  resolveScenario,
  toJsonl,
  toVcd,
  validateScenario,
  type EditorAction,
  type MachineStep,
  type Scenario,
  type StepAction,
  type TraceColumns,
} from '../sim/index';
import type { Command, LinesView, LoadSource, Message, QueueView, RunStatus, ScenarioInfo, SettingsPatch, Speed, View } from './protocol';
import { unreachable } from './protocol';

/** What the host needs from its environment (the Worker, or a test). */
export interface HostIO {
  post(msg: Message, transfer?: ArrayBuffer[]): void;
  /** Wall-clock milliseconds (performance.now in the worker). */
  wallNow(): number;
  /** Absolute wall-clock ms (timeOrigin + now), only used to stamp batches for latency measurement. */
  stamp(): number;
  /** Today's date for VCD headers (ISO 8601). */
  isoDate(): string;
}

/** A live step in scenario-file form (what a share link carries). */
type StepInput = Record<string, unknown> & { at: number; event?: number; do: string };

const TRACE_CAPACITY = 1_000_000;
/** Wall time one tick may spend simulating ("as fast as possible" and catch-up). */
const TICK_BUDGET_MS = 12;
/** Longest wall-clock gap a tick catches up on (a background tab must not cause a burst). */
const MAX_CATCH_UP_MS = 100;
/**
 * Trace events per batch. The page applies a batch within one frame at roughly
 * 0.3-0.5 us per event (columns, filtered index, waveform lanes), so this keeps
 * a frame near 15-25 ms even at max speed; a backlog follows in the next frames.
 */
const MAX_EVENTS_PER_BATCH = 40_000;
/**
 * Backpressure: trace events not yet sent to the page may pile up to this many
 * before the simulation waits for the page. Half the ring, so an event the
 * page has not been sent is never overwritten (the waveform would show a level
 * it never saw), even after a whole run slice.
 */
const MAX_BACKLOG = TRACE_CAPACITY / 2;
/** A generous bound on the trace events one simulation event emits, to size run slices against the room left. */
const TRACE_PER_EVENT_MAX = 16;
/** How long "Next IRQ" / "Next flag" may look (wall time) before giving up. */
const GOAL_WALL_MS = 5_000;

/** A run that stops by itself: "Next IRQ", "Next flag", or the shell's `run <duration>`. */
interface Goal {
  /** Stop when this turns true (the next handler call, the next flag). */
  stop?: () => boolean;
  /** Or at this simulated time. */
  to?: number;
  /** What was looked for, for the message when it is not found. */
  what?: string;
  /** Wall-clock ms after which the search gives up. */
  deadline: number;
}

/** 1 ms of simulated time per wall-clock second: slow enough to watch each message. */
export const DEFAULT_SPEED = 0.001;

const SOURCE_CODES: Record<string, number> = { none: 0, toggle: 1, button: 2, clock: 3, 'level-source': 4 };
const SOURCE_BUTTON_ACTIVE_HIGH = 5;

/**
 * The simulation as the worker hosts it: loads scenarios, paces simulated time
 * against wall time, applies the user's actions as recorded steps, runs the
 * shell, answers exports and time travel, and hands the UI at most one batch
 * per frame. Everything here is plain TypeScript so it can be tested in Node.
 */
export class SimHost {
  private readonly _io: HostIO;
  private _m: Machine | null = null;
  private _scenario: Scenario | null = null;
  /** The scenario as loaded, before live steps are added (input form). */
  private _base: Record<string, unknown> | null = null;
  private _id: string | null = null;
  private _fromLink = false;
  /** Steps the user did live, in file form, in the order they happened. */
  private _recorded: StepInput[] = [];
  private _shell: Shell | null = null;
  private _editor = new LineEditor();

  status: RunStatus = 'paused';
  speed: Speed = DEFAULT_SPEED;
  private _replaying = false;
  private _endNs = 0;
  private _pauseAtEnd = true;
  private _lastWall = 0;
  private _goal: Goal | null = null;
  /** True while a line the user typed runs in the shell (only then may its `run` verb drive the host). */
  private _typing = false;

  // Batch state.
  private _wantFrame = false;
  private _dirty = true;
  private _traceSent = 0;
  private _violationsSent = 0;
  private _terminal = '';
  private _inspect: number | null = null;
  /** Virtqueue views cost a walk of both rings per batch: only while the inspector shows them. */
  private _wantQueues = false;
  private _stepsSent = 0;
  private _pendingSeek: number | null | undefined = undefined;
  /** The instant being shown by time travel (null: live), so its snapshot can be rebuilt. */
  private _seekT: number | null = null;

  constructor(io: HostIO) {
    this._io = io;
    this._lastWall = io.wallNow();
  }

  get machine(): Machine | null {
    return this._m;
  }

  /** Handles one command from the UI. Loading a link is asynchronous (decompression). */
  async handle(cmd: Command): Promise<void> {
    switch (cmd.type) {
      case 'load':
        return this._loadSource(cmd.source);
      case 'restart':
        if (cmd.steps) this._recorded = cmd.steps.filter(isStepInput);
        return this._rebuild(false);
      case 'settings':
        return this._applySettings(cmd.patch);
      case 'run':
        if (this.status === 'ended') this._pauseAtEnd = false;
        this._goal = null;
        this.status = 'running';
        this._lastWall = this._io.wallNow();
        return this._touch();
      case 'pause':
        this.status = 'paused';
        this._goal = null;
        return this._touch();
      case 'speed':
        this.speed = cmd.speed;
        this._lastWall = this._io.wallNow();
        return this._touch();
      case 'step':
        this.status = 'paused';
        this._goal = null;
        this._m?.step();
        return this._touch();
      case 'run-until':
        return this._runUntil(cmd.until);
      case 'action':
        return this._act(cmd.action);
      case 'terminal':
        return this._terminalInput(cmd.data);
      case 'frame':
        this._wantFrame = true;
        return this._flush();
      case 'seek':
        this._seekT = cmd.t;
        this._pendingSeek = cmd.t;
        return;
      case 'inspect':
        this._inspect = cmd.line;
        return this._viewContentChanged();
      case 'detail':
        this._wantQueues = cmd.queues;
        return this._viewContentChanged();
      case 'export':
        return this._export(cmd.format);
      case 'share':
        return this._share();
      default:
        return unreachable(cmd);
    }
  }

  /** Called by the worker's timer: advances simulated time as the pacing says, then flushes. */
  tick(): void {
    const wall = this._io.wallNow();
    const dt = Math.min(wall - this._lastWall, MAX_CATCH_UP_MS);
    this._lastWall = wall;
    if (this._pendingSeek !== undefined) {
      const t = this._pendingSeek;
      this._pendingSeek = undefined;
      this._seek(t);
    }
    const m = this._m;
    if (m && this.status === 'running') {
      const goal = this._goal;
      const end = goal ? (goal.to ?? Infinity) : this._pauseAtEnd ? this._endNs : Infinity;
      if (this.speed === 'max' || goal) {
        // As fast as possible, in slices, until this tick's wall budget is spent or the page must catch up.
        const stopAt = wall + TICK_BUDGET_MS;
        while (this.status === 'running' && this._io.wallNow() < stopAt) {
          const room = this._room();
          if (room === 0) break;
          // Slices of 1 ms of simulated time; a goal skips idle stretches (and learns when nothing is left).
          const horizon = goal ? Math.max(m.now + 1_000_000, m.nextEventTime()) : m.now + 1_000_000;
          const stop = m.runUntil(Math.min(horizon, end), Math.min(50_000, room), goal?.stop);
          if (this._afterRun(stop, end)) break;
        }
        if (goal && this._goal === goal && this.status === 'running' && this._io.wallNow() > goal.deadline) {
          this._goalDone(`No ${goal.what} within ${GOAL_WALL_MS / 1000} s of searching; paused.`);
        }
      } else {
        // Paced: the simulated time this wall time is worth (if the page keeps up; otherwise it falls behind).
        const target = Math.min(m.now + Math.max(0, dt) * 1e6 * this.speed, end);
        const stop = m.runUntil(Math.floor(target), Math.min(2_000_000, this._room()));
        this._afterRun(stop, end);
      }
      this._dirty = true;
    }
    this._flush();
  }

  /** Simulation events that may run before unsent trace would exceed MAX_BACKLOG. */
  private _room(): number {
    const m = this._m as Machine;
    const backlog = m.trace.total - this._traceSent;
    return Math.max(0, Math.floor((MAX_BACKLOG - backlog) / TRACE_PER_EVENT_MAX));
  }

  /** A goal was reached (or given up with a message): pause there. */
  private _goalDone(message?: string): void {
    const m = this._m as Machine;
    this._goal = null;
    this.status = 'paused';
    // Ran past the scenario's end on purpose: Run continues from here instead of stopping at the end.
    if (m.now >= this._endNs) this._pauseAtEnd = false;
    if (message) this._io.post({ type: 'error', message });
  }

  /** After a run slice: pause at the scenario's end or a pause step. True when the run stopped. */
  private _afterRun(stop: string, end: number): boolean {
    const m = this._m as Machine;
    const goal = this._goal;
    if (goal) {
      if (stop === 'predicate' || stop === 'paused' || (goal.to !== undefined && m.now >= goal.to && m.nextEventTime() > goal.to)) {
        this._goalDone();
        return true;
      }
      if (stop === 'idle') {
        this._goalDone(`No further ${goal.what}: nothing left to simulate.`);
        return true;
      }
      return false;
    }
    if (stop === 'paused') {
      this.status = 'paused';
      if (this._replaying) {
        // A link has replayed to where its author shared it: back to watching speed.
        this._replaying = false;
        this.speed = DEFAULT_SPEED;
      }
      return true;
    }
    if (m.now >= end && m.nextEventTime() > end) {
      this.status = 'ended';
      this._pauseAtEnd = false;
      if (this._replaying) {
        this._replaying = false;
        this.speed = DEFAULT_SPEED;
      }
      return true;
    }
    return false;
  }

  // ---- loading --------------------------------------------------------------------

  private async _loadSource(src: LoadSource): Promise<void> {
    let json: unknown;
    let id: string | null = null;
    let fromLink = false;
    if (src.kind === 'library') {
      const entry = LIBRARY.find((e) => e.id === src.id);
      if (!entry) return this._loadFailed(`no built-in scenario "${src.id}"`);
      json = entry.scenario;
      id = entry.id;
    } else if (src.kind === 'json') {
      json = src.json;
    } else {
      const decoded = await decodeLink(src.link);
      if (!decoded.ok) return this._loadFailed(`This link cannot be opened: ${decoded.error}`);
      json = decoded.value;
      fromLink = true;
    }
    const v = validateScenario(json);
    if (!v.ok) return this._loadFailed(`This scenario is not valid: ${v.error}`);
    this._base = structuredClone(json) as Record<string, unknown>;
    this._id = id;
    this._fromLink = fromLink;
    this._recorded = [];
    this._rebuild(fromLink);
  }

  /** Loading failed: say so, and make sure something sensible is running. */
  private _loadFailed(message: string): void {
    const fallback = this._m === null;
    this._io.post({ type: 'load-error', message, fallback });
    if (fallback) void this._loadSource({ kind: 'library', id: DEFAULT_SCENARIO_ID });
  }

  /** Builds a fresh machine from the base scenario plus the recorded steps. */
  private _rebuild(replay: boolean): void {
    const json = this._composed();
    const v = validateScenario(json);
    if (!v.ok) return this._loadFailed(`This scenario is not valid: ${v.error}`);
    const m = this._build(v.value);
    if (!m) return;
    this._scenario = v.value;
    this._m = m;
    this._goal = null;
    this._seekT = null;
    this._editor = new LineEditor();
    this._attachShell(m);
    this._endNs = v.value.duration;
    this._pauseAtEnd = true;
    this._traceSent = 0;
    this._violationsSent = 0;
    this._terminal = '\x1bc' + (this._shell?.transcript() ?? '');
    // A link replays at full speed to where its author was, then pauses; anything else plays at the chosen speed.
    if (replay) this.speed = 'max';
    this._replaying = replay;
    this.status = 'running';
    this._lastWall = this._io.wallNow();
    this._stepsSent = this._recorded.length;
    this._io.post({ type: 'loaded', info: this._info(v.value, m) });
    this._touch();
  }

  private _build(s: Scenario): Machine | null {
    const cfg = resolveScenario(s, { traceEnabled: true, traceCapacity: TRACE_CAPACITY });
    if (!cfg.ok) {
      this._loadFailed(`This scenario is not valid: ${cfg.error}`);
      return null;
    }
    return new Machine(cfg.value);
  }

  private _attachShell(m: Machine): void {
    const shell = new Shell(m, { runFor: (ns) => this._shellRun(ns) });
    shell.onOutput = (text, redraw) => {
      // Background output erased the prompt line and drew it again: put back what the user was typing.
      this._terminal += redraw ? text + this._editor.render() : text;
      this._dirty = true;
    };
    m.shell = shell;
    this._shell = shell;
  }

  /**
   * The shell's `run <duration>` verb: run that much simulated time at full speed, then pause.
   * Only when typed: a replayed command must not steer the replay (the recorded steps after it
   * already say what happened next).
   */
  private _shellRun(ns: number): void {
    const m = this._m;
    if (!m || !this._typing) return;
    this._goal = { to: m.now + ns, deadline: Infinity };
    this.status = 'running';
    this._dirty = true;
  }

  /** The base scenario with the recorded steps appended (and the run long enough to hold them). */
  private _composed(): Record<string, unknown> {
    const base = structuredClone(this._base ?? {}) as Record<string, unknown>;
    if (this._recorded.length === 0) return base;
    const timeline = Array.isArray(base['timeline']) ? (base['timeline'] as unknown[]) : [];
    base['timeline'] = [...timeline, ...this._recorded];
    const last = this._recorded[this._recorded.length - 1] as StepInput;
    const v = validateScenario({ ...base, timeline });
    const duration = v.ok ? v.value.duration : 0;
    if (last.at > duration) base['duration'] = last.at;
    return base;
  }

  private _info(s: Scenario, m: Machine): ScenarioInfo {
    const lineNames = s.device.lines.map((l) => l.name);
    const lineIndex = (ref: string | number): number => (typeof ref === 'number' ? ref : lineNames.indexOf(ref));
    return {
      id: this._id,
      title: s.title,
      description: s.description,
      seed: s.seed,
      durationNs: s.duration,
      spec: s.device.spec,
      preset: s.device.preset,
      transport: s.device.transport,
      lines: s.device.lines.map((l) => ({ name: l.name, direction: l.direction })),
      clients: s.clients.map((c) => ({ kind: c.kind, name: c.name, lines: 'lines' in c ? c.lines.map(lineIndex) : [lineIndex(c.line)] })),
      json: this._base,
      recorded: [...this._recorded],
      initialLevels: [...m.wire.level],
      fromLink: this._fromLink,
    };
  }

  private _applySettings(p: SettingsPatch): void {
    const base = structuredClone(this._base ?? {}) as Record<string, unknown> & { device?: Record<string, unknown>; driver?: Record<string, unknown> };
    const device = { ...(base.device ?? {}) } as Record<string, unknown>;
    if (p.seed !== undefined) base['seed'] = p.seed;
    if (p.spec) device['spec'] = p.spec;
    if (p.preset) device['preset'] = p.preset;
    if (p.transport) device['transport'] = p.transport;
    if (p.policy) device['policy'] = { ...((device['policy'] as object) ?? {}), ...p.policy };
    if (p.latency) device['latency'] = { ...((device['latency'] as object) ?? {}), ...p.latency };
    base['device'] = device;
    if (p.driver) base['driver'] = { ...(base.driver ?? {}), ...p.driver };
    const v = validateScenario(base);
    if (!v.ok) {
      this._io.post({ type: 'error', message: `Settings not applied: ${v.error}` });
      return;
    }
    this._base = base;
    // Another configuration gives another event order: replay live steps at their times, not their event numbers.
    this._recorded = this._recorded.map(({ event: _e, ...rest }) => rest as StepInput);
    this._rebuild(false);
  }

  // ---- running --------------------------------------------------------------------

  /** "Next IRQ" / "Next flag": run at full speed until the next handler call, or the next violation or oracle flag. */
  private _runUntil(until: 'interrupt' | 'violation'): void {
    const m = this._m;
    if (!m) return;
    const calls = (): number => m.trace.count(TK.HandlerStart);
    const flags = (): number => {
      const o = m.oracle.total();
      return m.trace.count(TK.Violation) + o.lost + o.spurious + o.coalesced;
    };
    const what = until === 'interrupt' ? 'interrupt' : 'violation or oracle flag';
    const start = until === 'interrupt' ? calls() : flags();
    const stop = until === 'interrupt' ? (): boolean => calls() > start : (): boolean => flags() > start;
    this._goal = { stop, what, deadline: this._io.wallNow() + GOAL_WALL_MS };
    this.status = 'running';
    this._lastWall = this._io.wallNow();
    this._touch();
  }

  /** Doing something after the scenario's end continues the run (a pause the user chose is kept). */
  private _resumeIfEnded(): void {
    if (this.status !== 'ended') return;
    this.status = 'running';
    this._pauseAtEnd = false;
    this._lastWall = this._io.wallNow();
  }

  private _act(action: StepAction): void {
    const m = this._m;
    if (!m) return;
    this._resumeIfEnded();
    this._recorded.push(stepInput(action, m.now, m.processed));
    m.applyLive(action);
    this._touch();
  }

  private _terminalInput(data: string): void {
    const m = this._m;
    const shell = this._shell;
    if (!m || !shell) return;
    this._editor.feedTo(data, (a: EditorAction) => {
      switch (a.kind) {
        case 'echo':
          this._terminal += a.text;
          break;
        case 'line':
          this._resumeIfEnded();
          this._recorded.push(stepInput({ do: 'shell', command: a.text }, m.now, m.processed));
          this._typing = true;
          try {
            m.applyLive({ do: 'shell', command: a.text }, { echoed: true });
          } finally {
            this._typing = false;
          }
          break;
        case 'interrupt':
          this._recorded.push(stepInput({ do: 'shell', command: '\x03' }, m.now, m.processed));
          m.applyLive({ do: 'shell', command: '\x03' }, { echoed: true });
          this._editor.reset();
          break;
        case 'clear':
          this._terminal += '\x1b[H\x1b[2J' + (shell.atPrompt ? shell.prompt : '') + this._editor.render();
          break;
        default:
          unreachable(a);
      }
    });
    this._touch();
  }

  // ---- views ----------------------------------------------------------------------

  /** What a view carries changed (the inspected line, the ring detail): refresh live, and the snapshot if shown. */
  private _viewContentChanged(): void {
    if (this._seekT !== null) this._pendingSeek = this._seekT;
    this._touch();
  }

  private _touch(): void {
    this._dirty = true;
    this._flush();
  }

  /** Sends one batch if the UI asked for a frame and something changed. */
  private _flush(): void {
    const m = this._m;
    if (!m || !this._wantFrame || !this._dirty) return;
    this._wantFrame = false;
    this._dirty = false;
    const trace = m.trace;
    const from = Math.max(this._traceSent, trace.firstSeq);
    const cols: TraceColumns | null = trace.total > from ? trace.columns(from, MAX_EVENTS_PER_BATCH) : null;
    if (cols) this._traceSent = cols.firstSeq + cols.t.length;
    if (this._traceSent < trace.total) this._dirty = true; // More next frame.
    const violations = m.monitors.violations.slice(this._violationsSent);
    this._violationsSent = m.monitors.violations.length;
    const view = makeView(m, this._inspect, this._wantQueues);
    const transfer: ArrayBuffer[] = [];
    if (cols) for (const a of [cols.t, cols.kind, cols.line, cols.a, cols.b, cols.c]) transfer.push(a.buffer as ArrayBuffer);
    this._io.post(
      {
        type: 'batch',
        status: this.status,
        speed: this.speed,
        view,
        trace: cols,
        traceTotal: trace.total,
        traceHash: trace.hash(),
        violations,
        terminal: this._terminal,
        recordedSteps: this._recorded.length,
        newSteps: this._recorded.slice(this._stepsSent),
        builtAt: this._io.stamp(),
      },
      transfer,
    );
    this._terminal = '';
    this._stepsSent = this._recorded.length;
  }

  /** Time travel: rebuild the run up to t in a scratch machine and show that instant. */
  private _seek(t: number | null): void {
    if (t === null || !this._scenario) return this._touch();
    const v = validateScenario(this._composed());
    if (!v.ok) return;
    const cfg = resolveScenario(v.value, { traceEnabled: false, traceCapacity: 1 });
    if (!cfg.ok) return;
    const scratch = new Machine(cfg.value);
    scratch.shell = new Shell(scratch);
    scratch.runUntil(t, 50_000_000);
    this._io.post({ type: 'snapshot', t, view: makeView(scratch, this._inspect, this._wantQueues) });
  }

  // ---- exports --------------------------------------------------------------------

  private _export(format: 'vcd-wires' | 'vcd-rich' | 'jsonl'): void {
    const m = this._m;
    const s = this._scenario;
    if (!m || !s) return;
    const base = (this._id ?? 'scenario').replace(/[^A-Za-z0-9._-]/g, '_');
    if (format === 'jsonl') {
      const text = toJsonl(m, { title: s.title, seed: s.seed });
      this._io.post({ type: 'file', filename: `${base}.jsonl`, mime: 'application/x-ndjson', text });
      return;
    }
    const mode = format === 'vcd-rich' ? 'rich' : 'wires';
    const text = toVcd(m, { mode, date: this._io.isoDate(), version: '0.1.0' });
    this._io.post({ type: 'file', filename: `${base}${mode === 'rich' ? '-rich' : ''}.vcd`, mime: 'text/plain', text });
  }

  /**
   * The scenario, every live step, and a pause step at exactly this event count:
   * opening the link replays the same events and stops where its author was,
   * with the same trace hash.
   */
  private _share(): void {
    const m = this._m;
    if (!m) return;
    const recorded = this._recorded;
    this._recorded = [...recorded, { at: m.now, event: m.processed, do: 'pause' }];
    const json = this._composed();
    this._recorded = recorded;
    this._io.post({ type: 'share', json });
  }
}

function isStepInput(x: unknown): x is StepInput {
  return typeof x === 'object' && x !== null && typeof (x as StepInput).at === 'number' && typeof (x as StepInput).do === 'string';
}

/** A live action as a scenario timeline step (lines and clients by index). */
export function stepInput(action: StepAction, at: number, event: number): StepInput {
  const step: StepInput = { at, event, do: action.do };
  switch (action.do) {
    case 'drive':
      return { ...step, line: action.line, level: action.level };
    case 'release':
    case 'assert':
      return { ...step, line: action.line };
    case 'pulse':
      return { ...step, line: action.line, level: action.level, width: action.widthNs };
    case 'press':
      return { ...step, line: action.line, pressed: action.pressed };
    case 'clock':
      return { ...step, line: action.line, period: action.periodNs, high: action.highNs, ...(action.count !== null ? { count: action.count } : {}) };
    case 'irq-type':
      return { ...step, client: action.client, trigger: TRIGGER_NAMES[action.trigger] ?? 'none' };
    case 'irq-disable':
    case 'irq-enable':
      return { ...step, client: action.client };
    case 'set-output':
      return { ...step, client: action.client, value: action.value };
    case 'shell':
      return { ...step, command: action.command };
    case 'pause':
      return step;
  }
}

const TRIGGER_NAMES: Record<number, string> = { 0: 'none', 1: 'edge-rising', 2: 'edge-falling', 3: 'edge-both', 4: 'level-high', 8: 'level-low' };

/** Reads everything the panels show from a machine. */
export function makeView(m: Machine, inspect: number | null, withQueues = true): View {
  const n = m.cfg.device.ngpio;
  const dev = m.device;
  const lines: LinesView = {
    level: m.wire.level.slice(),
    direction: dev.direction.slice(),
    deviceType: dev.irqType.slice(),
    clientType: m.oracle.trigger.slice(),
    hasConsumer: new Uint8Array(n),
    armed: new Uint8Array(n),
    latch: dev.latch.slice(),
    sink: new Uint8Array(n),
    driverFlags: new Uint8Array(n),
    inHandler: new Uint8Array(n),
    lastDelivery: dev.lastResult.slice(),
    delivered: new Uint32Array(n),
    coalesced: new Uint32Array(n),
    spurious: new Uint32Array(n),
    lost: new Uint32Array(n),
    handlerCalls: m.irq.calls.slice(),
    invalid: m.invalidConsumed.slice(),
    source: new Uint8Array(n),
    contended: m.wire.contended.slice(),
  };
  for (const c of m.clients) if (c.kind === 'irq-consumer') for (const l of c.lines) lines.hasConsumer[l] = 1;
  for (let i = 0; i < n; i++) {
    lines.armed[i] = dev.held[i] !== -1 ? 1 : 0;
    lines.sink[i] = dev.sinkState(i);
    lines.driverFlags[i] = m.chip.ready && m.chip.hasIrq ? m.chip.flagBits(i) : 0;
    lines.inHandler[i] = m.irq.inProgress[i] || m.irq.threadActive[i] ? 1 : 0;
    const o = m.oracle.lines[i]!;
    lines.delivered[i] = o.delivered;
    lines.coalesced[i] = o.coalesced;
    lines.spurious[i] = o.spurious;
    lines.lost[i] = o.lost;
    const spec = m.world.specs[i];
    lines.source[i] = spec?.kind === 'button' && !spec.activeLow ? SOURCE_BUTTON_ACTIVE_HIGH : (SOURCE_CODES[spec?.kind ?? 'none'] ?? 0);
  }
  const t = m.transport;
  const sum = (a: Uint32Array): number => a.reduce((x, y) => x + y, 0);
  const total = m.oracle.total();
  let handlerCalls = 0;
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    handlerCalls += lines.handlerCalls[i] as number;
    invalid += lines.invalid[i] as number;
  }
  return {
    now: m.now,
    processed: m.processed,
    lines,
    queues: withQueues ? queueViews(m) : [],
    transport: { mode: t.mode, isr: t.isr, asserted: t.asserted, raised: sum(t.raised), delivered: sum(t.delivered), coalesced: sum(t.coalesced), masked: sum(t.masked) },
    deviceStatus: dev.status,
    deviceFailure: dev.failure,
    totals: { ...total, handlerCalls, invalid, violations: m.monitors.mustCount, warnings: m.trace.count(TK.DrvWarn) },
    route: inspect !== null && inspect >= 0 && inspect < n ? irqRoute(m, inspect) : null,
  };
}

function queueViews(m: Machine): QueueView[] {
  const out: QueueView[] = [];
  const names = ['requestq', 'eventq'];
  const driverQs = [m.chip.requestq, m.chip.eventq];
  for (let q = 0; q < 2; q++) {
    const dq = driverQs[q];
    const devq = m.device.queues[q];
    if (!dq || !devq) continue;
    const L = dq.layout;
    const size = L.size;
    const mem = m.mem;
    const desc = mem.bytes.slice(L.desc, L.desc + 16 * size);
    const availRing = new Uint16Array(size);
    for (let i = 0; i < size; i++) availRing[i] = mem.le16(L.avail + 4 + 2 * i);
    const usedRing = new Uint32Array(2 * size);
    for (let i = 0; i < 2 * size; i++) usedRing[i] = mem.le32(L.used + 4 + 4 * i);
    const availIdx = mem.le16(L.avail + 2);
    const usedIdx = mem.le16(L.used + 2);
    const owner = new Uint8Array(size);
    const lineOf = new Int16Array(size).fill(-1);
    const bytes: (Uint8Array | null)[] = new Array<Uint8Array | null>(size).fill(null);
    // Heads in flight: tokens the driver has out. Where each is comes from the ring indices.
    const availPending = new Set<number>();
    for (let i = devq.nextAvail; ((availIdx - i) & 0xffff) !== 0 && ((availIdx - i) & 0xffff) <= size; i = (i + 1) & 0xffff) {
      availPending.add(availRing[i & (size - 1)] as number);
    }
    const usedPending = new Set<number>();
    for (let i = dq.lastUsedIdx; ((usedIdx - i) & 0xffff) !== 0 && ((usedIdx - i) & 0xffff) <= size; i = (i + 1) & 0xffff) {
      usedPending.add(usedRing[2 * (i & (size - 1))] as number);
    }
    for (let head = 0; head < size; head++) {
      const token = dq.tokenAt(head);
      if (token < 0) continue;
      const state = availPending.has(head) ? 1 : usedPending.has(head) ? 3 : 2;
      // Walk the chain in the descriptor table (bounded by the queue size).
      let d = head;
      for (let k = 0; k < size; k++) {
        owner[d] = state;
        lineOf[d] = token;
        const base = L.desc + 16 * d;
        const addr = mem.le64addr(base);
        const len = mem.le32(base + 8);
        if (addr >= 0 && mem.contains(addr, Math.min(len, 16))) bytes[d] = mem.bytes.slice(addr, addr + Math.min(len, 16));
        const flags = mem.le16(base + 12);
        if ((flags & 1) === 0) break;
        d = mem.le16(base + 14);
        if (d >= size) break;
      }
    }
    out.push({
      name: names[q] as string,
      size,
      desc,
      availFlags: mem.le16(L.avail),
      availIdx,
      availRing,
      usedFlags: mem.le16(L.used),
      usedIdx,
      usedRing,
      deviceNextAvail: devq.nextAvail,
      deviceNextUsed: devq.nextUsed,
      driverLastUsed: dq.lastUsedIdx,
      owner,
      lineOf,
      bytes,
    });
  }
  return out;
}

export type { MachineStep };
