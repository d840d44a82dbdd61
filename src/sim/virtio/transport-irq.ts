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

export type InterruptMode = 'msi' | 'intx';

/** MSI-X vectors: 0 for configuration changes, then one per queue (requestq, eventq). */
const VECTORS = 3;

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

  /** The GSI a guest would see for the INTx line, and the MSI-X vector numbers: for display only. */
  static readonly INTX_GSI = 11;

  constructor(ctx: SimContext, mode: InterruptMode, latency: LatencyRange) {
    this._ctx = ctx;
    this.mode = mode;
    this._latency = latency;
  }

  static vectorOf(queue: number): number {
    return queue + 1;
  }

  /** Device side: raise the interrupt for queue `q` (or -1 for a configuration change). */
  raise(q: number): void {
    const v = TransportInterrupt.vectorOf(q);
    this.raised[v]!++;
    let result: number;
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

  private _scheduleEntry(): void {
    if (this._entryScheduled) return;
    this._entryScheduled = true;
    this._ctx.after(this._ctx.draw(this._latency), EV.GuestIrq, -1);
  }
}
