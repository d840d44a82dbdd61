import { create } from 'zustand';
import { EXPLORE_LIBRARY, parseProperty, validateScenario, type ExploreResult, type FlagPoint, type Property } from '../sim/index';
import { ExplorePool, poolSize, type PoolOutcome, type PoolStatus, type PoolWorker } from './explore-pool';
import { live } from './live';
import { client } from './sim-client';
import { appActions, useApp } from './store';

/**
 * The Explore panel's logic: what the form turns into (scenario, property,
 * bounds), the pool it starts, the words for each outcome, and opening a
 * counterexample as a normal run. Loaded with the panel (lazily, on its tab).
 */

/** The property kinds the panel offers (the command line's, `livelock:<N>` with its N in a field of its own). */
export const PANEL_PROPERTIES = ['lost', 'spurious', 'coalesced', 'violation', 'rule', 'livelock', 'expect'] as const;
export type PanelProperty = (typeof PANEL_PROPERTIES)[number];

/** How the schedules are searched: breadth-first (exhaustive within the bounds, a shortest counterexample) or randomized (a seed; for spaces too big to exhaust). */
export const SEARCH_MODES = ['breadth-first', 'random'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** The livelock property's N: more than N INVALID eventq returns in one simulated ms (property.ts parses at most 9 digits). */
export const LIVELOCK_RULE = { name: 'livelock N', min: 0, max: 999_999_999 } as const;

export interface ExploreForm {
  /** `current` (the session as it stands) or an explore-* library id. */
  source: string;
  property: PanelProperty;
  /** A line index as text, or '' for any line. */
  line: string;
  /** A spec rule id, for the `rule` property. */
  rule: string;
  maxSchedules: number;
  maxSeconds: number;
  mode: SearchMode;
  /** The randomized search's seed (a 32-bit unsigned integer). */
  seed: number;
  /** The livelock property's N. */
  livelock: number;
}

export const EXPLORE_ENTRIES = EXPLORE_LIBRARY.map((e) => ({
  id: e.id,
  title: (e.scenario as { title?: unknown }).title as string,
  property: e.explore?.property ?? 'violation',
  line: e.explore?.line ?? null,
}));

/** The form a library entry fills in: its own property and line. */
export function formFor(id: string, base: ExploreForm): ExploreForm {
  const e = EXPLORE_ENTRIES.find((x) => x.id === id);
  if (!e) return { ...base, source: id };
  const kind = (PANEL_PROPERTIES as readonly string[]).includes(e.property) ? (e.property as PanelProperty) : e.property.startsWith('rule:') ? 'rule' : e.property.startsWith('livelock:') ? 'livelock' : base.property;
  const scenario = EXPLORE_LIBRARY.find((x) => x.id === id)?.scenario as { device?: { lines?: { name?: string }[] } };
  const lineIdx = e.line === null ? -1 : typeof e.line === 'number' ? e.line : (scenario.device?.lines ?? []).findIndex((l) => l.name === e.line);
  const livelock = e.property.startsWith('livelock:') ? Number(e.property.slice(9)) : base.livelock;
  return { ...base, source: id, property: kind, line: lineIdx >= 0 ? String(lineIdx) : '', rule: e.property.startsWith('rule:') ? e.property.slice(5) : base.rule, livelock };
}

/** The lines of a library entry, as the Line menu lists them. */
export function entryLines(id: string): string[] {
  const s = EXPLORE_LIBRARY.find((x) => x.id === id)?.scenario as { device?: { lines?: { name?: unknown }[] } } | undefined;
  return (s?.device?.lines ?? []).map((l, i) => (typeof l.name === 'string' ? `${i} ${l.name}` : `${i}`));
}

export const DEFAULT_FORM: ExploreForm = formFor('explore-mask-by-none', { source: '', property: 'lost', line: '', rule: '', maxSchedules: 100_000, maxSeconds: 60, mode: 'breadth-first', seed: 1, livelock: 50 });

/** The property the form names, checked against the scenario (a clear error naming the field otherwise). */
export function propertyOf(form: ExploreForm, scenario: unknown): { ok: true; value: Property } | { ok: false; error: string } {
  const s = validateScenario(scenario);
  if (!s.ok) return s;
  const text = form.property === 'rule' ? `rule:${form.rule.trim()}` : form.property === 'livelock' ? `livelock:${form.livelock}` : form.property;
  const labelled = form.property === 'lost' || form.property === 'spurious' || form.property === 'coalesced';
  return parseProperty(text, labelled && form.line !== '' ? form.line : null, s.value);
}

/** The bounds of a search, named (what "exhausted" is relative to). */
export function boundsText(r: ExploreResult): string {
  const b = r.bounds;
  const parts = [`at most ${b.maxSchedules.toLocaleString('en-US')} schedules`];
  if (b.maxSeconds !== null) parts.push(`${b.maxSeconds} s`);
  parts.push(`${b.valuesPerChoice} values per choice point`);
  if (b.maxDepth !== null) parts.push(`at most ${b.maxDepth} deviations`);
  return `${parts.join(', ')}, the scenario's latency ranges and step windows, ${r.choicePoints} choice points in the default run`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The figures of a search so far, in words (the randomized mode keeps no states). */
export function figuresText(r: Pick<ExploreResult, 'schedules' | 'states' | 'elapsedMs'> & { mode?: ExploreResult['mode'] }): string {
  const states = r.mode === 'random' ? '' : `, ${plural(r.states, 'distinct state')}`;
  return `${plural(r.schedules, 'schedule')}${states}, ${((r.elapsedMs ?? 0) / 1000).toFixed(1)} s`;
}

/** The outcome's headline and what it means. */
export function verdictText(o: PoolOutcome): { title: string; detail: string } {
  const r = o.result;
  if (o.error) return { title: 'The search failed', detail: `${o.error} (after ${figuresText(r)}).` };
  if (o.cancelled) return { title: 'Cancelled', detail: `Stopped by you after ${figuresText(r)}: the space was not exhausted, so this is no proof.` };
  const random = r.mode === 'random';
  const seed = o.seed === null ? '' : `, seed ${o.seed}`;
  if (r.counterexample && random) {
    const n = r.counterexample.schedule.length;
    return {
      title: `Counterexample found: ${r.property}`,
      detail: `${plural(n, 'choice')} away from the seeded default run, found by the randomized search${seed} and shrunk (no single choice can be dropped), not necessarily a shortest one; ${figuresText(r)}.`,
    };
  }
  if (random) {
    const why = r.stop === 'max-seconds' ? 'the time bound' : 'the schedule bound';
    return {
      title: 'Not exhaustive, none found',
      detail: `Not exhaustive: ${plural(r.schedules, 'schedule')} tried, none found (randomized search${seed}, stopped at ${why} after ${((r.elapsedMs ?? 0) / 1000).toFixed(1)} s). A random sample is no proof; a breadth-first search can exhaust a small space.`,
    };
  }
  if (r.counterexample) {
    const n = r.counterexample.schedule.length;
    return {
      title: `Counterexample found: ${r.property}`,
      detail: `${plural(n, 'choice')} away from the seeded default run (a shortest one); ${figuresText(r)}.`,
    };
  }
  if (r.exhausted) return { title: 'Exhausted within these bounds, none found', detail: `No schedule within these bounds breaks the property (${r.property}). Bounds: ${boundsText(r)}. Searched: ${figuresText(r)}.` };
  const why = r.stop === 'max-seconds' ? 'the time bound' : r.stop === 'max-schedules' ? 'the schedule bound' : 'the depth bound';
  return { title: 'Stopped, none found', detail: `Stopped at ${why} after ${figuresText(r)}: the space was NOT exhausted, so this is no proof. Bounds: ${boundsText(r)}.` };
}

/** How far the search is toward its bound (0..1): the larger of the schedule and time fractions. */
export function boundFraction(s: PoolStatus, maxSchedules: number, maxSeconds: number): number {
  const f = Math.max(s.schedules / maxSchedules, maxSeconds > 0 ? s.elapsedMs / (maxSeconds * 1000) : 0);
  return Math.min(1, Math.max(0, f));
}

// ---- the panel's state (rare changes only: the progress figures are polled) ----------------------

export type ExplorePhase = 'idle' | 'starting' | 'running' | 'done';

interface ExploreState {
  phase: ExplorePhase;
  outcome: PoolOutcome | null;
  /** Why the search could not start (bad input), or ''. */
  error: string;
  /** The form's bounds of the last search (for the progress bar). */
  bounds: { maxSchedules: number; maxSeconds: number };
  /** The mode of the last search (the progress line shows states and depth for breadth-first only). */
  mode: SearchMode;
}

export const useExplore = create<ExploreState>()(() => ({ phase: 'idle', outcome: null, error: '', bounds: { maxSchedules: 1, maxSeconds: 1 }, mode: 'breadth-first' }));

/** A pool worker: its own module (built by Vite as a separate chunk, found relative to this one). */
export function spawnWorker(): PoolWorker {
  return new Worker(new URL('../worker/explore.worker.ts', import.meta.url), { type: 'module', name: 'vgpio-explore' }) as unknown as PoolWorker;
}

export const pool = new ExplorePool(spawnWorker, () => performance.now());

/** Workers for this machine (navigator.hardwareConcurrency, capped). */
export const POOL_SIZE = poolSize(typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency);

/** Starts a search for the form (the current session's scenario is fetched from the simulation worker). */
export async function startSearch(form: ExploreForm, size = POOL_SIZE): Promise<void> {
  useExplore.setState({ phase: 'starting', error: '', outcome: null, bounds: { maxSchedules: form.maxSchedules, maxSeconds: form.maxSeconds }, mode: form.mode });
  const scenario = form.source === 'current' ? await client.shareJson() : EXPLORE_LIBRARY.find((e) => e.id === form.source)?.scenario;
  const fail = (error: string): void => useExplore.setState({ phase: 'idle', error });
  if (scenario === undefined) return fail(`scenario: there is no library entry "${form.source}"`);
  const prop = propertyOf(form, scenario);
  if (!prop.ok) return fail(prop.error);
  const random = form.mode === 'random' ? { seed: form.seed } : null;
  const err = pool.start(scenario, { property: prop.value, maxSchedules: form.maxSchedules, maxSeconds: form.maxSeconds, random }, size, (outcome) => useExplore.setState({ phase: 'done', outcome }));
  if (err) return fail(err);
  useExplore.setState({ phase: 'running' });
}

export function cancelSearch(): void {
  pool.cancel();
}

/** How long a run opened on its way to a flag may stand paused before it is asked to go on. */
const PAUSED_RETRY_MS = 250;

/**
 * Opens a counterexample as a normal run: its scenario file (with its
 * schedule) through the ordinary load path, paused, run up to its first flag,
 * and, once the run has reached it, that flag selected with its explanation card open.
 */
export async function openCounterexample(o: PoolOutcome, timeoutMs = 15_000): Promise<boolean> {
  const cex = o.result.counterexample;
  if (!cex) return false;
  const before = useApp.getState().info;
  client.load({ kind: 'json', json: cex.scenario });
  client.send({ type: 'pause' });
  const flag: FlagPoint | null = o.flag;
  if (!flag) return true;
  client.send({ type: 'run-to', t: flag.t });
  const t0 = performance.now();
  let asked = t0;
  // The flag is selectable once the new run's trace holds it (a load replaces the info object).
  while (!(useApp.getState().info !== before && live.trace.total > flag.seq)) {
    const now = performance.now();
    if (now - t0 > timeoutMs) return false;
    // A pause step before the flag stops the way there (the current run's file carries one where its
    // author was): once the new run stands paused short of the flag, ask again from there.
    if (useApp.getState().info !== before && useApp.getState().status === 'paused' && now - asked > PAUSED_RETRY_MS) {
      asked = now;
      client.send({ type: 'run-to', t: flag.t });
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // The flag's row selected (the Trace tab shown, the cursor at its time), and its explanation card.
  appActions().goToEvent(flag.seq, flag.t);
  appActions().openCard(flag.seq);
  return true;
}
