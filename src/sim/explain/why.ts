import { CAUSE_RULE, type CauseLink, type CauseRecord, type Explained, type LinkRole } from '../check/causes';
import { RULES } from '../check/rules';
import { DIRECTION_NAMES, IRQ_TYPE_NAMES, isLevelType } from '../gpio/constants';
import type { Machine } from '../machine';
import { CAUSE_NAMES, CauseKind, EventCause, KIND_NAMES, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { describeEvent } from './describe';

/**
 * Words for causes: one generated sentence per cause (plain text, never
 * HTML), built from the chain the core recorded, and the chain itself with a
 * line of text per event. The spec is paraphrased and cited by section.
 */

/** One event of a chain, for JSON and the UI. */
export interface ChainItem {
  seq: number;
  t: number;
  /** Trace kind name (DevIrqEvent, OracleLabel, ...). */
  kind: string;
  role: LinkRole;
  text: string;
}

/** A cause as a report and a UI show it. */
export interface ExplainedCause {
  /** What is explained: lost, spurious, coalesced (oracle labels) or device-masked, device-coalesced. */
  label: Explained;
  line: number;
  /** When the flag was raised (ns). */
  t: number;
  /** The cause kind's name (masked-by-none, ...). */
  kind: string;
  sentence: string;
  chain: ChainItem[];
  policy?: string;
  /** The spec rule involved (a RULES id), when there is one. */
  rule?: string;
  /** Seq of the TK.Cause event and of the flag it explains. */
  seq: number;
  subject: number;
}

/** Milliseconds with three decimals, more when the time is not a whole microsecond. */
const ms = (t: number): string => `${t % 1000 === 0 ? (t / 1e6).toFixed(3) : (t / 1e6).toFixed(6).replace(/0+$/, '')} ms`;
const typeName = (t: number): string => IRQ_TYPE_NAMES[t] ?? `type ${t}`;

function find(r: CauseRecord, role: LinkRole, nth = 0): TraceEvent | undefined {
  return r.chain.filter((l) => l.role === role)[nth]?.event;
}

function all(r: CauseRecord, role: LinkRole): TraceEvent[] {
  return r.chain.filter((l) => l.role === role).map((l) => l.event);
}

/** "the falling edge at 1.050 ms" / "the level assertion at 1.000 ms" for an owed event. */
function what(r: CauseRecord, e: TraceEvent | undefined, dev?: TraceEvent): string {
  if (!e) return dev ? `the ${devCause(dev)} at ${ms(dev.t)}` : 'an owed interrupt';
  if (e.kind === TK.SourceEpisode) return `the level assertion at ${ms(e.t)}`;
  if (e.kind === TK.LineLevel) {
    if (dev?.c === EventCause.LevelActive || isLevelType(r.trigger)) return `the level assertion at ${ms(e.t)}`;
    return `the ${e.a ? 'rising' : 'falling'} edge at ${ms(e.t)}`;
  }
  return `the event at ${ms(e.t)}`;
}

function devCause(d: TraceEvent): string {
  return d.c === EventCause.Rising ? 'rising edge' : d.c === EventCause.Falling ? 'falling edge' : 'active level';
}

const at = (e: TraceEvent | undefined, pre = ' at '): string => (e ? `${pre}${ms(e.t)}` : '');

/** What the spec says about each kind, paraphrased; cited with the section of the kind's rule. */
const SPEC_NOTE: Readonly<Partial<Record<CauseKind, string>>> = {
  [CauseKind.MaskedByNone]: 'the spec has a line set to NONE discard what it had latched',
  [CauseKind.MaskedWhileDisabled]: 'the spec has a line set to NONE discard what it had latched',
  [CauseKind.LatchedWhileDisabled]: 'the spec has a line set to NONE discard what it had latched, so nothing from before is reported after enabling',
  [CauseKind.LazyNoneLeftover]: 'the spec has the device give the buffer back as soon as the type becomes NONE',
  [CauseKind.CoalescedInLatch]: 'the spec latches an edge that comes while the buffer is with the driver and reports it when the buffer returns',
  [CauseKind.LatchedWhileAway]: 'the spec latches an edge that comes while the buffer is with the driver and reports it when the buffer returns',
  [CauseKind.LevelRequeuedBeforeAck]: 'the spec expects the client to clear the source before the line is unmasked, or to see a spurious interrupt',
  [CauseKind.LevelNotResampled]: 'the spec does not latch levels but has the device look at the line again when the buffer comes back',
  [CauseKind.LevelWhileAway]: 'the spec does not latch levels but has the device look at the line again when the buffer comes back',
  [CauseKind.LevelStillActive]: 'the spec has the device look at a level line again when the buffer comes back and report it if it is still active',
  [CauseKind.TypeChangeRejected]: 'the spec has the driver disable an interrupt (NONE) before giving it a new trigger',
  [CauseKind.LineDeadBadLength]: 'the used length may count only bytes the device wrote',
  [CauseKind.InvalidLivelock]: 'the spec has the driver enable the interrupt before it queues the buffer',
  [CauseKind.NoIrqFeature]: 'interrupt requests need VIRTIO_GPIO_F_IRQ negotiated',
  [CauseKind.HostNoEdgeDetection]: 'the spec has SET_DIRECTION NONE discard all of the line\'s state, its trigger type included',
};
/** Kinds whose spec text has no rule of its own in RULES (a client-side duty). */
const SECTION: Readonly<Partial<Record<CauseKind, string>>> = { [CauseKind.LevelRequeuedBeforeAck]: '5.18.7.1' };

function section(kind: number): string {
  const id = CAUSE_RULE[kind as CauseKind];
  const rule = id ? RULES.find((x) => x.id === id) : undefined;
  return rule ? rule.section : (SECTION[kind as CauseKind] ?? '');
}

/** The subject: "handler call at 1.218 ms on gpio 0" or "the falling edge at 1.050 ms on gpio 0". */
function call(r: CauseRecord): string {
  return `the handler call at ${ms(r.t)} on gpio ${r.line}`;
}

/** One sentence for a cause, from its kind and chain. */
export function causeSentence(r: CauseRecord): string {
  const g = `gpio ${r.line}`;
  const owed = find(r, 'owed');
  const dev = find(r, 'device');
  const sec = section(r.kind);
  const note = SPEC_NOTE[r.kind as CauseKind];
  const s = (text: string): string => text + (r.policy ? ` (${r.policy})` : '') + (note ? `; ${note}${sec ? `, ${sec}` : ''}` : '');
  const device = r.explains === 'device-masked' || r.explains === 'device-coalesced';
  switch (r.kind) {
    case CauseKind.MaskedByNone: {
      const head = device ? `the device dropped ${what(r, owed, dev)} on ${g}` : `${what(r, owed, dev)} on ${g} was lost: the device dropped it`;
      return s(
        `${head}, because the driver masks by setting the trigger type NONE: it sent SET_IRQ_TYPE NONE${at(find(r, 'sent'))} from irq_mask and the device took it${at(find(r, 'type'))}, and a line set to NONE forgets what it would have latched`,
      );
    }
    case CauseKind.MaskedWhileDisabled: {
      const head = device ? `the device dropped ${what(r, owed, dev)} on ${g}` : `${what(r, owed, dev)} on ${g} was lost: the device dropped it`;
      return s(`${head}: the interrupt was disabled, the driver had set the trigger type NONE${at(find(r, 'type'))}, and a disabled line keeps nothing`);
    }
    case CauseKind.LazyNoneLeftover:
      return s(
        `${what(r, owed, dev)} on ${g} was not reported: after SET_IRQ_TYPE NONE${at(find(r, 'type'))} the device still held the line's eventq buffer and kept watching edges, so this edge woke it and it handed the buffer back INVALID instead`,
      );
    case CauseKind.CoalescedInLatch: {
      if (device) {
        const holder = find(r, 'latch');
        return s(
          `${what(r, owed, dev)} on ${g} found the device's latch already set${holder ? ` by the edge at ${ms(holder.t)}` : ''} while the eventq buffer was with the driver; the latch records that an edge happened, not how many, so the two come back as one VALID`,
        );
      }
      const edges = all(r, 'owed');
      return s(
        `${call(r)} covered ${edges.length} owed edges (${edges.map((e) => ms(e.t)).join(', ')}): they came while the eventq buffer was with the driver, and the later ones found the device's latch already set, which records that an edge happened, not how many`,
      );
    }
    case CauseKind.LatchedWhileAway: {
      const edges = all(r, 'owed');
      const ret = find(r, 'return');
      return s(
        `${call(r)} covered ${edges.length} owed edges (${edges.map((e) => ms(e.t)).join(', ')}): all came while the eventq buffer was with the driver${ret ? ` (since ${ms(ret.t)})` : ''}, the device held them until it came back, and by the time this call started every one of them was already in the past`,
      );
    }
    case CauseKind.CountedEdgeStale: {
      const served = find(r, 'served');
      return s(
        `${call(r)} had nothing new to report: the device counted ${what(r, owed, dev)} and returned it again when the buffer was re-queued${at(find(r, 'arm'))}, but the handler call${at(served)} had already covered that edge`,
      );
    }
    case CauseKind.LatchedWhileDisabled:
      return s(
        `${call(r)} reported an edge the client had asked not to hear about: ${dev ? `the ${devCause(dev)} at ${ms(dev.t)}` : 'an edge'} came while the trigger type was NONE${at(find(r, 'type'), ' (since ')}${find(r, 'type') ? ')' : ''}, but the device kept detecting edges, latched it and reported it once the interrupt was enabled again${at(find(r, 'type', 1))}`,
      );
    case CauseKind.LevelRequeuedBeforeAck: {
      const served = find(r, 'served');
      return s(
        `${call(r)} found nothing new: ${what(r, owed)} had already been served${at(served, ' by the call at ')}, but the client had not yet cleared its source when the driver unmasked${at(find(r, 'callback'))} and re-queued the buffer, so the device sampled the line, found it still active and returned the buffer VALID at once`,
      );
    }
    case CauseKind.LevelStillActive: {
      const served = find(r, 'served');
      return s(
        `${call(r)} found nothing new: ${what(r, owed)} had been served${at(served, ' by the call at ')} and the client acknowledged its source${at(find(r, 'ack'))}, but the line stayed at its active level for ${typeName(r.trigger)}, so when the driver unmasked${at(find(r, 'callback'))} and re-queued the buffer the device found it still active and returned it VALID at once`,
      );
    }
    case CauseKind.TypeChangeInFlight: {
      const sent = find(r, 'sent');
      if (r.explains === 'lost') {
        return s(
          `${what(r, owed, dev)} on ${g} was never reported: it came while the device still watched for the trigger the line had before, the driver's SET_IRQ_TYPE ${sent ? typeName(sent.a) : ''}${at(sent, ' (sent at ')}${sent ? ')' : ''} not yet in effect${at(find(r, 'type'), '; it took effect at ')}`,
        );
      }
      return s(
        `${call(r)} reported something the client ${r.trigger === 0 ? 'did not expect (its trigger was being changed)' : `no longer asks for (its trigger is now ${typeName(r.trigger)})`}: the device saw ${dev ? `the ${devCause(dev)} at ${ms(dev.t)}` : 'an event'} under the trigger the line had before, while the driver's SET_IRQ_TYPE ${sent ? typeName(sent.a) : ''}${at(sent, ' (sent at ')}${sent ? ')' : ''} had not reached it yet`,
      );
    }
    case CauseKind.ValidWhileRunning:
      if (owed && find(r, 'done') && (find(r, 'done') as TraceEvent).seq < owed.seq) {
        return s(
          `${what(r, owed, dev)} on ${g} was lost: the device latched it, but the eventq buffer never came back: the driver had got the previous VALID${at(find(r, 'done'))} while the handler call that started${at(find(r, 'handler'))} still ran, and the flow handler dropped it and left the line masked`,
        );
      }
      return s(
        `${what(r, owed, dev)} on ${g} was lost: the device reported it and the driver got the VALID buffer${at(find(r, 'done'))}, but the handler call that started${at(find(r, 'handler'))} was still running, so the flow handler masked the line and dropped the interrupt instead of running the handler again`,
      );
    case CauseKind.LevelNotResampled:
      return s(
        `${what(r, owed)} on ${g} was never reported: the line was already active, so there was no new transition, and this device does not look at the line again when the buffer is re-queued${at(find(r, 'arm'))}`,
      );
    case CauseKind.LevelWhileAway:
      return s(`the device ignored the active level on ${g} at ${ms(r.t)}: the eventq buffer was with the driver${at(find(r, 'return'), ' (returned at ')}${find(r, 'return') ? ')' : ''}, and a level is not latched but looked at again when the buffer comes back`);
    case CauseKind.TypeChangeRejected: {
      const sent = find(r, 'sent');
      const rej = find(r, 'rejected');
      const why = `the driver changed the trigger with SET_IRQ_TYPE ${sent ? typeName(sent.b) : ''} directly${at(sent)}, without going through NONE; the device answered ERR${at(rej)} and kept its old type`;
      if (r.explains === 'spurious') return s(`${call(r)} reported an edge the client did not ask for: ${why}, so it reported ${dev ? `the ${devCause(dev)} at ${ms(dev.t)}` : 'an edge of the old type'}`);
      return s(`${what(r, owed, dev)} on ${g} was never reported: ${why}, so it never watched for this edge`);
    }
    case CauseKind.LineDeadBadLength: {
      const ret = find(r, 'return');
      return s(
        `${what(r, owed, dev)} on ${g} was never handled: the device returned the line's eventq buffer${at(ret)} with used length ${ret ? ret.c : '?'} for a 1-byte response, the driver rejected it${at(find(r, 'warn'))} and never re-queued it, so the line's interrupt is dead`,
      );
    }
    case CauseKind.InvalidLivelock: {
      const sent = find(r, 'sent');
      return s(
        `${what(r, owed, dev)} on ${g} was never reported: the device refused SET_IRQ_TYPE ${sent ? typeName(sent.b) : ''} with ERR${at(find(r, 'rejected'))} and kept the type NONE, the driver queued the eventq buffer anyway, and the device hands it straight back INVALID${at(find(r, 'return'), ' (last at ')}${find(r, 'return') ? ')' : ''}, over and over`,
      );
    }
    case CauseKind.MockStorm:
      return s(`${call(r)} had nothing behind it: the device's mock backend returned the eventq buffer VALID as soon as it was queued${at(find(r, 'arm'))}, with nothing happening on the line`);
    case CauseKind.NoIrqFeature:
      return s(`${what(r, owed, dev)} on ${g} could not be reported: VIRTIO_GPIO_F_IRQ was not negotiated, so the device has no interrupts to give`);
    case CauseKind.HostNoEdgeDetection: {
      const dir = find(r, 'direction');
      const rej = find(r, 'rejected');
      return s(
        `${what(r, owed, dev)} on ${g} was never reported: the device kept the line's trigger type through SET_DIRECTION NONE, and SET_DIRECTION${dir ? ` ${DIRECTION_NAMES[dir.b] ?? dir.b}` : ''}${at(dir)} requested the host line again with no edge detection${rej ? `; the same SET_IRQ_TYPE was refused as no change${at(rej)}` : ''}, so nothing watches the line`,
      );
    }
    case CauseKind.DeviceFailed:
      return s(`${what(r, owed, dev)} on ${g} could not be reported: the device had stopped working${at(find(r, 'failure'))}`);
    default:
      return `no known cause fits this ${r.explains} flag on ${g} at ${ms(r.t)}; the chain lists what led up to it`;
  }
}

function chainItem(l: CauseLink): ChainItem {
  return { seq: l.event.seq, t: l.event.t, kind: KIND_NAMES[l.event.kind] ?? String(l.event.kind), role: l.role, text: describeEvent(l.event) };
}

/** A recorded cause in words: its sentence and its chain with one line of text per event. */
export function explainCause(r: CauseRecord): ExplainedCause {
  const out: ExplainedCause = {
    label: r.explains,
    line: r.line,
    t: r.t,
    kind: CAUSE_NAMES[r.kind] ?? String(r.kind),
    sentence: causeSentence(r),
    chain: r.chain.map(chainItem),
    seq: r.seq,
    subject: r.subject,
  };
  if (r.policy) out.policy = r.policy;
  const rule = CAUSE_RULE[r.kind];
  if (rule) out.rule = rule;
  return out;
}

/** The causes a machine recorded so far (the most recent, up to the tracker's cap), oldest first, in words. */
export function readCauses(m: Machine): ExplainedCause[] {
  return m.causes.records.map(explainCause);
}

/** The spec section a cause kind concerns ("" when none): its rule's section, or a client-side duty's. */
export { section as causeSection };
