import type { Result } from '../scenario/load';
import { checkExploreOptions, confirmCounterexample, EXPLORE_DEFAULTS, newResult, runSchedule, setupSearch, type Counterexample, type ExploreOptions, type ExploreResult, type SearchSetup } from './explorer';
import { Recorder, type Schedule } from './recorder';
import { FingerprintSet } from './visited';

/**
 * The explorer split over a pool of workers, deciding exactly as `explore()`
 * does. A coordinator (PoolSearch) keeps the one breadth-first frontier and the
 * one visited set; workers (runShard) run the schedules it hands out in
 * contiguous slices, and send back, per schedule, what the sequential search
 * would have learnt from running it: the fingerprints met at each choice point
 * after its last deviation, the candidate values of each of those choices,
 * whether the property broke (and, if so, the confirmed counterexample).
 *
 * The coordinator takes those records in frontier order, whatever order the
 * workers finish in, and applies them as bfs() would: fingerprints into the
 * visited set (the first one already there cuts the subtree), children onto
 * the frontier, the first bad run ends the search. Workers only run ahead of
 * that merge, never decide. So the first counterexample reported is the one
 * `explore()` reports (a shortest one, the same schedule, the same counts),
 * and an exhausted search has run or pruned the same schedules.
 */

/** What a worker learnt from running one schedule (structured-clone friendly). */
export interface ShardRecord {
  /** Simulated events the run processed. */
  events: number;
  /** Choice points the run met. */
  choicePoints: number;
  /** Fingerprints, three numbers each (choice index, two hash lanes), in the order the run met them (after the schedule's last deviation). */
  prints: number[];
  /** Candidate values of the choices from last+1 on, in index order (empty when a depth bound stops the children). */
  children: number[][];
  /** The property broke in this run. */
  bad: boolean;
  /** When bad: the counterexample, confirmed by a replay from its file; null when the replay did not reproduce it. */
  counterexample: Counterexample | null;
}

/** The part of the options a worker needs (plain data: it crosses postMessage). */
export type ShardOptions = Pick<ExploreOptions, 'property' | 'valuesPerChoice' | 'maxDepth' | 'maxEventsPerRun'>;

/** A worker's prepared search: the scenario validated and resolved once. */
export interface Shard {
  st: SearchSetup;
  cap: number;
  maxDepth: number;
}

/** Validates and resolves the scenario once per worker; a clear error naming the field on bad input, never a throw. */
export function prepareShard(input: unknown, opts: ShardOptions): Result<Shard> {
  const bad = checkExploreOptions({ property: opts.property, ...pickDefined(opts) });
  if (bad) return { ok: false, error: bad };
  const st = setupSearch(input, opts.property, opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun);
  if (!st.ok) return st;
  return { ok: true, value: { st: st.value, cap: Math.max(2, opts.valuesPerChoice ?? EXPLORE_DEFAULTS.valuesPerChoice), maxDepth: opts.maxDepth ?? Infinity } };
}

function pickDefined(o: ShardOptions): Partial<ExploreOptions> {
  const out: Partial<ExploreOptions> = {};
  if (o.valuesPerChoice !== undefined) out.valuesPerChoice = o.valuesPerChoice;
  if (o.maxDepth !== undefined) out.maxDepth = o.maxDepth;
  if (o.maxEventsPerRun !== undefined) out.maxEventsPerRun = o.maxEventsPerRun;
  return out;
}

/** A visited "set" that only writes down the fingerprints a run meets: the coordinator owns the real set. */
class PrintLog extends FingerprintSet {
  readonly prints: number[] = [];
  rec: Recorder | null = null;
  constructor() {
    super(1);
  }
  override add(h1: number, h2: number): boolean {
    // The recorder counts the choice before it asks (choices drawn while the machine is built have no print).
    this.prints.push((this.rec as Recorder).index - 1, h1, h2);
    return true;
  }
}

/** Runs schedules (a worker's slice of the frontier) and records what the coordinator needs of each. */
export function runShard(shard: Shard, schedules: readonly Schedule[]): ShardRecord[] {
  const { st, cap, maxDepth } = shard;
  return schedules.map((sched) => {
    const log = new PrintLog();
    const rec = new Recorder(sched as Schedule, log, null);
    log.rec = rec;
    const o = runSchedule(st, st.cfg, rec, rec);
    const children: number[][] = [];
    if (sched.length < maxDepth) for (let j = rec.last + 1; j < rec.index; j++) children.push(rec.candidates(j, cap));
    const counterexample = o.bad ? confirmCounterexample(st, sched as Schedule, rec, o) : null;
    return { events: o.m.processed, choicePoints: rec.index, prints: log.prints, children, bad: o.bad, counterexample };
  });
}

/** A slice of the frontier handed to one worker: schedules `from`, `from + 1`, … in frontier order. */
export interface ShardJob {
  from: number;
  schedules: Schedule[];
}

export interface PoolProgress {
  /** Schedules taken into the search (the count `explore()` would report by now). */
  schedules: number;
  /** Schedules the workers ran, including those past the merge point. */
  ran: number;
  states: number;
  events: number;
  /** Deviations from the default of the schedule the merge is at (the breadth-first level). */
  depth: number;
  /** Schedules waiting in the frontier. */
  queued: number;
}

/**
 * The coordinator of a pooled breadth-first search. Pure and synchronous: the
 * host calls take() when a worker is free, accept() when a slice comes back,
 * and reads `done` / result(). Every decision happens in accept()'s in-order
 * merge, mirroring explorer.ts's bfs() step for step.
 */
export class PoolSearch {
  private readonly _frontier: Schedule[] = [[]];
  private _head = 0;
  /** Frontier entries handed out so far (the next slice starts here). */
  private _sent = 0;
  private readonly _records = new Map<number, ShardRecord>();
  private readonly _visited: FingerprintSet;
  private readonly _maxSchedules: number;
  private readonly _maxDepth: number;
  private readonly _deadline: number;
  private readonly _now: (() => number) | undefined;
  private readonly _t0: number;
  private _depthCut = false;
  private _dropped = false;
  private _ran = 0;
  private readonly _r: ExploreResult;
  done = false;

  /** `title` and `property` in words come from the worker-independent setup (validated here too). */
  private constructor(st: SearchSetup, opts: ExploreOptions) {
    this._maxSchedules = opts.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules;
    const maxStates = opts.maxStates ?? EXPLORE_DEFAULTS.maxStates;
    this._maxDepth = opts.maxDepth ?? Infinity;
    this._now = opts.now;
    this._t0 = this._now ? this._now() : 0;
    this._deadline = this._now && opts.maxSeconds !== undefined ? this._t0 + opts.maxSeconds * 1000 : Infinity;
    this._visited = new FingerprintSet(maxStates);
    this._r = newResult(st, opts, 'breadth-first', this._visited.maxBytes);
  }

  /** A pooled search of `input`; the same checks and errors as `explore()` (randomized mode is not pooled). */
  static create(input: unknown, opts: ExploreOptions): Result<PoolSearch> {
    if (opts.random) return { ok: false, error: 'random: the pool runs the breadth-first search only' };
    const bad = checkExploreOptions(opts);
    if (bad) return { ok: false, error: bad };
    const st = setupSearch(input, opts.property, opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun);
    if (!st.ok) return st;
    return { ok: true, value: new PoolSearch(st.value, opts) };
  }

  /**
   * The next slice for a free worker (at most `max` schedules), or null when
   * nothing is ready to hand out (the merge must catch up) or the search is done.
   */
  take(max: number): ShardJob | null {
    if (this.done) return null;
    // Never hand out more than the budget could still take in.
    const budgetEnd = this._head + Math.max(0, this._maxSchedules - this._r.schedules);
    const end = Math.min(this._frontier.length, this._sent + Math.max(1, max), budgetEnd);
    if (end <= this._sent) return null;
    const job = { from: this._sent, schedules: this._frontier.slice(this._sent, end) };
    this._sent = end;
    return job;
  }

  /** Schedules ready to hand out now. */
  get available(): number {
    return this.done ? 0 : Math.max(0, this._frontier.length - this._sent);
  }

  /** A worker's records for a slice; merges every record now in order. */
  accept(job: { from: number }, records: readonly ShardRecord[]): void {
    this._ran += records.length;
    if (this.done) return;
    records.forEach((rec, k) => this._records.set(job.from + k, rec));
    this._merge();
  }

  /** Checks the wall-clock bound between slices (the host calls it on a timer too). */
  tick(): void {
    if (!this.done && this._now && this._now() > this._deadline) this._finish('max-seconds');
  }

  progress(): PoolProgress {
    const cur = this._frontier[Math.min(this._head, this._frontier.length - 1)];
    return {
      schedules: this._r.schedules,
      ran: this._ran,
      states: this._visited.size,
      events: this._r.events,
      depth: cur ? cur.length : 0,
      queued: this._frontier.length - this._head,
    };
  }

  /** The result so far (final once `done`), in explore()'s shape. */
  result(): ExploreResult {
    const r = { ...this._r, states: this._visited.size, statesOverflow: this._visited.overflow };
    if (this._now) r.elapsedMs = this._now() - this._t0;
    return r;
  }

  private _finish(stop: ExploreResult['stop'], cex: Counterexample | null = null, exhausted = false): void {
    this.done = true;
    this._r.stop = stop;
    this._r.exhausted = exhausted;
    this._r.counterexample = cex;
    if (this._now) this._r.elapsedMs = this._now() - this._t0;
    this._records.clear();
  }

  /** bfs() of explorer.ts, one record at a time, for as long as the next record in frontier order is here. */
  private _merge(): void {
    const r = this._r;
    const fr = this._frontier;
    while (!this.done) {
      if (this._head >= fr.length) {
        if (this._dropped) this._finish('max-schedules');
        else this._finish('exhausted', null, !this._depthCut);
        return;
      }
      if (r.schedules >= this._maxSchedules) return this._finish('max-schedules');
      if (this._now && this._now() > this._deadline) return this._finish('max-seconds');
      const rec = this._records.get(this._head);
      if (rec === undefined) return;
      this._records.delete(this._head);
      const sched = fr[this._head] as Schedule;
      fr[this._head++] = [];
      r.schedules++;
      r.events += rec.events;
      if (sched.length === 0) r.choicePoints = rec.choicePoints;
      const last = sched.length > 0 ? (sched[sched.length - 1] as readonly [number, number])[0] : -1;
      // The run's fingerprints into the one visited set, in the order the run met them; the first seen before cuts.
      let cut = Infinity;
      for (let k = 0; k + 2 < rec.prints.length; k += 3) {
        if (!this._visited.add(rec.prints[k + 1] as number, rec.prints[k + 2] as number)) {
          cut = rec.prints[k] as number;
          break;
        }
      }
      if (rec.bad) {
        if (rec.counterexample) return this._finish('found', rec.counterexample);
        r.notReproduced++;
      }
      if (sched.length >= this._maxDepth) {
        this._depthCut = true;
        continue;
      }
      const to = Math.min(cut, rec.choicePoints);
      for (let j = last + 1; j < to; j++) {
        for (const v of rec.children[j - last - 1] ?? []) {
          if (fr.length - this._head >= this._maxSchedules - r.schedules) {
            this._dropped = true;
            break;
          }
          fr.push([...sched, [j, v]]);
        }
      }
    }
  }
}
