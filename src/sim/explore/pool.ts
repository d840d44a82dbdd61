import type { Result } from '../scenario/load';
import { checkExploreOptions, confirmCounterexample, EXPLORE_DEFAULTS, newResult, runSchedule, setupSearch, type Counterexample, type ExploreOptions, type ExploreResult, type SearchSetup } from './explorer';
import { Recorder, type Schedule } from './recorder';
import { Frontier } from './frontier';
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

/**
 * What a worker learnt from a slice of schedules, packed as it ran them into
 * one Float64Array, for postMessage to transfer (not clone) and the
 * coordinator to read in place. Per schedule, in slice order: `events,
 * choicePoints, bad, nPrints`, then the fingerprints met at each choice point
 * after the schedule's last deviation (three numbers each: choice index, two
 * hash lanes, in the order the run met them), then `nChildren` and, per
 * choice from last+1 on, its count of candidate values and the values (no
 * children when a depth bound stops them). Every number is a whole number
 * below 2^53 (fingerprint lanes are 32-bit), so a double holds each exactly.
 * The counterexamples (rare, and objects; each confirmed by a replay from its
 * file) travel beside it, by index in the slice.
 *
 * Written as the runs go, not gathered as arrays and packed at the end: a
 * slice's worth of per-run arrays outlived the young generation and made
 * every scavenge copy and promote them (about 0.8 MB a scavenge, 2 ms each),
 * GC work the concurrent collector then did on the other core.
 */
export interface SliceRecords {
  data: Float64Array<ArrayBuffer>;
  cex: { k: number; counterexample: Counterexample }[];
}

/** The part of the options a worker needs (plain data: it crosses postMessage). */
export type ShardOptions = Pick<ExploreOptions, 'property' | 'valuesPerChoice' | 'maxDepth' | 'maxEventsPerRun'>;

/** A worker's prepared search: the scenario validated and resolved once. */
export interface Shard {
  st: SearchSetup;
  cap: number;
  maxDepth: number;
  /** Where a slice's records are written (reused from slice to slice). */
  out: PackedWriter;
  /** The runs' fingerprints, written to `out`. */
  log: PrintLog;
}

/** Validates and resolves the scenario once per worker; a clear error naming the field on bad input, never a throw. */
export function prepareShard(input: unknown, opts: ShardOptions): Result<Shard> {
  const bad = checkExploreOptions({ property: opts.property, ...pickDefined(opts) });
  if (bad) return { ok: false, error: bad };
  const st = setupSearch(input, opts.property, opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun);
  if (!st.ok) return st;
  const out = new PackedWriter();
  return { ok: true, value: { st: st.value, cap: Math.max(2, opts.valuesPerChoice ?? EXPLORE_DEFAULTS.valuesPerChoice), maxDepth: opts.maxDepth ?? Infinity, out, log: new PrintLog(out) } };
}

function pickDefined(o: ShardOptions): Partial<ExploreOptions> {
  const out: Partial<ExploreOptions> = {};
  if (o.valuesPerChoice !== undefined) out.valuesPerChoice = o.valuesPerChoice;
  if (o.maxDepth !== undefined) out.maxDepth = o.maxDepth;
  if (o.maxEventsPerRun !== undefined) out.maxEventsPerRun = o.maxEventsPerRun;
  return out;
}

/**
 * Numbers appended to a Float64Array that doubles as it fills: one per
 * worker, writing one slice's records at a time. The buffer it hands out with
 * a slice's records is the receiver's from then on (postMessage moves it to
 * the page); the page sends merged ones back with later slices (`start`), so a
 * worker writes into the same few buffers search after search. Fresh buffers
 * were 300 KB a slice, some 25 MB a search: on the page that much new
 * memory set off a full garbage collection per search, and in the workers
 * each buffer's pages were faulted in anew.
 */
export class PackedWriter {
  buf: Float64Array<ArrayBuffer> = new Float64Array(0);
  n = 0;

  /** Starts a slice's records, empty; in `spare` (a buffer handed out earlier, sent back) when it is bigger than the one held. */
  start(spare: Float64Array<ArrayBuffer> | undefined): void {
    this.n = 0;
    if (spare !== undefined && spare.buffer.byteLength > this.buf.buffer.byteLength) this.buf = new Float64Array(spare.buffer);
  }

  push(x: number): void {
    if (this.n === this.buf.length) this._grow();
    this.buf[this.n++] = x;
  }

  /** What was written: a view of the writer's buffer, which is the caller's now (the writer starts again empty, with no buffer). */
  take(): Float64Array<ArrayBuffer> {
    const out = new Float64Array(this.buf.buffer, 0, this.n);
    this.buf = new Float64Array(0);
    this.n = 0;
    return out;
  }

  private _grow(): void {
    const b = new Float64Array(Math.max(4096, this.buf.length * 2));
    b.set(this.buf);
    this.buf = b;
  }
}

/** A visited "set" that only writes the fingerprints a run meets down to the slice's records: the coordinator owns the real set. */
export class PrintLog extends FingerprintSet {
  rec: Recorder | null = null;
  /** Fingerprints written for the current run. */
  count = 0;
  private readonly _out: PackedWriter;
  constructor(out: PackedWriter) {
    super(1);
    this._out = out;
  }
  override add(h1: number, h2: number): boolean {
    // The recorder counts the choice before it asks (choices drawn while the machine is built have no print).
    this._out.push((this.rec as Recorder).index - 1);
    this._out.push(h1);
    this._out.push(h2);
    this.count++;
    return true;
  }
}

/**
 * Runs a slice of schedules (packed as take() hands them out, Frontier.pack)
 * and writes down what the coordinator needs of each; into `spare` when
 * it is given and big enough (a records buffer of an earlier slice, merged).
 */
export function runShard(shard: Shard, packed: Float64Array, spare?: Float64Array<ArrayBuffer>): SliceRecords {
  const { st, cap, maxDepth, out, log } = shard;
  const cex: SliceRecords['cex'] = [];
  out.start(spare);
  unpackSchedules(packed).forEach((sched, k) => {
    // The header's four numbers are known once the run is over: written in their place then.
    const head = out.n;
    for (let q = 0; q < 4; q++) out.push(0);
    const rec = new Recorder(sched, log, null);
    log.rec = rec;
    log.count = 0;
    const o = runSchedule(st, st.cfg, rec, rec);
    const b = out.buf;
    b[head] = o.m.processed;
    b[head + 1] = rec.index;
    b[head + 2] = o.bad ? 1 : 0;
    b[head + 3] = log.count;
    if (sched.length < maxDepth) {
      out.push(Math.max(0, rec.index - rec.last - 1));
      for (let j = rec.last + 1; j < rec.index; j++) {
        const c = rec.candidates(j, cap);
        out.push(c.length);
        // Indexed, not for-of: here V8 kept the iterator and made a result object per value (4.5 KB a run).
        for (let q = 0; q < c.length; q++) out.push(c[q] as number);
      }
    } else out.push(0);
    if (o.bad) {
      const counterexample = confirmCounterexample(st, sched, rec, o);
      if (counterexample) cex.push({ k, counterexample });
    }
  });
  log.rec = null;
  return { data: out.take(), cex };
}

/** The counterexamples of a slice's records, by index in the slice (most slices have none). */
export function slotCounterexamples(records: readonly { counterexample: Counterexample | null }[]): { k: number; counterexample: Counterexample }[] {
  const out: { k: number; counterexample: Counterexample }[] = [];
  records.forEach((r, k) => {
    if (r.counterexample) out.push({ k, counterexample: r.counterexample });
  });
  return out;
}

/** A slice's schedules as Frontier.pack writes them, spelled out (a worker's side); a malformed array gives the schedules read up to the damage. */
export function unpackSchedules(d: Float64Array): Schedule[] {
  const out: Schedule[] = [];
  let o = 0;
  while (o < d.length) {
    const len = d[o++] as number;
    if (!Number.isSafeInteger(len) || len < 0 || o + 2 * len > d.length) break;
    const s: Schedule = [];
    for (let k = 0; k < len; k++, o += 2) s.push([d[o] as number, d[o + 1] as number]);
    out.push(s);
  }
  return out;
}

/** Merged records buffers kept for the workers: enough for every slice in flight in a pool of eight. */
const MAX_SPARES = 16;

/** A slice handed out, waiting for its records (`o`, `k`: where the merge reads next). */
interface PendingSlice {
  from: number;
  count: number;
  data: Float64Array | null;
  cex: Map<number, Counterexample> | null;
  o: number;
  k: number;
}

/** A slice of the frontier handed to one worker: schedules `from`, `from + 1`, … in frontier order. */
export interface ShardJob {
  from: number;
  /** How many schedules, packed by Frontier.pack. */
  count: number;
  schedules: Float64Array<ArrayBuffer>;
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
  private readonly _frontier = new Frontier();
  private _head = 0;
  /** Frontier entries handed out so far (the next slice starts here). */
  private _sent = 0;
  /** Slices handed out and not yet merged, in frontier order (`_ph` is the first); their records once they are back. */
  private readonly _pending: (PendingSlice | null)[] = [];
  private _ph = 0;
  private readonly _byFrom = new Map<number, PendingSlice>();
  /** Records buffers of merged slices, for the host to send back to a worker with a slice (takeSpare). */
  private readonly _spares: Float64Array<ArrayBuffer>[] = [];
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
  private constructor(st: SearchSetup, opts: ExploreOptions, reuse: FingerprintSet | null) {
    this._maxSchedules = opts.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules;
    const maxStates = opts.maxStates ?? EXPLORE_DEFAULTS.maxStates;
    this._maxDepth = opts.maxDepth ?? Infinity;
    this._now = opts.now;
    this._t0 = this._now ? this._now() : 0;
    this._deadline = this._now && opts.maxSeconds !== undefined ? this._t0 + opts.maxSeconds * 1000 : Infinity;
    this._visited = FingerprintSet.reusing(reuse, maxStates);
    this._r = newResult(st, opts, 'breadth-first', this._visited.maxBytes);
  }

  /**
   * A pooled breadth-first search of `input`; the same checks and errors as
   * `explore()` (the randomized mode has its own coordinator, pool-random.ts).
   * `reuse`: an ended search's visited set, whose table this one takes over
   * (FingerprintSet.reusing; the page's pool passes its last one).
   */
  static create(input: unknown, opts: ExploreOptions, reuse: FingerprintSet | null = null): Result<PoolSearch> {
    if (opts.random) return { ok: false, error: 'random: the pool runs the breadth-first search only' };
    const bad = checkExploreOptions(opts);
    if (bad) return { ok: false, error: bad };
    const st = setupSearch(input, opts.property, opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun);
    if (!st.ok) return st;
    return { ok: true, value: new PoolSearch(st.value, opts, reuse) };
  }

  /**
   * The next slice for a free worker (at most `max` schedules), or null when
   * nothing is ready to hand out (the merge must catch up) or the search is done.
   */
  take(max: number): ShardJob | null {
    if (this.done) return null;
    // The frontier never holds more than the budget could still take in (the merge drops the rest).
    const end = Math.min(this._frontier.length, this._sent + Math.max(1, max));
    if (end <= this._sent) return null;
    const from = this._sent;
    const job = { from, count: end - from, schedules: this._frontier.pack(from, end) };
    const slice: PendingSlice = { from: this._sent, count: end - this._sent, data: null, cex: null, o: 0, k: 0 };
    this._pending.push(slice);
    this._byFrom.set(slice.from, slice);
    this._sent = end;
    return job;
  }

  /**
   * A records buffer the merge is done with (the whole buffer, not just the
   * slice's part), for the host to hand back to a worker with its next slice;
   * null when none is free. Only buffers that arrived as a Float64Array's own
   * ArrayBuffer come back (never someone else's memory).
   */
  takeSpare(): Float64Array<ArrayBuffer> | null {
    return this._spares.pop() ?? null;
  }

  /** The visited set (for the next search to reuse once this one has ended). */
  get visited(): FingerprintSet {
    return this._visited;
  }

  /** Schedules ready to hand out now (never more than the budget could still take in, as the frontier holds no more). */
  get available(): number {
    return this.done ? 0 : Math.max(0, this._frontier.length - this._sent);
  }

  /** A worker's records for a slice; merges every record now in order. */
  accept(job: { from: number }, records: { data: Float64Array; cex: readonly { k: number; counterexample: Counterexample }[] }): void {
    const { data, cex } = records;
    const slice = this._byFrom.get(job.from);
    if (slice === undefined || slice.data !== null) return; // not a slice of this search (or already back)
    this._ran += slice.count;
    if (this.done) return;
    slice.data = data;
    if (cex.length > 0) slice.cex = new Map(cex.map((c) => [c.k, c.counterexample]));
    this._merge();
  }

  /** Checks the wall-clock bound between slices (the host calls it on a timer too). */
  tick(): void {
    if (!this.done && this._now && this._now() > this._deadline) this._finish('max-seconds');
  }

  progress(): PoolProgress {
    const fr = this._frontier;
    return {
      schedules: this._r.schedules,
      ran: this._ran,
      states: this._visited.size,
      events: this._r.events,
      depth: fr.depth(Math.min(this._head, fr.length - 1)),
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
    this._pending.length = 0;
    this._byFrom.clear();
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
      // The record of the schedule at the head: the next unread one of the first pending slice.
      const slice = this._pending[this._ph];
      if (!slice || slice.data === null) return;
      const d = slice.data;
      let o = slice.o;
      const k = slice.k++;
      const events = d[o] as number;
      const choicePoints = d[o + 1] as number;
      const bad = d[o + 2] === 1;
      const nPrints = d[o + 3] as number;
      const prints = o + 4;
      o = prints + 3 * nPrints;
      const nChildren = d[o++] as number;
      const at = this._head++;
      const depth = fr.depth(at);
      r.schedules++;
      r.events += events;
      if (depth === 0) r.choicePoints = choicePoints;
      const last = fr.lastChoice(at);
      // The run's fingerprints into the one visited set, in the order the run met them; the first seen before cuts.
      let cut = Infinity;
      for (let q = prints; q < prints + 3 * nPrints; q += 3) {
        if (!this._visited.add(d[q + 1] as number, d[q + 2] as number)) {
          cut = d[q] as number;
          break;
        }
      }
      // As bfs() does: the states the search is heading for, for the visited set's growths.
      this._visited.projected = (this._visited.size / r.schedules) * this._maxSchedules;
      const to = Math.min(cut, choicePoints);
      const deep = depth >= this._maxDepth;
      // The children, read through to the record's end whatever is pushed (the next record starts there).
      for (let c = 0; c < nChildren; c++) {
        const len = d[o++] as number;
        const j = last + 1 + c;
        if (!deep && !this._dropped && j < to) {
          for (let q = o; q < o + len; q++) {
            if (fr.length - this._head >= this._maxSchedules - r.schedules) {
              this._dropped = true;
              break;
            }
            fr.push(at, j, d[q] as number);
          }
        }
        o += len;
      }
      slice.o = o;
      if (slice.k === slice.count) {
        this._byFrom.delete(slice.from);
        this._pending[this._ph++] = null;
        if (d.buffer instanceof ArrayBuffer && this._spares.length < MAX_SPARES) this._spares.push(new Float64Array(d.buffer));
      }
      if (bad) {
        const cex = slice.cex?.get(k);
        if (cex) return this._finish('found', cex);
        r.notReproduced++;
      }
      if (deep) this._depthCut = true;
    }
  }
}
