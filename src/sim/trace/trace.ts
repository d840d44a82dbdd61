import type { TableSource } from '../typed-block';
import { TK, categoryOf, TRACE_CATEGORIES, type TraceCategory } from './kinds';

/** Trace kinds are stored in a byte. */
export const KIND_CODES = 256;

/** One decoded trace record. */
export interface TraceEvent {
  seq: number;
  t: number;
  kind: number;
  line: number;
  a: number;
  b: number;
  c: number;
}

/**
 * The trace: a bounded ring of typed events in parallel typed arrays (about 23
 * bytes per event), exact counters per kind beyond the ring, and a running hash
 * over every event ever recorded, so two runs can be compared without keeping
 * either trace. Recording allocates nothing; text is produced only on demand.
 */
export class Trace {
  readonly capacity: number;
  private readonly _t: Float64Array;
  private readonly _kind: Uint8Array;
  private readonly _line: Int16Array;
  private readonly _a: Int32Array;
  private readonly _b: Int32Array;
  private readonly _c: Int32Array;
  /** Total events recorded (also the next event's seq). */
  total = 0;
  /** Exact count per kind (a kind is a u8). */
  readonly perKind: Float64Array;
  private _h1 = 0x811c9dc5;
  private _h2 = 0x9747b28c;
  /** When false nothing is stored or hashed; counters still run. */
  enabled: boolean;
  /** Byte payloads too large for the fixed fields (the names block), by seq; bounded. */
  readonly blobs = new Map<number, Uint8Array>();
  private static readonly _MAX_BLOBS = 64;

  constructor(capacity: number, enabled = true, tables: TableSource | null = null) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('trace capacity must be a positive integer');
    this.capacity = capacity;
    // A type-only import: the page's bundle, which shows traces, does not take the table code with it.
    this.perKind = tables === null ? new Float64Array(KIND_CODES) : new Float64Array(tables.take(KIND_CODES * 8));
    this._t = new Float64Array(capacity);
    this._kind = new Uint8Array(capacity);
    this._line = new Int16Array(capacity);
    this._a = new Int32Array(capacity);
    this._b = new Int32Array(capacity);
    this._c = new Int32Array(capacity);
    this.enabled = enabled;
  }

  /** Records one event; returns its seq (or -1 when tracing is off). */
  emit(t: number, kind: number, line: number, a: number, b: number, c: number): number {
    this.perKind[kind]!++;
    if (!this.enabled) return -1;
    const seq = this.total++;
    const i = seq % this.capacity;
    this._t[i] = t;
    this._kind[i] = kind;
    this._line[i] = line;
    this._a[i] = a;
    this._b[i] = b;
    this._c[i] = c;
    // Two independent 32-bit multiply-xorshift lanes over the six fields.
    const tl = t >>> 0;
    const th = Math.floor(t / 0x1_0000_0000) >>> 0;
    let h1 = this._h1;
    let h2 = this._h2;
    h1 = Math.imul(h1 ^ tl, 0x01000193);
    h2 = Math.imul(h2 ^ th, 0x5bd1e995);
    h1 = Math.imul(h1 ^ ((kind << 16) | (line & 0xffff)), 0x01000193);
    h2 = Math.imul(h2 ^ a, 0x5bd1e995);
    h1 = Math.imul(h1 ^ b, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h1 ^= h2 >>> 15;
    h2 ^= h1 >>> 13;
    this._h1 = h1;
    this._h2 = h2;
    return seq;
  }

  /** Time of a held event (seq must be held: see has()). */
  timeOf(seq: number): number {
    return this._t[seq % this.capacity] as number;
  }

  /** Attaches a byte payload to an event (kept for the most recent few only). */
  attach(seq: number, bytes: Uint8Array): void {
    if (seq < 0) return;
    this.blobs.set(seq, bytes.slice());
    if (this.blobs.size > Trace._MAX_BLOBS) {
      const first = this.blobs.keys().next().value as number;
      this.blobs.delete(first);
    }
  }

  /** A 16-hex-digit digest of every event recorded so far. */
  hash(): string {
    let h1 = this._h1 ^ this.total;
    let h2 = this._h2 ^ Math.floor(this.total / 0x1_0000_0000);
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
    h1 = Math.imul(h1 ^ (h2 >>> 13), 0xc2b2ae35);
    h2 = Math.imul(h2 ^ (h1 >>> 13), 0x85ebca6b);
    h1 ^= h1 >>> 16;
    h2 ^= h2 >>> 16;
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }

  /** Lowest seq still held in the ring. */
  get firstSeq(): number {
    return Math.max(0, this.total - this.capacity);
  }

  /** Events dropped from the front of the ring so far. */
  get dropped(): number {
    return this.firstSeq;
  }

  has(seq: number): boolean {
    return seq >= this.firstSeq && seq < this.total;
  }

  get(seq: number): TraceEvent | null {
    if (!this.has(seq)) return null;
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

  /** Calls `fn` for every held event with seq >= from, oldest first. */
  forEach(fn: (e: TraceEvent) => void, from = 0): void {
    for (let s = Math.max(from, this.firstSeq); s < this.total; s++) fn(this.get(s) as TraceEvent);
  }

  /** Packs held events from `from` into transferable columns (the worker's batch format). */
  columns(from: number, max = Infinity): TraceColumns {
    const start = Math.max(from, this.firstSeq);
    const n = Math.max(0, Math.min(this.total - start, max));
    const cols: TraceColumns = {
      firstSeq: start,
      t: new Float64Array(n),
      kind: new Uint8Array(n),
      line: new Int16Array(n),
      a: new Int32Array(n),
      b: new Int32Array(n),
      c: new Int32Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = (start + k) % this.capacity;
      cols.t[k] = this._t[i] as number;
      cols.kind[k] = this._kind[i] as number;
      cols.line[k] = this._line[i] as number;
      cols.a[k] = this._a[i] as number;
      cols.b[k] = this._b[i] as number;
      cols.c[k] = this._c[i] as number;
    }
    return cols;
  }

  /** Exact count of recorded events per category (including those no longer in the ring). */
  countsByCategory(): Record<TraceCategory, number> {
    const out = Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, 0])) as Record<TraceCategory, number>;
    for (let k = 0; k < KIND_CODES; k++) {
      const n = this.perKind[k] as number;
      if (n > 0) out[categoryOf(k)] += n;
    }
    return out;
  }

  count(kind: number): number {
    return this.perKind[kind] as number;
  }

  /** Approximate bytes held by the ring buffers. */
  get byteSize(): number {
    return this.capacity * (8 + 1 + 2 + 4 + 4 + 4);
  }
}

/** A slice of the trace as columns (Structured-clone and transfer friendly). */
export interface TraceColumns {
  firstSeq: number;
  t: Float64Array;
  kind: Uint8Array;
  line: Int16Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
}

export { TK };
