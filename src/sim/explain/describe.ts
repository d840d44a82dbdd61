import { ACTION_KINDS } from '../actions';
import { RULES } from '../check/rules';
import { DIRECTION_NAMES, IRQ_STATUSES, IRQ_TYPE_NAMES, MSG_NAMES, STATUSES } from '../gpio/constants';
import { MALFORMED_TEXT } from '../gpio/device';
import { CALLBACK_NAMES, flagNames } from '../guest/gpio-driver';
import { WARNING_TEXT } from '../guest/warnings';
import { CAUSE_NAMES, DELIVERY_NAMES, EventCause, GPIOMON_MISMATCH, GpiomonMismatch, LevelCause, ORACLE_NAMES, OracleLabel, SINK_NAMES, TK, categoryOf, KIND_NAMES } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { RING_FAULT_TEXT } from '../virtio/device-queue';
import { describeStatus } from '../virtio/device-status';
import { INTX_GSI, IrqParty } from '../virtio/transport-irq';
import { VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../virtio/constants';

/**
 * Words for trace events: one line of plain text per event (never HTML), for
 * the trace list, the JSONL export and the CLI. Display only: nothing in the
 * simulation reads these.
 */

const Q = ['requestq', 'eventq'];
const queueName = (q: number): string => (q < 0 ? 'config' : (Q[q] ?? `queue ${q}`));
const msgName = (t: number): string => MSG_NAMES[t] ?? `unknown type ${t}`;
const typeName = (t: number): string => IRQ_TYPE_NAMES[t] ?? `type ${t}`;
const irqStatus = (s: number): string => IRQ_STATUSES.name(s) ?? `status ${s}`;
const hex = (n: number, w: number): string => (n >>> 0).toString(16).padStart(w, '0');

/** Bytes of a request struct (le16 type, le16 gpio, le32 value) as hex. */
export function requestBytes(type: number, gpio: number, value: number): string {
  const b = [type & 0xff, type >> 8, gpio & 0xff, gpio >> 8, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
  return b.map((x) => hex(x, 2)).join(' ');
}

/** Descriptor flags by name (virtio 1.2 2.7.5). */
function descFlags(f: number): string {
  const n = [f & VIRTQ_DESC_F_NEXT ? 'NEXT' : '', f & VIRTQ_DESC_F_WRITE ? 'WRITE' : '', f & VIRTQ_DESC_F_INDIRECT ? 'INDIRECT' : ''].filter(Boolean);
  return n.length ? n.join('|') : '0';
}

/** A descriptor's 16 bytes as hex: le64 addr, le32 len, le16 flags, le16 next. */
export function descBytes(addr: number, len: number, flags: number, next: number): string {
  const b: number[] = [];
  for (let i = 0; i < 4; i++) b.push((addr >>> (8 * i)) & 0xff);
  b.push(0, 0, 0, 0);
  for (let i = 0; i < 4; i++) b.push((len >>> (8 * i)) & 0xff);
  b.push(flags & 0xff, flags >> 8, next & 0xff, next >> 8);
  return b.map((x) => hex(x, 2)).join(' ');
}

/** One line of text for a trace event (plain text, never HTML). */
export function describeEvent(e: TraceEvent): string {
  const { a, b, c } = e;
  switch (e.kind) {
    case TK.RingAdd:
      return `driver adds chain ${b} to ${queueName(a)} (avail idx ${c})`;
    case TK.RingKick:
      return `driver kicks ${queueName(a)} at avail idx ${b}${c ? '' : ' (suppressed by the device)'}`;
    case TK.RingPop:
      return `device takes chain ${b} from ${queueName(a)} (${c} descriptors)`;
    case TK.RingPush:
      return `device returns chain ${b} on ${queueName(a)}, used length ${c}`;
    case TK.RingGet:
      return `driver takes used chain ${b} from ${queueName(a)}, length ${c}`;
    case TK.RingFault:
      return `device: ${queueName(a)} is broken: ${RING_FAULT_TEXT[b as 0] ?? b}`;
    case TK.RogueDesc: {
      const q = a & 0xf;
      const flags = (a >> 4) & 0xfff;
      const next = (a >>> 16) & 0x7fff;
      return `misbehaving driver writes ${queueName(q)} descriptor ${e.line}: addr 0x${hex(b, 8)} len ${c >>> 0} flags ${descFlags(flags)} next ${next} [${descBytes(b >>> 0, c >>> 0, flags, next)}]`;
    }
    case TK.RoguePublish:
      return b < 0 ? `misbehaving driver could not put a chain on ${queueName(a)} (queue not set up, broken or full)` : `misbehaving driver makes chain ${b} available on ${queueName(a)} (avail idx now ${c}) and notifies`;
    case TK.IrqRaise:
      return `device raises the ${queueName(a)} interrupt (${a >= -1 && c >= 0 ? (b === INTX_GSI ? `INTx GSI ${b}` : `MSI-X vector ${b}`) : b}): ${DELIVERY_NAMES[c] ?? c}`;
    case TK.IrqEntry:
      return a < 0 ? `guest takes INTx, reads ISR = 0x${hex(b, 2)} (line deasserted)` : `guest takes MSI-X vector ${a}`;
    case TK.IrqLine:
      if (a === IrqParty.BackEnd) return `KVM: the back end's irqfd asserts INTx GSI ${INTX_GSI}: ${c === 0 ? 'line goes up' : 'already up, no effect'}`;
      return `KVM: ${a === IrqParty.Qemu ? "QEMU's deassert (from the guest's ISR read)" : 'the resampler at EOI'} drops INTx GSI ${INTX_GSI}${c ? `, with ISR 0x${hex(c, 2)} still set` : ''}`;
    case TK.IrqResample:
      return `back end gets the resample eventfd: ISR 0x${hex(a, 2)}${b ? ', asserts again' : ', nothing pending'}`;
    case TK.IrqVqCallback:
      return `guest runs the ${queueName(a)} callback`;
    case TK.MsgRequest:
      return `${msgName(a)} gpio ${e.line} value ${b} [${requestBytes(a, e.line & 0xffff, b)}]`;
    case TK.MsgResponse:
      return `device answers ${msgName(a)} gpio ${e.line}: ${STATUSES.name(b & 0xff) ?? `status ${b & 0xff}`} value ${b >> 8} [${hex(b & 0xff, 2)} ${hex(b >> 8, 2)}], used length ${c}`;
    case TK.MsgDone:
      return `driver reads ${msgName(a)} gpio ${e.line}: status ${b & 0xff} value ${b >> 8}, rx length ${c}`;
    case TK.MsgMalformed:
      return `device: malformed ${queueName(a)} chain ${c}: ${MALFORMED_TEXT[b] ?? b}`;
    case TK.EvqArm:
      return `device holds the eventq buffer of gpio ${e.line} (chain ${a})`;
    case TK.EvqReturn:
      return `device returns gpio ${e.line}'s eventq buffer ${irqStatus(a)} [${hex(a, 2)}], used length ${c}`;
    case TK.EvqDone:
      return `driver reads gpio ${e.line}'s eventq buffer: ${irqStatus(a)}, length ${c}`;
    case TK.LineLevel:
      return `line ${e.line} -> ${a} (${b === LevelCause.DeviceOutput ? 'device output' : b === LevelCause.Pull ? 'pull' : 'world'})`;
    case TK.LineContention:
      return `line ${e.line} driven both ways: world ${a}, device ${b}`;
    case TK.SourceEpisode:
      return `line ${e.line}: source asserts (assertion ${a})`;
    case TK.DevIrqEvent: {
      const cause = c === EventCause.Rising ? 'rising edge' : c === EventCause.Falling ? 'falling edge' : 'level active';
      return `device: ${cause} on gpio ${e.line}: ${DELIVERY_NAMES[a] ?? a}; sink now ${SINK_NAMES[b] ?? b}`;
    }
    case TK.DevIrqType:
      return `device: gpio ${e.line} trigger ${typeName(a)} -> ${typeName(b)}`;
    case TK.DevDirection:
      return `device: gpio ${e.line} direction ${DIRECTION_NAMES[a] ?? a} -> ${DIRECTION_NAMES[b] ?? b}`;
    case TK.DevStatus:
      return `device status ${describeStatus(a)} -> ${describeStatus(b)}`;
    case TK.DevFailure:
      if (c === 1) return `device ignores a ${queueName(b)} notification (not ready)`;
      return a === 2 ? 'device crashed (the backend process died)' : 'device needs reset (gave up on a broken queue)';
    case TK.DrvFlags:
      return `driver ${CALLBACK_NAMES[b] ?? b}: gpio ${e.line} [${flagNames(a)}] type ${typeName(c)}`;
    case TK.DrvWarn:
      return `guest kernel: ${WARNING_TEXT[a] ?? `warning ${a}`}${e.line >= 0 ? ` (gpio ${e.line})` : ''}`;
    case TK.DrvIrqTypeSent:
      return `driver sends SET_IRQ_TYPE ${typeName(a)} for gpio ${e.line} (from ${CALLBACK_NAMES[b] ?? b})`;
    case TK.DrvRequestError:
      return `gpio ${e.line}: ${msgName(a)} failed (errno ${b})`;
    case TK.HandlerStart:
      return `${c ? 'threaded handler' : 'handler'} of client ${a} starts for gpio ${e.line} (call ${b})`;
    case TK.HandlerEnd:
      return `${c ? 'threaded handler' : 'handler'} of client ${a} returns (call ${b})`;
    case TK.SourceAck:
      return `client ${a} acknowledges the source of gpio ${e.line}`;
    case TK.GpiomonEvent:
      return `gpiomon: ${a === 1 ? 'rising' : 'falling'} edge on gpio ${e.line}`;
    case TK.OracleLabel:
      return a === OracleLabel.Lost
        ? `oracle: ${b} owed interrupt${b === 1 ? '' : 's'} on gpio ${e.line} LOST`
        : `oracle: call ${c} on gpio ${e.line} ${ORACLE_NAMES[a]?.toUpperCase()}${b > 1 ? ` (covers ${b})` : ''}`;
    case TK.Violation: {
      const r = RULES[a];
      return r ? `${c ? 'VIOLATION' : 'advisory'} ${r.id} (virtio 1.2 ${r.section}): ${r.text}` : `violation ${a}`;
    }
    case TK.GpiomonMismatch: {
      const edge = (x: number): string => (x === 1 ? 'rising' : x === 2 ? 'falling' : 'none');
      if (a === GpiomonMismatch.WrongDirection) return `gpiomon check: gpio ${e.line} reported ${edge(b)} for a ${edge(c)} edge (WRONG-DIRECTION)`;
      if (a === GpiomonMismatch.Missed) return `gpiomon check: ${edge(c)} edge on gpio ${e.line} never reported (MISSED)`;
      if (a === GpiomonMismatch.Phantom) return `gpiomon check: gpio ${e.line} reported ${edge(b)} with no edge before it (PHANTOM)`;
      return `gpiomon check: gpio ${e.line} ${GPIOMON_MISMATCH.name(a) ?? a}`;
    }
    case TK.Cause:
      return `cause of event ${b}: ${CAUSE_NAMES[a] ?? a}${c >= 0 ? ` (from event ${c})` : ''}`;
    case TK.Step:
      return `step ${a >= 0 ? a : '(live)'}: ${ACTION_KINDS.name(b) ?? b}`;
    case TK.ShellCommand:
      return `shell command ${a}`;
    default:
      return `${KIND_NAMES[e.kind] ?? e.kind} ${a} ${b} ${c}`;
  }
}

/** A plain object for JSON export: raw fields plus the category, kind name and text. */
export function eventRecord(e: TraceEvent): Record<string, number | string> {
  return { seq: e.seq, t: e.t, cat: categoryOf(e.kind), kind: KIND_NAMES[e.kind] ?? String(e.kind), line: e.line, a: e.a, b: e.b, c: e.c, text: describeEvent(e) };
}
