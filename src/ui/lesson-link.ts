/**
 * Deep links to a lesson step: `#lesson=<id>/<step>`, the step counted from 1
 * as the panel shows it ("step 3 of 6"). Hand-edited hashes are untrusted:
 * a malformed one is not a lesson link (null), never a throw.
 */

export interface LessonLink {
  id: string;
  /** Step index, from 0. */
  step: number;
}

const LESSON_HASH = /^lesson=([a-z0-9][a-z0-9-]{0,79})(?:\/(\d{1,3}))?$/;

export function parseLessonHash(hash: string): LessonLink | null {
  let h = hash.replace(/^#/, '');
  try {
    h = decodeURIComponent(h);
  } catch {
    return null;
  }
  const m = LESSON_HASH.exec(h);
  if (!m) return null;
  const step = m[2] === undefined ? 1 : Number(m[2]);
  return { id: m[1] as string, step: Math.max(0, step - 1) };
}

export function lessonHash(id: string, step: number): string {
  return `#lesson=${id}/${step + 1}`;
}
