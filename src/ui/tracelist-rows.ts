import { OracleLabel, RULES, TK } from '../sim/index';

/** How a trace row is highlighted ('' for an ordinary row). */
export type RowFlavor = '' | 'violation' | 'advisory' | 'lost' | 'spurious' | 'coalesced';

/** Violations (MUST, c = 1), advisories (SHOULD, c = 0) and the oracle's bad labels stand out. */
export function rowFlavor(kind: number, a: number, c: number): RowFlavor {
  if (kind === TK.Violation) return c ? 'violation' : 'advisory';
  if (kind === TK.OracleLabel) {
    if (a === OracleLabel.Lost) return 'lost';
    if (a === OracleLabel.Spurious) return 'spurious';
    if (a === OracleLabel.Coalesced) return 'coalesced';
  }
  return '';
}

/** The tooltip of a violation row: the whole rule, from RULES (index `a` of the event). */
export function ruleTitle(ruleIndex: number): string | null {
  const r = RULES[ruleIndex];
  if (!r) return null;
  const level = r.level === 'must' ? 'MUST' : 'SHOULD';
  return `${r.id}: virtio 1.2 ${r.section} (${r.label}), ${level}, ${r.side} side.\n${r.text}${r.note ? `\n${r.note}` : ''}`;
}

/** "12 of 340 events" (thousands separated, so a million reads as one). */
export function countText(shown: number, total: number): string {
  const f = (n: number): string => n.toLocaleString('en-US');
  return shown === total ? `${f(total)} events` : `${f(shown)} of ${f(total)} events`;
}
