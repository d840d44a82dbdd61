import { EV, type SimContext } from '../sim-context';

/** Client timer actions from this one up name a line's debounce timer (action - base = line). */
export const DEBOUNCE_ACTION_BASE = 1_000;

/**
 * gpiolib-cdev's software debounce, which it falls back to when the chip
 * cannot debounce (gpio_set_debounce_timeout fails: gpio-virtio has no
 * .set_config). The line's interrupt is requested for both edges with a plain
 * handler that only (re)starts a delayed work of the debounce period
 * (mod_delayed_work); when the period passes with no further edge, the work
 * reads the line and reports an edge only if the level differs from the last
 * one it saw. Bounces shorter than the period are never reported.
 */
export class SoftwareDebounce {
  private readonly _ctx: SimContext;
  readonly periodNs: number;
  /** Last settled level per line (read when the request was made). */
  readonly level: Int8Array;
  private readonly _gen: Int32Array;

  constructor(ctx: SimContext, periodNs: number, ngpio: number) {
    this._ctx = ctx;
    this.periodNs = periodNs;
    this.level = new Int8Array(ngpio).fill(-1);
    this._gen = new Int32Array(ngpio);
  }

  /** debounce_irq_handler: push the line's work one period into the future. */
  kick(line: number, clientId: number): void {
    this._ctx.after(this.periodNs, EV.Client, clientId, DEBOUNCE_ACTION_BASE + line, ++this._gen[line]!);
  }

  /** Is this timer the line's latest (an earlier one was pushed back by a later edge)? */
  current(line: number, gen: number): boolean {
    return this._gen[line] === gen;
  }

  /** debounce_work_func after its read: the edge to report, or null when the level has not changed. */
  settle(line: number, level: number): 'rising' | 'falling' | null {
    if (level === this.level[line]) return null;
    this.level[line] = level;
    return level === 1 ? 'rising' : 'falling';
  }
}
