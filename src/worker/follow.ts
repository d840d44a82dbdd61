/**
 * Follow mode's pacing, apart from the host so it can be tested alone: one
 * trace event at a time, at N events per wall-clock second (independent of
 * simulated time), and Step, which always advances exactly one trace event or
 * says why it cannot.
 *
 * The unit is a trace event (one arrow of the sequence chart), not a
 * simulation event: one simulation event can emit up to ten trace events at
 * the same simulated instant (the eventq callback reads the buffer, masks the
 * line, runs the handler ...). The machine runs a whole simulation event when
 * no revealed-but-unseen event is left; what it emitted is held back and
 * revealed one event per pace tick (the batches carry the trace only up to
 * `shown`). So the panels' state is at most one simulation event ahead of the
 * highlighted message, always at the same simulated instant.
 */

export { FOLLOW_PACES } from './protocol';

/** Step, or a follow tick, found nothing to advance. */
export const NOTHING_PENDING = 'Nothing pending: drive a line or type a command.';

/** Simulation events one advance may run without a trace event before it gives up (silent timers only). */
const MAX_SILENT_EVENTS = 100_000;

/** What an advance needs from the machine. */
export interface FollowSource {
  /** Trace events emitted so far. */
  traceTotal(): number;
  /** Runs one simulation event; false when nothing is pending. */
  step(): boolean;
}

export type Advance = 'advanced' | 'idle';

export class FollowPacer {
  /** Events per second while following, or null (not following). */
  pace: number | null = null;
  /** Trace events the page may see (the rest is held back), or null: everything. */
  shown: number | null = null;
  /** Seq of the current (last revealed) event, or -1. */
  current = -1;
  /** Wall-clock ms when the next paced event is due. */
  private _next = 0;

  get following(): boolean {
    return this.pace !== null;
  }

  /** Starts following (or changes the pace): the first event is due at once; what is already there stays shown. */
  start(pace: number, wall: number, traceTotal: number): void {
    if (!(pace > 0) || !Number.isFinite(pace)) throw new Error(`follow pace must be a positive number of events per second, not ${pace}`);
    const was = this.pace;
    this.pace = pace;
    if (was === null) this._next = wall;
    else this._next = Math.min(this._next, wall + 1000 / pace);
    this.shown ??= traceTotal;
  }

  /** Stops following; the current event (and what is held back) stays until release(). */
  stop(): void {
    this.pace = null;
  }

  /** Everything may be shown again and nothing is current (a run, an action while not following, a new scenario). */
  release(): void {
    this.pace = null;
    this.shown = null;
    this.current = -1;
  }

  /**
   * True when a paced event is due at wall time `wall` (at most one per call:
   * a late tick never makes a burst, it moves the schedule on instead).
   */
  due(wall: number): boolean {
    const pace = this.pace;
    if (pace === null || wall < this._next) return false;
    const period = 1000 / pace;
    this._next = wall - this._next >= period ? wall + period : this._next + period;
    return true;
  }

  /** Advances exactly one trace event: the next held-back one, else the first one the next simulation event emits. */
  advance(src: FollowSource): Advance {
    const total = src.traceTotal();
    const shown = this.shown ?? total;
    if (shown < total) {
      this.current = shown;
      this.shown = shown + 1;
      return 'advanced';
    }
    this.shown = total;
    for (let i = 0; i < MAX_SILENT_EVENTS; i++) {
      if (!src.step()) return 'idle';
      if (src.traceTotal() > total) {
        this.current = total;
        this.shown = total + 1;
        return 'advanced';
      }
    }
    return 'advanced';
  }
}
