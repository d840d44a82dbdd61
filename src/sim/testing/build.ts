import { Machine } from '../machine';
import { loadScenario, resolveScenario } from '../scenario/load';
import { TK } from '../trace/kinds';
import { MSG_NAMES } from '../gpio/constants';
import { describeEvent } from '../explain/describe';

/** Builds a machine from a scenario object (throws with the loader's message if it is invalid). */
export function machineFor(scenario: Record<string, unknown>): Machine {
  const s = loadScenario(JSON.stringify({ version: 1, title: 'test', duration: '10ms', ...scenario }));
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  return new Machine(cfg.value);
}

/** Messages the device received, as "TYPE gpio value", in order. */
export function messages(m: Machine, from = 0): string[] {
  const out: string[] = [];
  m.trace.forEach((e) => {
    if (e.kind === TK.MsgRequest && e.t >= from) out.push(`${MSG_NAMES[e.a] ?? e.a} ${e.line} ${e.b}`);
  });
  return out;
}

/** Trace lines of the given kinds as text, for readable assertions. */
export function events(m: Machine, kinds: number[], from = 0): string[] {
  const out: string[] = [];
  m.trace.forEach((e) => {
    if (kinds.includes(e.kind) && e.t >= from) out.push(describeEvent(e));
  });
  return out;
}

/** Counts trace events of a kind with a matching `a` field (or any a when omitted). */
export function count(m: Machine, kind: number, a?: number): number {
  let n = 0;
  m.trace.forEach((e) => {
    if (e.kind === kind && (a === undefined || e.a === a)) n++;
  });
  return n;
}
