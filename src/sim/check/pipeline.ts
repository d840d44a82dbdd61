import { IRQ_STATUS_VALID } from '../gpio/constants';
import type { EventqWatcher } from '../gpio/device';
import type { EventPipeline } from '../guest/gpio-driver';
import type { VirtioGpioDriver } from '../guest/gpio-driver';
import type { IrqCore } from '../guest/irq-core';
import type { PipelineProbe } from './oracle';

/**
 * Where each line's interrupt is on its way through the stack, for the
 * oracle: eventq buffers queued by the driver and not yet taken by the device,
 * VALID returns the device decided and the driver has not consumed, and (from
 * the irq core and the chip driver) a handler running or a request in flight.
 * An owed interrupt is judged lost only when all of these are quiet, so a slow
 * pipeline is never mistaken for a lost interrupt.
 */
export class EventqPipeline implements EventqWatcher, EventPipeline, PipelineProbe {
  /** eventq buffers on their way to the device, per line. */
  private readonly _toDevice: Int32Array;
  /** VALID returns decided by the device, not yet consumed by the driver. */
  private readonly _validPending: Int32Array;
  /** eventq buffers the driver consumed, by status (the report's VALID / INVALID counts). */
  readonly validConsumed: Uint32Array;
  readonly invalidConsumed: Uint32Array;
  private _irq: IrqCore | null = null;
  private _chip: VirtioGpioDriver | null = null;

  constructor(ngpio: number) {
    this._toDevice = new Int32Array(ngpio);
    this._validPending = new Int32Array(ngpio);
    this.validConsumed = new Uint32Array(ngpio);
    this.invalidConsumed = new Uint32Array(ngpio);
  }

  /** The guest parts whose own state says "still working on it" (they are built after the device). */
  watch(irq: IrqCore, chip: VirtioGpioDriver): void {
    this._irq = irq;
    this._chip = chip;
  }

  // ---- the driver side (EventPipeline) --------------------------------------------

  eventQueued(line: number): void {
    this._toDevice[line]!++;
  }

  eventConsumed(line: number, status: number): void {
    if (status === IRQ_STATUS_VALID) this.validConsumed[line]!++;
    else this.invalidConsumed[line]!++;
    // Any status the device decided as VALID counts here, even if a fault rewrote it.
    if (this._validPending[line]! > 0) this._validPending[line]!--;
  }

  // ---- the device side (EventqWatcher) --------------------------------------------

  eventTaken(line: number): void {
    if (this._toDevice[line]! > 0) this._toDevice[line]!--;
  }

  eventDecided(line: number, status: number): void {
    if (status === IRQ_STATUS_VALID) this._validPending[line]!++;
  }

  // ---- for the oracle (PipelineProbe) ---------------------------------------------

  inFlight(line: number): boolean {
    return (
      (this._irq?.busy(line) ?? false) || this._validPending[line]! > 0 || this._toDevice[line]! > 0 || (this._chip?.busy(line) ?? false)
    );
  }
}
