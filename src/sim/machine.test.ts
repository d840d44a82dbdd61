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
});
