import { describe, expect, it } from 'vitest';
import { EXPLORE_LIBRARY } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { explore } from './explorer';
import { parseProperty } from './property';

/**
 * The search as the fully traced explorer ran it (every explored run with the
 * cause tracker on and a 1024-event trace ring the recorder read back), taken
 * at commit 5700371 before explored runs stopped following causes: stop,
 * schedules, distinct states, simulated events, choice points of the default
 * run, the counterexample's schedule and its trace hash. Schedules are
 * identified by their choices, so the cheaper runs must explore exactly the
 * same schedules, prune the same states and find the same counterexample.
 */
const TRACED: [string, 'bfs' | 'random' | 'expect', string, number, number, number, number, [number, number][] | null, string | null][] = [
  ['explore-edge-while-away', 'bfs', 'found', 6, 117, 170, 26, [[0, 309509]], 'b35d40b34e8421f7'],
  ['explore-edge-while-away', 'random', 'found', 41, 0, 1368, 26, [[0, 416328]], '9568207d87546234'],
  ['explore-two-edges-while-away', 'bfs', 'found', 57, 726, 1629, 24, [[0, 30001], [1, 60002]], '59cd27898a08a5fa'],
  ['explore-two-edges-while-away', 'random', 'found', 2254, 0, 70865, 24, [[0, 177114], [1, 103008]], '50b85da975518546'],
  ['explore-level-timer-v8', 'bfs', 'found', 4, 93, 120, 32, [[0, 15363]], 'ec969f0d38abd359'],
  ['explore-level-timer-v8', 'random', 'found', 175, 0, 6458, 32, [[0, 21043]], '020e9c9141331e3c'],
  ['explore-mask-by-none', 'bfs', 'found', 4, 93, 123, 32, [[0, 33975]], '491abc8a0ee4456d'],
  ['explore-mask-by-none', 'random', 'found', 175, 0, 6498, 32, [[0, 52608]], 'f86d4dd8b1e98a59'],
  ['explore-type-change', 'bfs', 'found', 2, 36, 48, 21, [[0, 0]], '1ab719c490884d73'],
  ['explore-type-change', 'random', 'found', 10, 0, 240, 21, [[1, 1000000]], 'e75f06efa76b4aad'],
  ['explore-level-requeue-before-ack', 'bfs', 'found', 20, 149, 404, 18, [[16, 3961]], 'a235d0a346f2e6eb'],
  ['explore-level-requeue-before-ack', 'random', 'found', 25, 0, 600, 18, [[16, 12865]], 'd0a633cbca8bccb6'],
  ['explore-single-edge-spec', 'bfs', 'exhausted', 144, 312, 2880, 17, null, null],
  ['explore-level-timer-v1.2', 'bfs', 'exhausted', 2214, 3240, 77490, 26, null, null],
  // The `expect` property keeps the cause tracker in explored runs (expect.causes reads it), the recorder's tap before it.
  ['explore-mask-by-none', 'expect', 'found', 4, 93, 123, 32, [[0, 33975]], '491abc8a0ee4456d'],
  ['explore-single-edge-spec', 'expect', 'exhausted', 144, 312, 2880, 17, null, null],
];

describe('explored runs that skip the causes and the trace ring search exactly as the fully traced explorer did', () => {
  for (const [id, mode, stop, schedules, states, events, choicePoints, schedule, traceHash] of TRACED) {
    it(`${id} (${mode}): same schedules, states, events and counterexample`, () => {
      const e = EXPLORE_LIBRARY.find((x) => x.id === id)!;
      const s = validateScenario(e.scenario);
      if (!s.ok) throw new Error(s.error);
      const p = parseProperty(mode === 'expect' ? 'expect' : e.explore!.property, mode === 'expect' ? null : (e.explore!.line ?? null), s.value);
      if (!p.ok) throw new Error(p.error);
      const r = explore(e.scenario, { property: p.value, random: mode === 'random' ? { seed: 3 } : null, maxSchedules: 3000 });
      if (!r.ok) throw new Error(r.error);
      const v = r.value;
      expect([v.stop, v.schedules, v.states, v.events, v.choicePoints]).toEqual([stop, schedules, states, events, choicePoints]);
      expect(v.counterexample?.schedule ?? null).toEqual(schedule);
      // The reported hash is the full replay's (causes traced), the same as before.
      expect(v.counterexample?.traceHash ?? null).toBe(traceHash);
      if (v.counterexample) expect(v.counterexample.report.causesRecorded).toBe(true);
    });
  }
});
