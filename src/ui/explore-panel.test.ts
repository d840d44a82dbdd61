import { describe, expect, it } from 'vitest';
import { EXPLORE_LIBRARY, explore, libraryEntry, type ExploreResult } from '../sim/index';
import { checkWholeNumber } from './number-field';
import type { PoolOutcome } from './explore-pool';
import { boundFraction, DEFAULT_FORM, entryLines, formFor, LIVELOCK_RULE, propertyOf, verdictText } from './explore-panel';

const mask = EXPLORE_LIBRARY.find((e) => e.id === 'explore-mask-by-none')!.scenario;
const single = EXPLORE_LIBRARY.find((e) => e.id === 'explore-single-edge-spec')!.scenario;

function outcome(result: ExploreResult, extra: Partial<PoolOutcome> = {}): PoolOutcome {
  return { result, cancelled: false, flag: null, error: null, ran: result.schedules, stats: { wallMs: 0, busyMs: [], mergeMs: 0, slices: 0, meanSlice: 0, spawned: 0 }, seed: null, ...extra };
}

describe('the Explore panel form', () => {
  it('a library entry fills in its own property and line', () => {
    expect(formFor('explore-mask-by-none', DEFAULT_FORM)).toMatchObject({ source: 'explore-mask-by-none', property: 'lost', line: '0' });
    expect(formFor('explore-level-requeue-before-ack', DEFAULT_FORM)).toMatchObject({ property: 'spurious' });
    expect(entryLines('explore-mask-by-none')[0]).toBe('0 button');
  });

  it('turns the form into the property, or an error naming the field', () => {
    expect(propertyOf({ ...DEFAULT_FORM, property: 'lost', line: '0' }, mask)).toEqual({ ok: true, value: { kind: 'lost', line: 0 } });
    expect(propertyOf({ ...DEFAULT_FORM, property: 'violation', line: '0' }, mask)).toEqual({ ok: true, value: { kind: 'violation' } });
    expect(propertyOf({ ...DEFAULT_FORM, property: 'rule', rule: 'no-such-rule' }, mask)).toEqual({ ok: false, error: 'property: no spec rule has the id "no-such-rule" (see docs/model.md for the list)' });
    expect(propertyOf({ ...DEFAULT_FORM, property: 'lost', line: '7' }, mask)).toEqual({ ok: false, error: 'line: the scenario has no line "7"' });
  });
});

describe('the livelock property and the randomized mode in the form', () => {
  const livelock = libraryEntry('invalid-livelock')!.scenario;

  it('livelock with its N: "more than N INVALID returns in one simulated ms"', () => {
    expect(propertyOf({ ...DEFAULT_FORM, property: 'livelock', livelock: 50 }, livelock)).toEqual({ ok: true, value: { kind: 'livelock', perMs: 50 } });
    // A line belongs to the labelled properties only: the form's line is not sent with livelock.
    expect(propertyOf({ ...DEFAULT_FORM, property: 'livelock', line: '0', livelock: 7 }, livelock)).toEqual({ ok: true, value: { kind: 'livelock', perMs: 7 } });
    expect(LIVELOCK_RULE).toMatchObject({ min: 0, max: 999_999_999 });
    expect(checkWholeNumber('1000000000', LIVELOCK_RULE)).toEqual({ ok: false, error: 'livelock N must be at most 999999999' });
    expect(checkWholeNumber('-1', LIVELOCK_RULE)).toEqual({ ok: false, error: 'livelock N must be 0 or more' });
  });

  it('the livelock search of invalid-livelock finds the ping-pong in the default run', () => {
    const prop = propertyOf({ ...DEFAULT_FORM, property: 'livelock', livelock: 50 }, livelock);
    if (!prop.ok) throw new Error(prop.error);
    const r = explore(livelock, { property: prop.value, maxSchedules: 100 });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.stop).toBe('found');
    expect(verdictText(outcome(r.value)).title).toBe('Counterexample found: more than 50 INVALID eventq returns within one simulated ms');
  });

  it('a library entry keeps the mode and seed of the form; the default is breadth-first', () => {
    expect(DEFAULT_FORM).toMatchObject({ mode: 'breadth-first', seed: 1, livelock: 50 });
    expect(formFor('explore-type-change', { ...DEFAULT_FORM, mode: 'random', seed: 42 })).toMatchObject({ mode: 'random', seed: 42 });
  });

  it('random, found: shrunk, not called a shortest one, with its seed', () => {
    const r = explore(mask, { property: { kind: 'lost', line: 0 }, random: { seed: 7 }, maxSchedules: 3000 });
    if (!r.ok) throw new Error(r.error);
    const v = verdictText(outcome(r.value, { seed: 7 }));
    expect(v.title).toBe('Counterexample found: a lost interrupt on line 0 (button)');
    expect(v.detail).toMatch(/^1 choice away from the seeded default run, found by the randomized search, seed 7 and shrunk \(no single choice can be dropped\), not necessarily a shortest one; [\d,]+ schedules, [\d.]+ s\.$/);
  });

  it('random, none found: "not exhaustive: N schedules tried, none found"', () => {
    const r = explore(single, { property: { kind: 'lost', line: 0 }, random: { seed: 3 }, maxSchedules: 40 });
    if (!r.ok) throw new Error(r.error);
    const v = verdictText(outcome(r.value, { seed: 3 }));
    expect(v.title).toBe('Not exhaustive, none found');
    expect(v.detail).toMatch(/^Not exhaustive: 40 schedules tried, none found \(randomized search, seed 3, stopped at the schedule bound after [\d.]+ s\)\. A random sample is no proof/);
  });
});

describe('the Explore panel verdicts', () => {
  it('a counterexample: how far from the default, a shortest one', () => {
    const r = explore(mask, { property: { kind: 'lost', line: 0 } });
    if (!r.ok) throw new Error(r.error);
    expect(verdictText(outcome(r.value)).title).toBe('Counterexample found: a lost interrupt on line 0 (button)');
    expect(verdictText(outcome(r.value)).detail).toMatch(/^1 choice away from the seeded default run \(a shortest one\); 4 schedules, /);
  });

  it('exhausted: "none found" with the bounds named', () => {
    const r = explore(single, { property: { kind: 'lost', line: 0 }, maxSchedules: 5000 });
    if (!r.ok) throw new Error(r.error);
    const v = verdictText(outcome(r.value));
    expect(v.title).toBe('Exhausted within these bounds, none found');
    expect(v.detail).toContain('No schedule within these bounds breaks the property (a lost interrupt on line 0 (button)). Bounds: at most 5,000 schedules, 8 values per choice point');
    expect(v.detail).toContain('144 schedules, 312 distinct states');
  });

  it('cut by a bound, or cancelled: never called a proof', () => {
    const r = explore(single, { property: { kind: 'lost', line: 0 }, maxSchedules: 10 });
    if (!r.ok) throw new Error(r.error);
    expect(verdictText(outcome(r.value)).detail).toMatch(/^Stopped at the schedule bound after 10 schedules, .* the space was NOT exhausted, so this is no proof/);
    const c = verdictText(outcome(r.value, { cancelled: true }));
    expect(c.title).toBe('Cancelled');
    expect(c.detail).toMatch(/^Stopped by you after 10 schedules, .*no proof\.$/);
  });

  it('the bar shows the larger of the schedule and time fractions', () => {
    const s = { schedules: 50, ran: 60, states: 0, events: 0, depth: 1, queued: 0, workers: 2, elapsedMs: 3000 };
    expect(boundFraction(s, 100, 10)).toBe(0.5);
    expect(boundFraction({ ...s, elapsedMs: 9000 }, 100, 10)).toBe(0.9);
    expect(boundFraction({ ...s, schedules: 500 }, 100, 10)).toBe(1);
  });
});
