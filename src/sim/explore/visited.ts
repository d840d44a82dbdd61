/**
 * The explorer's set of machine-state fingerprints: open addressing over one
 * Float64Array, a 53-bit key per slot, at most half full. It starts small and
 * doubles as states arrive, up to the slots its limit needs (about 16.8 bytes
 * per state it may hold), so a search that meets a few hundred states does not
 * pay for zeroing megabytes, and the largest search's memory is still fixed by
 * the limit. When it is full it stops taking new states: pruning then stops,
 * the search stays correct, only slower.
 *
 * A key's home slot is the top bits of one 32-bit spread of the key, as many
 * bits as the table has: doubling the table sends the key home from slot i
 * to slot 2i or 2i + 1. So growing walks the old slots in order and writes
 * the new ones in (nearly) the same order, instead of scattering a quarter of
 * a million writes over megabytes: in the app's pool this growth runs on the
 * page's thread beside the workers, and scattered it cost the page more time
 * than the rest of the merge put together (about 115 ms of a 20,000-schedule
 * search, against 20 ms in order).
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

  constructor(maxStates: number) {
    this.limit = Math.max(1, Math.floor(maxStates));
    this._maxSlots = slotsFor(this.limit);
    this._slots = new Float64Array(Math.min(this._maxSlots, FIRST_SLOTS));
    this._mask = this._slots.length - 1;
    this._shift = shiftFor(this._slots.length);
    this._growAt = this._slots.length >>> 1;
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
      this._grow();
      i = spread(h1, low) >>> this._shift;
      while (this._slots[i] !== 0) i = (i + 1) & this._mask;
    }
    this._slots[i] = key;
    this.size++;
    return true;
  }

  /** Doubles the slots and puts every key back, in slot order (see the class comment). */
  private _grow(): void {
    const old = this._slots;
    const slots = new Float64Array(old.length * 2);
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
    this._slots = slots;
    this._mask = mask;
    this._shift = shift;
    this._growAt = slots.length >>> 1;
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
