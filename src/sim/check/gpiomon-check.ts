import { IRQ_TYPE_NONE, edgeQualifies } from '../gpio/constants';
import type { WireListener } from '../gpio/wire';
import type { GpiomonWatcher } from '../guest/clients';
import type { SimContext } from '../sim-context';
import { GpiomonMismatch, TK } from '../trace/kinds';

/** Per-line counts of what gpiomon reported, judged against the waveform. */
export interface GpiomonOutcome {
  /** Events gpiomon reported. */
  reported: number;
  /** Reports whose direction differs from the edge that raised them. */
  wrongDirection: number;
  /** Qualifying edges gpiomon never reported (folded into another report, or never reported at all). */
  missed: number;
  /** Reports with no unreported edge before their timestamp. */
  phantom: number;
}

function emptyOutcome(): GpiomonOutcome {
  return { reported: 0, wrongDirection: 0, missed: 0, phantom: 0 };
}

const RISING = 1;
const FALLING = 2;

/**
 * Compares each event gpiomon reports with what the line physically did.
 * gpiolib-cdev does not learn the direction of an edge from a virtio-gpio
 * interrupt (the eventq message carries none): for both edges its thread
 * reads the level back, so a pulse shorter than that round trip is reported
 * with the level it ended at, not the edge that raised it. The oracle judges
 * handler calls; this check judges the events a user sees.
 *
 *  - While edge detection is on for a line, every edge qualifying for its
 *    trigger is waiting to be reported.
 *  - Reports and edges are paired in order: a report stands for the oldest
 *    waiting edge before its timestamp (the edge that raised the
 *    interrupt); a different direction is a wrong-direction report.
 *  - Edges that were already waiting at the previous report's timestamp and
 *    were not paired with it can still be paired with the next report (the
 *    device latches an edge that comes while the line's buffer is with the
 *    driver and sends it when the buffer is back), but only within the
 *    settle window: older ones were folded into the previous report and are
 *    missed.
 *  - A report with no waiting edge before its timestamp is a phantom.
 *  - When detection stops or the run ends, edges waiting longer than the
 *    settle window are missed; younger ones are withdrawn (stop) or counted
 *    as pending (end).
 * Only mismatches are traced (TK.GpiomonMismatch), so a faithful run's
 * trace is unchanged by this check.
 */
export class GpiomonCheck implements WireListener, GpiomonWatcher {
  private readonly _ctx: SimContext;
  readonly settleNs: number;
  readonly lines: GpiomonOutcome[];
  private readonly _trigger: Uint8Array;
  private readonly _level: Uint8Array;
  /** Waiting edges per line: times and directions, oldest first. */
  private readonly _at: number[][];
  private readonly _dir: number[][];
  /** Timestamp of the line's previous report (-1: none since edge detection started). */
  private readonly _lastStamp: Float64Array;
  /** Edges still waiting, too recent to judge, when the run ended. */
  pendingAtEnd = 0;

  constructor(ctx: SimContext, ngpio: number, settleNs: number, initialLevels: Uint8Array) {
    this._ctx = ctx;
    this.settleNs = settleNs;
    this.lines = Array.from({ length: ngpio }, emptyOutcome);
    this._trigger = new Uint8Array(ngpio);
    this._level = initialLevels.slice();
    this._at = Array.from({ length: ngpio }, () => []);
    this._dir = Array.from({ length: ngpio }, () => []);
    this._lastStamp = new Float64Array(ngpio).fill(-1);
  }

  total(): GpiomonOutcome {
    const t = emptyOutcome();
    for (const o of this.lines) {
      t.reported += o.reported;
      t.wrongDirection += o.wrongDirection;
      t.missed += o.missed;
      t.phantom += o.phantom;
    }
    return t;
  }

  // ---- the waveform ------------------------------------------------------------------

  levelChanged(line: number, level: number): void {
    const prev = this._level[line] as number;
    this._level[line] = level;
    const t = this._trigger[line] as number;
    if (t === IRQ_TYPE_NONE || !edgeQualifies(t, prev, level)) return;
    this._at[line]!.push(this._ctx.now);
    this._dir[line]!.push(level === 1 ? RISING : FALLING);
  }

  // ---- gpiomon -----------------------------------------------------------------------

  gpiomonArmed(line: number, trigger: number): void {
    this._trigger[line] = trigger;
    this._lastStamp[line] = -1;
    this._at[line]!.length = 0;
    this._dir[line]!.length = 0;
  }

  gpiomonDisarmed(line: number): void {
    this._judgeOld(line);
    this._trigger[line] = IRQ_TYPE_NONE;
    this._at[line]!.length = 0;
    this._dir[line]!.length = 0;
  }

  gpiomonReported(line: number, edge: 'rising' | 'falling', stampNs: number): void {
    const o = this.lines[line]!;
    o.reported++;
    const reported = edge === 'rising' ? RISING : FALLING;
    const at = this._at[line]!;
    const dir = this._dir[line]!;
    // Left over at the previous report and older than the settle window: folded into it.
    const last = this._lastStamp[line] as number;
    const tooOld = stampNs - this.settleNs;
    let k = 0;
    while (k < at.length && (at[k] as number) <= last && (at[k] as number) < tooOld) this._missed(line, dir[k++] as number);
    at.splice(0, k);
    dir.splice(0, k);
    this._lastStamp[line] = stampNs;
    if (at.length === 0 || (at[0] as number) > stampNs) {
      o.phantom++;
      this._ctx.emit(TK.GpiomonMismatch, line, GpiomonMismatch.Phantom, reported, 0);
      return;
    }
    const physical = dir.shift() as number;
    at.shift();
    if (physical !== reported) {
      o.wrongDirection++;
      this._ctx.emit(TK.GpiomonMismatch, line, GpiomonMismatch.WrongDirection, reported, physical);
    }
  }

  /** End of run: waiting edges older than the settle window are missed; the rest pending. */
  finish(): void {
    for (let line = 0; line < this.lines.length; line++) {
      this._judgeOld(line);
      this.pendingAtEnd += this._at[line]!.length;
    }
  }

  private _judgeOld(line: number): void {
    const at = this._at[line]!;
    const dir = this._dir[line]!;
    const ripe = this._ctx.now - this.settleNs;
    let n = 0;
    while (n < at.length && (at[n] as number) <= ripe) this._missed(line, dir[n++] as number);
    at.splice(0, n);
    dir.splice(0, n);
  }

  private _missed(line: number, physical: number): void {
    this.lines[line]!.missed++;
    this._ctx.emit(TK.GpiomonMismatch, line, GpiomonMismatch.Missed, 0, physical);
  }
}
