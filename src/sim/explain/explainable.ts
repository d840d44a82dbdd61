import { DeliveryResult, OracleLabel, TK } from '../trace/kinds';

/*
 * Which trace events have an explanation card. Apart from card.ts so the
 * page can tell a flag from other rows without loading the card's shaping.
 */

/** Whether a trace event is a flag a card explains (the trace list and the waveform open cards on these). */
export function isExplainable(kind: number, a: number): boolean {
  if (kind === TK.OracleLabel) return a === OracleLabel.Lost || a === OracleLabel.Spurious || a === OracleLabel.Coalesced;
  if (kind === TK.DevIrqEvent) return a === DeliveryResult.Masked || a === DeliveryResult.Coalesced;
  return kind === TK.Cause;
}
