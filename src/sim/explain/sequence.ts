import { ACTION_KINDS } from '../actions';
import { DIRECTION_NAMES, EVENTQ, IRQ_STATUSES, IRQ_TYPE_NAMES, MSG_NAMES, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE, MSG_SET_VALUE, REQUESTQ, STATUSES } from '../gpio/constants';
import { CALLBACK_NAMES } from '../guest/gpio-driver';
import { CAUSE_NAMES, DELIVERY_NAMES, EventCause, LevelCause, ORACLE_NAMES, OracleLabel, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { describeEvent } from './describe';

/**
 * The message sequence chart of follow mode: which lane each trace event
 * leaves from and arrives at, with a short decoded label. The ONE place that
 * maps trace kinds to lanes (the app's chart, the ring and line highlights all
 * read it). Display only, like describe.ts: nothing in the simulation reads it.
 */

/** The chart's lanes, left to right: the guest's software, the two virtqueues, the device, the wire. */
export const SEQ_LANES = ['client', 'driver', 'requestq', 'eventq', 'device', 'line'] as const;
export type SeqLane = (typeof SEQ_LANES)[number];

/** What each lane heads as (plain text). */
export const SEQ_LANE_TITLES: Readonly<Record<SeqLane, string>> = {
  client: 'client driver',
  driver: 'gpio-virtio driver',
  requestq: 'requestq',
  eventq: 'eventq',
  device: 'device',
  line: 'line',
};

/** One trace event as the chart draws it: an arrow from one lane to another, or a note on one lane (from === to). */
export interface SeqMessage {
  seq: number;
  t: number;
  kind: number;
  from: SeqLane;
  to: SeqLane;
  /** The decoded fields, short ("SET_IRQ_TYPE gpio 0 type EDGE_BOTH"). */
  label: string;
  /** The whole sentence describeEvent gives (for a tooltip). */
  text: string;
  /** The gpio line the event is about, or -1. */
  line: number;
  /** The descriptor chain the event touched (queue index and head), or null. */
  ring: { queue: number; head: number } | null;
}

const queueLane = (q: number): SeqLane => (q === EVENTQ ? 'eventq' : 'requestq');
const queueName = (q: number): string => (q === EVENTQ ? 'eventq' : q === REQUESTQ ? 'requestq' : `queue ${q}`);
/** A trigger type as the spec spells it (EDGE_BOTH), derived from the one vocabulary. */
const specType = (t: number): string => (IRQ_TYPE_NAMES[t] ?? `type ${t}`).toUpperCase().replace(/-/g, '_');
const msgName = (t: number): string => MSG_NAMES[t] ?? `type ${t}`;
const statusName = (s: number): string => STATUSES.name(s) ?? `status ${s}`;
const irqStatus = (s: number): string => IRQ_STATUSES.name(s) ?? `status ${s}`;

/** A request's value decoded by message type ("type EDGE_BOTH", "direction in", "value 1"). */
function requestValue(type: number, value: number): string {
  if (type === MSG_SET_IRQ_TYPE) return `type ${specType(value)}`;
  if (type === MSG_SET_DIRECTION) return `direction ${DIRECTION_NAMES[value] ?? value}`;
  if (type === MSG_SET_VALUE) return `value ${value}`;
  return '';
}

function join(...parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}

function arrow(from: SeqLane, to: SeqLane, label: string, ring: SeqMessage['ring'] = null): Omit<SeqMessage, 'seq' | 't' | 'kind' | 'text' | 'line'> {
  return { from, to, label, ring };
}

/** The lanes and label of one trace event. Every kind has a place: an unknown one is a note on the device lane. */
export function sequenceOf(e: TraceEvent): SeqMessage {
  const m = place(e);
  return { seq: e.seq, t: e.t, kind: e.kind, line: e.line, text: describeEvent(e), ...m };
}

function place(e: TraceEvent): Omit<SeqMessage, 'seq' | 't' | 'kind' | 'text' | 'line'> {
  const { a, b, c, line } = e;
  switch (e.kind) {
    case TK.RingAdd:
      return arrow('driver', queueLane(a), `add chain ${b} (avail idx ${c})`, { queue: a, head: b });
    case TK.RingKick:
      return arrow('driver', 'device', `kick ${queueName(a)}${c ? '' : ' (suppressed)'}`);
    case TK.RingPop:
      return arrow(queueLane(a), 'device', `device takes chain ${b}`, { queue: a, head: b });
    case TK.RingPush:
      return arrow('device', queueLane(a), `used: chain ${b}, length ${c}`, { queue: a, head: b });
    case TK.RingGet:
      return arrow(queueLane(a), 'driver', `driver takes used chain ${b}`, { queue: a, head: b });
    case TK.RingFault:
      return arrow('device', 'device', `${queueName(a)} is broken`);
    case TK.RogueDesc:
      return arrow('driver', queueLane(a & 0xf), `misbehaving driver writes descriptor ${line}`);
    case TK.RoguePublish:
      return b < 0
        ? arrow('driver', 'driver', `misbehaving driver could not publish on ${queueName(a)}`)
        : arrow('driver', queueLane(a), `misbehaving driver publishes chain ${b}`, { queue: a, head: b });
    case TK.IrqRaise:
      return arrow('device', 'driver', `${queueName(a)} interrupt: ${DELIVERY_NAMES[c] ?? c}`);
    case TK.IrqEntry:
      return arrow('driver', 'driver', a < 0 ? 'takes INTx' : `takes MSI-X vector ${a}`);
    case TK.IrqVqCallback:
      return arrow('driver', 'driver', `${queueName(a)} callback`);
    case TK.IrqLine:
      return arrow('device', 'driver', `INTx level ${b}`);
    case TK.IrqResample:
      return arrow('driver', 'device', `resample${b ? ': asserts again' : ''}`);
    case TK.MsgRequest:
      return arrow('requestq', 'device', join(msgName(a), `gpio ${line}`, requestValue(a, b)), { queue: REQUESTQ, head: c });
    case TK.MsgResponse:
      return arrow('device', 'requestq', join(msgName(a), `gpio ${line}:`, statusName(b & 0xff), a === MSG_SET_IRQ_TYPE || a === MSG_SET_DIRECTION || a === MSG_SET_VALUE ? '' : `value ${b >> 8}`));
    case TK.MsgDone:
      return arrow('requestq', 'driver', join('driver reads', msgName(a), `gpio ${line}:`, statusName(b & 0xff)));
    case TK.MsgMalformed:
      return arrow('device', 'device', `malformed ${queueName(a)} chain ${c}`, { queue: a, head: c });
    case TK.EvqArm:
      return arrow('eventq', 'device', `device holds gpio ${line}'s eventq buffer`, { queue: EVENTQ, head: a });
    case TK.EvqReturn:
      return arrow('device', 'eventq', `eventq buffer gpio ${line} returned ${irqStatus(a)}`, { queue: EVENTQ, head: b });
    case TK.EvqDone:
      return arrow('eventq', 'driver', `driver reads gpio ${line}: ${irqStatus(a)}`);
    case TK.LineLevel:
      return b === LevelCause.DeviceOutput
        ? arrow('device', 'line', `drives line ${line} to ${a}`)
        : arrow('line', 'device', `line ${line} ${a ? 'rises' : 'falls'} to ${a}${b === LevelCause.Pull ? ' (pull)' : ''}`);
    case TK.LineContention:
      return arrow('line', 'line', `line ${line} driven both ways`);
    case TK.SourceEpisode:
      return arrow('line', 'line', `source asserts (assertion ${a})`);
    case TK.DevIrqEvent: {
      const what = c === EventCause.Rising ? 'rising edge' : c === EventCause.Falling ? 'falling edge' : 'level active';
      return arrow('device', 'device', `${what} gpio ${line}: ${DELIVERY_NAMES[a] ?? a}`);
    }
    case TK.DevIrqType:
      return arrow('device', 'device', `gpio ${line} trigger ${specType(a)} -> ${specType(b)}`);
    case TK.DevDirection:
      return arrow('device', 'device', `gpio ${line} direction ${DIRECTION_NAMES[a] ?? a} -> ${DIRECTION_NAMES[b] ?? b}`);
    case TK.DevStatus:
    case TK.DevFailure:
      return arrow('device', 'device', describeEvent(e).replace(/^device:? /, ''));
    case TK.DrvFlags:
      return arrow('driver', 'driver', `${CALLBACK_NAMES[b] ?? b} gpio ${line}`);
    case TK.DrvWarn:
      return arrow('driver', 'driver', 'kernel warning');
    case TK.DrvIrqTypeSent:
      return arrow('driver', 'driver', `SET_IRQ_TYPE ${specType(a)} for gpio ${line} (from ${CALLBACK_NAMES[b] ?? b})`);
    case TK.DrvRequestError:
      return arrow('driver', 'client', `${msgName(a)} gpio ${line} failed (errno ${b})`);
    case TK.HandlerStart:
      return arrow('driver', 'client', `${c ? 'threaded handler' : 'handler'} of client ${a}, gpio ${line} (call ${b})`);
    case TK.HandlerEnd:
      return arrow('client', 'driver', `${c ? 'threaded handler' : 'handler'} returns (call ${b})`);
    case TK.SourceAck:
      return arrow('client', 'line', `client ${a} acknowledges the source`);
    case TK.GpiomonEvent:
      return arrow('driver', 'client', `gpiomon: ${a === 1 ? 'rising' : 'falling'} edge gpio ${line}`);
    case TK.OracleLabel:
      return arrow('client', 'client', a === OracleLabel.Lost ? `oracle: ${b} LOST` : `oracle: call ${c} ${(ORACLE_NAMES[a] ?? String(a)).toUpperCase()}`);
    case TK.Violation:
      return arrow('device', 'device', c ? 'spec violation' : 'spec advisory');
    case TK.GpiomonMismatch:
      return arrow('client', 'client', 'gpiomon check: mismatch');
    case TK.Cause:
      return arrow('device', 'device', `cause: ${CAUSE_NAMES[a] ?? a}`);
    case TK.Step: {
      // What the user (or the timeline) did: a shell command is the client side's, anything else the world's.
      const lane: SeqLane = b === ACTION_KINDS.code.shell ? 'client' : 'line';
      return arrow(lane, lane, `step: ${ACTION_KINDS.name(b) ?? b}`);
    }
    case TK.ShellCommand:
      return arrow('client', 'client', `shell command ${a}`);
    default:
      return arrow('device', 'device', describeEvent(e));
  }
}

/** The lanes an event touches, in chart order (for highlighting). */
export function lanesOf(m: Pick<SeqMessage, 'from' | 'to'>): [number, number] {
  const i = SEQ_LANES.indexOf(m.from);
  const j = SEQ_LANES.indexOf(m.to);
  return i <= j ? [i, j] : [j, i];
}
