import type { TimedAction } from '../actions';
import type { DevicePolicy, PolicyPreset } from '../gpio/policies';
import type { InterruptMode } from '../virtio/transport-irq';
import { Machine } from '../machine';
import { resolveScenario, validateScenario, type Result } from './load';
import { MAX_DURATION_NS, MAX_SHELL_COMMAND, MAX_STEPS, type Scenario, type ScenarioInput } from './schema';
import { actionStep, type StepInput } from './steps';

/** Scenario settings a person may change between runs (the settings panel; a restart applies them). */
export interface SettingsPatch {
  seed?: number;
  spec?: 'v1.2' | 'v8';
  preset?: PolicyPreset;
  /** Policy fields as the scenario format writes them (edgeLatch as "single" or "queue:N"). */
  policy?: Partial<Record<keyof DevicePolicy, string | boolean>>;
  driver?: Partial<Record<'flow' | 'requeue' | 'mask' | 'typeChange' | 'eventIdx', string | boolean>>;
  transport?: InterruptMode;
  latency?: Partial<Record<'notify' | 'request' | 'event' | 'interrupt', [number, number]>>;
}

/**
 * What a person is working on: the scenario as loaded (file form), the
 * settings they changed, and every action they took live, in order, as
 * timeline steps. Composed, it is a scenario file that replays the session:
 * what a restart rebuilds, what a share link carries, what survives the
 * worker dying. Immutable except for recording.
 */
export class Workspace {
  /** The scenario as loaded, settings applied (file form). */
  readonly base: ScenarioInput;
  /** The built-in id it came from, if any. */
  readonly id: string | null;
  readonly fromLink: boolean;
  /** Actions taken live, as steps (exact event positions kept). */
  private readonly _recorded: StepInput[];

  private constructor(base: ScenarioInput, id: string | null, fromLink: boolean, recorded: StepInput[]) {
    this.base = base;
    this.id = id;
    this.fromLink = fromLink;
    this._recorded = recorded;
  }

  /** A workspace for a scenario file; null with the reason when the file is not a valid scenario. */
  static open(json: unknown, id: string | null = null, fromLink = false): Result<Workspace> {
    const v = validateScenario(json);
    if (!v.ok) return v;
    return { ok: true, value: new Workspace(cloneJson(json as ScenarioInput), id, fromLink, []) };
  }

  get recorded(): readonly StepInput[] {
    return this._recorded;
  }

  /**
   * Why an action taken at this place could not be recorded, or null. The
   * recorded steps must always compose into a valid scenario (restart, share
   * links and settings changes replay them), so the format's limits are
   * checked here, before the action is carried out: one simulated hour, shell
   * commands of at most 1024 characters, at most MAX_STEPS steps in all (one
   * kept free for the pause step a share link adds).
   */
  refusal(t: TimedAction): string | null {
    if (!(t.at <= MAX_DURATION_NS)) {
      return 'the run is past one simulated hour, the longest a scenario can replay (restart, or open a link, to go on acting)';
    }
    if (t.action.do === 'shell' && t.action.command.length > MAX_SHELL_COMMAND) {
      return `shell commands are at most ${MAX_SHELL_COMMAND} characters (this one has ${t.action.command.length})`;
    }
    const steps = (this.base.timeline?.length ?? 0) + this._recorded.length;
    if (steps + 1 >= MAX_STEPS) {
      return `a scenario holds at most ${MAX_STEPS.toLocaleString('en-US')} steps, and this session has ${steps}: restart or load a scenario to go on`;
    }
    return null;
  }

  /** Records an action taken live at this exact place in the run; the reason instead when it cannot be (see refusal). */
  record(t: TimedAction): string | null {
    const why = this.refusal(t);
    if (why === null) this._recorded.push(actionStep(t));
    return why;
  }

  /**
   * The same workspace with these steps recorded instead (restored after the
   * worker restarted); the reason when they do not compose into a valid
   * scenario with this base (steps of another scenario, or beyond the limits).
   */
  withRecorded(steps: readonly StepInput[]): Result<Workspace> {
    const ws = new Workspace(this.base, this.id, this.fromLink, [...steps]);
    const v = ws.scenario();
    if (!v.ok) return v;
    const r = resolveScenario(v.value, { traceEnabled: false, traceCapacity: 1 });
    return r.ok ? { ok: true, value: ws } : r;
  }

  /**
   * The base with the recorded steps (and `extra` ones) appended, the run made
   * long enough to hold them: a scenario file that replays the session.
   */
  compose(extra: readonly StepInput[] = []): ScenarioInput {
    const base = cloneJson(this.base);
    const added = [...this._recorded, ...extra];
    if (added.length === 0) return base;
    base.timeline = [...(base.timeline ?? []), ...added];
    const duration = validateScenario(this.base);
    const lastAt = Math.max(...added.map((s) => (typeof s.at === 'number' ? s.at : 0)));
    if (duration.ok && lastAt > duration.value.duration) base.duration = lastAt;
    return base;
  }

  /** The composed scenario, validated. */
  scenario(): Result<Scenario> {
    return validateScenario(this.compose());
  }

  /**
   * The scenario with every live step and a pause at exactly this event:
   * opening it replays the same events and stops where its author was.
   */
  share(at: number, event: number): ScenarioInput {
    // Past the hour a scenario can hold, the link replays the whole run instead of stopping at `at`.
    if (!(at <= MAX_DURATION_NS)) return this.compose();
    return this.compose([{ at, event, do: 'pause' }]);
  }

  /**
   * The session replayed, untraced, in a scratch machine up to simulated time
   * `t` (time travel): what every panel shows for that instant. Null when the
   * composed scenario is not valid.
   */
  replayTo(t: number, maxEvents: number): Machine | null {
    const m = this.startReplay();
    if (!m) return null;
    // A pause step (a shared link's) stops runUntil early: time travel goes on to t.
    while (m.runUntil(t, maxEvents - m.processed) === 'paused');
    return m;
  }

  /**
   * A scratch machine for the session, not yet run (a replay the caller runs in slices): untraced,
   * or `traced` with a small ring (the same seqs as the live run; the cause tracker keeps its chains only then).
   */
  startReplay(traced = false): Machine | null {
    const v = this.scenario();
    if (!v.ok) return null;
    const cfg = resolveScenario(v.value, { traceEnabled: traced, traceCapacity: traced ? 1024 : 1 });
    if (!cfg.ok) return null;
    return new Machine(cfg.value);
  }

  /**
   * The settings applied to the base. Another configuration gives another
   * event order, so recorded steps keep their times and lose their event
   * numbers. The reason, naming the field, when the result is not valid.
   */
  withSettings(p: SettingsPatch): Result<Workspace> {
    const base = cloneJson(this.base);
    const device = { ...base.device };
    if (p.seed !== undefined) base.seed = p.seed;
    if (p.spec) device.spec = p.spec;
    if (p.preset) device.preset = p.preset;
    if (p.transport) device.transport = p.transport;
    if (p.policy) device.policy = { ...(device.policy ?? {}), ...p.policy } as typeof device.policy;
    if (p.latency) device.latency = { ...(device.latency ?? {}), ...p.latency };
    base.device = device;
    if (p.driver) base.driver = { ...(base.driver ?? {}), ...p.driver } as typeof base.driver;
    const v = validateScenario(base);
    if (!v.ok) return v;
    const recorded = this._recorded.map(({ event: _event, ...rest }) => rest as StepInput);
    // All or nothing: the new base and every recorded step must make a valid scenario together.
    return new Workspace(base, this.id, this.fromLink, []).withRecorded(recorded);
  }
}

/** A deep copy of plain JSON data (a scenario file holds nothing else). */
function cloneJson<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
