import { describe, expect, test } from 'vitest';
import { benchExplore, benchExploreSustained } from './bench';

describe('bench: explorer figures', () => {
  test('one row per explorer-library entry: outcome, depth and rates (quick: 20 schedules each)', () => {
    const rows = benchExplore(true);
    expect(rows.map((r) => [r.id, r.outcome, r.depth])).toEqual([
      ['explore-edge-while-away', 'found', 1],
      ['explore-two-edges-while-away', 'max-schedules', null],
      ['explore-level-timer-v8', 'found', 1],
      ['explore-mask-by-none', 'found', 1],
      ['explore-type-change', 'found', 1],
      ['explore-level-requeue-before-ack', 'found', 1],
      ['explore-single-edge-spec', 'max-schedules', null],
      ['explore-level-timer-v1.2', 'max-schedules', null],
    ]);
    for (const r of rows) {
      expect(r.schedules).toBeGreaterThan(0);
      expect(r.events).toBeGreaterThan(0);
      expect(r.schedulesPerSec).toBeGreaterThan(0);
    }
  });

  test('the sustained search runs its whole budget on a board it cannot exhaust (quick: 200 schedules), events counted per run', () => {
    const r = benchExploreSustained(true);
    expect(r).not.toBeNull();
    expect(r?.title).toBe('Explore: three level timers');
    expect(r?.schedules).toBe(200);
    expect(r?.events).toBeGreaterThan(200 * 50);
    expect(r?.eventsPerSchedule).toBe(Math.round(((r?.events ?? 0) / 200) * 10) / 10);
  });
});
