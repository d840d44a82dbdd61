/**
 * Pure math for the waveform (no DOM): the time window and its x mapping,
 * zoom and pan limits, time-axis ticks and their labels, binary searches for
 * the visible part of a sorted time column, and pixel merging so that a lane
 * never costs more than a few drawing operations per pixel column however
 * many events it holds.
 *
 * Times are nanoseconds (integers in the trace, any number in the window);
 * x is in CSS pixels from the left edge of the plot area.
 */

/** The visible time range: `t0` at x = 0, `span` ns across the plot width. */
export interface TimeWindow {
  t0: number;
  span: number;
}

/** The narrowest and widest views: 10 ns across the plot, and at least 10 s (more for longer runs). */
export const MIN_SPAN_NS = 10;
export const MIN_MAX_SPAN_NS = 10_000_000_000;

export function timeToX(t: number, t0: number, nsPerPx: number): number {
  return (t - t0) / nsPerPx;
}

export function xToTime(x: number, t0: number, nsPerPx: number): number {
  return t0 + x * nsPerPx;
}

/** Widest allowed span for a run whose known end (now or its duration, whichever is later) is `end`. */
export function maxSpan(end: number): number {
  return Math.max(MIN_MAX_SPAN_NS, 2 * end);
}

/** Keeps the window inside sensible limits: span in [MIN_SPAN_NS, maxSpan(end)], a little slack before 0, and some data in view. */
export function clampWindow(w: TimeWindow, end: number): TimeWindow {
  const span = Math.min(Math.max(w.span, MIN_SPAN_NS), maxSpan(end));
  const lo = -0.02 * span;
  const hi = Math.max(lo, end - 0.05 * span);
  const t0 = Math.min(Math.max(w.t0, lo), hi);
  return { t0, span };
}

/**
 * Zooms by `factor` (< 1 zooms in) keeping the time under the anchor fixed;
 * `fx` is the anchor as a fraction of the plot width (0 left edge, 1 right edge).
 */
export function zoomAt(w: TimeWindow, factor: number, fx: number, end: number): TimeWindow {
  const anchor = w.t0 + fx * w.span;
  const span = Math.min(Math.max(w.span * factor, MIN_SPAN_NS), maxSpan(end));
  return clampWindow({ t0: anchor - fx * span, span }, end);
}

/** Pans by `dx` pixels of a plot `plotW` pixels wide (positive dx shows later times). */
export function panBy(w: TimeWindow, dx: number, plotW: number, end: number): TimeWindow {
  return clampWindow({ t0: w.t0 + (dx * w.span) / Math.max(1, plotW), span: w.span }, end);
}

/** The whole run: from 0 to `end`, with a little margin on both sides. */
export function fitWindow(end: number): TimeWindow {
  const span = Math.max(MIN_SPAN_NS, end * 1.04);
  return { t0: -0.02 * span, span };
}

/**
 * "Follow live": keeps `now` inside the view near its right edge (at 97 %),
 * scrolling only once it gets there, and showing time 0 while the run is young.
 */
export function followT0(t0: number, span: number, now: number): number {
  if (now >= t0 && now <= t0 + 0.97 * span) return t0;
  return Math.max(-0.02 * span, now - 0.97 * span);
}

/** Moves the window so that t is shown (centred) if it is not comfortably inside already. */
export function revealTime(w: TimeWindow, t: number, end: number): TimeWindow {
  if (t >= w.t0 + 0.02 * w.span && t <= w.t0 + 0.98 * w.span) return w;
  return clampWindow({ t0: t - w.span / 2, span: w.span }, end);
}

// ---- time-axis ticks ----------------------------------------------------------------

/** The smallest "nice" step (1, 2 or 5 times a power of ten ns, at least 1 ns) that is >= minNs. */
export function tickStep(minNs: number): number {
  if (!(minNs > 1)) return 1;
  let p = 10 ** Math.max(0, Math.floor(Math.log10(minNs)) - 1);
  for (;;) {
    for (const m of [1, 2, 5]) if (m * p >= minNs) return m * p;
    p *= 10;
  }
}

/** The next nice step after `step` (1 -> 2 -> 5 -> 10 ...). */
export function nextStep(step: number): number {
  const { mantissa, exp } = splitStep(step);
  const p = 10 ** exp;
  return mantissa === 1 ? 2 * p : mantissa === 2 ? 5 * p : 10 * p;
}

/** A nice step as mantissa (1, 2 or 5) times 10^exp. */
export function splitStep(step: number): { mantissa: number; exp: number } {
  let exp = 0;
  let s = Math.round(step);
  while (s >= 10 && s % 10 === 0) {
    s /= 10;
    exp++;
  }
  return { mantissa: s, exp };
}

/** A finer step for unlabelled minor ticks (step / 5 or step / 2), or 0 if there is none at 1 ns resolution. */
export function minorStep(step: number): number {
  const { mantissa } = splitStep(step);
  const minor = mantissa === 2 ? step / 2 : step / 5;
  return minor >= 1 && Number.isInteger(minor) ? minor : 0;
}

const UNITS = [
  { ns: 1e9, name: 's', digits: 9 },
  { ns: 1e6, name: 'ms', digits: 6 },
  { ns: 1e3, name: 'us', digits: 3 },
  { ns: 1, name: 'ns', digits: 0 },
] as const;
export type TimeUnit = (typeof UNITS)[number];

/** The unit for labels of times up to `maxAbs` ns (as formatNs picks it: the largest that keeps the number >= 1). */
export function labelUnit(maxAbs: number): TimeUnit {
  for (const u of UNITS) if (maxAbs >= u.ns) return u;
  return UNITS[3];
}

function fixed(t: number, unit: TimeUnit, decimals: number): string {
  const neg = t < 0;
  const a = Math.abs(Math.round(t));
  const whole = Math.floor(a / unit.ns);
  let s = String(whole);
  if (decimals > 0) s += '.' + String(a - whole * unit.ns).padStart(unit.digits, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${s} ${unit.name}`;
}

/**
 * The label of tick t for ticks `step` apart in `unit`: exact, with as many
 * decimals as the step needs and the same number on every tick
 * ("1.20 ms", "1.25 ms"; "1.000000010 s" at 10 ns steps after one second).
 */
export function tickLabel(t: number, step: number, unit: TimeUnit): string {
  return fixed(t, unit, Math.max(0, unit.digits - splitStep(step).exp));
}

/** An exact time, shortest form: formatNs's unit, with every non-zero decimal kept ("1.234567 ms", "1.5 ms", "40 ns"). */
export function formatExact(t: number): string {
  const unit = labelUnit(Math.abs(t));
  const s = fixed(t, unit, unit.digits);
  return unit.digits ? s.replace(/\.?0+ /, ' ') : s;
}

export interface Ticks {
  step: number;
  minor: number;
  unit: TimeUnit;
  /** Tick times (multiples of step, >= 0) inside [t0, t1]. */
  times: number[];
  labels: string[];
}

/**
 * Major ticks for the window [t0, t1] drawn `nsPerPx` per pixel: at least
 * `minPx` apart and far enough apart for their labels (`charPx` per character
 * plus `padPx`), so they never overlap at any zoom.
 */
export function computeTicks(t0: number, t1: number, nsPerPx: number, minPx: number, charPx: number, padPx: number): Ticks {
  const unit = labelUnit(Math.max(Math.abs(t0), Math.abs(t1)));
  let step = tickStep(minPx * nsPerPx);
  for (let k = 0; k < 40; k++) {
    const widest = Math.max(tickLabel(Math.max(0, t1 - (t1 % step)), step, unit).length, tickLabel(0, step, unit).length);
    if (widest * charPx + padPx <= step / nsPerPx) break;
    step = nextStep(step);
  }
  const times: number[] = [];
  const labels: string[] = [];
  for (let t = Math.max(0, Math.ceil(t0 / step) * step); t <= t1 && times.length < 1000; t += step) {
    times.push(t);
    labels.push(tickLabel(t, step, unit));
  }
  const minor = minorStep(step);
  return { step, minor: minor / nsPerPx >= 5 ? minor : 0, unit, times, labels };
}

// ---- searching sorted time columns -----------------------------------------------

/** First index i in [from, to) with a[i] >= t (to if none). */
export function lowerBound(a: ArrayLike<number>, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i in [from, to) with a[i] > t (to if none). */
export function upperBound(a: ArrayLike<number>, from: number, to: number, t: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((a[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Galloping search: the first index i in [from, to) whose column
 * (a[i] - t0) / nsPerPx is >= col. Cost is logarithmic in the distance
 * from `from`, so walking a column of dense events pixel by pixel costs
 * O(pixels x log(events per pixel)), not O(events).
 */
export function gallopToColumn(a: ArrayLike<number>, from: number, to: number, t0: number, nsPerPx: number, col: number): number {
  if (from >= to || ((a[from] as number) - t0) / nsPerPx >= col) return from;
  let lo = from; // a[lo] is known to be before col
  let step = 1;
  let hi = from + 1;
  while (hi < to && ((a[hi] as number) - t0) / nsPerPx < col) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > to) hi = to;
  lo++;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (((a[mid] as number) - t0) / nsPerPx < col) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Groups the sorted times a[from..to) by pixel column. Writes one triple per
 * non-empty column into `out`: (column, first index, end index), and returns
 * the number of groups (at most out.length / 3; the rest is dropped).
 */
export function pixelGroups(a: ArrayLike<number>, from: number, to: number, t0: number, nsPerPx: number, out: Int32Array): number {
  const cap = Math.floor(out.length / 3);
  let n = 0;
  let i = from;
  while (i < to && n < cap) {
    const col = Math.floor(((a[i] as number) - t0) / nsPerPx);
    const j = gallopToColumn(a, i + 1, to, t0, nsPerPx, col + 1);
    out[3 * n] = col;
    out[3 * n + 1] = i;
    out[3 * n + 2] = j;
    n++;
    i = j;
  }
  return n;
}

/** Where levelTrace leaves its counts. */
export interface TraceCounts {
  points: number;
  busy: number;
}

/**
 * The level trace of one lane, cheap to draw at any density. `T`/`V` are the
 * level changes (n of them), `initial` the level before the first; the trace
 * runs from time 0 (or the left edge) to min(tEnd, right edge).
 *
 * Writes (x, code) points to `out`: code 0 / 1 continues the line at that
 * level, code 2 / 3 starts a new piece of line at level 0 / 1 (pen up).
 * Pixel columns with several changes are "busy": runs of adjacent busy
 * columns become one band (x0, x1) in `busy` (drawn filled, the line pauses
 * there), so a lane costs O(pixels) drawing operations, and a steady clock
 * far faster than the pixels costs a single band.
 */
export function levelTrace(
  T: ArrayLike<number>,
  V: ArrayLike<number>,
  n: number,
  initial: number,
  t0: number,
  nsPerPx: number,
  plotW: number,
  tEnd: number,
  groups: Int32Array,
  out: Float64Array,
  busy: Float64Array,
  counts: TraceCounts,
): void {
  counts.points = 0;
  counts.busy = 0;
  const xStart = Math.max(0, -t0 / nsPerPx);
  const xEnd = Math.min(plotW, (tEnd - t0) / nsPerPx);
  if (xEnd < xStart) return;
  const t1 = Math.min(tEnd, t0 + plotW * nsPerPx);
  // Changes at or before the left edge (or time 0) only set the starting level.
  const i0 = upperBound(T, 0, n, Math.max(t0, 0));
  const i1 = upperBound(T, i0, n, t1);
  let lvl = i0 > 0 ? (V[i0 - 1] as number) : initial;
  let k = 0;
  let b = 0;
  const cap = out.length - 2;
  const bcap = busy.length - 2;
  const push = (x: number, code: number): void => {
    if (k < cap) {
      out[k++] = x;
      out[k++] = code;
    }
  };
  let runStart = -1;
  let runEnd = -1;
  const closeRun = (): void => {
    if (runStart < 0) return;
    if (b < bcap) {
      busy[b++] = runStart;
      busy[b++] = runEnd + 1;
    }
    push(runEnd + 1, 2 + lvl);
    runStart = -1;
  };
  push(xStart, 2 + lvl);
  const g = pixelGroups(T, i0, i1, t0, nsPerPx, groups);
  for (let q = 0; q < g; q++) {
    const col = groups[3 * q] as number;
    const i = groups[3 * q + 1] as number;
    const j = groups[3 * q + 2] as number;
    const last = V[j - 1] as number;
    if (j - i === 1) {
      closeRun();
      if (last !== lvl) {
        const x = ((T[i] as number) - t0) / nsPerPx;
        push(x, lvl);
        push(x, last);
        lvl = last;
      }
    } else {
      if (runStart >= 0 && col !== runEnd + 1) closeRun();
      if (runStart < 0) {
        push(col, lvl);
        runStart = col;
      }
      runEnd = col;
      lvl = last;
    }
  }
  closeRun();
  push(xEnd, lvl);
  counts.points = k / 2;
  counts.busy = b / 2;
}

/**
 * Marker layout for one strip of a lane: sorted times `T` with codes `C`,
 * the visible part [from, to). A marker alone in its pixel column and at
 * least `minGap` pixels after the previous glyph gets a glyph: record
 * (x, code, 0). Anything denser becomes a tick in its pixel column, and
 * ticks of the same code in adjacent columns merge into runs: record
 * (x0, code, width). A crowded column's code is `crowdCode`, or with
 * crowdCode < 0 the highest code in it (so a rare, severe marker is never
 * hidden by common ones). Returns the record count (3 numbers each in `out`).
 */
export function stripLayout(
  T: ArrayLike<number>,
  C: ArrayLike<number>,
  from: number,
  to: number,
  t0: number,
  nsPerPx: number,
  crowdCode: number,
  minGap: number,
  groups: Int32Array,
  out: Float64Array,
): number {
  const cap = Math.floor(out.length / 3);
  let r = 0;
  let lastGlyph = -Infinity;
  const g = pixelGroups(T, from, to, t0, nsPerPx, groups);
  for (let q = 0; q < g && r < cap; q++) {
    const col = groups[3 * q] as number;
    const i = groups[3 * q + 1] as number;
    const j = groups[3 * q + 2] as number;
    if (j - i === 1) {
      const x = ((T[i] as number) - t0) / nsPerPx;
      if (x - lastGlyph >= minGap) {
        out[3 * r] = x;
        out[3 * r + 1] = C[i] as number;
        out[3 * r + 2] = 0;
        r++;
        lastGlyph = x;
        continue;
      }
    }
    let code = crowdCode;
    if (code < 0) {
      code = C[i] as number;
      // Bounded: a column of thousands of markers is not scanned (the notable strips are sparse).
      for (let m = i + 1; m < j && m < i + 64; m++) if ((C[m] as number) > code) code = C[m] as number;
    }
    const p = 3 * (r - 1);
    const width = r > 0 ? (out[p + 2] as number) : 0;
    if (width > 0 && out[p + 1] === code && (out[p] as number) + width === col) out[p + 2] = width + 1;
    else {
      out[3 * r] = col;
      out[3 * r + 1] = code;
      out[3 * r + 2] = 1;
      r++;
    }
  }
  return r;
}

/**
 * Visible bars for sorted, non-overlapping intervals [S[i], E[i]) (an open
 * interval has E = Infinity and is drawn up to `tNow`). Bars closer than a
 * pixel are merged; each is at least one pixel wide. Writes (x0, x1) pairs to
 * `out` and returns the bar count.
 */
export function intervalBars(
  S: ArrayLike<number>,
  E: ArrayLike<number>,
  n: number,
  t0: number,
  nsPerPx: number,
  plotW: number,
  tNow: number,
  out: Float64Array,
): number {
  const t1 = t0 + plotW * nsPerPx;
  const cap = Math.floor(out.length / 2);
  let count = 0;
  let rx0 = 0;
  let rx1 = -Infinity;
  let i = lowerBound(E, 0, n, t0);
  while (i < n) {
    const s = S[i] as number;
    if (s > t1) break;
    const x0 = (s - t0) / nsPerPx;
    if (x0 > rx1 + 1) {
      if (rx1 > -Infinity) {
        if (count >= cap) return count;
        out[2 * count] = rx0;
        out[2 * count + 1] = rx1;
        count++;
      }
      rx0 = x0;
      rx1 = x0;
    }
    // Every interval that starts before the pixel after this bar's end is part of it.
    const j = gallopToColumn(S, i + 1, n, t0, nsPerPx, Math.max(rx1, x0) + 1);
    const e = Math.min(E[j - 1] as number, tNow);
    rx1 = Math.max(rx1, (e - t0) / nsPerPx, x0 + 1);
    i = j;
  }
  if (rx1 > -Infinity && count < cap) {
    out[2 * count] = rx0;
    out[2 * count + 1] = rx1;
    count++;
  }
  return count;
}
