import { describe, expect, it } from 'vitest';
import { libraryEntry, PoolSearch, runRandomShard, prepareShard, type Property } from '../sim/index';
import { ExploreHost } from './explore-host';
import type { ExploreMessage } from './protocol';

const maskByNone = libraryEntry('explore-mask-by-none')!.scenario;
const lost: Property = { kind: 'lost', line: 0 };

/** Slices as the page packs them (per schedule its length, then its (choice, value) pairs): the default run alone, and explore-mask-by-none's counterexample (choice 0 at 33,975). */
const DEFAULT_RUN = (): Float64Array<ArrayBuffer> => new Float64Array([0]);
const COUNTEREXAMPLE = (): Float64Array<ArrayBuffer> => new Float64Array([1, 0, 33_975]);

function harness(): { host: ExploreHost; out: ExploreMessage[]; moved: ArrayBuffer[][] } {
  const out: ExploreMessage[] = [];
  const moved: ArrayBuffer[][] = [];
  let t = 0;
  const host = new ExploreHost(
    (m, transfer) => {
      out.push(structuredClone(m));
      moved.push(transfer ?? []);
    },
    () => (t += 5),
  );
  return { host, out, moved };
}

type Records = Extract<ExploreMessage, { type: 'explore-records' }>;

describe('a pool worker', () => {
  it('says it is ready, with the protocol version', () => {
    const h = harness();
    h.host.ready();
    expect(h.out).toEqual([{ type: 'explore-ready', protocol: 1 }]);
  });

  it('runs the default run of a prepared search: its record packed in one transferred buffer, timed, no counterexample', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 3, input: maskByNone, options: { property: lost } });
    expect(h.out).toEqual([]);
    h.host.handle({ type: 'explore-run', search: 3, from: 0, schedules: DEFAULT_RUN() });
    const m = h.out[0] as Records;
    expect(m).toMatchObject({ type: 'explore-records', search: 3, from: 0, cex: [], ms: 5 });
    expect(h.moved[0]).toEqual([m.data.buffer]);
    // events, choice points, bad, then the prints: the default run's 32 choice points (docs/explore.md's example).
    expect(m.data[1]).toBe(32);
    expect(m.data[2]).toBe(0);
    // The coordinator reads it as it reads in-thread records: the default run's 32 choice points, children queued.
    const ps = PoolSearch.create(maskByNone, { property: lost });
    if (!ps.ok) throw new Error(ps.error);
    const job = ps.value.take(1)!;
    ps.value.accept(job, m);
    expect(ps.value.result().choicePoints).toBe(32);
    expect(ps.value.progress().queued).toBeGreaterThan(0);
  });

  it('writes a slice\'s records into the merged buffer the page sends back with it', () => {
    const fresh = harness();
    fresh.host.handle({ type: 'explore-prepare', search: 3, input: maskByNone, options: { property: lost } });
    fresh.host.handle({ type: 'explore-run', search: 3, from: 0, schedules: DEFAULT_RUN() });
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 3, input: maskByNone, options: { property: lost } });
    const spare = new Float64Array(100_000).fill(7); // an earlier slice's records, merged
    h.host.handle({ type: 'explore-run', search: 3, from: 0, schedules: DEFAULT_RUN(), spare });
    const m = h.out[0] as Records;
    // The very buffer goes back with the records (moved, not copied), and they read as a fresh buffer's do.
    expect(h.moved[0]![0]).toBe(spare.buffer);
    expect(Array.from(m.data)).toEqual(Array.from((fresh.out[0] as Records).data));
    expect(m.data.length).toBeLessThan(1000);
  });

  it('runs a range of randomized tries: the records runRandomShard gives in this thread', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 4, input: maskByNone, options: { property: lost } });
    h.host.handle({ type: 'explore-random', search: 4, job: { from: 10, count: 3, seed: 7 } });
    const m = h.out[0] as Extract<ExploreMessage, { type: 'explore-random-records' }>;
    expect(m).toMatchObject({ type: 'explore-random-records', search: 4, from: 10, ms: 5 });
    const shard = prepareShard(maskByNone, { property: lost });
    if (!shard.ok) throw new Error(shard.error);
    const here = runRandomShard(shard.value, { from: 10, count: 3, seed: 7 });
    expect(m.records.map((r) => [r.schedules, r.events, r.counterexample?.traceHash ?? null])).toEqual(here.map((r) => [r.schedules, r.events, r.counterexample?.traceHash ?? null]));
    expect(m.records.length).toBe(3);
  });

  it('the counterexample schedule comes back confirmed, with the flag the app puts the cursor on', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 1, input: maskByNone, options: { property: lost } });
    h.host.handle({ type: 'explore-run', search: 1, from: 4, schedules: COUNTEREXAMPLE() });
    const m = h.out[0] as Records;
    expect(m.data[2]).toBe(1); // bad
    expect(m.cex.length).toBe(1);
    const { k, counterexample: cex, flag } = m.cex[0]!;
    expect(k).toBe(0);
    expect(cex.schedule).toEqual([[0, 33_975]]);
    expect(flag).toMatchObject({ traceHash: cex.traceHash });
    expect(flag!.seq).toBeGreaterThan(0);
  });

  it('refuses a bad scenario with the field named, and a slice of a search it never prepared', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 2, input: { version: 1, title: 'x', duration: '1ms', device: { lines: [] } }, options: { property: lost } });
    h.host.handle({ type: 'explore-run', search: 2, from: 0, schedules: DEFAULT_RUN() });
    h.host.handle({ type: 'explore-run', search: 9, from: 0, schedules: DEFAULT_RUN() });
    expect(h.out).toEqual([
      { type: 'explore-refused', search: 2, error: 'device.lines: a device needs at least one line' },
      { type: 'explore-error', search: 2, message: 'this worker has not prepared that search' },
      { type: 'explore-error', search: 9, message: 'this worker has not prepared that search' },
    ]);
  });
});
