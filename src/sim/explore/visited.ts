/**
 * The explorer's set of machine-state fingerprints: open addressing over one
 * Float64Array, a 53-bit key per slot, at most half full. It starts small and
 * doubles as states arrive, up to the slots its limit needs (about 16.8 bytes
 * per state it may hold), so a search that meets a few hundred states does not
 * pay for zeroing megabytes, and the largest search's memory is still fixed by
 * the limit. When it is full it stops taking new states: pruning then stops,
 * the search stays correct, only slower.
 */
export class FingerprintSet {
  private _slots: Float64Array;
  private _mask: number;
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
    const key = (h1 >>> 0) * 0x20_0000 + (h2 & 0x1f_ffff) + 1;
    let i = slotOf(h1, h2) & this._mask;
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
      i = slotOf(h1, h2) & this._mask;
      while (this._slots[i] !== 0) i = (i + 1) & this._mask;
    }
    this._slots[i] = key;
    this.size++;
    return true;
  }

  /** Doubles the slots and puts every key back (its slot is recomputed from the key itself). */
  private _grow(): void {
    const old = this._slots;
    this._slots = new Float64Array(old.length * 2);
    this._mask = this._slots.length - 1;
    this._growAt = this._slots.length >>> 1;
    for (let j = 0; j < old.length; j++) {
      const key = old[j] as number;
      if (key === 0) continue;
      const h1 = Math.floor((key - 1) / 0x20_0000);
      const h2 = (key - 1) % 0x20_0000;
      let i = slotOf(h1, h2) & this._mask;
      while (this._slots[i] !== 0) i = (i + 1) & this._mask;
      this._slots[i] = key;
    }
  }
}

/** The slot a fingerprint starts probing from: only the bits the key keeps, so a grown set can recompute it. */
function slotOf(h1: number, h2: number): number {
  return (h2 & 0x1f_ffff) ^ Math.imul(h1, 0x9e3779b1);
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
