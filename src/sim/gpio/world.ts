import type { Action } from '../actions';
import { EV, type SimContext } from '../sim-context';
import type { LatencyRange } from '../clock/time';
import { TK } from '../trace/kinds';

/** What drives an input line from outside the device. */
export type SourceSpec =
  /** Nothing drives it; it rests at its pull. */
  | { kind: 'none' }
  /** A level a person sets (drive steps, or the UI toggle). */
  | { kind: 'toggle'; initial: 0 | 1 }
  /** A push button: `press` steps; optionally bouncing a few times on each change. */
  | { kind: 'button'; activeLow: boolean; bounce: { count: LatencyRange; interval: LatencyRange } | null }
  /** A clock: toggles every half period (duty sets the high time) from `start`, `count` periods or forever. */
  | { kind: 'clock'; periodNs: number; highNs: number; startNs: number; count: number | null; initial: 0 | 1 }
  /**
   * A device that asserts its interrupt line until the client acknowledges it
   * at the source (a status-register write that takes `ackLatency`). With
   * `reassert`, the source fires again the moment it is acknowledged, without
   * the line ever going inactive: the timer case from the V8 review.
   */
  | {
      kind: 'level-source';
      activeLow: boolean;
      ackLatency: LatencyRange;
      reassert: number;
      /** Assert periodically (ns), or only on `assert` steps when null. */
      everyNs: number | null;
      startNs: number;
    };

export type Pull = 'up' | 'down' | 'none';

/** World actions carried on EV.World events. */
export const WorldAction = {
  ClockEdge: 1,
  BounceStep: 2,
  PulseEnd: 3,
  AckDone: 4,
  PeriodicAssert: 5,
} as const;

/** What a source drives before time starts: -1 nothing, else 0/1. */
export function initialDrive(s: SourceSpec): number {
  switch (s.kind) {
    case 'none':
      return -1;
    case 'toggle':
      return s.initial;
    case 'button':
      return s.activeLow ? 1 : 0;
    case 'clock':
      return s.initial;
    case 'level-source':
      return s.activeLow ? 1 : 0;
  }
}

/** The actions that act on the world outside the device (a person, a button, a signal source). */
export type WorldStep = Extract<Action, { do: 'drive' | 'release' | 'pulse' | 'press' | 'clock' | 'assert' }>;

export function isWorldStep(a: Action): a is WorldStep {
  return a.do === 'drive' || a.do === 'release' || a.do === 'pulse' || a.do === 'press' || a.do === 'clock' || a.do === 'assert';
}

/** What the world drives: the wire. */
export interface WorldDrive {
  setWorld(line: number, level: number): void;
}

/** Who hears that a level source began an assertion (also a re-assert without the line dropping): the oracle. */
export interface EpisodeListener {
  episode(line: number): void;
}

/**
 * The outside world wired to each line. It only decides what it drives; the
 * wire combines that with the device's output and the pulls. All its timing
 * comes from events on the shared queue and draws from the shared PRNG.
 */
export class World {
  private readonly _ctx: SimContext;
  private readonly _wire: WorldDrive;
  private readonly _episodes: EpisodeListener;
  readonly specs: SourceSpec[];
  /** What the world drives on each line: -1 nothing, else 0/1. */
  readonly drive: Int8Array;
  /** Generation per line; bumping it cancels the line's scheduled actions. */
  private readonly _gen: Int32Array;
  // Clock state.
  private readonly _clockLeft: Float64Array;
  // Bounce state: remaining toggles and the final level. Float64: a scenario's count may be any
  // integer, and an Int32 would wrap a large one into a negative count (the storm silently ends).
  private readonly _bounceLeft: Float64Array;
  private readonly _bounceTarget: Int8Array;
  // Level-source state.
  readonly asserted: Uint8Array;
  readonly episode: Uint32Array;
  private readonly _reassertLeft: Float64Array;
  private readonly _ackPending: Uint8Array;

  constructor(ctx: SimContext, wire: WorldDrive, episodes: EpisodeListener, specs: SourceSpec[]) {
    this._ctx = ctx;
    this._wire = wire;
    this._episodes = episodes;
    this.specs = specs;
    const n = specs.length;
    this.drive = new Int8Array(n).fill(-1);
    this._gen = new Int32Array(n);
    this._clockLeft = new Float64Array(n);
    this._bounceLeft = new Float64Array(n);
    this._bounceTarget = new Int8Array(n);
    this.asserted = new Uint8Array(n);
    this.episode = new Uint32Array(n);
    this._reassertLeft = new Float64Array(n);
    this._ackPending = new Uint8Array(n);
  }

  /** Sets initial drives and schedules each source's own activity. */
  start(): void {
    for (let line = 0; line < this.specs.length; line++) {
      const d = initialDrive(this.specs[line] as SourceSpec);
      this.drive[line] = d;
      const s = this.specs[line] as SourceSpec;
      if (s.kind === 'clock') this.startClock(line, s.periodNs, s.highNs, s.startNs, s.count);
      if (s.kind === 'level-source' && s.everyNs !== null) {
        this._ctx.after(s.startNs, EV.World, line, this._gen[line] as number, WorldAction.PeriodicAssert);
      }
    }
  }

  // ---- Actions from steps, the UI and clients -------------------------------------

  /** Carries out an action on the world (Machine.apply and the real-time host both come here). */
  apply(a: WorldStep): void {
    switch (a.do) {
      case 'drive':
        return this.set(a.line, a.level);
      case 'release':
        return this.release(a.line);
      case 'pulse':
        return this.pulse(a.line, a.level, a.widthNs);
      case 'press':
        return this.press(a.line, a.pressed);
      case 'clock':
        return this.startClock(a.line, a.periodNs, a.highNs, 0, a.count);
      case 'assert':
        return this.assert(a.line);
    }
  }

  /** Drive a level (steps and the UI's toggle). Stops any clock or bounce on the line. */
  set(line: number, level: number): void {
    this._cancel(line);
    this._drive(line, level);
  }

  /** Stop driving the line; it falls back to its pull. */
  release(line: number): void {
    this._cancel(line);
    this._drive(line, -1);
  }

  /** A pulse of `widthNs` to `level` and back. */
  pulse(line: number, level: number, widthNs: number): void {
    this._cancel(line);
    const back = this.drive[line] as number;
    this._drive(line, level);
    this._bounceTarget[line] = back;
    this._ctx.after(widthNs, EV.World, line, this._gen[line] as number, WorldAction.PulseEnd);
  }

  /** Press (pressed = true) or release a button, with bounce if configured. */
  press(line: number, pressed: boolean): void {
    const s = this.specs[line] as SourceSpec;
    const active = s.kind === 'button' && s.activeLow ? 0 : 1;
    const target = pressed ? active : 1 - active;
    this._cancel(line);
    if (s.kind !== 'button' || s.bounce === null) {
      this._drive(line, target);
      return;
    }
    // Contact bounce: an even number of extra toggles, so it ends on the target level.
    const flips = 2 * this._ctx.draw(s.bounce.count);
    this._bounceTarget[line] = target;
    this._bounceLeft[line] = flips;
    this._drive(line, target);
    if (flips > 0) this._ctx.after(this._ctx.draw(s.bounce.interval), EV.World, line, this._gen[line] as number, WorldAction.BounceStep);
  }

  startClock(line: number, periodNs: number, highNs: number, startNs: number, count: number | null): void {
    this._cancel(line);
    const s = this.specs[line] as SourceSpec;
    if (s.kind !== 'clock') {
      this.specs[line] = { kind: 'clock', periodNs, highNs, startNs, count, initial: 0 };
    } else {
      this.specs[line] = { ...s, periodNs, highNs, count };
    }
    this._clockLeft[line] = count === null ? Infinity : 2 * count;
    this._ctx.after(startNs, EV.World, line, this._gen[line] as number, WorldAction.ClockEdge);
  }

  /** A level source asserts its line (if not asserted already). */
  assert(line: number): void {
    const s = this.specs[line] as SourceSpec;
    if (s.kind !== 'level-source' || this.asserted[line]) return;
    this.asserted[line] = 1;
    this._reassertLeft[line] = s.reassert;
    this._newEpisode(line);
    this._drive(line, s.activeLow ? 0 : 1);
  }

  /** The client acknowledged the interrupt at the source; it takes effect after the ack latency. */
  ack(line: number): void {
    const s = this.specs[line] as SourceSpec;
    if (s.kind !== 'level-source' || !this.asserted[line] || this._ackPending[line]) return;
    this._ackPending[line] = 1;
    this._ctx.after(this._ctx.draw(s.ackLatency), EV.World, line, this._gen[line] as number, WorldAction.AckDone);
  }

  /** EV.World dispatch. */
  act(line: number, gen: number, action: number): void {
    if (gen !== this._gen[line]) return; // Cancelled.
    const s = this.specs[line] as SourceSpec;
    switch (action) {
      case WorldAction.ClockEdge: {
        if (s.kind !== 'clock') return;
        const left = this._clockLeft[line] as number;
        if (left <= 0) return;
        this._clockLeft[line] = left - 1;
        const next = this.drive[line] === 1 ? 0 : 1;
        this._drive(line, next);
        if (left - 1 > 0) {
          const wait = next === 1 ? s.highNs : s.periodNs - s.highNs;
          this._ctx.after(wait, EV.World, line, gen, WorldAction.ClockEdge);
        }
        return;
      }
      case WorldAction.BounceStep: {
        if (s.kind !== 'button' || s.bounce === null) return;
        const left = --this._bounceLeft[line]!;
        this._drive(line, left % 2 === 1 ? 1 - (this._bounceTarget[line] as number) : (this._bounceTarget[line] as number));
        if (left > 0) this._ctx.after(this._ctx.draw(s.bounce.interval), EV.World, line, gen, WorldAction.BounceStep);
        return;
      }
      case WorldAction.PulseEnd:
        this._drive(line, this._bounceTarget[line] as number);
        return;
      case WorldAction.AckDone: {
        if (s.kind !== 'level-source') return;
        this._ackPending[line] = 0;
        if (this._reassertLeft[line]! > 0) {
          // The timer case: acknowledged and immediately pending again; the line never drops.
          this._reassertLeft[line]!--;
          this._newEpisode(line);
          return;
        }
        this.asserted[line] = 0;
        this._drive(line, s.activeLow ? 1 : 0);
        return;
      }
      case WorldAction.PeriodicAssert:
        if (s.kind !== 'level-source' || s.everyNs === null) return;
        this.assert(line);
        this._ctx.after(s.everyNs, EV.World, line, gen, WorldAction.PeriodicAssert);
        return;
    }
  }

  private _newEpisode(line: number): void {
    const ep = ++this.episode[line]!;
    this._ctx.emit(TK.SourceEpisode, line, ep, 0, 0);
    this._episodes.episode(line);
  }

  private _drive(line: number, level: number): void {
    this.drive[line] = level;
    this._wire.setWorld(line, level);
  }

  /** Someone else takes over the line: its scheduled actions stop, and a level source's assertion ends with them. */
  private _cancel(line: number): void {
    this._gen[line]!++;
    this._ackPending[line] = 0;
    this.asserted[line] = 0;
  }
}
