import type { CauseRecord, LinkRole } from '../check/causes';
import { RULES } from '../check/rules';
import { formatNs } from '../clock/time';
import type { Machine } from '../machine';
import { causeSection, explainCause } from './why';

/**
 * The explanation card the app opens on a flag: a recorded cause shaped for
 * one look (what was flagged, the sentence, the chain as steps with their
 * times, the settings behind it as links, the spec section, how long the
 * oracle waited before it judged), plus where the waveform draws the chain.
 * Pure: the worker only looks the flag up and posts the card.
 */

/** What each role of a chain link is, in words a step of the card shows before the event. */
export const ROLE_TEXT: Readonly<Record<LinkRole, string>> = {
  owed: 'owed to the client',
  device: 'what the device did',
  latch: 'the edge already in the latch',
  sent: 'the driver sent',
  type: 'the trigger type changed',
  rejected: 'the device refused',
  callback: 'an irq_chip callback',
  arm: 'the device took the buffer',
  return: 'the device returned the buffer',
  warn: 'the guest kernel warned',
  served: 'already served by',
  ack: 'the client acknowledged',
  done: 'the driver consumed the buffer',
  handler: 'a handler call was running',
  failure: 'the device failed',
  direction: 'the direction changed',
  label: 'the flag',
};

/** The flag's name as the card's heading shows it, per what the cause explains. */
const FLAG_TEXT = {
  lost: 'LOST',
  spurious: 'SPURIOUS',
  coalesced: 'COALESCED',
  'device-masked': 'device MASKED',
  'device-coalesced': 'device COALESCED',
} as const;

/** One step of the chain: when, what role it played, what happened. */
export interface CardStep {
  seq: number;
  t: number;
  /** The time as the card prints it ("1.05 ms"). */
  time: string;
  role: LinkRole;
  roleText: string;
  text: string;
}

/** A setting the cause names: `driver.mask = none-type`, its path (a settings-panel id) and value. */
export interface CardSetting {
  path: string;
  value: string;
  /** True when the settings panel has a field for it (`client ack = ...` is a scenario's client, not a setting). */
  editable: boolean;
}

export interface ExplanationCard {
  /** Seq of the TK.Cause event, and of the flag it explains. */
  seq: number;
  subject: number;
  /** LOST, SPURIOUS, COALESCED, device MASKED, device COALESCED. */
  flag: string;
  line: number;
  t: number;
  /** The cause kind's name (masked-by-none, ...). */
  kind: string;
  sentence: string;
  steps: CardStep[];
  settings: CardSetting[];
  /** The spec rule id and section (virtio 1.2), when the kind has one. */
  rule?: string;
  section?: string;
  /** For a lost flag: how long after the owed edge it was judged, and why then. */
  settle?: string;
  /** The chain drawn on the waveform: from the cause edge to the effect flag. */
  arrow: { fromT: number; fromLine: number; toT: number; toLine: number };
}

export { isExplainable } from './explainable';

/** The settings a cause's policy text names ("driver.flow = level; driver.requeue = after"). */
export function parseSettings(policy: string | undefined): CardSetting[] {
  if (!policy) return [];
  return policy
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.includes('='))
    .map((p) => {
      const i = p.indexOf('=');
      const path = p.slice(0, i).trim();
      return { path, value: p.slice(i + 1).trim(), editable: /^(device|driver)\.[A-Za-z.]+$/.test(path) };
    });
}

/** The recorded cause of the flag with this seq (the flag itself, or its TK.Cause event), if still kept. */
export function findCause(records: readonly CauseRecord[], seq: number): CauseRecord | undefined {
  // Newest first: a recent flag is the usual question.
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i] as CauseRecord;
    if (r.subject === seq || r.seq === seq) return r;
  }
  return undefined;
}

/** A recorded cause as a card; `settleNs` is the oracle's settle window. */
export function cardOf(r: CauseRecord, settleNs: number): ExplanationCard {
  const x = explainCause(r);
  const steps: CardStep[] = x.chain.map((c) => ({ seq: c.seq, t: c.t, time: formatNs(c.t), role: c.role, roleText: ROLE_TEXT[c.role], text: c.text }));
  const cause = r.chain.find((l) => l.role === 'owed') ?? r.chain.find((l) => l.role === 'device') ?? r.chain[0];
  const effect = r.chain.find((l) => l.event.seq === r.subject);
  const card: ExplanationCard = {
    seq: r.seq,
    subject: r.subject,
    flag: FLAG_TEXT[r.explains],
    line: r.line,
    t: effect?.event.t ?? r.t,
    kind: x.kind,
    sentence: x.sentence,
    steps,
    settings: parseSettings(r.policy),
    arrow: { fromT: cause?.event.t ?? r.t, fromLine: cause?.event.line ?? r.line, toT: effect?.event.t ?? r.t, toLine: r.line },
  };
  if (x.rule) card.rule = x.rule;
  const section = causeSection(r.kind) || (x.rule ? RULES.find((q) => q.id === x.rule)?.section : undefined);
  if (section) card.section = section;
  const owed = r.chain.find((l) => l.role === 'owed');
  if (r.explains === 'lost' && owed && effect) {
    const after = effect.event.t - owed.event.t;
    card.settle =
      `judged lost ${formatNs(after)} after it was owed, once the line's pipeline was idle ` +
      `(the oracle waits a settle window of ${formatNs(settleNs)} with no handler running or pending before it calls an owed interrupt lost)`;
  }
  return card;
}

/** The card for the flag with this seq from a machine's kept causes, or null when it is not (or no longer) kept. */
export function explainFlag(m: Machine, seq: number): ExplanationCard | null {
  const r = findCause(m.causes.records, seq);
  return r ? cardOf(r, m.oracle.settleNs) : null;
}

/**
 * The card for an older flag than the machine keeps causes for: runs a
 * traced scratch replay of the same session (same seqs) until the flag's
 * cause is recorded, at most `maxEvents` events. Null when the seq never
 * becomes a flag with a cause (or the cap is reached first).
 */
export function explainByReplay(scratch: Machine, seq: number, maxEvents: number): ExplanationCard | null {
  // A cause is traced right after the event it explains; a few events' slack covers a cause for the label's device event.
  const reached = (): boolean => scratch.trace.total > seq + 1 && findCause(scratch.causes.records, seq) !== undefined;
  while (!reached() && scratch.processed < maxEvents) {
    const stop = scratch.runUntil(Number.MAX_SAFE_INTEGER, Math.min(100_000, maxEvents - scratch.processed), () => scratch.trace.total > seq + 4);
    if (stop === 'idle' || stop === 'time-limit') break;
    if (scratch.trace.total > seq + 4) break;
  }
  return explainFlag(scratch, seq);
}
