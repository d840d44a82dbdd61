import { Prng } from '../clock/prng';
import { EVERY_KIND, type Chooser, type SimCore, type TraceTap } from '../sim-context';
import type { FingerprintSet } from './visited';

/** A schedule: (choice index, value) pairs in rising index order; the rest take the seeded default. */
export type Schedule = (readonly [number, number])[];

/** Random deviations for the randomized mode: at each choice, with this probability, pick an end or a uniform value. */
export interface RandomPlan {
  prng: Prng;
  probability: number;
}

/**
 * The explorer's chooser for one run. It applies a sparse schedule, records
 * every choice point the run meets (range, base time, value taken), collects
 * the times at which traced things happened (where a later choice could swap
 * the order of two events), and at each choice point after the schedule's
 * last deviation checks the machine's fingerprint against the visited set:
 * the first one already there marks `cut`, past which this run's subtree is a
 * copy of one already explored.
 *
 * It follows the trace as it is written (a TraceTap, given to the machine as
 * `tap`), so nothing needs to stay in the trace's ring: explored runs trace
 * into a ring of one event, and the fold sees every event however many come
 * between two choices.
 */
export class Recorder implements Chooser, TraceTap {
  /** Every kind: the shape fold and the event times cover the whole trace. */
  readonly kinds = EVERY_KIND;
  core: SimCore | null = null;
  index = 0;
  readonly mins: number[] = [];
  readonly maxs: number[] = [];
  readonly bases: number[] = [];
  readonly values: number[] = [];
  /** The seeded default each choice would have taken. */
  readonly dflts: number[] = [];
  /** Distinct times (ns) at which the run traced something, rising. */
  readonly times: number[] = [];
  /** First choice index whose state was already visited (Infinity: none). */
  cut = Infinity;
  /** Deviations taken by the random plan (empty otherwise). */
  readonly taken: Schedule = [];
  private _next = 0;
  private _shape = 0x811c9dc5;

  private readonly _schedule: Schedule;
  private readonly _visited: FingerprintSet | null;
  private readonly _random: RandomPlan | null;

  constructor(schedule: Schedule, visited: FingerprintSet | null, random: RandomPlan | null = null) {
    this._schedule = schedule;
    this._visited = visited;
    this._random = random;
  }

  /** Index of the schedule's last deviation (-1: the default run). */
  get last(): number {
    const e = this._schedule[this._schedule.length - 1];
    return e ? e[0] : -1;
  }

  choose(min: number, max: number, dflt: number, base: number): number {
    const i = this.index++;
    if (this._visited !== null && this.core !== null && i > this.last && this.cut === Infinity) {
      const core = this.core;
      const t = core.now;
      const q = core.queue.digest(t);
      const h1 = Math.imul(this._shape ^ i, 0x85ebca6b) ^ Math.imul(t >>> 0, 0xc2b2ae35);
      const h2 = Math.imul(q ^ Math.floor(t / 0x1_0000_0000), 0x9e3779b1) ^ Math.imul(i + 0x6b43a9b5, 0x27d4eb2f) ^ this._shape;
      if (!this._visited.add(h1 ^ (h1 >>> 15), h2 ^ (h2 >>> 13))) this.cut = i;
    }
    let v = dflt;
    const e = this._schedule[this._next];
    if (e !== undefined && e[0] === i) {
      this._next++;
      v = e[1] < min ? min : e[1] > max ? max : e[1];
    } else if (this._random !== null && this._random.prng.nextU32() / 0x1_0000_0000 < this._random.probability) {
      const r = this._random.prng.nextU32() % 3;
      v = r === 0 ? min : r === 1 ? max : this._random.prng.range(min, max);
      if (v !== dflt) this.taken.push([i, v]);
    }
    this.mins.push(min);
    this.maxs.push(max);
    this.bases.push(base);
    this.values.push(v);
    this.dflts.push(dflt);
    return v;
  }

  /**
   * One traced event: folded into the shape by what happened and in what order, not when
   * (kind, line and arguments, as the ring stores them: kind a byte, line 16 bits, the rest
   * 32), and its time kept when it is a new one. The constructor traces before the explorer
   * holds the machine's core; the clock stands at zero until the first event runs.
   */
  traced(_seq: number, kind: number, line: number, a: number, b: number, c: number): void {
    let h = this._shape;
    h = Math.imul(h ^ (((kind & 0xff) << 16) | (line & 0xffff)), 0x01000193);
    h = Math.imul(h ^ a, 0x5bd1e995);
    h = Math.imul(h ^ b, 0x01000193);
    h = Math.imul(h ^ c, 0x5bd1e995);
    this._shape = h ^ (h >>> 15);
    const t = this.core === null ? 0 : this.core.now;
    const times = this.times;
    if (times.length === 0 || (times[times.length - 1] as number) < t) times.push(t);
  }

  /**
   * The values worth trying at choice `j` of this run, one per order class.
   * The times at which this run traced something split the choice's range into
   * intervals: a value anywhere inside one interval puts the drawn event in the
   * same place among the others, so one value stands for the interval (the low
   * end of the range for the first, the high end for the last, just after the
   * boundary for the others). The interval of the value this run took is left
   * out: the run itself stands for it. At most `cap` values (evenly thinned).
   */
  candidates(j: number, cap: number): number[] {
    const lo = this.mins[j] as number;
    const hi = this.maxs[j] as number;
    const b = this.bases[j] as number;
    const taken = this.values[j] as number;
    const times = this.times;
    // First traced time strictly after b + lo.
    let a = 0;
    let z = times.length;
    while (a < z) {
      const mid = (a + z) >> 1;
      if ((times[mid] as number) <= b + lo) a = mid + 1;
      else z = mid;
    }
    // Boundaries d in (lo, hi]: a value below d runs the drawn event before the thing
    // traced at b + d, a value from d on after it (one value, d + 1, stands for that side).
    const reps: number[] = [lo];
    let takenRep = lo;
    for (let k = a; k < times.length; k++) {
      const d = (times[k] as number) - b;
      if (d > hi) break;
      // What happened at the drawn value itself is the drawn event's own doing, not another event to pass.
      if (d === taken) continue;
      const rep = d < hi ? d + 1 : hi;
      if (d <= taken) takenRep = rep;
      reps.push(rep);
    }
    // The boundaries rise, so each rep is at least the one before: equal reps sit together. Drop the
    // repeats and the taken interval's rep in place (one array per call: this runs at every choice
    // point of every explored run, and the copies were a sixth of what a run allocated).
    let n = 0;
    for (let k = 0; k < reps.length; k++) {
      const x = reps[k] as number;
      if (x === takenRep || (n > 0 && reps[n - 1] === x)) continue;
      reps[n++] = x;
    }
    if (cap > 0 && n > cap) {
      // Evenly thinned, in place: slot k takes entry floor(k * step), never one already overwritten.
      const step = n / cap;
      for (let k = 0; k < cap; k++) reps[k] = reps[Math.floor(k * step)] as number;
      n = cap;
    }
    reps.length = n;
    return reps;
  }
}
