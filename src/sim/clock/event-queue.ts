import { TypedBlock, type TableSource } from '../typed-block';

/**
 * The single ordered event queue of the simulation: a binary min-heap keyed by
 * (time, insertion sequence), stored as parallel typed arrays so scheduling an
 * event allocates nothing. An event is a kind plus three integer arguments; the
 * machine dispatches on the kind with a switch, so there are no per-event closures.
 * Cancellation is done by the owner with generation numbers in the arguments.
 */
export class EventQueue {
  private _time: Float64Array;
  private _seq: Float64Array;
  private _kind: Uint8Array;
  private _a: Int32Array;
  private _b: Int32Array;
  private _c: Int32Array;
  private _size = 0;
  private _nextSeq = 0;

  /** Fields of the event most recently taken by pop(). */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;
  c = 0;

  /** `tables`: where the arrays get their bytes (the explorer's reused buffers); they grow into new ones if a run needs more. */
  constructor(initialCapacity = 1024, tables: TableSource | null = null) {
    const b = new TypedBlock(initialCapacity, 6, tables);
    this._time = b.f64();
    this._seq = b.f64();
    this._kind = b.u8();
    this._a = b.i32();
    this._b = b.i32();
    this._c = b.i32();
  }

  get size(): number {
    return this._size;
  }

  /** Time of the earliest event, or Infinity when empty. */
  peekTime(): number {
    return this._size === 0 ? Infinity : (this._time[0] as number);
  }

  push(time: number, kind: number, a = 0, b = 0, c = 0): void {
    if (this._size === this._time.length) this._grow();
    let i = this._size++;
    const seq = this._nextSeq++;
    // Sift up, moving parents down until the slot fits.
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = this._time[p] as number;
      if (pt < time || (pt === time && (this._seq[p] as number) < seq)) break;
      this._move(p, i);
      i = p;
    }
    this._time[i] = time;
    this._seq[i] = seq;
    this._kind[i] = kind;
    this._a[i] = a;
    this._b[i] = b;
    this._c[i] = c;
  }

  /** Removes the earliest event into the public fields; false when empty. */
  pop(): boolean {
    if (this._size === 0) return false;
    this.time = this._time[0] as number;
    this.kind = this._kind[0] as number;
    this.a = this._a[0] as number;
    this.b = this._b[0] as number;
    this.c = this._c[0] as number;
    const last = --this._size;
    if (last > 0) {
      const t = this._time[last] as number;
      const s = this._seq[last] as number;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= last) break;
        const r = l + 1;
        let m = l;
        if (r < last) {
          const lt = this._time[l] as number;
          const rt = this._time[r] as number;
          if (rt < lt || (rt === lt && (this._seq[r] as number) < (this._seq[l] as number))) m = r;
        }
        const mt = this._time[m] as number;
        if (t < mt || (t === mt && s < (this._seq[m] as number))) break;
        this._move(m, i);
        i = m;
      }
      this._move(last, i);
    }
    return true;
  }

  /**
   * An order-independent digest of the pending events, their times counted
   * from `now` (the heap's layout depends on insertion order; the sum does not).
   * The explorer's fingerprint of what is still to come.
   */
  digest(now: number): number {
    let sum = 0;
    for (let i = 0; i < this._size; i++) {
      let h = Math.imul(((this._time[i] as number) - now) | 0, 0x9e3779b1);
      h = Math.imul(h ^ (this._kind[i] as number), 0x85ebca6b);
      h = Math.imul(h ^ (this._a[i] as number), 0xc2b2ae35);
      h = Math.imul(h ^ (this._b[i] as number), 0x85ebca6b);
      h = Math.imul(h ^ (this._c[i] as number), 0xc2b2ae35);
      sum = (sum + (h ^ (h >>> 16))) | 0;
    }
    return sum;
  }

  clear(): void {
    this._size = 0;
  }

  private _move(from: number, to: number): void {
    this._time[to] = this._time[from] as number;
    this._seq[to] = this._seq[from] as number;
    this._kind[to] = this._kind[from] as number;
    this._a[to] = this._a[from] as number;
    this._b[to] = this._b[from] as number;
    this._c[to] = this._c[from] as number;
  }

  private _grow(): void {
    const n = this._time.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(src: T, make: (n: number) => T): T => {
      const dst = make(n);
      dst.set(src);
      return dst;
    };
    this._time = grow(this._time, (k) => new Float64Array(k));
    this._seq = grow(this._seq, (k) => new Float64Array(k));
    this._kind = grow(this._kind, (k) => new Uint8Array(k));
    this._a = grow(this._a, (k) => new Int32Array(k));
    this._b = grow(this._b, (k) => new Int32Array(k));
    this._c = grow(this._c, (k) => new Int32Array(k));
  }
}
