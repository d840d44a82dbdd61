import { compareView, explainByReplay, explainFlag, settingsPatch, type CompareView, type ExplanationCard, type Machine, type Workspace } from '../sim/index';

/*
 * The page's questions about the session that the worker answers from scratch
 * machines (the explanation card of an old flag, "Compare with..."): plain
 * functions of the session, kept apart from SimHost's pacing.
 */

/** Events a replay for an old flag's cause may run (it runs in one go: the card waits for it). */
const EXPLAIN_MAX_EVENTS = 5_000_000;

/**
 * The card of a flag: from the causes the live machine keeps, or, for an
 * older flag, from a traced scratch replay of the session up to it.
 */
export function explainRequest(m: Machine, ws: Workspace | null, seq: number): { card: ExplanationCard | null; error: string } {
  let card = explainFlag(m, seq);
  if (!card && Number.isInteger(seq) && seq >= 0 && seq < m.trace.total) {
    const scratch = ws?.startReplay(true);
    if (scratch) card = explainByReplay(scratch, seq, EXPLAIN_MAX_EVENTS);
  }
  if (card) return { card, error: '' };
  const inRun = seq >= 0 && seq < m.trace.total;
  return { card: null, error: inRun ? 'No cause is recorded for this event: it is not a lost, spurious or coalesced flag, nor a masked or coalesced device result.' : 'This event is not part of the run.' };
}

/**
 * "Compare with...": the session as it stands (scenario, settings, live steps
 * at their exact events) and the same session under `settings` (steps by
 * time, as a settings change keeps them), each run to its end in a scratch
 * machine in this worker. Synchronous: both runs are capped at COMPARE_MAX_EVENTS (compare-view.ts),
 * and a library scenario takes milliseconds.
 */
export function compareRequest(ws: Workspace | null, settings: unknown): { result: CompareView | null; error: string } {
  if (!ws) return { result: null, error: 'Nothing loaded to compare.' };
  const patch = settingsPatch(settings as unknown[]); // checks it is a list of text, bounded
  if (!patch.ok) return { result: null, error: `Not compared: ${patch.error}` };
  const a = ws.scenario();
  const wb = ws.withSettings(patch.value);
  const b = wb.ok ? wb.value.scenario() : wb;
  if (!a.ok) return { result: null, error: `Not compared: ${a.error}` };
  if (!b.ok) return { result: null, error: `Not compared: ${b.error}` };
  const list = settings as string[];
  const r = compareView({ label: 'this run', scenario: a.value }, { label: `with ${list.join(', ')}`, scenario: b.value, settings: list });
  return r.ok ? { result: r.value, error: '' } : { result: null, error: `Not compared: ${r.error}` };
}
