import { Suspense, lazy, useEffect } from 'react';
import '../learn.css';
import { appActions, selectLearnOpen, selectLecture, selectLesson, selectProgress, useApp } from '../store';
import { preloadTerms } from './Term';

// The lessons, the glossary view and the player load on first open: the calm board starts without them.
const LearnPanel = lazy(() => import('./LearnPanel'));

/** The first lesson's id (the library's order; LESSONS itself loads with the panel). */
const FIRST_LESSON = 'device-and-config';

/** The one-line invitation under the header while the Learn panel is closed. */
export function LearnBar(): React.JSX.Element | null {
  const open = useApp(selectLearnOpen);
  const progress = useApp(selectProgress);
  useEffect(() => {
    // Glossary definitions ready before the first hover, without weighing on the first screen.
    const id = window.setTimeout(preloadTerms, 1500);
    return () => window.clearTimeout(id);
  }, []);
  if (open) return null;
  const started = Object.keys(progress).length > 0;
  return (
    <div className="learn-bar" role="region" aria-label="Learn">
      <span>New to virtio-gpio? Guided lessons walk through the spec on a live run, with questions and checked challenges.</span>
      {!started && (
        <button className="btn primary" onClick={() => appActions().playLesson(FIRST_LESSON, 0)}>
          Start lesson 1
        </button>
      )}
      <button className="btn" onClick={() => appActions().openLearn(true)}>
        Learn
      </button>
    </div>
  );
}

/** The Learn panel's place beside the main panels, and the lecture layout switch. */
export function LearnSlot(): React.JSX.Element | null {
  const open = useApp(selectLearnOpen);
  const lecture = useApp(selectLecture);
  const lesson = useApp(selectLesson);
  const on = lecture && open && lesson !== null;
  useEffect(() => {
    document.documentElement.dataset['lecture'] = on ? 'on' : 'off';
  }, [on]);
  if (!open) return null;
  return (
    <Suspense fallback={<aside className="learn readout">Loading the lessons…</aside>}>
      <LearnPanel />
    </Suspense>
  );
}
