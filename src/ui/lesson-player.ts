import { LESSONS, lessonEntry, termLinks, type LessonInput } from '../sim/index';
import type { LessonPoint, LoadSource } from '../worker/protocol';
import { client } from './sim-client';
import { appActions, useApp } from './store';

/**
 * The Learn panel's driver: loads a lesson's scenario through the ordinary
 * load path, asks the worker where each step's anchor falls, and moves the
 * run and the cursor to a step. The lesson text is read straight from the
 * built-in JSON (the core's tests validate every lesson; the worker validates
 * again before it plays or checks one), so the page needs no validator.
 */

export type LessonJson = LessonInput;
export type LessonStepJson = LessonJson['steps'][number];

export function lessonJson(id: string): LessonJson | null {
  return (lessonEntry(id)?.lesson as LessonJson | undefined) ?? null;
}

export const LESSON_IDS: readonly string[] = LESSONS.map((e) => e.id);

/** How the lesson's scenario loads: a built-in scenario by id, or the scenario written inline. */
export function scenarioSource(lesson: LessonJson): LoadSource {
  return typeof lesson.scenario === 'string' ? { kind: 'library', id: lesson.scenario } : { kind: 'json', json: lesson.scenario };
}

/** One piece of lesson text: plain words, or a glossary link. */
export type TextPart = { text: string } | { term: string; shown: string };

const LINK = /\[\[[^\]|]{1,80}(?:\|[^\]]{1,80})?\]\]/;

/** Lesson text split into words and [[term]] links (the links parsed by the core's termLinks). */
export function textParts(text: string): TextPart[] {
  const plain = text.split(new RegExp(LINK.source, 'g'));
  const links = termLinks(text);
  const out: TextPart[] = [];
  plain.forEach((p, i) => {
    if (p) out.push({ text: p });
    const l = links[i];
    if (l) out.push({ term: l.term, shown: l.shown });
  });
  return out;
}

/**
 * Where a step puts the run and the cursor. A narration runs through its
 * anchored event and marks it; a prediction not yet answered runs to just
 * before the event that reveals it, with no cursor (the student sees the run
 * as it is); answered, it runs through and marks it. The challenge leaves the
 * run to the student (live, no cursor).
 */
export function stepMove(step: LessonStepJson, point: LessonPoint | null, answered: boolean): { runTo: number | null; cursor: number | null } {
  if (step.kind === 'challenge' || !point) return { runTo: null, cursor: null };
  if (step.kind === 'prediction' && !answered) return { runTo: Math.max(0, point.t - 1), cursor: null };
  return { runTo: point.t, cursor: point.t };
}

/** The lesson whose scenario is loaded now (so reopening the panel does not reload it). */
let loadedId: string | null = null;

/** Loads the lesson's scenario, paused at its start, and asks the worker for its anchors. */
export async function startLesson(id: string): Promise<void> {
  const lesson = lessonJson(id);
  if (!lesson) {
    appActions().lessonResolved({ id, points: null, error: `There is no lesson "${id}".` });
    return;
  }
  if (loadedId === id && useApp.getState().lessonRun?.id === id) return;
  loadedId = id;
  client.load(scenarioSource(lesson));
  client.send({ type: 'pause' });
  const r = await client.lessonAnchors(lesson);
  appActions().lessonResolved({ id, ...r });
}

/** The challenge's fresh start: the lesson's scenario again, paused at its start, nothing changed. */
export function restartLessonRun(id: string): void {
  const lesson = lessonJson(id);
  if (!lesson) return;
  client.load(scenarioSource(lesson));
  client.send({ type: 'pause' });
}

/** Moves the run (forward only) and the cursor to a step. */
export function showStep(step: LessonStepJson, point: LessonPoint | null, answered: boolean): void {
  const move = stepMove(step, point, answered);
  if (move.runTo !== null) client.send({ type: 'run-to', t: move.runTo });
  appActions().moveCursor(move.cursor);
}

/** Checks the challenge on the session as it stands; the result lands in the store. */
export async function checkLesson(id: string): Promise<void> {
  const lesson = lessonJson(id);
  if (!lesson) return;
  appActions().lessonChecked(id, null);
  const result = await client.lessonCheck(lesson);
  appActions().lessonChecked(id, result);
}

/** Forgets which lesson is loaded (another scenario was opened from elsewhere). */
export function lessonUnloaded(): void {
  loadedId = null;
}
