import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { validateScenario } from '../load';
import { applyAnswer } from './answer';
import { checkChallenge } from './check';
import { LESSONS } from './library/index';
import { builtInLesson, loadLesson } from './load';
import type { ChallengeStep } from './schema';

const md = readFileSync(new URL('../../../../docs/lessons.md', import.meta.url), 'utf8');

// The full example in docs/lessons.md is a valid lesson whose answers behave as documented.
test('the documented full example validates; its solution passes and its wrong answer fails', () => {
  const block = /## Full example\s+```json\n([\s\S]*?)\n```/.exec(md);
  expect(block).not.toBeNull();
  const l = loadLesson(block![1]!);
  if (!l.ok) throw new Error(l.error);
  const challenge = l.value.lesson.steps[2] as ChallengeStep;
  for (const [which, passes] of [['solution', true], ['wrong', false]] as const) {
    const s = validateScenario(applyAnswer(l.value.scenarioInput, challenge[which]));
    if (!s.ok) throw new Error(s.error);
    expect(checkChallenge(l.value, s.value).passed).toBe(passes);
  }
});

test('the lesson table in docs/lessons.md lists every built-in lesson with its minutes, in order', () => {
  const rows = [...md.matchAll(/^\| `([a-z0-9-]+)` \| (\d+) \|/gm)].map((m) => [m[1], Number(m[2])]);
  expect(rows).toEqual(
    LESSONS.map((e) => {
      const r = builtInLesson(e.id);
      if (!r.ok) throw new Error(r.error);
      return [e.id, r.value.lesson.minutes];
    }),
  );
});
