import { describe, expect, it } from 'vitest';
import { Machine } from './machine';
import { LIBRARY } from './scenario/library/index';
import { resolveScenario, validateScenario } from './scenario/load';
import { TableBuffers } from './typed-block';

/** Runs a machine to its scenario's end (or a cap): its trace hash, event count, per-kind counts and rule counts (what reports read). */
function run(m: Machine, end: number): string {
  let stop;
  do stop = m.runUntil(end, 2_000_000 - m.processed);
  while (stop === 'paused');
  m.finish();
  return `${m.trace.hash()}/${m.processed}/${m.trace.perKind.join(',')}/${m.monitors.counts.join(',')}`;
}

describe('machines that reuse the previous machine’s tables and guest memory (the explorer)', () => {
  it('run every built-in scenario exactly as a machine built from scratch', () => {
    const tables = new TableBuffers();
    let memory: ArrayBuffer | undefined;
    for (const e of LIBRARY) {
      const s = validateScenario(e.scenario);
      if (!s.ok) throw new Error(s.error);
      const cfg = resolveScenario(s.value, { traceCapacity: 64 });
      if (!cfg.ok) throw new Error(cfg.error);
      const fresh = run(new Machine(cfg.value), s.value.duration);
      // Twice in a row on the same buffers: the second machine gets the first one's tables back, dirty.
      for (let k = 0; k < 2; k++) {
        const m = new Machine({ ...cfg.value, tables, ...(memory ? { memory } : {}) });
        memory = m.mem.buffer;
        expect(run(m, s.value.duration), `${e.id}, reused ${k}`).toBe(fresh);
      }
    }
  });
});
