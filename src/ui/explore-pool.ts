import { PoolSearch, type Counterexample, type ExploreOptions, type ExploreResult, type FlagPoint, type PoolProgress, type ShardJob } from '../sim/index';
import type { ExploreCommand, ExploreMessage } from '../worker/protocol';

/** What the page needs of a pool worker (a Web Worker, or a fake one in tests). */
export interface PoolWorker {
  postMessage(cmd: ExploreCommand): void;
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
/** The largest slice: small enough that the in-order merge never waits long on one slow worker. */
const MAX_SLICE = 32;
/** How often the wall-clock bound is checked while every worker is busy. */
const TICK_MS = 100;

/**
 * Runs one breadth-first search over a pool of workers. The coordinator
 * (PoolSearch, in the core) keeps the frontier and the visited set on this
 * thread; workers run contiguous slices of the frontier and send back what
 * each run showed; the coordinator merges them in frontier order, so the
 * answer (a shortest counterexample, or the exhausted space) is explore()'s.
 * Cancel and the end of the search terminate the workers at once: a slice
 * being run is thrown away.
 */
export class ExplorePool {
  private _workers: { w: PoolWorker; inFlight: number; ready: boolean }[] = [];
  private _ps: PoolSearch | null = null;
  private _search = 0;
  private _t0 = 0;
  private _timer: ReturnType<typeof setInterval> | null = null;
  private _onDone: ((o: PoolOutcome) => void) | null = null;
  private readonly _flags = new Map<Counterexample, FlagPoint | null>();

  private readonly _spawn: () => PoolWorker;
  private readonly _now: () => number;

  constructor(spawn: () => PoolWorker, now: () => number) {
    this._spawn = spawn;
    this._now = now;
  }

  get running(): boolean {
    return this._ps !== null;
  }

  /**
   * Starts a search of `input` with `size` workers; `onDone` hears how it
   * ended (once). Returns an error naming the field for bad input (nothing is started).
   */
  start(input: unknown, opts: Omit<ExploreOptions, 'now' | 'random'>, size: number, onDone: (o: PoolOutcome) => void): string | null {
    this.cancel();
    const ps = PoolSearch.create(input, { ...opts, now: this._now });
    if (!ps.ok) return ps.error;
    this._ps = ps.value;
    this._onDone = onDone;
    this._search++;
    this._t0 = this._now();
    this._flags.clear();
    const search = this._search;
    const options = { property: opts.property, valuesPerChoice: opts.valuesPerChoice, maxDepth: opts.maxDepth, maxEventsPerRun: opts.maxEventsPerRun };
    for (let k = 0; k < Math.max(1, size); k++) {
      const slot = { w: this._spawn(), inFlight: 0, ready: true };
      slot.w.onmessage = (e) => this._onMessage(slot, search, e.data);
      slot.w.onerror = () => this._end(search, false, 'a pool worker failed');
      // Messages queue until the worker's script is up: prepare, then slices, in order.
      slot.w.postMessage({ type: 'explore-prepare', search, input, options });
      this._workers.push(slot);
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
    return { ...this._ps.progress(), workers: this._workers.length, elapsedMs: this._now() - this._t0 };
  }

  /** Stops at once: workers terminated, `onDone` told it was cancelled, with the figures so far. */
  cancel(): void {
    if (this._ps) this._end(this._search, true, null);
  }

  private _onMessage(slot: { inFlight: number }, search: number, msg: ExploreMessage): void {
    if (search !== this._search || !this._ps) return;
    switch (msg.type) {
      case 'explore-ready':
        return;
      case 'explore-refused':
      case 'explore-error':
        return this._end(search, false, msg.type === 'explore-refused' ? msg.error : msg.message);
      case 'explore-records':
        slot.inFlight--;
        msg.records.forEach((r, k) => {
          if (r.counterexample) this._flags.set(r.counterexample, msg.flags[k] ?? null);
        });
        this._ps.accept({ from: msg.from }, msg.records);
        this._pump(search);
        return;
    }
  }

  /** Hands slices to free workers; ends the search when the coordinator is done. */
  private _pump(search: number): void {
    const ps = this._ps;
    if (!ps || search !== this._search) return;
    if (ps.done) return this._end(search, false, null);
    const n = this._workers.length;
    for (let round = 0; round < IN_FLIGHT; round++) {
      for (const slot of this._workers) {
        if (slot.inFlight > round) continue;
        const size = Math.max(1, Math.min(MAX_SLICE, Math.ceil(ps.available / (IN_FLIGHT * n))));
        const job: ShardJob | null = ps.take(size);
        if (!job) return;
        slot.inFlight++;
        slot.w.postMessage({ type: 'explore-run', search, job });
      }
    }
  }

  private _end(search: number, cancelled: boolean, error: string | null): void {
    const ps = this._ps;
    if (!ps || search !== this._search) return;
    this._ps = null;
    if (this._timer !== null) clearInterval(this._timer);
    this._timer = null;
    for (const slot of this._workers) slot.w.terminate();
    this._workers = [];
    const result = ps.result();
    const ran = ps.progress().ran;
    const cex = result.counterexample;
    const flag = cex ? (this._flags.get(cex) ?? null) : null;
    this._flags.clear();
    const done = this._onDone;
    this._onDone = null;
    done?.({ result, cancelled, flag, error, ran });
  }
}
