import { useEffect, useRef, useState } from 'react';
import { TRACE_CATEGORIES, categoryOf, describeEvent, formatNs, isExplainable, type TraceCategory } from '../../sim/index';
import { DisposableStore } from '../disposable';
import { listen, observeResize } from '../dom';
import { live, onHeavyFrame } from '../live';
import { markCurrent } from '../follow-current';
import { appActions, selectHiddenCategories, selectInfo, selectLineFilter, useApp } from '../store';
import { countText, rowFlavor, ruleTitle } from '../tracelist-rows';
import { Term } from './Term';
import {
  listWindow,
  lowerBound,
  maxScrollTop,
  moveActive,
  scrollTopForVirtual,
  spacerHeightFor,
  virtualTopToShow,
  type ListWindow,
} from '../tracelist-window';

/** Fixed row height (px); the CSS uses the same value. */
const ROW_H = 20;
/**
 * The column header row, sticky at the top of the scroller: the grid is itself the scrolling,
 * focusable element (so keyboard users can scroll it), and the rows' viewport is the scroller less
 * this row.
 */
const HEAD_H = ROW_H;

/** The height the rows are seen through: the scroller less its sticky header row. */
function viewportOf(s: HTMLElement): number {
  return Math.max(0, s.clientHeight - HEAD_H);
}
/** Rows drawn beyond the visible ones, above and below. */
const OVERSCAN = 6;

const CATEGORY_HELP: Record<TraceCategory, string> = {
  ring: 'virtqueue operations: add, kick, pop, push, get',
  transport: 'the transport interrupt: raise, guest entry, vq callbacks',
  msg: 'decoded requestq and eventq messages',
  line: 'line levels and sources',
  device: 'device-side state: interrupt events, trigger types, status',
  driver: 'the guest driver: irq_chip flags, warnings, errors',
  handler: 'interrupt handler calls of the client drivers',
  check: 'oracle labels and spec violations',
  step: 'timeline steps and shell commands',
};

/** One recycled row: the element and the cells it writes into. */
interface RowNode {
  el: HTMLDivElement;
  time: HTMLElement;
  cat: HTMLElement;
  line: HTMLElement;
  text: HTMLElement;
  /** What the row shows now (seq + filter version), and its index in the list. */
  seq: number;
  ver: number;
  idx: number;
}

interface Elements {
  grid: HTMLDivElement;
  scroller: HTMLDivElement;
  spacer: HTMLDivElement;
  rows: HTMLDivElement;
  count: HTMLElement;
}

let nextListId = 0;

/**
 * The imperative side of the trace list: a pool of row elements reused as the
 * window moves, written with textContent only (scenario strings are untrusted),
 * driven by animation frames, scrolling, keys and the cursor. Nothing here
 * renders React.
 */
class TraceListController {
  private readonly _el: Elements;
  private readonly _onFollow: (follow: boolean) => void;
  private readonly _id = `tl${nextListId++}`;
  private _pool: RowNode[] = [];
  /** The keyboard-active row (index into the filtered list) and its event seq. */
  private _active = -1;
  private _activeSeq = -1;
  /** The waveform cursor: its time and the seq of the row marked for it (-1: first at or after the time). */
  private _cursorT: number | null = null;
  private _cursorSeq = -1;
  /** A selected event not yet in the list (-1: none waiting). */
  private _selWanted = -1;
  /** The cursor time this list set itself (so it does not scroll to its own click). */
  private _ownCursor: number | null = null;
  private _follow = true;
  private _ver = -1;
  private _spacerH = -1;
  /** The exact virtual offset of the last programmatic scroll, while scrollTop still holds it. */
  private _pinned: { scrollTop: number; virtualTop: number } | null = null;
  private _lastWin: ListWindow | null = null;
  private _lineNames: string[] = [];

  constructor(el: Elements, onFollow: (follow: boolean) => void) {
    this._el = el;
    this._onFollow = onFollow;
  }

  get follow(): boolean {
    return this._follow;
  }

  setLineNames(names: string[]): void {
    this._lineNames = names;
    for (const n of this._pool) n.ver = -1;
  }

  /** A new scenario: no active row, no cursor, follow the newest events. */
  resetForScenario(): void {
    this._selWanted = -1;
    this._active = -1;
    this._activeSeq = -1;
    this._cursorT = null;
    this._cursorSeq = -1;
    this._ownCursor = null;
    this.setFollow(true);
  }

  setFollow(on: boolean): void {
    if (this._follow !== on) {
      this._follow = on;
      this._onFollow(on);
    }
    if (on) {
      this._toBottom();
      this.paint();
    }
  }

  // ---- per-frame and events ---------------------------------------------------------

  /** A worker batch was applied (or the filter was rebuilt): follow, then repaint. */
  frame(): void {
    const tr = live.trace;
    if (tr.filterVersion !== this._ver) this._filterRebuilt();
    if (this._selWanted >= 0 && tr.total > this._selWanted) this.selectSeq(this._selWanted);
    if (this._follow) this._toBottom();
    this._onCurrent();
    this.paint();
  }

  /** Follow mode and Step: the current event's row is selected and scrolled into view. */
  private _currentSeq = -1;
  private _onCurrent(): void {
    const cur = live.follow.current;
    if (cur === this._currentSeq) return;
    this._currentSeq = cur;
    if (cur < 0) return;
    const F = live.trace.filtered;
    const i = lowerBound(F.data, F.length, cur);
    if (i < F.length && F.data[i] === cur) {
      this._setActive(i);
      this._show(i, 'nearest');
    }
  }

  onScroll(): void {
    const s = this._el.scroller;
    const st = s.scrollTop;
    if (this._pinned && Math.abs(st - this._pinned.scrollTop) < 1) {
      this.paint();
      return;
    }
    // The user scrolled: away from the bottom stops following, back to the bottom resumes it.
    this._pinned = null;
    const atBottom = st >= maxScrollTop(s.scrollHeight, s.clientHeight) - 1;
    if (this._follow && !atBottom) this.setFollow(false);
    else if (!this._follow && atBottom && this._count() * ROW_H > viewportOf(s)) this.setFollow(true);
    this.paint();
  }

  onWheel(e: WheelEvent): void {
    if (e.deltaY < 0 && this._follow) this.setFollow(false);
  }

  onKey(e: React.KeyboardEvent): void {
    const n = this._count();
    if (e.key === 'Enter' || e.key === ' ') {
      if (this._active >= 0 && this._active < n) {
        e.preventDefault();
        this.select(this._active);
      }
      return;
    }
    const w = this._window();
    const firstVisible = Math.floor(w.virtualTop / ROW_H);
    const k = moveActive(e.key, this._active, n, w.pageRows, firstVisible);
    if (k === null) return;
    e.preventDefault();
    this._setActive(k);
    if (k < n - 1) this.setFollow(false);
    this._show(k, 'nearest');
    this.paint();
  }

  onClick(e: React.MouseEvent): void {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-slot]');
    if (!row) return;
    const node = this._pool[Number(row.dataset['slot'])];
    if (node && node.idx >= 0) this.select(node.idx);
  }

  /** Moves the waveform cursor (and time travel) to the event of row `idx`. */
  select(idx: number): void {
    const F = live.trace.filtered;
    if (idx < 0 || idx >= F.length) return;
    const seq = F.data[idx] as number;
    const t = live.trace.timeOf(seq);
    if (Number.isNaN(t)) return;
    this._setActive(idx);
    this._cursorT = t;
    this._cursorSeq = seq;
    this._ownCursor = t;
    this.setFollow(false);
    this.paint();
    appActions().moveCursor(t);
    appActions().selectEvent(seq); // after the cursor: moving the cursor clears a selection
    // A flag (lost, spurious, coalesced, a masked or coalesced device result): its explanation card.
    const e = live.trace.get(seq);
    if (e && isExplainable(e.kind, e.a)) appActions().openCard(seq);
  }

  /** An event selected from elsewhere (a link, the Compare panel, a card's step): its row becomes the active and cursor row (-1: none). */
  selectSeq(seq: number): void {
    if (seq < 0) {
      this._selWanted = -1; // the selection was cleared: stop waiting for a row
      return;
    }
    const F = live.trace.filtered;
    const i = lowerBound(F.data, F.length, seq);
    // Not here yet (a link's selection ahead of the run, which is brought there): marked when it arrives.
    this._selWanted = i >= F.length || F.data[i] !== seq ? seq : -1;
    if (this._selWanted >= 0) return;
    this._setActive(i);
    this._cursorSeq = seq;
    this._cursorT = live.trace.timeOf(seq);
    this._ownCursor = this._cursorT;
    this.setFollow(false);
    this._show(i, 'center');
    this.paint();
  }

  /** The cursor moved (from anywhere): mark the first event at or after it and scroll there. */
  onCursor(t: number | null): void {
    if (t === null) {
      this._cursorT = null;
      this._cursorSeq = -1;
      this._ownCursor = null;
      this.paint();
      return;
    }
    if (t === this._ownCursor && this._cursorT === t) return;
    this._ownCursor = null;
    this._cursorT = t;
    this._cursorSeq = -1;
    const tr = live.trace;
    const idx = tr.filteredIndexAt(t);
    if (idx < tr.filtered.length) {
      this._cursorSeq = tr.filtered.data[idx] as number;
      this._setActive(idx);
      this.setFollow(false);
      this._show(idx, 'center');
    }
    this.paint();
  }

  /** The trace store's filter changed: keep the active row (by event), and the cursor in view. */
  private _filterRebuilt(): void {
    const F = live.trace.filtered;
    this._ver = live.trace.filterVersion;
    for (const n of this._pool) n.ver = -1;
    if (this._activeSeq >= 0 && live.trace.total > this._activeSeq) {
      const i = Math.min(lowerBound(F.data, F.length, this._activeSeq), F.length - 1);
      this._setActive(i);
    } else {
      this._active = -1;
      this._activeSeq = -1;
    }
    if (this._follow) return;
    this._pinned = null;
    const c = this._cursorIndex();
    if (this._active >= 0) this._show(this._active, 'center');
    else if (c >= 0) this._show(c, 'center');
  }

  // ---- painting ---------------------------------------------------------------------

  private _count(): number {
    return live.trace.filtered.length;
  }

  private _setActive(i: number): void {
    const F = live.trace.filtered;
    this._active = i;
    this._activeSeq = i >= 0 && i < F.length ? (F.data[i] as number) : -1;
  }

  private _cursorIndex(): number {
    if (this._cursorT === null) return -1;
    const F = live.trace.filtered;
    if (this._cursorSeq >= 0) {
      const i = lowerBound(F.data, F.length, this._cursorSeq);
      if (i < F.length && F.data[i] === this._cursorSeq) return i;
    }
    const i = live.trace.filteredIndexAt(this._cursorT);
    return i < F.length ? i : -1;
  }

  private _syncSpacer(): void {
    const h = spacerHeightFor(this._count(), ROW_H);
    if (h !== this._spacerH) {
      this._spacerH = h;
      this._el.spacer.style.height = `${h}px`;
    }
  }

  private _window(): ListWindow {
    const s = this._el.scroller;
    const pin = this._pinned && Math.abs(s.scrollTop - this._pinned.scrollTop) < 1 ? this._pinned.virtualTop : undefined;
    return listWindow({
      count: this._count(),
      rowHeight: ROW_H,
      viewportHeight: viewportOf(s),
      scrollTop: s.scrollTop,
      overscan: OVERSCAN,
      ...(pin === undefined ? {} : { virtualTop: pin }),
    });
  }

  private _scrollToVirtual(vt: number): void {
    this._syncSpacer();
    const s = this._el.scroller;
    const n = this._count();
    s.scrollTop = scrollTopForVirtual(vt, n, ROW_H, viewportOf(s));
    this._pinned = { scrollTop: s.scrollTop, virtualTop: Math.min(Math.max(0, vt), Math.max(0, n * ROW_H - viewportOf(s))) };
  }

  private _toBottom(): void {
    this._scrollToVirtual(Number.MAX_SAFE_INTEGER);
  }

  private _show(idx: number, align: 'nearest' | 'center'): void {
    const w = this._window();
    const vt = virtualTopToShow(idx, w.virtualTop, this._count(), ROW_H, viewportOf(this._el.scroller), align);
    if (vt !== w.virtualTop) this._scrollToVirtual(vt);
  }

  private _ensurePool(need: number): void {
    while (this._pool.length < need) {
      const slot = this._pool.length;
      const el = document.createElement('div');
      el.className = 'tl-row';
      el.setAttribute('role', 'row');
      el.id = `${this._id}-r${slot}`;
      el.dataset['slot'] = String(slot);
      const cell = (cls: string): HTMLElement => {
        const c = document.createElement('div');
        c.className = cls;
        c.setAttribute('role', 'gridcell');
        el.append(c);
        return c;
      };
      const node: RowNode = { el, time: cell('tl-time'), cat: cell('tl-cat'), line: cell('tl-line'), text: cell('tl-text'), seq: -1, ver: -1, idx: -1 };
      el.hidden = true;
      el.addEventListener('pointerenter', () => this.tooltip(node));
      this._el.rows.append(el);
      this._pool.push(node);
    }
  }

  private _fill(node: RowNode, seq: number): void {
    node.seq = seq;
    node.ver = this._ver;
    const e = live.trace.get(seq);
    const el = node.el;
    if (!e) {
      node.time.textContent = '';
      node.cat.textContent = '';
      node.line.textContent = '';
      node.text.textContent = '(no longer held: the trace ring dropped this event)';
      if (el.dataset['flavor'] !== undefined) delete el.dataset['flavor'];
      return;
    }
    const cat = categoryOf(e.kind);
    const text = describeEvent(e);
    node.time.textContent = formatNs(e.t);
    node.cat.textContent = cat;
    if (node.cat.dataset['cat'] !== cat) node.cat.dataset['cat'] = cat;
    node.line.textContent = e.line >= 0 ? String(e.line) : '';
    node.text.textContent = text;
    const flavor = rowFlavor(e.kind, e.a, e.c);
    if (flavor) {
      if (el.dataset['flavor'] !== flavor) el.dataset['flavor'] = flavor;
    } else if (el.dataset['flavor'] !== undefined) delete el.dataset['flavor'];
    // Tooltips are made when the pointer arrives (tooltip()), not on every refresh of a following list.
  }

  /** The tooltip of a row: the line's name, or a violation's full rule, or the whole text. */
  tooltip(node: RowNode): void {
    const e = live.trace.get(node.seq);
    if (!e) {
      node.el.title = '';
      return;
    }
    node.line.title = e.line >= 0 ? (this._lineNames[e.line] ?? '') : '';
    const flavor = rowFlavor(e.kind, e.a, e.c);
    const text = describeEvent(e);
    node.el.title = flavor === 'violation' || flavor === 'advisory' ? (ruleTitle(e.a) ?? text) : text;
  }

  paint(): void {
    const el = this._el;
    const F = live.trace.filtered;
    const n = F.length;
    if (live.trace.filterVersion !== this._ver) this._filterRebuilt();
    this._syncSpacer();
    const w = this._window();
    this._lastWin = w;
    this._ensurePool(w.pageRows + 2 * OVERSCAN + 2);
    el.rows.style.transform = `translateY(${w.top}px)`;
    const cursor = this._cursorIndex();
    let activeId: string | null = null;
    for (let k = 0; k < this._pool.length; k++) {
      const node = this._pool[k] as RowNode;
      const idx = w.first + k;
      if (idx >= w.end) {
        if (!node.el.hidden) node.el.hidden = true;
        node.idx = -1;
        continue;
      }
      if (node.el.hidden) node.el.hidden = false;
      const seq = F.data[idx] as number;
      if (node.seq !== seq || node.ver !== this._ver) this._fill(node, seq);
      if (node.idx !== idx) {
        node.idx = idx;
        node.el.setAttribute('aria-rowindex', String(idx + 2));
      }
      const active = idx === this._active;
      if (active) activeId = node.el.id;
      if ((node.el.getAttribute('aria-selected') === 'true') !== active) node.el.setAttribute('aria-selected', active ? 'true' : 'false');
      const atCursor = idx === cursor;
      if ((node.el.dataset['cursor'] === '1') !== atCursor) {
        if (atCursor) node.el.dataset['cursor'] = '1';
        else delete node.el.dataset['cursor'];
      }
    }
    markCurrent(this._pool.map((n) => n.el), (k) => !this._pool[k]!.el.hidden && this._pool[k]!.seq === this._currentSeq && this._currentSeq >= 0);
    if (activeId) el.grid.setAttribute('aria-activedescendant', activeId);
    else el.grid.removeAttribute('aria-activedescendant');
    const rc = String(n + 1);
    if (el.grid.getAttribute('aria-rowcount') !== rc) el.grid.setAttribute('aria-rowcount', rc);
    const held = live.trace.total - live.trace.firstSeq;
    const text = countText(n, held);
    if (el.count.textContent !== text) el.count.textContent = text;
  }

  destroy(): void {
    for (const n of this._pool) n.el.remove();
    this._pool = [];
  }

  /** For tests and debugging: the current window. */
  get lastWindow(): ListWindow | null {
    return this._lastWin;
  }
}

/** The filter last applied to the trace store (it outlives this component: tabs unmount it). */
let applied: { hidden: ReadonlySet<TraceCategory>; line: number | null } = { hidden: useApp.getState().hiddenCategories, line: useApp.getState().lineFilter };

/** Rebuilds the trace store's filtered list if the filter changed; true if it did. */
function applyFilter(hidden: ReadonlySet<TraceCategory>, line: number | null): boolean {
  if (applied.hidden === hidden && applied.line === line) return false;
  applied = { hidden, line };
  live.trace.setFilter(hidden, line);
  return true;
}

/**
 * The trace: every event the run produced, newest last, filtered by category
 * and line. A virtualized grid: React renders the controls and the frame once;
 * the rows are a small pool of elements rewritten per animation frame and per
 * scroll, so a million events scroll as smoothly as ten.
 */
export function TraceList(): React.JSX.Element {
  const info = useApp(selectInfo);
  const hidden = useApp(selectHiddenCategories);
  const lineFilter = useApp(selectLineFilter);
  const [follow, setFollow] = useState(true);
  const gridRef = useRef<HTMLDivElement>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const spacerRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef<HTMLDivElement>(null);
  const countRef = useRef<HTMLSpanElement>(null);
  const ctrl = useRef<TraceListController | null>(null);

  // The trace store's filter follows the store's categories and line (also when set from elsewhere).
  useEffect(() => {
    if (applyFilter(hidden, lineFilter)) ctrl.current?.frame();
  }, [hidden, lineFilter]);

  useEffect(() => {
    const grid = gridRef.current;
    const scroller = scrollerRef.current;
    const spacer = spacerRef.current;
    const rows = rowsRef.current;
    const count = countRef.current;
    if (!grid || !scroller || !spacer || !rows || !count) return;
    const store = new DisposableStore();
    const c = new TraceListController({ grid, scroller, spacer, rows, count }, setFollow);
    ctrl.current = c;
    store.add(() => {
      c.destroy();
      ctrl.current = null;
    });
    c.setLineNames(useApp.getState().info?.lines.map((l) => l.name) ?? []);
    c.frame();
    const { cursor, selectedSeq } = useApp.getState();
    if (cursor !== null) c.onCursor(cursor);
    if (selectedSeq !== null) c.selectSeq(selectedSeq);
    store.add(onHeavyFrame(() => c.frame()));
    store.add(
      useApp.subscribe((s, prev) => {
        if (s.cursor !== prev.cursor) c.onCursor(s.cursor);
        if (s.selectedSeq !== prev.selectedSeq) c.selectSeq(s.selectedSeq ?? -1);
      }),
    );
    store.add(listen(scroller, 'scroll', () => c.onScroll(), { passive: true }));
    store.add(listen(scroller, 'wheel', (e) => c.onWheel(e), { passive: true }));
    store.add(observeResize(scroller, () => (c.follow ? c.setFollow(true) : c.paint())));
    return () => store.dispose();
  }, []);

  // A new scenario: forget the old rows' state; drop a line filter the scenario does not have.
  const lastInfo = useRef(info);
  useEffect(() => {
    const c = ctrl.current;
    c?.setLineNames(info?.lines.map((l) => l.name) ?? []);
    if (lastInfo.current !== info) {
      lastInfo.current = info;
      c?.resetForScenario();
    }
    const lf = useApp.getState().lineFilter;
    if (info && lf !== null && lf >= info.lines.length) appActions().setLineFilter(null);
  }, [info]);

  // The controls rebuild the filter in the click itself, so the rows change at once.
  const refilter = (): void => {
    const s = useApp.getState();
    if (applyFilter(s.hiddenCategories, s.lineFilter)) ctrl.current?.frame();
  };
  const toggleCategory = (cat: TraceCategory): void => {
    appActions().toggleCategory(cat);
    refilter();
  };
  const setLineFilter = (line: number | null): void => {
    appActions().setLineFilter(line);
    refilter();
  };

  return (
    <div className="tl">
      <div className="tl-controls">
        <div role="group" aria-label="Event categories shown" className="tl-cats">
          {TRACE_CATEGORIES.map((cat) => (
            <button
              key={cat}
              type="button"
              className="btn tl-cat-btn"
              data-cat={cat}
              aria-pressed={!hidden.has(cat)}
              title={`${hidden.has(cat) ? 'Show' : 'Hide'} ${cat} events: ${CATEGORY_HELP[cat]}`}
              onClick={() => toggleCategory(cat)}
            >
              {cat}
            </button>
          ))}
        </div>
        <label className="readout tl-line-filter">
          line{' '}
          <select
            className="sel"
            aria-label="Line filter"
            value={lineFilter === null ? 'all' : String(lineFilter)}
            onChange={(e) => setLineFilter(e.target.value === 'all' ? null : Number(e.target.value))}
          >
            <option value="all">All lines</option>
            {info?.lines.map((l, i) => (
              <option key={i} value={String(i)}>
                {l.name ? `${i} ${l.name}` : `${i}`}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="btn"
          aria-pressed={follow}
          title="Keep the newest event in view (scrolling up stops following)"
          onClick={() => ctrl.current?.setFollow(!follow)}
        >
          Follow newest
        </button>
        <span className="readout" ref={countRef} data-testid="trace-count" />
      </div>
      <div className="tl-grid">
        <div
          ref={(el) => {
            gridRef.current = el;
            scrollerRef.current = el;
          }}
          className="tl-scroll"
          role="grid"
          aria-label="Trace events"
          aria-readonly="true"
          tabIndex={0}
          onKeyDown={(e) => ctrl.current?.onKey(e)}
          onClick={(e) => ctrl.current?.onClick(e)}
          data-testid="trace-scroll"
        >
          <div className="tl-row tl-head" role="row" aria-rowindex={1}>
            <div role="columnheader" className="tl-time">
              <Term k="time" focusable={false}>time</Term>
            </div>
            <div role="columnheader" className="tl-cat">
              <Term k="category" focusable={false}>category</Term>
            </div>
            <div role="columnheader" className="tl-line">
              <Term k="line" focusable={false}>line</Term>
            </div>
            <div role="columnheader" className="tl-text">
              <Term k="event" focusable={false}>event</Term>
            </div>
          </div>
          <div ref={spacerRef} className="tl-spacer" role="rowgroup">
            <div ref={rowsRef} className="tl-rows" role="presentation" />
          </div>
        </div>
      </div>
    </div>
  );
}
