/**
 * The Compare panel's aligned waveform: both runs on one time axis, each
 * line's lane for this run with the other run's lane right under it, the
 * oracle's flags on both, and the first divergence as a marker across all
 * lanes with the diverging rows tinted. The geometry is plain functions
 * (tested in Node); `paintCompare` is the only part that touches a canvas.
 */
import { ORACLE, OracleLabel, formatNs, type CompareLane, type CompareView } from '../sim/index';

export const NAME_W = 170;
export const ROW_H = 24;
export const AXIS_H = 20;
/** Half the window shown around the divergence, at least (ns). */
const MIN_HALF_SPAN = 10_000;

export type CompareZoom = 'all' | 'divergence';

/** The time window drawn: the whole of both runs, or around the first divergence. */
export function compareWindow(v: CompareView, zoom: CompareZoom): [number, number] {
  const end = Math.max(v.a.endNs, v.b.endNs, 1);
  if (zoom === 'all' || !v.divergence) return [0, end];
  // A tenth of the run each side: the divergence with the flags that follow from it, usually.
  const half = Math.max(MIN_HALF_SPAN, end / 10);
  const t0 = Math.max(0, v.divergence.t - half);
  return [t0, t0 + 2 * half];
}

/** x (CSS px) of time t in a window drawn over [x0, x0 + width]. */
export function xOf(t: number, win: [number, number], x0: number, width: number): number {
  const span = Math.max(1, win[1] - win[0]);
  return x0 + ((t - win[0]) / span) * width;
}

/** The level in effect at time t (the last change at or before t, else the initial level). */
export function levelAt(lane: CompareLane, t: number): number {
  let lo = 0;
  let hi = lane.t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((lane.t[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? lane.initial : (lane.level[lo - 1] as number);
}

/** The lane as a step path within the window: [time, level] corners, from win[0] to win[1]. */
export function stepPoints(lane: CompareLane, win: [number, number]): [number, number][] {
  const pts: [number, number][] = [[win[0], levelAt(lane, win[0])]];
  for (let i = 0; i < lane.t.length; i++) {
    const t = lane.t[i] as number;
    if (t <= win[0]) continue;
    if (t > win[1]) break;
    pts.push([t, (pts[pts.length - 1] as [number, number])[1]], [t, lane.level[i] as number]);
  }
  pts.push([win[1], (pts[pts.length - 1] as [number, number])[1]]);
  return pts;
}

/** Each drawn row: a line of one run (A then B under it), and whether the divergence is on that line. */
export interface CompareRow {
  side: 'a' | 'b';
  lane: CompareLane;
  diverges: boolean;
}

export function compareRows(v: CompareView): CompareRow[] {
  const rows: CompareRow[] = [];
  const dLines = new Set([v.divergence?.a?.line, v.divergence?.b?.line].filter((x): x is number => typeof x === 'number' && x >= 0));
  const n = Math.max(v.a.lanes.length, v.b.lanes.length);
  for (let i = 0; i < n; i++) {
    const la = v.a.lanes[i];
    const lb = v.b.lanes[i];
    if (la) rows.push({ side: 'a', lane: la, diverges: dLines.has(i) });
    if (lb) rows.push({ side: 'b', lane: lb, diverges: dLines.has(i) });
  }
  return rows;
}

/** The letter drawn for an oracle flag. */
export function flagLetter(code: number): string {
  return code === OracleLabel.Lost ? 'L' : code === OracleLabel.Spurious ? 'S' : code === OracleLabel.Coalesced ? 'C' : '?';
}

/** The canvas's accessible description: what a sighted user reads off it. */
export function describeCompare(v: CompareView): string {
  const flags = (side: 'a' | 'b'): string => {
    const counts = new Map<string, number>();
    for (const lane of v[side].lanes) for (const f of lane.flag) counts.set(ORACLE.name(f) ?? '?', (counts.get(ORACLE.name(f) ?? '?') ?? 0) + 1);
    const parts = [...counts].map(([k, n]) => `${n} ${k}`);
    return parts.length ? parts.join(', ') : 'no flags';
  };
  const d = v.divergence;
  const where = d ? `The runs diverge at ${formatNs(d.t)} (event ${d.seq})${d.a && d.a.line >= 0 ? ` on ${v.a.lanes[d.a.line]?.name ?? `line ${d.a.line}`}` : ''}.` : 'The runs are identical.';
  return `Both runs on one time axis, each line of this run with the other run's lane under it. This run: ${flags('a')}; ${v.b.label}: ${flags('b')}. ${where}`;
}

export interface CompareColors {
  text: string;
  muted: string;
  border: string;
  high: string;
  accent: string;
  warn: string;
  bad: string;
  tint: string;
}

/** Paints the aligned lanes (CSS pixel coordinates; the caller has scaled for the device pixel ratio). */
export function paintCompare(ctx: CanvasRenderingContext2D, v: CompareView, win: [number, number], width: number, c: CompareColors): void {
  const rows = compareRows(v);
  const plotW = Math.max(10, width - NAME_W - 8);
  const height = AXIS_H + rows.length * ROW_H;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px ui-monospace, monospace';
  ctx.textBaseline = 'middle';
  rows.forEach((r, i) => {
    const y = AXIS_H + i * ROW_H;
    if (r.diverges) {
      ctx.fillStyle = c.tint;
      ctx.fillRect(0, y, width, ROW_H);
    }
    ctx.fillStyle = r.diverges ? c.text : c.muted;
    ctx.fillText(`${r.lane.name || `gpio ${r.lane.line}`} ${r.side === 'a' ? '(this run)' : '(other)'}`, 4, y + ROW_H / 2, NAME_W - 8);
    // The level, as a step line.
    ctx.strokeStyle = r.side === 'a' ? c.high : c.accent;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    const yOf = (lvl: number): number => y + (lvl ? 5 : ROW_H - 5);
    stepPoints(r.lane, win).forEach(([t, lvl], k) => {
      const x = xOf(t, win, NAME_W, plotW);
      if (k === 0) ctx.moveTo(x, yOf(lvl));
      else ctx.lineTo(x, yOf(lvl));
    });
    ctx.stroke();
    // The oracle's flags, as letters on the lane.
    for (let k = 0; k < r.lane.flagT.length; k++) {
      const t = r.lane.flagT[k] as number;
      if (t < win[0] || t > win[1]) continue;
      const code = r.lane.flag[k] as number;
      ctx.fillStyle = code === OracleLabel.Coalesced ? c.warn : c.bad;
      ctx.fillText(flagLetter(code), xOf(t, win, NAME_W, plotW) - 3, y + ROW_H / 2);
    }
    ctx.strokeStyle = c.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, y + ROW_H - 0.5);
    ctx.lineTo(width, y + ROW_H - 0.5);
    ctx.stroke();
  });
  // The axis: the window's ends.
  ctx.fillStyle = c.muted;
  ctx.fillText(formatNs(win[0]), NAME_W, AXIS_H / 2);
  const endText = formatNs(win[1]);
  ctx.fillText(endText, NAME_W + plotW - ctx.measureText(endText).width, AXIS_H / 2);
  // The first divergence: a marker across every lane, labelled.
  const d = v.divergence;
  if (d && d.t >= win[0] && d.t <= win[1]) {
    const x = xOf(d.t, win, NAME_W, plotW);
    ctx.strokeStyle = c.bad;
    ctx.lineWidth = 2;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(x, AXIS_H - 4);
    ctx.lineTo(x, height);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = c.bad;
    const label = `diverge ${formatNs(d.t)}`;
    const w = ctx.measureText(label).width;
    ctx.fillText(label, Math.min(x + 4, NAME_W + plotW - w), AXIS_H / 2);
  }
}
