import { PoolRandomSearch, PoolSearch, type Counterexample, type FingerprintSet, type ExploreOptions, type ExploreResult, type FlagPoint, type PoolProgress } from '../sim/index';
import type { ExploreCommand, ExploreMessage } from '../worker/protocol';

/** What the page needs of a pool worker (a Web Worker, or a fake one in tests). */
export interface PoolWorker {
  postMessage(cmd: ExploreCommand, transfer?: ArrayBuffer[]): void;
  terminate(): void;
  onmessage: ((e: { data: ExploreMessage }) => void) | null;
  onerror: ((e: unknown) => void) | null;
}

/** How a pooled search ended. */
export interface PoolOutcome {
  result: ExploreResult;
  /** The user cancelled: `result` holds the figures so far. */
  cancelled: boolean;
  /** Where the counterexample first shows the property (the cursor's place when it is opened). */
  flag: FlagPoint | null;
  /** A worker failed or refused the search (the message says why); `result` holds the figures so far. */
  error: string | null;
  /** Schedules the workers ran (the merge's count, `result.schedules`, plus those run ahead of it). */
  ran: number;
  /** Where the time went (the benchmark reports it). */
  stats: PoolStats;
  /** The randomized search's seed (null: breadth-first). */
  seed: number | null;
}

/** Where a search's time went, in ms of wall time on the page's clock. */
export interface PoolStats {
  /** From start() to the end. */
  wallMs: number;
  /** Each worker's time running slices of this search (as it measured it). */
  busyMs: number[];
  /** The page's time in the coordinator's merge (accept) and in packing slices (take). */
  mergeMs: number;
  /** Slices handed out, and their mean size (schedules, or tries in random mode). */
  slices: number;
  meanSlice: number;
  /** Workers that had to be started for this search (0: the pool was warm). */
  spawned: number;
}

export interface PoolStatus extends PoolProgress {
  workers: number;
  elapsedMs: number;
}

/** The pool for this machine: one worker per core, at least one, at most 8 (more adds messages, not speed, here). */
export function poolSize(hardwareConcurrency: number | undefined): number {
  const n = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency as number) : 1;
  return Math.min(MAX_POOL, Math.max(1, n));
}
export const MAX_POOL = 8;

/** Slices a worker may hold at once: the next one is there when it finishes the first (no idle round trip). */
const IN_FLIGHT = 2;
/**
 * The work one slice should hold, in ms (measured by the workers, averaged):
 * long enough that a message's cost (a few tenths of a ms each way) is small
 * beside it, short enough that the in-order merge rarely waits on one slow
 * slice and that a finished search's stale slices end soon.
 */
const SLICE_TARGET_MS = 20;
/** The first slices, before any time per schedule is known. */
const FIRST_SLICE = 4;
/** The largest slice, whatever the measured speed. */
const MAX_SLICE = 512;
/** How often the wall-clock bound is checked while every worker is busy. */
const TICK_MS = 100;

type Coordinator = PoolSearch | PoolRandomSearch;
interface Slot {
  w: PoolWorker;
  inFlight: number;
  /** This worker's time running slices of the current search. */
  busyMs: number;
}

/**
 * Runs searches over a pool of workers: breadth-first (PoolSearch keeps the
 * frontier and the visited set on this thread; workers run contiguous slices
 * of the frontier) or randomized (PoolRandomSearch; workers run ranges of
 * tries, each try seeded from the search's seed and its number). Either way
 * the coordinator merges the records in order, so the answer does not depend
 * on the workers' number or timing: for breadth-first it is explore()'s.
 *
 * The workers stay up between searches (warm(): started when the panel
 * opens), so a search does not pay for loading the worker script and for a
 * cold JIT. Each search has a new id: records of an older one are dropped.
 * Cancel terminates the workers still running a slice (a run may be long) and
 * starts fresh ones in their place; the end of a search leaves them be (their
 * last slices, at most IN_FLIGHT × SLICE_TARGET_MS of work, are dropped).
 */
export class ExplorePool {
  private _workers: Slot[] = [];
  /** Workers of the current search (the first `_size` of `_workers`). */
  private _size = 0;
  private _ps: Coordinator | null = null;
  private _search = 0;
  private _t0 = 0;
  private _timer: ReturnType<typeof setInterval> | null = null;
  private _onDone: ((o: PoolOutcome) => void) | null = null;
  private readonly _flags = new Map<Counterexample, FlagPoint | null>();
  /** Measured ms per schedule (or per try), averaged over slices; 0 before the first slice of a search. */
  private _msPer = 0;
  private _mergeMs = 0;
  private _slices = 0;
  private _sliced = 0;
  private _spawned = 0;
  private _seed: number | null = null;
  /** The last breadth-first search's visited set: the next one takes over its table instead of growing a new one. */
  private _visited: FingerprintSet | null = null;

  private readonly _spawn: () => PoolWorker;
  private readonly _now: () => number;

  constructor(spawn: () => PoolWorker, now: () => number) {
    this._spawn = spawn;
    this._now = now;
  }

  get running(): boolean {
    return this._ps !== null;
  }

  /** Workers up now (running or idle). */
  get workers(): number {
    return this._workers.length;
  }

  /** Starts workers until there are `size` (the panel calls it when it opens, so the first search finds them warm). */
  warm(size: number): void {
    while (this._workers.length < Math.max(1, size)) this._add();
  }

  /** Terminates every worker (a page that no longer needs the pool). */
  dispose(): void {
    this.cancel();
    for (const slot of this._workers) slot.w.terminate();
    this._workers = [];
  }

  /**
   * Starts a search of `input` with `size` workers, randomized when
   * `opts.random` names a seed; `onDone` hears how it ended (once). Returns an
   * error naming the field for bad input (nothing is started).
   */
  start(input: unknown, opts: Omit<ExploreOptions, 'now'>, size: number, onDone: (o: PoolOutcome) => void): string | null {
    this.cancel();
    const ps = opts.random ? PoolRandomSearch.create(input, { ...opts, now: this._now }) : PoolSearch.create(input, { ...opts, random: null, now: this._now }, this._visited);
    if (!ps.ok) return ps.error;
    if (ps.value instanceof PoolSearch) this._visited = ps.value.visited;
    this._ps = ps.value;
    this._onDone = onDone;
    this._search++;
    this._t0 = this._now();
    this._flags.clear();
    this._msPer = 0;
    this._mergeMs = 0;
    this._slices = 0;
    this._sliced = 0;
    this._spawned = 0;
    this._seed = opts.random ? opts.random.seed : null;
    const search = this._search;
    this._size = Math.max(1, size);
    const before = this._workers.length;
    this.warm(this._size);
    this._spawned = this._workers.length - before;
    const options = { property: opts.property, valuesPerChoice: opts.valuesPerChoice, maxDepth: opts.maxDepth, maxEventsPerRun: opts.maxEventsPerRun };
    for (const slot of this._active()) {
      // Slices of an older search still running are dropped when they come back (their search id is old).
      slot.inFlight = 0;
      slot.busyMs = 0;
      // Messages queue until the worker's script is up: prepare, then slices, in order.
      slot.w.postMessage({ type: 'explore-prepare', search, input, options });
    }
    this._timer = setInterval(() => {
      this._ps?.tick();
      this._pump(search);
    }, TICK_MS);
    this._pump(search);
    return null;
  }

  /** Figures for the progress display (read on a timer, never per message). */
  status(): PoolStatus | null {
    if (!this._ps) return null;
    return { ...this._ps.progress(), workers: this._size, elapsedMs: this._now() - this._t0 };
  }

  /** Stops at once: workers still running a slice terminated (fresh ones started), `onDone` told it was cancelled, with the figures so far. */
  cancel(): void {
    if (this._ps) this._end(this._search, true, null);
  }

  private _active(): Slot[] {
    return this._workers.slice(0, this._size);
  }

  private _add(): Slot {
    const slot: Slot = { w: this._spawn(), inFlight: 0, busyMs: 0 };
    slot.w.onmessage = (e) => this._onMessage(slot, e.data);
    slot.w.onerror = () => this._failed(slot);
    this._workers.push(slot);
    return slot;
  }

  /** A worker that failed is replaced; the search it was part of ends with the error. */
  private _failed(slot: Slot): void {
    const i = this._workers.indexOf(slot);
    if (i < 0) return;
    slot.w.terminate();
    this._workers.splice(i, 1);
    this._end(this._search, false, 'a pool worker failed');
  }

  private _onMessage(slot: Slot, msg: ExploreMessage): void {
    if (msg.type === 'explore-ready') return;
    if (msg.search !== this._search || !this._ps) return;
    switch (msg.type) {
      case 'explore-refused':
      case 'explore-error':
        return this._end(msg.search, false, msg.type === 'explore-refused' ? msg.error : msg.message);
      case 'explore-records':
      case 'explore-random-records': {
        slot.inFlight--;
        slot.busyMs += msg.ms;
        for (const c of msg.cex) this._flags.set(c.counterexample, c.flag);
        const t = this._now();
        let n: number;
        if (msg.type === 'explore-records') {
          if (!(this._ps instanceof PoolSearch)) return;
          const before = this._ps.progress().ran;
          this._ps.accept({ from: msg.from }, { data: msg.data, cex: msg.cex });
          n = this._ps.progress().ran - before;
        } else {
          if (!(this._ps instanceof PoolRandomSearch)) return;
          this._ps.accept({ from: msg.from }, msg.records);
          n = msg.records.length;
        }
        this._mergeMs += this._now() - t;
        // The time per schedule (or try), for the next slices' size: recent slices weigh more.
        if (n > 0) this._msPer = this._msPer === 0 ? msg.ms / n : 0.7 * this._msPer + 0.3 * (msg.ms / n);
        this._pump(msg.search);
        return;
      }
    }
  }

  /** The size of the next slice: about SLICE_TARGET_MS of work, and (breadth-first) a fair share of what is ready. */
  private _sliceSize(ps: Coordinator): number {
    const bySpeed = this._msPer > 0 ? Math.round(SLICE_TARGET_MS / this._msPer) : FIRST_SLICE;
    let n = Math.max(1, Math.min(MAX_SLICE, bySpeed));
    if (ps instanceof PoolSearch) n = Math.min(n, Math.ceil(ps.available / (IN_FLIGHT * this._size)));
    return Math.max(1, n);
  }

  /** Hands slices to free workers; ends the search when the coordinator is done. */
  private _pump(search: number): void {
    const ps = this._ps;
    if (!ps || search !== this._search) return;
    if (ps.done) return this._end(search, false, null);
    const t = this._now();
    try {
      for (let round = 0; round < IN_FLIGHT; round++) {
        for (const slot of this._active()) {
          if (slot.inFlight > round) continue;
          if (ps instanceof PoolSearch) {
            const job = ps.take(this._sliceSize(ps));
            if (!job) return;
            this._count(job.count);
            slot.inFlight++;
            // A records buffer the merge is done with goes back with the slice, for its records.
            const spare = ps.takeSpare();
            if (spare) slot.w.postMessage({ type: 'explore-run', search, from: job.from, schedules: job.schedules, spare }, [job.schedules.buffer, spare.buffer]);
            else slot.w.postMessage({ type: 'explore-run', search, from: job.from, schedules: job.schedules }, [job.schedules.buffer]);
          } else {
            const job = ps.take(this._sliceSize(ps));
            if (!job) return;
            this._count(job.count);
            slot.inFlight++;
            slot.w.postMessage({ type: 'explore-random', search, job });
          }
        }
      }
    } finally {
      this._mergeMs += this._now() - t;
    }
  }

  private _count(n: number): void {
    this._slices++;
    this._sliced += n;
  }

  private _end(search: number, cancelled: boolean, error: string | null): void {
    const ps = this._ps;
    if (!ps || search !== this._search) return;
    this._ps = null;
    // Later messages of this search are dropped.
    this._search++;
    if (this._timer !== null) clearInterval(this._timer);
    this._timer = null;
    const busy = this._active().map((s) => s.busyMs);
    if (cancelled || error !== null) {
      // A slice being run may take long (a run can hold millions of events): its worker is replaced.
      const busySlots = this._workers.filter((slot) => slot.inFlight > 0);
      for (const slot of busySlots) slot.w.terminate();
      this._workers = this._workers.filter((slot) => slot.inFlight === 0);
      for (let k = 0; k < busySlots.length; k++) this._add();
    }
    for (const slot of this._workers) slot.inFlight = 0;
    const result = ps.result();
    const ran = ps.progress().ran;
    const cex = result.counterexample;
    const flag = cex ? (this._flags.get(cex) ?? null) : null;
    this._flags.clear();
    const stats: PoolStats = {
      wallMs: this._now() - this._t0,
      busyMs: busy,
      mergeMs: this._mergeMs,
      slices: this._slices,
      meanSlice: this._slices > 0 ? this._sliced / this._slices : 0,
      spawned: this._spawned,
    };
    const done = this._onDone;
    this._onDone = null;
    done?.({ result, cancelled, flag, error, ran, stats, seed: this._seed });
  }
}
