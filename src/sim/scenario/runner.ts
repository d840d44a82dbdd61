import type { Violation } from '../check/monitors';
import { Machine, type RunStop } from '../machine';
import { TK } from '../trace/kinds';
import { resolveScenario, type Result } from './load';
import type { CountExpectation, Scenario } from './schema';

export interface LineReport {
  line: number;
  name: string;
  delivered: number;
  coalesced: number;
  spurious: number;
  lost: number;
  handlerCalls: number;
  /** eventq buffers the driver got back INVALID. */
  invalid: number;
  /** Device-side interrupt events by delivery result (seed 000). */
  deviceDelivered: number;
  deviceCoalesced: number;
  deviceMasked: number;
}

export type Totals = Omit<LineReport, 'line' | 'name'> & {
  warnings: number;
  /** requestq messages the device received. */
  requests: number;
};

/** What happened to the device's interrupts to the guest (the transport layer). */
export interface TransportReport {
  mode: string;
  raised: number;
  delivered: number;
  coalesced: number;
  masked: number;
}

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
  expectations: ExpectationResult[];
  ok: boolean;
}

export interface RunOptions {
  traceEnabled?: boolean;
  traceCapacity?: number;
  /** Hard stop so no scenario can run forever (a livelock burns events, not wall time). */
  maxEvents?: number;
  /** Attaches a shell to the machine before it starts (the CLI and app pass guest/shell's factory). */
  attachShell?: (m: Machine) => void;
}

export const DEFAULT_MAX_EVENTS = 50_000_000;

/** Builds the machine for a scenario and runs it to the end. */
export function runScenario(s: Scenario, opts: RunOptions = {}): Result<{ report: Report; machine: Machine }> {
  const cfg = resolveScenario(s, opts);
  if (!cfg.ok) return cfg;
  const m = new Machine(cfg.value);
  opts.attachShell?.(m);
  let stop: RunStop;
  do {
    stop = m.runUntil(s.duration, opts.maxEvents ?? DEFAULT_MAX_EVENTS);
  } while (stop === 'paused'); // Pause steps only matter to an interactive runner.
  m.finish();
  return { ok: true, value: { report: buildReport(s, m, stop), machine: m } };
}

export function buildReport(s: Scenario, m: Machine, stop: RunStop): Report {
  const names = s.device.lines.map((l) => l.name);
  const lines: LineReport[] = names.map((name, i) => {
    const o = m.oracle.lines[i]!;
    return {
      line: i,
      name,
      delivered: o.delivered,
      coalesced: o.coalesced,
      spurious: o.spurious,
      lost: o.lost,
      handlerCalls: m.irq.calls[i] as number,
      invalid: m.invalidConsumed[i] as number,
      deviceDelivered: m.device.evDelivered[i] as number,
      deviceCoalesced: m.device.evCoalesced[i] as number,
      deviceMasked: m.device.evMasked[i] as number,
    };
  });
  const total: Totals = {
    delivered: 0,
    coalesced: 0,
    spurious: 0,
    lost: 0,
    handlerCalls: 0,
    invalid: 0,
    deviceDelivered: 0,
    deviceCoalesced: 0,
    deviceMasked: 0,
    warnings: m.trace.count(TK.DrvWarn),
    requests: m.trace.count(TK.MsgRequest),
  };
  const t = m.transport;
  const sum = (a: Uint32Array): number => a.reduce((x, y) => x + y, 0);
  const transport: TransportReport = { mode: t.mode, raised: sum(t.raised), delivered: sum(t.delivered), coalesced: sum(t.coalesced), masked: sum(t.masked) };
  for (const l of lines) {
    total.delivered += l.delivered;
    total.coalesced += l.coalesced;
    total.spurious += l.spurious;
    total.lost += l.lost;
    total.handlerCalls += l.handlerCalls;
    total.invalid += l.invalid;
    total.deviceDelivered += l.deviceDelivered;
    total.deviceCoalesced += l.deviceCoalesced;
    total.deviceMasked += l.deviceMasked;
  }
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
    shellOutput: m.shell?.transcript() ?? '',
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

const COUNT_KEYS = ['delivered', 'coalesced', 'spurious', 'lost', 'handlerCalls', 'invalid', 'deviceDelivered', 'deviceCoalesced', 'deviceMasked'] as const;

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
    for (const k of COUNT_KEYS) count(`total.${k}`, exp.total[k], r.total[k]);
    count('total.warnings', exp.total.warnings, r.total.warnings);
    count('total.requests', exp.total.requests, r.total.requests);
  }
  for (const [ref, counts] of Object.entries(exp.lines ?? {})) {
    const line = r.lines.find((l) => l.name === ref) ?? (/^\d+$/.test(ref) ? r.lines[Number(ref)] : undefined);
    if (!line) {
      out.push({ what: `lines.${ref}`, expected: 'a line of the device', actual: 'no such line', ok: false });
      continue;
    }
    for (const k of COUNT_KEYS) count(`lines.${ref}.${k}`, counts[k], line[k]);
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
  for (const text of exp.shell ?? []) {
    const ok = r.shellOutput.includes(text);
    out.push({ what: 'shell', expected: `output contains ${JSON.stringify(text)}`, actual: ok ? 'found' : 'not found', ok });
  }
  return out;
}
