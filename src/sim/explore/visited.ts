/**
 * The explorer's set of machine-state fingerprints: open addressing over one
 * Float64Array, a 53-bit key per slot, so its memory is fixed when it is made
 * (slots a power of two, at most half full: about 16.8 bytes per state it may hold). When it is full it stops
 * taking new states: pruning then stops, the search stays correct, only slower.
 */
export class FingerprintSet {
  private readonly _slots: Float64Array;
  private readonly _mask: number;
  readonly limit: number;
  size = 0;
  /** States that arrived after the set was full (not remembered). */
  overflow = 0;

  constructor(maxStates: number) {
    this.limit = Math.max(1, Math.floor(maxStates));
    this._slots = new Float64Array(slotsFor(this.limit));
    this._mask = this._slots.length - 1;
  }

  get bytes(): number {
    return this._slots.byteLength;
  }

  /** Adds a fingerprint (two 32-bit lanes); false when it was already there. */
  add(h1: number, h2: number): boolean {
    // 32 + 21 bits: an exact integer in a double; 0 marks an empty slot.
    const key = (h1 >>> 0) * 0x20_0000 + (h2 & 0x1f_ffff) + 1;
    let i = (h2 ^ Math.imul(h1, 0x9e3779b1)) & this._mask;
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
    this._slots[i] = key;
    this.size++;
    return true;
  }
}

/** Slots for a set of `maxStates`: a power of two, at most half full. */
function slotsFor(maxStates: number): number {
  let cap = 2;
  while (cap < maxStates * 2) cap *= 2;
  return cap;
}

/** Bytes a visited set for `maxStates` allocates (fixed when it is made). */
export function visitedSetBytes(maxStates: number): number {
  return slotsFor(Math.max(1, Math.floor(maxStates))) * 8;
}
