import { describe, expect, test } from 'vitest';
import { validateScenario } from '../load';
import type { Scenario } from '../schema';
import { applyAnswer, mergePatch } from './answer';
import { checkChallenge, settingsDiff } from './check';
import { builtInLesson, type LoadedLesson } from './load';

const lesson = (id: string): LoadedLesson => {
  const r = builtInLesson(id);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const scenario = (input: unknown): Scenario => {
  const r = validateScenario(input);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('settings diff', () => {
  const l = lesson('mask-by-none-loses-edges');
  const patched = (patch: Record<string, unknown>): Scenario => scenario(mergePatch(l.scenarioInput, patch));

  test('an unchanged scenario, a new title and new expectations change no setting', () => {
    expect(settingsDiff(l.scenario, l.scenario)).toEqual([]);
    expect(settingsDiff(l.scenario, patched({ title: 'mine', description: 'x', expect: { total: { lost: 0 } } }))).toEqual([]);
  });

  test('writing a default explicitly is no change; a changed value is one path', () => {
    expect(settingsDiff(l.scenario, patched({ driver: { mask: 'flag', flow: 'level' } }))).toEqual([]);
    expect(settingsDiff(l.scenario, patched({ driver: { mask: 'none-type' } }))).toEqual(['driver.mask']);
    expect(settingsDiff(l.scenario, patched({ driver: { mask: 'none-type' }, device: { policy: { edgeLatch: 'queue:4' } } }))).toEqual([
      'device.policy.edgeLatch',
      'driver.mask',
    ]);
  });

  test('a latency range and an edge latch are one setting each, however they are written', () => {
    expect(settingsDiff(l.scenario, patched({ device: { latency: { notify: '20us' } } }))).toEqual(['device.latency.notify']);
    expect(settingsDiff(l.scenario, patched({ device: { latency: { notify: ['2us', '2us'] } } }))).toEqual([]);
    expect(settingsDiff(l.scenario, patched({ device: { policy: { edgeLatch: 'queue:16' } } }))).toEqual(['device.policy.edgeLatch']);
    const q = scenario(mergePatch(l.scenarioInput, { device: { policy: { edgeLatch: 'queue:16' } } }));
    expect(settingsDiff(q, scenario(mergePatch(l.scenarioInput, { device: { policy: { edgeLatch: 'single' } } })))).toEqual(['device.policy.edgeLatch']);
  });

  test('durations compare by value, and an added timeline step is one change at its index', () => {
    const tl = (l.scenarioInput.timeline as unknown[]).slice();
    expect(settingsDiff(l.scenario, patched({ duration: 2_000_000 }))).toEqual([]);
    expect(settingsDiff(l.scenario, patched({ timeline: [...tl, { at: '1500us', do: 'pulse', line: 'button', width: '10us' }] }))).toEqual(['timeline.2']);
  });
});

describe('reference answers', () => {
  test('merge patch: objects merge, null deletes, arrays and values replace, prototype keys are ignored', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { b: null, e: 3 }, d: [3] })).toEqual({ a: { c: 2, e: 3 }, d: [3] });
    const polluted = mergePatch({}, JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.keys(polluted)).toEqual([]);
  });

  test('shell commands are appended to the timeline as shell steps', () => {
    const s = applyAnswer({ timeline: [{ at: 0, do: 'pause' }] }, { shell: [{ at: '1ms', command: 'gpioinfo' }] });
    expect(s.timeline).toEqual([{ at: 0, do: 'pause' }, { at: '1ms', do: 'shell', command: 'gpioinfo' }]);
  });
});

describe('checking a student run', () => {
  test('the lesson sets the expectations: a student cannot pass by writing their own', () => {
    const l = lesson('mask-by-none-loses-edges');
    const cheat = scenario({ ...l.scenarioInput, expect: { total: { lost: 0 } } });
    const r = checkChallenge(l, cheat);
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('settings.changes: expected 1 changed, got 0 changed (nothing)');
    expect(r.results.map((x) => `${x.what} ${x.ok}`)).toEqual([
      'settings.changes false',
      'settings.only true',
      'lines.button.lost false',
      'lines.button.handlerCalls false',
      'lines.button.deviceMasked false',
      'violations true',
    ]);
  });

  test('a right answer passes with every condition listed, and names what changed', () => {
    const l = lesson('mask-by-none-loses-edges');
    const r = checkChallenge(l, scenario(mergePatch(l.scenarioInput, { driver: { mask: 'none-type' } })));
    expect(r).toMatchObject({ passed: true, reason: '', changed: ['driver.mask'] });
    expect(r.results.every((x) => x.ok)).toBe(true);
    expect(r.report?.lines[0]).toMatchObject({ lost: 1, deviceMasked: 1, handlerCalls: 1 });
  });

  test('another driver setting that also loses the edge, but not by NONE, fails on the device count', () => {
    const l = lesson('mask-by-none-loses-edges');
    const r = checkChallenge(l, scenario(mergePatch(l.scenarioInput, { driver: { requeue: 'before' } })));
    expect(r.passed).toBe(false);
    expect(r.reason).toBe('lines.button.deviceMasked: expected 1, got 0');
  });

  test('a rule that must stay unbroken is counted exactly', () => {
    const l = lesson('changing-trigger-safely');
    const r = checkChallenge(l, scenario(mergePatch(l.scenarioInput, { device: { preset: 'spec' } })));
    expect(r.reason).toBe('violations.gpio.rq.type-change-via-none: expected absent, got occurs 1 times');
  });

  test('shell: text that must be absent fails the check when present', () => {
    const l = lesson('directions-and-values');
    const s = scenario(applyAnswer(l.scenarioInput, { shell: [{ at: '1ms', command: 'gpioset -z relay=1' }, { at: '1500us', command: 'levels relay' }, { at: '1600us', command: 'levels switch' }] }));
    const r = checkChallenge(l, s);
    expect(r.passed).toBe(false);
    expect(r.results.filter((x) => !x.ok).map((x) => x.expected)).toEqual(['output lacks "world ("']);
  });

  test('a student scenario that does not resolve fails with the loader\'s words, without throwing', () => {
    const l = lesson('edge-latch-coalescing');
    const s = scenario({ ...l.scenarioInput, timeline: [{ at: '1ms', do: 'press', line: 'nope' }] });
    const r = checkChallenge(l, s);
    expect(r.passed).toBe(false);
    expect(r.results.at(-1)).toEqual({ what: 'scenario', expected: 'a scenario that runs', actual: 'timeline.0.line: no line named "nope"', ok: false });
    expect(r.report).toBeNull();
  });
});
