/**
 * Lesson progress, kept in the browser (localStorage) under a versioned key:
 * the step each lesson was left at, the predictions answered and whether its
 * challenge passed. Whatever is stored is untrusted: anything malformed is
 * dropped, entry by entry, never thrown.
 */

export const PROGRESS_KEY = 'vgpio-lab.lesson-progress.v1';

export interface LessonProgress {
  /** The step the student was last at (index from 0). */
  step: number;
  /** The challenge passed. */
  done: boolean;
  /** Predictions answered: step index -> the choice picked. */
  answers: Record<number, number>;
}

export type Progress = Readonly<Record<string, LessonProgress>>;

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const isIndex = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 1000;

/** A lesson's progress from stored JSON, or null when it is not one. */
function entry(x: unknown): LessonProgress | null {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return null;
  const o = x as Record<string, unknown>;
  if (!isIndex(o['step']) || typeof o['done'] !== 'boolean') return null;
  const answers: Record<number, number> = {};
  const a = o['answers'];
  if (typeof a === 'object' && a !== null && !Array.isArray(a)) {
    for (const [k, v] of Object.entries(a)) if (/^\d{1,3}$/.test(k) && isIndex(v)) answers[Number(k)] = v;
  }
  return { step: o['step'], done: o['done'], answers };
}

/** Stored text -> progress; corrupt text, another version or bad entries are ignored. */
export function parseProgress(text: string | null): Progress {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null || (data as { version?: unknown }).version !== 1) return {};
  const lessons = (data as { lessons?: unknown }).lessons;
  if (typeof lessons !== 'object' || lessons === null || Array.isArray(lessons)) return {};
  const out: Record<string, LessonProgress> = {};
  for (const [id, v] of Object.entries(lessons)) {
    const e = ID.test(id) ? entry(v) : null;
    if (e) out[id] = e;
  }
  return out;
}

export function serializeProgress(p: Progress): string {
  return JSON.stringify({ version: 1, lessons: p });
}

/** The browser's storage, or null where there is none (tests, privacy modes that throw on access). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function loadProgress(): Progress {
  try {
    return parseProgress(storage()?.getItem(PROGRESS_KEY) ?? null);
  } catch {
    return {};
  }
}

/** Saves; a full or refused storage loses the progress, not the page. */
export function saveProgress(p: Progress): void {
  try {
    storage()?.setItem(PROGRESS_KEY, serializeProgress(p));
  } catch {
    /* progress is a convenience */
  }
}

/** One lesson's progress updated (a fresh entry when it has none). */
export function withLesson(p: Progress, id: string, change: Partial<LessonProgress>): Progress {
  const cur = p[id] ?? { step: 0, done: false, answers: {} };
  return { ...p, [id]: { ...cur, ...change, answers: { ...cur.answers, ...change.answers } } };
}
