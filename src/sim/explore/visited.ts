/**
 * The explorer's set of machine-state fingerprints: open addressing over one
 * Float64Array, a 53-bit key per slot, at most half full. It starts small and
 * doubles as states arrive, up to the slots its limit needs (about 16.8 bytes
 * per state it may hold), so a search that meets a few hundred states does not
 * pay for zeroing megabytes, and the largest search's memory is still fixed by
 * the limit. When it is full it stops taking new states: pruning then stops,
 * the search stays correct, only slower.
 *
 * Growing is not free: every key is placed again, and the new table's pages
 * are fresh memory. Doubling its way to a quarter of a million states cost
 * the app's pool 60-100 ms of a 20,000-schedule search (Chromium profile), on
 * the page's thread that also feeds the workers. So the search keeps
 * `projected` up to date (the states it has met per schedule, times its
 * schedule budget), and once the set is past PROJECT_FROM slots a growth goes
 * straight to the size that projection needs (never more than the limit).
 *
 * A key's home slot is the top bits of one 32-bit spread of the key, as many
 * bits as the table has: doubling the table sends the key home from slot i to
 * slot 2i or 2i + 1, so a growth writes the new table in nearly the order it
 * reads the old one.
 */
export class FingerprintSet {
  private _slots: Float64Array;
  private _mask: number;
  /** 32 minus the table's bits: a key's home is its spread shifted right by this. */
  private _shift: number;
  /** Grow when this many keys are held (half the slots), until the slots reach `_maxSlots`. */
  private _growAt: number;
  private readonly _maxSlots: number;
  readonly limit: number;
  size = 0;
  /** States that arrived after the set was full (not remembered). */
  overflow = 0;
  /** The states the search expects to meet in all (its own projection; 0: none). */
  projected = 0;

  constructor(maxStates: number) {
    this.limit = Math.max(1, Math.floor(maxStates));
    this._maxSlots = slotsFor(this.limit);
    this._slots = new Float64Array(Math.min(this._maxSlots, FIRST_SLOTS));
    this._mask = this._slots.length - 1;
    this._shift = shiftFor(this._slots.length);
    this._growAt = this._slots.length >>> 1;
  }

  /**
   * An empty set of `maxStates` that takes over `old`'s table (zeroed, at the
   * size it grew to) when the limit allows that size; `old` must not be used
   * again. The app's pool runs search after search on the page's thread:
   * zeroing the table it has costs about a millisecond, where asking the
   * allocator for the megabytes again, and growing to them, cost the page
   * tens of milliseconds per search (fresh pages, each one faulted in).
   */
  static reusing(old: FingerprintSet | null, maxStates: number): FingerprintSet {
    const set = new FingerprintSet(maxStates);
    const table = old?._slots;
    if (table !== undefined && table.length > set._slots.length && table.length <= set._maxSlots) set._use(table.fill(0));
    return set;
  }

  /** Bytes held now. */
  get bytes(): number {
    return this._slots.byteLength;
  }

  /** Bytes the set may grow to (its bound): `visitedSetBytes(limit)`. */
  get maxBytes(): number {
    return this._maxSlots * 8;
  }

  /** Adds a fingerprint (two 32-bit lanes); false when it was already there. */
  add(h1: number, h2: number): boolean {
    // 32 + 21 bits: an exact integer in a double; 0 marks an empty slot.
    const low = h2 & 0x1f_ffff;
    const key = (h1 >>> 0) * 0x20_0000 + low + 1;
    let i = spread(h1, low) >>> this._shift;
    for (;;) {
      const k = this._slots[i] as number;
      if (k === 0) break;
      if (k === key) return false;
      i = (i + 1) & this._mask;
    }
    if (this.size >= this.limit) {
      this.overflow++;
      return true;
    }
    if (this.size >= this._growAt && this._slots.length < this._maxSlots) {
      this._grow(this._nextSlots());
      i = spread(h1, low) >>> this._shift;
      while (this._slots[i] !== 0) i = (i + 1) & this._mask;
    }
    this._slots[i] = key;
    this.size++;
    return true;
  }

  /** Double the slots, or (past PROJECT_FROM) what the search's projection needs; within the limit. */
  private _nextSlots(): number {
    const n = this._slots.length;
    const want = n >= PROJECT_FROM && this.projected > this.size ? slotsFor(Math.min(this.limit, this.projected)) : 0;
    return Math.min(this._maxSlots, Math.max(2 * n, want));
  }

  /** Makes `slots` the table (the keys already placed in it for its size). */
  private _use(slots: Float64Array): void {
    this._slots = slots;
    this._mask = slots.length - 1;
    this._shift = shiftFor(slots.length);
    this._growAt = slots.length >>> 1;
  }

  /** Moves to `size` slots and puts every key back, in slot order (see the class comment). */
  private _grow(size: number): void {
    const old = this._slots;
    const slots = new Float64Array(size);
    const mask = slots.length - 1;
    const shift = shiftFor(slots.length);
    for (let j = 0; j < old.length; j++) {
      const key = old[j] as number;
      if (key === 0) continue;
      // The lanes back from the key: a multiply by a power of two is exact, a division is slow.
      const h1 = Math.floor((key - 1) * (1 / 0x20_0000));
      const low = key - 1 - h1 * 0x20_0000;
      let i = spread(h1, low) >>> shift;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = key;
    }
    this._use(slots);
  }
}

/** A key's 32 bits of placement: only the bits the key keeps (h1 and h2's low 21), so a grown set can recompute it. */
function spread(h1: number, low: number): number {
  const x = Math.imul(h1 ^ Math.imul(low, 0x85ebca6b), 0x9e3779b1);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The right shift that leaves a spread's top log2(slots) bits (slots: a power of two). */
function shiftFor(slots: number): number {
  return Math.clz32(slots) + 1;
}

/** Slots a new set starts with (8 KiB). */
const FIRST_SLOTS = 1024;
/**
 * From this many slots (512 KiB, 32 Ki states) a growth follows the search's
 * projection: by then its states-per-schedule rate has settled, and a search
 * that stays smaller never pays for more than it met.
 */
const PROJECT_FROM = 1 << 16;

/** Slots for a set of `maxStates`: a power of two, at most half full. */
function slotsFor(maxStates: number): number {
  let cap = 2;
  while (cap < maxStates * 2) cap *= 2;
  return cap;
}

/** Bytes a visited set for `maxStates` may grow to. */
export function visitedSetBytes(maxStates: number): number {
  return slotsFor(Math.max(1, Math.floor(maxStates))) * 8;
}
