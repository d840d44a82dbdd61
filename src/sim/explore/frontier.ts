import type { Schedule } from './recorder';

/**
 * The breadth-first frontier, compact. A child is its parent's schedule plus
 * one deviation (choice j, value v), so an entry is three numbers: its
 * parent's entry, j and v (entry 0 is the default run, no deviation). A
 * schedule is spelled out only when it is run, by walking the parents (as
 * many steps as deviations, a handful). Before, every child was a fresh array
 * of pairs: about 9 KB of garbage per explored schedule on the three-timers
 * board, on the thread that also keeps the visited set (the app's pool
 * coordinator runs on the page's thread).
 */
export class Frontier {
  private _parent: number[] = [-1];
  private _choice: number[] = [-1];
  private _value: number[] = [0];
  private _depth: number[] = [0];

  /** Entries so far (run or waiting). */
  get length(): number {
    return this._parent.length;
  }

  /** Adds entry k's schedule plus the deviation (j, v); j must be above every choice of entry k. */
  push(k: number, j: number, v: number): void {
    this._parent.push(k);
    this._choice.push(j);
    this._value.push(v);
    this._depth.push((this._depth[k] as number) + 1);
  }

  /** Deviations in entry k's schedule. */
  depth(k: number): number {
    return this._depth[k] as number;
  }

  /** Entry k's last deviation's choice index (-1: the default run). */
  lastChoice(k: number): number {
    return this._choice[k] as number;
  }

  /**
   * Entries from..to-1 packed for a worker (pool.ts unpackSchedules reads
   * them back): per schedule its length, then (choice, value) pairs, rising
   * choice. Written straight from the parent links, with no schedule spelled out as arrays.
   */
  pack(from: number, to: number): Float64Array<ArrayBuffer> {
    let n = 0;
    for (let k = from; k < to; k++) n += 1 + 2 * (this._depth[k] as number);
    const out = new Float64Array(n);
    let o = 0;
    for (let k = from; k < to; k++) {
      const d = this._depth[k] as number;
      out[o] = d;
      // The last deviation is the entry's own: fill the pairs from the end back.
      for (let e = k, q = o + 2 * d - 1; q > o; e = this._parent[e] as number, q -= 2) {
        out[q] = this._choice[e] as number;
        out[q + 1] = this._value[e] as number;
      }
      o += 1 + 2 * d;
    }
    return out;
  }

  /** Entry k's schedule, rising choice index. */
  schedule(k: number): Schedule {
    const out: Schedule = new Array(this._depth[k] as number);
    for (let e = k, i = out.length - 1; i >= 0; e = this._parent[e] as number, i--) out[i] = [this._choice[e] as number, this._value[e] as number];
    return out;
  }
}
