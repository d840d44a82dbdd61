import { Prng } from '../clock/prng';
import type { Result } from '../scenario/load';
import { checkExploreOptions, EXPLORE_DEFAULTS, newResult, randomTry, setupSearch, type Counterexample, type ExploreOptions, type ExploreResult, type RandomCounts } from './explorer';
import type { PoolProgress, Shard } from './pool';

/**
 * The randomized search split over a pool of workers. The sequential
 * randomized mode (explore() with `random`) draws every try from one PRNG
 * stream, so try n depends on all tries before it and cannot be handed to
 * another worker. Here try n has a PRNG of its own, seeded from the search's
 * seed and n alone (tryOf), so any worker can run any try and get the same
 * run. Workers run contiguous ranges of tries; the coordinator takes the
 * outcomes in try order, whatever order the workers finish in, and the first
 * try (lowest n) that yields a confirmed counterexample wins. The verdict
 * therefore depends on the seed and the bounds only: not on the number of
 * workers, the slice sizes or the timing (the wall-clock bound aside). It is
 * a different sequence of runs from the CLI's `--random --seed N`: the same
 * seed finds its counterexample in the CLI and in the app by different runs.
 */

/** What one try showed (structured-clone friendly). */
export interface RandomRecord extends RandomCounts {
  counterexample: Counterexample | null;
}

/** A range of tries handed to a worker: tries `from` .. `from + count - 1` of the search `seed`. */
export interface RandomJob {
  from: number;
  count: number;
  seed: number;
}

/** The seed of try `n` of the search `seed`: both mixed through a 32-bit finalizer (murmur3's), so nearby tries share nothing. */
export function tryOf(seed: number, n: number): number {
  let h = (seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h ^ Math.floor(n / 0x1_0000_0000), 0x27d4eb2f) ^ seed;
  return h >>> 0;
}

/** Runs tries `job.from` .. on a prepared shard (pool.ts prepareShard): each from its own seed, the very try explore()'s random mode makes. */
export function runRandomShard(shard: Shard, job: RandomJob): RandomRecord[] {
  const out: RandomRecord[] = [];
  for (let n = job.from; n < job.from + job.count; n++) {
    const counts: RandomCounts = { schedules: 0, events: 0, choicePoints: 0, notReproduced: 0 };
    const counterexample = randomTry(shard.st, new Prng(tryOf(job.seed, n)), counts);
    out.push({ ...counts, counterexample });
  }
  return out;
}

/**
 * The coordinator of a pooled randomized search: hands out ranges of tries
 * (take), merges their records in try order (accept), and stops at the first
 * counterexample or a bound. Pure and synchronous, like PoolSearch.
 */
export class PoolRandomSearch {
  /** Tries handed out so far (the next range starts here). */
  private _sent = 0;
  /** Tries merged so far. */
  private _merged = 0;
  private readonly _records = new Map<number, RandomRecord>();
  private readonly _seed: number;
  private readonly _maxSchedules: number;
  private readonly _deadline: number;
  private readonly _now: (() => number) | undefined;
  private readonly _t0: number;
  private _ran = 0;
  private readonly _r: ExploreResult;
  done = false;

  private constructor(r: ExploreResult, opts: ExploreOptions, seed: number) {
    this._r = r;
    this._seed = seed;
    this._maxSchedules = opts.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules;
    this._now = opts.now;
    this._t0 = this._now ? this._now() : 0;
    this._deadline = this._now && opts.maxSeconds !== undefined ? this._t0 + opts.maxSeconds * 1000 : Infinity;
  }

  /** A pooled randomized search of `input` (opts.random names the seed); the same checks and errors as explore(). */
  static create(input: unknown, opts: ExploreOptions): Result<PoolRandomSearch> {
    if (!opts.random) return { ok: false, error: 'random: the randomized pool needs a seed' };
    const bad = checkExploreOptions(opts);
    if (bad) return { ok: false, error: bad };
    const st = setupSearch(input, opts.property, opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun);
    if (!st.ok) return st;
    return { ok: true, value: new PoolRandomSearch(newResult(st.value, opts, 'random', 0), opts, opts.random.seed) };
  }

  /** Tries that may be handed out now: never more than the schedule budget could still take in (each try runs at least one schedule). */
  get available(): number {
    if (this.done) return 0;
    return Math.max(0, this._merged + (this._maxSchedules - this._r.schedules) - this._sent);
  }

  /** The next range of at most `max` tries for a free worker, or null. */
  take(max: number): RandomJob | null {
    const n = Math.min(Math.max(1, max), this.available);
    if (n <= 0) return null;
    const job = { from: this._sent, count: n, seed: this._seed };
    this._sent += n;
    return job;
  }

  /** A worker's records for a range of tries; merges every record now in order. */
  accept(job: { from: number }, records: readonly RandomRecord[]): void {
    this._ran += records.reduce((a, x) => a + x.schedules, 0);
    if (this.done) return;
    records.forEach((rec, k) => this._records.set(job.from + k, rec));
    this._merge();
  }

  tick(): void {
    if (!this.done && this._now && this._now() > this._deadline) this._finish('max-seconds');
  }

  progress(): PoolProgress {
    return { schedules: this._r.schedules, ran: this._ran, states: 0, events: this._r.events, depth: 0, queued: 0 };
  }

  result(): ExploreResult {
    const r = { ...this._r };
    if (this._now) r.elapsedMs = this._now() - this._t0;
    return r;
  }

  private _finish(stop: ExploreResult['stop'], cex: Counterexample | null = null): void {
    this.done = true;
    this._r.stop = stop;
    this._r.counterexample = cex;
    if (this._now) this._r.elapsedMs = this._now() - this._t0;
    this._records.clear();
  }

  /** randomSearch() of explorer.ts, one try at a time, for as long as the next try's record is here. */
  private _merge(): void {
    const r = this._r;
    while (!this.done) {
      if (r.schedules >= this._maxSchedules) return this._finish('max-schedules');
      if (this._now && this._now() > this._deadline) return this._finish('max-seconds');
      const rec = this._records.get(this._merged);
      if (rec === undefined) return;
      this._records.delete(this._merged);
      if (this._merged === 0) r.choicePoints = rec.choicePoints;
      this._merged++;
      r.schedules += rec.schedules;
      r.events += rec.events;
      r.notReproduced += rec.notReproduced;
      if (rec.counterexample) return this._finish('found', rec.counterexample);
    }
  }
}
