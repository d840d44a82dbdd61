import { EVENTQ, TK, categoryOf, type TraceCategory, type TraceColumns, type TraceEvent } from '../sim/index';
import { Grow } from './grow';

/** Things the waveform marks on a line's lane. */
export const Marker = {
  /** A qualifying edge or level the device acted on; `arg` = delivery result (0 delivered, 1 coalesced, 2 masked). */
  DeviceEvent: 1,
  /** The device returned the eventq buffer; `arg` = status (1 VALID, 0 INVALID). */
  BufferReturned: 2,
  /** The driver re-queued the buffer (unmask / end of interrupt). */
  Requeue: 3,
  HandlerStart: 4,
  HandlerEnd: 5,
  /** An oracle label; `arg` = 0 delivered, 1 coalesced, 2 spurious, 3 lost. */
  Oracle: 6,
  /** A spec rule was broken on this line. */
  Violation: 7,
} as const;

/** One lane: level changes and markers, in time order. */
export class LaneIndex {
  readonly levelT = new Grow((n) => new Float64Array(n));
  readonly levelV = new Grow((n) => new Uint8Array(n));
  readonly markT = new Grow((n) => new Float64Array(n));
  readonly markKind = new Grow((n) => new Uint8Array(n));
  readonly markArg = new Grow((n) => new Int32Array(n));
  readonly markSeq = new Grow((n) => new Float64Array(n));
  /** The level before the first change held (the run's initial level, or the level where older history was dropped). */
  initial = 0;

  /** Level changes and markers held. */
  get entries(): number {
    return this.levelT.length + this.markT.length;
  }

  /** How many entries are older than t. */
  entriesBefore(t: number): number {
    return LaneIndex.lowerBound(this.levelT, t) + LaneIndex.lowerBound(this.markT, t);
  }

  /** Forgets everything before t; the level just before t becomes the initial one. */
  dropBefore(t: number): void {
    const nl = LaneIndex.lowerBound(this.levelT, t);
    if (nl > 0) this.initial = this.levelV.data[nl - 1] as number;
    this.levelT.dropFront(nl);
    this.levelV.dropFront(nl);
    const nm = LaneIndex.lowerBound(this.markT, t);
    this.markT.dropFront(nm);
    this.markKind.dropFront(nm);
    this.markArg.dropFront(nm);
    this.markSeq.dropFront(nm);
  }

  /**
   * Forgets the oldest `levels` level changes and `marks` markers, whatever
   * their times (the count bound: history all at one instant cannot be cut by
   * time). The level before the cut becomes the initial one. Returns the time
   * of the oldest entry kept (Infinity when none is).
   */
  dropFirst(levels: number, marks: number): number {
    const nl = Math.min(levels, this.levelT.length);
    if (nl > 0) this.initial = this.levelV.data[nl - 1] as number;
    this.levelT.dropFront(nl);
    this.levelV.dropFront(nl);
    const nm = Math.min(marks, this.markT.length);
    this.markT.dropFront(nm);
    this.markKind.dropFront(nm);
    this.markArg.dropFront(nm);
    this.markSeq.dropFront(nm);
    const a = this.levelT.length > 0 ? (this.levelT.data[0] as number) : Infinity;
    const b = this.markT.length > 0 ? (this.markT.data[0] as number) : Infinity;
    return Math.min(a, b);
  }

  /** Level at time t (binary search over the changes). */
  levelAt(t: number): number {
    const T = this.levelT.data;
    let lo = 0;
    let hi = this.levelT.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((T[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? this.initial : (this.levelV.data[lo - 1] as number);
  }

  /** First index in a sorted time column with time >= t. */
  static lowerBound(col: Grow<Float64Array>, t: number): number {
    const T = col.data;
    let lo = 0;
    let hi = col.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((T[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Every trace event the worker has sent, in columns (a ring once `capacity` is
 * passed), plus the indexes the panels need: per-line lanes for the waveform
 * and a filtered list of event numbers for the trace list. Appending costs a
 * few array writes per event; nothing here touches React.
 */
export class TraceStore {
  readonly capacity: number;
  private _t: Float64Array;
  private _kind: Uint8Array;
  private _line: Int16Array;
  private _a: Int32Array;
  private _b: Int32Array;
  private _c: Int32Array;
  /** Seq of the next event to arrive; all held events have seq in [firstSeq, total). */
  total = 0;
  lanes: LaneIndex[] = [];
  /**
   * The lanes keep the whole run's edges and markers even after the ring has
   * forgotten the events (a calm run stays complete for hours), but only up to
   * a budget of entries: past it, the older half of their history is dropped,
   * by time when the times allow, else by count (a storm of changes at one
   * simulated instant: time stands still, so a cut by time would drop
   * nothing). `lanesSince` is where what they hold begins (0: the whole run);
   * `lanesDropped` counts the entries dropped so far, for the announcement.
   */
  lanesSince = 0;
  lanesDropped = 0;
  /** Bumped whenever lane history was dropped (indexes built on the lanes must be rebuilt). */
  lanesVersion = 0;
  private readonly _laneBudget: number;
  private _laneEntries = 0;

  /** Trace-list filter, and the seqs that pass it (oldest first). */
  private _hidden = new Set<TraceCategory>();
  private _lineFilter: number | null = null;
  readonly filtered = new Grow((n) => new Float64Array(n), 4096);
  /** Bumped whenever `filtered` was rebuilt rather than appended to. */
  filterVersion = 0;

  constructor(capacity = 2_000_000, laneBudget = 1_000_000) {
    this.capacity = capacity;
    this._laneBudget = laneBudget;
    this._t = new Float64Array(capacity);
    this._kind = new Uint8Array(capacity);
    this._line = new Int16Array(capacity);
    this._a = new Int32Array(capacity);
    this._b = new Int32Array(capacity);
    this._c = new Int32Array(capacity);
  }

  get firstSeq(): number {
    return Math.max(0, this.total - this.capacity);
  }

  /** Starts over for a new run with `ngpio` lines at these initial levels. */
  reset(initialLevels: readonly number[]): void {
    this.total = 0;
    this.lanes = initialLevels.map((lvl) => {
      const lane = new LaneIndex();
      lane.initial = lvl;
      return lane;
    });
    this.lanesSince = 0;
    this.lanesDropped = 0;
    this._laneEntries = 0;
    this.lanesVersion++;
    this.filtered.clear();
    this.filterVersion++;
  }

  append(cols: TraceColumns): void {
    const n = cols.t.length;
    // Events may be re-sent after a gap; keep the stream continuous.
    const skip = Math.max(0, this.total - cols.firstSeq);
    for (let k = skip; k < n; k++) {
      const seq = cols.firstSeq + k;
      const i = seq % this.capacity;
      const t = cols.t[k] as number;
      const kind = cols.kind[k] as number;
      const line = cols.line[k] as number;
      const a = cols.a[k] as number;
      this._t[i] = t;
      this._kind[i] = kind;
      this._line[i] = line;
      this._a[i] = a;
      this._b[i] = cols.b[k] as number;
      this._c[i] = cols.c[k] as number;
      this.total = seq + 1;
      this._index(seq, t, kind, line, a, cols.b[k] as number, cols.c[k] as number);
      if (this._passes(kind, line)) this.filtered.push(seq);
    }
    this._dropForgotten();
    if (this._laneEntries > this._laneBudget) this._trimLanes();
  }

  /** Drops the lanes' history before the time that halves what they hold. */
  private _trimLanes(): void {
    const lanes = this.lanes;
    const target = this._laneEntries / 2;
    const before = (t: number): number => {
      let n = 0;
      for (const l of lanes) n += l.entriesBefore(t);
      return n;
    };
    // The held times are sorted per lane, so entries before t grow with t: bisect for the cut.
    let lo = this.lanesSince;
    let hi = this.timeOf(this.total - 1);
    for (let i = 0; i < 64 && hi - lo > 1; i++) {
      const mid = Math.floor((lo + hi) / 2);
      if (before(mid) < target) lo = mid;
      else hi = mid;
    }
    let held = 0;
    for (const l of lanes) {
      l.dropBefore(hi);
      held += l.entries;
    }
    this.lanesSince = Math.max(this.lanesSince, hi);
    if (held > this._laneBudget * 0.75) {
      // The cut by time could not make room (too much history at the newest instants): drop by count,
      // the older half of every lane's entries, and say from when what is held is complete.
      held = 0;
      for (const l of lanes) {
        const kept = l.dropFirst(Math.ceil(l.levelT.length / 2), Math.ceil(l.markT.length / 2));
        if (kept !== Infinity) this.lanesSince = Math.max(this.lanesSince, kept);
        held += l.entries;
      }
    }
    this.lanesDropped += this._laneEntries - held;
    this._laneEntries = held;
    this.lanesVersion++;
  }

  /**
   * Once the ring has wrapped, the oldest filtered entries name events it no
   * longer holds. Drop them in bulk (rarely: when a quarter of the ring is
   * stale), so the list never shows forgotten rows and the index stays bounded.
   */
  private _dropForgotten(): void {
    const F = this.filtered;
    const first = this.firstSeq;
    if (F.length === 0 || (F.data[0] as number) >= first - this.capacity / 4) return;
    let keep = 0;
    while (keep < F.length && (F.data[keep] as number) < first) keep++;
    F.dropFront(keep);
    this.filterVersion++;
  }

  get(seq: number): TraceEvent | null {
    if (seq < this.firstSeq || seq >= this.total) return null;
    const i = seq % this.capacity;
    return {
      seq,
      t: this._t[i] as number,
      kind: this._kind[i] as number,
      line: this._line[i] as number,
      a: this._a[i] as number,
      b: this._b[i] as number,
      c: this._c[i] as number,
    };
  }

  /** Time of an event, or NaN if it is no longer held. */
  timeOf(seq: number): number {
    return seq >= this.firstSeq && seq < this.total ? (this._t[seq % this.capacity] as number) : NaN;
  }

  // ---- filtering (the trace list) -------------------------------------------------

  setFilter(hidden: ReadonlySet<TraceCategory>, line: number | null): void {
    this._hidden = new Set(hidden);
    this._lineFilter = line;
    this.filtered.clear();
    for (let s = this.firstSeq; s < this.total; s++) {
      const i = s % this.capacity;
      if (this._passes(this._kind[i] as number, this._line[i] as number)) this.filtered.push(s);
    }
    this.filterVersion++;
  }

  /** Index in `filtered` of the first event at or after time t. */
  filteredIndexAt(t: number): number {
    const F = this.filtered.data;
    let lo = 0;
    let hi = this.filtered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timeOf(F[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private _passes(kind: number, line: number): boolean {
    if (this._hidden.has(categoryOf(kind))) return false;
    return this._lineFilter === null || line === this._lineFilter;
  }

  // ---- waveform lanes -------------------------------------------------------------

  private _index(seq: number, t: number, kind: number, line: number, a: number, _b: number, c: number): void {
    const lane = this.lanes[line];
    if (!lane) return;
    switch (kind) {
      case TK.LineLevel:
        lane.levelT.push(t);
        lane.levelV.push(a);
        this._laneEntries++;
        return;
      case TK.DevIrqEvent:
        return this._mark(lane, seq, t, Marker.DeviceEvent, a);
      case TK.EvqReturn:
        return this._mark(lane, seq, t, Marker.BufferReturned, a);
      case TK.RingAdd:
        if (a === EVENTQ) this._mark(lane, seq, t, Marker.Requeue, 0);
        return;
      case TK.HandlerStart:
        return this._mark(lane, seq, t, Marker.HandlerStart, c);
      case TK.HandlerEnd:
        return this._mark(lane, seq, t, Marker.HandlerEnd, c);
      case TK.OracleLabel:
        return this._mark(lane, seq, t, Marker.Oracle, a);
      case TK.Violation:
        return this._mark(lane, seq, t, Marker.Violation, a);
    }
  }

  private _mark(lane: LaneIndex, seq: number, t: number, kind: number, arg: number): void {
    lane.markT.push(t);
    lane.markKind.push(kind);
    lane.markArg.push(arg);
    lane.markSeq.push(seq);
    this._laneEntries++;
  }
}
