import { describe, expect, it } from 'vitest';
import { EXPLORE_LIBRARY, LIBRARY, libraryEntry } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';

describe('the explorer library', () => {
  it('holds six catalogue races and two correct setups, ids unique across both libraries', () => {
    expect(EXPLORE_LIBRARY.filter((e) => e.explore?.finds === true).length).toBe(6);
    expect(EXPLORE_LIBRARY.filter((e) => e.explore?.finds === false).length).toBe(2);
    const ids = [...LIBRARY, ...EXPLORE_LIBRARY].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(libraryEntry('explore-mask-by-none')).toBe(EXPLORE_LIBRARY.find((e) => e.id === 'explore-mask-by-none'));
  });

  for (const entry of EXPLORE_LIBRARY) {
    it(`${entry.id}: explains itself in plain words, uses ranges or windows, and its default run meets its expectations`, () => {
      const s = validateScenario(entry.scenario);
      if (!s.ok) throw new Error(s.error);
      expect(s.value.description.length).toBeGreaterThan(200);
      const windows = s.value.timeline.filter((t) => t.atMax !== undefined && t.atMax > t.at).length;
      const ranges = Object.values(s.value.device.latency).filter((r) => r.max > r.min).length;
      expect(windows + ranges).toBeGreaterThan(0);
      const r = runScenario(s.value);
      if (!r.ok) throw new Error(r.error);
      expect(r.value.report.expectations.length).toBeGreaterThan(0);
      expect(r.value.report.expectations.filter((e) => !e.ok)).toEqual([]);
    });
  }
});
