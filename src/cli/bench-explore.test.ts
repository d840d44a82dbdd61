import { describe, expect, test } from 'vitest';
import { benchExplore } from './bench';

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
});
