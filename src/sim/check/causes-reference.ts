import { IRQ_RESPONSE_SIZE, IRQ_STATUS_VALID, IRQ_TYPE_NONE, MSG_SET_IRQ_TYPE, STATUS_OK, VIRTIO_GPIO_F_IRQ, isLevelType } from '../gpio/constants';
import type { GpioDevice } from '../gpio/device';
import { Callback } from '../guest/gpio-driver';
import { DriverWarning } from '../guest/warnings';
import type { SimContext, TraceTap } from '../sim-context';
import { CauseKind, DeliveryResult, EventCause, OracleLabel, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { MAX_CAUSES, type CauseLink, type CauseRecord, type CauseSettings, type Explained, type LinkRole } from './causes';
import type { LabelSink } from './oracle';

/**
 * TEST-ONLY REFERENCE: the cause tracker as it was before it was made fast
 * (Maps trimmed from their oldest entry, an object copy of every followed
 * event, arrays as latch FIFOs). Nothing in the core imports it; the property
 * test in scenario/causes-reference.test.ts runs it in place of CauseTracker on
 * random scenarios and schedules and asserts that both decide the same causes
 * with the same chains, policies and counts, and leave the same trace hash.
 * Keep it as it is: it is the specification the fast tracker is held to.
 */
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

/**
 * The most recent events by trace seq, in a ring indexed by seq: seqs only
 * grow, so the slot of an old seq is simply taken by a newer one (O(1), no
 * map to trim on every traced event).
 */
class SeqRing<V> {
  private readonly _keys: Float64Array;
  private readonly _vals: (V | undefined)[];
  constructor(capacity: number) {
    this._keys = new Float64Array(capacity).fill(-1);
    this._vals = new Array<V | undefined>(capacity);
  }
  set(seq: number, v: V): void {
    const i = seq % this._keys.length;
    this._keys[i] = seq;
    this._vals[i] = v;
  }
  get(seq: number): V | undefined {
    const i = seq % this._keys.length;
    return this._keys[i] === seq ? this._vals[i] : undefined;
  }
}

/**
 * One live iterator per bounded map, standing at its oldest entry. Asking a
 * fresh `keys()` for the oldest key after many deletions walks past every
 * deleted slot first (quadratic over a run); a live iterator never goes back.
 */
const oldest = new WeakMap<Map<unknown, unknown>, Iterator<unknown>>();

function boundedSet<K, V>(m: Map<K, V>, k: K, v: V, cap = MAX_LINKS): void {
  m.set(k, v);
  if (m.size <= cap) return;
  let it = oldest.get(m as Map<unknown, unknown>) as Iterator<K> | undefined;
  if (!it) {
    it = m.keys();
    oldest.set(m as Map<unknown, unknown>, it);
  }
  const first = it.next();
  if (!first.done) m.delete(first.value);
}

export class ReferenceCauseTracker implements TraceTap, LabelSink {
  /** Every kind: the reference sees every traced event, as the tracker once did. */
  readonly kinds = new Uint8Array(256).fill(1);
  private readonly _ctx: SimContext;
  private readonly _dev: GpioDevice;
  private readonly _set: CauseSettings;
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
  private readonly _latched: number[][];
  /** The primary handler running on each line: its HandlerStart seq, or -1. */
  private readonly _running: Float64Array;
  /** Device event behind a VALID the driver consumed while the line's handler ran -> [EvqDone seq, HandlerStart seq]. */
  private readonly _doneWhileRunning = new Map<number, [number, number]>();
  /** The last such drop per line, until the line's buffer is taken again. */
  private readonly _lastDropped: ([number, number] | null)[];
  private _failure = -1;
  private _failureEvent: TraceEvent | null = null;
  /** The client's trigger for the label being explained. */
  private _trigger = 0;
  /** Device events latched while the type was NONE (lazy NONE). */
  private readonly _latchedWhileNone = new Map<number, true>();
  /** Device event seq -> the trigger type the device had when it saw it. */
  private readonly _typeAt = new Map<number, number>();
  /** Owing event seq -> the device event it caused; device event -> owing event. */
  private readonly _devOf = new Map<number, number>();
  private readonly _owingOf = new Map<number, number>();
  /** A refused SET_IRQ_TYPE's answer seq -> copies of [the answer, its request]. */
  private readonly _refusals = new Map<number, [TraceEvent | null, TraceEvent | null]>();
  /** Owing event seq -> the device's trigger type and the pending refusal (seq or -1) when it became owed. */
  private readonly _owedState = new Map<number, [number, number]>();
  /** Owing event seq -> the label that served it. */
  private readonly _servedBy = new Map<number, number>();
  /** Device event seq -> the device-side cause decided for it. */
  private readonly _devCause = new Map<number, CauseRecord>();
  /** Copies of recent events of the kinds chains name, by seq. */
  private readonly _events = new SeqRing<TraceEvent>(MAX_EVENTS);
  /** Copies of the events the rarely-changing per-line slots name, by seq (kept however old). */
  private readonly _pinned = new Map<number, TraceEvent>();
  private readonly _pinnedSlots: Float64Array[];

  constructor(ctx: SimContext, device: GpioDevice, settings: CauseSettings) {
    this._ctx = ctx;
    this._dev = device;
    this._set = settings;
    const n = device.cfg.ngpio;
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
    this._latched = Array.from({ length: n }, () => []);
    this._running = seqs();
    this._lastDropped = Array.from({ length: n }, () => null);
    this._pinnedSlots = [this._typeNone, this._typeSet, this._sentNone, this._sentAny, this._rejected, this._typeReq, this._badLenReturn, this._badLenWarn, this._dirSet];
  }

  /** Sets a rarely-changing slot and keeps its event however old; the event it named goes unless another slot names it. */
  private _pin(slot: Float64Array, line: number, seq: number): void {
    const old = slot[line] as number;
    slot[line] = seq;
    const e = this._events.get(seq);
    if (e) this._pinned.set(seq, e);
    if (old >= 0 && old !== seq && !this._pinnedSlots.some((s) => s[line] === old)) this._pinned.delete(old);
  }

  /** How many causes of this kind explain this sort of flag (exact, beyond the kept records). */
  count(explains: Explained, kind: number): number {
    return this.counts.get(`${explains}:${kind}`) ?? 0;
  }

  // ---- the trace as it is written -------------------------------------------------

  traced(seq: number, kind: number, line: number, a: number, b: number, c: number): void {
    if (kind === TK.DevFailure && c !== 1) {
      this._failureEvent = { seq, t: this._ctx.now, kind, line, a, b, c };
      this._failure = seq;
    }
    if (line < 0 || line >= this._dev.cfg.ngpio || !FOLLOWED.has(kind)) return;
    if (named(kind, a, b)) this._events.set(seq, { seq, t: this._ctx.now, kind, line, a, b, c });
    switch (kind) {
      case TK.LineLevel:
        this._level[line] = seq;
        return;
      case TK.SourceEpisode:
        this._episode[line] = seq;
        return;
      case TK.DevIrqType:
        this._pin(b === IRQ_TYPE_NONE ? this._typeNone : this._typeSet, line, seq);
        return;
      case TK.DevDirection:
        this._pin(this._dirSet, line, seq);
        return;
      case TK.DrvIrqTypeSent:
        this._pin(this._sentAny, line, seq);
        if (a === IRQ_TYPE_NONE) {
          this._pin(this._sentNone, line, seq);
          this._sentNoneCb[line] = b;
        }
        return;
      case TK.DrvFlags:
        if (b === Callback.Unmask) this._unmask[line] = seq;
        return;
      case TK.MsgRequest:
        if (a === MSG_SET_IRQ_TYPE) this._pin(this._typeReq, line, seq);
        return;
      case TK.MsgResponse:
        // The device kept its old type: remembered until a SET_IRQ_TYPE succeeds.
        if (a === MSG_SET_IRQ_TYPE) {
          const refused = (b & 0xff) !== STATUS_OK;
          // Each refusal keeps its own copies: a later request or success must not take them from a chain.
          if (refused) boundedSet(this._refusals, seq, [this._events.get(seq) ?? null, this._get(this._typeReq[line] as number)]);
          this._pin(this._rejected, line, refused ? seq : -1);
        }
        return;
      case TK.EvqArm:
        return this._armed(seq, line);
      case TK.EvqReturn:
        if (c !== IRQ_RESPONSE_SIZE) this._pin(this._badLenReturn, line, seq);
        if (a === IRQ_STATUS_VALID) {
          this._validReturn[line] = seq;
          this._returnedSrc[line] = this._decidedSrc[line] as number;
          this._decidedSrc[line] = -1;
        } else this._invalidReturn[line] = seq;
        return;
      case TK.EvqDone:
        this._doneSrc[line] = a === IRQ_STATUS_VALID ? (this._returnedSrc[line] as number) : -1;
        if (this._doneSrc[line]! >= 0 && this._running[line]! >= 0) {
          const dropped: [number, number] = [seq, this._running[line] as number];
          boundedSet(this._doneWhileRunning, this._doneSrc[line] as number, dropped);
          this._lastDropped[line] = dropped;
        }
        return;
      case TK.HandlerStart:
        if (c === 0) this._running[line] = seq;
        return;
      case TK.HandlerEnd:
        if (c === 0) this._running[line] = -1;
        return;
      case TK.SourceAck:
        this._ack[line] = seq;
        return;
      case TK.DrvWarn:
        if (a === DriverWarning.IrqIncorrectLen) this._pin(this._badLenWarn, line, seq);
        return;
      case TK.DevIrqEvent:
        return this._deviceEvent(seq, line, a, c);
    }
  }

  /** The device took the line's buffer: if it holds latched edges it returns one at once (GpioDevice._armed). */
  private _armed(seq: number, line: number): void {
    this._arm[line] = seq;
    this._lastDropped[line] = null;
    const d = this._dev;
    const fifo = this._syncLatched(line);
    const pops =
      d.held[line] === -1 &&
      d.irqType[line] !== IRQ_TYPE_NONE &&
      !d.cfg.policy.mockStorm &&
      (d.latch[line] as number) > 0;
    if (pops) this._decidedSrc[line] = fifo.shift() ?? -1;
  }

  /** The latched edges still pending in the device: the newest `latch` ones (clearing drops the older). */
  private _syncLatched(line: number): number[] {
    const fifo = this._latched[line]!;
    const pending = this._dev.latch[line] as number;
    while (fifo.length > pending) fifo.shift();
    return fifo;
  }

  private _deviceEvent(seq: number, line: number, result: number, cause: number): void {
    const d = this._dev;
    const noneNow = d.irqType[line] === IRQ_TYPE_NONE;
    if (result === DeliveryResult.Delivered) {
      boundedSet(this._typeAt, seq, d.irqType[line] as number);
      if (d.held[line] !== -1 && !noneNow) {
        this._decidedSrc[line] = seq; // Straight back with the buffer the device holds.
      } else {
        const fifo = this._latched[line]!;
        fifo.push(seq);
        if (fifo.length > MAX_LATCHED) fifo.shift();
        if (noneNow) boundedSet(this._latchedWhileNone, seq, true);
      }
      return;
    }
    const ev = this._get(seq);
    const edge = this._get(this._level[line] as number);
    if (result === DeliveryResult.Coalesced) {
      const fifo = this._syncLatched(line);
      const holder = this._get(fifo[fifo.length - 1] ?? -1);
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
    if (r) boundedSet(this._devCause, seq, r);
  }

  // ---- the oracle -----------------------------------------------------------------

  owed(line: number, episode: boolean): number {
    const owing = (episode ? this._episode[line] : this._level[line]) as number;
    // The device senses the wire first: its event for this level change, if any, is the very next one traced.
    if (owing >= 0) boundedSet(this._owedState, owing, [this._dev.irqType[line] as number, this._rejected[line] as number]);
    const x = episode || owing < 0 ? null : this._get(owing + 1);
    if (x && x.kind === TK.DevIrqEvent && x.line === line) {
      boundedSet(this._devOf, owing, x.seq);
      boundedSet(this._owingOf, x.seq, owing);
    }
    return owing;
  }

  labelled(line: number, label: number, seq: number, refs: readonly number[], trigger: number): void {
    if (seq < 0) return;
    this._trigger = trigger;
    const lbl = this._get(seq);
    if (label === OracleLabel.Delivered || label === OracleLabel.Coalesced) {
      for (const r of refs) if (r >= 0) boundedSet(this._servedBy, r, seq);
      if (label === OracleLabel.Coalesced) this._coalesced(line, seq, lbl, refs);
      return;
    }
    if (label === OracleLabel.Spurious) return this._spurious(line, seq, lbl, trigger);
    if (label === OracleLabel.Lost) return this._lost(line, seq, lbl, refs, trigger);
  }

  private _coalesced(line: number, seq: number, lbl: TraceEvent | null, refs: readonly number[]): void {
    const chain: (CauseLink | null)[] = [];
    let inLatch = false;
    for (const r of refs.slice(0, 4)) {
      const dev = this._get(this._devOf.get(r) ?? -1);
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
    const typeAt = this._typeAt.get(srcSeq);
    if (src && typeAt !== undefined && typeAt !== IRQ_TYPE_NONE && typeAt !== trigger) {
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
    const owing = this._owingOf.get(srcSeq) ?? -1;
    const served = this._get(this._servedBy.get(owing) ?? -1);
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
      const servedLevel = this._get(this._servedBy.get(owing) ?? -1);
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
    const dev = this._get(this._devOf.get(refs[0] ?? -1) ?? -1);
    const owed = [link('owed', owing), link('device', dev)];
    if (!d.negotiated(VIRTIO_GPIO_F_IRQ)) {
      this._record(line, CauseKind.NoIrqFeature, 'lost', seq, [...owed, link('label', lbl)], d.cfg.offerIrq ? undefined : 'device.irqFeature = false');
      return;
    }
    if (dev && dev.a === DeliveryResult.Masked) {
      // The device dropped it: the device-side cause says why.
      const dc = this._devCause.get(dev.seq);
      const kind = dc?.kind ?? CauseKind.Unexplained;
      const chain = dc ? [...dc.chain, link('label', lbl)] : [...owed, link('label', lbl)];
      this._record(line, kind, 'lost', seq, chain, dc?.policy);
      return;
    }
    // Dropped itself, or latched behind a dropped VALID that left the line masked with its buffer never re-queued.
    const busy = dev ? (this._doneWhileRunning.get(dev.seq) ?? (dev.a === DeliveryResult.Delivered ? this._lastDropped[line] : null)) : undefined;
    if (busy) {
      // The VALID reached the driver while the line's handler still ran: the flow handler masked the line and dropped it.
      const chain = [...owed, link('handler', this._get(busy[1])), link('done', this._get(busy[0])), link('label', lbl)];
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
    const [typeThen, rejThen] = this._owedState.get(refs[0] ?? -1) ?? [d.irqType[line] as number, this._rejected[line] as number];
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
    const [rej, req] = this._refusals.get(rejected) ?? [null, null];
    return [link('sent', req), link('rejected', rej), ...rest];
  }

  private _typeChangePolicy(): string {
    const p = this._dev.cfg.policy.typeChange === 'rejected' ? 'device.policy.typeChange = rejected' : '';
    return [p, `driver.typeChange = ${this._set.typeChange}`].filter((x) => x !== '').join('; ');
  }

  // ---- records --------------------------------------------------------------------

  private _get(seq: number): TraceEvent | null {
    return seq >= 0 ? (this._pinned.get(seq) ?? this._events.get(seq) ?? null) : null;
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

/** The kinds of event the tracker follows. */
const FOLLOWED = new Set<number>([
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
]);

/** Whether a chain can name this event (the tracker keeps copies of these only). */
function named(kind: number, a: number, b: number): boolean {
  switch (kind) {
    case TK.DrvFlags:
      return b === Callback.Unmask;
    case TK.MsgRequest:
    case TK.MsgResponse:
      return a === MSG_SET_IRQ_TYPE;
    case TK.DrvWarn:
      return a === DriverWarning.IrqIncorrectLen;
    case TK.HandlerEnd:
      return false;
    default:
      return true;
  }
}

function link(role: LinkRole, event: TraceEvent | null): CauseLink | null {
  return event ? { role, event } : null;
}
