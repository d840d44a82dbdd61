import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPLORE_LIBRARY } from '../scenario/library/index';
import { decodeLink, encodeLink } from '../scenario/link';
import { explore, type ExploreResult } from './explorer';
import type { Property } from './property';
import { exploreEntry, replayFile } from '../testing/explore';

function search(id: string, extra: Partial<Parameters<typeof explore>[1]> = {}): ExploreResult {
  const { input, prop } = exploreEntry(id);
  const r = explore(input, { property: prop, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Runs a scenario file through the ordinary loader and runner: the hash and whether the property breaks. */
/** The shortest counterexample of each catalogue race: (choice index, value) deviations from the seeded default run. */
const SHORTEST: Record<string, [number, number][]> = {
  // The short press placed 309.5 us after 1 ms: both its edges fall inside the release's 200 us handler.
  'explore-edge-while-away': [[0, 309_509]],
  // Both later presses inside the first 200 us handler.
  'explore-two-edges-while-away': [
    [0, 30_001],
    [1, 60_002],
  ],
  // Second assertion 15.4 us after the first: after the ack, before the buffer is back.
  'explore-level-timer-v8': [[0, 15_363]],
  // Second press 34 us after the first, while the type is NONE.
  'explore-mask-by-none': [[0, 33_975]],
  // The type change at the very start of its window, before the pulse.
  'explore-type-change': [[0, 0]],
  // The source's acknowledgement takes 3.96 us instead of 1.1 us: slower than the re-queue.
  'explore-level-requeue-before-ack': [[16, 3_961]],
};

describe('the explorer on the catalogue races', () => {
  for (const [id, schedule] of Object.entries(SHORTEST)) {
    it(`${id}: finds the shortest counterexample, which replays from its link to the same trace and flag`, async () => {
      const { prop } = exploreEntry(id);
      const r = search(id);
      expect(r.stop).toBe('found');
      expect(r.exhausted).toBe(false);
      const cex = r.counterexample!;
      expect(cex.schedule).toEqual(schedule);
      expect(r.notReproduced).toBe(0);
      // The seeded default run does not break the property: the race needs the explorer.
      expect(replayFile(exploreEntry(id).input, prop).bad).toBe(false);
      // The share link carries scenario + schedule and replays exactly.
      const link = await encodeLink(cex.scenario);
      const back = await decodeLink(link);
      if (!back.ok) throw new Error(back.error);
      expect(replayFile(back.value, prop)).toEqual({ hash: cex.traceHash, bad: true });
      // So does the file with concrete times (windows pinned, every latency listed).
      const concrete = cex.concrete as { timeline: { at: unknown }[]; schedule: unknown[] };
      expect(concrete.timeline.every((t) => typeof t.at !== 'object')).toBe(true);
      expect(replayFile(concrete, prop)).toEqual({ hash: cex.traceHash, bad: true });
    });
  }
});

describe('the explorer on correct setups', () => {
  it('explore-single-edge-spec: exhausts the space and finds no lost interrupt', () => {
    const r = search('explore-single-edge-spec');
    expect(r).toMatchObject({ stop: 'exhausted', exhausted: true, counterexample: null, schedules: 144, states: 312 });
  });

  it('explore-single-edge-spec: no spurious interrupt and no MUST violation either', () => {
    const { input } = exploreEntry('explore-single-edge-spec');
    for (const prop of [{ kind: 'spurious', line: null }, { kind: 'violation' }] as Property[]) {
      const r = explore(input, { property: prop });
      expect(r.ok && r.value.exhausted && r.value.counterexample === null).toBe(true);
    }
  });

  it('explore-level-timer-v1.2: exhausts the space and finds no lost assertion', () => {
    const r = search('explore-level-timer-v1.2');
    expect(r).toMatchObject({ stop: 'exhausted', exhausted: true, counterexample: null, schedules: 2214, states: 3240 });
  });
});

describe('bounds and modes', () => {
  it('stops at max-schedules without claiming exhaustion', () => {
    const r = search('explore-level-timer-v1.2', { maxSchedules: 10 });
    expect(r).toMatchObject({ stop: 'max-schedules', exhausted: false, schedules: 10, counterexample: null });
  });

  it('the queue of schedules to run never outgrows the budget, and a cut search is never called exhausted', () => {
    // 144 schedules exhaust this space; with a budget of 143 the last child is never queued.
    const r = search('explore-single-edge-spec', { maxSchedules: 143 });
    expect(r).toMatchObject({ stop: 'max-schedules', exhausted: false, schedules: 143 });
  });

  it('stops at max-seconds with the clock it is given', () => {
    let t = 0;
    const r = search('explore-level-timer-v1.2', { maxSeconds: 1, now: () => (t += 400) });
    expect(r.stop).toBe('max-seconds');
    expect(r.exhausted).toBe(false);
  });

  it('state pruning: the same space and verdict with fewer runs (no lost press in the two-presses setup)', () => {
    const { input } = exploreEntry('explore-two-edges-while-away');
    const lost: Property = { kind: 'lost', line: null };
    const pruned = explore(input, { property: lost });
    const unpruned = explore(input, { property: lost, maxStates: 1 });
    expect(pruned.ok && pruned.value).toMatchObject({ exhausted: true, schedules: 3019, states: 6816, counterexample: null });
    expect(unpruned.ok && unpruned.value).toMatchObject({ exhausted: true, schedules: 7344, states: 1, counterexample: null });
  });

  it('a depth bound limits deviations and is not called exhausted', () => {
    const r = search('explore-two-edges-while-away', { maxDepth: 1 });
    expect(r).toMatchObject({ stop: 'exhausted', exhausted: false, counterexample: null });
  });

  it('randomized mode finds the mask-by-NONE race and shrinks it to one deviation', () => {
    const r = search('explore-mask-by-none', { random: { seed: 7 }, maxSchedules: 2000 });
    expect(r.mode).toBe('random');
    expect(r.stop).toBe('found');
    expect(r.counterexample!.schedule.length).toBe(1);
    expect(r.counterexample!.schedule[0]![0]).toBe(0);
  });

  it('every counterexample it reports, in either mode, reproduces from its file', () => {
    for (const e of EXPLORE_LIBRARY.filter((x) => x.explore?.finds)) {
      const { prop } = exploreEntry(e.id);
      for (const random of [null, { seed: 3 }]) {
        const r = search(e.id, { random, maxSchedules: 3000 });
        const cex = r.counterexample;
        if (!cex) continue;
        expect(replayFile(cex.scenario, prop), e.id).toEqual({ hash: cex.traceHash, bad: true });
      }
    }
  });

  it('options out of range are an error naming the field, never a huge allocation', () => {
    const { input } = exploreEntry('explore-mask-by-none');
    const lost: Property = { kind: 'lost', line: null };
    expect(explore(input, { property: lost, maxStates: 1e12 })).toEqual({ ok: false, error: 'maxStates: expected a whole number from 1 to 16000000' });
    expect(explore(input, { property: lost, maxSchedules: 0 })).toEqual({ ok: false, error: 'maxSchedules: expected a whole number from 1 to 9007199254740991' });
    expect(explore(input, { property: lost, maxSeconds: -1 })).toEqual({ ok: false, error: 'maxSeconds: expected a positive number' });
    expect(explore(input, { property: lost, random: { seed: -1 } })).toEqual({ ok: false, error: 'random.seed: expected a 32-bit unsigned integer' });
  });

  it('a scenario the loader refuses is an error naming the field, not a throw', () => {
    const r = explore({ version: 1, title: 'x', duration: '1ms', device: { lines: [] } }, { property: { kind: 'violation' } });
    expect(r).toEqual({ ok: false, error: 'device.lines: a device needs at least one line' });
  });
});

describe('schedules replay exactly', () => {
  it('any schedule replays to the same trace hash, run after run (property)', () => {
    const base = exploreEntry('explore-two-edges-while-away').input;
    const pair = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 700_000 }));
    fc.assert(
      fc.property(fc.uniqueArray(pair, { selector: (p) => p[0], maxLength: 6 }), (raw) => {
        const schedule = [...raw].sort((a, b) => a[0] - b[0]);
        const file = { ...base, schedule };
        const a = replayFile(file, { kind: 'violation' });
        const b = replayFile(JSON.parse(JSON.stringify(file)) as unknown, { kind: 'violation' });
        expect(a.hash).toBe(b.hash);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it('an empty schedule is the seeded default run', () => {
    const base = exploreEntry('explore-mask-by-none').input;
    expect(replayFile({ ...base, schedule: [] }, { kind: 'violation' }).hash).toBe(replayFile(base, { kind: 'violation' }).hash);
  });
});
