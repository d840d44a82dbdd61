import { beforeEach, describe, expect, test } from 'vitest';
import { appActions, useApp } from './store';

const passed = { passed: true, reason: '', changed: ['driver.mask'], results: [] };

describe('the store plays lessons', () => {
  beforeEach(() => {
    appActions().playLesson(null);
    useApp.setState({ progress: {}, learnOpen: false });
  });

  test('playing a lesson opens the panel at the step and remembers the step as progress', () => {
    appActions().playLesson('lazy-none', 2);
    expect(useApp.getState()).toMatchObject({ learnOpen: true, lesson: { id: 'lazy-none', step: 2 } });
    appActions().setLessonStep(3);
    expect(useApp.getState().progress['lazy-none']).toEqual({ step: 3, done: false, answers: {} });
  });

  test('a passed check marks the lesson done; a check for a lesson no longer played is ignored', () => {
    appActions().playLesson('lazy-none');
    appActions().lessonChecked('lazy-none', null);
    expect(useApp.getState().lessonCheck).toEqual({ id: 'lazy-none', result: null, checking: true });
    appActions().lessonChecked('lazy-none', passed);
    expect(useApp.getState().progress['lazy-none']?.done).toBe(true);
    appActions().playLesson('line-names');
    appActions().lessonChecked('lazy-none', passed);
    expect(useApp.getState().lessonCheck).toBeNull();
    expect(useApp.getState().progress['line-names']?.done).toBe(false);
  });

  test('anchors that arrive for another lesson are dropped; leaving the lesson ends the lecture view', () => {
    appActions().playLesson('line-names');
    appActions().lessonResolved({ id: 'lazy-none', points: [], error: '' });
    expect(useApp.getState().lessonRun).toBeNull();
    appActions().lessonResolved({ id: 'line-names', points: [{ t: 5, seq: 1 }, null], error: '' });
    expect(useApp.getState().lessonRun?.points).toHaveLength(2);
    appActions().setLecture(true);
    appActions().playLesson(null);
    expect(useApp.getState()).toMatchObject({ lesson: null, lessonRun: null, lecture: false });
  });
});
