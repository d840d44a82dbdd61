import { describe, expect, test } from 'vitest';
import { loadLesson, validateLesson } from './load';

/** A small valid lesson on a built-in scenario; each test breaks one thing. */
const base = (): Record<string, unknown> => ({
  version: 1,
  id: 'tiny',
  title: 'A tiny lesson',
  summary: 'An [[edge]] and its [[handler]].',
  minutes: 3,
  scenario: 'edge-while-away',
  steps: [
    { kind: 'narration', text: 'The first press.', cite: '5.18.7.3', anchor: { on: 'handler-call', n: 1, line: 'button' } },
    { kind: 'prediction', question: 'Latched?', choices: ['yes', 'no'], answer: 0, why: 'An edge while masked is latched.', anchor: { on: 'event', kind: 'DevIrqEvent', nth: 2 } },
    {
      kind: 'challenge',
      goal: 'Lose one edge.',
      check: { expect: { lines: { button: { lost: 1 } } }, settings: { changes: 1, only: ['driver'] } },
      solution: { patch: { driver: { mask: 'none-type' } } },
      wrong: { patch: { driver: { flow: 'edge' } } },
    },
  ],
});
const steps = (l: Record<string, unknown>): Record<string, unknown>[] => l.steps as Record<string, unknown>[];
const error = (input: unknown): string => {
  const r = validateLesson(input);
  return r.ok ? 'ok' : r.error;
};

describe('loading a lesson', () => {
  test('a valid lesson loads with its scenario resolved and defaults filled in', () => {
    const r = validateLesson(base());
    if (!r.ok) throw new Error(r.error);
    expect(r.value.scenario.title).toBe('An edge while the buffer is with the driver');
    expect(r.value.lesson.steps[1]).toMatchObject({ anchor: { on: 'event', kind: 'DevIrqEvent', nth: 2 } });
    expect(r.value.lesson.steps[0]).toMatchObject({ anchor: { on: 'handler-call', n: 1 } });
  });

  test('errors name the field, in our words', () => {
    expect(error([])).toBe('a lesson is a JSON object');
    expect(error({ ...base(), version: 2 })).toBe(
      'version: this lesson uses format version 2, newer than this vgpio-lab understands (1); update vgpio-lab',
    );
    expect(error({ ...base(), colour: 'red' })).toMatch(/^colour: /);
    expect(error({ ...base(), minutes: 0 })).toBe('minutes: a lesson takes at least a minute');
    expect(error({ ...base(), id: 'Has Spaces' })).toBe('id: expected a lesson id of lowercase letters, digits and dashes');
    expect(error({ ...base(), scenario: 'nope' })).toBe('scenario: no built-in scenario "nope"');
    expect(error({ ...base(), scenario: { version: 1, title: 't', duration: '1ms', device: { lines: [] } } })).toBe(
      'scenario: device.lines: a device needs at least one line',
    );
    const noChallenge = base();
    steps(noChallenge).pop();
    expect(error(noChallenge)).toBe('steps: a lesson ends with a challenge');
  });

  test('steps: kinds, anchors, choices, glossary links and rule ids are checked', () => {
    const l = base();
    steps(l)[0] = { kind: 'lecture', text: 'x' };
    expect(error(l)).toBe('steps.0.kind: expected a step with kind = "narration", "prediction" or "challenge"');

    const k = base();
    steps(k)[1] = { ...steps(k)[1], anchor: { on: 'event', kind: 'Nope' } };
    expect(error(k)).toBe('steps.1.anchor.kind: expected a trace kind name such as "EvqReturn" or "MsgRequest"');

    const line = base();
    steps(line)[0] = { ...steps(line)[0], anchor: { on: 'handler-call', n: 1, line: 'door' } };
    expect(error(line)).toBe('steps.0.anchor.line: the scenario has no line "door"');

    const late = base();
    steps(late)[0] = { ...steps(late)[0], anchor: { on: 'time', at: '1s' } };
    expect(error(late)).toBe('steps.0.anchor.at: 1000000000 ns is after the end of the run (2000000 ns)');

    const answer = base();
    steps(answer)[1] = { ...steps(answer)[1], answer: 2 };
    expect(error(answer)).toBe('steps.1: answer: the right choice is not one of the choices');

    const term = base();
    steps(term)[0] = { ...steps(term)[0], text: 'The [[frobnicator]] spins.' };
    expect(error(term)).toBe('steps.0.text: [[frobnicator]] is not in the glossary');

    const rule = base();
    steps(rule)[2] = { ...steps(rule)[2], check: { absent: ['gpio.no.such-rule'] } };
    expect(error(rule)).toBe('steps.2.check: no spec rule "gpio.no.such-rule" (see docs/model.md)');

    const checkLine = base();
    steps(checkLine)[2] = { ...steps(checkLine)[2], check: { expect: { lines: { door: { lost: 1 } } } } };
    expect(error(checkLine)).toBe('steps.2.check.expect.lines.door: the scenario has no line "door"');
  });

  test('reference answers must make valid scenarios', () => {
    const l = base();
    steps(l)[2] = { ...steps(l)[2], solution: { patch: { driver: { mask: 'sometimes' } } } };
    expect(error(l)).toBe('steps.2.solution: the answer is not a valid scenario: driver.mask: expected "flag" or "none-type"');
    const empty = base();
    steps(empty)[2] = { ...steps(empty)[2], wrong: {} };
    expect(error(empty)).toBe('steps.2.wrong: an answer needs a patch or shell commands');
  });

  test('text: bad JSON and prototype keys are refused', () => {
    expect(loadLesson('{').ok).toBe(false);
    expect(loadLesson('{"__proto__": {}}')).toEqual({ ok: false, error: 'key "__proto__" is not allowed' });
    expect(loadLesson(JSON.stringify(base())).ok).toBe(true);
  });
});
