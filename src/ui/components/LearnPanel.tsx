import { useState } from 'react';
import { GLOSSARY } from '../../sim/index';
import { LESSON_IDS, lessonJson } from '../lesson-player';
import { appActions, selectLesson, selectProgress, useApp } from '../store';
import { LessonText } from './LessonText';
import { LessonPlayer, useLecturePaging } from './LessonPlayer';

/** The built-in lessons in teaching order, with the student's progress. */
function LessonList(): React.JSX.Element {
  const progress = useApp(selectProgress);
  return (
    <ol className="learn-list" aria-label="Lessons">
      {LESSON_IDS.map((id, n) => {
        const l = lessonJson(id)!;
        const p = progress[id];
        const state = p?.done ? 'done' : p ? `step ${p.step + 1} of ${l.steps.length}` : 'not started';
        return (
          <li key={id} data-lesson={id}>
            <button className="learn-item" onClick={() => appActions().playLesson(id, p && !p.done ? p.step : 0)}>
              <span className="learn-item-title">
                {n + 1}. {l.title}
              </span>
              <span className={`readout learn-progress${p?.done ? ' done' : ''}`} data-testid="lesson-progress">
                {p?.done ? '✓ ' : ''}
                {state} · {l.minutes} min
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

/** Every glossary entry, filterable: the terms the lessons link and the page's labels. */
function GlossaryView(): React.JSX.Element {
  const [q, setQ] = useState('');
  const needle = q.trim().toLowerCase();
  const shown = GLOSSARY.filter((e) => !needle || [e.term, e.id, ...(e.aliases ?? [])].some((k) => k.toLowerCase().includes(needle)));
  return (
    <section aria-label="Glossary">
      <label className="learn-filter">
        <span className="sr-only">Filter the glossary</span>
        <input type="search" placeholder="Filter terms…" value={q} onChange={(e) => setQ(e.target.value)} />
      </label>
      <p className="readout">
        {shown.length} of {GLOSSARY.length} terms
      </p>
      <dl className="glossary">
        {shown.map((e) => (
          <div key={e.id} id={`glossary-${e.id}`}>
            <dt>{e.term}</dt>
            <dd>
              <LessonText text={e.text} />
              {e.cite && <span className="readout"> ({/^\d/.test(e.cite) ? `virtio ${e.cite}` : e.cite})</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** The Learn panel: the lesson list or the lesson being played, and the glossary. Loaded on first open. */
export default function LearnPanel(): React.JSX.Element {
  const lesson = useApp(selectLesson);
  const [view, setView] = useState<'lessons' | 'glossary'>('lessons');
  useLecturePaging();
  return (
    <aside className="learn" aria-labelledby="learn-heading">
      <div className="learn-row learn-head">
        <h2 id="learn-heading">Learn</h2>
        <div role="group" aria-label="Learn views" className="learn-views">
          <button className="btn" aria-pressed={view === 'lessons'} onClick={() => setView('lessons')}>
            Lessons
          </button>
          <button className="btn" aria-pressed={view === 'glossary'} onClick={() => setView('glossary')}>
            Glossary
          </button>
        </div>
        <button className="btn" aria-label="Close the Learn panel" onClick={() => appActions().openLearn(false)}>
          ✕
        </button>
      </div>
      <div className="learn-body">
        {view === 'glossary' ? <GlossaryView /> : lesson ? <LessonPlayer id={lesson.id} step={lesson.step} /> : <LessonList />}
      </div>
    </aside>
  );
}
