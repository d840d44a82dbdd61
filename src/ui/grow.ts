/**
 * A growable column of numbers: a typed array that doubles when full. The
 * trace store's filtered index and the waveform's lanes append to these once
 * per frame, so pushes must not allocate.
 */
export class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  data: T;
  length = 0;
  private readonly _make: (n: number) => T;
  constructor(make: (n: number) => T, initial = 64) {
    this._make = make;
    this.data = make(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this._make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  clear(): void {
    this.length = 0;
  }
  /** Drops the first n values, keeping the rest in order. */
  dropFront(n: number): void {
    if (n <= 0) return;
    if (n >= this.length) return this.clear();
    this.data.copyWithin(0, n, this.length);
    this.length -= n;
  }
}
