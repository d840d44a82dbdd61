import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { CauseTracker } from '../check/causes';
import { ReferenceCauseTracker } from '../check/causes-reference';
import { Machine } from '../machine';
import { LIBRARY } from './library/index';
import { resolveScenario, validateScenario } from './load';

/**
 * The fast cause tracker (typed tables, no per-event copies) decides exactly
 * what the simple one it replaced decided: the reference (check/causes-reference.ts)
 * runs in its place on the same scenario, and every cause (kind, subject,
 * root, chain events and roles, trigger, policy), every count and the trace
 * hash (which covers each TK.Cause event) must come out the same.
 */

interface Outcome {
  hash: string;
  records: unknown;
  counts: [string, number][];
  total: number;
  events: number;
}

function run(raw: Record<string, unknown>, reference: boolean, maxEvents: number): Outcome {
  const s = validateScenario(raw);
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  const m = new Machine(cfg.value);
  let tracker: CauseTracker | ReferenceCauseTracker = m.causes;
  if (reference) {
    // Same device, context and settings; it takes the fast tracker's place before anything runs.
    const ref = new ReferenceCauseTracker(m.core, m.device, m.causes['_set']);
    m.core.tap = ref;
    m.oracle.sink = ref;
    tracker = ref;
  }
  while (m.runUntil(s.value.duration, maxEvents) === 'paused');
  m.finish();
  return {
    hash: m.trace.hash(),
    records: tracker.records,
    counts: [...tracker.counts].sort(([x], [y]) => (x < y ? -1 : 1)),
    total: tracker.total,
    events: m.trace.total,
  };
}

function expectSame(raw: Record<string, unknown>, maxEvents: number): Outcome {
  const fast = run(raw, false, maxEvents);
  const ref = run(raw, true, maxEvents);
  expect(fast.records).toEqual(ref.records);
  expect(fast.counts).toEqual(ref.counts);
  expect(fast.total).toBe(ref.total);
  expect(fast.hash).toBe(ref.hash);
  return fast;
}

const entryOf = (id: string): Record<string, unknown> => structuredClone(LIBRARY.find((e) => e.id === id)!.scenario) as Record<string, unknown>;

describe('the fast cause tracker decides what the reference tracker decides', () => {
  test('on every built-in scenario, random seeds, driver settings and fuzzed schedules', () => {
    let causes = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: LIBRARY.length - 1 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.record({
          flow: fc.constantFrom('level', 'fasteoi', 'edge'),
          requeue: fc.constantFrom('after', 'before'),
          mask: fc.constantFrom('flag', 'none-type'),
          typeChange: fc.constantFrom('direct', 'via-none'),
        }),
        fc.uniqueArray(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 2_000_000 })), { maxLength: 24, selector: (x) => x[0] }),
        (entry, seed, driver, choices) => {
          const raw = structuredClone(LIBRARY[entry]!.scenario) as Record<string, unknown>;
          raw.seed = seed;
          raw.driver = { ...(raw.driver as object), ...driver };
          raw.schedule = [...choices].sort((x, y) => x[0] - y[0]);
          delete raw.expect;
          causes += expectSame(raw, 400_000).total;
        },
      ),
      { numRuns: 120, seed: 20261202 },
    );
    // The runs decided causes to compare (not only quiet boards).
    expect(causes).toBeGreaterThan(200);
  });

  test('over a long busy run that overflows every bounded table (owed items, served edges, event copies)', () => {
    // Eight lines edging every 2 µs into 5 µs handlers under the mask-by-NONE driver: a cause every few events for 40 ms.
    const raw: Record<string, unknown> = {
      version: 1,
      title: 'overflow the tracker tables',
      seed: 7,
      duration: '20ms',
      device: { lines: Array.from({ length: 8 }, (_, i) => ({ name: `l${i}` })) },
      world: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`l${i}`, { kind: 'clock', period: 8_000 + 500 * i, start: 100_000 + i * 700 }])),
      clients: Array.from({ length: 8 }, (_, i) => ({ kind: 'irq-consumer', line: i, trigger: 'edge-both', name: `c${i}`, handlerTime: 12_000 })),
      driver: { mask: 'none-type' },
    };
    const out = expectSame(raw, 5_000_000);
    // Far beyond the 4096 links and 16384 event copies the tracker keeps, with causes all along.
    expect(out.events).toBeGreaterThan(200_000);
    expect(out.total).toBeGreaterThan(4096);
  });

  test('a chain naming events far older than the copies kept of recent ones (the line killed by a bad used length long before)', () => {
    // A fast clock on a second line fills the trace between the bad return at 1 ms and the later lost presses.
    const raw = entryOf('eventq-bad-length');
    delete raw.expect;
    (raw.device as { lines: unknown[] }).lines.push({ name: 'busy' });
    (raw.world as Record<string, unknown>).busy = { kind: 'clock', period: '100ns', start: '1100us' };
    const out = expectSame(raw, 5_000_000);
    expect(out.events).toBeGreaterThan(50_000);
    expect(out.total).toBe(3);
  });

  test('the level and rust-vmm scenarios under their own settings', () => {
    for (const id of ['level-requeue-before-ack', 'invalid-livelock', 'edges-while-none-lazy', 'type-change-without-none', 'mock-storm']) {
      const raw = entryOf(id);
      delete raw.expect;
      expectSame(raw, 2_000_000);
    }
  });
});
