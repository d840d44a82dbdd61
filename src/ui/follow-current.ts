import type { SeqMessage, TraceEvent } from '../sim/index';
import { live, notifyFrame } from './live';
import type { WaveScene } from './waveform-draw';

/** The sequence chart's mapping, once loaded (follow-sequence.ts: the page starts without it). */
let sequenceOf: ((e: TraceEvent) => SeqMessage) | null = null;
let loading: Promise<void> | null = null;

/**
 * Loads the mapping, then repaints every panel so the current event is marked: its first use (the
 * first Step) marks it a moment later, the next frame at most, instead of at once. A failed load
 * (offline with the chunk not cached) is tried again on the next call.
 */
export function loadSequence(): Promise<void> {
  loading ??= import('./follow-sequence').then(
    (m) => {
      sequenceOf = m.sequenceOf;
      notifyFrame(true);
    },
    () => {
      loading = null;
    },
  );
  return loading;
}

/**
 * The current event of follow mode or Step (the last one the worker revealed),
 * as the sequence chart maps it: every panel that highlights it (the lines
 * board's row, the waveform's marker, the trace list's row, the ring
 * inspector's descriptor) reads it here, so they always agree. Null while
 * the mapping loads (every panel is repainted once it is there).
 */
export function currentMessage(): SeqMessage | null {
  const seq = live.follow.current;
  if (seq < 0) return null;
  const e = live.trace.get(seq);
  if (!e) return null;
  if (!sequenceOf) {
    void loadSequence();
    return null;
  }
  return sequenceOf(e);
}

/** Sets or clears a data-current mark on each element: on where `on(i)` holds. True when the marked set changed. */
export function markCurrent(els: readonly (HTMLElement | null | undefined)[], on: (i: number) => boolean): boolean {
  let changed = false;
  els.forEach((el, i) => {
    if (!el) return;
    const want = on(i);
    if ((el.dataset['current'] === '1') === want) return;
    changed = true;
    if (want) el.dataset['current'] = '1';
    else delete el.dataset['current'];
  });
  return changed;
}

/**
 * Scrolls `el` into view inside each of its scrolling ancestors named by `scrollers` (innermost
 * first), never the page: scrollIntoView would also move the app's overflow-hidden frame.
 */
export function revealWithin(el: HTMLElement | null | undefined, scrollers: readonly string[]): void {
  if (!el) return;
  for (const sel of scrollers) {
    const s = el.closest<HTMLElement>(sel);
    if (!s) continue;
    const er = el.getBoundingClientRect();
    const sr = s.getBoundingClientRect();
    if (er.top < sr.top) s.scrollTop -= sr.top - er.top;
    else if (er.bottom > sr.bottom) s.scrollTop += Math.min(er.bottom - sr.bottom, er.top - sr.top);
  }
}

/**
 * Paints the current event's marker on the waveform: a dashed line at its time, a box on its
 * line's lane. Returns the marker's x, or null when the event is outside the visible window.
 */
export function paintCurrentMarker(ctx: CanvasRenderingContext2D, cur: SeqMessage, s: WaveScene, color: string): number | null {
  const x = s.gutter + ((cur.t - s.t0) / s.span) * (s.width - s.gutter);
  if (x < s.gutter || x > s.width) return null;
  ctx.save();
  ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
  ctx.strokeStyle = color;
  ctx.lineWidth = 2;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(x, s.axisH);
  ctx.lineTo(x, s.height);
  ctx.stroke();
  if (cur.line >= 0 && cur.line < s.lineCount) {
    const y = s.axisH + cur.line * s.laneH - s.scrollY;
    ctx.setLineDash([]);
    ctx.strokeRect(x - 6, y + 2, 12, s.laneH - 4);
  }
  ctx.restore();
  return x;
}
