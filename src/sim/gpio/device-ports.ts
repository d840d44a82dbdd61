/**
 * The device's vocabulary toward the rest of the simulation: why a message was
 * malformed, why the device failed, and the ports it is connected through (the
 * wire, the transport, the in-flight bookkeeping, the spec monitors).
 */
/** Why a message could not be handled as one (traced as MsgMalformed). */
export const Malformed = {
  /** Not exactly two buffers, readable then writable. */
  ChainShape: 1,
  /** The request buffer is not the size of the request struct. */
  RequestSize: 2,
  /** The response buffer is too small for the response. */
  ResponseSize: 3,
  /** eventq: not a 2-byte request and a 1-byte response. */
  EventShape: 4,
} as const;

/** What each reason means, in words. */
export const MALFORMED_TEXT: Readonly<Record<number, string>> = {
  [Malformed.ChainShape]: 'chain is not one readable buffer followed by one writable buffer',
  [Malformed.RequestSize]: 'request buffer is not 8 bytes',
  [Malformed.ResponseSize]: 'response buffer is too small',
  [Malformed.EventShape]: 'eventq chain is not a 2-byte request and a 1-byte response',
};

/** Why the device stopped working (traced as DevFailure). */
export const Failure = {
  /** DEVICE_NEEDS_RESET: the device gave up on a queue. */
  NeedsReset: 1,
  /** The device process died (rust-vmm indexes an out-of-range gpio and panics). */
  Crashed: 2,
} as const;

/**
 * Hooks the spec monitors (and tests) observe. Every call describes something
 * the device saw or did, with the seq of the trace event that records it.
 */
export interface DeviceObserver {
  request(line: number, type: number, value: number, head: number, seq: number): void;
  response(line: number, type: number, status: number, usedLen: number, respLen: number, head: number, seq: number): void;
  /** A chain went back on a used ring with `usedLen`; `capacity` is what its writable buffers hold. */
  used(queue: number, line: number, usedLen: number, capacity: number, seq: number): void;
  /** A device-side interrupt event (edge or level) and what became of it. */
  irqEvent(line: number, result: number, cause: number, irqType: number): void;
  malformed(queue: number, reason: number, writeBeforeRead: boolean, seq: number): void;
  ringFault(queue: number, fault: number, seq: number): void;
  /** The driver queued an eventq buffer; `held` tells whether the device already held one for the line. */
  eventBuffer(line: number, held: boolean, irqType: number, direction: number, seq: number): void;
  /** The device decided to return the line's eventq buffer; `latchedAt` is when the reported edge happened (-1 if none). */
  eventReturn(line: number, status: number, irqType: number, latchedAt: number, seq: number): void;
  /** A SET_IRQ_TYPE was handled; `heldAfter` is true when the device still holds a buffer after a NONE. */
  irqType(line: number, before: number, requested: number, status: number, heldAfter: boolean, seq: number): void;
  /** A SET_DIRECTION was handled. */
  direction(line: number, before: number, requested: number, status: number, valueSet: boolean, irqTypeBefore: number, irqTypeAfter: number, latchAfter: number): void;
  /** Traffic reached the device while it was not ready (before DRIVER_OK or after a failure). */
  notReady(queue: number, seq: number): void;
}

/** The physical lines as the device sees them (the wire): their levels, and its own output drive. */
export interface DeviceLines {
  readonly level: Uint8Array;
  /** Drive an output line to 0/1, or stop driving it (-1). */
  setDevice(line: number, drive: number): void;
}

/** Raises the used-buffer interrupt of a queue, or the configuration-change interrupt (-1): the transport. */
export interface DeviceInterrupts {
  raise(queue: number): void;
}

/** Follows eventq buffers through the device (the oracle's in-flight bookkeeping). */
export interface EventqWatcher {
  /** The device took a line's eventq buffer off the avail ring. */
  eventTaken(line: number): void;
  /** The device decided to return a line's eventq buffer with this status (it reaches the used ring later). */
  eventDecided(line: number, status: number): void;
}
