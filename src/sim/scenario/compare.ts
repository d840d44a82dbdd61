import { parseDuration } from '../clock/time';
import { EXPLAINED, type Explained } from '../check/causes';
import { describeEvent } from '../explain/describe';
import { LINE_COUNT_KEYS } from '../observe';
import type { Machine } from '../machine';
import type { TraceEvent } from '../trace/trace';
import type { Result } from './load';
import { runScenario, type Report } from './runner';
import type { Scenario, ScenarioInput } from './schema';
import { Workspace, type SettingsPatch } from './workspace';

/**
 * Two runs side by side: the same scenario under two settings (or two
 * scenarios), their counts, where the counts differ, which causes each shows,
 * and the first event at which their traces part. Used by `vgpio diff`, and
 * by the app's Compare panel (through compare-view.ts).
 */

/** The counts compared, in table order (oracle labels, INVALID returns, handler calls, device results). */
export const COMPARED_COUNTS = [...LINE_COUNT_KEYS] as const;
type CountKey = (typeof COMPARED_COUNTS)[number];

export interface CountDiff {
  key: CountKey;
  a: number;
  b: number;
}

export interface LineDiff {
  line: number;
  name: string;
  counts: CountDiff[];
}

export interface CauseDiff {
  label: Explained;
  /** Cause kinds with their counts on each side (only kinds whose count differs). */
  a: Record<string, number>;
  b: Record<string, number>;
}

/** The first trace event (by seq) that differs; a side is null when its run had already ended. */
export interface Divergence {
  seq: number;
  a: { t: number; text: string } | null;
  b: { t: number; text: string } | null;
}

export interface Comparison {
  a: { label: string; report: Report };
  b: { label: string; report: Report };
  sameTrace: boolean;
  lines: LineDiff[];
  total: CountDiff[];
  causes: CauseDiff[];
  /** Null when the traces are the same event for event. */
  divergence: Divergence | null;
  /** True when an event before the divergence had already left a trace ring (the divergence is then a lower bound). */
  truncated: boolean;
}

/** Trace ring for comparisons: both whole runs up to this many events, so the first difference can be found. */
export const COMPARE_TRACE_CAPACITY = 2_000_000;

const BOOLEAN_FIELDS = new Set(['outNeedsValue', 'getNeedsDirection', 'mockStorm', 'eventIdx']);
const LATENCIES = ['notify', 'request', 'event', 'interrupt'] as const;

/**
 * One dotted setting as the scenario file spells it, e.g. `device.preset=rust-vmm`,
 * `device.policy.edgeLatch=queue:4`, `driver.mask=none-type`, `device.latency.event=2us..9us`,
 * `seed=7`, merged into `patch`. The fields are those of SettingsPatch.
 */
export function applySetting(patch: SettingsPatch, text: string): Result<SettingsPatch> {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return { ok: false, error: `expected a setting such as device.preset=rust-vmm, got ${JSON.stringify(text)}` };
  const key = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  const p: SettingsPatch = { ...patch, policy: { ...patch.policy }, driver: { ...patch.driver }, latency: { ...patch.latency } };
  const path = key.split('.');
  const bad = (why: string): Result<SettingsPatch> => ({ ok: false, error: `${key}: ${why}` });
  if (key === 'seed') {
    if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) return bad('expected a whole number from 0 to 4294967295');
    p.seed = Number(value);
  } else if (key === 'device.spec') p.spec = value as SettingsPatch['spec'];
  else if (key === 'device.preset') p.preset = value as SettingsPatch['preset'];
  else if (key === 'device.transport') p.transport = value as SettingsPatch['transport'];
  else if (path.length === 3 && path[0] === 'device' && path[1] === 'policy') {
    (p.policy as Record<string, string | boolean>)[path[2] as string] = BOOLEAN_FIELDS.has(path[2] as string) ? toBool(value) : value;
  } else if (path.length === 2 && path[0] === 'driver') {
    (p.driver as Record<string, string | boolean>)[path[1] as string] = BOOLEAN_FIELDS.has(path[1] as string) ? toBool(value) : value;
  } else if (path.length === 3 && path[0] === 'device' && path[1] === 'latency' && (LATENCIES as readonly string[]).includes(path[2] as string)) {
    const [lo, hi] = value.split('..');
    const min = parseDuration(lo as string);
    const max = hi === undefined ? min : parseDuration(hi);
    if (min === null || max === null) return bad('expected a duration (2us) or a range (2us..9us)');
    (p.latency as Record<string, [number, number]>)[path[2] as string] = [min, max];
  } else {
    return bad('not a setting that can be changed: seed, device.spec, device.preset, device.transport, device.policy.<field>, device.latency.<notify|request|event|interrupt>, driver.<field>');
  }
  return { ok: true, value: p };
}

function toBool(v: string): string | boolean {
  return v === 'true' ? true : v === 'false' ? false : v;
}

/** The scenario with the settings applied; the reason, naming the field, when the result is not valid. */
export function withSettings(json: unknown, settings: readonly string[]): Result<ScenarioInput> {
  let patch: SettingsPatch = {};
  for (const s of settings) {
    const r = applySetting(patch, s);
    if (!r.ok) return r;
    patch = r.value;
  }
  const ws = Workspace.open(json);
  if (!ws.ok) return ws;
  const w = ws.value.withSettings(patch);
  return w.ok ? { ok: true, value: w.value.base } : w;
}

function countDiffs(a: Record<CountKey, number>, b: Record<CountKey, number>): CountDiff[] {
  return COMPARED_COUNTS.filter((k) => a[k] !== b[k]).map((k) => ({ key: k, a: a[k], b: b[k] }));
}

function sameEvent(x: TraceEvent, y: TraceEvent): boolean {
  return x.t === y.t && x.kind === y.kind && x.line === y.line && x.a === y.a && x.b === y.b && x.c === y.c;
}

/** Runs both scenarios (whole traces kept) and compares them. */
export function compareScenarios(a: { label: string; scenario: Scenario }, b: { label: string; scenario: Scenario }, maxEvents?: number): Result<Comparison> {
  const r = compareRuns(a, b, maxEvents);
  return r.ok ? { ok: true, value: r.value.comparison } : r;
}

/** The comparison and both machines as they ended (their traces too): what the app draws its aligned lanes from. */
export function compareRuns(
  a: { label: string; scenario: Scenario },
  b: { label: string; scenario: Scenario },
  maxEvents?: number,
): Result<{ comparison: Comparison; a: Machine; b: Machine }> {
  const opts = { traceEnabled: true, traceCapacity: COMPARE_TRACE_CAPACITY, ...(maxEvents !== undefined ? { maxEvents } : {}) };
  const ra = runScenario(a.scenario, opts);
  if (!ra.ok) return { ok: false, error: `${a.label}: ${ra.error}` };
  const rb = runScenario(b.scenario, opts);
  if (!rb.ok) return { ok: false, error: `${b.label}: ${rb.error}` };
  const ta = ra.value.machine.trace;
  const tb = rb.value.machine.trace;
  const repA = ra.value.report;
  const repB = rb.value.report;

  let divergence: Divergence | null = null;
  let truncated = false;
  const end = Math.max(ta.total, tb.total);
  for (let seq = Math.max(ta.firstSeq, tb.firstSeq); seq < end; seq++) {
    const x = ta.get(seq);
    const y = tb.get(seq);
    if (x && y && sameEvent(x, y)) continue;
    divergence = { seq, a: x ? { t: x.t, text: describeEvent(x) } : null, b: y ? { t: y.t, text: describeEvent(y) } : null };
    break;
  }
  if (ta.firstSeq > 0 || tb.firstSeq > 0) truncated = true;
  const sameTrace = repA.traceHash === repB.traceHash && ta.total === tb.total;
  if (sameTrace) divergence = null;

  const lines: LineDiff[] = [];
  const n = Math.max(repA.lines.length, repB.lines.length);
  for (let i = 0; i < n; i++) {
    const la = repA.lines[i];
    const lb = repB.lines[i];
    if (!la || !lb) continue; // Different boards: only the totals compare.
    const counts = countDiffs(la, lb);
    if (counts.length > 0) lines.push({ line: i, name: la.name || lb.name, counts });
  }
  const causes: CauseDiff[] = [];
  for (const label of EXPLAINED) {
    const ca = repA.causeCounts[label];
    const cb = repB.causeCounts[label];
    const kinds = [...new Set([...Object.keys(ca), ...Object.keys(cb)])].sort().filter((k) => ca[k] !== cb[k]);
    if (kinds.length === 0) continue;
    const pick = (c: Record<string, number>): Record<string, number> => Object.fromEntries(kinds.filter((k) => c[k]).map((k) => [k, c[k] as number]));
    causes.push({ label, a: pick(ca), b: pick(cb) });
  }
  const comparison: Comparison = { a: { label: a.label, report: repA }, b: { label: b.label, report: repB }, sameTrace, lines, total: countDiffs(repA.total, repB.total), causes, divergence, truncated };
  return { ok: true, value: { comparison, a: ra.value.machine, b: rb.value.machine } };
}
