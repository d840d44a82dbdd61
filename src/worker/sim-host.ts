import {
  changedSettings,
  DEFAULT_SCENARIO_ID,
  LineEditor,
  MAX_DURATION_NS,
  MAX_SHELL_COMMAND,
  Machine,
  TK,
  Workspace,
  decodeLink,
  libraryEntry,
  makeView,
  resolveScenario,
  sanitizeForTerminal,
  exportRun,
  type Action,
  type EditorAction,
  type ExportFormat,
  type Scenario,
  type SettingsPatch,
  type StepInput,
  type TraceColumns,
} from '../sim/index';
import type { Command, LoadSource, Message, RunStatus, ScenarioInfo, Speed } from './protocol';
import { unreachable } from './protocol';
import { lessonAnchors, lessonCheck } from './lesson-host';
import { compareRequest, explainRequest } from './session-requests';
import { FollowPacer, NOTHING_PENDING, type Advance } from './follow';

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
/** The version stamped into exported files. */
const APP_VERSION = '0.1.0';
/** Events a time-travel replay may run before it is given up (the CLI's cap too). */
const SEEK_MAX_EVENTS = 50_000_000;
/**
 * Events a time-travel replay runs per tick at most (and never more than the
 * tick's wall budget): a long replay goes on across ticks, so the worker keeps
 * answering and the page's watchdog never fires.
 */
const SEEK_EVENTS_PER_TICK = 1_000_000;
/** Events per replay slice between two looks at the wall clock. */
const SEEK_SLICE = 20_000;
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

/** Limits a test may lower (the defaults are the product's). */
export interface HostLimits {
  seekMaxEvents?: number;
  seekEventsPerTick?: number;
}

/** A time-travel replay under way: a scratch machine running towards `t`, a slice per tick. */
interface SeekJob {
  t: number;
  m: Machine;
}

/** What the page is told when an idle board has nothing left to run. */
export const IDLE_MESSAGE = 'Nothing left to simulate: no event is pending, so time stands still until you act.';

/** 1 ms of simulated time per wall-clock second: slow enough to watch each message. */
export const DEFAULT_SPEED = 0.001;

/**
 * The simulation as the worker hosts it: takes the UI's commands, paces
 * simulated time against wall time (goals included), feeds the terminal's
 * line editor, and hands the UI at most one batch per frame. What is loaded
 * and recorded is the Workspace's business, what the panels show is read by
 * the core's observe; everything here is plain TypeScript, tested in Node.
 */
export class SimHost {
  private readonly _io: HostIO;
  private _m: Machine | null = null;
  private _scenario: Scenario | null = null;
  /** The scenario as loaded, the settings applied and the live steps recorded. */
  private _ws: Workspace | null = null;
  private _editor = newEditor();

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
  private _seekJob: SeekJob | null = null;
  private readonly _seekMax: number;
  private readonly _seekPerTick: number;
  /** The idle message was sent for this idle stretch (sent again only after something ran). */
  private _idleSaid = false;
  /** Follow mode and Step: one trace event at a time, what the page may see, the current event. */
  private readonly _follow = new FollowPacer();
  /** Why the last follow advance or Step could not happen, or "". */
  private _followNote = '';

  constructor(io: HostIO, limits: HostLimits = {}) {
    this._io = io;
    this._lastWall = io.wallNow();
    this._seekMax = limits.seekMaxEvents ?? SEEK_MAX_EVENTS;
    this._seekPerTick = limits.seekEventsPerTick ?? SEEK_EVENTS_PER_TICK;
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
        return this._restart(cmd.steps);
      case 'settings':
        return this._applySettings(cmd.patch);
      case 'run':
        if (this.status === 'ended') this._pauseAtEnd = false;
        this._goal = null;
        this._follow.release();
        this.status = 'running';
        this._lastWall = this._io.wallNow();
        return this._touch();
      case 'pause':
        this.status = 'paused';
        this._goal = null;
        this._follow.stop(); // the current event stays highlighted
        return this._touch();
      case 'speed':
        this.speed = cmd.speed;
        this._lastWall = this._io.wallNow();
        return this._touch();
      case 'step':
        return this._stepOne();
      case 'follow':
        return this._setFollow(cmd.pace);
      case 'run-until':
        return this._runUntil(cmd.until);
      case 'action':
        this._act(cmd.action);
        return;
      case 'terminal':
        return this._terminalInput(cmd.data);
      case 'frame':
        this._wantFrame = true;
        // A paced run catches up to this instant first, so the batch holds the events of the wall
        // time up to now, not up to the last timer tick (up to a tick's period staler). Full speed
        // does not: its tick spends a whole wall budget simulating, which would only delay the batch.
        if (this.status === 'running' && this.speed !== 'max' && !this._goal && !this._seekJob) return this.tick();
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
      case 'run-to':
        return this._runTo(cmd.t);
      case 'lesson-anchors':
        this._io.post({ type: 'lesson-anchors', req: cmd.req, ...lessonAnchors(cmd.lesson) });
        return;
      case 'lesson-check':
        this._io.post({ type: 'lesson-check', req: cmd.req, result: lessonCheck(cmd.lesson, this._ws?.compose() ?? null) });
        return;
      case 'explain':
        return this._explain(cmd.req, cmd.seq);
      case 'compare':
        this._io.post({ type: 'compare', req: cmd.req, ...compareRequest(this._ws, cmd.settings) });
        return;
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
    if (this._seekJob) this._seekSlice();
    const m = this._m;
    if (m && this._follow.following && this._follow.due(wall)) this._advance();
    if (m && this.status === 'running') {
      const goal = this._goal;
      const openEnd = goal ? (goal.to ?? Infinity) : this._pauseAtEnd ? this._endNs : Infinity;
      // A live run never goes past what a scenario can replay (one simulated hour).
      const end = Math.min(openEnd, MAX_DURATION_NS);
      if (this.speed === 'max' || goal) {
        // As fast as possible, in slices, until this tick's wall budget is spent or the page must catch up.
        const stopAt = wall + TICK_BUDGET_MS;
        while (this.status === 'running' && this._io.wallNow() < stopAt) {
          const room = this._room();
          if (room === 0) break;
          // Nothing queued and no end to reach: advancing idle time would only burn a core.
          if (m.nextEventTime() === Infinity && openEnd === Infinity) {
            if (goal) this._goalDone(`No further ${goal.what}: nothing left to simulate.`);
            else this._sayIdle();
            break;
          }
          this._idleSaid = false;
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

  /** An idle board at full speed: time stands still (no core burnt on empty time); the page is told once. */
  private _sayIdle(): void {
    if (this._idleSaid) return;
    this._idleSaid = true;
    this._io.post({ type: 'error', message: IDLE_MESSAGE });
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
      if (stop === 'time-limit' || m.now >= MAX_DURATION_NS) {
        this._goalDone(`No ${goal.what ?? 'end'} within one simulated hour, the longest a scenario can hold; paused.`);
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
    if (stop === 'time-limit' || (m.now >= MAX_DURATION_NS && m.nextEventTime() > MAX_DURATION_NS && end >= MAX_DURATION_NS)) {
      this.status = 'paused';
      this._pauseAtEnd = false;
      this._io.post({
        type: 'error',
        message: 'The run reached one simulated hour, the longest a scenario can hold (restart and share links replay it); paused.',
      });
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
      const entry = libraryEntry(src.id);
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
    const ws = Workspace.open(json, id, fromLink);
    if (!ws.ok) return this._loadFailed(`This scenario is not valid: ${ws.error}`);
    const previous = this._ws;
    this._ws = ws.value;
    if (!this._rebuild(fromLink)) this._ws = previous;
  }

  /**
   * Restart: the workspace again, with `steps` (what the page kept, after the
   * worker died) when they make a valid scenario with it; otherwise the last
   * good state, and the reason.
   */
  private _restart(steps: StepInput[] | undefined): void {
    const ws = this._ws;
    if (!ws) return;
    if (steps) {
      const withSteps = ws.withRecorded(steps);
      if (withSteps.ok) this._ws = withSteps.value;
      else this._io.post({ type: 'error', message: `Restarted without the ${steps.length} recorded steps: ${withSteps.error}` });
    }
    this._rebuild(false);
  }

  /** Loading failed: say so, and make sure something sensible is running. */
  private _loadFailed(message: string): void {
    const fallback = this._m === null;
    this._io.post({ type: 'load-error', message, fallback });
    if (fallback) void this._loadSource({ kind: 'library', id: DEFAULT_SCENARIO_ID });
  }

  /** Builds a fresh machine from the workspace: the base scenario plus the recorded steps. False when it is not valid. */
  private _rebuild(replay: boolean): boolean {
    const ws = this._ws;
    if (!ws) return false;
    const v = ws.scenario();
    if (!v.ok) {
      this._loadFailed(`This scenario is not valid: ${v.error}`);
      return false;
    }
    const m = this._build(v.value);
    if (!m) return false;
    this._scenario = v.value;
    this._m = m;
    this._goal = null;
    this._seekT = null;
    this._seekJob = null;
    this._idleSaid = false;
    this._follow.release();
    this._followNote = '';
    this._editor = newEditor();
    this._connectShell(m);
    this._endNs = v.value.duration;
    this._pauseAtEnd = true;
    this._traceSent = 0;
    this._violationsSent = 0;
    // Reset the terminal, then turn bracketed paste on, so a paste arrives marked as one (the line editor treats it as text).
    this._terminal = '\x1bc' + BRACKETED_PASTE_ON + m.shell.transcript();
    // A link replays at full speed to where its author was, then pauses; anything else plays at the chosen speed.
    if (replay) this.speed = 'max';
    this._replaying = replay;
    this.status = 'running';
    this._lastWall = this._io.wallNow();
    this._stepsSent = ws.recorded.length;
    this._io.post({ type: 'loaded', info: this._info(ws, v.value, m) });
    this._touch();
    return true;
  }

  private _build(s: Scenario): Machine | null {
    const cfg = resolveScenario(s, { traceEnabled: true, traceCapacity: TRACE_CAPACITY });
    if (!cfg.ok) {
      this._loadFailed(`This scenario is not valid: ${cfg.error}`);
      return null;
    }
    return new Machine(cfg.value);
  }

  /** The terminal shows what the machine's shell prints; its `run` verb goes through the pacing here. */
  private _connectShell(m: Machine): void {
    m.shell.runFor = (ns) => this._shellRun(ns);
    m.shell.onOutput = (text, redraw) => {
      // Background output erased the prompt line and drew it again: put back what the user was typing.
      this._terminal += redraw ? text + this._editor.render() : text;
      this._dirty = true;
    };
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

  private _info(ws: Workspace, s: Scenario, m: Machine): ScenarioInfo {
    const lineNames = s.device.lines.map((l) => l.name);
    const lineIndex = (ref: string | number): number => (typeof ref === 'number' ? ref : lineNames.indexOf(ref));
    return {
      id: ws.id,
      title: s.title,
      description: s.description,
      seed: s.seed,
      durationNs: s.duration,
      spec: s.device.spec,
      preset: s.device.preset,
      transport: s.device.transport,
      lines: s.device.lines.map((l) => ({ name: l.name, direction: l.direction })),
      clients: s.clients.map((c) => ({ kind: c.kind, name: c.name, lines: 'lines' in c ? c.lines.map(lineIndex) : [lineIndex(c.line)] })),
      json: ws.base,
      recorded: [...ws.recorded],
      initialLevels: [...m.wire.level],
      fromLink: ws.fromLink,
      changed: ws.id === null ? [] : changedSettings(libraryEntry(ws.id)?.scenario, ws.base),
    };
  }

  private _applySettings(p: SettingsPatch): void {
    const ws = this._ws?.withSettings(p);
    if (!ws) return;
    if (!ws.ok) {
      this._io.post({ type: 'error', message: `Settings not applied: ${ws.error}` });
      return;
    }
    const previous = this._ws;
    this._ws = ws.value;
    // All or nothing: a settings change that cannot be built leaves the run as it was.
    if (!this._rebuild(false)) this._ws = previous;
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
    this._follow.release();
    const what = until === 'interrupt' ? 'interrupt' : 'violation or oracle flag';
    const start = until === 'interrupt' ? calls() : flags();
    const stop = until === 'interrupt' ? (): boolean => calls() > start : (): boolean => flags() > start;
    this._goal = { stop, what, deadline: this._io.wallNow() + GOAL_WALL_MS };
    this.status = 'running';
    this._lastWall = this._io.wallNow();
    this._touch();
  }

  /** A lesson step: run at full speed through every event at time t, then pause (already there or past it: just pause). */
  private _runTo(t: number): void {
    const m = this._m;
    if (!m || !Number.isFinite(t)) return;
    if (m.now > t || (m.now === t && m.nextEventTime() > t)) {
      this.status = this.status === 'ended' ? 'ended' : 'paused';
      this._goal = null;
      return this._touch();
    }
    this._follow.release();
    this._goal = { to: t, what: 'lesson step', deadline: this._io.wallNow() + GOAL_WALL_MS };
    this.status = 'running';
    this._lastWall = this._io.wallNow();
    this._touch();
  }

  /** Step: exactly one trace event (a held-back one first), or the reason there is none, said where the page shows it. */
  private _stepOne(): void {
    if (!this._m) return;
    this.status = 'paused';
    this._goal = null;
    if (this._advance() === 'idle') this._io.post({ type: 'error', message: NOTHING_PENDING });
    this._touch();
  }

  /** One trace event on (follow mode's tick, or Step); the batches carry the trace up to it. */
  private _advance(): Advance {
    const m = this._m as Machine;
    const r = this._follow.advance({ traceTotal: () => m.trace.total, step: () => m.step() });
    this._followNote = r === 'idle' ? NOTHING_PENDING : '';
    if (r === 'advanced') this._idleSaid = false;
    // Stepped past the scenario's end on purpose: Run continues from here instead of stopping at the end.
    if (m.now >= this._endNs) this._pauseAtEnd = false;
    this._dirty = true;
    return r;
  }

  /** Follow mode on at `pace` events per second (the run's own pacing stops), or off (null: everything shown again). */
  private _setFollow(pace: number | null): void {
    const m = this._m;
    if (!m) return;
    if (pace === null) {
      this._follow.release();
      this._followNote = '';
      return this._touch();
    }
    if (typeof pace !== 'number' || !(pace > 0) || pace > 1000) {
      this._io.post({ type: 'error', message: `Follow mode not started: pace must be 1 to 1000 events per second, not ${String(pace)}` });
      return;
    }
    this.status = 'paused';
    this._goal = null;
    this._follow.start(pace, this._io.wallNow(), m.trace.total);
    this._touch();
  }

  /** Doing something after the scenario's end continues the run (a pause the user chose is kept). */
  private _resumeIfEnded(): void {
    if (this.status !== 'ended') return;
    this.status = 'running';
    this._pauseAtEnd = false;
    this._lastWall = this._io.wallNow();
  }

  /**
   * Something the user did: carried out now and recorded at this exact place,
   * or refused with the reason when it could not be replayed (beyond the
   * scenario format's limits) or the machine cannot take it. The message, or
   * null when done.
   */
  private _act(action: Action, echoed = false): string | null {
    const m = this._m;
    const ws = this._ws;
    if (!m || !ws) return null;
    // Followed, what the action emits is revealed one event at a time; otherwise it shows at once.
    if (!this._follow.following) this._follow.release();
    this._resumeIfEnded();
    const timed = { at: m.now, event: m.processed, action };
    const err = ws.refusal(timed) ?? m.apply(action, undefined, echoed)?.message ?? ws.record(timed);
    if (err) this._io.post({ type: 'error', message: `Not done: ${err}` });
    this._idleSaid = false;
    this._touch();
    return err;
  }

  private _terminalInput(data: string): void {
    const m = this._m;
    if (!m) return;
    const shell = m.shell;
    this._editor.feedTo(data, (a: EditorAction) => {
      switch (a.kind) {
        case 'echo':
          this._terminal += a.text;
          break;
        case 'line':
          this._typing = true;
          try {
            // Refused (past the hour): the shell never saw the line, so say why here and show a prompt again.
            const err = this._act({ do: 'shell', command: a.text }, true);
            if (err) this._terminal += `${sanitizeForTerminal(`Not run: ${err}`)}\r\n${shell.prompt}`;
          } finally {
            this._typing = false;
          }
          break;
        case 'interrupt':
          this._act({ do: 'shell', command: '\x03' }, true);
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
    // Follow mode and Step hold back what the page has not been walked through yet.
    const limit = Math.min(this._follow.shown ?? trace.total, trace.total);
    const cols: TraceColumns | null = limit > from ? trace.columns(from, Math.min(MAX_EVENTS_PER_BATCH, limit - from)) : null;
    if (cols) this._traceSent = cols.firstSeq + cols.t.length;
    if (this._traceSent < limit) this._dirty = true; // More next frame.
    const violations = m.monitors.violations.slice(this._violationsSent);
    this._violationsSent = m.monitors.violations.length;
    const view = makeView(m, this._inspect, this._wantQueues);
    const recorded = this._ws?.recorded ?? [];
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
        recordedSteps: recorded.length,
        newSteps: recorded.slice(this._stepsSent),
        builtAt: this._io.stamp(),
        follow: { pace: this._follow.pace, current: this._follow.current, note: this._followNote },
      },
      transfer,
    );
    this._terminal = '';
    this._stepsSent = recorded.length;
  }

  /**
   * Time travel: the workspace replays the run up to t in a scratch machine,
   * a slice per tick (see _seekSlice); that instant is shown when reached.
   */
  private _seek(t: number | null): void {
    this._seekJob = null;
    const scratch = t === null ? null : (this._ws?.startReplay() ?? null);
    if (t === null || !scratch) return this._touch();
    this._seekJob = { t, m: scratch }; // run by this tick and the next ones
  }

  /**
   * Runs the replay on for at most the tick's wall budget and
   * SEEK_EVENTS_PER_TICK events. Reaching t posts the snapshot of exactly t;
   * a replay that would need more than the event cap is given up with a
   * message naming the instant it reached, never shown under t's label.
   */
  private _seekSlice(): void {
    const job = this._seekJob;
    if (!job) return;
    const { t, m } = job;
    const stopAt = this._io.wallNow() + TICK_BUDGET_MS;
    const tickEnd = m.processed + this._seekPerTick;
    for (;;) {
      const left = Math.min(this._seekMax, tickEnd) - m.processed;
      if (left <= 0) break;
      const stop = m.runUntil(t, Math.min(SEEK_SLICE, left));
      if (stop === 'paused') continue; // a pause step (a shared link's) is not where time travel stops
      if (stop !== 'event-limit') {
        this._seekJob = null;
        this._io.post({ type: 'snapshot', t, view: makeView(m, this._inspect, this._wantQueues) });
        return;
      }
      if (this._io.wallNow() >= stopAt) return; // more next tick
    }
    if (m.processed >= this._seekMax) {
      this._seekJob = null;
      this._io.post({
        type: 'error',
        message: `Time travel to ${formatSeconds(t)} refused: replaying to it takes more than ${this._seekMax.toLocaleString('en-US')} events (the replay reached ${formatSeconds(m.now)}).`,
      });
    }
  }

  private _explain(req: number, seq: number): void {
    if (!this._m) return;
    this._io.post({ type: 'explanation', req, seq, ...explainRequest(this._m, this._ws, seq) });
  }

  // ---- exports --------------------------------------------------------------------

  private _export(format: ExportFormat): void {
    const m = this._m;
    const s = this._scenario;
    if (!m || !s) return;
    const file = exportRun(m, format, { name: this._ws?.id ?? null, title: s.title, seed: s.seed, date: this._io.isoDate(), version: APP_VERSION });
    this._io.post({ type: 'file', ...file });
  }

  /**
   * The scenario, every live step, and a pause step at exactly this event count:
   * opening the link replays the same events and stops where its author was,
   * with the same trace hash.
   */
  private _share(): void {
    const m = this._m;
    if (!m || !this._ws) return;
    this._io.post({ type: 'share', json: this._ws.share(m.now, m.processed) });
  }
}

/** Turns on bracketed paste (xterm's DECSET 2004): pastes arrive between ESC[200~ and ESC[201~. */
const BRACKETED_PASTE_ON = '\x1b[?2004h';

/** The terminal's line editor: lines as long as a scenario's shell step may be. */
function newEditor(): LineEditor {
  return new LineEditor({ maxLength: MAX_SHELL_COMMAND });
}

/** Simulated ns as seconds for a message ("5.084 s"). */
function formatSeconds(ns: number): string {
  return `${(ns / 1e9).toFixed(3)} s`;
}
