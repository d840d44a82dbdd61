import { Prng } from '../clock/prng';
import type { ExploreResult } from '../explore/explorer';
import { parseProperty, violates, type Property } from '../explore/property';
import type { Schedule } from '../explore/recorder';
import { libraryEntry } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';

/** An explore-* library entry's scenario and its own property, parsed (throws on a bad id: tests only). */
export function exploreEntry(id: string): { input: Record<string, unknown>; prop: Property } {
  const e = libraryEntry(id);
  if (!e?.explore) throw new Error(`no explore entry ${id}`);
  const s = validateScenario(e.scenario);
  if (!s.ok) throw new Error(s.error);
  const p = parseProperty(e.explore.property, e.explore.line ?? null, s.value);
  if (!p.ok) throw new Error(p.error);
  return { input: e.scenario as Record<string, unknown>, prop: p.value };
}

/** A counterexample's file run as the app loads it: its trace hash, and whether it breaks the property. */
export function replayFile(json: unknown, prop: Property): { hash: string; bad: boolean } {
  const s = validateScenario(json);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  return { hash: r.value.report.traceHash, bad: violates(prop, r.value.machine, 0, () => r.value.report) };
}

/** What a test needs of a pool coordinator (PoolSearch, PoolRandomSearch). */
export interface Coordinator<J, R> {
  readonly done: boolean;
  take(n: number): J | null;
  accept(job: J, records: R): void;
  result(): ExploreResult;
  progress(): { ran: number };
}

/**
 * A pool of `workers` simulated in one thread: each free worker takes a slice
 * of `slice` and runs it (`run`: the worker, and the copy postMessage makes),
 * and the slices come back in an order `order` picks (any worker may finish first).
 */
export function drainPool<J, R>(pool: Coordinator<J, R>, run: (job: J) => R, workers: number, order: number, slice = 3): { result: ExploreResult; ran: number } {
  const rng = new Prng(order);
  const inflight: { job: J; recs: R }[] = [];
  while (!pool.done) {
    while (inflight.length < workers) {
      const job = pool.take(slice);
      if (!job) break;
      inflight.push({ job, recs: run(job) });
    }
    if (inflight.length === 0) throw new Error('the pool stalled: nothing in flight and not done');
    const [x] = inflight.splice(rng.nextU32() % inflight.length, 1);
    pool.accept(x!.job, x!.recs);
  }
  return { result: pool.result(), ran: pool.progress().ran };
}

/**
 * Schedules packed as a worker receives them (Frontier.pack's layout: per schedule its length, then
 * (choice, value) pairs), from arrays: the tests' reference for that layout and their way to write a
 * slice by hand.
 */
export function packSchedules(schedules: readonly Schedule[]): Float64Array<ArrayBuffer> {
  const out: number[] = [];
  for (const s of schedules) {
    out.push(s.length);
    for (const [i, v] of s) out.push(i, v);
  }
  return new Float64Array(out);
}
