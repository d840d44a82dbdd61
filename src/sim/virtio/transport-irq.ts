import { EV, type SimContext } from '../sim-context';
import { DeliveryResult, TK } from '../trace/kinds';
import type { LatencyRange } from '../clock/time';

/** The guest side that runs when an interrupt is taken. */
export interface GuestInterruptSink {
  /** A used-buffer interrupt for queue `q` (the guest's vring_interrupt). */
  queueInterrupt(q: number): void;
  /** The configuration-change interrupt. */
  configInterrupt(): void;
}

/** ISR status bits (virtio 1.2 4.1.4.5): bit 0 queue interrupt, bit 1 configuration change. */
export const ISR_QUEUE = 1;
export const ISR_CONFIG = 2;

export type InterruptMode = 'msi' | 'intx' | 'intx-irqfd';

/** The two parties of `intx-irqfd` and how long each path takes (seed 002). */
export interface IrqfdLatencies {
  /** The back end signals its eventfd until KVM asserts the GSI (vhost -> irqfd -> KVM). */
  assert: LatencyRange;
  /** The guest's ISR read until QEMU's deassert reaches KVM (QEMU -> KVM). */
  deassert: LatencyRange;
  /** With a resample eventfd: the guest's EOI until the back end re-checks its ISR; null without one. */
  resample: LatencyRange | null;
}

/** Who changed the GSI's level (TK.IrqLine `a`). */
export const IrqParty = {
  /** The back end's eventfd, through KVM's irqfd: an assert. */
  BackEnd: 1,
  /** QEMU, after the guest read ISR: a deassert. */
  Qemu: 2,
  /** KVM's resampler at the guest's EOI: a deassert, then the resample eventfd. */
  KvmResampler: 3,
} as const;

/** Steps of the irqfd paths on the event queue (EV.Irqfd `a`). */
const IrqfdStep = { AssertLands: 1, DeassertLands: 2, Resample: 3 } as const;

/** MSI-X vectors: 0 for configuration changes, then one per queue (requestq, eventq). */
const VECTORS = 3;

/**
 * The GSI a guest would see for the INTx line (display only). A module constant as well as the
 * class's: describe.ts names it in trace text on the page, which need not carry the class.
 */
export const INTX_GSI = 11;

/**
 * How the device's interrupts reach the guest (seeds 001, 002):
 *  - `msi`: an MSI-X-like edge message per vector (0 config, 1 + queue index);
 *    a message sent while the previous one on that vector is still pending
 *    merges with it (coalesced), and a masked vector only sets its pending bit.
 *  - `intx`: one shared INTx-like level line with an ISR register; the device
 *    asserts and sets ISR bits, a second assert while asserted has no effect,
 *    and the guest's handler reads ISR, which clears it and deasserts the line.
 * Each raise is traced with its delivery result (delivered / coalesced / masked).
 */
export class TransportInterrupt {
  readonly mode: InterruptMode;
  private readonly _ctx: SimContext;
  private readonly _latency: LatencyRange;
  sink: GuestInterruptSink | null = null;

  /** MSI-X: per-vector mask bit, pending bit (PBA), and "message in flight to the CPU". */
  readonly vectorMasked = new Uint8Array(VECTORS);
  readonly vectorPending = new Uint8Array(VECTORS);
  private readonly _vectorInFlight = new Uint8Array(VECTORS);

  /** INTx: ISR status and the line level. */
  isr = 0;
  asserted = false;
  private _entryScheduled = false;

  readonly raised = new Uint32Array(VECTORS);
  readonly delivered = new Uint32Array(VECTORS);
  readonly coalesced = new Uint32Array(VECTORS);
  readonly masked = new Uint32Array(VECTORS);

  /** intx-irqfd: the eventfd was signalled and its assert has not reached KVM yet. */
  private _assertInFlight = false;
  readonly irqfd: IrqfdLatencies | null;
  /** intx-irqfd counters: asserts lost to a later deassert (line down while ISR still set), resample re-asserts. */
  lostToDeassert = 0;
  resampleReasserts = 0;

  /** The GSI a guest would see for the INTx line, and the MSI-X vector numbers: for display only. */
  static readonly INTX_GSI = INTX_GSI;

  constructor(ctx: SimContext, mode: InterruptMode, latency: LatencyRange, irqfd: IrqfdLatencies | null = null) {
    this._ctx = ctx;
    this.mode = mode;
    this._latency = latency;
    const zero = { min: 0, max: 0 };
    this.irqfd = mode === 'intx-irqfd' ? (irqfd ?? { assert: zero, deassert: zero, resample: null }) : null;
  }

  static vectorOf(queue: number): number {
    return queue + 1;
  }

  /** Device side: raise the interrupt for queue `q` (or -1 for a configuration change). */
  raise(q: number): void {
    const v = TransportInterrupt.vectorOf(q);
    this.raised[v]!++;
    let result: number;
    if (this.irqfd) {
      // vhost: set ISR, signal the eventfd. A second signal before KVM acted merges with it (an eventfd counts).
      this.isr |= q < 0 ? ISR_CONFIG : ISR_QUEUE;
      if (this._assertInFlight) {
        this.coalesced[v]!++;
        this._ctx.emit(TK.IrqRaise, -1, q, TransportInterrupt.INTX_GSI, DeliveryResult.Coalesced);
        return;
      }
      this._signal();
      // Signalled; what KVM makes of it (a new assertion, or none on a line already up) is traced when it lands (TK.IrqLine).
      this._ctx.emit(TK.IrqRaise, -1, q, TransportInterrupt.INTX_GSI, DeliveryResult.Delivered);
      return;
    }
    if (this.mode === 'msi') {
      if (this.vectorMasked[v]) {
        this.vectorPending[v] = 1;
        result = DeliveryResult.Masked;
      } else if (this._vectorInFlight[v]) {
        result = DeliveryResult.Coalesced;
      } else {
        this._vectorInFlight[v] = 1;
        this._ctx.after(this._ctx.draw(this._latency), EV.GuestIrq, v);
        result = DeliveryResult.Delivered;
      }
    } else {
      this.isr |= q < 0 ? ISR_CONFIG : ISR_QUEUE;
      if (this.asserted) {
        result = DeliveryResult.Coalesced; // Duplicate asserts have no effect (seed 002).
      } else {
        this.asserted = true;
        this._scheduleEntry();
        result = DeliveryResult.Delivered;
      }
    }
    if (result === DeliveryResult.Delivered) this.delivered[v]!++;
    else if (result === DeliveryResult.Coalesced) this.coalesced[v]!++;
    else this.masked[v]!++;
    this._ctx.emit(TK.IrqRaise, -1, q, this.mode === 'msi' ? v : TransportInterrupt.INTX_GSI, result);
  }

  /** Guest side: the interrupt is taken (EV.GuestIrq). */
  take(vector: number): void {
    const sink = this.sink;
    if (this.mode === 'msi') {
      this._vectorInFlight[vector] = 0;
      this._ctx.emit(TK.IrqEntry, -1, vector, 0, 0);
      if (!sink) return;
      if (vector === 0) sink.configInterrupt();
      else sink.queueInterrupt(vector - 1);
      return;
    }
    this._entryScheduled = false;
    if (this.irqfd) return this._takeIrqfd();
    // vp_interrupt: reading ISR returns and clears it, which deasserts the line.
    const isr = this.isr;
    this.isr = 0;
    this.asserted = false;
    this._ctx.emit(TK.IrqEntry, -1, -1, isr, 0);
    if (!sink) return;
    if (isr & ISR_CONFIG) sink.configInterrupt();
    // A shared INTx line does not say which queue: the guest scans them all.
    if (isr & ISR_QUEUE) {
      sink.queueInterrupt(0);
      sink.queueInterrupt(1);
    }
  }

  /** Masks or unmasks an MSI-X vector; unmasking delivers a pending message. */
  setVectorMask(vector: number, masked: boolean): void {
    this.vectorMasked[vector] = masked ? 1 : 0;
    if (!masked && this.vectorPending[vector]) {
      this.vectorPending[vector] = 0;
      if (!this._vectorInFlight[vector]) {
        this._vectorInFlight[vector] = 1;
        this._ctx.after(this._ctx.draw(this._latency), EV.GuestIrq, vector);
      }
    }
  }

  /** An irqfd step comes due (EV.Irqfd): a = IrqfdStep. */
  irqfdStep(step: number): void {
    if (step === IrqfdStep.AssertLands) {
      this._assertInFlight = false;
      const v = TransportInterrupt.vectorOf(0);
      // KVM tracks the line: asserting an asserted line has no effect (seed 002).
      const result = this.asserted ? DeliveryResult.Coalesced : DeliveryResult.Delivered;
      if (result === DeliveryResult.Delivered) {
        this.asserted = true;
        this.delivered[v]!++;
        this._scheduleEntry();
      } else this.coalesced[v]!++;
      this._ctx.emit(TK.IrqLine, -1, IrqParty.BackEnd, 1, result);
      return;
    }
    if (step === IrqfdStep.DeassertLands) {
      this.asserted = false;
      // ISR still set with no assert on its way: one landed between the guest's ISR read and this deassert, and nobody will look.
      if (this.isr && !this._assertInFlight) this.lostToDeassert++;
      this._ctx.emit(TK.IrqLine, -1, IrqParty.Qemu, 0, this.isr);
      return;
    }
    // The resample eventfd: the back end re-checks and asserts again if it still has something to report.
    const again = this.isr !== 0;
    this._ctx.emit(TK.IrqResample, -1, this.isr, again ? 1 : 0, 0);
    if (again) {
      this.resampleReasserts++;
      if (!this._assertInFlight) this._signal();
    }
  }

  /** intx-irqfd guest side: read ISR (QEMU clears it), handle, EOI. */
  private _takeIrqfd(): void {
    const fd = this.irqfd as IrqfdLatencies;
    const isr = this.isr;
    this.isr = 0;
    this._ctx.emit(TK.IrqEntry, -1, -1, isr, 0);
    if (!fd.resample) {
      // QEMU traps the ISR read and deasserts; its deassert reaches KVM on its own path.
      const d = this._ctx.draw(fd.deassert);
      if (d === 0) this.irqfdStep(IrqfdStep.DeassertLands);
      else this._ctx.after(d, EV.Irqfd, IrqfdStep.DeassertLands);
    }
    const sink = this.sink;
    if (sink) {
      if (isr & ISR_CONFIG) sink.configInterrupt();
      if (isr & ISR_QUEUE) {
        sink.queueInterrupt(0);
        sink.queueInterrupt(1);
      }
    }
    if (fd.resample) {
      // EOI: KVM's resampler deasserts the line itself and tells the back end through the resample eventfd.
      this.asserted = false;
      this._ctx.emit(TK.IrqLine, -1, IrqParty.KvmResampler, 0, this.isr);
      this._ctx.after(this._ctx.draw(fd.resample), EV.Irqfd, IrqfdStep.Resample);
    }
  }

  private _signal(): void {
    this._assertInFlight = true;
    this._ctx.after(this._ctx.draw((this.irqfd as IrqfdLatencies).assert), EV.Irqfd, IrqfdStep.AssertLands);
  }

  private _scheduleEntry(): void {
    if (this._entryScheduled) return;
    this._entryScheduled = true;
    this._ctx.after(this._ctx.draw(this._latency), EV.GuestIrq, -1);
  }
}
