import type { TimeWindow } from './waveform-geometry';

/**
 * The waveform's window in follow mode: the current event and the events just
 * before it readable at once. A round trip on the calm board takes 11 us of a
 * 6 ms run, so the whole-run view shows it as one edge; this zooms to the
 * stretch the recent events cover (at least MIN_FOLLOW_SPAN_NS, so events at
 * one instant still have room), with the current event at 70 % of the width.
 * The window is kept while the current event sits comfortably inside it and
 * the span still fits, so the view does not jump at every event.
 */
export const MIN_FOLLOW_SPAN_NS = 20_000;
/** Recent events further back than this are not kept in view (an idle stretch before a press would hide the round trip). */
export const MAX_FOLLOW_STRETCH_NS = 100_000;
/** How much wider than the recent events' stretch the window is. */
const MARGIN = 1.6;
/** Where the current event sits in a new window (fraction of the width). */
const AT = 0.7;

/** A 1-2-5 span at least `ns` wide, so the axis ticks stay round. */
export function niceSpan(ns: number): number {
  const p = 10 ** Math.floor(Math.log10(ns));
  for (const k of [1, 2, 5, 10]) if (k * p >= ns) return k * p;
  return 10 * p;
}

/** The window that shows the current event at `t` and the recent events' times `recent` (each <= t). */
export function followWindow(t: number, recent: readonly number[], current: TimeWindow): TimeWindow {
  let first = t;
  for (const x of recent) if (Number.isFinite(x) && x < first && x >= t - MAX_FOLLOW_STRETCH_NS) first = x;
  const span = niceSpan(Math.max(MIN_FOLLOW_SPAN_NS, (t - first) * MARGIN));
  const keep = current.span === span && first >= current.t0 && t <= current.t0 + 0.9 * current.span;
  if (keep) return current;
  return { t0: t - AT * span, span };
}
