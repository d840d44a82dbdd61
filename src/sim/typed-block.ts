/**
 * Where a part's host-side tables get their bytes. V8 keeps a typed array
 * larger than 64 bytes in a backing store of its own, which costs far more to
 * make, and to free (a background sweep), than the array object. An ordinary
 * run makes its tables once; the explorer builds a machine per schedule, and
 * in the app's pool the sweeping of those stores took a third of the workers'
 * background threads. So a search hands each machine a TableBuffers that gives
 * back the previous machine's buffers, zeroed, in the order it asked for them.
 */
export interface TableSource {
  /** A zeroed buffer of `bytes` bytes that nothing else uses while this machine lives. */
  take(bytes: number): ArrayBuffer;
}

/**
 * Buffers reused from one machine to the next: `rewind()` when a machine is
 * built, then the same sequence of `take` calls gets the same buffers back,
 * zeroed (a different size, or more calls, get new ones). Only for one machine
 * at a time: the previous machine must not run again once the next is built.
 */
export class TableBuffers implements TableSource {
  private readonly _bufs: ArrayBuffer[] = [];
  private _next = 0;

  rewind(): void {
    this._next = 0;
  }

  take(bytes: number): ArrayBuffer {
    const i = this._next++;
    const old = this._bufs[i];
    if (old !== undefined && old.byteLength === bytes) {
      new Uint8Array(old).fill(0);
      return old;
    }
    const b = new ArrayBuffer(bytes);
    this._bufs[i] = b;
    return b;
  }
}

/** A typed array of `length` elements from `source`, or a new one. */
export function f64From(source: TableSource | null, length: number): Float64Array {
  return source === null ? new Float64Array(length) : new Float64Array(source.take(length * 8));
}
export function u32From(source: TableSource | null, length: number): Uint32Array {
  return source === null ? new Uint32Array(length) : new Uint32Array(source.take(length * 4));
}

/**
 * Typed arrays of one length carved from one ArrayBuffer: a part that needs
 * several arrays per queue entry asks for one block instead of a backing store
 * per array. Each array starts on an 8-byte boundary; all start zeroed.
 */
export class TypedBlock {
  private readonly _buf: ArrayBuffer;
  private _off = 0;
  readonly length: number;

  /** Room for `arrays` arrays of `length` elements of at most 8 bytes each, from `source` (or a new buffer). */
  constructor(length: number, arrays: number, source: TableSource | null = null) {
    this.length = length;
    const bytes = length * 8 * arrays;
    this._buf = source === null ? new ArrayBuffer(bytes) : source.take(bytes);
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
