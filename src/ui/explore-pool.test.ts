import { describe, expect, it } from 'vitest';
import { explore, firstFlag, libraryEntry, prepareShard, runShard, THREE_LEVEL_TIMERS, type Property, type Shard } from '../sim/index';
import type { ExploreCommand, ExploreMessage } from '../worker/protocol';
import { ExplorePool, poolSize, type PoolOutcome, type PoolWorker } from './explore-pool';

const maskByNone = libraryEntry('explore-mask-by-none')!.scenario;
const singleEdge = libraryEntry('explore-single-edge-spec')!.scenario;
const lost: Property = { kind: 'lost', line: 0 };

/** A worker answering a turn later (as postMessage does), running the core's shard functions; counts what it ran. */
class FakeWorker implements PoolWorker {
  onmessage: ((e: { data: ExploreMessage }) => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  terminated = false;
  ran = 0;
  /** Slices handed to this worker. */
  slices = 0;
  private _shard: Shard | null = null;
  private _prop: Property | null = null;
  postMessage(cmd: ExploreCommand): void {
    if (cmd.type === 'explore-run') this.slices++;
    setTimeout(() => {
      if (this.terminated) return;
      if (cmd.type === 'explore-prepare') {
        const s = prepareShard(cmd.input, cmd.options);
        this._shard = s.ok ? s.value : null;
        this._prop = cmd.options.property;
        return;
      }
      const records = runShard(this._shard!, cmd.job.schedules);
      this.ran += records.length;
      const flags = records.map((r) => (r.counterexample ? ((x) => (x.ok ? x.value : null))(firstFlag(r.counterexample.scenario, this._prop!)) : null));
      this.onmessage?.({ data: structuredClone({ type: 'explore-records', search: cmd.search, from: cmd.job.from, records, flags }) });
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
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(workers.every((w) => w.slices > 0)).toBe(true); // both were handed slices
    expect(p.running).toBe(false);
  });

  it('exhausts explore-single-edge-spec with three workers: 144 schedules, 312 states, as explore() does', async () => {
    const { pool: p } = pool();
    const o = await run(p, singleEdge, { property: lost }, 3);
    expect(o.result).toMatchObject({ stop: 'exhausted', exhausted: true, schedules: 144, states: 312, counterexample: null });
    expect(o.flag).toBeNull();
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
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(p.status()).toBeNull();
    const ran = workers.map((w) => w.ran);
    await new Promise((r) => setTimeout(r, 30));
    expect(workers.map((w) => w.ran)).toEqual(ran); // nothing runs after Cancel
  });

  it('bad input is an error naming the field, and nothing starts', () => {
    const { pool: p, workers } = pool();
    expect(p.start(maskByNone, { property: lost, maxSchedules: 0 }, 2, () => {})).toBe('maxSchedules: expected a whole number from 1 to 9007199254740991');
    expect(workers.length).toBe(0);
    expect(p.running).toBe(false);
  });
});
