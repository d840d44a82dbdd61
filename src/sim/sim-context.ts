import { EventQueue } from './clock/event-queue';
import { Prng } from './clock/prng';
import type { LatencyRange } from './clock/time';
import { KIND_CODES, Trace } from './trace/trace';
import type { TableSource } from './typed-block';

/**
 * What every part of the simulation shares: the clock, the one event queue, the
 * one PRNG and the trace. Parts schedule events by kind and the machine
 * dispatches them back (no closures on the queue).
 */
export interface SimContext {
  /** Current simulated time in ns. */
  readonly now: number;
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly trace: Trace;
  /** Records a trace event at the current time; returns its seq or -1. */
  emit(kind: number, line: number, a: number, b: number, c: number): number;
  /** Schedules an event `delay` ns from now. */
  after(delay: number, ev: number, a?: number, b?: number, c?: number): void;
  /** Draws one latency from a range with the seeded PRNG (or the chooser, when one is set). */
  draw(range: LatencyRange): number;
  /** Where parts take their host-side tables' bytes (the explorer reuses them from machine to machine); none: new buffers. */
  readonly tables?: TableSource | null;
}

/**
 * Who decides a choice point: every draw from a range wider than one value
 * (min < max) is one, numbered in the order the run makes them. The seeded
 * PRNG always draws first, so the stream of later defaults never depends on
 * what a chooser did; the chooser then returns the value the run takes.
 * `base` is the absolute time the value is counted from (now for a latency,
 * the window's start for a timeline step with a time window).
 */
export interface Chooser {
  choose(min: number, max: number, dflt: number, base: number): number;
}

/**
 * Replays a schedule: sorted (choice index, value) pairs; every other choice
 * takes the seeded default. A value outside its choice's range is clamped into
 * it (a schedule written for another version of the scenario still runs, and
 * `mismatched` counts how often that happened).
 */
export class ScheduleChooser implements Chooser {
  /** Choice points met so far. */
  index = 0;
  mismatched = 0;
  private _next = 0;

  private readonly _entries: readonly (readonly [number, number])[];

  constructor(entries: readonly (readonly [number, number])[]) {
    this._entries = entries;
  }

  choose(min: number, max: number, dflt: number): number {
    const i = this.index++;
    const e = this._entries[this._next];
    if (e === undefined || e[0] !== i) return dflt;
    this._next++;
    const v = e[1];
    if (v < min || v > max) this.mismatched++;
    return v < min ? min : v > max ? max : v;
  }
}

/** Something that follows the trace as it is written (it may emit events of its own from here). */
/** A tap's `kinds` when it follows every kind of event. */
export const EVERY_KIND: Uint8Array = new Uint8Array(KIND_CODES).fill(1);

export interface TraceTap {
  /** 1 at the code of each kind it follows: emit calls traced() for those only (one byte read per event). */
  readonly kinds: Uint8Array;
  traced(seq: number, kind: number, line: number, a: number, b: number, c: number): void;
}

/** The shared context itself: simulated time, the queue, the seeded PRNG and the trace. */
export class SimCore implements SimContext {
  now = 0;
  /** Sees every recorded event right after it is traced (the cause tracker); null when nobody listens. */
  tap: TraceTap | null = null;
  readonly queue: EventQueue;
  readonly prng: Prng;
  readonly trace: Trace;
  /** Null in every ordinary run: the hot path then costs one null check. */
  chooser: Chooser | null = null;

  readonly tables: TableSource | null;

  constructor(seed: number, traceCapacity: number, traceEnabled: boolean, queueCapacity = INITIAL_QUEUE_CAPACITY, tables: TableSource | null = null) {
    this.tables = tables;
    this.queue = new EventQueue(queueCapacity, tables);
    this.prng = new Prng(seed);
    this.trace = new Trace(traceCapacity, traceEnabled, tables);
  }

  emit(kind: number, line: number, a: number, b: number, c: number): number {
    const seq = this.trace.emit(this.now, kind, line, a, b, c);
    const tap = this.tap;
    if (tap !== null && seq >= 0 && tap.kinds[kind] === 1) tap.traced(seq, kind, line, a, b, c);
    return seq;
  }

  after(delay: number, ev: number, a = 0, b = 0, c = 0): void {
    this.queue.push(this.now + delay, ev, a, b, c);
  }

  draw(range: LatencyRange): number {
    const v = this.prng.range(range.min, range.max);
    if (this.chooser === null || range.max <= range.min) return v;
    return this.chooser.choose(range.min, range.max, v, this.now);
  }

  /** A draw whose value is counted from `base` rather than now (a timeline step's time window). */
  drawFrom(range: LatencyRange, base: number): number {
    const v = this.prng.range(range.min, range.max);
    if (this.chooser === null || range.max <= range.min) return v;
    return this.chooser.choose(range.min, range.max, v, base);
  }
}

/** Room for this many pending events before the queue first grows (a busy board holds a few hundred). */
const INITIAL_QUEUE_CAPACITY = 1024;

/** Event kinds on the queue; the machine's dispatch switch handles each. */
export const EV = {
  /** A timeline step: a = step index. */
  Step: 1,
  /** A world source action on a line: a = line, b = generation, c = WorldAction. */
  World: 2,
  /** The device looks at a queue after a notification: a = queue. */
  DeviceWake: 3,
  /** A requestq message completes: a = pending slot. */
  RequestDone: 4,
  /** The device puts a line's eventq buffer in the used ring: a = line, b = status, c = head. */
  EventReturn: 5,
  /** A guest interrupt is taken: a = vector (MSI-X) or -1 (INTx). */
  GuestIrq: 6,
  /** A flow-handler stage of a line's irq: a = line, b = HandlerStage, c = generation. */
  Handler: 7,
  /** A client driver timer: a = client index, b = action, c = generation. */
  Client: 8,
  /** The oracle re-checks a line: a = line, b = generation. */
  OracleCheck: 9,
  /** A shell job timer: a = job id, b = action. */
  Shell: 10,
  /** rust-vmm's waiter thread ends a 1 s wait: a = line, b = waiter generation. */
  HostWaitEnd: 11,
  /** intx-irqfd: an assert or deassert reaches KVM, or the resample eventfd reaches the back end: a = step. */
  Irqfd: 12,
} as const;
