import type { Violation } from '../check/monitors';
import { EXPLAINED, type Explained } from '../check/causes';
import { readCauses, type ExplainedCause } from '../explain/why';
import { Machine, type RunStop } from '../machine';
import { LINE_COUNT_KEYS, lineCounts, transportView, zeroCounts, type LineCounts, type TransportView } from '../observe';
import { CAUSE, TK } from '../trace/kinds';
import { resolveScenario, type Result } from './load';
import type { CountExpectation, Scenario } from './schema';

export interface LineReport extends LineCounts {
  line: number;
  name: string;
}

export type Totals = Omit<LineReport, 'line' | 'name'> & {
  warnings: number;
  /** requestq messages the device received. */
  requests: number;
};

/** What happened to the device's interrupts to the guest (the transport layer). */
export type TransportReport = Omit<TransportView, 'isr' | 'asserted'>;

export interface ExpectationResult {
  /** What was checked, e.g. `total.lost` or `lines.button.delivered`. */
  what: string;
  expected: string;
  actual: string;
  ok: boolean;
}

export interface Report {
  title: string;
  seed: number;
  spec: string;
  simulatedNs: number;
  events: number;
  traceEvents: number;
  traceHash: string;
  stop: RunStop;
  lines: LineReport[];
  total: Totals;
  transport: TransportReport;
  violations: Violation[];
  /** Exact number of MUST-level violations (the list may be truncated). */
  violationCount: number;
  /** SHOULD-level breaches. */
  advisoryCount: number;
  deviceFailed: boolean;
  /** Owed interrupts too recent to judge when the run ended. */
  pendingAtEnd: number;
  shellOutput: string;
  /** Why each lost / spurious / coalesced label and masked / coalesced device result happened (the most recent 1024). */
  causes: ExplainedCause[];
  /** Exact number of causes per flag and kind (also those beyond the list). */
  causeCounts: Record<Explained, Record<string, number>>;
  /** False when the run had no trace (causes are trace events and need it). */
  causesRecorded: boolean;
  expectations: ExpectationResult[];
  ok: boolean;
}

/** The expectation keys of each explained flag (scenario `expect.causes`). */
const CAUSE_KEYS: Record<Explained, 'lost' | 'spurious' | 'coalesced' | 'deviceMasked' | 'deviceCoalesced'> = {
  lost: 'lost',
  spurious: 'spurious',
  coalesced: 'coalesced',
  'device-masked': 'deviceMasked',
  'device-coalesced': 'deviceCoalesced',
};

function causeCounts(m: Machine): Record<Explained, Record<string, number>> {
  const out = {} as Record<Explained, Record<string, number>>;
  for (const e of EXPLAINED) {
    out[e] = {};
    for (const name of CAUSE.names) {
      const n = m.causes.count(e, CAUSE.codeOf(name) as number);
      if (n > 0) out[e][name] = n;
    }
  }
  return out;
}

export interface RunOptions {
  traceEnabled?: boolean;
  traceCapacity?: number;
  /** Hard stop so no scenario can run forever (a livelock burns events, not wall time). */
  maxEvents?: number;
  /**
   * Called every PROGRESS_EVERY events with the simulated time and the events
   * so far (the CLI shows progress on a terminal; it decides how often by wall
   * time, which the core never reads). Running in slices changes nothing in the run.
   */
  onProgress?: (now: number, events: number) => void;
}

/** Events between two progress calls. */
export const PROGRESS_EVERY = 250_000;

export const DEFAULT_MAX_EVENTS = 50_000_000;

/** Builds the machine for a scenario and runs it to the end. */
export function runScenario(s: Scenario, opts: RunOptions = {}): Result<{ report: Report; machine: Machine }> {
  const cfg = resolveScenario(s, opts);
  if (!cfg.ok) return cfg;
  const m = new Machine(cfg.value);
  let stop: RunStop;
  const progress = opts.onProgress;
  do {
    let left = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    for (;;) {
      const slice = progress ? Math.min(left, PROGRESS_EVERY) : left;
      stop = m.runUntil(s.duration, slice);
      left -= slice;
      if (stop !== 'event-limit' || left <= 0) break;
      progress?.(m.now, m.processed);
    }
  } while (stop === 'paused'); // Pause steps only matter to an interactive runner.
  m.finish();
  return { ok: true, value: { report: buildReport(s, m, stop), machine: m } };
}

export function buildReport(s: Scenario, m: Machine, stop: RunStop): Report {
  const lines: LineReport[] = s.device.lines.map((l, i) => ({ line: i, name: l.name, ...lineCounts(m, i) }));
  const total: Totals = {
    ...zeroCounts(),
    warnings: m.trace.count(TK.DrvWarn),
    requests: m.trace.count(TK.MsgRequest),
  };
  for (const l of lines) for (const k of LINE_COUNT_KEYS) total[k] += l[k];
  const { isr: _isr, asserted: _asserted, ...transport } = transportView(m);
  const mustCount = m.monitors.mustCount;
  let all = 0;
  for (const c of m.monitors.counts) all += c;
  const report: Report = {
    title: s.title,
    seed: s.seed,
    spec: s.device.spec,
    simulatedNs: m.now,
    events: m.processed,
    traceEvents: m.trace.total,
    traceHash: m.trace.hash(),
    stop,
    lines,
    total,
    transport,
    violations: m.monitors.violations,
    violationCount: mustCount,
    advisoryCount: all - mustCount,
    deviceFailed: m.device.failure !== 0,
    pendingAtEnd: m.oracle.pendingAtEnd,
    shellOutput: m.shell.transcript(),
    causes: readCauses(m),
    causeCounts: causeCounts(m),
    causesRecorded: m.cfg.traceEnabled && m.cfg.causes !== false,
    expectations: [],
    ok: true,
  };
  report.expectations = checkExpectations(s, report);
  if (stop === 'event-limit') {
    report.expectations.push({ what: 'run', expected: 'reaches its end', actual: `stopped after ${m.processed} events`, ok: false });
  }
  report.ok = report.expectations.every((e) => e.ok);
  return report;
}


function fmt(e: CountExpectation): string {
  return e.min === e.max ? String(e.min) : `${e.min}..${e.max}`;
}

function checkExpectations(s: Scenario, r: Report): ExpectationResult[] {
  const exp = s.expect;
  if (!exp) return [];
  const out: ExpectationResult[] = [];
  const count = (what: string, e: CountExpectation | undefined, actual: number): void => {
    if (!e) return;
    out.push({ what, expected: fmt(e), actual: String(actual), ok: actual >= e.min && actual <= e.max });
  };
  if (exp.total) {
    for (const k of LINE_COUNT_KEYS) count(`total.${k}`, exp.total[k], r.total[k]);
    count('total.warnings', exp.total.warnings, r.total.warnings);
    count('total.requests', exp.total.requests, r.total.requests);
  }
  for (const [ref, counts] of Object.entries(exp.lines ?? {})) {
    const line = r.lines.find((l) => l.name === ref) ?? (/^\d+$/.test(ref) ? r.lines[Number(ref)] : undefined);
    if (!line) {
      out.push({ what: `lines.${ref}`, expected: 'a line of the device', actual: 'no such line', ok: false });
      continue;
    }
    for (const k of LINE_COUNT_KEYS) count(`lines.${ref}.${k}`, counts[k], line[k]);
  }
  if (exp.transport) {
    count('transport.raised', exp.transport.raised, r.transport.raised);
    count('transport.delivered', exp.transport.delivered, r.transport.delivered);
    count('transport.coalesced', exp.transport.coalesced, r.transport.coalesced);
  }
  if (exp.violations === 'none') {
    const ids = [...new Set(r.violations.filter((x) => x.level === 'must').map((x) => x.rule))];
    out.push({ what: 'violations', expected: 'none', actual: r.violationCount === 0 ? 'none' : ids.join(', '), ok: r.violationCount === 0 });
  } else if (exp.violations) {
    const seen = new Set(r.violations.map((x) => x.rule));
    for (const id of exp.violations) out.push({ what: `violations.${id}`, expected: 'occurs', actual: seen.has(id) ? 'occurs' : 'absent', ok: seen.has(id) });
  }
  if (exp.deviceFailed !== undefined) {
    out.push({ what: 'deviceFailed', expected: String(exp.deviceFailed), actual: String(r.deviceFailed), ok: exp.deviceFailed === r.deviceFailed });
  }
  for (const e of EXPLAINED) {
    const want = exp.causes?.[CAUSE_KEYS[e]];
    if (!want) continue;
    const what = `causes.${CAUSE_KEYS[e]}`;
    const expected = want.length === 0 ? 'none' : [...new Set(want)].sort().join(', ');
    if (!r.causesRecorded) {
      out.push({ what, expected, actual: 'not recorded (the trace is off)', ok: false });
      continue;
    }
    const actual = Object.keys(r.causeCounts[e]).sort().join(', ') || 'none';
    out.push({ what, expected, actual, ok: actual === expected });
  }
  for (const text of exp.shell ?? []) {
    const ok = r.shellOutput.includes(text);
    out.push({ what: 'shell', expected: `output contains ${JSON.stringify(text)}`, actual: ok ? 'found' : 'not found', ok });
  }
  return out;
}
