import { useEffect, useRef, useState } from 'react';
import { describeEvent } from '../../sim/index';
import type { ScenarioInfo } from '../../worker/protocol';
import { DisposableStore } from '../disposable';
import { listen, observeResize, onDevicePixelRatioChange } from '../dom';
import { live, onHeavyFrame } from '../live';
import { appActions, selectCursor, selectInfo, useApp } from '../store';
import { onThemeChange, readThemeColors, type ThemeColors } from '../theme';
import type { LaneIndex } from '../trace-store';
import { EV_STYLE, FLAG_NAMES, FLAG_STYLE, WaveformPainter, glyph, hatchPattern, type Style, type WaveScene } from '../waveform-draw';
import { clampWindow, fitWindow, followT0, formatExact, lowerBound, panBy, revealTime, upperBound, zoomAt, type TimeWindow } from '../waveform-geometry';
import { Flag, LaneMarks, countCodes } from '../waveform-lanes';
import { chainArrow, flagNear, paintChainArrow } from '../waveform-chain';
import { Term } from './Term';
import { currentMessage, paintCurrentMarker } from '../follow-current';
import { followWindow } from '../follow-zoom';

/** Layout, in CSS pixels. */
const AXIS_H = 20;
const MIN_LANE_H = 26;
const MAX_LANE_H = 44;
/** The widest first view of a new scenario (a long run starts on its first seconds). */
const INITIAL_MAX_SPAN_NS = 5_000_000_000;
/** How often the accessible summary and range readout may change while the view moves by itself. */
const SUMMARY_MS = 300;

const HELP =
  'Keys: Left and Right arrows move the cursor (with Alt by one pixel, with Ctrl to the previous or next event), ' +
  'Shift with Left and Right pans, plus and minus zoom, Home shows the start, End and F follow live, 0 fits the whole run, Escape returns to live. ' +
  'Mouse: the wheel zooms at the pointer (Shift with the wheel pans), dragging pans, a click sets the cursor; over the line names the wheel scrolls the lanes and a click inspects the line.';

interface Drag {
  id: number;
  x: number;
  startT0: number;
  moved: boolean;
}

/**
 * The canvas engine: owns the view window and draws the lanes straight from
 * the trace store, at most once per animation frame, never through React.
 */
class WaveEngine {
  private readonly _ctx: CanvasRenderingContext2D | null;
  private _dpr = 1;
  private _w = 0;
  private _h = 0;
  private _win: TimeWindow = { t0: 0, span: 1_000_000 };
  private _follow = true;
  private _info: ScenarioInfo | null = null;
  private _names: string[] = [];
  private _gutter = 90;
  private _charW = 7;
  private _colors: ThemeColors | null = null;
  private _threadPattern: CanvasPattern | null = null;
  private readonly _painter = new WaveformPainter();
  private readonly _marksOfLane = (lane: LaneIndex): LaneMarks => this._marksOf(lane);
  private _marks = new WeakMap<LaneIndex, LaneMarks>();
  /** The trace store's lanesVersion the marks were built for (dropped history invalidates them). */
  private _marksVersion = -1;
  private _hover: { x: number; y: number } | null = null;
  private _drag: Drag | null = null;
  private _raf = 0;
  private _summaryAt = 0;
  private _summaryDirty = true;
  private _summaryTimer = 0;
  /** The lanes' scroll offset, cached: reading scrollTop while drawing would force a layout. */
  private _scrollY = 0;
  private readonly _attrs = new Map<string, string>();
  /** The current event (follow mode, Step) the window was last zoomed to. */
  private _zoomedSeq = -1;

  private readonly canvas: HTMLCanvasElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly tip: HTMLElement;
  private readonly range: HTMLElement;
  private readonly onFollow: (follow: boolean) => void;

  constructor(
    canvas: HTMLCanvasElement,
    body: HTMLElement,
    spacer: HTMLElement,
    tip: HTMLElement,
    range: HTMLElement,
    onFollow: (follow: boolean) => void,
  ) {
    this.canvas = canvas;
    this.body = body;
    this.spacer = spacer;
    this.tip = tip;
    this.range = range;
    this.onFollow = onFollow;
    this._ctx = canvas.getContext('2d');
  }

  // ---- state ------------------------------------------------------------------------

  private get _now(): number {
    return live.view?.now ?? 0;
  }

  /** The latest time there is anything to see: now, or the scenario's duration if later. */
  private get _end(): number {
    return Math.max(this._now, this._info?.durationNs ?? 0);
  }

  private get _plotW(): number {
    return Math.max(1, this._w - this._gutter);
  }

  private get _nsPerPx(): number {
    return this._win.span / this._plotW;
  }

  private get _lines(): number {
    return this._info?.lines.length ?? 0;
  }

  private get _laneH(): number {
    return this._laneHFor(this._h);
  }

  private _setFollow(on: boolean): void {
    if (this._follow === on) return;
    this._follow = on;
    this.onFollow(on);
  }

  private _setWindow(w: TimeWindow, manual: boolean): void {
    this._win = clampWindow(w, this._end);
    if (manual) this._setFollow(false);
    if (this._hover) this._showTip(this._hover.x, this._hover.y);
    this._summaryDirty = true;
    this.requestDraw();
  }

  setInfo(info: ScenarioInfo | null): void {
    this._info = info;
    this._names = (info?.lines ?? []).map((l, i) => `${i} ${l.name || '–'}`);
    // The whole scenario when it is short; long runs start on their first seconds.
    this._win = fitWindow(Math.min(info?.durationNs || 1_000_000, INITIAL_MAX_SPAN_NS));
    this._setFollow(true);
    this.body.scrollTop = 0;
    this._scrollY = 0;
    this._measure();
    this.resize();
  }

  themeChanged(): void {
    this._colors = null;
    this.requestDraw();
  }

  /** The cursor moved (set here or by another panel): bring it into view. */
  cursorChanged(cursor: number | null): void {
    if (cursor !== null) {
      this._setFollow(false);
      this._win = revealTime(this._win, cursor, Math.max(this._end, cursor));
    }
    this._summaryDirty = true;
    this.requestDraw();
  }

  setFollow(on: boolean): void {
    this._setFollow(on);
    this._summaryDirty = true;
    this.requestDraw();
  }

  zoom(factor: number): void {
    // Around the cursor if it is in view, else around the live edge when following, else the middle.
    const { t0, span } = this._win;
    const cursor = useApp.getState().cursor;
    const now = this._now;
    let fx = 0.5;
    if (cursor !== null && cursor >= t0 && cursor <= t0 + span) fx = (cursor - t0) / span;
    else if (this._follow && now >= t0 && now <= t0 + span) fx = (now - t0) / span;
    this._setWindow(zoomAt(this._win, factor, fx, this._end), true);
  }

  fit(): void {
    // What has been simulated so far (the whole scenario before it starts).
    const now = this._now;
    this._setWindow(fitWindow(now > 0 ? now : this._end), true);
  }

  /** Sets the time-travel cursor (null: back to live, and follow it). */
  setCursor(t: number | null): void {
    if (t === null) {
      appActions().moveCursor(null);
      this._setFollow(true);
      this.requestDraw();
      return;
    }
    const c = Math.max(0, Math.min(Math.round(t), Math.max(this._now, 0)));
    appActions().moveCursor(c);
  }

  // ---- sizing ------------------------------------------------------------------------

  private _measure(): void {
    const ctx = this._ctx;
    if (!ctx) return;
    const c = this._colors ?? readThemeColors();
    ctx.font = `11px ${c.mono}`;
    this._charW = ctx.measureText('0000000000').width / 10 || 7;
    ctx.font = '12px system-ui, sans-serif';
    let widest = 0;
    for (const name of this._names) widest = Math.max(widest, ctx.measureText(name).width);
    this._gutter = Math.round(Math.min(200, Math.max(84, widest + 34)));
  }

  resize(): void {
    const w = this.body.clientWidth;
    const h = this.body.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    const contentH = AXIS_H + this._lines * this._laneHFor(h);
    this.spacer.style.height = `${Math.max(0, contentH - h)}px`;
    this._scrollY = this.body.scrollTop;
    if (w !== this._w || h !== this._h || dpr !== this._dpr) {
      this._w = w;
      this._h = h;
      this._dpr = dpr;
      // The width follows the panel (a fixed px width would keep the layout from ever shrinking).
      this.canvas.style.height = `${h}px`;
      this.canvas.width = Math.max(1, Math.round(w * dpr));
      this.canvas.height = Math.max(1, Math.round(h * dpr));
    }
    this._summaryDirty = true;
    this.draw();
  }

  private _laneHFor(h: number): number {
    const n = Math.max(1, this._lines);
    return Math.max(MIN_LANE_H, Math.min(MAX_LANE_H, Math.floor((h - AXIS_H) / n)));
  }

  // ---- frames ------------------------------------------------------------------------

  requestDraw(): void {
    if (!this._raf) {
      this._raf = requestAnimationFrame(() => {
        this._raf = 0;
        this.draw();
      });
    }
  }

  /** A worker batch was applied (called in the client's animation frame): draw now. */
  frame(): void {
    if (this._raf) {
      cancelAnimationFrame(this._raf);
      this._raf = 0;
    }
    this.draw();
  }

  private _marksOf(lane: LaneIndex): LaneMarks {
    if (this._marksVersion !== live.trace.lanesVersion) {
      this._marks = new WeakMap();
      this._marksVersion = live.trace.lanesVersion;
    }
    let m = this._marks.get(lane);
    if (!m) {
      m = new LaneMarks();
      this._marks.set(lane, m);
    }
    m.sync(lane);
    return m;
  }

  private _patternFor(c: ThemeColors): CanvasPattern | null {
    if (this._threadPattern) return this._threadPattern;
    if (!this._ctx) return null;
    this._threadPattern = hatchPattern(this._ctx, c.accent, document.createElement('canvas'));
    return this._threadPattern;
  }

  draw(): void {
    const ctx = this._ctx;
    if (!ctx || this._w <= 0 || this._h <= 0) return;
    const started = performance.now();
    if (!this._colors) {
      this._colors = readThemeColors();
      this._threadPattern = null;
      this._measure();
    }
    const colors = this._colors;
    const now = this._now;
    // Follow mode and Step: once per current event, zoom so it and the events just before it are readable.
    const cur = currentMessage();
    if (cur && cur.seq !== this._zoomedSeq) {
      this._zoomedSeq = cur.seq;
      const recent: number[] = [];
      for (let k = 1; k <= 8; k++) recent.push(live.trace.timeOf(cur.seq - k));
      this._win = clampWindow(followWindow(cur.t, recent, this._win), Math.max(this._end, cur.t));
      this._setFollow(false);
      this._summaryDirty = true;
    }
    if (this._follow) this._win = { t0: followT0(this._win.t0, this._win.span, now), span: this._win.span };
    const gutter = this._gutter;
    const laneH = this._laneH;
    const scrollY = this._scrollY;
    const { cursor, inspectLine } = useApp.getState();
    const hover = this._hover && !this._drag?.moved && this._hover.x >= gutter ? this._hover : null;
    const scene: WaveScene = {
      width: this._w,
      height: this._h,
      dpr: this._dpr,
      gutter,
      axisH: AXIS_H,
      laneH,
      scrollY,
      t0: this._win.t0,
      span: this._win.span,
      charW: this._charW,
      now,
      cursor,
      inspect: inspectLine,
      hoverX: hover ? hover.x : null,
      lanesSince: live.trace.lanesSince,
      lineCount: this._lines,
      names: this._names,
      lanes: live.trace.lanes,
      marksOf: this._marksOfLane,
    };
    this._painter.draw(ctx, scene, { colors, hatch: this._patternFor(colors) });
    this._drawChain(ctx, colors);
    if (cur) this._attr('data-current-x', paintCurrentMarker(ctx, cur, scene, colors.accent)?.toFixed(1) ?? '');
    this._attr('data-current-seq', String(cur?.seq ?? -1));

    // ---- for tests and people: state on the element, a summary for screen readers ----
    this._attr('data-t0', String(scene.t0));
    this._attr('data-span', String(this._win.span));
    this._attr('data-gutter', String(gutter));
    this._attr('data-lane-h', String(laneH));
    this._attr('data-axis-h', String(AXIS_H));
    this._attr('data-scroll-y', String(scrollY));
    this._attr('data-follow', this._follow ? '1' : '0');
    this._summarize();
    // The whole draw, summary included: what a frame pays for the waveform.
    this._attr('data-draw-ms', (performance.now() - started).toFixed(2));
  }

  /** The open card's chain: an arrow from the cause edge to the effect flag, over the lanes. */
  private _drawChain(ctx: CanvasRenderingContext2D, colors: ThemeColors): void {
    const card = useApp.getState().card?.data;
    this._attr('data-chain', card ? `${card.arrow.fromT}-${card.arrow.toT}` : '');
    if (!card) return;
    const arrow = chainArrow(card.arrow, { gutter: this._gutter, axisH: AXIS_H, laneH: this._laneH, scrollY: this._scrollY, t0: this._win.t0, span: this._win.span, width: this._w });
    paintChainArrow(ctx, arrow, { x: this._gutter, y: AXIS_H, w: this._w - this._gutter, h: this._h - AXIS_H }, colors.accent);
  }

  private _attr(name: string, value: string): void {
    if (this._attrs.get(name) === value) return;
    this._attrs.set(name, value);
    this.canvas.setAttribute(name, value);
  }

  /** The accessible name and the range readout (at most every SUMMARY_MS unless something changed by hand, and once more after the last change). */
  private _summarize(): void {
    const wall = performance.now();
    if (!this._summaryDirty && wall - this._summaryAt < SUMMARY_MS) {
      if (!this._summaryTimer) {
        this._summaryTimer = window.setTimeout(() => {
          this._summaryTimer = 0;
          this._summaryDirty = true;
          this._summarize();
        }, SUMMARY_MS);
      }
      return;
    }
    this._summaryDirty = false;
    this._summaryAt = wall;
    const t0 = this._win.t0;
    const t1 = t0 + this._win.span;
    const laneH = this._laneH;
    const scrollY = this._scrollY;
    const first = Math.max(0, Math.floor(scrollY / laneH));
    const last = Math.min(this._lines, Math.ceil((scrollY + this._h - AXIS_H) / laneH));
    const cursor = useApp.getState().cursor;
    const from = formatExact(Math.max(0, Math.round(t0)));
    const to = formatExact(Math.max(0, Math.round(t1)));
    const rangeText = `${from} – ${to}`;
    if (this.range.textContent !== rangeText) this.range.textContent = rangeText;
    const lanes = live.trace.lanes;
    const counts = new Map<number, number>();
    for (let i = 0; i < lanes.length; i++) {
      const src = lanes[i];
      if (!src) continue;
      const m = this._marksOf(src);
      for (const s of [m.badFlags, m.warnFlags]) {
        const a = lowerBound(s.t.data, 0, s.length, t0);
        const b = upperBound(s.t.data, a, s.length, t1);
        for (const [code, count] of countCodes(s, a, b, 10_000)) counts.set(code, (counts.get(code) ?? 0) + count);
      }
    }
    const flags = [Flag.Lost, Flag.Spurious, Flag.Coalesced, Flag.Violation]
      .filter((f) => counts.get(f))
      .map((f) => `${counts.get(f)} ${f === Flag.Violation ? 'spec violation' : FLAG_NAMES[f]?.toLowerCase()}`);
    const n = this._lines;
    const shown = n === 0 ? 'no lines' : last - first >= n ? `all ${n} lines` : `lines ${first} to ${last - 1} of ${n}`;
    const label =
      `Waveform: ${shown}, from ${from} to ${to}${this._follow ? ', following live' : ''}. ` +
      `${cursor === null ? 'No cursor (live).' : `Cursor at ${formatExact(cursor)}.`} ` +
      `${flags.length ? `Flags in view: ${flags.join(', ')}.` : 'No oracle flags in view.'}` +
      (live.trace.lanesSince > t0 ? ` History before ${formatExact(live.trace.lanesSince)} was dropped to bound memory.` : '');
    if (this.canvas.getAttribute('aria-label') !== label) this.canvas.setAttribute('aria-label', label);
  }

  // ---- input -------------------------------------------------------------------------

  private _local(e: { clientX: number; clientY: number }): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  private _laneAt(y: number): number {
    if (y < AXIS_H) return -1;
    const i = Math.floor((y - AXIS_H + this._scrollY) / this._laneH);
    return i >= 0 && i < this._lines ? i : -1;
  }

  private _timeAtX(x: number): number {
    return this._win.t0 + (x - this._gutter) * this._nsPerPx;
  }

  /** The nearest level change or marker of a lane within `px` pixels of t, or t. */
  private _snap(lane: number, t: number, px: number): number {
    const src = live.trace.lanes[lane];
    if (!src) return t;
    let best = t;
    let dist = px * this._nsPerPx;
    for (const col of [src.levelT, src.markT]) {
      const i = lowerBound(col.data, 0, col.length, t);
      for (const j of [i - 1, i]) {
        if (j < 0 || j >= col.length) continue;
        const d = Math.abs((col.data[j] as number) - t);
        if (d <= dist) {
          dist = d;
          best = col.data[j] as number;
        }
      }
    }
    return best;
  }

  /** The previous or next event time (any level change or marker) on the inspected line, or on all lines. */
  private _adjacentEvent(t: number, dir: 1 | -1): number | null {
    const inspect = useApp.getState().inspectLine;
    const lanes = inspect !== null && live.trace.lanes[inspect] ? [live.trace.lanes[inspect]] : live.trace.lanes;
    let best: number | null = null;
    for (const src of lanes) {
      if (!src) continue;
      for (const col of [src.levelT, src.markT]) {
        if (dir > 0) {
          const i = upperBound(col.data, 0, col.length, t);
          if (i < col.length && (best === null || (col.data[i] as number) < best)) best = col.data[i] as number;
        } else {
          const i = lowerBound(col.data, 0, col.length, t) - 1;
          if (i >= 0 && (best === null || (col.data[i] as number) > best)) best = col.data[i] as number;
        }
      }
    }
    return best;
  }

  private _showTip(x: number, y: number): void {
    const lane = this._laneAt(y);
    if (lane < 0 || x < this._gutter || this._drag?.moved) {
      this.tip.hidden = true;
      return;
    }
    const t = this._timeAtX(x);
    const src = live.trace.lanes[lane];
    const lines = [`${this._names[lane] ?? lane} at ${formatExact(Math.max(0, Math.round(t)))}${src && t <= this._now ? `: ${src.levelAt(t) ? 'high' : 'low'}` : ''}`];
    if (src) {
      const k = this._nsPerPx;
      const a = lowerBound(src.markT.data, 0, src.markT.length, t - 5 * k);
      const b = upperBound(src.markT.data, a, src.markT.length, t + 5 * k);
      for (let i = a; i < b && i < a + 8; i++) {
        const e = live.trace.get(src.markSeq.data[i] as number);
        lines.push(`${formatExact(src.markT.data[i] as number)}  ${e ? describeEvent(e) : 'event no longer held'}`);
      }
      if (b - a > 8) lines.push(`… and ${b - a - 8} more (zoom in)`);
    }
    this.tip.textContent = lines.join('\n');
    this.tip.hidden = false;
    const left = Math.min(x + 14, this._w - this.tip.offsetWidth - 4);
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${y + 14 + this.tip.offsetHeight > this._h ? Math.max(0, y - 10 - this.tip.offsetHeight) : y + 14}px`;
  }

  attach(): () => void {
    const cv = this.canvas;
    const onWheel = (e: WheelEvent): void => {
      const { x } = this._local(e);
      if (x < this._gutter) return; // over the names the wheel scrolls the lanes
      e.preventDefault();
      const scale = e.deltaMode === 1 ? 33 : e.deltaMode === 2 ? 400 : 1;
      const horizontal = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
      if (horizontal && !e.ctrlKey) {
        const d = (e.shiftKey ? e.deltaY || e.deltaX : e.deltaX) * scale;
        this._setWindow(panBy(this._win, d, this._plotW, this._end), true);
      } else {
        const factor = Math.exp(Math.max(-300, Math.min(300, e.deltaY * scale)) * 0.002);
        this._setWindow(zoomAt(this._win, factor, (x - this._gutter) / this._plotW, this._end), true);
      }
      this._showTip(x, this._local(e).y);
    };
    const onDown = (e: PointerEvent): void => {
      if (e.button !== 0) return;
      const { x, y } = this._local(e);
      if (x < this._gutter) {
        const lane = this._laneAt(y);
        if (lane >= 0) appActions().inspect(lane);
        return;
      }
      this._drag = { id: e.pointerId, x, startT0: this._win.t0, moved: false };
      cv.setPointerCapture(e.pointerId);
    };
    const onMove = (e: PointerEvent): void => {
      const { x, y } = this._local(e);
      this._hover = { x, y };
      const d = this._drag;
      if (d && d.id === e.pointerId && (d.moved || Math.abs(x - d.x) > 3)) {
        d.moved = true;
        this.tip.hidden = true;
        cv.style.cursor = 'grabbing';
        this._setWindow({ t0: d.startT0 - (x - d.x) * this._nsPerPx, span: this._win.span }, true);
        return;
      }
      this._showTip(x, y);
      this.requestDraw();
    };
    const onUp = (e: PointerEvent): void => {
      const d = this._drag;
      if (!d || d.id !== e.pointerId) return;
      this._drag = null;
      cv.style.cursor = '';
      if (cv.hasPointerCapture(e.pointerId)) cv.releasePointerCapture(e.pointerId);
      if (d.moved) return;
      const { x, y } = this._local(e);
      const lane = this._laneAt(y);
      const t = this._timeAtX(x);
      this.setCursor(lane >= 0 ? this._snap(lane, t, 4) : t);
      // A click on a flag opens its explanation card.
      const src = lane >= 0 ? live.trace.lanes[lane] : undefined;
      const flag = src ? flagNear(src, t, 4 * this._nsPerPx) : -1;
      if (flag >= 0) appActions().openCard(flag);
    };
    const onCancel = (): void => {
      this._drag = null;
      cv.style.cursor = '';
    };
    const onLeave = (): void => {
      this._hover = null;
      this.tip.hidden = true;
      this.requestDraw();
    };
    const onKey = (e: KeyboardEvent): void => {
      const k = this._nsPerPx;
      const cursor = useApp.getState().cursor;
      switch (e.key) {
        case 'ArrowLeft':
        case 'ArrowRight': {
          const dir = e.key === 'ArrowLeft' ? -1 : 1;
          if (e.shiftKey) this._setWindow(panBy(this._win, (dir * this._plotW) / 4, this._plotW, this._end), true);
          else if (e.ctrlKey || e.metaKey) {
            const t = this._adjacentEvent(cursor ?? this._now, dir);
            if (t !== null) this.setCursor(t);
          } else {
            const step = Math.max(1, Math.round((e.altKey ? 1 : 10) * k));
            this.setCursor((cursor ?? this._now) + dir * step);
          }
          break;
        }
        case '+':
        case '=':
          this.zoom(0.5);
          break;
        case '-':
        case '_':
          this.zoom(2);
          break;
        case 'Home':
          this._setWindow({ t0: -0.02 * this._win.span, span: this._win.span }, true);
          break;
        case 'End':
          this.setFollow(true);
          break;
        case 'f':
        case 'F':
          this.setFollow(!this._follow);
          break;
        case '0':
          this.fit();
          break;
        case 'Escape':
          if (cursor === null) return;
          this.setCursor(null);
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    const onScroll = (): void => {
      this._scrollY = this.body.scrollTop;
      this._summaryDirty = true;
      this.requestDraw();
    };
    const store = new DisposableStore();
    store.add(listen(cv, 'wheel', onWheel, { passive: false }));
    store.add(listen(cv, 'pointerdown', onDown));
    store.add(listen(cv, 'pointermove', onMove));
    store.add(listen(cv, 'pointerup', onUp));
    store.add(listen(cv, 'pointercancel', onCancel));
    store.add(listen(cv, 'pointerleave', onLeave));
    store.add(listen(cv, 'keydown', onKey));
    store.add(listen(this.body, 'scroll', onScroll, { passive: true }));
    store.add(() => {
      if (this._raf) cancelAnimationFrame(this._raf);
      this._raf = 0;
      window.clearTimeout(this._summaryTimer);
      this._summaryTimer = 0;
    });
    return () => store.dispose();
  }
}

// ---- React ---------------------------------------------------------------------------------

function LegendGlyph({ style }: { style: Style }): React.JSX.Element {
  const d = new Path2DRecorder();
  glyph(d, style.shape, 6, 6);
  const color = `var(--${style.color})`;
  return (
    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d={d.d} fill={style.stroke ? 'none' : color} stroke={style.stroke ? color : 'none'} strokeWidth={style.shape === 'cross' ? 2 : 1.3} />
    </svg>
  );
}

/** Records glyph() calls as an SVG path, so the legend shows exactly the canvas shapes. */
class Path2DRecorder {
  d = '';
  moveTo(x: number, y: number): void {
    this.d += `M${x} ${y}`;
  }
  lineTo(x: number, y: number): void {
    this.d += `L${x} ${y}`;
  }
  closePath(): void {
    this.d += 'Z';
  }
  rect(x: number, y: number, w: number, h: number): void {
    this.d += `M${x} ${y}h${w}v${h}h${-w}Z`;
  }
  arc(x: number, y: number, r: number): void {
    this.d += `M${x + r} ${y}A${r} ${r} 0 1 1 ${x - r} ${y}A${r} ${r} 0 1 1 ${x + r} ${y}`;
  }
}

function Legend(): React.JSX.Element {
  const item = (s: Style): React.JSX.Element => (
    <li key={s.label} title={s.help}>
      <LegendGlyph style={s} />
      <Term k={s.label}>{s.label}</Term>
    </li>
  );
  return (
    <ul className="wf-legend" aria-label="Waveform legend">
      {Object.values(EV_STYLE).map(item)}
      <li title="A handler run (hard-irq part)">
        <span className="wf-swatch wf-swatch-handler" aria-hidden="true" />
        <Term k="handler">handler</Term>
      </li>
      <li title="The threaded part of a handler">
        <span className="wf-swatch wf-swatch-thread" aria-hidden="true" />
        <Term k="threaded">threaded</Term>
      </li>
      {Object.values(FLAG_STYLE).map(item)}
    </ul>
  );
}

function CursorControls({ onLive }: { onLive: () => void }): React.JSX.Element {
  const cursor = useApp(selectCursor);
  return (
    <>
      <span className="readout" aria-live="polite" data-testid="waveform-cursor">
        {cursor === null ? (
          'live'
        ) : (
          <>
            cursor <b>{formatExact(cursor)}</b>
          </>
        )}
      </span>
      <button className="btn" onClick={onLive} disabled={cursor === null} title="Clear the cursor and follow the live run (Escape)">
        Live
      </button>
    </>
  );
}

/**
 * A logic-analyzer view: one lane per line with its level over simulated time,
 * the device's and driver's markers, handler runs and the oracle's flags;
 * zoom, pan, follow live, and a time-travel cursor.
 */
export function Waveform(): React.JSX.Element {
  const info = useApp(selectInfo);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const spacerRef = useRef<HTMLDivElement>(null);
  const tipRef = useRef<HTMLDivElement>(null);
  const rangeRef = useRef<HTMLSpanElement>(null);
  const engine = useRef<WaveEngine | null>(null);
  const [follow, setFollow] = useState(true);

  useEffect(() => {
    const canvas = canvasRef.current;
    const body = bodyRef.current;
    const spacer = spacerRef.current;
    const tip = tipRef.current;
    const range = rangeRef.current;
    if (!canvas || !body || !spacer || !tip || !range) return;
    const store = new DisposableStore();
    const e = new WaveEngine(canvas, body, spacer, tip, range, setFollow);
    engine.current = e;
    store.add(() => (engine.current = null));
    e.setInfo(useApp.getState().info);
    store.add(onHeavyFrame(() => e.frame()));
    store.add(
      useApp.subscribe((s, p) => {
        if (s.cursor !== p.cursor) e.cursorChanged(s.cursor);
        if (s.theme !== p.theme) e.themeChanged();
        if (s.inspectLine !== p.inspectLine) e.requestDraw();
        if (s.card !== p.card) e.requestDraw();
      }),
    );
    // App sets data-theme in an effect; the colors are read once it has.
    store.add(onThemeChange(() => e.themeChanged()));
    store.add(observeResize(body, () => e.resize()));
    // A new device pixel ratio (browser zoom, another screen) needs a sharper or smaller backing store.
    store.add(onDevicePixelRatioChange(() => e.resize()));
    e.resize();
    store.add(e.attach());
    return () => store.dispose();
  }, []);

  useEffect(() => {
    engine.current?.setInfo(info);
  }, [info]);

  return (
    <section className="panel wf" aria-labelledby="waveform-heading">
      <div className="panel-head wf-head">
        <h2 id="waveform-heading">Waveform</h2>
        <div role="group" aria-label="Zoom and follow" className="wf-tools">
          <button className="btn" aria-label="Zoom out" title="Zoom out (−)" onClick={() => engine.current?.zoom(2)}>
            −
          </button>
          <button className="btn" aria-label="Zoom in" title="Zoom in (+)" onClick={() => engine.current?.zoom(0.5)}>
            +
          </button>
          <button className="btn" aria-label="Fit the whole run" title="Fit the whole run (0)" onClick={() => engine.current?.fit()}>
            Fit
          </button>
          <button className="btn" aria-pressed={follow} title="Scroll with simulated time (F)" onClick={() => engine.current?.setFollow(!follow)}>
            Follow live
          </button>
        </div>
        <CursorControls onLive={() => engine.current?.setCursor(null)} />
        <span className="spacer" />
        <span className="readout" title="Visible time range" ref={rangeRef} data-testid="waveform-range" />
      </div>
      <div className="wf-wrap">
        <div className="wf-body" ref={bodyRef}>
          <canvas ref={canvasRef} className="wf-canvas" tabIndex={0} role="img" aria-label="Waveform" aria-describedby="waveform-help" data-testid="waveform" />
          <div ref={spacerRef} aria-hidden="true" />
        </div>
        <div ref={tipRef} className="wf-tip" hidden aria-hidden="true" />
      </div>
      <p id="waveform-help" className="sr-only">
        {HELP}
      </p>
      <Legend />
    </section>
  );
}
