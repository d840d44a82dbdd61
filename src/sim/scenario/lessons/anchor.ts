import type { Trace } from '../../trace/trace';
import { KINDS, TK } from '../../trace/kinds';
import { runScenario } from '../runner';
import type { Scenario } from '../schema';
import type { Result } from '../load';
import { lineIndex, type LoadedLesson } from './load';
import type { Anchor } from './schema';

/** Where a step's anchor falls in a run: the time to run to, and the trace event it names (none for a time anchor). */
export interface AnchorPoint {
  /** Simulated ns. */
  t: number;
  seq: number | null;
}

/**
 * The point an anchor names in a recorded run: the n-th event of a kind (on a
 * line), the n-th handler call (hard-irq part) on a line, or a time. Null when
 * the run never reaches it (or the trace ring no longer holds it).
 */
export function findAnchor(trace: Trace, scenario: Scenario, a: Anchor): AnchorPoint | null {
  if (a.on === 'time') return { t: a.at, seq: null };
  const line = a.line === undefined ? null : lineIndex(scenario, a.line);
  if (a.line !== undefined && line === null) return null;
  const kind = a.on === 'event' ? (KINDS.codeOf(a.kind) as number) : TK.HandlerStart;
  const nth = a.on === 'event' ? a.nth : a.n;
  let seen = 0;
  let found: AnchorPoint | null = null;
  trace.forEach((e) => {
    if (found || e.kind !== kind) return;
    if (line !== null && e.line !== line) return;
    if (a.on === 'event' && a.after !== undefined && e.t < a.after) return;
    if (a.on === 'handler-call' && e.c !== 0) return; // the threaded part is not a new call
    if (++seen === nth) found = { t: e.t, seq: e.seq };
  });
  return found;
}

/**
 * Runs the lesson's scenario once and resolves every step's anchor, in step
 * order (a challenge has none: null). An error names the first step whose
 * anchor the run never reaches.
 */
export function resolveAnchors(loaded: LoadedLesson): Result<(AnchorPoint | null)[]> {
  const run = runScenario(loaded.scenario, { traceEnabled: true });
  if (!run.ok) return run;
  const trace = run.value.machine.trace;
  const out: (AnchorPoint | null)[] = [];
  for (const [i, st] of loaded.lesson.steps.entries()) {
    if (st.kind === 'challenge') {
      out.push(null);
      continue;
    }
    const p = findAnchor(trace, loaded.scenario, st.anchor);
    if (!p) return { ok: false, error: `steps.${i}.anchor: the run never reaches it` };
    out.push(p);
  }
  return { ok: true, value: out };
}
