import { describe, expect, it } from 'vitest';
import { libraryEntry } from '../scenario/library/index';
import { validateScenario } from '../scenario/load';
import type { Scenario } from '../scenario/schema';
import { explore } from './explorer';
import { describeProperty, parseProperty } from './property';

function scenario(id: string): Scenario {
  const s = validateScenario(libraryEntry(id)!.scenario);
  if (!s.ok) throw new Error(s.error);
  return s.value;
}

describe('properties', () => {
  it('parses every form the command line takes, lines by name or number', () => {
    const s = scenario('type-change-without-none');
    expect(parseProperty('lost', 'hall', s)).toEqual({ ok: true, value: { kind: 'lost', line: 0 } });
    expect(parseProperty('spurious', '0', s)).toEqual({ ok: true, value: { kind: 'spurious', line: 0 } });
    expect(parseProperty('violation', null, s)).toEqual({ ok: true, value: { kind: 'violation' } });
    expect(parseProperty('livelock:50', null, s)).toEqual({ ok: true, value: { kind: 'livelock', perMs: 50 } });
    expect(parseProperty('expect', null, s)).toEqual({ ok: true, value: { kind: 'expect' } });
    const rule = parseProperty('rule:gpio.rq.type-change-via-none', null, s);
    expect(rule.ok && rule.value.kind === 'rule' && rule.value.id).toBe('gpio.rq.type-change-via-none');
  });

  it('refuses what it cannot check, naming the field', () => {
    const s = scenario('type-change-without-none');
    expect(parseProperty('lost', 'nope', s)).toEqual({ ok: false, error: 'line: the scenario has no line "nope"' });
    expect(parseProperty('violation', 'hall', s)).toEqual({ ok: false, error: 'line: only the lost, spurious and coalesced properties take a line' });
    expect(parseProperty('rule:no.such', null, s).ok).toBe(false);
    expect(parseProperty('livelock:x', null, s).ok).toBe(false);
    expect(parseProperty('anything', null, s)).toEqual({ ok: false, error: 'property: expected one of lost, spurious, coalesced, violation, rule:<id>, livelock:<N>, expect' });
    expect(parseProperty('expect', null, scenario('explore-type-change')).ok).toBe(true);
  });

  it('names the property in words', () => {
    const s = scenario('type-change-without-none');
    expect(describeProperty({ kind: 'lost', line: 0 }, s)).toBe('a lost interrupt on line 0 (hall)');
    expect(describeProperty({ kind: 'livelock', perMs: 5 }, s)).toBe('more than 5 INVALID eventq returns within one simulated ms');
  });

  it('a spec rule: the direct type change breaks gpio.rq.type-change-via-none in the default run', () => {
    const s = scenario('type-change-without-none');
    const p = parseProperty('rule:gpio.rq.type-change-via-none', null, s);
    if (!p.ok) throw new Error(p.error);
    const r = explore(libraryEntry('type-change-without-none')!.scenario, { property: p.value });
    expect(r.ok && r.value.stop).toBe('found');
    expect(r.ok && r.value.counterexample?.schedule).toEqual([]);
  });

  it('livelock: the INVALID storm is more than 50 returns in some simulated ms, not more than 100000', () => {
    const input = libraryEntry('invalid-livelock')!.scenario;
    const found = explore(input, { property: { kind: 'livelock', perMs: 50 } });
    expect(found.ok && found.value.stop).toBe('found');
    const none = explore(input, { property: { kind: 'livelock', perMs: 100_000 }, maxSchedules: 3 });
    expect(none.ok && none.value.counterexample).toBe(null);
  });

  it('expect: a scenario whose expectations hold in the default run but not in every timing', () => {
    // The expect section of explore-level-requeue-before-ack says no spurious call; the explorer finds one.
    const r = explore(libraryEntry('explore-level-requeue-before-ack')!.scenario, { property: { kind: 'expect' } });
    expect(r.ok && r.value.counterexample?.schedule).toEqual([[16, 3961]]);
  });
});
