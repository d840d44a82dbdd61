import { parseHash, viewFields, type LinkView } from '../sim/index';
import type { LoadSource } from '../worker/protocol';
import { live, onFrame } from './live';
import { client } from './sim-client';
import { appActions, useApp, type AppState, type Tab } from './store';

/**
 * The address bar names what the page shows, or nothing: never a stale link.
 *
 *  - A built-in scenario picked from the library (or opened by its address)
 *    and not changed since: `#scenario=<id>`, plus the view fields.
 *  - A share link opened, or made with Copy link, and not changed since:
 *    the link, plus the view fields.
 *  - Anything else (a live action, a settings change, a restart, a file):
 *    the bare page address. The session is no longer any link the page has;
 *    Copy link makes one.
 *
 * The view fields (core: link-view.ts) follow the cursor, the selected event,
 * the open tab and the comparison as they change, so a reload or a copied
 * address opens there. While a lesson plays, its own `#lesson=` owns the
 * address (lesson-link.ts); a live guest page (`#live=`) keeps its address.
 */

/** The tabs a link may open (the page's own; anything else in a link is refused with a message). */
export const LINK_TABS: readonly Tab[] = ['trace', 'queues', 'terminal', 'compare'];

/** The address's source part (`scenario=<id>` or `s1.…`), or null when the session matches none. */
let source: string | null = null;
/** Live steps the session had when `source` was right; one more and it is stale. */
let sourceSteps = 0;

/** The view to put in a link or the address: only what differs from a fresh page. */
export function viewOf(s: Pick<AppState, 'cursor' | 'selectedSeq' | 'tab' | 'compare'>): LinkView {
  const v: LinkView = {};
  if (s.cursor !== null) v.t = Math.round(s.cursor);
  if (s.selectedSeq !== null) v.sel = s.selectedSeq;
  if (s.tab !== 'trace') v.tab = s.tab;
  if (s.compare && s.compare.settings.length > 0) v.with = [...s.compare.settings];
  return v;
}

export function currentView(): LinkView {
  return viewOf(useApp.getState());
}

/** The address's source part after a load: what was asked for, or null for a rebuild (settings, restart) or a file. */
export function sourceAfterLoad(load: { source: LoadSource | null; requested: boolean }, id: string | null): string | null {
  if (!load.requested || !load.source) return null;
  if (load.source.kind === 'library') return id === null ? null : `scenario=${encodeURIComponent(id)}`;
  if (load.source.kind === 'link') {
    const src = parseHash(load.source.link).source;
    return src?.kind === 'link' ? src.link : null;
  }
  return null;
}

/** The fragment the address should hold (with `#`), or '' for none. */
export function addressHash(src: string | null, view: LinkView): string {
  return src === null ? '' : `#${src}${viewFields(view)}`;
}

let timer = 0;

/**
 * Writes the address now, or (`soon`) once the view has settled: a cursor dragged or stepped
 * with the arrow keys changes many times a second, and browsers throttle (Firefox: refuse)
 * more than about a hundred history calls in a few seconds.
 */
function write(soon = false): void {
  if (soon) {
    if (timer === 0) timer = window.setTimeout(() => write(), 150);
    return;
  }
  if (timer !== 0) window.clearTimeout(timer);
  timer = 0;
  if (client.liveUrl !== null || useApp.getState().lesson !== null) return;
  const h = addressHash(source, currentView());
  if (location.hash === h || (h === '' && location.hash === '')) return;
  try {
    history.replaceState(null, '', h === '' ? location.pathname + location.search : h);
  } catch {
    // Refused (too many calls): the next change writes it.
  }
}

/** Copy link made `link` (the payload, no fields): the address shows it until the session changes. */
export function addressShared(link: string): void {
  source = link;
  sourceSteps = live.steps.length;
  write();
}

/** A view that arrived in an address, applied once the run it belongs to is there (see openAt). */
let pending: LinkView | null = null;

/**
 * Opens the page at a view from its address: the comparison and tab at once;
 * the cursor and the selected event once the run has reached them (a link's
 * replay has paused; a built-in scenario is run to the cursor first, as a
 * lesson step is) and the page holds the selected event's trace row.
 */
export function openAt(view: LinkView, errors: readonly string[]): void {
  const v = { ...view };
  const problems = [...errors];
  if (v.tab !== undefined && !(LINK_TABS as readonly string[]).includes(v.tab)) {
    problems.push(`link field "tab" ignored: no panel "${v.tab}" (${LINK_TABS.join(', ')})`);
    delete v.tab;
  }
  if (problems.length > 0) appActions().showToast(`This address was opened without some of its view: ${problems.join('; ')}.`);
  pending = Object.keys(v).length > 0 ? v : null;
}

function applyOnLoad(): void {
  const v = pending;
  if (!v) return;
  if (v.with) appActions().compareWith(v.with);
  if (v.tab !== undefined) appActions().setTab(v.tab as Tab);
  if (v.t === undefined && v.sel === undefined) {
    pending = null;
    return;
  }
  // A built-in scenario plays from its start: run it to the cursor and pause there (a link's replay pauses by itself).
  if (client.lastLoad.source?.kind === 'library') {
    if (v.t === undefined) {
      pending = null;
      appActions().showToast('link field "sel" ignored: a built-in scenario\'s address selects an event only with its time (t).');
      return;
    }
    client.send({ type: 'run-to', t: v.t });
  }
}

/** Each frame while a view waits: apply it once the run has stopped and every trace event sent has arrived. */
function applyWhenThere(): void {
  const v = pending;
  if (!v || live.view === null) return;
  const stopped = live.status !== 'running';
  const allHere = live.trace.total >= live.traceTotal;
  const selHere = v.sel === undefined || live.trace.total > v.sel;
  if (!(stopped && allHere)) return;
  pending = null;
  if (v.t !== undefined) appActions().moveCursor(v.t);
  // The trace list marks the row when it has it: the sender may have selected an event past where
  // its live run was (time travel reaches ahead), so the run goes on to the cursor to bring it.
  if (v.sel !== undefined) appActions().selectEvent(v.sel);
  if (!selHere && v.t !== undefined) client.send({ type: 'run-to', t: v.t });
}

/** Keeps the address bar true to the page (see above); applies a view from the address on load. Returns the unsubscribe. */
export function syncAddress(): () => void {
  const offStore = useApp.subscribe((s, prev) => {
    if (s.info !== prev.info && s.info) {
      source = sourceAfterLoad(client.lastLoad, s.info.id);
      sourceSteps = live.steps.length;
      applyOnLoad();
      write();
      return;
    }
    if (s.cursor !== prev.cursor || s.selectedSeq !== prev.selectedSeq || s.tab !== prev.tab || s.compare?.settings !== prev.compare?.settings || s.lesson !== prev.lesson) write(true);
  });
  const offFrame = onFrame(() => {
    applyWhenThere();
    if (source !== null && live.steps.length !== sourceSteps) {
      source = null; // a live change: the address no longer names this session
      write();
    }
  });
  return () => {
    offStore();
    offFrame();
  };
}
