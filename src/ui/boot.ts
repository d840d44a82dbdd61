import { DEFAULT_SCENARIO_ID, LINK_PREFIX } from '../sim/index';
import type { LoadSource } from '../worker/protocol';
import { lessonHash, parseLessonHash } from './lesson-link';
import { live, perf } from './live';
import { loadPrefs } from './prefs';
import { liveUrlFromHash } from './live-source';
import { client } from './sim-client';
import { appActions, useApp } from './store';
import { syncStoreToWorker } from './store-sync';
import type { TestHandle } from './test-handle';

/** What the page was opened with: a share link in the hash, or the default scenario. */
export function initialSource(hash: string): LoadSource {
  const h = hash.replace(/^#/, '');
  if (h.startsWith(LINK_PREFIX) || /^s\d+\./.test(h)) return { kind: 'link', link: h };
  if (h.startsWith('scenario=')) return { kind: 'library', id: decodeOrRaw(h.slice(9)) };
  return { kind: 'library', id: DEFAULT_SCENARIO_ID };
}

/**
 * Percent-decoding that never throws: malformed escapes (`%`, `%zz`, a lone
 * surrogate) leave the text as it was, so the worker refuses the id with a
 * message instead of the page failing before it mounts.
 */
function decodeOrRaw(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function startApp(): void {
  client.liveUrl = liveUrlFromHash(location.hash, location.hostname);
  const source = initialSource(location.hash);
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
  // Opening another link in the same tab (editing the hash) loads it.
  window.addEventListener('hashchange', () => {
    const src = initialSource(location.hash);
    if (src.kind === 'link') client.load(src);
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
