import { describe, expect, it } from 'vitest';
import { ACTION_KINDS } from '../actions';
import { TK } from '../trace/kinds';
import { loadScenario, resolveScenario, validateScenario } from './load';
import { runScenario } from './runner';

const base = {
  version: 1,
  title: 'windows',
  duration: '2ms',
  device: { lines: [{ name: 'button', pull: 'up' }] },
  world: { button: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'button', trigger: 'edge-falling' }],
};

function hashOf(json: unknown): string {
  const s = validateScenario(json);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  return r.value.report.traceHash;
}

describe('timeline steps with a time window', () => {
  it('reads [earliest, latest] as at + atMax; a fixed step reads as before', () => {
    const s = validateScenario({ ...base, timeline: [{ at: ['1ms', '1.2ms'], do: 'press', line: 'button' }, { at: '1.5ms', do: 'press', line: 'button', pressed: false }] });
    expect(s.ok && s.value.timeline.map((t) => [t.at, t.atMax])).toEqual([
      [1_000_000, 1_200_000],
      [1_500_000, undefined],
    ]);
  });

  it('refuses a window that ends before it starts, one past the end of the run, and one on an exact-event step', () => {
    expect(validateScenario({ ...base, timeline: [{ at: ['2ms', '1ms'], do: 'press', line: 'button' }] })).toEqual({ ok: false, error: 'timeline.0.at: the window starts after it ends' });
    const late = validateScenario({ ...base, timeline: [{ at: ['1ms', '3ms'], do: 'press', line: 'button' }] });
    expect(late.ok && resolveScenario(late.value)).toEqual({ ok: false, error: 'timeline.0.at: step at 3000000 ns is after the end of the run (2000000 ns)' });
    const exact = validateScenario({ ...base, timeline: [{ at: ['1ms', '1.1ms'], event: 3, do: 'press', line: 'button' }] });
    expect(exact.ok && resolveScenario(exact.value)).toEqual({ ok: false, error: 'timeline.0.at: a step placed by "event" cannot have a time window' });
  });

  it('a window is one choice point drawn before the run: a schedule moves the step (and its release) exactly', () => {
    const json = { ...base, timeline: [{ at: ['1ms', '1.2ms'], do: 'press', line: 'button', hold: '50us' }] };
    const pinned = { ...base, timeline: [{ at: 1_100_000, do: 'press', line: 'button', hold: '50us' }] };
    // Choice 0 = 100 us into the window; every later choice listed by value in both files.
    const s = validateScenario({ ...json, schedule: [[0, 100_000]] });
    if (!s.ok) throw new Error(s.error);
    const r = runScenario(s.value);
    if (!r.ok) throw new Error(r.error);
    const steps = [...Array(r.value.machine.trace.total).keys()].map((i) => r.value.machine.trace.get(i)!).filter((e) => e.kind === TK.Step && e.line === -1 && e.b === ACTION_KINDS.code.press);
    expect(steps.map((e) => e.t)).toEqual([1_100_000, 1_150_000]);
    // A one-value window draws nothing: the same run as the fixed step.
    expect(hashOf({ ...base, timeline: [{ at: ['1.1ms', '1.1ms'], do: 'press', line: 'button', hold: '50us' }] })).toBe(hashOf(pinned));
  });
});

describe('the schedule field', () => {
  it('takes [choice index, value] pairs, durations with units allowed', () => {
    const s = validateScenario({ ...base, schedule: [[0, '5us'], [3, 7000]] });
    expect(s.ok && s.value.schedule).toEqual([
      [0, 5000],
      [3, 7000],
    ]);
  });

  it('refuses indexes out of order or repeated, and malformed pairs', () => {
    expect(validateScenario({ ...base, schedule: [[3, 1], [1, 1]] })).toEqual({ ok: false, error: 'schedule: schedule choices must be in rising choice-index order, each index once' });
    expect(validateScenario({ ...base, schedule: [[1, 1], [1, 2]] }).ok).toBe(false);
    expect(loadScenario(JSON.stringify({ ...base, schedule: [[-1, 1]] })).ok).toBe(false);
    expect(validateScenario({ ...base, schedule: [[0]] }).ok).toBe(false);
  });

  it('a value outside its range is clamped into it, and the same file replays the same', () => {
    const json = { ...base, device: { ...base.device, latency: { event: ['2us', '10us'] } }, timeline: [{ at: '1ms', do: 'press', line: 'button' }] };
    expect(hashOf({ ...json, schedule: [[0, 999_999]] })).toBe(hashOf({ ...json, schedule: [[0, 10_000]] }));
    expect(hashOf({ ...json, schedule: [[0, 2000]] })).not.toBe(hashOf({ ...json, schedule: [[0, 10_000]] }));
  });
});
