import { RULES } from '../check/rules';
import type { Violation } from '../check/monitors';
import { DIRECTIONS, IRQ_STATUS_INVALID, IRQ_TYPE_NONE } from '../gpio/constants';
import type { LinesView, View } from '../observe';
import { DeliveryResult, OracleLabel, SinkState, TK } from '../trace/kinds';
import type { TraceColumns } from '../trace/trace';
import { JSONL_FORMAT, JSONL_VERSION, type JsonlSource } from './jsonl';

/**
 * Reading a trace in the JSONL format (jsonl.ts) back as a recording: a
 * finished run the app can show read-only (`vgpio guest --trace` writes one
 * from a real guest; the app's and `vgpio run --trace`'s exports are the same
 * format). The file is untrusted: its size is capped before it is read, every
 * line is checked field by field, and every refusal names the line number and
 * the field. Nothing here throws, and the work is linear in the text.
 */

/** 64 MiB: about 450,000 events at the ~140 bytes a record takes. */
export const RECORDING_MAX_BYTES = 64 * 1024 * 1024;
/** A header carries the lines' names (up to 1024 of them); an event record is a few hundred bytes at most. */
const MAX_HEADER_CHARS = 256 * 1024;
const MAX_RECORD_CHARS = 4096;
const MAX_BOARD_LINES = 1024;
const MAX_TITLE_CHARS = 4096;
const MAX_NAME_CHARS = 64;
const MAX_VIOLATIONS_KEPT = 10_000;
const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;

export interface RecordingLine {
  name: string;
  direction: 'in' | 'out' | 'none';
}

export interface Recording {
  title: string;
  seed: number;
  hash: string;
  /** Who made it (older files do not say: 'unknown'). */
  source: JsonlSource | 'unknown';
  /** Events in the whole run, and those the ring dropped before the first record. */
  events: number;
  dropped: number;
  /** The run's end, in ns (simulated, or wall-clock since the back end started for a real guest). */
  endNs: number;
  lines: RecordingLine[];
  initialLevels: number[];
  /** Every record, as the columns the app's trace store takes. */
  trace: TraceColumns;
  /** The spec monitors' findings, read back from the Violation events. */
  violations: Violation[];
}

export type RecordingResult = { ok: true; value: Recording } | { ok: false; error: string };

/** Checked on the file's size before its text is read. */
export function recordingSizeError(bytes: number): string | null {
  if (bytes <= RECORDING_MAX_BYTES) return null;
  return `the file is ${Math.ceil(bytes / (1024 * 1024)).toLocaleString('en-US')} MB; a recording is at most ${RECORDING_MAX_BYTES / (1024 * 1024)} MB`;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown, min: number, max: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max;

function parseLine(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type Header = Omit<Recording, 'trace' | 'violations'>;

function readHeader(text: string): { ok: true; value: Header } | { ok: false; error: string } {
  const bad = (what: string): { ok: false; error: string } => ({ ok: false, error: `line 1: ${what}` });
  if (text.length > MAX_HEADER_CHARS) return bad(`the header is over ${MAX_HEADER_CHARS / 1024} KB`);
  const h = parseLine(text);
  if (!isObj(h)) return bad('not a JSON object (a vgpio trace starts with its header object)');
  if (h['format'] !== JSONL_FORMAT) return bad(`format is not "${JSONL_FORMAT}": this is not a vgpio trace`);
  if (h['version'] !== JSONL_VERSION) return bad(`version must be ${JSONL_VERSION}`);
  const title = h['title'];
  if (typeof title !== 'string' || title.length > MAX_TITLE_CHARS) return bad(`title must be text of at most ${MAX_TITLE_CHARS} characters`);
  if (!isInt(h['seed'], 0, Number.MAX_SAFE_INTEGER)) return bad('seed must be a whole number >= 0');
  const hash = h['hash'];
  if (typeof hash !== 'string' || !/^[0-9a-f]{1,64}$/.test(hash)) return bad('hash must be hexadecimal');
  const events = h['events'];
  const dropped = h['dropped'];
  if (!isInt(events, 0, Number.MAX_SAFE_INTEGER)) return bad('events must be a whole number >= 0');
  if (!isInt(dropped, 0, events)) return bad('dropped must be a whole number between 0 and events');
  const endNs = h['simulatedNs'];
  if (typeof endNs !== 'number' || !Number.isFinite(endNs) || endNs < 0) return bad('simulatedNs must be a number of ns >= 0');
  const source = h['source'] ?? 'unknown';
  if (source !== 'unknown' && source !== 'simulation' && source !== 'real-guest') return bad('source must be "simulation" or "real-guest"');
  let lines: RecordingLine[] = [];
  if (h['lines'] !== undefined) {
    const ls = h['lines'];
    if (!Array.isArray(ls) || ls.length < 1 || ls.length > MAX_BOARD_LINES) return bad(`lines must be a list of 1 to ${MAX_BOARD_LINES} lines`);
    for (let i = 0; i < ls.length; i++) {
      const l: unknown = ls[i];
      if (!isObj(l) || typeof l['name'] !== 'string' || l['name'].length > MAX_NAME_CHARS) return bad(`lines[${i}].name must be text of at most ${MAX_NAME_CHARS} characters`);
      const d = l['direction'];
      if (d !== 'in' && d !== 'out' && d !== 'none') return bad(`lines[${i}].direction must be "in", "out" or "none"`);
      lines.push({ name: l['name'], direction: d });
    }
  }
  let initialLevels: number[] = [];
  if (h['initialLevels'] !== undefined) {
    const lv = h['initialLevels'];
    if (!Array.isArray(lv) || lv.length < 1 || lv.length > MAX_BOARD_LINES || !lv.every((x) => x === 0 || x === 1)) return bad('initialLevels must be a list of 0s and 1s');
    if (lines.length && lv.length !== lines.length) return bad(`initialLevels has ${lv.length} levels for ${lines.length} lines`);
    initialLevels = lv as number[];
  }
  if (!lines.length && initialLevels.length) lines = initialLevels.map(() => ({ name: '', direction: 'in' }));
  return { ok: true, value: { title, seed: h['seed'], hash, source, events, dropped, endNs, lines, initialLevels } };
}

function newColumns(firstSeq: number, n: number): TraceColumns {
  return { firstSeq, t: new Float64Array(n), kind: new Uint8Array(n), line: new Int16Array(n), a: new Int32Array(n), b: new Int32Array(n), c: new Int32Array(n) };
}

function grow(c: TraceColumns, n: number): TraceColumns {
  const g = newColumns(c.firstSeq, n);
  g.t.set(c.t);
  g.kind.set(c.kind);
  g.line.set(c.line);
  g.a.set(c.a);
  g.b.set(c.b);
  g.c.set(c.c);
  return g;
}

/** A trace kind's code from its name, or -1 (own properties of TK only: "constructor" is no kind). */
function kindCode(name: unknown): number {
  return typeof name === 'string' && Object.hasOwn(TK, name) ? (TK as Record<string, number>)[name]! : -1;
}

/**
 * The text of a JSONL trace -> a Recording, or the first problem found,
 * naming its line (1 = the header) and field. Blank lines are skipped.
 */
export function readRecording(text: string): RecordingResult {
  if (typeof text !== 'string') return { ok: false, error: 'no text' };
  if (text.length > RECORDING_MAX_BYTES) return { ok: false, error: recordingSizeError(text.length) as string };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let pos = 0;
  let lineNo = 0;
  let header: Header | null = null;
  let count = 0;
  let cols: TraceColumns | null = null;
  let want = 0;
  let lastT = 0;
  while (pos < body.length) {
    let end = body.indexOf('\n', pos);
    if (end < 0) end = body.length;
    lineNo++;
    const cap = header ? MAX_RECORD_CHARS : MAX_HEADER_CHARS;
    if (end - pos > cap) return { ok: false, error: `line ${lineNo}: longer than ${cap.toLocaleString('en-US')} characters` };
    const raw = body.slice(pos, end).replace(/\r$/, '');
    pos = end + 1;
    if (raw.trim() === '') continue;
    if (!header) {
      const h = readHeader(raw);
      if (!h.ok) return { ok: false, error: h.error.replace(/^line 1:/, `line ${lineNo}:`) };
      header = h.value;
      want = header.events - header.dropped;
      // Grown as records arrive (never sized from the header alone: a header cannot make us reserve memory the text does not fill).
      cols = newColumns(header.dropped, Math.min(want, 1024));
      continue;
    }
    const err = (what: string): RecordingResult => ({ ok: false, error: `line ${lineNo}: ${what}` });
    if (count >= want) return err(`one record more than the ${want} the header announces (events ${header.events}, dropped ${header.dropped})`);
    if (count === (cols as TraceColumns).t.length) cols = grow(cols as TraceColumns, Math.min(want, count * 2));
    const c = cols as TraceColumns;
    const r = parseLine(raw);
    if (!isObj(r)) return err('not a JSON object');
    const seq = header.dropped + count;
    if (r['seq'] !== seq) return err(`seq must be ${seq} (records are consecutive from the header's dropped count)`);
    const t = r['t'];
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0) return err('t must be a time in ns >= 0');
    if (t < lastT) return err(`t goes back in time (${t} after ${lastT})`);
    const kind = kindCode(r['kind']);
    if (kind < 0) return err('kind is not a trace kind name (RingPop, MsgRequest, LineLevel, ...)');
    if (!isInt(r['line'], -0x8000, 0x7fff)) return err('line must be a whole number from -32768 to 32767');
    for (const f of ['a', 'b', 'c'] as const) if (!isInt(r[f], INT32_MIN, INT32_MAX)) return err(`${f} must be a 32-bit whole number`);
    c.t[count] = t;
    c.kind[count] = kind;
    c.line[count] = r['line'];
    c.a[count] = r['a'] as number;
    c.b[count] = r['b'] as number;
    c.c[count] = r['c'] as number;
    lastT = t;
    count++;
  }
  if (!header || !cols) return { ok: false, error: 'the file is empty (a vgpio trace starts with its header object)' };
  if (count !== want) return { ok: false, error: `line ${lineNo + 1}: the file ends after ${count} records; its header announces ${want} (a cut-off file?)` };
  if (lastT > header.endNs) return { ok: false, error: `line 1: simulatedNs ${header.endNs} is before the last record's time ${lastT}` };
  let lines = header.lines;
  if (!lines.length) {
    // An older file without its board: as many lines as its line events name (at least one).
    let max = 0;
    for (let i = 0; i < count; i++) if (cols.kind[i] === TK.LineLevel && (cols.line[i] as number) < MAX_BOARD_LINES) max = Math.max(max, (cols.line[i] as number) + 1);
    lines = Array.from({ length: Math.max(1, max) }, () => ({ name: '', direction: 'in' as const }));
  }
  const initialLevels = header.initialLevels.length ? header.initialLevels : inferInitialLevels(cols, lines.length);
  return { ok: true, value: { ...header, lines, initialLevels, trace: cols, violations: recordedViolations(cols) } };
}

/**
 * A file without initial levels (the simulator's exports): a LineLevel record is a change, so a
 * line's first one says it was the other level before; a line that never changes reads 0.
 */
function inferInitialLevels(cols: TraceColumns, n: number): number[] {
  const out = new Array<number>(n).fill(0);
  const seen = new Uint8Array(n);
  for (let i = 0; i < cols.t.length; i++) {
    const line = cols.line[i] as number;
    if (cols.kind[i] !== TK.LineLevel || line < 0 || line >= n || seen[line]) continue;
    seen[line] = 1;
    out[line] = cols.a[i] ? 0 : 1;
  }
  return out;
}

/** The Violation events, as the monitors reported them (the rule's own sentence stands in for the monitor's message). */
function recordedViolations(cols: TraceColumns): Violation[] {
  const out: Violation[] = [];
  for (let i = 0; i < cols.t.length && out.length < MAX_VIOLATIONS_KEPT; i++) {
    if (cols.kind[i] !== TK.Violation) continue;
    const rule = RULES[cols.a[i] as number];
    if (!rule) continue;
    out.push({ rule: rule.id, level: cols.c[i] === 1 ? 'must' : 'should', side: rule.side, section: rule.section, t: cols.t[i] as number, line: cols.line[i] as number, seq: cols.b[i] as number, message: rule.text });
  }
  return out;
}

/**
 * What the panels show at time `t` (the end by default), derived from the
 * records alone: each line's level, the device's direction and trigger, the
 * held eventq buffer, the sink state and last delivery result from the
 * device's interrupt events, INVALID returns, the device status, and the
 * totals the trace carries (oracle labels of a simulated run, violations,
 * driver warnings). What a trace does not carry (the rings' contents, a real
 * guest's driver-side state, the world's sources) stays zero.
 */
export function recordingView(rec: Recording, t = Infinity): View {
  const n = rec.lines.length;
  const cols = rec.trace;
  const lines: LinesView = {
    level: Uint8Array.from(rec.initialLevels),
    direction: Uint8Array.from(rec.lines, (l) => DIRECTIONS.code[l.direction]),
    deviceType: new Uint8Array(n),
    clientType: new Uint8Array(n),
    hasConsumer: new Uint8Array(n),
    armed: new Uint8Array(n),
    latch: new Uint16Array(n),
    sink: new Uint8Array(n).fill(SinkState.Masked),
    driverFlags: new Uint8Array(n),
    inHandler: new Uint8Array(n),
    lastDelivery: new Uint8Array(n).fill(255),
    delivered: new Uint32Array(n),
    coalesced: new Uint32Array(n),
    spurious: new Uint32Array(n),
    lost: new Uint32Array(n),
    handlerCalls: new Uint32Array(n),
    invalid: new Uint32Array(n),
    source: new Uint8Array(n),
    contended: new Uint8Array(n),
  };
  const totals = { delivered: 0, coalesced: 0, spurious: 0, lost: 0, handlerCalls: 0, invalid: 0, violations: 0, warnings: 0 };
  let status = 0;
  let failure = 0;
  let raised = 0;
  let now = 0;
  let seen = 0;
  const labelCounts = [lines.delivered, lines.coalesced, lines.spurious, lines.lost] as const;
  for (let i = 0; i < cols.t.length; i++) {
    const ti = cols.t[i] as number;
    if (ti > t) break;
    now = ti;
    seen = i + 1;
    const line = cols.line[i] as number;
    const a = cols.a[i] as number;
    const b = cols.b[i] as number;
    const on = line >= 0 && line < n;
    switch (cols.kind[i]) {
      case TK.LineLevel:
        if (on) lines.level[line] = a ? 1 : 0;
        break;
      case TK.DevDirection:
        if (on) lines.direction[line] = b;
        break;
      case TK.DevIrqType:
        if (on) {
          lines.deviceType[line] = b;
          lines.sink[line] = b === IRQ_TYPE_NONE ? SinkState.Masked : SinkState.Normal;
        }
        break;
      case TK.DevIrqEvent:
        if (on) {
          lines.lastDelivery[line] = a;
          lines.sink[line] = b;
        }
        break;
      case TK.EvqArm:
        if (on) lines.armed[line] = 1;
        break;
      case TK.EvqReturn:
        if (on) {
          lines.armed[line] = 0;
          if (a === IRQ_STATUS_INVALID) lines.invalid[line]!++;
        }
        if (a === IRQ_STATUS_INVALID) totals.invalid++;
        break;
      case TK.DevStatus:
        status = b;
        break;
      case TK.DevFailure:
        failure = a;
        break;
      case TK.IrqRaise:
        raised++;
        break;
      case TK.OracleLabel:
        if (a >= OracleLabel.Delivered && a <= OracleLabel.Lost) {
          if (on) labelCounts[a]![line]!++;
          if (a === OracleLabel.Delivered) totals.delivered++;
          else if (a === OracleLabel.Coalesced) totals.coalesced++;
          else if (a === OracleLabel.Spurious) totals.spurious++;
          else totals.lost++;
        }
        break;
      case TK.HandlerStart:
        totals.handlerCalls++;
        break;
      case TK.Violation:
        if (cols.c[i] === 1) totals.violations++;
        break;
      case TK.DrvWarn:
        totals.warnings++;
        break;
    }
  }
  return {
    now: t === Infinity ? rec.endNs : Math.max(now, Math.min(t, rec.endNs)),
    processed: rec.dropped + seen,
    lines,
    queues: [],
    transport: { mode: 'msi', isr: 0, asserted: false, raised, delivered: raised, coalesced: 0, masked: 0 },
    deviceStatus: status,
    deviceFailure: failure,
    totals,
    route: null,
  };
}

/** Counts a person reads off a recording at a glance (the banner's summary). */
export function recordingCounts(rec: Recording): { requests: number; valid: number; invalid: number; must: number; edges: number } {
  const c = rec.trace;
  let requests = 0;
  let valid = 0;
  let invalid = 0;
  let must = 0;
  let edges = 0;
  for (let i = 0; i < c.t.length; i++) {
    switch (c.kind[i]) {
      case TK.MsgRequest:
        requests++;
        break;
      case TK.EvqReturn:
        if (c.a[i] === IRQ_STATUS_INVALID) invalid++;
        else valid++;
        break;
      case TK.Violation:
        if (c.c[i] === 1) must++;
        break;
      case TK.DevIrqEvent:
        if (c.a[i] === DeliveryResult.Delivered) edges++;
        break;
    }
  }
  return { requests, valid, invalid, must, edges };
}
