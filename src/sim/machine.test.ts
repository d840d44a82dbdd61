import { describe, expect, test } from 'vitest';
import { machineFor } from './testing/build';

describe('Machine.runUntil', () => {
  /** A board that probes, arms one edge-triggered line, then has nothing more to do. */
  const quiet = (): ReturnType<typeof machineFor> =>
    machineFor({
      device: { lines: [{ name: 'btn' }] },
      world: { btn: { kind: 'toggle' } },
      clients: [{ kind: 'irq-consumer', line: 'btn', trigger: 'edge-rising' }],
    });

  test('an unbounded run stops as idle when nothing is queued, and takes no event twice', () => {
    const m = quiet();
    expect(m.runUntil(Infinity)).toBe('idle');
    const processed = m.processed;
    const hash = m.trace.hash();
    expect(m.runUntil(Infinity, 1000)).toBe('idle');
    expect(m.processed).toBe(processed);
    expect(m.trace.hash()).toBe(hash);
  });

  test('a bounded run with nothing queued moves the clock to its end', () => {
    const m = quiet();
    m.runUntil(Infinity);
    const t = m.now;
    expect(m.runUntil(t + 5_000)).toBe('time');
    expect(m.now).toBe(t + 5_000);
  });

  test('stops at the event limit, and when the predicate turns true', () => {
    const m = quiet();
    expect(m.runUntil(Infinity, 3)).toBe('event-limit');
    expect(m.processed).toBe(3);
    expect(m.runUntil(Infinity, Infinity, () => m.processed === 7)).toBe('predicate');
    expect(m.processed).toBe(7);
  });

  test('never moves the clock past 2^53 - 1 ns, where time stops being exact', () => {
    const m = quiet();
    m.runUntil(Infinity);
    m.runUntil(2 ** 60);
    expect(m.now).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('Machine.apply: live actions a scenario could not replay are refused', () => {
  test('a shell command over 1024 characters, and anything past one simulated hour', () => {
    const m = machineFor({ device: { lines: [{ name: 'btn' }] } });
    expect(m.apply({ do: 'shell', command: 'x'.repeat(1025) })).toEqual({ field: 'command', message: 'shell commands are at most 1024 characters (this one has 1025)' });
    m.runUntil(3_600_000_000_001);
    expect(m.apply({ do: 'drive', line: 0, level: 1 })).toEqual({ field: 'time', message: 'the run is past one simulated hour, the longest a scenario can replay' });
  });
});
