/**
 * The waveform's side of the explanation card (no DOM): which flag a click
 * landed on, and where the chain's arrow goes, from the cause edge to the
 * effect flag. The drawing itself is a few canvas calls in Waveform.tsx.
 */
import { DeliveryResult, OracleLabel } from '../sim/index';
import { Marker } from './trace-store';

/** The parts of a trace-store lane this reads (LaneIndex satisfies it). */
export interface FlagColumns {
  markT: { data: Float64Array; length: number };
  markKind: { data: Uint8Array; length: number };
  markArg: { data: Int32Array; length: number };
  markSeq: { data: Float64Array; length: number };
}

/** Whether a lane marker is a flag a card explains: a lost, spurious or coalesced label, a masked or coalesced device result. */
function explainable(kind: number, arg: number): boolean {
  if (kind === Marker.Oracle) return arg === OracleLabel.Lost || arg === OracleLabel.Spurious || arg === OracleLabel.Coalesced;
  if (kind === Marker.DeviceEvent) return arg === DeliveryResult.Masked || arg === DeliveryResult.Coalesced;
  return false;
}

/**
 * The trace seq of the flag nearest time t on a lane, within `tolNs`; -1 for none.
 * Oracle labels win over device results at the same distance (the flag strip is what one clicks).
 */
export function flagNear(lane: FlagColumns, t: number, tolNs: number): number {
  const T = lane.markT.data;
  const n = lane.markT.length;
  // First marker at or after t - tol.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((T[mid] as number) < t - tolNs) lo = mid + 1;
    else hi = mid;
  }
  let best = -1;
  let bestD = Infinity;
  for (let i = lo; i < n && (T[i] as number) <= t + tolNs; i++) {
    const kind = lane.markKind.data[i] as number;
    if (!explainable(kind, lane.markArg.data[i] as number)) continue;
    const d = Math.abs((T[i] as number) - t) - (kind === Marker.Oracle ? 0.5 : 0);
    if (d < bestD) {
      bestD = d;
      best = lane.markSeq.data[i] as number;
    }
  }
  return best;
}

/** What the arrow needs of the view: the scene's geometry. */
export interface ChainView {
  gutter: number;
  axisH: number;
  laneH: number;
  scrollY: number;
  t0: number;
  span: number;
  width: number;
}

/** The arrow in canvas px: from the cause edge (on its lane's level) to the effect flag (top of its lane). */
export function chainArrow(a: { fromT: number; fromLine: number; toT: number; toLine: number }, v: ChainView): { x1: number; y1: number; x2: number; y2: number } {
  const plotW = Math.max(1, v.width - v.gutter);
  const x = (t: number): number => v.gutter + ((t - v.t0) / v.span) * plotW;
  const top = (line: number): number => v.axisH + line * v.laneH - v.scrollY;
  return { x1: x(a.fromT), y1: top(a.fromLine) + v.laneH / 2, x2: x(a.toT), y2: top(a.toLine) + 6 };
}

/**
 * Paints the chain's arrow inside `clip` (the lanes' area): a dashed arc over the lane from the
 * cause edge to the flag, a dot at the cause and a head at the effect. The arc stays below the
 * clip's top (on the one-lane board the lane is short).
 */
export function paintChainArrow(ctx: CanvasRenderingContext2D, a: { x1: number; y1: number; x2: number; y2: number }, clip: { x: number; y: number; w: number; h: number }, color: string): void {
  const { x1, y1, x2, y2 } = a;
  ctx.save();
  ctx.beginPath();
  ctx.rect(clip.x, clip.y, clip.w, clip.h);
  ctx.clip();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = 2.5;
  ctx.setLineDash([6, 3]);
  const cy = Math.max(clip.y + 2, Math.min(y1, y2) - 14);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.bezierCurveTo(x1, cy, x2, cy, x2, y2);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(x1, y1, 3.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(x2, y2 + 1);
  ctx.lineTo(x2 - 5, y2 - 8);
  ctx.lineTo(x2 + 5, y2 - 8);
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}
