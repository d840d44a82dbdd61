/**
 * The typed trace events. Each event is (time, kind, line, a, b, c) with small
 * integer fields; the meaning of a/b/c per kind is documented here and decoded
 * for people by explain/describe.ts. Numbers never change once released: trace hashes
 * and exported JSONL depend on them.
 */
import { namesOf, vocabulary } from '../vocabulary';

export const TK = {
  // Ring operations. a = queue index (0 requestq, 1 eventq).
  RingAdd: 1, //      driver added a chain: b = head, c = avail idx after
  RingKick: 2, //     driver kicked: b = avail idx, c = 1 if the device wanted the notification
  RingPop: 3, //      device took a chain: b = head, c = descriptors in it
  RingPush: 4, //     device returned a chain: b = head, c = used length
  RingGet: 5, //      driver consumed a used entry: b = head, c = used length
  RingFault: 6, //    device found the ring broken: b = RingFault code
  RogueDesc: 7, //    a misbehaving driver wrote a descriptor: line = table index, a = queue | flags << 4 | next << 16, b = addr, c = len
  RoguePublish: 8, // a misbehaving driver made a chain available: b = head (-1: it could not), c = avail idx written

  // Transport interrupt to the guest.
  IrqRaise: 10, //    device raised a vq/config interrupt: a = queue (-1 config), b = vector or GSI, c = DeliveryResult
  IrqEntry: 11, //    guest interrupt handler ran: a = vector (-1 INTx), b = ISR value read (INTx)
  IrqVqCallback: 12, // guest ran a vq callback: a = queue
  IrqLine: 13, //     intx-irqfd: the GSI's level changed at KVM: a = IrqParty, b = level, c = DeliveryResult (assert) or ISR left set (deassert)
  IrqResample: 14, // intx-irqfd: the back end got the resample eventfd: a = its ISR, b = 1 if it asserts again

  // Decoded messages. line = gpio from the request.
  MsgRequest: 20, //  device read a request: a = type, b = value, c = head
  MsgResponse: 21, // device wrote a response: a = type, b = status | value << 8, c = used length
  MsgDone: 22, //     driver consumed the response: a = type, b = status | value << 8, c = rx length
  MsgMalformed: 23, // device found a malformed message: a = queue, b = MalformedReason, c = head
  EvqArm: 24, //      device took an eventq buffer for the line: a = head
  EvqReturn: 25, //   device returned the line's eventq buffer: a = IRQ status, b = head, c = used length
  EvqDone: 26, //     driver consumed the line's eventq buffer: a = IRQ status, c = used length

  // The wire.
  LineLevel: 30, //   line level changed: a = level, b = LevelCause, c = source episode
  LineContention: 31, // driven both ways: a = world level, b = device output level
  SourceEpisode: 32, // a level source began an assertion (also a re-assert with no drop): a = episode

  // Device state.
  DevIrqEvent: 40, // a device-side interrupt event: a = DeliveryResult, b = SinkState after, c = EventCause
  DevIrqType: 41, //  device's trigger type changed: a = old, b = new
  DevDirection: 42, // device's line direction changed: a = old, b = new, c = output value
  DevStatus: 43, //  device status register: a = old, b = new
  DevFailure: 44, // device stopped working: a = FailureReason

  // Guest driver.
  DrvFlags: 50, //    irq_chip flags after a callback: a = DrvFlagBits, b = Callback, c = trigger type stored
  DrvWarn: 51, //     a kernel WARN or error message: a = DriverWarning
  DrvIrqTypeSent: 52, // bus_sync_unlock sent SET_IRQ_TYPE: a = type, b = cause
  DrvRequestError: 53, // a request returned an error to its caller: a = type, b = errno (negative)

  // Handlers.
  HandlerStart: 60, // a = client id, b = call number for the client, c = 1 if threaded part
  HandlerEnd: 61, //  a = client id, b = call number, c = 1 if threaded part
  SourceAck: 62, //   client acknowledged its level source: a = client id
  GpiomonEvent: 63, // gpiomon reported an edge: a = 1 rising / 2 falling, b = client id

  // Checks.
  OracleLabel: 70, // a = OracleLabel, b = edges or episodes covered, c = handler call number (or -1)
  Violation: 71, //   a = rule index in RULES, b = trace seq of the offending event (or -1)
  GpiomonMismatch: 72, // a gpiomon report disagrees with the waveform: a = GpiomonMismatch, b = reported edge (1 rising, 2 falling, 0 none), c = physical edge (same codes, 0 none)
  Cause: 73, //       why a label or a device result happened: a = CauseKind, b = seq of the event explained, c = seq of the root event (or -1)

  // The timeline and the shell.
  Step: 80, //        a = step index, b = StepKind
  ShellCommand: 81, // a = command number
} as const;
export type TraceKind = (typeof TK)[keyof typeof TK];

export const TRACE_CATEGORIES = ['ring', 'transport', 'msg', 'line', 'device', 'driver', 'handler', 'check', 'step'] as const;
export type TraceCategory = (typeof TRACE_CATEGORIES)[number];

export function categoryOf(kind: number): TraceCategory {
  if (kind < 10) return 'ring';
  if (kind < 20) return 'transport';
  if (kind < 30) return 'msg';
  if (kind < 40) return 'line';
  if (kind < 50) return 'device';
  if (kind < 60) return 'driver';
  if (kind < 70) return 'handler';
  if (kind < 80) return 'check';
  return 'step';
}

/** Kind names (RingAdd, MsgRequest, ...), for exports and the UI. */
export const KINDS = vocabulary(TK);
export const KIND_NAMES = KINDS.byCode;

/** Device-side delivery result of one interrupt event (the seed-000 vocabulary). */
export const DeliveryResult = { Delivered: 0, Coalesced: 1, Masked: 2 } as const;
export type DeliveryResult = (typeof DeliveryResult)[keyof typeof DeliveryResult];
export const DELIVERY = namesOf(DeliveryResult, 'kebab');
export const DELIVERY_NAMES = DELIVERY.byCode;

/** What a source could learn by querying the sink (Paul Brook's proposal in seed 000). */
export const SinkState = { Normal: 0, Latched: 1, Masked: 2 } as const;
export type SinkState = (typeof SinkState)[keyof typeof SinkState];
export const SINK = namesOf(SinkState, 'kebab');
export const SINK_NAMES = SINK.byCode;

/** What made a device-side interrupt event. */
export const EventCause = { Rising: 1, Falling: 2, LevelActive: 3 } as const;
export const EVENT_CAUSE = namesOf(EventCause, 'kebab');

/** Why a line level changed. */
export const LevelCause = { World: 0, DeviceOutput: 1, Pull: 2 } as const;
export const LEVEL_CAUSE = namesOf(LevelCause, 'kebab');

/** What the oracle concluded about a handler call or an owed interrupt. */
export const OracleLabel = { Delivered: 0, Coalesced: 1, Spurious: 2, Lost: 3 } as const;
export type OracleLabel = (typeof OracleLabel)[keyof typeof OracleLabel];
export const ORACLE = namesOf(OracleLabel, 'kebab');
export const ORACLE_NAMES = ORACLE.byCode;

/** How a gpiomon report (or its absence) disagrees with what the line physically did (check/gpiomon-check.ts). */
export const GpiomonMismatch = { WrongDirection: 1, Missed: 2, Phantom: 3 } as const;
export type GpiomonMismatch = (typeof GpiomonMismatch)[keyof typeof GpiomonMismatch];
export const GPIOMON_MISMATCH = namesOf(GpiomonMismatch, 'kebab');

/**
 * Why an oracle label (lost, spurious, coalesced) or a device-side result
 * (masked, coalesced) happened: the kind of a TK.Cause event. check/causes.ts
 * decides them, explain/why.ts words them, docs/model.md lists them.
 */
export const CauseKind = {
  /** No known cause fits (a gap in the explainer, never expected in a built-in scenario). */
  Unexplained: 0,
  MaskedByNone: 1,
  MaskedWhileDisabled: 2,
  LazyNoneLeftover: 3,
  CoalescedInLatch: 4,
  LatchedWhileAway: 5,
  CountedEdgeStale: 6,
  LatchedWhileDisabled: 7,
  LevelRequeuedBeforeAck: 8,
  LevelNotResampled: 9,
  LevelWhileAway: 10,
  TypeChangeRejected: 11,
  LineDeadBadLength: 12,
  InvalidLivelock: 13,
  MockStorm: 14,
  NoIrqFeature: 15,
  DeviceFailed: 16,
  TypeChangeInFlight: 17,
  LevelStillActive: 18,
  ValidWhileRunning: 19,
  HostNoEdgeDetection: 20,
} as const;
export type CauseKind = (typeof CauseKind)[keyof typeof CauseKind];
export const CAUSE = namesOf(CauseKind, 'kebab');
export const CAUSE_NAMES = CAUSE.byCode;
