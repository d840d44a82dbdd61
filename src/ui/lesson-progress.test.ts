import { describe, expect, test } from 'vitest';
import { parseProgress, serializeProgress, withLesson } from './lesson-progress';
import { lessonHash, parseLessonHash } from './lesson-link';

describe('lesson progress in the browser', () => {
  test('round-trips through its stored form', () => {
    let p = withLesson({}, 'lazy-none', { step: 2, answers: { 1: 3 } });
    p = withLesson(p, 'lazy-none', { done: true, answers: { 4: 0 } });
    expect(parseProgress(serializeProgress(p))).toEqual({ 'lazy-none': { step: 2, done: true, answers: { 1: 3, 4: 0 } } });
  });

  test('corrupt data, another version and malformed entries are ignored, good entries kept', () => {
    expect(parseProgress('{not json')).toEqual({});
    expect(parseProgress(null)).toEqual({});
    expect(parseProgress('[]')).toEqual({});
    expect(parseProgress(JSON.stringify({ version: 2, lessons: { a: { step: 0, done: false, answers: {} } } }))).toEqual({});
    const mixed = {
      version: 1,
      lessons: {
        good: { step: 1, done: false, answers: { 0: 1, x: 2, 3: -1, 5: 'a' } },
        'Bad Id': { step: 0, done: false },
        negative: { step: -1, done: false },
        __proto__: { step: 0, done: true },
        nodone: { step: 0 },
      },
    };
    expect(parseProgress(JSON.stringify(mixed))).toEqual({ good: { step: 1, done: false, answers: { 0: 1 } } });
  });
});

describe('lesson deep links', () => {
  test('#lesson=<id>/<step> names a step counted from 1; without a step, the first', () => {
    expect(parseLessonHash('#lesson=line-names/3')).toEqual({ id: 'line-names', step: 2 });
    expect(parseLessonHash('#lesson=line-names')).toEqual({ id: 'line-names', step: 0 });
    expect(parseLessonHash(lessonHash('lazy-none', 4))).toEqual({ id: 'lazy-none', step: 4 });
    expect(lessonHash('lazy-none', 0)).toBe('#lesson=lazy-none/1');
  });

  test('anything else is not a lesson link, malformed percent-encoding included', () => {
    for (const h of ['', '#scenario=calm-board', '#lesson=', '#lesson=Bad/1', '#lesson=a/x', '#lesson=a/1/2', '#lesson=%E0%A4%A', '#lesson=a/12345']) {
      expect(parseLessonHash(h), h).toBeNull();
    }
  });
});
