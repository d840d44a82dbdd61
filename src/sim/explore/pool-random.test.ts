import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../clock/prng';
import { libraryEntry } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { type ExploreOptions, type ExploreResult } from './explorer';
import { prepareShard } from './pool';
import { PoolRandomSearch, runRandomShard, tryOf, type RandomJob, type RandomRecord } from './pool-random';
import { parseProperty, violates, type Property } from './property';

function entry(id: string): { input: Record<string, unknown>; prop: Property } {
  const e = libraryEntry(id);
  if (!e?.explore) throw new Error(`no explore entry ${id}`);
  const s = validateScenario(e.scenario);
  if (!s.ok) throw new Error(s.error);
  const p = parseProperty(e.explore.property, e.explore.line ?? null, s.value);
  if (!p.ok) throw new Error(p.error);
  return { input: e.scenario as Record<string, unknown>, prop: p.value };
}

/** A pool of `workers` in one thread: slices of `slice` tries come back in an order the seed picks, cloned as postMessage would. */
function pooled(input: unknown, opts: ExploreOptions, workers: number, order: number, slice = 3): { result: ExploreResult; ran: number } {
  const ps = PoolRandomSearch.create(input, opts);
  if (!ps.ok) throw new Error(ps.error);
  const shard = prepareShard(input, opts);
  if (!shard.ok) throw new Error(shard.error);
  const pool = ps.value;
  const rng = new Prng(order);
  const inflight: { job: RandomJob; recs: RandomRecord[] }[] = [];
  while (!pool.done) {
    while (inflight.length < workers) {
      const job = pool.take(slice);
      if (!job) break;
      inflight.push({ job, recs: structuredClone(runRandomShard(shard.value, job)) });
    }
    if (inflight.length === 0) throw new Error('the pool stalled: nothing in flight and not done');
    const [x] = inflight.splice(rng.nextU32() % inflight.length, 1);
    pool.accept(x!.job, x!.recs);
  }
  return { result: pool.result(), ran: pool.progress().ran };
}

/** A counterexample's file run as the app loads it: its trace hash, and whether it breaks the property. */
function replaySchedule(json: unknown, prop: Property): { bad: boolean; hash: string } {
  const s = validateScenario(json);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  return { bad: violates(prop, r.value.machine, 0, () => r.value.report), hash: r.value.report.traceHash };
}

function verdict(r: ExploreResult): unknown {
  const { elapsedMs: _t, counterexample, ...rest } = r;
  return { ...rest, cex: counterexample && { schedule: counterexample.schedule, hash: counterexample.traceHash } };
}

describe('the pooled randomized search', () => {
  it('finds the mask-by-NONE race, shrunk to one deviation, a counterexample that replays from its file', () => {
    const { input, prop } = entry('explore-mask-by-none');
    const { result } = pooled(input, { property: prop, random: { seed: 7 }, maxSchedules: 3000 }, 2, 1);
    expect(result).toMatchObject({ mode: 'random', stop: 'found', exhausted: false, states: 0 });
    const cex = result.counterexample!;
    expect(cex.schedule.length).toBe(1);
    expect(cex.schedule[0]![0]).toBe(0); // the second press's time in its window
    expect(replaySchedule(cex.scenario, prop)).toEqual({ bad: true, hash: cex.traceHash });
  });

  it('the same seed gives the same verdict whatever the number of workers, slice size and finishing order (property)', () => {
    const { input, prop } = entry('explore-two-edges-while-away');
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
    const { input, prop } = entry('explore-single-edge-spec');
    const { result, ran } = pooled(input, { property: prop, random: { seed: 1 }, maxSchedules: 200 }, 3, 2, 7);
    expect(result).toMatchObject({ mode: 'random', stop: 'max-schedules', exhausted: false, schedules: 200, counterexample: null, notReproduced: 0 });
    expect(ran).toBeGreaterThanOrEqual(200);
  });

  it('never hands out more tries than the budget could still take in', () => {
    const { input, prop } = entry('explore-single-edge-spec');
    const ps = PoolRandomSearch.create(input, { property: prop, random: { seed: 1 }, maxSchedules: 5 });
    if (!ps.ok) throw new Error(ps.error);
    expect(ps.value.take(3)).toEqual({ from: 0, count: 3, seed: 1 });
    expect(ps.value.take(9)).toEqual({ from: 3, count: 2, seed: 1 });
    expect(ps.value.take(1)).toBeNull();
  });

  it('bad input: an error naming the field, never a throw', () => {
    const { input, prop } = entry('explore-mask-by-none');
    expect(PoolRandomSearch.create(input, { property: prop })).toEqual({ ok: false, error: 'random: the randomized pool needs a seed' });
    expect(PoolRandomSearch.create(input, { property: prop, random: { seed: 1.5 } })).toEqual({ ok: false, error: 'random.seed: expected a 32-bit unsigned integer' });
    expect(PoolRandomSearch.create({ version: 1 }, { property: prop, random: { seed: 1 } }).ok).toBe(false);
  });
});
