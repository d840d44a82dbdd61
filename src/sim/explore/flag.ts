import { RULES } from '../check/rules';
import { validateScenario, type Result } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { OracleLabel, TK } from '../trace/kinds';
import type { Property } from './property';

/** Where a counterexample's run first shows the property breaking: the trace event to put the cursor on. */
export interface FlagPoint {
  /** Simulated ns. */
  t: number;
  /** The trace event's sequence number (the same in any run of the same file). */
  seq: number;
  traceHash: string;
}

const LABEL_OF = { lost: OracleLabel.Lost, spurious: OracleLabel.Spurious, coalesced: OracleLabel.Coalesced } as const;

/**
 * Runs a counterexample's scenario file (the share-link form, with its
 * `schedule`) as the app will, and finds the first trace event that flags the
 * property: the oracle's label on the line, the violation of the rule (any
 * MUST rule for `violation`); for `livelock`, which no single event shows,
 * the first oracle label (what the bouncing buffers cost: an interrupt lost
 * while they bounce), else the first violation; for `expect`, the first label
 * or violation of any kind. Null when the run flags nothing (the trace is on,
 * so every flag is traced).
 */
export function firstFlag(json: unknown, p: Property): Result<FlagPoint | null> {
  const s = validateScenario(json);
  if (!s.ok) return s;
  const run = runScenario(s.value, { traceEnabled: true });
  if (!run.ok) return run;
  const trace = run.value.machine.trace;
  let found: FlagPoint | null = null;
  let firstViolation: FlagPoint | null = null;
  const hash = run.value.report.traceHash;
  trace.forEach((e) => {
    if (found) return;
    const label = e.kind === TK.OracleLabel && e.a !== OracleLabel.Delivered;
    const violation = e.kind === TK.Violation;
    let hit: boolean;
    switch (p.kind) {
      case 'lost':
      case 'spurious':
      case 'coalesced':
        hit = label && e.a === LABEL_OF[p.kind] && (p.line === null || e.line === p.line);
        break;
      case 'violation':
        hit = violation && RULES[e.a]?.level === 'must';
        break;
      case 'rule':
        hit = violation && e.a === p.rule;
        break;
      case 'livelock':
        hit = label;
        if (violation && !firstViolation) firstViolation = { t: e.t, seq: e.seq, traceHash: hash };
        break;
      default:
        hit = label || violation;
    }
    if (hit) found = { t: e.t, seq: e.seq, traceHash: hash };
  });
  return { ok: true, value: found ?? firstViolation };
}
