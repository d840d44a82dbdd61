import type { Action } from '../sim/actions';
import type { TraceColumns } from '../sim/trace/trace';
import { encodeMessage, PROTOCOL_VERSION, type Message, type RunStatus, type ScenarioInfo } from '../worker/protocol';
import { realtimeView } from './live-view';
import type { RealtimeDevice } from './realtime';

/**
 * The app's side of a live real-guest run, one per connected page: the same
 * `loaded` and `batch` messages the simulation worker sends, built from the
 * RealtimeDevice, and the page's commands taken back. Only what makes sense
 * for a recording is taken: `frame` (the page wants the next batch), `action`
 * (world actions: the drive buttons), `inspect` and `detail`. Everything else
 * (run, step, seek, settings, share, export, terminal input) is answered with
 * an `error` saying why it is not available; the page says so as well.
 */

/** Trace events per batch (the worker's figure: keeps one page frame short). */
const MAX_EVENTS_PER_BATCH = 40_000;
/** Terminal output kept for a page that has not asked for a frame yet. */
const MAX_TERMINAL_CHARS = 256 * 1024;

export class LiveSession {
  private readonly _rt: RealtimeDevice;
  private readonly _send: (text: string) => void;
  private _wantFrame = false;
  private _traceSent = 0;
  private _violationsSent = 0;
  private _wantQueues = false;
  private _terminal = '';
  status: RunStatus = 'running';

  constructor(rt: RealtimeDevice, info: ScenarioInfo, send: (text: string) => void, consoleSoFar: string) {
    this._rt = rt;
    this._send = send;
    this._terminal = consoleSoFar;
    this._post({ type: 'ready', protocol: PROTOCOL_VERSION });
    this._post({ type: 'loaded', info });
  }

  private _post(msg: Message): void {
    this._send(encodeMessage(msg));
  }

  /** Guest console output, for the page's terminal. */
  console(text: string): void {
    this._terminal = (this._terminal + text).slice(-MAX_TERMINAL_CHARS);
  }

  /** One text from the page. Anything that is not a known command is ignored. */
  handle(text: string): void {
    let cmd: unknown;
    try {
      cmd = JSON.parse(text);
    } catch {
      return;
    }
    if (!cmd || typeof cmd !== 'object') return;
    const c = cmd as Record<string, unknown>;
    switch (c['type']) {
      case 'frame':
        this._wantFrame = true;
        return this.flush();
      case 'action': {
        const a = parseWorldAction(c['action']);
        const err = typeof a === 'string' ? a : this._rt.applyLive(a)?.message;
        if (err) this._post({ type: 'error', message: `Not done: ${err}` });
        return;
      }
      case 'detail':
        this._wantQueues = c['queues'] === true;
        return;
      case 'inspect':
      case 'load':
      case 'seek':
        return;
      default:
        this._post({ type: 'error', message: 'Not available in a live recording of a real guest: it runs on the wall clock and cannot be paused, stepped, replayed, re-configured or shared.' });
    }
  }

  /** The last batch of a run (its status `ended`), sent whether or not the page asked. */
  flushFinal(): void {
    this._wantFrame = true;
    this.flush();
  }

  /** Sends one batch if the page asked for one. */
  flush(): void {
    if (!this._wantFrame) return;
    this._wantFrame = false;
    const rt = this._rt;
    const trace = rt.trace;
    const from = Math.max(this._traceSent, trace.firstSeq);
    const cols: TraceColumns | null = trace.total > from ? trace.columns(from, MAX_EVENTS_PER_BATCH) : null;
    if (cols) this._traceSent = cols.firstSeq + cols.t.length;
    const all = rt.violations;
    const violations = all.slice(this._violationsSent);
    this._violationsSent = all.length;
    this._post({
      type: 'batch',
      status: this.status,
      speed: 1,
      view: realtimeView(rt, this._wantQueues),
      trace: cols,
      traceTotal: trace.total,
      traceHash: '',
      violations,
      terminal: this._terminal,
      recordedSteps: 0,
      newSteps: [],
      builtAt: performance.timeOrigin + performance.now(),
    });
    this._terminal = '';
  }
}

const WORLD_KINDS = new Set(['drive', 'release', 'pulse', 'press', 'clock', 'assert']);
const isInt = (x: unknown): x is number => Number.isInteger(x);
const isBit = (x: unknown): x is 0 | 1 => x === 0 || x === 1;
const isNs = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0 && x <= 3600e9;

/**
 * An action from the page, checked field by field (it arrived over a socket):
 * a world action with the right types, or a sentence naming the field at fault.
 * Which lines exist and what they are wired to is the device's validator's job.
 */
export function parseWorldAction(x: unknown): Action | string {
  if (!x || typeof x !== 'object') return 'action: expected an object';
  const a = x as Record<string, unknown>;
  const kind = a['do'];
  if (typeof kind !== 'string' || !WORLD_KINDS.has(kind)) return `action.do: expected one of ${[...WORLD_KINDS].join(', ')} (the guest is the driver)`;
  if (!isInt(a['line'])) return 'action.line: expected a line number';
  const line = a['line'];
  switch (kind) {
    case 'drive':
      return isBit(a['level']) ? { do: 'drive', line, level: a['level'] } : 'action.level: expected 0 or 1';
    case 'release':
      return { do: 'release', line };
    case 'assert':
      return { do: 'assert', line };
    case 'press':
      return typeof a['pressed'] === 'boolean' ? { do: 'press', line, pressed: a['pressed'] } : 'action.pressed: expected true or false';
    case 'pulse':
      if (!isBit(a['level'])) return 'action.level: expected 0 or 1';
      return isNs(a['widthNs']) ? { do: 'pulse', line, level: a['level'], widthNs: a['widthNs'] } : 'action.widthNs: expected a width in ns (up to an hour)';
    default: {
      const periodNs = a['periodNs'];
      const highNs = a['highNs'];
      const count = a['count'];
      if (!isNs(periodNs)) return 'action.periodNs: expected a period in ns (up to an hour)';
      if (!(isNs(highNs) && highNs < periodNs)) return 'action.highNs: expected ns shorter than the period';
      if (!(count === null || (isInt(count) && count > 0))) return 'action.count: expected a positive whole number or null (forever)';
      return { do: 'clock', line, periodNs, highNs, count };
    }
  }
}
