import { useEffect } from 'react';
import { formatNs } from '../../sim/index';
import { checkLesson, lessonJson, restartLessonRun, showStep, startLesson, type LessonStepJson } from '../lesson-player';
import { appActions, selectLecture, selectLesson, selectLessonCheck, selectLessonRun, selectProgress, useApp } from '../store';
import { Cite, LessonText } from './LessonText';

type Prediction = Extract<LessonStepJson, { kind: 'prediction' }>;
type Challenge = Extract<LessonStepJson, { kind: 'challenge' }>;

function PredictionStep({ id, index, step }: { id: string; index: number; step: Prediction }): React.JSX.Element {
  const picked = useApp((s) => s.progress[id]?.answers[index]);
  const answered = picked !== undefined;
  const right = picked === step.answer;
  return (
    <div className="learn-step">
      <fieldset className="learn-choices" disabled={answered}>
        <legend>
          <LessonText text={step.question} />
        </legend>
        {step.choices.map((c, i) => (
          <button
            key={i}
            className={`btn learn-choice${answered && i === step.answer ? ' right' : ''}${answered && i === picked && !right ? ' wrong' : ''}`}
            aria-pressed={picked === i}
            onClick={() => appActions().saveLessonProgress(id, { answers: { [index]: i } })}
          >
            <LessonText text={c} />
          </button>
        ))}
      </fieldset>
      {answered ? (
        <div className={`learn-verdict ${right ? 'pass' : 'fail'}`} role="status" data-testid="prediction-verdict">
          <b>{right ? 'Right.' : 'Not quite.'}</b> <LessonText text={step.why} />
        </div>
      ) : (
        <p className="readout">Answer to let the run go on.</p>
      )}
      <Cite cite={step.cite} />
    </div>
  );
}

function ChallengeStep({ id, step }: { id: string; step: Challenge }): React.JSX.Element {
  const check = useApp(selectLessonCheck);
  const result = check?.id === id ? check.result : null;
  const checking = check?.id === id && check.checking;
  return (
    <div className="learn-step">
      <p className="learn-goal">
        <b>Challenge:</b> <LessonText text={step.goal} />
      </p>
      {step.hint && (
        <details>
          <summary>Hint</summary>
          <LessonText text={step.hint} />
        </details>
      )}
      <p className="readout learn-how">Change settings, the timeline or type in the terminal as usual, then press Check: the simulator runs your session from the start and checks it.</p>
      <div className="learn-nav">
        <button className="btn primary" onClick={() => void checkLesson(id)} disabled={checking}>
          {checking ? 'Checking…' : 'Check'}
        </button>
        <button className="btn" onClick={() => restartLessonRun(id)} title="Load the lesson's scenario again, unchanged, paused at its start">
          Start over
        </button>
      </div>
      {result && (
        <div className={`learn-verdict ${result.passed ? 'pass' : 'fail'}`} role="status" data-testid="challenge-verdict">
          <b>{result.passed ? 'Passed.' : 'Not passed.'}</b> {result.passed ? `You changed ${result.changed.length ? result.changed.join(', ') : 'nothing'}.` : result.reason}
        </div>
      )}
      <Cite cite={step.cite} />
    </div>
  );
}

/** One lesson, step by step: narration, predictions and the challenge; moves the run and the cursor to each step. */
export function LessonPlayer({ id, step: index }: { id: string; step: number }): React.JSX.Element {
  const lesson = lessonJson(id);
  const run = useApp(selectLessonRun);
  const lecture = useApp(selectLecture);
  const answered = useApp((s) => s.progress[id]?.answers[index] !== undefined);
  const points = run?.id === id ? run.points : null;
  const steps = lesson?.steps ?? [];
  const step = steps[Math.min(index, steps.length - 1)];

  useEffect(() => {
    void startLesson(id);
  }, [id]);
  useEffect(() => {
    if (step && points) showStep(step, points[index] ?? null, answered);
  }, [step, points, index, answered]);

  if (!lesson || !step) return <p role="alert">There is no lesson “{id}”.</p>;
  const last = steps.length - 1;
  const blocked = step.kind === 'prediction' && !answered;
  const go = (i: number): void => appActions().setLessonStep(Math.max(0, Math.min(last, i)));
  const point = points?.[index];
  return (
    <article className="learn-lesson" aria-labelledby="lesson-title">
      <div className="learn-row">
        <button className="btn" onClick={() => appActions().playLesson(null)}>
          ← All lessons
        </button>
        <button className="btn" aria-pressed={lecture} onClick={() => appActions().setLecture(!lecture)} title="Projector layout: larger type, PageUp / PageDown move between steps">
          Lecture view
        </button>
      </div>
      <h2 id="lesson-title" className="learn-title">
        {lesson.title}
      </h2>
      <p className="readout" data-testid="lesson-step">
        Step {Math.min(index, last) + 1} of {steps.length}
        {point ? ` · at ${formatNs(point.t)}` : ''}
      </p>
      {run?.id === id && run.error && <p role="alert">{run.error}</p>}
      {step.kind === 'narration' && (
        <div className="learn-step">
          <p className="learn-text">
            <LessonText text={step.text} />
          </p>
          <Cite cite={step.cite} />
        </div>
      )}
      {step.kind === 'prediction' && <PredictionStep key={`${id}-${index}`} id={id} index={index} step={step} />}
      {step.kind === 'challenge' && <ChallengeStep id={id} step={step} />}
      <div className="learn-nav">
        <button className="btn" onClick={() => go(index - 1)} disabled={index === 0}>
          Previous
        </button>
        <button className="btn primary" onClick={() => go(index + 1)} disabled={index >= last || blocked} title={blocked ? 'Answer the question first' : undefined}>
          Next
        </button>
      </div>
    </article>
  );
}

/** PageUp / PageDown move between steps in the lecture view (not while typing in a field or the terminal). */
export function useLecturePaging(): void {
  const lecture = useApp(selectLecture);
  const lesson = useApp(selectLesson);
  const progress = useApp(selectProgress);
  useEffect(() => {
    if (!lecture || !lesson) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'PageDown' && e.key !== 'PageUp') return;
      const t = e.target as HTMLElement | null;
      if (t && (t.closest('input, select, textarea, .xterm') !== null)) return;
      const steps = lessonJson(lesson.id)?.steps ?? [];
      const cur = steps[lesson.step];
      if (e.key === 'PageDown') {
        if (cur?.kind === 'prediction' && progress[lesson.id]?.answers[lesson.step] === undefined) return;
        if (lesson.step < steps.length - 1) appActions().setLessonStep(lesson.step + 1);
      } else if (lesson.step > 0) appActions().setLessonStep(lesson.step - 1);
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lecture, lesson, progress]);
}
