import { describe, expect, it } from 'vitest';
import { explore, firstFlag, libraryEntry, prepareShard, runRandomShard, runShard, slotCounterexamples, THREE_LEVEL_TIMERS, unpackSchedules, type Counterexample, type Property, type Shard } from '../sim/index';
import type { ExploreCommand, ExploreMessage, SliceCounterexample } from '../worker/protocol';
import { ExplorePool, poolSize, type PoolOutcome, type PoolWorker } from './explore-pool';

const maskByNone = libraryEntry('explore-mask-by-none')!.scenario;
const singleEdge = libraryEntry('explore-single-edge-spec')!.scenario;
const lost: Property = { kind: 'lost', line: 0 };

/**
 * A worker answering a turn later (as postMessage does), running the core's shard functions as
 * src/worker/explore-host.ts does (the UI may not import it); counts what it ran. `sliceMs`: the
 * time it says each slice took (null: measured).
 */
class FakeWorker implements PoolWorker {
  onmessage: ((e: { data: ExploreMessage }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  terminated = false;
  ran = 0;
  /** Slices handed to this worker, their sizes, and searches prepared. */
  slices = 0;
  sizes: number[] = [];
  prepared = 0;
  sliceMs: number | null = null;
  private _shard: Shard | null = null;
  private _prop: Property | null = null;
  postMessage(cmd: ExploreCommand): void {
    if (cmd.type === 'explore-prepare') this.prepared++;
    else this.slices++;
    setTimeout(() => {
      if (this.terminated) return;
      if (cmd.type === 'explore-prepare') {
        const s = prepareShard(cmd.input, cmd.options);
        this._shard = s.ok ? s.value : null;
        this._prop = cmd.options.property;
        return;
      }
      const t0 = performance.now();
      const flagged = (list: { k: number; counterexample: Counterexample }[]): SliceCounterexample[] =>
        list.map(({ k, counterexample }) => ({ k, counterexample, flag: ((x) => (x.ok ? x.value : null))(firstFlag(counterexample.scenario, this._prop!)) }));
      let msg: ExploreMessage;
      if (cmd.type === 'explore-random') {
        const records = runRandomShard(this._shard!, cmd.job);
        this.ran += records.length;
        this.sizes.push(records.length);
        msg = { type: 'explore-random-records', search: cmd.search, from: cmd.job.from, records, cex: flagged(slotCounterexamples(records)), ms: 0 };
      } else {
        const n = unpackSchedules(cmd.schedules).length;
        const { data, cex } = runShard(this._shard!, cmd.schedules);
        this.ran += n;
        this.sizes.push(n);
        msg = { type: 'explore-records', search: cmd.search, from: cmd.from, data, cex: flagged(cex), ms: 0 };
      }
      msg.ms = this.sliceMs ?? performance.now() - t0;
      this.onmessage?.({ data: structuredClone(msg) });
    }, 0);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function pool(): { pool: ExplorePool; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  return {
    workers,
    pool: new ExplorePool(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    }, () => performance.now()),
  };
}

function run(p: ExplorePool, input: unknown, opts: Parameters<ExplorePool['start']>[1], size: number): Promise<PoolOutcome> {
  return new Promise((resolve, reject) => {
    const err = p.start(input, opts, size, resolve);
    if (err) reject(new Error(err));
  });
}

describe('the Explore panel pool', () => {
  it('one worker per core, at least one, at most eight', () => {
    expect([poolSize(undefined), poolSize(0), poolSize(2), poolSize(64)]).toEqual([1, 1, 2, 8]);
  });

  it('finds the shortest counterexample of explore-mask-by-none with two workers: the one explore() finds, and its flag', async () => {
    const { pool: p, workers } = pool();
    const o = await run(p, maskByNone, { property: lost }, 2);
    const one = explore(maskByNone, { property: lost });
    if (!one.ok) throw new Error(one.error);
    expect(o.cancelled).toBe(false);
    expect(o.error).toBeNull();
    expect(o.result.stop).toBe('found');
    expect(o.result.counterexample!.schedule).toEqual([[0, 33_975]]);
    expect(o.result.counterexample!.traceHash).toBe(one.value.counterexample!.traceHash);
    expect(o.result.schedules).toBe(one.value.schedules);
    expect(o.flag).toMatchObject({ traceHash: one.value.counterexample!.traceHash });
    expect(workers.length).toBe(2);
    expect(workers.every((w) => w.slices > 0)).toBe(true); // both were handed slices
    expect(p.running).toBe(false);
    // The workers stay up, warm, for the next search: it starts none and prepares each once more.
    expect(workers.some((w) => w.terminated)).toBe(false);
    const again = await run(p, maskByNone, { property: lost }, 2);
    expect(again.result.counterexample!.traceHash).toBe(one.value.counterexample!.traceHash);
    expect(again.stats.spawned).toBe(0);
    expect(o.stats.spawned).toBe(2);
    expect(workers.length).toBe(2);
    expect(workers.map((w) => w.prepared)).toEqual([2, 2]);
  });

  it('exhausts explore-single-edge-spec with three workers: 144 schedules, 312 states, as explore() does', async () => {
    const { pool: p } = pool();
    const o = await run(p, singleEdge, { property: lost }, 3);
    expect(o.result).toMatchObject({ stop: 'exhausted', exhausted: true, schedules: 144, states: 312, counterexample: null });
    expect(o.flag).toBeNull();
    // Search after search, each new one takes over the last one's visited table: it starts empty, so the same search counts the same.
    for (let k = 0; k < 2; k++) expect((await run(p, singleEdge, { property: lost }, 2)).result).toMatchObject({ schedules: 144, states: 312 });
    expect((await run(p, maskByNone, { property: lost }, 2)).result.counterexample!.schedule).toEqual([[0, 33_975]]);
  });

  it('Cancel stops at once: workers terminated, told it was cancelled, with the figures so far', async () => {
    const { pool: p, workers } = pool();
    let done: PoolOutcome | null = null;
    // A space no machine exhausts in 50 ms (the single-edge board's 144 schedules now take less).
    expect(p.start(THREE_LEVEL_TIMERS, { property: { kind: 'violation' } }, 2, (o) => (done = o))).toBeNull();
    // Let a few slices come back first.
    await new Promise((r) => setTimeout(r, 50));
    const before = p.status()!;
    expect(before.workers).toBe(2);
    p.cancel();
    expect(done).not.toBeNull();
    const o = done as unknown as PoolOutcome;
    expect(o.cancelled).toBe(true);
    expect(o.result.exhausted).toBe(false);
    expect(o.result.schedules).toBeGreaterThanOrEqual(before.schedules);
    // Every worker had a slice in flight (two each): all terminated at once, two fresh ones started in their place.
    expect(workers.length).toBe(4);
    expect(workers.map((w) => w.terminated)).toEqual([true, true, false, false]);
    expect(p.workers).toBe(2);
    expect(p.status()).toBeNull();
    const ran = workers.map((w) => w.ran);
    const slices = workers.map((w) => w.slices);
    await new Promise((r) => setTimeout(r, 30));
    expect(workers.map((w) => w.ran)).toEqual(ran); // nothing runs after Cancel
    expect(workers.map((w) => w.slices)).toEqual(slices); // and nothing more is handed out
  });

  it('a search that ends while workers still hold slices: their records are dropped, and the next search at once decides as explore() does', async () => {
    const { pool: p, workers } = pool();
    const first = await run(p, maskByNone, { property: lost }, 2);
    expect(first.result.stop).toBe('found');
    // Started in the same turn the first one ended: the older slices are still queued in the workers.
    const second = await run(p, singleEdge, { property: lost }, 2);
    expect(second.result).toMatchObject({ stop: 'exhausted', exhausted: true, schedules: 144, states: 312, counterexample: null });
    expect(workers.length).toBe(2);
    expect(workers.reduce((a, w) => a + w.ran, 0)).toBeGreaterThanOrEqual(first.ran + second.ran);
  });

  it('random mode: the same seed gives the same counterexample with one worker or three, with its flag', async () => {
    const opts = { property: lost, random: { seed: 7 }, maxSchedules: 3000 };
    const one = await run(pool().pool, maskByNone, opts, 1);
    const three = await run(pool().pool, maskByNone, opts, 3);
    expect(one.result).toMatchObject({ mode: 'random', stop: 'found', exhausted: false });
    expect(three.result.counterexample!.schedule).toEqual(one.result.counterexample!.schedule);
    expect(three.result.counterexample!.traceHash).toBe(one.result.counterexample!.traceHash);
    expect(three.result.schedules).toBe(one.result.schedules);
    expect(three.flag).toMatchObject({ traceHash: one.result.counterexample!.traceHash });
    const none = await run(pool().pool, singleEdge, { property: lost, random: { seed: 7 }, maxSchedules: 120 }, 2);
    expect(none.result).toMatchObject({ mode: 'random', stop: 'max-schedules', exhausted: false, schedules: 120, counterexample: null });
  });

  it('slices grow to about 20 ms of work each, as the workers measure it', async () => {
    const { pool: p, workers } = pool();
    p.warm(2);
    for (const w of workers) w.sliceMs = 1; // every slice "takes" 1 ms, whatever its size
    const o = await run(p, singleEdge, { property: lost, random: { seed: 1 }, maxSchedules: 2000 }, 2);
    expect(o.stats.spawned).toBe(0); // warmed beforehand
    const sizes = workers.flatMap((w) => w.sizes);
    expect(sizes.slice(0, 2)).toEqual([4, 4]); // before any time is known
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(80); // 20 ms at 1/4 ms a try, and more as they speed up
    expect(Math.max(...sizes)).toBeLessThanOrEqual(512);
    expect(o.stats.slices).toBe(sizes.length);
    expect(o.stats.busyMs).toEqual(workers.map((w) => w.sizes.length));
  });

  it('bad input is an error naming the field, and nothing starts', () => {
    const { pool: p, workers } = pool();
    expect(p.start(maskByNone, { property: lost, maxSchedules: 0 }, 2, () => {})).toBe('maxSchedules: expected a whole number from 1 to 9007199254740991');
    expect(workers.length).toBe(0);
    expect(p.running).toBe(false);
  });
});
