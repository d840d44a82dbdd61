import { DEFAULT_SCENARIO_ID, parseHash } from '../sim/index';
import { openAt, syncAddress } from './address';
import { loadSequence } from './follow-current';
import { syncCompare } from './compare-sync';
import type { LoadSource } from '../worker/protocol';
import { lessonHash, parseLessonHash } from './lesson-link';
import { live, perf } from './live';
import { loadPrefs } from './prefs';
import { liveUrlFromHash } from './live-link';
import { client } from './sim-client';
import { appActions, useApp } from './store';
import { syncStoreToWorker } from './store-sync';
import type { TestHandle } from './test-handle';

/** What the page was opened with: a share link or a built-in scenario in the hash (view fields aside), or the default scenario. */
export function initialSource(hash: string): LoadSource {
  // parseHash never throws: malformed percent-encoding in an id passes as written, and the worker refuses the id.
  return parseHash(hash).source ?? { kind: 'library', id: DEFAULT_SCENARIO_ID };
}

export function startApp(): void {
  client.liveUrl = liveUrlFromHash(location.hash, location.hostname);
  const source = initialSource(location.hash);
  // The view the address carries (cursor, selected event, tab, comparison) opens once the run is there.
  syncAddress();
  syncCompare();
  const first = parseHash(location.hash);
  if (client.liveUrl === null) openAt(first.view, first.errors);
  client.start(source);
  // The speed the viewer picked before (a link replays at full speed first, so not for links).
  const speed = loadPrefs().speed;
  if (speed !== undefined && source.kind !== 'link' && client.liveUrl === null) client.send({ type: 'speed', speed });
  syncStoreToWorker();
  const handle: TestHandle = { state: useApp.getState, live, perf, client, trace: () => live.trace };
  window.__vgpio = handle;
  // A lesson link (#lesson=<id>/<step>) opens the Learn panel at that step (the default scenario loads first).
  const openLesson = (hash: string): void => {
    const l = parseLessonHash(hash);
    if (l) appActions().playLesson(l.id, l.step);
  };
  openLesson(location.hash);
  syncLessonHash();
  // Step's current-event mapping is not in the initial JS: fetched once the page is idle after boot,
  // so the first Step normally finds it there (if not, the panels mark the event when it arrives).
  const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 500));
  idle(() => void loadSequence());
  // Opening another link or scenario address in the same tab (editing the hash) loads it, at its view.
  // (The page writes its own address with replaceState, which fires no hashchange.)
  window.addEventListener('hashchange', () => {
    const p = parseHash(location.hash);
    if (p.source && client.liveUrl === null) {
      openAt(p.view, p.errors);
      client.load(p.source);
    }
    openLesson(location.hash);
  });
}

/** The address bar follows the lesson step being shown, so it can be copied as a deep link. */
function syncLessonHash(): void {
  useApp.subscribe((s, prev) => {
    if (s.lesson === prev.lesson) return;
    if (s.lesson) history.replaceState(null, '', lessonHash(s.lesson.id, s.lesson.step));
    else if (parseLessonHash(location.hash)) history.replaceState(null, '', location.pathname + location.search);
  });
}
