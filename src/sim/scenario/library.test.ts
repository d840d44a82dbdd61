import { describe, expect, test } from 'vitest';
import { LIBRARY_CATALOG } from './library/catalog';
import { LIBRARY } from './library/index';
import { validateScenario } from './load';
import { runScenario } from './runner';
import type { Scenario } from './schema';


function scenario(raw: unknown): Scenario {
  const s = validateScenario(raw);
  if (!s.ok) throw new Error(s.error);
  return s.value;
}

describe('built-in scenarios', () => {
  test('there are at least 12, with unique ids and titles', () => {
    expect(LIBRARY.length).toBeGreaterThanOrEqual(12);
    expect(new Set(LIBRARY.map((e) => e.id)).size).toBe(LIBRARY.length);
    expect(new Set(LIBRARY.map((e) => scenario(e.scenario).title)).size).toBe(LIBRARY.length);
  });

  for (const entry of LIBRARY) {
    test(`${entry.id}: runs to its end and meets every expectation it states`, () => {
      const s = scenario(entry.scenario);
      expect(s.description.length).toBeGreaterThan(200); // A student can follow it.
      const r = runScenario(s);
      if (!r.ok) throw new Error(r.error);
      const { report } = r.value;
      expect(report.expectations.length).toBeGreaterThan(0);
      expect(report.expectations.filter((e) => !e.ok)).toEqual([]);
      expect(report.stop).toBe('time');
      expect(report.ok).toBe(true);
    });
  }
});

describe('the catalog the page lists', () => {
  test('names every library entry, in order, with the title its file gives', () => {
    expect(LIBRARY_CATALOG.map((e) => e.id)).toEqual(LIBRARY.map((e) => e.id));
    expect(LIBRARY_CATALOG.map((e) => e.title)).toEqual(LIBRARY.map((e) => scenario(e.scenario).title));
  });
});

describe('determinism', () => {
  const withRanges = (seed: number): Scenario => {
    const s = structuredClone(LIBRARY.find((e) => e.id === 'transport-intx')!.scenario) as Record<string, unknown> & { device: Record<string, unknown> };
    s.seed = seed;
    s.device.latency = { notify: ['1us', '4us'], request: ['5us', '20us'], event: ['2us', '9us'], interrupt: ['1us', '6us'] };
    delete s.expect;
    return scenario(s);
  };
  const hash = (s: Scenario): string => {
    const r = runScenario(s);
    if (!r.ok) throw new Error(r.error);
    return r.value.report.traceHash;
  };

  test('the same scenario and seed give the same trace hash, run after run', () => {
    for (const entry of LIBRARY) {
      const s = scenario(entry.scenario);
      expect(hash(s), entry.id).toBe(hash(s));
    }
    expect(hash(withRanges(7))).toBe(hash(withRanges(7)));
  });

  test('a different seed, with latencies drawn from ranges, gives a different trace', () => {
    expect(hash(withRanges(7))).not.toBe(hash(withRanges(8)));
  });

  test('a fixed-latency scenario does not depend on the seed at all', () => {
    const a = scenario({ ...(LIBRARY[0]!.scenario as object), seed: 1 });
    const b = scenario({ ...(LIBRARY[0]!.scenario as object), seed: 99 });
    expect(hash(a)).toBe(hash(b));
  });
});
