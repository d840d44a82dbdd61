import { IRQ_TYPE_NONE, edgeQualifies, isEdgeType, isLevelType, levelActive } from '../gpio/constants';
import { EV, type SimContext } from '../sim-context';
import { OracleLabel, TK } from '../trace/kinds';
import type { WireListener } from '../gpio/wire';
import type { EpisodeListener } from '../gpio/world';
import type { ClientObserver } from '../guest/clients';
import type { HandlerObserver } from '../guest/irq-core';

/** Per-line and total outcome counts. */
export interface Outcome {
  /** Handler calls that covered at least one owed edge or level assertion. */
  delivered: number;
  /** Extra edges or assertions folded into a call that covered more than one. */
  coalesced: number;
  /** Handler calls with nothing owed since the previous call. */
  spurious: number;
  /** Owed edges or assertions that no handler call covered. */
  lost: number;
}

function emptyOutcome(): Outcome {
  return { delivered: 0, coalesced: 0, spurious: 0, lost: 0 };
}

/** Follows what the oracle owes and labels, so each label can be explained (check/causes.ts). */
export interface LabelSink {
  /** Something became owed on the line (`episode`: a source re-asserted); returns a reference kept with it. */
  owed(line: number, episode: boolean): number;
  /** A label was traced at `seq`; `refs` are the references of the owed items it covers (served or lost). */
  labelled(line: number, label: number, seq: number, refs: readonly number[], trigger: number): void;
}

/** Tells the oracle whether a line's interrupt pipeline could still deliver what is owed. */
export interface PipelineProbe {
  inFlight(line: number): boolean;
}

/**
 * The oracle: what an ideal interrupt controller would have delivered, judged
 * from the physical waveform and the trigger the client asked for, never from
 * the driver's view.
 *
 *  - Edge triggers: every qualifying edge while the client expects interrupts
 *    is owed one handler call that starts after it.
 *  - Level triggers: every assertion is owed a call: the line going active, or
 *    a source re-asserting without the line dropping (the timer case). An
 *    assertion that ends before it was served is withdrawn, as on real hardware.
 *  - A handler call covers everything owed before it started: one thing ->
 *    delivered, several -> delivered plus coalesced, nothing -> spurious.
 *  - Something owed is lost when it is still unserved a settle window after it
 *    happened and the line's pipeline is idle (no handler running or pending,
 *    no VALID buffer or re-queue on its way); while the pipeline is busy the
 *    check is repeated one settle window later.
 */
export class Oracle implements WireListener, EpisodeListener, ClientObserver, HandlerObserver {
  private readonly _ctx: SimContext;
  private readonly _probe: PipelineProbe;
  readonly settleNs: number;
  readonly lines: Outcome[];
  /** The trigger the client expects (NONE when it expects nothing). */
  readonly trigger: Uint8Array;
  private readonly _level: Uint8Array;
  /** Times of owed, unserved edges or assertions, oldest first. */
  private readonly _owed: number[][];
  private readonly _checkGen: Int32Array;
  private readonly _checkAt: Float64Array;
  /** Per owed item, the reference the label sink gave for it (parallel to _owed). */
  private readonly _owedRef: number[][];
  /** Owed items still pending when the run ended (too recent to judge). */
  pendingAtEnd = 0;
  /** Told of every owed item and label (the cause tracker); null when nobody explains. */
  sink: LabelSink | null = null;

  constructor(ctx: SimContext, probe: PipelineProbe, ngpio: number, settleNs: number, initialLevels: Uint8Array) {
    this._ctx = ctx;
    this._probe = probe;
    this.settleNs = settleNs;
    this.lines = Array.from({ length: ngpio }, emptyOutcome);
    this.trigger = new Uint8Array(ngpio);
    this._level = initialLevels.slice();
    this._owed = Array.from({ length: ngpio }, () => []);
    this._owedRef = Array.from({ length: ngpio }, () => []);
    this._checkGen = new Int32Array(ngpio);
    this._checkAt = new Float64Array(ngpio).fill(-1);
  }

  total(): Outcome {
    const t = emptyOutcome();
    for (const o of this.lines) {
      t.delivered += o.delivered;
      t.coalesced += o.coalesced;
      t.spurious += o.spurious;
      t.lost += o.lost;
    }
    return t;
  }

  // ---- what the client expects ----------------------------------------------------

  expect(line: number, trigger: number): void {
    if (trigger === IRQ_TYPE_NONE) return; // Expecting nothing is not a new expectation.
    this.trigger[line] = trigger;
    this._owed[line]!.length = 0; // Nothing before this point was owed.
    this._owedRef[line]!.length = 0;
    if (isLevelType(trigger) && levelActive(trigger, this._level[line] as number)) this._owe(line, false);
  }

  unexpect(line: number): void {
    // What was owed long enough ago and never served is lost; anything younger is simply withdrawn.
    this._judge(line, true);
    this.trigger[line] = IRQ_TYPE_NONE;
    this._owed[line]!.length = 0;
    this._owedRef[line]!.length = 0;
  }

  // ---- the physical waveform ------------------------------------------------------

  /** The wire tells of every level change. */
  levelChanged(line: number, level: number): void {
    const prev = this._level[line] as number;
    this._level[line] = level;
    const t = this.trigger[line] as number;
    if (t === IRQ_TYPE_NONE) return;
    if (isEdgeType(t)) {
      if (edgeQualifies(t, prev, level)) this._owe(line, false);
      return;
    }
    if (levelActive(t, level)) {
      if (!levelActive(t, prev)) this._owe(line, false);
    } else {
      // The assertion ended before anyone served it: withdrawn, not lost.
      this._owed[line]!.length = 0;
      this._owedRef[line]!.length = 0;
    }
  }

  /** A level source started a new assertion; counts only if the line is already active (no visible edge). */
  episode(line: number): void {
    const t = this.trigger[line] as number;
    if (isLevelType(t) && levelActive(t, this._level[line] as number)) this._owe(line, true);
  }

  // ---- handler calls --------------------------------------------------------------

  handlerStart(line: number, callNo: number): void {
    const owed = this._owed[line]!;
    const n = owed.length;
    owed.length = 0;
    const refs = this._owedRef[line]!;
    const o = this.lines[line]!;
    let label: number;
    if (n === 0) {
      o.spurious++;
      label = OracleLabel.Spurious;
    } else {
      o.delivered++;
      o.coalesced += n - 1;
      label = n > 1 ? OracleLabel.Coalesced : OracleLabel.Delivered;
    }
    const seq = this._ctx.emit(TK.OracleLabel, line, label, n, callNo);
    this.sink?.labelled(line, label, seq, refs, this.trigger[line] as number);
    refs.length = 0;
  }

  // ---- lost detection -------------------------------------------------------------

  /** EV.OracleCheck dispatch. */
  check(line: number, gen: number): void {
    if (gen !== this._checkGen[line]) return;
    this._checkAt[line] = -1;
    this._judge(line, false);
  }

  /** End of run: judge everything old enough; the rest is reported as pending. */
  finish(): void {
    for (let line = 0; line < this.lines.length; line++) {
      this._judge(line, false);
      this.pendingAtEnd += this._owed[line]!.length;
    }
  }

  private _owe(line: number, episode: boolean): void {
    const owed = this._owed[line]!;
    owed.push(this._ctx.now);
    this._owedRef[line]!.push(this.sink ? this.sink.owed(line, episode) : -1);
    if (owed.length === 1) this._scheduleCheck(line, this.settleNs);
  }

  private _judge(line: number, final: boolean): void {
    const owed = this._owed[line]!;
    if (owed.length === 0) return;
    const now = this._ctx.now;
    const ripe = now - this.settleNs;
    let n = 0;
    while (n < owed.length && (owed[n] as number) <= ripe) n++;
    if (n > 0 && (final || !this._probe.inFlight(line))) {
      owed.splice(0, n);
      const refs = this._owedRef[line]!.splice(0, n);
      this.lines[line]!.lost += n;
      const seq = this._ctx.emit(TK.OracleLabel, line, OracleLabel.Lost, n, -1);
      this.sink?.labelled(line, OracleLabel.Lost, seq, refs, this.trigger[line] as number);
    }
    if (!final && owed.length > 0) {
      const wait = n > 0 ? this.settleNs : (owed[0] as number) + this.settleNs - now;
      this._scheduleCheck(line, Math.max(1, wait));
    }
  }

  private _scheduleCheck(line: number, delay: number): void {
    const at = this._ctx.now + delay;
    const pending = this._checkAt[line] as number;
    if (pending >= 0 && pending <= at) return;
    this._checkAt[line] = at;
    this._ctx.after(delay, EV.OracleCheck, line, ++this._checkGen[line]!);
  }
}
