/**
 * The waveform's drawing engine: paints one frame of the lanes onto a 2D
 * context in named passes (background, lanes, strips, overlays, gutter, axis).
 * It reads no globals: the caller passes the context, the scene (geometry,
 * viewport, the lanes and what is selected) and the theme, so the same scene
 * always gives the same pixels. Events, scrolling and state live in
 * components/Waveform.tsx.
 */
import type { ThemeColors } from './theme';
import type { LaneIndex } from './trace-store';
import { computeTicks, formatExact, intervalBars, levelTrace, lowerBound, stripLayout, upperBound, type Ticks, type TraceCounts } from './waveform-geometry';
import { Ev, Flag, type LaneMarks, type Strip } from './waveform-lanes';

/** Major ticks at least this far apart (CSS px). */
const TICK_MIN_PX = 80;
/** Widest pixel column count the scratch buffers hold (wider plots draw the first part only). */
const MAX_COLUMNS = 8192;

export const FLAG_NAMES: Record<number, string> = { [Flag.Lost]: 'LOST', [Flag.Spurious]: 'SPURIOUS', [Flag.Coalesced]: 'COALESCED', [Flag.Violation]: 'VIOLATION' };

// ---- glyphs (also drawn by the legend) -------------------------------------------------

export type GlyphShape = 'tri-up' | 'tri-up-hollow' | 'tri-down' | 'dot' | 'ring' | 'cross' | 'diamond' | 'bang' | 'bar';

/** The path calls a glyph needs: a Path2D on the canvas, an SVG path recorder in the legend. */
export type GlyphPath = Pick<Path2D, 'moveTo' | 'lineTo' | 'closePath' | 'rect' | 'arc'>;

export function glyph(p: GlyphPath, shape: GlyphShape, x: number, cy: number): void {
  switch (shape) {
    case 'tri-up':
    case 'tri-up-hollow':
      p.moveTo(x, cy - 3.5);
      p.lineTo(x + 3.5, cy + 3);
      p.lineTo(x - 3.5, cy + 3);
      p.closePath();
      return;
    case 'tri-down':
      p.moveTo(x - 3.5, cy - 3);
      p.lineTo(x + 3.5, cy - 3);
      p.lineTo(x, cy + 3.5);
      p.closePath();
      return;
    case 'dot':
      p.moveTo(x + 3, cy);
      p.arc(x, cy, 3, 0, 2 * Math.PI);
      return;
    case 'ring':
      p.moveTo(x + 2.7, cy);
      p.arc(x, cy, 2.7, 0, 2 * Math.PI);
      p.moveTo(x - 1.9, cy - 1.9);
      p.lineTo(x + 1.9, cy + 1.9);
      return;
    case 'cross':
      p.moveTo(x - 3, cy - 3);
      p.lineTo(x + 3, cy + 3);
      p.moveTo(x + 3, cy - 3);
      p.lineTo(x - 3, cy + 3);
      return;
    case 'diamond':
      p.moveTo(x, cy - 4);
      p.lineTo(x + 4, cy);
      p.lineTo(x, cy + 4);
      p.lineTo(x - 4, cy);
      p.closePath();
      return;
    case 'bang':
      p.rect(x - 1, cy - 4, 2, 5);
      p.rect(x - 1, cy + 2, 2, 2);
      return;
    case 'bar':
      p.rect(x - 3, cy - 3.5, 6, 7);
      return;
  }
}

/** How each strip code is drawn: shape, CSS color variable, and whether it is stroked (hollow). */
export interface Style {
  shape: GlyphShape;
  color: keyof ThemeColors;
  stroke: boolean;
  label: string;
  help: string;
}

/** The event strip's code for pixel columns with several markers (drawn as a band). */
const CROWD = 15;

export const EV_STYLE: Record<number, Style> = {
  [Ev.Delivered]: { shape: 'tri-up', color: 'accent', stroke: false, label: 'edge', help: 'A qualifying edge (or level) the device acted on and delivered' },
  [Ev.Coalesced]: { shape: 'tri-up', color: 'warn', stroke: false, label: 'coalesced', help: 'An edge the device coalesced into an event already pending' },
  [Ev.Masked]: { shape: 'tri-up-hollow', color: 'bad', stroke: true, label: 'masked', help: 'An edge the device dropped because the line was masked' },
  [Ev.Valid]: { shape: 'dot', color: 'ok', stroke: false, label: 'VALID', help: 'The device returned the eventq buffer with status VALID' },
  [Ev.Invalid]: { shape: 'ring', color: 'bad', stroke: true, label: 'INVALID', help: 'The device returned the eventq buffer with status INVALID' },
  [Ev.Requeue]: { shape: 'tri-down', color: 'muted', stroke: false, label: 're-queue', help: 'The driver re-queued the eventq buffer: the end of the interrupt' },
  [CROWD]: { shape: 'bar', color: 'low', stroke: false, label: 'crowded', help: 'More markers than pixels here: zoom in to tell them apart' },
};

export const FLAG_STYLE: Record<number, Style> = {
  [Flag.Lost]: { shape: 'cross', color: 'bad', stroke: true, label: 'LOST', help: 'Oracle: an edge that was never reported to the handler' },
  [Flag.Spurious]: { shape: 'diamond', color: 'bad', stroke: false, label: 'SPURIOUS', help: 'Oracle: a handler call with nothing to report' },
  [Flag.Coalesced]: { shape: 'dot', color: 'warn', stroke: false, label: 'COALESCED', help: 'Oracle: edges reported by a single handler call' },
  [Flag.Violation]: { shape: 'bang', color: 'bad', stroke: false, label: 'violation', help: 'A spec rule was broken on this line' },
};

/** One batch of glyphs of a style: a path for whole glyphs, one for 1-px ticks where they crowd. */
interface Batch {
  style: Style;
  glyphs: Path2D;
  ticks: Path2D;
  used: boolean;
}

function newBatches(styles: Record<number, Style>): Map<number, Batch> {
  const m = new Map<number, Batch>();
  for (const [code, style] of Object.entries(styles)) m.set(Number(code), { style, glyphs: new Path2D(), ticks: new Path2D(), used: false });
  return m;
}

/** The diagonal hatch that fills the threaded part of handler runs, in `color`, tiled from `tile`. */
export function hatchPattern(ctx: CanvasRenderingContext2D, color: string, tile: HTMLCanvasElement): CanvasPattern | null {
  tile.width = tile.height = 6;
  const t = tile.getContext('2d');
  if (!t) return null;
  t.strokeStyle = color;
  t.lineWidth = 1.2;
  t.beginPath();
  t.moveTo(-1, 7);
  t.lineTo(7, -1);
  t.stroke();
  return ctx.createPattern(tile, 'repeat');
}

// ---- the scene ---------------------------------------------------------------------------

/** Everything one frame shows. Sizes in CSS pixels, times in simulated ns. */
export interface WaveScene {
  width: number;
  height: number;
  dpr: number;
  /** The width of the names column, left of the plot. */
  gutter: number;
  /** The height of the time axis, above the lanes. */
  axisH: number;
  laneH: number;
  /** How far the lanes are scrolled down. */
  scrollY: number;
  /** The visible time window. */
  t0: number;
  span: number;
  /** One digit's width in the axis font (how close tick labels may be). */
  charW: number;
  /** The simulation's present: later is the unknown future. */
  now: number;
  /** The time-travel cursor, or null (live). */
  cursor: number | null;
  /** The inspected line (its lane is tinted), or null. */
  inspect: number | null;
  /** The pointer's x while it hovers the plot (a guide line is drawn there), or null. */
  hoverX: number | null;
  /** Where the lanes' held history begins (0: the whole run is held). */
  lanesSince: number;
  lineCount: number;
  /** Each line's label in the names column. */
  names: readonly string[];
  /** Each line's level changes and markers. */
  lanes: readonly LaneIndex[];
  /** A lane's markers split into strips (the caller keeps them, built incrementally). */
  marksOf: (lane: LaneIndex) => LaneMarks;
}

export interface WaveTheme {
  colors: ThemeColors;
  /** The threaded-handler hatch (see hatchPattern), or null where patterns are unavailable. */
  hatch: CanvasPattern | null;
}

/** The scene's derived geometry, shared by the passes. */
interface Geometry {
  W: number;
  H: number;
  gutter: number;
  axisH: number;
  plotW: number;
  /** ns per pixel. */
  k: number;
  t0: number;
  t1: number;
  laneH: number;
  /** The visible lanes: first (inclusive) to last (exclusive). */
  first: number;
  last: number;
  /** Plot columns the scratch buffers cover. */
  cols: number;
  xNow: number;
  /** The cursor's x in the plot, or NaN without a cursor. */
  xCursor: number;
  laneTop: (i: number) => number;
  xOf: (t: number) => number;
}

/** What the lanes and strips passes collect, to be filled all lanes at once (one fill per color). */
interface Layers {
  hard: Path2D;
  threaded: Path2D;
  busy: Path2D;
  level: Path2D;
  warnLines: Path2D;
  badLines: Path2D;
  evBatches: Map<number, Batch>;
  flagBatches: Map<number, Batch>;
  texts: { x: number; y: number; text: string; color: string }[];
}

/**
 * Draws frames. It holds only scratch buffers, reused by every frame so that
 * drawing a dense run allocates no typed arrays.
 */
export class WaveformPainter {
  private readonly _groups = new Int32Array(3 * (MAX_COLUMNS + 2));
  private readonly _poly = new Float64Array(8 * (MAX_COLUMNS + 2));
  private readonly _bars = new Float64Array(2 * (MAX_COLUMNS + 2));
  private readonly _busy = new Float64Array(2 * (MAX_COLUMNS + 2));
  private readonly _recs = new Float64Array(3 * (MAX_COLUMNS + 2));
  private readonly _counts: TraceCounts = { points: 0, busy: 0 };

  draw(ctx: CanvasRenderingContext2D, s: WaveScene, theme: WaveTheme): void {
    const c = theme.colors;
    const g = geometry(s);
    const ticks = computeTicks(g.t0, g.t1, g.k, TICK_MIN_PX, s.charW, 14);
    ctx.setTransform(s.dpr, 0, 0, s.dpr, 0, 0);
    ctx.fillStyle = c.panel;
    ctx.fillRect(0, 0, g.W, g.H);

    // The plot passes draw with x = 0 at the gutter, clipped below the axis and right of the names.
    ctx.save();
    ctx.beginPath();
    ctx.rect(g.gutter, g.axisH, g.plotW, g.H - g.axisH);
    ctx.clip();
    ctx.translate(g.gutter, 0);
    this._background(ctx, s, g, c, ticks);
    const marks: (LaneMarks | null)[] = [];
    for (let i = g.first; i < g.last; i++) {
      const src = s.lanes[i];
      marks.push(src ? s.marksOf(src) : null);
    }
    const layers: Layers = {
      hard: new Path2D(),
      threaded: new Path2D(),
      busy: new Path2D(),
      level: new Path2D(),
      warnLines: new Path2D(),
      badLines: new Path2D(),
      evBatches: newBatches(EV_STYLE),
      flagBatches: newBatches(FLAG_STYLE),
      texts: [],
    };
    this._lanes(s, g, marks, layers);
    this._strips(g, c, marks, layers);
    paintLayers(ctx, c, theme.hatch, layers);
    this._overlays(ctx, s, g, c);
    ctx.restore();

    this._gutter(ctx, s, g, c);
    this._axis(ctx, s, g, c, ticks);
  }

  /** Background: alternate lanes shaded and the inspected one tinted, the future (after now) shaded, grid lines at the major ticks. */
  private _background(ctx: CanvasRenderingContext2D, s: WaveScene, g: Geometry, c: ThemeColors, ticks: Ticks): void {
    for (let i = g.first; i < g.last; i++) {
      const y = g.laneTop(i);
      if (i === s.inspect) {
        ctx.fillStyle = c.accent;
        ctx.globalAlpha = 0.08;
        ctx.fillRect(0, y, g.plotW, g.laneH);
      } else if (i % 2 === 1) {
        ctx.fillStyle = c.panel2;
        ctx.globalAlpha = 0.5;
        ctx.fillRect(0, y, g.plotW, g.laneH);
      }
    }
    ctx.globalAlpha = 1;
    // The future (after the simulation's now) is unknown: shaded.
    if (g.xNow < g.plotW) {
      ctx.fillStyle = c.panel2;
      ctx.globalAlpha = 0.7;
      ctx.fillRect(Math.max(0, g.xNow), g.axisH, g.plotW - Math.max(0, g.xNow), g.H - g.axisH);
      ctx.globalAlpha = 1;
    }
    ctx.strokeStyle = c.border;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const t of ticks.times) {
      const x = Math.round(g.xOf(t)) + 0.5;
      ctx.moveTo(x, g.axisH);
      ctx.lineTo(x, g.H);
    }
    ctx.stroke();
  }

  /** Lanes: each line's handler runs (a band; the threaded part hatched) and its level (a line, and a band where it changes faster than the pixels). Collected into `layers`. */
  private _lanes(s: WaveScene, g: Geometry, marks: readonly (LaneMarks | null)[], layers: Layers): void {
    const { t0, k, cols } = g;
    const bars = this._bars;
    const poly = this._poly;
    const busyOut = this._busy;
    const counts = this._counts;
    for (let i = g.first; i < g.last; i++) {
      const src = s.lanes[i];
      const m = marks[i - g.first];
      if (!src || !m) continue;
      const y = g.laneTop(i);
      const yHigh = y + 10.5;
      const yLow = y + g.laneH - 10.5;
      let nb = intervalBars(m.hard.start.data, m.hard.end.data, m.hard.length, t0, k, cols, s.now, bars);
      for (let b = 0; b < nb; b++) layers.hard.rect(bars[2 * b] as number, yHigh - 2, (bars[2 * b + 1] as number) - (bars[2 * b] as number), yLow - yHigh + 4);
      nb = intervalBars(m.threaded.start.data, m.threaded.end.data, m.threaded.length, t0, k, cols, s.now, bars);
      for (let b = 0; b < nb; b++) layers.threaded.rect(bars[2 * b] as number, yHigh - 2, (bars[2 * b + 1] as number) - (bars[2 * b] as number), yLow - yHigh + 4);
      levelTrace(src.levelT.data, src.levelV.data, src.levelT.length, src.initial, t0, k, cols, s.now, this._groups, poly, busyOut, counts);
      for (let p = 0; p < counts.points; p++) {
        const x = poly[2 * p] as number;
        const code = poly[2 * p + 1] as number;
        if (code >= 2) layers.level.moveTo(x, code === 3 ? yHigh : yLow);
        else layers.level.lineTo(x, code ? yHigh : yLow);
      }
      for (let b = 0; b < counts.busy; b++) layers.busy.rect(busyOut[2 * b] as number, yHigh, (busyOut[2 * b + 1] as number) - (busyOut[2 * b] as number), yLow - yHigh);
    }
  }

  /** Strips: the event markers along a lane's bottom and the oracle's flags along its top (glyphs, or runs of ticks where they crowd); a flag also tints its lane's height and, with room, is named. Collected into `layers`. */
  private _strips(g: Geometry, c: ThemeColors, marks: readonly (LaneMarks | null)[], layers: Layers): void {
    const { t0, k, cols, laneH } = g;
    const groups = this._groups;
    const recs = this._recs;
    const texts = layers.texts;
    /** Adds the visible markers of a strip (glyphs, or runs of ticks where they crowd) to the batches. */
    const strip = (s: Strip, cy: number, batches: Map<number, Batch>, crowdCode: number, flagLine: Path2D | null, y: number): void => {
      const T = s.t.data;
      const len = s.length;
      if (!len) return;
      const from = lowerBound(T, 0, len, t0 - 5 * k);
      const to = upperBound(T, from, len, t0 + (cols + 5) * k);
      const n = stripLayout(T, s.code.data, from, to, t0, k, crowdCode, 4, groups, recs);
      for (let r = 0; r < n; r++) {
        const x = recs[3 * r] as number;
        const code = recs[3 * r + 1] as number;
        const w = recs[3 * r + 2] as number;
        const b = batches.get(code);
        if (!b) continue;
        b.used = true;
        if (w === 0) {
          glyph(b.glyphs, b.style.shape, x, cy);
          if (flagLine && (r + 1 < n ? (recs[3 * (r + 1)] as number) : Infinity) - x > 70) texts.push({ x: x + 6, y: cy + 3.5, text: FLAG_NAMES[code] ?? '', color: c[b.style.color] });
        } else b.ticks.rect(x, cy - 3.5, w, 7);
        // Flags also mark the whole lane, so they stand out at any zoom.
        flagLine?.rect(w === 0 ? Math.floor(x) : x, y + 9, Math.max(1, w), laneH - 10);
      }
    };
    for (let i = g.first; i < g.last; i++) {
      const m = marks[i - g.first];
      if (!m) continue;
      const y = g.laneTop(i);
      // Event strip (bottom), then its notable markers on top.
      const evY = y + laneH - 5;
      strip(m.events, evY, layers.evBatches, CROWD, null, y);
      strip(m.notable, evY, layers.evBatches, -1, null, y);
      // Flag strip (top).
      const flagY = y + 5;
      strip(m.warnFlags, flagY, layers.flagBatches, -1, layers.warnLines, y);
      strip(m.badFlags, flagY, layers.flagBatches, -1, layers.badLines, y);
    }
  }

  /** Overlays: history the lanes no longer hold blanked, then the now, hover and cursor lines. */
  private _overlays(ctx: CanvasRenderingContext2D, s: WaveScene, g: Geometry, c: ThemeColors): void {
    const { H, axisH, plotW, xNow, xCursor } = g;
    // History the lanes no longer hold (their memory budget): blanked, so nothing is drawn there that was not seen.
    const xSince = s.lanesSince > 0 ? g.xOf(s.lanesSince) : -1;
    if (xSince > 0) {
      const w = Math.min(plotW, xSince);
      ctx.fillStyle = c.panel2;
      ctx.fillRect(0, axisH, w, H - axisH);
      if (w > 120) {
        ctx.font = `11px ${c.mono}`;
        ctx.fillStyle = c.muted;
        ctx.fillText('older history dropped', 8, axisH + 14);
      }
    }
    if (xNow >= 0 && xNow <= plotW) {
      ctx.strokeStyle = c.muted;
      ctx.setLineDash([3, 3]);
      ctx.beginPath();
      ctx.moveTo(Math.round(xNow) + 0.5, axisH);
      ctx.lineTo(Math.round(xNow) + 0.5, H);
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (s.hoverX !== null) {
      ctx.strokeStyle = c.muted;
      ctx.globalAlpha = 0.6;
      ctx.beginPath();
      ctx.moveTo(Math.round(s.hoverX - g.gutter) + 0.5, axisH);
      ctx.lineTo(Math.round(s.hoverX - g.gutter) + 0.5, H);
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    if (xCursor >= 0 && xCursor <= plotW) {
      ctx.strokeStyle = c.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(Math.round(xCursor), axisH);
      ctx.lineTo(Math.round(xCursor), H);
      ctx.stroke();
    }
  }

  /** Gutter: each lane's name (the inspected one stronger) and its level at the cursor (or now), the lane separators. */
  private _gutter(ctx: CanvasRenderingContext2D, s: WaveScene, g: Geometry, c: ThemeColors): void {
    const { W, H, gutter, axisH, laneH } = g;
    ctx.fillStyle = c.panel;
    ctx.fillRect(0, axisH, gutter, H - axisH);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, axisH, gutter, H - axisH);
    ctx.clip();
    const at = s.cursor ?? s.now;
    ctx.textBaseline = 'middle';
    // One pass per font: setting ctx.font parses a CSS font string, and this runs every frame.
    ctx.font = '12px system-ui, sans-serif';
    for (let i = g.first; i < g.last; i++) {
      const y = g.laneTop(i);
      if (i === s.inspect) {
        ctx.fillStyle = c.accent;
        ctx.globalAlpha = 0.12;
        ctx.fillRect(0, y, gutter, laneH);
        ctx.globalAlpha = 1;
      }
      ctx.fillStyle = i === s.inspect ? c.text : c.muted;
      const name = s.names[i] ?? String(i);
      ctx.fillText(name, 6, y + laneH / 2, gutter - 30);
      ctx.fillStyle = c.border;
      ctx.fillRect(0, y + laneH - 1, W, 1);
    }
    ctx.font = `bold 11px ${c.mono}`;
    for (let i = g.first; i < g.last; i++) {
      const src = s.lanes[i];
      if (!src) continue;
      const v = src.levelAt(at);
      ctx.fillStyle = v ? c.high : c.low;
      ctx.fillText(v ? '1' : '0', gutter - 16, g.laneTop(i) + laneH / 2);
    }
    ctx.restore();
    ctx.fillStyle = c.border;
    ctx.fillRect(gutter - 1, axisH, 1, H - axisH);
  }

  /** Axis: minor and major ticks with their labels, the cursor's exact time in a flag, the column headings. */
  private _axis(ctx: CanvasRenderingContext2D, s: WaveScene, g: Geometry, c: ThemeColors, ticks: Ticks): void {
    const { W, gutter, axisH, plotW, t0, t1, xCursor } = g;
    ctx.fillStyle = c.panel;
    ctx.fillRect(0, 0, W, axisH);
    ctx.fillStyle = c.border;
    ctx.fillRect(0, axisH - 1, W, 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(gutter, 0, plotW, axisH);
    ctx.clip();
    ctx.translate(gutter, 0);
    ctx.strokeStyle = c.muted;
    ctx.lineWidth = 1;
    ctx.beginPath();
    if (ticks.minor) {
      for (let t = Math.max(0, Math.ceil(t0 / ticks.minor) * ticks.minor); t <= t1; t += ticks.minor) {
        const x = Math.round(g.xOf(t)) + 0.5;
        ctx.moveTo(x, axisH - 4);
        ctx.lineTo(x, axisH);
      }
    }
    for (const t of ticks.times) {
      const x = Math.round(g.xOf(t)) + 0.5;
      ctx.moveTo(x, axisH - 9);
      ctx.lineTo(x, axisH);
    }
    ctx.stroke();
    ctx.font = `11px ${c.mono}`;
    ctx.fillStyle = c.muted;
    ctx.textBaseline = 'middle';
    ticks.times.forEach((t, i) => ctx.fillText(ticks.labels[i] ?? '', Math.round(g.xOf(t)) + 4, axisH / 2 - 1));
    if (s.cursor !== null && xCursor >= 0 && xCursor <= plotW) {
      const label = formatExact(s.cursor);
      const w = ctx.measureText(label).width + 8;
      const x = Math.min(Math.max(0, xCursor - w / 2), plotW - w);
      ctx.fillStyle = c.focus;
      ctx.fillRect(x, 1, w, axisH - 3);
      ctx.fillStyle = '#111';
      ctx.fillText(label, x + 4, axisH / 2 - 1);
    }
    ctx.restore();
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillStyle = c.muted;
    ctx.textBaseline = 'middle';
    ctx.fillText('line', 6, axisH / 2);
    ctx.fillText('lvl', gutter - 22, axisH / 2);
  }
}

function geometry(s: WaveScene): Geometry {
  const plotW = Math.max(1, s.width - s.gutter);
  const k = s.span / plotW;
  const t0 = s.t0;
  const first = Math.max(0, Math.floor(s.scrollY / s.laneH));
  const last = Math.min(s.lineCount, Math.ceil((s.scrollY + s.height - s.axisH) / s.laneH));
  const xOf = (t: number): number => (t - t0) / k;
  return {
    W: s.width,
    H: s.height,
    gutter: s.gutter,
    axisH: s.axisH,
    plotW,
    k,
    t0,
    t1: t0 + s.span,
    laneH: s.laneH,
    first,
    last,
    cols: Math.min(plotW, MAX_COLUMNS),
    xNow: xOf(s.now),
    xCursor: s.cursor === null ? NaN : xOf(s.cursor),
    laneTop: (i) => s.axisH + i * s.laneH - s.scrollY,
    xOf,
  };
}

/**
 * Fills what the lanes and strips passes collected, every lane at once, in
 * this order from the back: handler runs, flag tints, busy level bands, the
 * level line, marker glyphs, flag names.
 */
function paintLayers(ctx: CanvasRenderingContext2D, c: ThemeColors, hatch: CanvasPattern | null, l: Layers): void {
  ctx.fillStyle = c.accent;
  ctx.globalAlpha = 0.22;
  ctx.fill(l.hard);
  ctx.globalAlpha = 0.7;
  if (hatch) {
    ctx.fillStyle = hatch;
    ctx.fill(l.threaded);
  }
  ctx.globalAlpha = 0.35;
  ctx.fillStyle = c.warn;
  ctx.fill(l.warnLines);
  ctx.globalAlpha = 0.45;
  ctx.fillStyle = c.bad;
  ctx.fill(l.badLines);
  ctx.globalAlpha = 1;
  ctx.fillStyle = c.high;
  ctx.globalAlpha = 0.45;
  ctx.fill(l.busy);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = c.high;
  ctx.lineWidth = 1.5;
  ctx.lineJoin = 'miter';
  ctx.stroke(l.level);
  for (const batches of [l.evBatches, l.flagBatches]) {
    for (const b of batches.values()) {
      if (!b.used) continue;
      const color = c[b.style.color];
      ctx.fillStyle = color;
      ctx.fill(b.ticks);
      if (b.style.stroke) {
        ctx.strokeStyle = color;
        ctx.lineWidth = b.style.shape === 'cross' ? 2 : 1.3;
        ctx.stroke(b.glyphs);
      } else ctx.fill(b.glyphs);
    }
  }
  if (l.texts.length) {
    ctx.font = `bold 9px ${c.mono}`;
    for (const t of l.texts) {
      ctx.fillStyle = t.color;
      ctx.fillText(t.text, t.x, t.y);
    }
  }
}
