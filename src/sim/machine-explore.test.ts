import { describe, expect, test } from 'vitest';
import { Machine, type MachineConfig } from './machine';
import { libraryEntry } from './scenario/library/index';
import { resolveScenario, validateScenario } from './scenario/load';
import { buildReport } from './scenario/runner';
import type { Scenario } from './scenario/schema';
import { TK } from './trace/kinds';
import { EVERY_KIND } from './sim-context';

/** What the explorer asks of a machine: no causes, a tap from the first event, guest RAM reused. */

/** A catalogue race whose run loses an edge, so causes are traced. */
function setup(): { s: Scenario; cfg: MachineConfig } {
  const s = validateScenario(libraryEntry('mask-by-none-loses-edge')!.scenario);
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value, { traceCapacity: 4096 });
  if (!cfg.ok) throw new Error(cfg.error);
  return { s: s.value, cfg: cfg.value };
}

function run(s: Scenario, cfg: MachineConfig): Machine {
  const m = new Machine(cfg);
  m.runUntil(s.duration);
  m.finish();
  return m;
}

describe('Machine options for the explorer', () => {
  test('a run that does not follow causes runs the very same events, and only the cause events are missing from its trace', () => {
    const { s, cfg } = setup();
    const full = run(s, cfg);
    const lean = run(s, { ...cfg, causes: false });
    const causes = full.trace.count(TK.Cause);
    expect(causes).toBeGreaterThan(0);
    expect(lean.trace.count(TK.Cause)).toBe(0);
    expect(lean.processed).toBe(full.processed);
    expect(lean.trace.total).toBe(full.trace.total - causes);
    expect(lean.oracle.lines).toEqual(full.oracle.lines);
    expect(lean.monitors.counts).toEqual(full.monitors.counts);
    expect(lean.causes.records).toEqual([]);
    // The report says the causes were not followed, rather than claiming there were none.
    expect(buildReport(s, lean, 'time').causesRecorded).toBe(false);
    expect(buildReport(s, full, 'time').causesRecorded).toBe(true);
  });

  test('a tap sees every traced event from the constructor on, in trace order, each before the causes tracker traces a cause after it', () => {
    const { s, cfg } = setup();
    const seen: number[] = [];
    const m = run(s, { ...cfg, tap: { kinds: EVERY_KIND, traced: (seq) => void seen.push(seq) } });
    expect(m.trace.firstSeq).toBe(0);
    expect(m.trace.count(TK.Cause)).toBeGreaterThan(0);
    expect(seen).toEqual(Array.from({ length: m.trace.total }, (_, i) => i));
    expect(m.causes.records.length).toBe(m.trace.count(TK.Cause));
    // The tap does not change the run.
    expect(m.trace.hash()).toBe(run(s, cfg).trace.hash());
  });

  test('reused guest RAM is zeroed first and gives the same run; a buffer of another size is not taken', () => {
    const { s, cfg } = setup();
    const first = run(s, cfg);
    const used = first.mem.buffer;
    expect(new Uint8Array(used).some((b) => b !== 0)).toBe(true);
    const again = run(s, { ...cfg, memory: used });
    expect(again.mem.buffer).toBe(used);
    expect(again.trace.hash()).toBe(first.trace.hash());
    const other = new ArrayBuffer(used.byteLength + 8);
    const fresh = run(s, { ...cfg, memory: other });
    expect(fresh.mem.buffer).not.toBe(other);
    expect(fresh.mem.size).toBe(used.byteLength);
    expect(fresh.trace.hash()).toBe(first.trace.hash());
  });
});
