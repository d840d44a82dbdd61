import { useEffect, useRef, useState } from 'react';
import { SEQ_LANES, SEQ_LANE_TITLES, formatNs, lanesOf, sequenceOf, type SeqMessage } from '../../sim/index';
import { FOLLOW_PACES } from '../../worker/protocol';
import { DisposableStore } from '../disposable';
import { live, onHeavyFrame } from '../live';
import { client } from '../sim-client';
import { appActions, selectInfo, useApp } from '../store';

/** Messages the chart shows: the newest ones, up to the current event. */
const CHART_ROWS = 120;
const DEFAULT_PACE = 2;

const paceLabel = (p: number): string => `${p} event${p === 1 ? '' : 's'}/s`;

/** The keys of follow mode (while its panel is open, outside text fields and the terminal). */
export const FOLLOW_KEYS = 'Keys: N steps one event, P starts or stops following, [ and ] pick a slower or faster pace.';

/** One chart row: time, the arrow between two lanes (or a note on one), and the decoded fields. */
function rowFor(m: SeqMessage): HTMLLIElement {
  const li = document.createElement('li');
  li.className = 'seq-row';
  li.dataset['seq'] = String(m.seq);
  li.dataset['from'] = m.from;
  li.dataset['to'] = m.to;
  li.dataset['line'] = String(m.line);
  li.title = m.text;
  const time = document.createElement('span');
  time.className = 'seq-time';
  time.textContent = formatNs(m.t);
  const lanes = document.createElement('span');
  lanes.className = 'seq-lanes';
  lanes.setAttribute('aria-hidden', 'true');
  const [i, j] = lanesOf(m);
  const mark = document.createElement('span');
  const n = SEQ_LANES.length;
  if (i === j) {
    mark.className = 'seq-note';
    mark.style.left = `${((i + 0.5) / n) * 100}%`;
  } else {
    mark.className = 'seq-arrow';
    mark.dataset['dir'] = SEQ_LANES.indexOf(m.from) < SEQ_LANES.indexOf(m.to) ? 'right' : 'left';
    mark.style.left = `${((i + 0.5) / n) * 100}%`;
    mark.style.width = `${((j - i) / n) * 100}%`;
  }
  lanes.append(mark);
  const who = document.createElement('span');
  who.className = 'sr-only';
  who.textContent = i === j ? `${SEQ_LANE_TITLES[m.from]}: ` : `${SEQ_LANE_TITLES[m.from]} to ${SEQ_LANE_TITLES[m.to]}: `;
  const label = document.createElement('span');
  label.className = 'seq-label';
  label.textContent = m.label;
  li.append(time, lanes, who, label);
  return li;
}

/**
 * The chart's imperative side: rows are plain elements (textContent only),
 * rebuilt when the range of events shown changes, never through React.
 */
class SequenceChart {
  private _first = -1;
  private _end = -1;
  private _current = -1;
  private _frame = -1;
  private readonly _list: HTMLOListElement;
  private readonly _scroller: HTMLElement;
  constructor(list: HTMLOListElement, scroller: HTMLElement) {
    this._list = list;
    this._scroller = scroller;
  }

  reset(): void {
    this._first = this._end = this._current = -1;
    this._list.replaceChildren();
  }

  paint(): void {
    const tr = live.trace;
    const cur = live.follow.current;
    // Up to the current event when there is one (follow mode, Step); else the newest events.
    const end = cur >= 0 ? Math.min(cur + 1, tr.total) : tr.total;
    const first = Math.max(tr.firstSeq, end - CHART_ROWS);
    if (first === this._first && end === this._end && cur === this._current && live.frame === this._frame) return;
    this._frame = live.frame;
    if (first !== this._first || end !== this._end) {
      const list = this._list;
      // Keep the rows still in range, drop the older ones, add the newer ones.
      const keepFrom = Math.max(first, this._first);
      const keepTo = this._first < 0 ? -1 : Math.min(end, this._end);
      if (keepTo <= keepFrom) list.replaceChildren();
      else {
        for (let s = this._first; s < keepFrom; s++) list.firstElementChild?.remove();
        for (let s = this._end; s > keepTo; s--) list.lastElementChild?.remove();
      }
      const from = keepTo <= keepFrom ? first : keepTo;
      const frag = document.createDocumentFragment();
      for (let s = from; s < end; s++) {
        const e = tr.get(s);
        if (e) frag.append(rowFor(sequenceOf(e)));
      }
      list.append(frag);
      this._first = first;
      this._end = end;
    }
    this._current = cur;
    let curRow: HTMLElement | null = null;
    for (const li of Array.from(this._list.children) as HTMLElement[]) {
      const on = Number(li.dataset['seq']) === cur;
      if (on) curRow = li;
      if ((li.dataset['current'] === '1') !== on) {
        if (on) {
          li.dataset['current'] = '1';
          li.setAttribute('aria-current', 'step');
        } else {
          delete li.dataset['current'];
          li.removeAttribute('aria-current');
        }
      }
    }
    // The current message (else the newest) in view: the scroller only, never the page.
    const target = curRow ?? (this._list.lastElementChild as HTMLElement | null);
    if (target) {
      const s = this._scroller;
      const top = target.offsetTop - this._list.offsetTop;
      const head = this._list.offsetTop;
      if (top < s.scrollTop) s.scrollTop = top;
      else if (top + target.offsetHeight > s.scrollTop + s.clientHeight - head) s.scrollTop = top + target.offsetHeight - s.clientHeight + head;
    }
  }
}

/** What the status line says: why nothing moved, or what is current. */
function statusText(): string {
  const f = live.follow;
  if (f.note) return f.pace !== null ? `Following at ${paceLabel(f.pace)}, waiting. ${f.note}` : f.note;
  const cur = f.current >= 0 ? live.trace.get(f.current) : null;
  const what = cur ? `${formatNs(cur.t)}: ${sequenceOf(cur).label}` : '';
  if (f.pace !== null) return `Following at ${paceLabel(f.pace)}.${what ? ` Now ${what}.` : ' Waiting for the next event.'}`;
  return what ? `Stepped to ${what}.` : 'Not following. Start following, or press Step to walk one event at a time.';
}

function isTyping(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null;
  return !!el && el.closest('input, select, textarea, .xterm, [contenteditable="true"]') !== null;
}

/**
 * Follow mode: a message sequence chart of the run at human pace. Lanes for
 * the client driver, the gpio-virtio driver, requestq, eventq, the device and
 * the line; each trace event an arrow (or a note) with its decoded fields.
 * Following reveals one event at a chosen number per second, and every panel
 * highlights the current one.
 */
export function FollowPanel(): React.JSX.Element {
  const info = useApp(selectInfo);
  const [pace, setPace] = useState<number | null>(live.follow.pace);
  const [chosen, setChosen] = useState<number>(live.follow.pace ?? DEFAULT_PACE);
  const listRef = useRef<HTMLOListElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLSpanElement>(null);
  const chart = useRef<SequenceChart | null>(null);
  const state = useRef({ pace, chosen });
  state.current = { pace, chosen };

  useEffect(() => {
    const list = listRef.current;
    const scroller = scrollRef.current;
    if (!list || !scroller) return;
    const store = new DisposableStore();
    const c = new SequenceChart(list, scroller);
    chart.current = c;
    const frame = (): void => {
      c.paint();
      const text = statusText();
      if (statusRef.current && statusRef.current.textContent !== text) statusRef.current.textContent = text;
      if (live.follow.pace !== state.current.pace) setPace(live.follow.pace);
    };
    frame();
    store.add(onHeavyFrame(frame));
    store.add(() => (chart.current = null));
    return () => store.dispose();
  }, []);

  useEffect(() => chart.current?.reset(), [info]);

  const start = (p: number): void => client.send({ type: 'follow', pace: p });
  const stop = (): void => client.send({ type: 'follow', pace: null });
  const step = (): void => client.send({ type: 'step' });
  const pick = (p: number): void => {
    setChosen(p);
    if (state.current.pace !== null) start(p);
  };

  // The keys work anywhere on the page while the panel is open, except where text is typed.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const { pace: p, chosen: c } = state.current;
      const i = FOLLOW_PACES.indexOf(c);
      if (e.key === 'n' || e.key === 'N') step();
      else if (e.key === 'p' || e.key === 'P') {
        if (p === null) start(c);
        else stop();
      } else if (e.key === '[' && i > 0) pick(FOLLOW_PACES[i - 1] as number);
      else if (e.key === ']' && i < FOLLOW_PACES.length - 1) pick(FOLLOW_PACES[i + 1] as number);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const following = pace !== null;
  return (
    <section className="panel follow" aria-labelledby="follow-heading" data-testid="follow-panel">
      <div className="panel-head follow-head">
        <h2 id="follow-heading">Follow</h2>
        <div role="group" aria-label="Follow mode" className="follow-tools">
          <button className="btn primary" aria-pressed={following} onClick={() => (following ? stop() : start(chosen))} title="Start or stop following (P)">
            {following ? 'Stop following' : 'Follow'}
          </button>
          <label className="readout">
            <span className="sr-only">Pace</span>
            <select className="sel" aria-label="Pace" value={String(chosen)} onChange={(e) => pick(Number(e.target.value))} title="Events per second ([ slower, ] faster)">
              {FOLLOW_PACES.map((p) => (
                <option key={p} value={String(p)}>
                  {paceLabel(p)}
                </option>
              ))}
            </select>
          </label>
          <button className="btn" onClick={step} title="Advance exactly one event (N)" data-testid="follow-step">
            Step one event
          </button>
          <button className="btn" aria-label="Close follow mode" title="Close the chart (following stops)" onClick={() => {
            stop();
            appActions().openFollow(false);
          }}>
            ×
          </button>
        </div>
        <span className="readout follow-status" role="status" aria-live="polite" ref={statusRef} data-testid="follow-status" />
      </div>
      <p className="sr-only" id="follow-keys">
        {FOLLOW_KEYS}
      </p>
      <div className="seq-scroll" ref={scrollRef} tabIndex={0} role="region" aria-label="Message sequence chart" aria-describedby="follow-keys">
        <div className="seq-row seq-head" aria-hidden="true">
          <span className="seq-time">time</span>
          <span className="seq-lanes">
            {SEQ_LANES.map((l) => (
              <span key={l} className="seq-lane-title" data-lane={l}>
                {SEQ_LANE_TITLES[l]}
              </span>
            ))}
          </span>
          <span className="seq-label">message</span>
        </div>
        <ol className="seq-list" ref={listRef} aria-label="Messages, oldest first" data-testid="seq-chart" />
      </div>
    </section>
  );
}
