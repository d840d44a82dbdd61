import { checkChallenge, resolveAnchors, validateLesson, validateScenario } from '../sim/index';
import type { LessonCheck, LessonPoint } from './protocol';

/**
 * The worker's side of the Learn panel: the lesson validator, the anchor runs
 * and the challenge check live here (with valibot), so the page carries only
 * the lesson text. Plain functions, tested in Node; never throw on bad input.
 */

/** Every step's anchor point in a scratch run of the lesson's scenario, or the reason it cannot be played. */
export function lessonAnchors(lesson: unknown): { points: (LessonPoint | null)[] | null; error: string } {
  const loaded = validateLesson(lesson);
  if (!loaded.ok) return { points: null, error: `This lesson cannot be played: ${loaded.error}` };
  const points = resolveAnchors(loaded.value);
  if (!points.ok) return { points: null, error: `This lesson cannot be played: ${points.error}` };
  return { points: points.value, error: '' };
}

/** The lesson's challenge checked on the student's session (the workspace composed: base, settings, live steps). */
export function lessonCheck(lesson: unknown, composed: unknown): LessonCheck {
  const failed = (reason: string): LessonCheck => ({ passed: false, reason, changed: [], results: [] });
  const loaded = validateLesson(lesson);
  if (!loaded.ok) return failed(`the lesson is not valid: ${loaded.error}`);
  const student = validateScenario(composed);
  if (!student.ok) return failed(`your scenario is not valid: ${student.error}`);
  const r = checkChallenge(loaded.value, student.value);
  return { passed: r.passed, reason: r.reason, changed: r.changed, results: r.results.map(({ what, expected, actual, ok }) => ({ what, expected, actual, ok })) };
}
