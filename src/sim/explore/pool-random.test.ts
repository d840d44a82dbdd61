import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExploreOptions, type ExploreResult } from './explorer';
import { prepareShard } from './pool';
import { PoolRandomSearch, runRandomShard, tryOf, type RandomJob, type RandomRecord } from './pool-random';
import { drainPool, exploreEntry, replayFile } from '../testing/explore';

/** The randomized pool, `workers` of them in one thread, slices of `slice` tries back in an order `order` picks. */
function pooled(input: unknown, opts: ExploreOptions, workers: number, order: number, slice = 3): { result: ExploreResult; ran: number } {
  const ps = PoolRandomSearch.create(input, opts);
  if (!ps.ok) throw new Error(ps.error);
  const shard = prepareShard(input, opts);
  if (!shard.ok) throw new Error(shard.error);
  return drainPool<RandomJob, RandomRecord[]>(ps.value, (job) => structuredClone(runRandomShard(shard.value, job)), workers, order, slice);
}

function verdict(r: ExploreResult): unknown {
  const { elapsedMs: _t, counterexample, ...rest } = r;
  return { ...rest, cex: counterexample && { schedule: counterexample.schedule, hash: counterexample.traceHash } };
}

describe('the pooled randomized search', () => {
  it('finds the mask-by-NONE race, shrunk to one deviation, a counterexample that replays from its file', () => {
    const { input, prop } = exploreEntry('explore-mask-by-none');
    const { result } = pooled(input, { property: prop, random: { seed: 7 }, maxSchedules: 3000 }, 2, 1);
    expect(result).toMatchObject({ mode: 'random', stop: 'found', exhausted: false, states: 0 });
    const cex = result.counterexample!;
    expect(cex.schedule.length).toBe(1);
    expect(cex.schedule[0]![0]).toBe(0); // the second press's time in its window
    expect(replayFile(cex.scenario, prop)).toEqual({ bad: true, hash: cex.traceHash });
  });

  it('the same seed gives the same verdict whatever the number of workers, slice size and finishing order (property)', () => {
    const { input, prop } = exploreEntry('explore-two-edges-while-away');
    const opts: ExploreOptions = { property: prop, random: { seed: 11 }, maxSchedules: 3000 };
    const base = pooled(input, opts, 1, 0, 1).result;
    expect(base.stop).toBe('found');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 30 }), fc.nat(), (workers, slice, order) => {
        expect(verdict(pooled(input, opts, workers, order, slice).result)).toEqual(verdict(base));
      }),
      { numRuns: 6, seed: 3 },
    );
  });

  it('another seed, another sequence of tries (tries are seeded by the search seed and their number)', () => {
    expect(tryOf(1, 0)).not.toBe(tryOf(2, 0));
    expect(tryOf(1, 0)).not.toBe(tryOf(1, 1));
    expect(tryOf(1, 5)).toBe(tryOf(1, 5));
    const seeds = new Set(Array.from({ length: 1000 }, (_, n) => tryOf(42, n)));
    expect(seeds.size).toBe(1000);
  });

  it('a correct setup: stops at the schedule bound, not exhaustive, none found', () => {
    const { input, prop } = exploreEntry('explore-single-edge-spec');
    const { result, ran } = pooled(input, { property: prop, random: { seed: 1 }, maxSchedules: 200 }, 3, 2, 7);
    expect(result).toMatchObject({ mode: 'random', stop: 'max-schedules', exhausted: false, schedules: 200, counterexample: null, notReproduced: 0 });
    expect(ran).toBeGreaterThanOrEqual(200);
  });

  it('never hands out more tries than the budget could still take in', () => {
    const { input, prop } = exploreEntry('explore-single-edge-spec');
    const ps = PoolRandomSearch.create(input, { property: prop, random: { seed: 1 }, maxSchedules: 5 });
    if (!ps.ok) throw new Error(ps.error);
    expect(ps.value.take(3)).toEqual({ from: 0, count: 3, seed: 1 });
    expect(ps.value.take(9)).toEqual({ from: 3, count: 2, seed: 1 });
    expect(ps.value.take(1)).toBeNull();
  });

  it('bad input: an error naming the field, never a throw', () => {
    const { input, prop } = exploreEntry('explore-mask-by-none');
    expect(PoolRandomSearch.create(input, { property: prop })).toEqual({ ok: false, error: 'random: the randomized pool needs a seed' });
    expect(PoolRandomSearch.create(input, { property: prop, random: { seed: 1.5 } })).toEqual({ ok: false, error: 'random.seed: expected a 32-bit unsigned integer' });
    expect(PoolRandomSearch.create({ version: 1 }, { property: prop, random: { seed: 1 } }).ok).toBe(false);
  });
});
