import type { TraceEvent } from '../trace/trace';

/**
 * The cause tracker's memory, built for its hot path: it follows every traced
 * event, so nothing here allocates per event or churns a Map. Three shapes:
 *
 * - SeqTable: a bounded map from trace seq to one or two numbers (and, where a
 *   value is an object, a slot for it) that keeps the `capacity` keys most
 *   recently added, dropping the oldest first: exactly what a Map trimmed from
 *   its oldest entry keeps (re-setting a key updates it in place, as Map.set
 *   does), in typed arrays with a chained hash.
 * - EventRing: copies of recent trace events by seq in parallel typed arrays,
 *   read back as TraceEvent objects only when a cause is decided.
 * - LineFifos: a small FIFO of seqs per line, in one typed array.
 */

/** No key, no value: seqs and the values kept are never negative. */
const NONE = -1;

export class SeqTable<O = never> {
  readonly capacity: number;
  /** Entries allocated so far: the arrays start small and double up to `capacity` (a short run stays cheap to build). */
  private _room = 0;
  /** Entry index -> key, in insertion order around a ring starting at `_head`. */
  private _keys!: Float64Array;
  /** Hash bucket -> first entry index in its chain, or NONE. */
  private _buckets!: Int32Array;
  /** Entry index -> next entry index in the same bucket, or NONE. */
  private _next!: Int32Array;
  /** 32 - log2(bucket count): the hash takes the top bits of the product. */
  private _shift = 0;
  private _v0!: Float64Array;
  private _v1!: Float64Array;
  private _v2!: Float64Array;
  /** 1 where an entry was deleted: its ring slot stays until it is the oldest. */
  private _dead!: Uint8Array;
  private _obj!: (O | undefined)[];
  private _head = 0;
  /** Ring slots in use, dead ones included. */
  private _slots = 0;
  private _size = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this._alloc(Math.min(capacity, INITIAL_ROOM));
  }

  private _alloc(room: number): void {
    this._room = room;
    let bits = 1;
    while (1 << bits < room * 2) bits++;
    this._shift = 32 - bits;
    this._buckets = new Int32Array(1 << bits).fill(NONE);
    this._keys = new Float64Array(room);
    this._next = new Int32Array(room).fill(NONE);
    this._v0 = new Float64Array(room);
    this._v1 = new Float64Array(room);
    this._v2 = new Float64Array(room);
    this._dead = new Uint8Array(room);
    this._obj = new Array<O | undefined>(room);
  }

  /** Doubles the room, keeping the live entries in their order (deleted ones are dropped). */
  private _grow(): void {
    const { _keys: keys, _v0: v0, _v1: v1, _v2: v2, _dead: dead, _obj: obj, _room: room, _head: head, _slots: slots } = this;
    this._alloc(Math.min(this.capacity, room * 2));
    this._head = 0;
    this._slots = 0;
    this._size = 0;
    for (let k = 0; k < slots; k++) {
      const e = (head + k) % room;
      if (dead[e] === 1) continue;
      const n = this._entry(keys[e] as number);
      this._v0[n] = v0[e] as number;
      this._v1[n] = v1[e] as number;
      this._v2[n] = v2[e] as number;
      this._obj[n] = obj[e];
    }
  }

  get size(): number {
    return this._size;
  }

  private _bucket(key: number): number {
    // Fibonacci hashing of the low 32 bits: the top bits of the product spread evenly even when the
    // keys come at a fixed stride (seqs of one kind often do; the low bits of the product would not).
    return Math.imul(key | 0, 0x9e3779b1) >>> this._shift;
  }

  /** The entry index holding `key`, or NONE. */
  private _find(key: number): number {
    for (let e = this._buckets[this._bucket(key)] as number; e !== NONE; e = this._next[e] as number) {
      if (this._keys[e] === key) return e;
    }
    return NONE;
  }

  has(key: number): boolean {
    return key >= 0 && this._find(key) !== NONE;
  }

  /** The first number kept with `key`, or `dflt` when the key is not held. */
  get(key: number, dflt: number): number {
    const e = key >= 0 ? this._find(key) : NONE;
    return e === NONE ? dflt : (this._v0[e] as number);
  }

  /** The second number kept with `key`, or `dflt`. */
  get1(key: number, dflt: number): number {
    const e = key >= 0 ? this._find(key) : NONE;
    return e === NONE ? dflt : (this._v1[e] as number);
  }

  /** The third number kept with `key`, or `dflt`. */
  get2(key: number, dflt: number): number {
    const e = key >= 0 ? this._find(key) : NONE;
    return e === NONE ? dflt : (this._v2[e] as number);
  }

  getObj(key: number): O | undefined {
    const e = key >= 0 ? this._find(key) : NONE;
    return e === NONE ? undefined : this._obj[e];
  }

  set(key: number, v0: number, v1 = 0, v2 = 0): void {
    const e = this._entry(key);
    this._v0[e] = v0;
    this._v1[e] = v1;
    this._v2[e] = v2;
  }

  /**
   * Forgets `key`; a later set adds it as the newest. Its slot counts toward the capacity until it is
   * the oldest, so deleting only keeps the Map's semantics when the key is set again at once (SeqLog
   * deletes a stale copy of a key just before adding it anew).
   */
  delete(key: number): void {
    const e = key >= 0 ? this._find(key) : NONE;
    if (e === NONE) return;
    this._unlink(e);
    this._dead[e] = 1;
    this._obj[e] = undefined;
    this._size--;
  }

  setObj(key: number, o: O): void {
    this._obj[this._entry(key)] = o;
  }

  /** The entry for `key`: the one holding it, or a new one (the oldest dropped when full). */
  private _entry(key: number): number {
    const found = this._find(key);
    if (found !== NONE) return found;
    if (this._slots === this._room) {
      if (this._room < this.capacity) this._grow();
      else this._dropOldest();
    }
    let e = this._head + this._slots;
    if (e >= this._room) e -= this._room;
    this._slots++;
    this._size++;
    this._dead[e] = 0;
    const b = this._bucket(key);
    this._keys[e] = key;
    this._next[e] = this._buckets[b] as number;
    this._buckets[b] = e;
    return e;
  }

  private _dropOldest(): void {
    const e = this._head;
    if (this._dead[e] === 0) {
      this._unlink(e);
      this._obj[e] = undefined;
      this._size--;
    }
    this._head = e + 1 === this._room ? 0 : e + 1;
    this._slots--;
  }

  /** Takes entry `e` out of its bucket's chain. */
  private _unlink(e: number): void {
    const next = this._next[e] as number;
    const b = this._bucket(this._keys[e] as number);
    let p = this._buckets[b] as number;
    if (p === e) this._buckets[b] = next;
    else {
      while (this._next[p] !== e) p = this._next[p] as number;
      this._next[p] = next;
    }
  }
}

/**
 * The same keep-the-`capacity`-newest-keys map as SeqTable, built for keys
 * that mostly come in rising order (the tracker's keys are trace seqs, most of
 * them the seq being traced right now): a key above every key so far is
 * appended to a sorted ring (sequential writes, no hashing), a key below goes
 * to a SeqTable on the side, and lookups binary-search the ring. Each key
 * gets the ordinal of its first insertion; a key is held while it is among the
 * `capacity` newest ordinals (exactly the keys the trimmed Map keeps), so
 * nothing has to be removed when a key falls out: it just stops counting.
 */
export class SeqLog<O = never> {
  readonly capacity: number;
  /** Keys added so far: the next key's ordinal. */
  private _count = 0;
  /** Ring entries allocated so far (doubling up to `capacity`). */
  private _room = 0;
  private _key!: Float64Array;
  private _ord!: Float64Array;
  private _v0!: Float64Array;
  private _v1!: Float64Array;
  private _obj!: (O | undefined)[];
  private _head = 0;
  private _len = 0;
  private _last = -Infinity;
  /** Keys that came below the ring's last key: values and ordinal (v2). */
  private readonly _side: SeqTable<O>;

  constructor(capacity: number) {
    this.capacity = capacity;
    this._alloc(Math.min(capacity, INITIAL_ROOM));
    this._side = new SeqTable<O>(capacity);
  }

  private _alloc(room: number): void {
    this._room = room;
    this._key = new Float64Array(room);
    this._ord = new Float64Array(room);
    this._v0 = new Float64Array(room);
    this._v1 = new Float64Array(room);
    this._obj = new Array<O | undefined>(room);
  }

  /** Doubles the ring's room (it is full), its entries in order from slot 0. */
  private _grow(): void {
    const { _key: key, _ord: ord, _v0: v0, _v1: v1, _obj: obj, _room: room, _head: head } = this;
    this._alloc(Math.min(this.capacity, room * 2));
    for (let k = 0; k < room; k++) {
      const e = (head + k) % room;
      this._key[k] = key[e] as number;
      this._ord[k] = ord[e] as number;
      this._v0[k] = v0[e] as number;
      this._v1[k] = v1[e] as number;
      this._obj[k] = obj[e];
    }
    this._head = 0;
  }

  /** Keys held (the trimmed Map's size). */
  get size(): number {
    return Math.min(this._count, this.capacity);
  }

  private _live(ord: number): boolean {
    return ord >= this._count - this.capacity;
  }

  /** The ring slot holding `key` while it is held, or NONE. */
  private _ring(key: number): number {
    if (this._len === 0 || key > this._last) return NONE;
    let lo = 0;
    let hi = this._len - 1;
    const cap = this._room;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const i = (this._head + mid) % cap;
      const k = this._key[i] as number;
      if (k === key) return this._live(this._ord[i] as number) ? i : NONE;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return NONE;
  }

  /** Whether `key` is held on the side. */
  private _onSide(key: number): boolean {
    const ord = this._side.get2(key, NONE);
    return ord !== NONE && this._live(ord);
  }

  has(key: number): boolean {
    return key >= 0 && (this._ring(key) !== NONE || this._onSide(key));
  }

  get(key: number, dflt: number): number {
    if (key < 0) return dflt;
    const i = this._ring(key);
    if (i !== NONE) return this._v0[i] as number;
    return this._onSide(key) ? this._side.get(key, dflt) : dflt;
  }

  get1(key: number, dflt: number): number {
    if (key < 0) return dflt;
    const i = this._ring(key);
    if (i !== NONE) return this._v1[i] as number;
    return this._onSide(key) ? this._side.get1(key, dflt) : dflt;
  }

  getObj(key: number): O | undefined {
    if (key < 0) return undefined;
    const i = this._ring(key);
    if (i !== NONE) return this._obj[i];
    return this._onSide(key) ? this._side.getObj(key) : undefined;
  }

  set(key: number, v0: number, v1 = 0): void {
    this._put(key, v0, v1, undefined, false);
  }

  setObj(key: number, o: O): void {
    this._put(key, 0, 0, o, true);
  }

  private _put(key: number, v0: number, v1: number, o: O | undefined, isObj: boolean): void {
    if (key > this._last) {
      // The common case: a new highest key (it cannot be on the side: those are all below the last).
      if (this._len === this._room && this._room < this.capacity) this._grow();
      const cap = this._room;
      // The ring's oldest entry, if the ring is full, is at least `capacity` ordinals old: no longer held.
      if (this._len === cap) this._head = (this._head + 1) % cap;
      else this._len++;
      const i = (this._head + this._len - 1) % cap;
      this._key[i] = key;
      this._ord[i] = this._count++;
      this._v0[i] = v0;
      this._v1[i] = v1;
      this._obj[i] = o;
      this._last = key;
      return;
    }
    const i = this._ring(key);
    if (i !== NONE) {
      // Held: updated in place, keeping its age (Map.set on a present key).
      if (isObj) this._obj[i] = o;
      else {
        this._v0[i] = v0;
        this._v1[i] = v1;
      }
      return;
    }
    const side = this._side;
    if (this._onSide(key)) {
      if (isObj) side.setObj(key, o as O);
      else side.set(key, v0, v1, side.get2(key, NONE));
      return;
    }
    // New (or no longer held): the newest key, on the side. A stale copy there is dropped first so it
    // takes the side's newest slot (the side's oldest slots are then always older than `capacity` keys).
    side.delete(key);
    side.set(key, v0, v1, this._count++);
    if (isObj) side.setObj(key, o as O);
  }
}

/**
 * Copies of recent trace events by seq, oldest dropped first: seqs only grow,
 * so the slot of an old seq is simply taken by a newer one. One record is one
 * cache line (eight doubles: seq, t, kind, line, a, b, c), so copying an event
 * touches one line rather than one per field.
 */
export class EventRing {
  private readonly _max: number;
  /**
   * Records allocated so far: the ring starts small and doubles before a seq
   * reaches its end, up to `capacity`, so until then nothing is overwritten
   * (as in the full ring, which would not have wrapped yet either).
   */
  private _cap: number;
  private _f: Float64Array;

  constructor(capacity: number) {
    this._max = capacity;
    this._cap = Math.min(capacity, INITIAL_ROOM);
    this._f = EventRing._records(this._cap);
  }

  private static _records(n: number): Float64Array {
    const f = new Float64Array(n * RECORD);
    for (let i = 0; i < n; i++) f[i * RECORD] = NONE;
    return f;
  }

  set(seq: number, t: number, kind: number, line: number, a: number, b: number, c: number): void {
    if (seq >= this._cap && this._cap < this._max) {
      // Every seq held is below the old room, so each keeps its slot in the larger ring.
      let cap = this._cap;
      while (cap <= seq && cap < this._max) cap *= 2;
      const f = EventRing._records(Math.min(cap, this._max));
      f.set(this._f);
      this._f = f;
      this._cap = Math.min(cap, this._max);
    }
    const f = this._f;
    const o = (seq % this._cap) * RECORD;
    f[o] = seq;
    f[o + 1] = t;
    f[o + 2] = kind;
    f[o + 3] = line;
    f[o + 4] = a;
    f[o + 5] = b;
    f[o + 6] = c;
  }

  has(seq: number): boolean {
    return seq >= 0 && this._f[(seq % this._cap) * RECORD] === seq;
  }

  /** Whether the copy at `seq` is held and is an event of `kind` on `line` (no allocation). */
  is(seq: number, kind: number, line: number): boolean {
    if (!this.has(seq)) return false;
    const o = (seq % this._cap) * RECORD;
    return this._f[o + 2] === kind && this._f[o + 3] === line;
  }

  /** A fresh copy of the event at `seq`, or undefined when it is no longer held. */
  get(seq: number): TraceEvent | undefined {
    return this.has(seq) ? decode(this._f, (seq % this._cap) * RECORD) : undefined;
  }

  /** Copies the record of `seq` into `dst` at `o`; false (and nothing copied) when it is not held. */
  copyInto(seq: number, dst: Float64Array, o: number): boolean {
    if (!this.has(seq)) return false;
    const from = (seq % this._cap) * RECORD;
    dst.set(this._f.subarray(from, from + RECORD), o);
    return true;
  }
}

function decode(f: Float64Array, o: number): TraceEvent {
  return { seq: f[o] as number, t: f[o + 1] as number, kind: f[o + 2] as number, line: f[o + 3] as number, a: f[o + 4] as number, b: f[o + 5] as number, c: f[o + 6] as number };
}

/**
 * Copies kept however old, one per (slot, line): the event each of the
 * tracker's per-line "last SET_IRQ_TYPE, type change, refusal..." slots names,
 * taken from the ring when the slot is set (so pinning allocates nothing).
 */
export class PinnedCopies {
  private readonly _lines: number;
  private readonly _f: Float64Array;

  constructor(slots: number, lines: number) {
    this._lines = lines;
    this._f = new Float64Array(slots * lines * RECORD);
    for (let i = 0; i < slots * lines; i++) this._f[i * RECORD] = NONE;
  }

  /** (slot, line) now names `seq`: keeps the ring's copy of it, or nothing when the ring does not hold it. */
  pin(slot: number, line: number, seq: number, ring: EventRing): void {
    const o = (slot * this._lines + line) * RECORD;
    if (!ring.copyInto(seq, this._f, o)) this._f[o] = NONE;
  }

  /** A fresh copy of the event (slot, line) keeps, if it is the one at `seq`. */
  get(slot: number, line: number, seq: number): TraceEvent | undefined {
    const o = (slot * this._lines + line) * RECORD;
    return seq >= 0 && this._f[o] === seq ? decode(this._f, o) : undefined;
  }
}

/** Doubles per EventRing record (seven fields, padded to a 64-byte line). */
const RECORD = 8;
/** Entries the growing tables and rings start with. */
const INITIAL_ROOM = 64;

/** Per line, the newest `depth` seqs pushed, oldest first. */
export class LineFifos {
  private readonly _depth: number;
  private readonly _seqs: Float64Array;
  private readonly _head: Int32Array;
  private readonly _len: Int32Array;

  constructor(lines: number, depth: number) {
    this._depth = depth;
    this._seqs = new Float64Array(lines * depth);
    this._head = new Int32Array(lines);
    this._len = new Int32Array(lines);
  }

  length(line: number): number {
    return this._len[line] as number;
  }

  /** Appends `seq`; when the line already holds `depth` seqs, the oldest goes. */
  push(line: number, seq: number): void {
    const d = this._depth;
    const len = this._len[line] as number;
    if (len === d) this.shift(line);
    const n = this._len[line] as number;
    this._seqs[line * d + (((this._head[line] as number) + n) % d)] = seq;
    this._len[line] = n + 1;
  }

  /** Removes and returns the oldest seq, or -1 when empty. */
  shift(line: number): number {
    const len = this._len[line] as number;
    if (len === 0) return NONE;
    const d = this._depth;
    const h = this._head[line] as number;
    const seq = this._seqs[line * d + h] as number;
    this._head[line] = (h + 1) % d;
    this._len[line] = len - 1;
    return seq;
  }

  /** The newest seq, or -1 when empty. */
  last(line: number): number {
    const len = this._len[line] as number;
    if (len === 0) return NONE;
    const d = this._depth;
    return this._seqs[line * d + (((this._head[line] as number) + len - 1) % d)] as number;
  }

  /** Drops the oldest seqs until at most `n` remain. */
  trim(line: number, n: number): void {
    while ((this._len[line] as number) > n) this.shift(line);
  }
}
