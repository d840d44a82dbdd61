/**
 * Typed arrays of one length carved from one ArrayBuffer. V8 keeps a typed
 * array larger than 64 bytes in a backing store of its own, which costs far
 * more to make and to collect than the array object: a part that needs several
 * arrays per queue entry asks for one block instead (the explorer builds a
 * machine per schedule, and six such stores per queue showed in its profile).
 * Each array starts on an 8-byte boundary; all start zeroed.
 */
export class TypedBlock {
  private readonly _buf: ArrayBuffer;
  private _off = 0;
  readonly length: number;

  /** Room for `arrays` arrays of `length` elements of at most 8 bytes each. */
  constructor(length: number, arrays: number) {
    this.length = length;
    this._buf = new ArrayBuffer(length * 8 * arrays);
  }

  private _take(bytesPerElement: number): number {
    const at = this._off;
    this._off += Math.ceil((this.length * bytesPerElement) / 8) * 8;
    if (this._off > this._buf.byteLength) throw new RangeError('TypedBlock: more arrays taken than it was made for');
    return at;
  }

  f64(): Float64Array {
    return new Float64Array(this._buf, this._take(8), this.length);
  }
  i32(): Int32Array {
    return new Int32Array(this._buf, this._take(4), this.length);
  }
  u32(): Uint32Array {
    return new Uint32Array(this._buf, this._take(4), this.length);
  }
  u16(): Uint16Array {
    return new Uint16Array(this._buf, this._take(2), this.length);
  }
  u8(): Uint8Array {
    return new Uint8Array(this._buf, this._take(1), this.length);
  }
}
