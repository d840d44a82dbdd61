import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { libraryEntry } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { OracleLabel, TK } from '../trace/kinds';
import { explore, type ExploreOptions, type ExploreResult } from './explorer';
import { firstFlag } from './flag';
import { PoolSearch, prepareShard, runShard, unpackSchedules, type ShardJob, type SliceRecords } from './pool';
import { drainPool, exploreEntry } from '../testing/explore';

/** The breadth-first pool, `workers` of them in one thread, slices back in an order `seed` picks. */
function pooled(input: unknown, opts: ExploreOptions, workers: number, seed: number, slice = 3): { result: ExploreResult; ran: number } {
  const ps = PoolSearch.create(input, opts);
  if (!ps.ok) throw new Error(ps.error);
  const shard = prepareShard(input, opts);
  if (!shard.ok) throw new Error(shard.error);
  // As the page and its workers do: the records move (not copied), and merged buffers go back with later slices.
  const run = (job: ShardJob): SliceRecords => {
    const r = runShard(shard.value, job.schedules, ps.value.takeSpare() ?? undefined);
    return structuredClone(r, { transfer: [r.data.buffer] });
  };
  return drainPool<ShardJob, SliceRecords>(ps.value, run, workers, seed, slice);
}

/** The parts of a result that say what the search decided (the wall time aside). */
function verdict(r: ExploreResult): unknown {
  const { elapsedMs: _t, counterexample, ...rest } = r;
  return { ...rest, cex: counterexample && { schedule: counterexample.schedule, hash: counterexample.traceHash, choices: counterexample.choices } };
}

describe('the pooled search decides exactly as explore()', () => {
  for (const id of ['explore-mask-by-none', 'explore-two-edges-while-away', 'explore-level-requeue-before-ack', 'explore-single-edge-spec']) {
    it(`${id}: the same counterexample (a shortest one) or the same exhausted space, with 2 workers`, () => {
      const { input, prop } = exploreEntry(id);
      const one = explore(input, { property: prop });
      if (!one.ok) throw new Error(one.error);
      const two = pooled(input, { property: prop }, 2, 1);
      expect(verdict(two.result)).toEqual(verdict(one.value));
      expect(two.ran).toBeGreaterThanOrEqual(two.result.schedules);
    });
  }

  it('whatever the number of workers, slice size and finishing order (property)', () => {
    const { input } = exploreEntry('explore-two-edges-while-away');
    // Lost presses never happen in this setup: the whole space is searched (3019 schedules); cut it at 400.
    const opts: ExploreOptions = { property: { kind: 'lost', line: null }, maxSchedules: 400 };
    const one = explore(input, opts);
    if (!one.ok) throw new Error(one.error);
    expect(one.value).toMatchObject({ stop: 'max-schedules', schedules: 400 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), fc.nat(), (workers, slice, seed) => {
        expect(verdict(pooled(input, opts, workers, seed, slice).result)).toEqual(verdict(one.value));
      }),
      { numRuns: 8, seed: 5 },
    );
  });

  it('a depth bound: the same cut search, not called exhausted', () => {
    const { input, prop } = exploreEntry('explore-two-edges-while-away');
    const opts: ExploreOptions = { property: prop, maxDepth: 1 };
    const one = explore(input, opts);
    if (!one.ok) throw new Error(one.error);
    const r = pooled(input, opts, 3, 9).result;
    expect(verdict(r)).toEqual(verdict(one.value));
    expect(r).toMatchObject({ stop: 'exhausted', exhausted: false });
  });

  it('stops at max-seconds with the clock it is given, not exhausted', () => {
    const { input } = exploreEntry('explore-level-timer-v1.2');
    let t = 0;
    const r = pooled(input, { property: { kind: 'lost', line: null }, maxSeconds: 1, now: () => (t += 100) }, 2, 3).result;
    expect(r).toMatchObject({ stop: 'max-seconds', exhausted: false, counterexample: null });
    expect(r.schedules).toBeLessThan(2214);
  });

  it('the first slice is the default run alone; slices never overlap and never pass the budget', () => {
    const { input, prop } = exploreEntry('explore-single-edge-spec');
    const ps = PoolSearch.create(input, { property: prop, maxSchedules: 5 });
    const shard = prepareShard(input, { property: prop });
    if (!ps.ok || !shard.ok) throw new Error('setup');
    const pool = ps.value;
    const first = pool.take(64)!;
    expect([first.from, first.count, unpackSchedules(first.schedules)]).toEqual([0, 1, [[]]]);
    expect(pool.take(64)).toBeNull(); // nothing else is known until the default run is merged
    const records = runShard(shard.value, first.schedules);
    pool.accept(first, records);
    // Merged, its records buffer is free for a worker to write a later slice into; once.
    expect(pool.takeSpare()!.buffer).toBe(records.data.buffer);
    expect(pool.takeSpare()).toBeNull();
    // The default run has more children than the budget of 5 can take in: the frontier holds 4, all ready.
    expect(pool.progress().queued).toBe(4);
    expect(pool.available).toBe(4);
    const a = pool.take(2)!;
    const b = pool.take(64)!;
    expect([a.from, a.count, b.from, b.count]).toEqual([1, 2, 3, 2]);
    // Each slice is the frontier's schedules in order: the default run's one-deviation children.
    expect([...unpackSchedules(a.schedules), ...unpackSchedules(b.schedules)].map((s) => s.length)).toEqual([1, 1, 1, 1]);
    expect(pool.take(64)).toBeNull();
  });
});

describe('pool inputs', () => {
  it('bad options and scenarios are errors naming the field, never a throw', () => {
    const { input, prop } = exploreEntry('explore-mask-by-none');
    expect(PoolSearch.create(input, { property: prop, maxSchedules: 0 })).toEqual({ ok: false, error: 'maxSchedules: expected a whole number from 1 to 9007199254740991' });
    expect(prepareShard(input, { property: prop, valuesPerChoice: 1 })).toEqual({ ok: false, error: 'valuesPerChoice: expected a whole number from 2 to 1000000' });
    expect(PoolSearch.create(input, { property: prop, random: { seed: 1 } })).toEqual({ ok: false, error: 'random: the pool runs the breadth-first search only' });
    const bad = { version: 1, title: 'x', duration: '1ms', device: { lines: [] } };
    expect(PoolSearch.create(bad, { property: prop })).toEqual({ ok: false, error: 'device.lines: a device needs at least one line' });
    expect(prepareShard(bad, { property: prop })).toEqual({ ok: false, error: 'device.lines: a device needs at least one line' });
  });
});

describe('the first flag of a counterexample', () => {
  it('explore-mask-by-none: the lost label on the button, in the run the link replays', () => {
    const { input, prop } = exploreEntry('explore-mask-by-none');
    const r = explore(input, { property: prop });
    if (!r.ok || !r.value.counterexample) throw new Error('no counterexample');
    const cex = r.value.counterexample;
    const f = firstFlag(cex.scenario, prop);
    if (!f.ok || !f.value) throw new Error('no flag');
    expect(f.value.traceHash).toBe(cex.traceHash);
    // The press lands 33,975 ns after the first, while the type is NONE; the label comes once the oracle gives up on it.
    expect(f.value.t).toBeGreaterThan(1_000_000);
    expect(firstFlag(input, prop)).toEqual({ ok: true, value: null }); // the default run flags nothing
  });

  it('livelock (invalid-livelock): the lost label of the sensor, not the earlier driver violation', () => {
    const e = libraryEntry('invalid-livelock')!;
    const f = firstFlag(e.scenario, { kind: 'livelock', perMs: 50 });
    if (!f.ok || !f.value) throw new Error('no flag');
    const s = validateScenario(e.scenario);
    if (!s.ok) throw new Error(s.error);
    const run = runScenario(s.value, { traceEnabled: true });
    if (!run.ok) throw new Error(run.error);
    const kinds: number[] = [];
    run.value.machine.trace.forEach((x) => {
      if (x.seq === f.value!.seq) kinds.push(x.kind, x.a);
    });
    expect(kinds).toEqual([TK.OracleLabel, OracleLabel.Lost]);
    // A violation comes first in this run (the driver enables before it unmasks); the livelock's flag is the label.
    let firstViolation = Infinity;
    run.value.machine.trace.forEach((x) => {
      if (x.kind === TK.Violation) firstViolation = Math.min(firstViolation, x.seq);
    });
    expect(firstViolation).toBeLessThan(f.value.seq);
  });
});
