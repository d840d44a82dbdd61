/**
 * The waveform's own per-lane index over the trace store's markers (no DOM):
 * markers split by where they are drawn, so each strip can be searched and
 * merged on its own, and handler runs paired into intervals. It is built
 * incrementally: `sync` only looks at markers added since the last call, so
 * keeping it current costs O(new markers) per frame.
 */
import { DeliveryResult, IRQ_STATUSES, OracleLabel } from '../sim/index';
import { Grow } from './grow';
import { Marker } from './trace-store';

/** HandlerStart / HandlerEnd: c = 1 for the threaded part of a handler call. */
const THREADED = 1;

/** Glyphs of the event strip (bottom of a lane). */
export const Ev = {
  /** A qualifying edge or level the device acted on and delivered. */
  Delivered: 0,
  /** ...that was coalesced into an event already pending. */
  Coalesced: 1,
  /** ...that the device dropped because the line was masked. */
  Masked: 2,
  /** The device returned the line's eventq buffer VALID. */
  Valid: 3,
  Invalid: 4,
  /** The driver re-queued the eventq buffer (end of interrupt). */
  Requeue: 5,
} as const;

/** Glyphs of the flag strip (top of a lane): the oracle's labels (delivered has none) and violations, by severity. */
export const Flag = { Coalesced: 1, Spurious: 2, Violation: 3, Lost: 4 } as const;

/** Markers of one kind of strip: times (sorted) and glyph codes. */
export class Strip {
  readonly t = new Grow((n) => new Float64Array(n));
  readonly code = new Grow((n) => new Uint8Array(n));
  get length(): number {
    return this.t.length;
  }
  push(t: number, code: number): void {
    this.t.push(t);
    this.code.push(code);
  }
}

/** Sorted, non-overlapping intervals; the last may be open (end = Infinity). */
export class Intervals {
  readonly start = new Grow((n) => new Float64Array(n));
  readonly end = new Grow((n) => new Float64Array(n));
  private _open = false;
  get length(): number {
    return this.start.length;
  }
  begin(t: number): void {
    // A run that never ended ends where the next begins. (The core traces the end of every run,
    // also of one whose irq is freed under it, so this is only a guard.)
    if (this._open) this.end.data[this.end.length - 1] = t;
    this.start.push(t);
    this.end.push(Infinity);
    this._open = true;
  }
  finish(t: number): void {
    if (!this._open) return;
    this.end.data[this.end.length - 1] = t;
    this._open = false;
  }
}

/** The parts of a trace-store lane the index reads (LaneIndex satisfies it). */
export interface MarkerColumns {
  markT: { data: Float64Array; length: number };
  markKind: { data: Uint8Array; length: number };
  markArg: { data: Int32Array; length: number };
}

export class LaneMarks {
  /** Markers of the source lane indexed so far. */
  done = 0;
  /** Every event-strip marker: device events, buffer returns, re-queues. */
  readonly events = new Strip();
  /** The notable ones among them (coalesced or masked events, INVALID returns), drawn on top. */
  readonly notable = new Strip();
  /** COALESCED oracle labels. */
  readonly warnFlags = new Strip();
  /** LOST and SPURIOUS labels and spec violations. */
  readonly badFlags = new Strip();
  /** Handler runs: the hard-irq part, and the threaded part. */
  readonly hard = new Intervals();
  readonly threaded = new Intervals();

  /** Indexes the source's markers added since the last call. */
  sync(src: MarkerColumns): void {
    const n = src.markT.length;
    const T = src.markT.data;
    const K = src.markKind.data;
    const A = src.markArg.data;
    for (let i = this.done; i < n; i++) {
      const t = T[i] as number;
      const arg = A[i] as number;
      switch (K[i]) {
        case Marker.DeviceEvent: {
          const code = arg === DeliveryResult.Coalesced ? Ev.Coalesced : arg === DeliveryResult.Masked ? Ev.Masked : Ev.Delivered;
          this.events.push(t, code);
          if (code !== Ev.Delivered) this.notable.push(t, code);
          break;
        }
        case Marker.BufferReturned:
          if (arg === IRQ_STATUSES.code.VALID) this.events.push(t, Ev.Valid);
          else {
            this.events.push(t, Ev.Invalid);
            this.notable.push(t, Ev.Invalid);
          }
          break;
        case Marker.Requeue:
          this.events.push(t, Ev.Requeue);
          break;
        case Marker.HandlerStart:
          (arg === THREADED ? this.threaded : this.hard).begin(t);
          break;
        case Marker.HandlerEnd:
          (arg === THREADED ? this.threaded : this.hard).finish(t);
          break;
        case Marker.Oracle:
          if (arg === OracleLabel.Coalesced) this.warnFlags.push(t, Flag.Coalesced);
          else if (arg === OracleLabel.Spurious) this.badFlags.push(t, Flag.Spurious);
          else if (arg === OracleLabel.Lost) this.badFlags.push(t, Flag.Lost);
          break;
        case Marker.Violation:
          this.badFlags.push(t, Flag.Violation);
          break;
      }
    }
    this.done = n;
  }
}

/** Counts of each code in strip[from, to), for summaries (stops counting after `limit` markers). */
export function countCodes(strip: Strip, from: number, to: number, limit = 100_000): Map<number, number> {
  const counts = new Map<number, number>();
  const C = strip.code.data;
  const end = Math.min(to, from + limit);
  for (let i = from; i < end; i++) counts.set(C[i] as number, (counts.get(C[i] as number) ?? 0) + 1);
  return counts;
}
