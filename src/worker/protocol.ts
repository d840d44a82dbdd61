/**
 * The one contract between the UI thread and the simulation worker: commands
 * in, messages out, each a discriminated union handled by an exhaustive switch.
 * High-rate data travels as typed arrays in at most one `batch` per animation
 * frame (the UI asks for the next one with `frame`), never one message per event.
 */
import type { RouteLayer, StepAction, TraceColumns, Violation } from '../sim/index';

export const PROTOCOL_VERSION = 1;

/** Simulated ns per wall-clock ns (1 = real time), or as fast as the CPU allows. */
export type Speed = number | 'max';
export const SPEEDS: readonly Speed[] = [0.001, 0.01, 0.1, 1, 10, 100, 1000, 'max'];

/** Where a scenario comes from. */
export type LoadSource =
  | { kind: 'library'; id: string }
  | { kind: 'json'; json: unknown }
  | { kind: 'link'; link: string };

/** Scenario settings the settings panel may change (a restart applies them). */
export interface SettingsPatch {
  seed?: number;
  spec?: 'v1.2' | 'v8';
  preset?: 'spec' | 'rust-vmm' | 'rust-vmm-mock';
  policy?: Record<string, string | boolean>;
  driver?: Record<string, string | boolean>;
  transport?: 'msi' | 'intx';
  latency?: Partial<Record<'notify' | 'request' | 'event' | 'interrupt', [number, number]>>;
}

export type Command =
  | { type: 'load'; source: LoadSource }
  /** Reload the current scenario with the live steps recorded so far (after a worker restart, too). */
  | { type: 'restart'; steps?: unknown[] }
  | { type: 'settings'; patch: SettingsPatch }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'speed'; speed: Speed }
  /** Process exactly one event, then stay paused. */
  | { type: 'step' }
  /** Run until the next interrupt handler call, or the next spec violation or oracle flag. */
  | { type: 'run-until'; until: 'interrupt' | 'violation' }
  /** Something the user did to the simulation: applied now and recorded as a step. */
  | { type: 'action'; action: StepAction }
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
  | { type: 'export'; format: 'vcd-wires' | 'vcd-rich' | 'jsonl' }
  /** The scenario with every recorded step, ready to encode as a link. */
  | { type: 'share' };

/** Per-line state, one array entry per line. */
export interface LinesView {
  level: Uint8Array;
  /** Device direction: 0 none, 1 out, 2 in. */
  direction: Uint8Array;
  /** The device's trigger type (virtio code). */
  deviceType: Uint8Array;
  /** The trigger the client driver asked for (0 when it expects nothing). */
  clientType: Uint8Array;
  /** 1 if an irq-consumer client on this line can change its trigger. */
  hasConsumer: Uint8Array;
  /** The device holds the line's eventq buffer. */
  armed: Uint8Array;
  latch: Uint16Array;
  /** SinkState: 0 normal, 1 latched, 2 masked. */
  sink: Uint8Array;
  /** Driver irq flag bits (1 disabled, 2 masked, 4 queued, 8 update_pending, 16 queue_pending). */
  driverFlags: Uint8Array;
  /** A handler (or its thread) is running. */
  inHandler: Uint8Array;
  /** Last device-side delivery result: 0 delivered, 1 coalesced, 2 masked, 255 none yet. */
  lastDelivery: Uint8Array;
  delivered: Uint32Array;
  coalesced: Uint32Array;
  spurious: Uint32Array;
  lost: Uint32Array;
  handlerCalls: Uint32Array;
  invalid: Uint32Array;
  /** What drives the line from outside: 0 none, 1 toggle, 2 button (active low), 3 clock, 4 level source, 5 button (active high). */
  source: Uint8Array;
  contended: Uint8Array;
}

/** One virtqueue as both sides see it. */
export interface QueueView {
  name: string;
  size: number;
  /** The raw descriptor table (16 bytes per entry). */
  desc: Uint8Array;
  availFlags: number;
  availIdx: number;
  availRing: Uint16Array;
  usedFlags: number;
  usedIdx: number;
  /** Used ring elements: id, len pairs. */
  usedRing: Uint32Array;
  /** Device side: next avail entry it will take, next used slot it will fill. */
  deviceNextAvail: number;
  deviceNextUsed: number;
  /** Driver side: last used entry it consumed. */
  driverLastUsed: number;
  /** Per descriptor: 0 free, 1 available (not yet taken), 2 with the device, 3 used (not yet taken back). */
  owner: Uint8Array;
  /** Per descriptor head: the line its chain belongs to, or -1. */
  lineOf: Int16Array;
  /** Buffer contents per descriptor (up to 16 bytes each), for the hover decoder. */
  bytes: (Uint8Array | null)[];
}

export interface TransportView {
  mode: 'msi' | 'intx';
  isr: number;
  asserted: boolean;
  raised: number;
  delivered: number;
  coalesced: number;
  masked: number;
}

export interface Totals {
  delivered: number;
  coalesced: number;
  spurious: number;
  lost: number;
  handlerCalls: number;
  invalid: number;
  violations: number;
  warnings: number;
}

/** Everything the panels show about one instant. */
export interface View {
  now: number;
  processed: number;
  lines: LinesView;
  /** Both queues, or empty unless the UI asked for them with `detail`. */
  queues: QueueView[];
  transport: TransportView;
  deviceStatus: number;
  deviceFailure: number;
  totals: Totals;
  /** The inspected line's interrupt route, when a line is inspected. */
  route: RouteLayer[] | null;
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
  recorded: unknown[];
  /** Each line's level at time zero (the waveform starts from these). */
  initialLevels: number[];
  /** True when loaded from a link: it replays to its end, then pauses. */
  fromLink: boolean;
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
      newSteps: unknown[];
      /** performance.timeOrigin + performance.now() when the worker built this batch. */
      builtAt: number;
    }
  /** The state at a past instant (time travel). */
  | { type: 'snapshot'; t: number; view: View }
  | { type: 'file'; filename: string; mime: string; text: string }
  | { type: 'share'; json: unknown }
  | { type: 'error'; message: string };

/** Exhaustiveness helper for switches over the unions. */
export function unreachable(x: never): never {
  throw new Error(`unhandled ${JSON.stringify(x)}`);
}
