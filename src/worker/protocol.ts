/**
 * The one contract between the UI thread and the simulation worker: commands
 * in, messages out, each a discriminated union handled by an exhaustive switch.
 * High-rate data travels as typed arrays in at most one `batch` per animation
 * frame (the UI asks for the next one with `frame`), never one message per event.
 */
import type { Counterexample, FlagPoint, RandomJob, RandomRecord, ShardOptions } from '../sim/index';

import type { Action, CompareView, ExplanationCard, ExportFormat, SettingsPatch, StepInput, TraceColumns, View, Violation } from '../sim/index';

export type { LinesView, QueueView, TransportView, Totals, View, SettingsPatch, CompareView, ExplanationCard } from '../sim/index';

export const PROTOCOL_VERSION = 1;

/** Simulated ns per wall-clock ns (1 = real time), or as fast as the CPU allows. */
export type Speed = number | 'max';
export const SPEEDS: readonly Speed[] = [0.001, 0.01, 0.1, 1, 10, 100, 1000, 'max'];

/** Where a scenario comes from. */
export type LoadSource =
  | { kind: 'library'; id: string }
  | { kind: 'json'; json: unknown }
  | { kind: 'link'; link: string };

export type Command =
  | { type: 'load'; source: LoadSource }
  /** Reload the current scenario with the live steps recorded so far (after a worker restart, too). */
  | { type: 'restart'; steps?: StepInput[] }
  | { type: 'settings'; patch: SettingsPatch }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'speed'; speed: Speed }
  /** Advance exactly one trace event (held back ones first), then stay paused; says why when nothing is pending. */
  | { type: 'step' }
  /** Run until the next interrupt handler call, or the next spec violation or oracle flag. */
  | { type: 'run-until'; until: 'interrupt' | 'violation' }
  /** Something the user did to the simulation: applied now and recorded as a step. */
  | { type: 'action'; action: Action }
  /** Raw terminal input (keystrokes, pastes). */
  | { type: 'terminal'; data: string }
  /** The UI is ready for the next batch. `sentAt` lets the worker measure round trips. */
  | { type: 'frame' }
  /** Show the state at time t (time travel), or go back to live with null. */
  | { type: 'seek'; t: number | null }
  /** Which line's interrupt route to include in views (the inspector). */
  | { type: 'inspect'; line: number | null }
  /** Whether views carry the virtqueue state (only while the inspector shows it). */
  | { type: 'detail'; queues: boolean }
  | { type: 'export'; format: ExportFormat }
  /** The scenario with every recorded step, ready to encode as a link. */
  | { type: 'share' }
  /** Run at full speed until every event at simulated time t has happened, then pause (a lesson step's anchor). */
  | { type: 'run-to'; t: number }
  /** Resolve a lesson's anchors on a scratch run of its scenario (answered by `lesson-anchors` with the same req). */
  | { type: 'lesson-anchors'; req: number; lesson: unknown }
  /** Check a lesson's challenge on the session as it stands: the scenario, settings and live steps (answered by `lesson-check`). */
  | { type: 'lesson-check'; req: number; lesson: unknown }
  /** Why the flag with trace seq `seq` happened (a label, a device result, or its Cause event): answered by `explanation`. */
  | { type: 'explain'; req: number; seq: number }
  /** Run the session as it stands and again with these dotted settings (`device.preset=rust-vmm`), side by side (answered by `compare`). */
  | { type: 'compare'; req: number; settings: string[] }
  /** Follow mode: one trace event at a time at `pace` events per wall-clock second, or stop following (null). */
  | { type: 'follow'; pace: number | null };
/** Follow mode's paces: trace events per wall-clock second (src/worker/follow.ts). */
export const FOLLOW_PACES: readonly number[] = [1, 2, 5, 10];

/** Follow mode as a batch reports it (src/worker/follow.ts). */
export interface FollowState {
  /** Events per second while following, or null. */
  pace: number | null;
  /** Seq of the current event (the last one revealed by follow mode or Step), or -1. */
  current: number;
  /** Why the last advance could not happen ("Nothing pending: ..."), or "". */
  note: string;
}

/** Where a lesson step's anchor falls: the time to run to, and the trace event it names (null for a time anchor). */
export interface LessonPoint {
  t: number;
  seq: number | null;
}

/** A challenge check's outcome, as the Learn panel shows it. */
export interface LessonCheck {
  passed: boolean;
  /** The first failing condition in words ("" when passed). */
  reason: string;
  /** The settings the student changed (paths). */
  changed: string[];
  results: { what: string; expected: string; actual: string; ok: boolean }[];
}

export type RunStatus = 'running' | 'paused' | 'ended';

/** Static facts about the loaded scenario. */
export interface ScenarioInfo {
  id: string | null;
  title: string;
  description: string;
  seed: number;
  durationNs: number;
  spec: string;
  preset: string;
  transport: string;
  lines: { name: string; direction: string }[];
  clients: { kind: string; name: string; lines: number[] }[];
  /** The scenario JSON as loaded (input form), for the settings panel. */
  json: unknown;
  /** Live steps recorded so far (file form), e.g. restored after a worker restart. */
  recorded: StepInput[];
  /** Each line's level at time zero (the waveform starts from these). */
  initialLevels: number[];
  /** True when loaded from a link: it replays to its end, then pauses. */
  fromLink: boolean;
  /** A recording read from a trace file (src/ui/recording-source.ts): read only, nothing to run or drive. */
  recording?: boolean;
  /** For a library scenario: the settings run with values other than its file's (the library marks it). */
  changed?: string[];
}

export type Message =
  | { type: 'ready'; protocol: number }
  | { type: 'loaded'; info: ScenarioInfo }
  /** The requested scenario could not be loaded; `fallback` says the default scenario was loaded instead. */
  | { type: 'load-error'; message: string; fallback: boolean }
  | {
      type: 'batch';
      status: RunStatus;
      speed: Speed;
      view: View;
      /** Trace events since the previous batch (transferable columns), or null. */
      trace: TraceColumns | null;
      traceTotal: number;
      traceHash: string;
      /** New spec violations since the previous batch. */
      violations: Violation[];
      /** Terminal output since the previous batch (input echo and redraws included). */
      terminal: string;
      recordedSteps: number;
      /** Live steps recorded since the previous batch (file form): the UI keeps them to survive a worker crash. */
      newSteps: StepInput[];
      /** performance.timeOrigin + performance.now() when the worker built this batch. */
      builtAt: number;
      /** Follow mode and the current event (absent from a live real-guest source). */
      follow?: FollowState;
    }
  /** The state at a past instant (time travel). */
  | { type: 'snapshot'; t: number; view: View }
  | { type: 'file'; filename: string; mime: string; text: string }
  | { type: 'share'; json: unknown }
  /** Each step's anchor (null for the challenge), or null with the reason the lesson cannot be played. */
  | { type: 'lesson-anchors'; req: number; points: (LessonPoint | null)[] | null; error: string }
  | { type: 'lesson-check'; req: number; result: LessonCheck }
  /** The card for an `explain` request, or null with the reason there is none. */
  | { type: 'explanation'; req: number; seq: number; card: ExplanationCard | null; error: string }
  /** Both runs of a comparison, or null with the reason (a setting named) it could not be made. */
  | { type: 'compare'; req: number; result: CompareView | null; error: string }
  | { type: 'error'; message: string };

/** Exhaustiveness helper for switches over the unions. */
export function unreachable(x: never): never {
  throw new Error(`unhandled ${JSON.stringify(x)}`);
}

// ---- Over a WebSocket (the live real-guest source, src/host/live-server.ts) ----------------

/** The typed arrays a Message carries; a JSON text tags each with its kind so it comes back as the same type. */
const TYPED = { Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float64Array } as const;
type TypedName = keyof typeof TYPED;
const TAG = '$typed';

/** A Message as one JSON text (typed arrays included), for a WebSocket text frame. */
export function encodeMessage(msg: Message): string {
  return JSON.stringify(msg, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const name = v.constructor.name;
      if (name in TYPED) return { [TAG]: name, v: Array.from(v as unknown as ArrayLike<number>) };
    }
    return v;
  });
}

/** The inverse of encodeMessage; null for a text that is not a Message. */
export function decodeMessage(text: string): Message | null {
  let msg: unknown;
  try {
    msg = JSON.parse(text, (_k, v: unknown) => {
      if (v && typeof v === 'object' && TAG in v) {
        const o = v as { [TAG]: unknown; v: unknown };
        const Ctor = typeof o[TAG] === 'string' && Object.hasOwn(TYPED, o[TAG]) ? TYPED[o[TAG] as TypedName] : null;
        if (Ctor && Array.isArray(o.v)) return Ctor.from(o.v as number[]);
      }
      return v;
    });
  } catch {
    return null;
  }
  return msg && typeof msg === 'object' && typeof (msg as { type?: unknown }).type === 'string' ? (msg as Message) : null;
}

// ---- The explorer's pool workers (src/worker/explore.worker.ts, src/worker/explore-host.ts) ----------------

/** To one pool worker: prepare a search (the scenario validated and resolved once), then run slices of its frontier. */
export type ExploreCommand =
  | { type: 'explore-prepare'; search: number; input: unknown; options: ShardOptions }
  /**
   * A slice of the breadth-first frontier: schedules `from`, `from + 1`, … packed by Frontier.pack (the
   * buffer is transferred), and maybe a records buffer of an earlier slice, merged, to write this one's
   * records into (`spare`, transferred too).
   */
  | { type: 'explore-run'; search: number; from: number; schedules: Float64Array; spare?: Float64Array<ArrayBuffer> }
  /** A range of tries of the randomized search (pool-random.ts). */
  | { type: 'explore-random'; search: number; job: RandomJob };

/** A counterexample of a slice: record `k`'s, with where it first shows (`flag`, null when it does not show in a full run). */
export interface SliceCounterexample {
  k: number;
  counterexample: Counterexample;
  flag: FlagPoint | null;
}

/** From one pool worker. */
export type ExploreMessage =
  | { type: 'explore-ready'; protocol: number }
  /** The search could not be prepared (`error` names the field); no slice of it will run. */
  | { type: 'explore-refused'; search: number; error: string }
  /**
   * A slice's records as runShard packs them (the buffer is transferred, not cloned), its counterexamples
   * beside them; `ms`: the worker's time running the slice (the pool sizes the next slices by it).
   */
  | { type: 'explore-records'; search: number; from: number; data: Float64Array; cex: SliceCounterexample[]; ms: number }
  /** A range of tries' records, in try order; `cex` as for explore-records, `k` indexing `records`. */
  | { type: 'explore-random-records'; search: number; from: number; records: RandomRecord[]; cex: SliceCounterexample[]; ms: number }
  | { type: 'explore-error'; search: number; message: string };
