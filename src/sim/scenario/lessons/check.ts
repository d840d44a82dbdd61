import { RULES } from '../../check/rules';
import { DEFAULT_LATENCY } from '../load';
import { runScenario, type ExpectationResult, type Report, type RunOptions } from '../runner';
import type { Scenario } from '../schema';
import type { LoadedLesson } from './load';
import type { ChallengeStep } from './schema';

/**
 * A challenge's check, evaluated by the core on the student's scenario: the
 * run's oracle counts, monitor violations and shell transcript (the scenario
 * format's expectations, which the lesson sets and the student cannot), and
 * how the student's settings differ from the lesson's.
 */

export interface ChallengeResult {
  passed: boolean;
  /** Every condition checked, in order (settings first, then the run). */
  results: ExpectationResult[];
  /** The first failing condition in plain words, or "" when passed. */
  reason: string;
  /** The settings the student changed (paths), in order. */
  changed: string[];
  report: Report | null;
}

/** Parts of a scenario that are not settings: words, and the expectations the lesson replaces. */
const NOT_SETTINGS = new Set(['title', 'description', 'expect']);

/**
 * Every setting (leaf path) where two validated scenarios differ, e.g.
 * `driver.mask`, `device.policy.edgeLatch`, `timeline.2`, `clients.0.handlerTime`.
 * A timeline step or client added or removed counts as one change at its index;
 * a changed step or client counts once per field.
 */
export function settingsDiff(base: Scenario, student: Scenario): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (Object.is(a, b)) return;
    if (isOneSetting(a) || isOneSetting(b)) {
      if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
      return;
    }
    const arrays = Array.isArray(a) && Array.isArray(b);
    const objects = !arrays && typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(a) && !Array.isArray(b);
    if (arrays) {
      const n = Math.max(a.length, b.length);
      for (let i = 0; i < n; i++) {
        if (i >= a.length || i >= b.length) out.push(`${path}.${i}`);
        else walk(a[i], b[i], `${path}.${i}`);
      }
      return;
    }
    if (objects) {
      const ao = a as Record<string, unknown>;
      const bo = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(ao), ...Object.keys(bo)])].sort();
      for (const k of keys) {
        if (path === '' && NOT_SETTINGS.has(k)) continue;
        walk(ao[k], bo[k], path === '' ? k : `${path}.${k}`);
      }
      return;
    }
    out.push(path);
  };
  walk(withDefaults(base), withDefaults(student), '');
  return out;
}

/** Latencies the loader fills in later (DEFAULT_LATENCY), filled in here so writing a default is no change. */
function withDefaults(s: Scenario): Scenario {
  const { notify, request, event, interrupt } = DEFAULT_LATENCY;
  return {
    ...s,
    device: { ...s.device, latency: { notify, request, event, interrupt, ...defined(s.device.latency) } },
    driver: { ...s.driver, threadLatency: s.driver.threadLatency ?? DEFAULT_LATENCY.thread },
  };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as Partial<T>;
}

/**
 * Values the loader turns into small objects but a person writes as one
 * setting: a latency range ("2us" or [min, max] -> {min, max}) and an edge
 * latch ("queue:16" -> {kind, depth}).
 */
function isOneSetting(x: unknown): boolean {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const keys = Object.keys(x).sort().join(',');
  return keys === 'max,min' || keys === 'kind' || keys === 'depth,kind';
}

const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}.`);
const list = (xs: string[]): string => (xs.length === 0 ? 'nothing' : xs.join(', '));

function settingsResults(check: ChallengeStep['check'], changed: string[]): ExpectationResult[] {
  const s = check.settings;
  if (!s) return [];
  const out: ExpectationResult[] = [];
  if (s.changes) {
    const n = changed.length;
    const expected = s.changes.min === s.changes.max ? `${s.changes.min} changed` : `${s.changes.min}..${s.changes.max} changed`;
    out.push({ what: 'settings.changes', expected, actual: `${n} changed (${list(changed)})`, ok: n >= s.changes.min && n <= s.changes.max });
  }
  if (s.only) {
    const outside = changed.filter((p) => !s.only?.some((pre) => under(p, pre)));
    out.push({ what: 'settings.only', expected: `changes only under ${s.only.join(', ')}`, actual: outside.length ? `also changed ${list(outside)}` : 'yes', ok: outside.length === 0 });
  }
  for (const pre of s.keep ?? []) {
    const touched = changed.filter((p) => under(p, pre));
    out.push({ what: `settings.keep.${pre}`, expected: 'unchanged', actual: touched.length ? `changed ${list(touched)}` : 'unchanged', ok: touched.length === 0 });
  }
  return out;
}

/** Words for a failed condition: what was wanted and what the run did. */
export function reasonOf(r: ExpectationResult): string {
  return `${r.what}: expected ${r.expected}, got ${r.actual}`;
}

/**
 * Runs the student's scenario with the lesson's expectations in place of its
 * own and checks the settings rules. Never throws on a student's scenario: one
 * that does not resolve fails with the loader's message.
 */
export function checkChallenge(loaded: LoadedLesson, student: Scenario, opts: RunOptions = {}): ChallengeResult {
  const challenge = loaded.lesson.steps[loaded.lesson.steps.length - 1] as ChallengeStep;
  const changed = settingsDiff(loaded.scenario, student);
  const results = settingsResults(challenge.check, changed);
  const run = runScenario({ ...student, expect: challenge.check.expect }, { traceEnabled: false, ...opts });
  if (!run.ok) {
    results.push({ what: 'scenario', expected: 'a scenario that runs', actual: run.error, ok: false });
    return finish(results, changed, null);
  }
  const report = run.value.report;
  results.push(...report.expectations);
  // The monitors count every breach per rule; the kept list may be truncated.
  const counts = run.value.machine.monitors.counts;
  for (const id of challenge.check.absent ?? []) {
    const n = counts[RULES.findIndex((r) => r.id === id)] ?? 0;
    results.push({ what: `violations.${id}`, expected: 'absent', actual: n === 0 ? 'absent' : `occurs ${n} times`, ok: n === 0 });
  }
  for (const text of challenge.check.shellLacks ?? []) {
    const found = report.shellOutput.includes(text);
    results.push({ what: 'shell', expected: `output lacks ${JSON.stringify(text)}`, actual: found ? 'found' : 'not found', ok: !found });
  }
  return finish(results, changed, report);
}

function finish(results: ExpectationResult[], changed: string[], report: Report | null): ChallengeResult {
  // A run cut short by the event limit explains every count that follows from it: say that first.
  const failed = results.find((r) => !r.ok && r.what === 'run') ?? results.find((r) => !r.ok);
  return { passed: failed === undefined, results, reason: failed ? reasonOf(failed) : '', changed, report };
}
