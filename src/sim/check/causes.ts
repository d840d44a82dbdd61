import { IRQ_RESPONSE_SIZE, IRQ_STATUS_VALID, IRQ_TYPE_NONE, MSG_SET_IRQ_TYPE, STATUS_OK, VIRTIO_GPIO_F_IRQ, isLevelType } from '../gpio/constants';
import type { GpioDevice } from '../gpio/device';
import { Callback } from '../guest/gpio-driver';
import { DriverWarning } from '../guest/warnings';
import type { SimContext, TraceTap } from '../sim-context';
import { CauseKind, DeliveryResult, EventCause, OracleLabel, TK } from '../trace/kinds';
import { KIND_CODES, type TraceEvent } from '../trace/trace';
import { EventRing, LineFifos, PinnedCopies, SeqLog } from './causes-store';
import type { LabelSink } from './oracle';

/**
 * Why each flag happened. For every oracle label that is not a plain delivery
 * (lost, spurious, coalesced) and every device-side result that is not a
 * delivery (masked, coalesced), the tracker decides a cause: a kind from
 * CauseKind, the short chain of trace events that led there (the owed edge or
 * level, what the device did with it, the driver or client action behind it),
 * and the policy setting or spec rule involved. It traces the decision as a
 * TK.Cause event (so the trace hash covers it) and keeps the chain in a
 * bounded side table, copied out of the trace ring so it outlives the ring.
 *
 * It learns everything from the trace as it is written (a TraceTap) plus the
 * oracle's owed items (a LabelSink), and reads the device's state at the
 * moment the device traces a result; it never changes the simulation.
 */

/** What a cause explains: an oracle label or a device-side delivery result. */
export const EXPLAINED = ['lost', 'spurious', 'coalesced', 'device-masked', 'device-coalesced'] as const;
export type Explained = (typeof EXPLAINED)[number];

/** What a link of a chain is, for the sentence generator and the UI. */
export type LinkRole =
  | 'owed' //       the edge or level assertion the client was owed
  | 'device' //     what the device did with it (a DevIrqEvent)
  | 'latch' //      the earlier edge that held the latch
  | 'sent' //       the driver sent SET_IRQ_TYPE (DrvIrqTypeSent)
  | 'type' //       the device's trigger type changed (DevIrqType)
  | 'rejected' //   the device answered SET_IRQ_TYPE with an error
  | 'callback' //   an irq_chip callback of the driver (DrvFlags)
  | 'arm' //        the device took the line's eventq buffer (EvqArm)
  | 'return' //     the device handed the buffer back (EvqReturn)
  | 'warn' //       the guest kernel complained (DrvWarn)
  | 'served' //     an earlier handler call that already covered it (OracleLabel)
  | 'ack' //        the client acknowledged its level source (SourceAck)
  | 'done' //       the driver consumed the returned buffer (EvqDone)
  | 'handler' //    a handler call that was running (HandlerStart)
  | 'failure' //    the device stopped working
  | 'direction' //  the device's direction changed (DevDirection)
  | 'label'; //     the flag explained

export interface CauseLink {
  role: LinkRole;
  event: TraceEvent;
}

/** One decided cause, with its chain (oldest event first, the flag last). */
export interface CauseRecord {
  /** Seq of the TK.Cause event. */
  seq: number;
  t: number;
  line: number;
  kind: CauseKind;
  explains: Explained;
  /** Seq of the event explained (the OracleLabel or the DevIrqEvent). */
  subject: number;
  /** Seq of the root event (the earliest action the chain starts from), or -1. */
  root: number;
  chain: CauseLink[];
  /** The trigger type the client expected (the device's last one for a device-side result). */
  trigger: number;
  /** The setting that chose this behaviour, as a scenario would write it (`driver.mask = none-type`). */
  policy?: string;
}

/** The spec rule (RULES id) each kind concerns, where the spec has one; the section is the rule's. */
export const CAUSE_RULE: Readonly<Partial<Record<CauseKind, string>>> = {
  [CauseKind.MaskedByNone]: 'gpio.irq.disable-discards-latch',
  [CauseKind.MaskedWhileDisabled]: 'gpio.irq.disable-discards-latch',
  [CauseKind.LazyNoneLeftover]: 'gpio.eq.none-returns-buffer',
  [CauseKind.CoalescedInLatch]: 'gpio.irq.edge-latched',
  [CauseKind.LatchedWhileAway]: 'gpio.irq.edge-latched',
  [CauseKind.LatchedWhileDisabled]: 'gpio.irq.disable-discards-latch',
  [CauseKind.LevelNotResampled]: 'gpio.irq.level-not-latched',
  [CauseKind.LevelWhileAway]: 'gpio.irq.level-not-latched',
  [CauseKind.LevelStillActive]: 'gpio.irq.level-not-latched',
  [CauseKind.TypeChangeRejected]: 'gpio.rq.type-change-via-none',
  [CauseKind.LineDeadBadLength]: 'vq.used.len-written',
  [CauseKind.InvalidLivelock]: 'gpio.eq.enable-before-unmask',
  [CauseKind.NoIrqFeature]: 'gpio.rq.irq-needs-feature',
  [CauseKind.HostNoEdgeDetection]: 'gpio.rq.direction-none-discards',
};

/** The settings the tracker names as the policy behind a cause. */
export interface CauseSettings {
  driverMask: 'flag' | 'none-type';
  flow: 'level' | 'fasteoi' | 'edge';
  requeue: 'after' | 'before';
  typeChange: 'direct' | 'via-none';
  /** How the client on a line acknowledges a level source (irq-consumer `ack`), if any. */
  clientAck(line: number): string | undefined;
}

/** Causes kept with their chains (the most recent); counts per kind stay exact beyond it. */
export const MAX_CAUSES = 1024;
/** Latched edges remembered per line (a queue latch is at most this deep as far as chains go). */
const MAX_LATCHED = 64;
/** Owed items and served edges remembered for linking (a bounded map, oldest dropped first). */
const MAX_LINKS = 4096;
/**
 * Copies of recent events a chain may name, oldest dropped first. The tracker
 * reads its own copies, never the trace ring, so a cause (and the hash) is the
 * same whatever the ring's capacity; the last SET_IRQ_TYPE, type change,
 * rejection, bad return and failure of each line are kept however old.
 */
const MAX_EVENTS = 16_384;

export class CauseTracker implements TraceTap, LabelSink {
  /** The kinds traced() is called for (SimCore.emit reads it before calling). */
  readonly kinds = TAPPED;
  private readonly _ctx: SimContext;
  private readonly _dev: GpioDevice;
  private readonly _set: CauseSettings;
  /** Lines of the device (events of other lines are not followed). */
  private readonly _n: number;
  /** The most recent causes with their chains. */
  readonly records: CauseRecord[] = [];
  /** Exact number of causes per `${explains}:${kind name code}` key, including those no longer kept. */
  readonly counts = new Map<string, number>();
  total = 0;

  // Per line: the latest event of each sort (trace seqs, -1 for none).
  private readonly _level: Float64Array;
  private readonly _episode: Float64Array;
  private readonly _typeNone: Float64Array;
  private readonly _typeSet: Float64Array;
  private readonly _sentNone: Float64Array;
  private readonly _sentNoneCb: Int32Array;
  private readonly _sentAny: Float64Array;
  private readonly _unmask: Float64Array;
  private readonly _ack: Float64Array;
  private readonly _rejected: Float64Array;
  /** The device's last direction change. */
  private readonly _dirSet: Float64Array;
  private readonly _typeReq: Float64Array;
  private readonly _arm: Float64Array;
  private readonly _invalidReturn: Float64Array;
  private readonly _validReturn: Float64Array;
  private readonly _badLenReturn: Float64Array;
  private readonly _badLenWarn: Float64Array;
  /** The device event behind the VALID being decided, then behind the one returned, then consumed. */
  private readonly _decidedSrc: Float64Array;
  private readonly _returnedSrc: Float64Array;
  private readonly _doneSrc: Float64Array;
  /** Per line, the device events latched in the device, oldest first (a mirror of its latch count). */
  private readonly _latched: LineFifos;
  /** The primary handler running on each line: its HandlerStart seq, or -1. */
  private readonly _running: Float64Array;
  /** Device event behind a VALID the driver consumed while the line's handler ran -> EvqDone seq, HandlerStart seq. */
  private readonly _doneWhileRunning = new SeqLog(MAX_LINKS);
  /** The last such drop per line (EvqDone seq and HandlerStart seq, -1 for none), until the line's buffer is taken again. */
  private readonly _lastDroppedDone: Float64Array;
  private readonly _lastDroppedStart: Float64Array;
  private _failure = -1;
  private _failureEvent: TraceEvent | null = null;
  /** The client's trigger for the label being explained. */
  private _trigger = 0;
  /** Device events latched while the type was NONE (lazy NONE). */
  private readonly _latchedWhileNone = new SeqLog(MAX_LINKS);
  /** Device event seq -> the trigger type the device had when it saw it. */
  private readonly _typeAt = new SeqLog(MAX_LINKS);
  /**
   * Owing event seq -> the device event it caused (always the very next seq). Its inverse, device event ->
   * owing event, is `dev - 1` while `dev - 1` is held here (the two were kept in step, so one table says both).
   */
  private readonly _devOf = new SeqLog(MAX_LINKS);
  /** A refused SET_IRQ_TYPE's answer seq -> copies of [the answer, its request]. */
  private readonly _refusals = new SeqLog<[TraceEvent | null, TraceEvent | null]>(MAX_LINKS);
  /** Owing event seq -> the device's trigger type and the pending refusal (seq or -1) when it became owed. */
  private readonly _owedState = new SeqLog(MAX_LINKS);
  /** Owing event seq -> the label that served it. */
  private readonly _servedBy = new SeqLog(MAX_LINKS);
  /** Device event seq -> the device-side cause decided for it. */
  private readonly _devCause = new SeqLog<CauseRecord>(MAX_LINKS);
  /** Copies of recent events of the kinds chains name, by seq (objects made only when a chain names one). */
  private readonly _events = new EventRing(MAX_EVENTS);
  /** Copies of the events the rarely-changing per-line slots name, by seq (kept however old). */
  private readonly _pinned: PinnedCopies;
  private readonly _pinnedSlots: Float64Array[];

  constructor(ctx: SimContext, device: GpioDevice, settings: CauseSettings) {
    this._ctx = ctx;
    this._dev = device;
    this._set = settings;
    const n = device.cfg.ngpio;
    this._n = n;
    const seqs = (): Float64Array => new Float64Array(n).fill(-1);
    this._level = seqs();
    this._episode = seqs();
    this._typeNone = seqs();
    this._typeSet = seqs();
    this._sentNone = seqs();
    this._sentNoneCb = new Int32Array(n);
    this._sentAny = seqs();
    this._unmask = seqs();
    this._ack = seqs();
    this._rejected = seqs();
    this._dirSet = seqs();
    this._typeReq = seqs();
    this._arm = seqs();
    this._invalidReturn = seqs();
    this._validReturn = seqs();
    this._badLenReturn = seqs();
    this._badLenWarn = seqs();
    this._decidedSrc = seqs();
    this._returnedSrc = seqs();
    this._doneSrc = seqs();
    this._latched = new LineFifos(n, MAX_LATCHED);
    this._running = seqs();
    this._lastDroppedDone = seqs();
    this._lastDroppedStart = seqs();
    this._pinnedSlots = [this._typeNone, this._typeSet, this._sentNone, this._sentAny, this._rejected, this._typeReq, this._badLenReturn, this._badLenWarn, this._dirSet];
    this._pinned = new PinnedCopies(this._pinnedSlots.length, n);
  }

  /** Sets a rarely-changing slot and keeps a copy of its event however old (the slot's previous copy goes). */
  private _pin(slot: Float64Array, line: number, seq: number): void {
    slot[line] = seq;
    this._pinned.pin(this._pinnedSlots.indexOf(slot), line, seq, this._events);
  }

  /** How many causes of this kind explain this sort of flag (exact, beyond the kept records). */
  count(explains: Explained, kind: number): number {
    return this.counts.get(`${explains}:${kind}`) ?? 0;
  }

  // ---- the trace as it is written -------------------------------------------------

  traced(seq: number, kind: number, line: number, a: number, b: number, c: number): void {
    if (kind === TK.DevFailure) {
      if (c !== 1) {
        this._failureEvent = { seq, t: this._ctx.now, kind, line, a, b, c };
        this._failure = seq;
      }
      return;
    }
    if (line < 0 || line >= this._n) return;
    // One dispatch per event; the events a chain can name are copied in their case.
    switch (kind) {
      case TK.LineLevel:
        this._copy(seq, kind, line, a, b, c);
        this._level[line] = seq;
        return;
      case TK.SourceEpisode:
        this._copy(seq, kind, line, a, b, c);
        this._episode[line] = seq;
        return;
      case TK.DevIrqType:
        this._copy(seq, kind, line, a, b, c);
        this._pin(b === IRQ_TYPE_NONE ? this._typeNone : this._typeSet, line, seq);
        return;
      case TK.DevDirection:
        this._copy(seq, kind, line, a, b, c);
        this._pin(this._dirSet, line, seq);
        return;
      case TK.DrvIrqTypeSent:
        this._copy(seq, kind, line, a, b, c);
        this._pin(this._sentAny, line, seq);
        if (a === IRQ_TYPE_NONE) {
          this._pin(this._sentNone, line, seq);
          this._sentNoneCb[line] = b;
        }
        return;
      case TK.DrvFlags:
        // Of the irq_chip callbacks, chains name the unmask only.
        if (b === Callback.Unmask) {
          this._copy(seq, kind, line, a, b, c);
          this._unmask[line] = seq;
        }
        return;
      case TK.MsgRequest:
        if (a === MSG_SET_IRQ_TYPE) {
          this._copy(seq, kind, line, a, b, c);
          this._pin(this._typeReq, line, seq);
        }
        return;
      case TK.MsgResponse:
        // The device kept its old type: remembered until a SET_IRQ_TYPE succeeds.
        if (a === MSG_SET_IRQ_TYPE) {
          this._copy(seq, kind, line, a, b, c);
          const refused = (b & 0xff) !== STATUS_OK;
          // Each refusal keeps its own copies: a later request or success must not take them from a chain.
          if (refused) this._refusals.setObj(seq, [this._events.get(seq) ?? null, this._get(this._typeReq[line] as number)]);
          this._pin(this._rejected, line, refused ? seq : -1);
        }
        return;
      case TK.EvqArm:
        this._copy(seq, kind, line, a, b, c);
        return this._armed(seq, line);
      case TK.EvqReturn:
        this._copy(seq, kind, line, a, b, c);
        if (c !== IRQ_RESPONSE_SIZE) this._pin(this._badLenReturn, line, seq);
        if (a === IRQ_STATUS_VALID) {
          this._validReturn[line] = seq;
          this._returnedSrc[line] = this._decidedSrc[line] as number;
          this._decidedSrc[line] = -1;
        } else this._invalidReturn[line] = seq;
        return;
      case TK.EvqDone:
        this._copy(seq, kind, line, a, b, c);
        this._doneSrc[line] = a === IRQ_STATUS_VALID ? (this._returnedSrc[line] as number) : -1;
        if (this._doneSrc[line]! >= 0 && this._running[line]! >= 0) {
          this._doneWhileRunning.set(this._doneSrc[line] as number, seq, this._running[line] as number);
          this._lastDroppedDone[line] = seq;
          this._lastDroppedStart[line] = this._running[line] as number;
        }
        return;
      case TK.HandlerStart:
        this._copy(seq, kind, line, a, b, c);
        if (c === 0) this._running[line] = seq;
        return;
      case TK.HandlerEnd:
        // Never named in a chain: not copied.
        if (c === 0) this._running[line] = -1;
        return;
      case TK.SourceAck:
        this._copy(seq, kind, line, a, b, c);
        this._ack[line] = seq;
        return;
      case TK.DrvWarn:
        if (a === DriverWarning.IrqIncorrectLen) {
          this._copy(seq, kind, line, a, b, c);
          this._pin(this._badLenWarn, line, seq);
        }
        return;
      case TK.OracleLabel:
        this._copy(seq, kind, line, a, b, c);
        return;
      case TK.DevIrqEvent:
        this._copy(seq, kind, line, a, b, c);
        return this._deviceEvent(seq, line, a, c);
    }
  }

  private _copy(seq: number, kind: number, line: number, a: number, b: number, c: number): void {
    this._events.set(seq, this._ctx.now, kind, line, a, b, c);
  }

  /** The device took the line's buffer: if it holds latched edges it returns one at once (GpioDevice._armed). */
  private _armed(seq: number, line: number): void {
    this._arm[line] = seq;
    this._lastDroppedDone[line] = -1;
    this._lastDroppedStart[line] = -1;
    const d = this._dev;
    this._syncLatched(line);
    const pops =
      d.held[line] === -1 &&
      d.irqType[line] !== IRQ_TYPE_NONE &&
      !d.cfg.policy.mockStorm &&
      (d.latch[line] as number) > 0;
    if (pops) this._decidedSrc[line] = this._latched.shift(line);
  }

  /** The latched edges still pending in the device: the newest `latch` ones (clearing drops the older). */
  private _syncLatched(line: number): void {
    this._latched.trim(line, this._dev.latch[line] as number);
  }

  private _deviceEvent(seq: number, line: number, result: number, cause: number): void {
    const d = this._dev;
    const noneNow = d.irqType[line] === IRQ_TYPE_NONE;
    if (result === DeliveryResult.Delivered) {
      this._typeAt.set(seq, d.irqType[line] as number);
      if (d.held[line] !== -1 && !noneNow) {
        this._decidedSrc[line] = seq; // Straight back with the buffer the device holds.
      } else {
        this._latched.push(line, seq);
        if (noneNow) this._latchedWhileNone.set(seq, 1);
      }
      return;
    }
    const ev = this._get(seq);
    const edge = this._get(this._level[line] as number);
    if (result === DeliveryResult.Coalesced) {
      this._syncLatched(line);
      const holder = this._get(this._latched.last(line));
      const depth = d.cfg.policy.edgeLatch.kind === 'single' ? 'single' : `queue:${d.cfg.policy.edgeLatch.depth}`;
      this._devRecord(seq, line, CauseKind.CoalescedInLatch, 'device-coalesced', [link('latch', holder), link('owed', edge), link('device', ev)], `device.policy.edgeLatch = ${depth}`);
      return;
    }
    // Masked.
    if (d.detectType[line] !== IRQ_TYPE_NONE && d.held[line] !== -1) {
      // rust-vmm after NONE (even once a type is set again): the waiter still holding the buffer wakes on this edge and hands it back INVALID.
      const chain = [link('sent', this._get(this._sentNone[line] as number)), link('type', this._get(this._typeNone[line] as number)), link('owed', edge), link('device', ev)];
      this._devRecord(seq, line, CauseKind.LazyNoneLeftover, 'device-masked', chain, 'device.policy.onNone = lazy');
      return;
    }
    if (d.cfg.policy.hostRequest && d.irqType[line] !== IRQ_TYPE_NONE && d.detectType[line] === IRQ_TYPE_NONE) {
      // rust-vmm: SET_DIRECTION requested the host line with a direction only, while the device kept its
      // trigger type through SET_DIRECTION NONE; the same SET_IRQ_TYPE is then refused as no change.
      const chain = [link('direction', this._get(this._dirSet[line] as number)), link('rejected', this._get(this._rejected[line] as number)), link('owed', edge), link('device', ev)];
      this._devRecord(seq, line, CauseKind.HostNoEdgeDetection, 'device-masked', chain, 'device.policy.directionNone = keep-irq-type');
      return;
    }
    if (noneNow) {
      const byMask = this._sentNoneCb[line] === Callback.Mask;
      const chain = [link('sent', this._get(this._sentNone[line] as number)), link('type', this._get(this._typeNone[line] as number)), link('owed', edge), link('device', ev)];
      this._devRecord(seq, line, byMask ? CauseKind.MaskedByNone : CauseKind.MaskedWhileDisabled, 'device-masked', chain, byMask ? 'driver.mask = none-type' : undefined);
      return;
    }
    // A level the device saw active while the buffer was with the driver: not latched, looked at again on re-queue.
    const kind = cause === EventCause.LevelActive ? CauseKind.LevelWhileAway : CauseKind.Unexplained;
    this._devRecord(seq, line, kind, 'device-masked', [link('return', this._get(this._validReturn[line] as number)), link('owed', edge), link('device', ev)]);
  }

  private _devRecord(seq: number, line: number, kind: CauseKind, explains: Explained, chain: (CauseLink | null)[], policy?: string): void {
    const r = this._record(line, kind, explains, seq, chain, policy);
    if (r) this._devCause.setObj(seq, r);
  }

  // ---- the oracle -----------------------------------------------------------------

  owed(line: number, episode: boolean): number {
    const owing = (episode ? this._episode[line] : this._level[line]) as number;
    // The device senses the wire first: its event for this level change, if any, is the very next one traced.
    if (owing >= 0) this._owedState.set(owing, this._dev.irqType[line] as number, this._rejected[line] as number);
    // (Chains never pin a device event, so the ring alone says whether the next one is it.)
    if (!episode && owing >= 0 && this._events.is(owing + 1, TK.DevIrqEvent, line)) {
      this._devOf.set(owing, owing + 1);
    }
    return owing;
  }

  labelled(line: number, label: number, seq: number, refs: readonly number[], trigger: number): void {
    if (seq < 0) return;
    this._trigger = trigger;
    if (label === OracleLabel.Delivered || label === OracleLabel.Coalesced) {
      for (let i = 0; i < refs.length; i++) {
        const r = refs[i] as number;
        if (r >= 0) this._servedBy.set(r, seq);
      }
      if (label === OracleLabel.Coalesced) this._coalesced(line, seq, this._get(seq), refs);
      return;
    }
    // A copy of the label only when a cause will name it.
    const lbl = this._get(seq);
    if (label === OracleLabel.Spurious) return this._spurious(line, seq, lbl, trigger);
    if (label === OracleLabel.Lost) return this._lost(line, seq, lbl, refs, trigger);
  }

  private _coalesced(line: number, seq: number, lbl: TraceEvent | null, refs: readonly number[]): void {
    const chain: (CauseLink | null)[] = [];
    let inLatch = false;
    for (const r of refs.slice(0, 4)) {
      const dev = this._get(this._devOf.get(r, -1));
      if (dev?.a === DeliveryResult.Coalesced) inLatch = true;
      chain.push(link('owed', this._get(r)), link('device', dev));
    }
    const p = this._dev.cfg.policy.edgeLatch;
    const policy = `device.policy.edgeLatch = ${p.kind === 'single' ? 'single' : `queue:${p.depth}`}`;
    if (inLatch) {
      this._record(line, CauseKind.CoalescedInLatch, 'coalesced', seq, [...chain, link('label', lbl)], policy);
      return;
    }
    // Each was reported (or latched) on its own, but all of them happened before the handler call started.
    const first = this._get(refs[0] ?? -1);
    const ret = this._lastBefore(this._validReturn[line] as number, first);
    this._record(line, CauseKind.LatchedWhileAway, 'coalesced', seq, [link('return', ret), ...chain, link('label', lbl)], policy);
  }

  private _spurious(line: number, seq: number, lbl: TraceEvent | null, trigger: number): void {
    const d = this._dev;
    const srcSeq = this._doneSrc[line] as number;
    const src = this._get(srcSeq);
    const ret = this._get(this._validReturn[line] as number);
    if (d.cfg.policy.mockStorm) {
      this._record(line, CauseKind.MockStorm, 'spurious', seq, [link('arm', this._get(this._arm[line] as number)), link('device', src), link('return', ret), link('label', lbl)], 'device.preset = rust-vmm-mock');
      return;
    }
    if (this._rejected[line]! >= 0 && d.irqType[line] !== IRQ_TYPE_NONE && d.irqType[line] !== trigger) {
      this._record(line, CauseKind.TypeChangeRejected, 'spurious', seq, this._rejectChain(line, [link('device', src), link('return', ret), link('label', lbl)]), this._typeChangePolicy());
      return;
    }
    const typeAt = this._typeAt.get(srcSeq, -1);
    if (src && typeAt !== -1 && typeAt !== IRQ_TYPE_NONE && typeAt !== trigger) {
      // Seen under the trigger the line had before the client's change reached the device.
      const chain = [link('device', src), link('sent', this._get(this._sentAny[line] as number)), link('type', this._get(this._typeSet[line] as number)), link('return', ret), link('label', lbl)];
      this._record(line, CauseKind.TypeChangeInFlight, 'spurious', seq, chain);
      return;
    }
    if (srcSeq >= 0 && this._latchedWhileNone.has(srcSeq)) {
      const chain = [
        link('sent', this._lastBefore(this._sentNone[line] as number, src)),
        link('type', this._lastBefore(this._typeNone[line] as number, src)),
        link('device', src),
        link('type', this._get(this._typeSet[line] as number)),
        link('return', ret),
        link('label', lbl),
      ];
      this._record(line, CauseKind.LatchedWhileDisabled, 'spurious', seq, chain, 'device.policy.onNone = lazy');
      return;
    }
    const owing = srcSeq >= 1 && this._devOf.has(srcSeq - 1) ? srcSeq - 1 : -1;
    const served = this._get(this._servedBy.get(owing, -1));
    if (src && served && src.c !== EventCause.LevelActive) {
      const p = d.cfg.policy.edgeLatch;
      const chain = [link('owed', this._get(owing)), link('device', src), link('served', served), link('arm', this._get(this._arm[line] as number)), link('return', ret), link('label', lbl)];
      this._record(line, CauseKind.CountedEdgeStale, 'spurious', seq, chain, `device.policy.edgeLatch = ${p.kind === 'single' ? 'single' : `queue:${p.depth}`}`);
      return;
    }
    if (src && src.c === EventCause.LevelActive && isLevelType(trigger)) {
      // Re-sampled at re-queue while the same assertion is still up: the client had not cleared its source yet.
      // The assertion that was served: the later of the last episode and the last level change that a call covered.
      const owing = [this._level[line] as number, this._episode[line] as number].sort((x, y) => y - x).find((o) => this._servedBy.has(o)) ?? -1;
      const servedLevel = this._get(this._servedBy.get(owing, -1));
      const unmask = this._lastBefore(this._unmask[line] as number, src);
      const ack = this._get(this._ack[line] as number);
      const acked = ack !== null && servedLevel !== null && ack.seq > servedLevel.seq && (!unmask || ack.seq < unmask.seq);
      const chain = [link('owed', this._get(owing)), link('served', servedLevel), link('ack', acked ? ack : null), link('callback', unmask), link('arm', this._get(this._arm[line] as number)), link('device', src), link('return', ret), link('label', lbl)];
      if (acked) {
        this._record(line, CauseKind.LevelStillActive, 'spurious', seq, chain, 'device.policy.levelSample = resample');
        return;
      }
      const how = this._set.clientAck(line);
      this._record(line, CauseKind.LevelRequeuedBeforeAck, 'spurious', seq, chain, `device.policy.levelSample = resample${how ? `; client ack = ${how}` : ''}`);
      return;
    }
    this._record(line, CauseKind.Unexplained, 'spurious', seq, [link('device', src), link('return', ret), link('label', lbl)]);
  }

  private _lost(line: number, seq: number, lbl: TraceEvent | null, refs: readonly number[], trigger: number): void {
    const d = this._dev;
    const owing = this._get(refs[0] ?? -1);
    const dev = this._get(this._devOf.get(refs[0] ?? -1, -1));
    const owed = [link('owed', owing), link('device', dev)];
    if (!d.negotiated(VIRTIO_GPIO_F_IRQ)) {
      this._record(line, CauseKind.NoIrqFeature, 'lost', seq, [...owed, link('label', lbl)], d.cfg.offerIrq ? undefined : 'device.irqFeature = false');
      return;
    }
    if (dev && dev.a === DeliveryResult.Masked) {
      // The device dropped it: the device-side cause says why.
      const dc = this._devCause.getObj(dev.seq);
      const kind = dc?.kind ?? CauseKind.Unexplained;
      const chain = dc ? [...dc.chain, link('label', lbl)] : [...owed, link('label', lbl)];
      this._record(line, kind, 'lost', seq, chain, dc?.policy);
      return;
    }
    // Dropped itself, or latched behind a dropped VALID that left the line masked with its buffer never re-queued.
    let busyDone = -1;
    let busyStart = -1;
    if (dev && this._doneWhileRunning.has(dev.seq)) {
      busyDone = this._doneWhileRunning.get(dev.seq, -1);
      busyStart = this._doneWhileRunning.get1(dev.seq, -1);
    } else if (dev && dev.a === DeliveryResult.Delivered) {
      busyDone = this._lastDroppedDone[line] as number;
      busyStart = this._lastDroppedStart[line] as number;
    }
    if (busyDone >= 0) {
      // The VALID reached the driver while the line's handler still ran: the flow handler masked the line and dropped it.
      const chain = [...owed, link('handler', this._get(busyStart)), link('done', this._get(busyDone)), link('label', lbl)];
      this._record(line, CauseKind.ValidWhileRunning, 'lost', seq, chain, `driver.flow = ${this._set.flow}; driver.requeue = ${this._set.requeue}`);
      return;
    }
    if (d.failure !== 0 && this._failure >= 0) {
      this._record(line, CauseKind.DeviceFailed, 'lost', seq, [link('failure', this._failureEvent), ...owed, link('label', lbl)]);
      return;
    }
    if (this._badLenWarn[line]! >= 0) {
      const chain = [link('return', this._get(this._badLenReturn[line] as number)), link('warn', this._get(this._badLenWarn[line] as number)), ...owed, link('label', lbl)];
      this._record(line, CauseKind.LineDeadBadLength, 'lost', seq, chain, d.cfg.faults.eventqUsedLen !== undefined ? `device.faults.eventqUsedLen = ${d.cfg.faults.eventqUsedLen}` : undefined);
      return;
    }
    if (this._rejected[line]! >= 0 && d.irqType[line] === IRQ_TYPE_NONE) {
      const chain = this._rejectChain(line, [...owed, link('return', this._get(this._invalidReturn[line] as number)), link('label', lbl)]);
      this._record(line, CauseKind.InvalidLivelock, 'lost', seq, chain, isLevelType(trigger) && d.cfg.policy.level === 'rejected' ? 'device.policy.level = rejected' : undefined);
      return;
    }
    // What the device was watching for when the edge came.
    const owed0 = refs[0] ?? -1;
    const known = this._owedState.has(owed0);
    const typeThen = known ? this._owedState.get(owed0, -1) : (d.irqType[line] as number);
    const rejThen = known ? this._owedState.get1(owed0, -1) : (this._rejected[line] as number);
    if (!dev && typeThen !== IRQ_TYPE_NONE && typeThen !== trigger) {
      if (rejThen >= 0) {
        this._record(line, CauseKind.TypeChangeRejected, 'lost', seq, this._rejectChain(line, [...owed, link('label', lbl)], rejThen), this._typeChangePolicy());
      } else {
        const chain = [link('sent', this._lastBefore(this._sentAny[line] as number, owing)), ...owed, link('type', this._get(this._typeSet[line] as number)), link('label', lbl)];
        this._record(line, CauseKind.TypeChangeInFlight, 'lost', seq, chain);
      }
      return;
    }
    if (isLevelType(trigger) && d.cfg.policy.levelSample === 'transition' && (!dev || owing?.kind === TK.SourceEpisode)) {
      const arm = this._get(this._arm[line] as number);
      this._record(line, CauseKind.LevelNotResampled, 'lost', seq, [...owed, link('arm', arm && owing && arm.seq > owing.seq ? arm : null), link('label', lbl)], 'device.policy.levelSample = transition');
      return;
    }
    this._record(line, CauseKind.Unexplained, 'lost', seq, [...owed, link('label', lbl)]);
  }

  private _rejectChain(line: number, rest: (CauseLink | null)[], rejected = this._rejected[line] as number): (CauseLink | null)[] {
    const [rej, req] = this._refusals.getObj(rejected) ?? [null, null];
    return [link('sent', req), link('rejected', rej), ...rest];
  }

  private _typeChangePolicy(): string {
    const p = this._dev.cfg.policy.typeChange === 'rejected' ? 'device.policy.typeChange = rejected' : '';
    return [p, `driver.typeChange = ${this._set.typeChange}`].filter((x) => x !== '').join('; ');
  }

  // ---- records --------------------------------------------------------------------

  private _get(seq: number): TraceEvent | null {
    return seq >= 0 ? (this._events.get(seq) ?? this._pinnedCopy(seq) ?? null) : null;
  }

  /** The pinned copy of `seq`, if a slot names it (only asked once the ring no longer holds it). */
  private _pinnedCopy(seq: number): TraceEvent | undefined {
    const slots = this._pinnedSlots;
    for (let s = 0; s < slots.length; s++) {
      const line = slots[s]!.indexOf(seq);
      const e = line >= 0 ? this._pinned.get(s, line, seq) : undefined;
      if (e) return e;
    }
    return undefined;
  }

  /** The event at `seq` if it happened before `before` (or `before` is unknown). */
  private _lastBefore(seq: number, before: TraceEvent | null): TraceEvent | null {
    const e = this._get(seq);
    return e && (!before || e.seq < before.seq) ? e : null;
  }

  private _record(line: number, kind: CauseKind, explains: Explained, subject: number, chain: (CauseLink | null)[], policy?: string): CauseRecord | null {
    return this._recordLinks(line, kind, explains, subject, chain.filter((l): l is CauseLink => l !== null), policy);
  }

  private _recordLinks(line: number, kind: CauseKind, explains: Explained, subject: number, links: CauseLink[], policy?: string): CauseRecord | null {
    // One link per event, oldest first (a device-side chain reused for a label may repeat one).
    const seen = new Set<number>();
    const chain = links.filter((l) => !seen.has(l.event.seq) && seen.add(l.event.seq)).sort((x, y) => x.event.seq - y.event.seq);
    const root = chain.find((l) => l.role !== 'label')?.event.seq ?? -1;
    const seq = this._ctx.emit(TK.Cause, line, kind, subject, root);
    const key = `${explains}:${kind}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
    if (seq < 0) return null;
    const trigger = explains === 'device-masked' || explains === 'device-coalesced' ? (this._dev.lastType[line] as number) : this._trigger;
    const r: CauseRecord = { seq, t: this._ctx.now, line, kind, explains, subject, root, chain, trigger };
    if (policy) r.policy = policy;
    this.records.push(r);
    if (this.records.length > MAX_CAUSES) this.records.shift();
    return r;
  }
}

/** The kinds of event the tracker follows (traced() has a case for each). */
const KINDS_FOLLOWED: readonly number[] = [
  TK.LineLevel,
  TK.SourceEpisode,
  TK.DevIrqType,
  TK.DevDirection,
  TK.DrvIrqTypeSent,
  TK.DrvFlags,
  TK.MsgRequest,
  TK.MsgResponse,
  TK.EvqArm,
  TK.EvqReturn,
  TK.EvqDone,
  TK.SourceAck,
  TK.DrvWarn,
  TK.DevIrqEvent,
  TK.OracleLabel,
  TK.HandlerStart,
  TK.HandlerEnd,
];
/** The kinds SimCore.emit hands the tracker: those followed, and the device failure (remembered whatever its line). */
const TAPPED = kindTable([...KINDS_FOLLOWED, TK.DevFailure]);

function kindTable(kinds: readonly number[]): Uint8Array {
  const t = new Uint8Array(KIND_CODES);
  for (const k of kinds) t[k] = 1;
  return t;
}

function link(role: LinkRole, event: TraceEvent | null): CauseLink | null {
  return event ? { role, event } : null;
}
