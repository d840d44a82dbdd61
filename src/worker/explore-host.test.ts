import { describe, expect, it } from 'vitest';
import { libraryEntry, type Property } from '../sim/index';
import { ExploreHost } from './explore-host';
import type { ExploreMessage } from './protocol';

const maskByNone = libraryEntry('explore-mask-by-none')!.scenario;
const lost: Property = { kind: 'lost', line: 0 };

function harness(): { host: ExploreHost; out: ExploreMessage[] } {
  const out: ExploreMessage[] = [];
  return { host: new ExploreHost((m) => out.push(structuredClone(m))), out };
}

describe('a pool worker', () => {
  it('says it is ready, with the protocol version', () => {
    const h = harness();
    h.host.ready();
    expect(h.out).toEqual([{ type: 'explore-ready', protocol: 1 }]);
  });

  it('runs the default run of a prepared search: fingerprints and candidates, no counterexample', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 3, input: maskByNone, options: { property: lost } });
    expect(h.out).toEqual([]);
    h.host.handle({ type: 'explore-run', search: 3, job: { from: 0, schedules: [[]] } });
    const m = h.out[0] as Extract<ExploreMessage, { type: 'explore-records' }>;
    expect(m).toMatchObject({ type: 'explore-records', search: 3, from: 0, flags: [null] });
    const rec = m.records[0]!;
    expect(rec.bad).toBe(false);
    expect(rec.choicePoints).toBe(32); // the default run's 32 choice points (docs/explore.md's example)
    expect(rec.children.length).toBe(32);
    expect(rec.prints.length % 3).toBe(0);
  });

  it('the counterexample schedule comes back confirmed, with the flag the app puts the cursor on', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 1, input: maskByNone, options: { property: lost } });
    h.host.handle({ type: 'explore-run', search: 1, job: { from: 4, schedules: [[[0, 33_975]]] } });
    const m = h.out[0] as Extract<ExploreMessage, { type: 'explore-records' }>;
    const cex = m.records[0]!.counterexample!;
    expect(cex.schedule).toEqual([[0, 33_975]]);
    expect(m.flags[0]).toMatchObject({ traceHash: cex.traceHash });
    expect(m.flags[0]!.seq).toBeGreaterThan(0);
  });

  it('refuses a bad scenario with the field named, and a slice of a search it never prepared', () => {
    const h = harness();
    h.host.handle({ type: 'explore-prepare', search: 2, input: { version: 1, title: 'x', duration: '1ms', device: { lines: [] } }, options: { property: lost } });
    h.host.handle({ type: 'explore-run', search: 2, job: { from: 0, schedules: [[]] } });
    h.host.handle({ type: 'explore-run', search: 9, job: { from: 0, schedules: [[]] } });
    expect(h.out).toEqual([
      { type: 'explore-refused', search: 2, error: 'device.lines: a device needs at least one line' },
      { type: 'explore-error', search: 2, message: 'this worker has not prepared that search' },
      { type: 'explore-error', search: 9, message: 'this worker has not prepared that search' },
    ]);
  });
});
