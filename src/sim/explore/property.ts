import { RULES } from '../check/rules';
import type { Machine } from '../machine';
import type { Result } from '../scenario/load';
import type { Report } from '../scenario/runner';
import type { Scenario } from '../scenario/schema';

/**
 * What the explorer looks for: a run is a counterexample when its property is
 * violated. Oracle labels are per line (or on any line), rules by their id.
 */
export type Property =
  | { kind: 'lost' | 'spurious' | 'coalesced'; line: number | null }
  | { kind: 'violation' }
  | { kind: 'rule'; rule: number; id: string }
  | { kind: 'livelock'; perMs: number }
  | { kind: 'expect' };

/** The names the command line and the docs use for properties. */
export const PROPERTY_NAMES = ['lost', 'spurious', 'coalesced', 'violation', 'rule:<id>', 'livelock:<N>', 'expect'] as const;

/** One simulated millisecond: the livelock property counts INVALID returns per window of this length. */
export const LIVELOCK_WINDOW_NS = 1_000_000;

/**
 * Parses a property as written on the command line (`lost`, `rule:gpio.rq.type-change-via-none`,
 * `livelock:50`), with the line it applies to (name or number; none = any line).
 */
export function parseProperty(text: string, line: string | number | null, s: Scenario): Result<Property> {
  let lineIndex: number | null = null;
  if (line !== null) {
    const byName = s.device.lines.findIndex((l) => l.name === line);
    if (byName >= 0) lineIndex = byName;
    else if (/^\d+$/.test(String(line)) && Number(line) < s.device.lines.length) lineIndex = Number(line);
    else return { ok: false, error: `line: the scenario has no line ${JSON.stringify(String(line))}` };
  }
  if (text === 'lost' || text === 'spurious' || text === 'coalesced') return { ok: true, value: { kind: text, line: lineIndex } };
  if (lineIndex !== null) return { ok: false, error: `line: only the lost, spurious and coalesced properties take a line` };
  if (text === 'violation') return { ok: true, value: { kind: 'violation' } };
  if (text === 'expect') {
    if (!s.expect) return { ok: false, error: 'property: "expect" needs a scenario with an expect section' };
    return { ok: true, value: { kind: 'expect' } };
  }
  if (text.startsWith('rule:')) {
    const id = text.slice(5);
    const rule = RULES.findIndex((r) => r.id === id);
    if (rule < 0) return { ok: false, error: `property: no spec rule has the id ${JSON.stringify(id)} (see docs/model.md for the list)` };
    return { ok: true, value: { kind: 'rule', rule, id } };
  }
  if (text.startsWith('livelock:')) {
    const n = text.slice(9);
    if (!/^\d{1,9}$/.test(n)) return { ok: false, error: 'property: livelock:<N> takes a whole number of INVALID returns per ms' };
    return { ok: true, value: { kind: 'livelock', perMs: Number(n) } };
  }
  return { ok: false, error: `property: expected one of ${PROPERTY_NAMES.join(', ')}` };
}

/** A property in words, for reports: "a lost interrupt on line 0 (button)". */
export function describeProperty(p: Property, s: Scenario): string {
  switch (p.kind) {
    case 'lost':
    case 'spurious':
    case 'coalesced': {
      const where = p.line === null ? 'on any line' : `on line ${p.line}${s.device.lines[p.line]?.name ? ` (${s.device.lines[p.line]?.name})` : ''}`;
      return `a ${p.kind} interrupt ${where}`;
    }
    case 'violation':
      return 'a MUST-level spec violation';
    case 'rule':
      return `a breach of spec rule ${p.id}`;
    case 'livelock':
      return `more than ${p.perMs} INVALID eventq returns within one simulated ms`;
    case 'expect':
      return "a failing expectation of the scenario's expect section";
  }
}

/** Sum of INVALID eventq returns the driver consumed, all lines. */
export function invalidTotal(m: Machine): number {
  let n = 0;
  for (const x of m.pipeline.invalidConsumed) n += x;
  return n;
}

/**
 * Whether a finished run breaks the property, read from the machine (the
 * oracle's labels, the monitors' counts); only `expect` needs the full report,
 * so it is built on demand. `livelockPeak` is the most INVALID returns seen in
 * one window (the runner measures it slice by slice).
 */
export function violates(p: Property, m: Machine, livelockPeak: number, report: () => Report): boolean {
  switch (p.kind) {
    case 'lost':
    case 'spurious':
    case 'coalesced': {
      const lines = m.oracle.lines;
      if (p.line !== null) return (lines[p.line]?.[p.kind] ?? 0) > 0;
      for (const l of lines) if (l[p.kind] > 0) return true;
      return false;
    }
    case 'violation':
      return m.monitors.mustCount > 0;
    case 'rule':
      return (m.monitors.counts[p.rule] ?? 0) > 0;
    case 'livelock':
      return livelockPeak > p.perMs;
    case 'expect':
      return !report().ok;
  }
}
