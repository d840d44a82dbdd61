import { describe, expect, it } from 'vitest';
import {
  MIN_SPAN_NS,
  clampWindow,
  computeTicks,
  fitWindow,
  followT0,
  formatExact,
  gallopToColumn,
  intervalBars,
  labelUnit,
  levelTrace,
  lowerBound,
  minorStep,
  nextStep,
  panBy,
  pixelGroups,
  revealTime,
  splitStep,
  stripLayout,
  tickLabel,
  tickStep,
  timeToX,
  upperBound,
  xToTime,
  zoomAt,
} from './waveform-geometry';

const groupsOf = (a: number[], t0: number, nsPerPx: number, from = 0, to = a.length): number[][] => {
  const out = new Int32Array(3 * 1000);
  const n = pixelGroups(a, from, to, t0, nsPerPx, out);
  return Array.from({ length: n }, (_, q) => [out[3 * q]!, out[3 * q + 1]!, out[3 * q + 2]!]);
};

const points = (n: number, out: Float64Array): number[][] => Array.from({ length: n }, (_, k) => [out[2 * k]!, out[2 * k + 1]!]);

describe('time <-> x', () => {
  it('maps linearly and round-trips', () => {
    expect(timeToX(1500, 1000, 10)).toBe(50);
    expect(xToTime(50, 1000, 10)).toBe(1500);
    expect(timeToX(1000, 1000, 0.01)).toBe(0);
    expect(xToTime(100, 1_000_000_000, 0.01)).toBe(1_000_000_001);
  });
});

describe('window limits, zoom and pan', () => {
  it('clamps the span to [10 ns, max(10 s, 2 x end)]', () => {
    expect(clampWindow({ t0: 0, span: 1 }, 1000).span).toBe(MIN_SPAN_NS);
    expect(clampWindow({ t0: 0, span: 1e12 }, 1000).span).toBe(1e10);
    expect(clampWindow({ t0: 0, span: 1e12 }, 1e11).span).toBe(2e11);
  });
  it('allows 2 % of slack before 0 and keeps some data in view', () => {
    expect(clampWindow({ t0: -500, span: 1000 }, 5000)).toEqual({ t0: -20, span: 1000 });
    expect(clampWindow({ t0: 9000, span: 1000 }, 5000)).toEqual({ t0: 4950, span: 1000 });
    expect(clampWindow({ t0: 100, span: 1000 }, 5000)).toEqual({ t0: 100, span: 1000 });
  });
  it('zooms around the anchor', () => {
    // Anchor at the middle (t = 1500): zooming in by 2 keeps 1500 in the middle.
    expect(zoomAt({ t0: 1000, span: 1000 }, 0.5, 0.5, 1e6)).toEqual({ t0: 1250, span: 500 });
    // Anchor at the left edge keeps t0.
    expect(zoomAt({ t0: 1000, span: 1000 }, 2, 0, 1e6)).toEqual({ t0: 1000, span: 2000 });
    // Anchor at 3/4: t = 1750 stays at 3/4.
    const w = zoomAt({ t0: 1000, span: 1000 }, 0.1, 0.75, 1e6);
    expect(w.span).toBe(100);
    expect(w.t0 + 0.75 * w.span).toBeCloseTo(1750, 9);
    // Zooming in past 10 ns stops there.
    expect(zoomAt({ t0: 1000, span: 20 }, 0.1, 0.5, 1e6)).toEqual({ t0: 1005, span: 10 });
  });
  it('pans by pixels', () => {
    expect(panBy({ t0: 1000, span: 1000 }, 100, 500, 1e6)).toEqual({ t0: 1200, span: 1000 });
    expect(panBy({ t0: 1000, span: 1000 }, -1000, 500, 1e6)).toEqual({ t0: -20, span: 1000 });
  });
  it('fits the whole run with a margin', () => {
    expect(fitWindow(6_000_000)).toEqual({ t0: -124_800, span: 6_240_000 });
    expect(fitWindow(0)).toEqual({ t0: -0.2, span: 10 });
  });
  it('follows live: scrolls only once now passes 97 % of the view', () => {
    expect(followT0(0, 1000, 500)).toBe(0);
    expect(followT0(0, 1000, 970)).toBe(0);
    expect(followT0(0, 1000, 1970)).toBe(1000);
    // A young run shows time 0 (with its 2 % of slack).
    expect(followT0(5000, 1000, 100)).toBe(-20);
  });
  it('reveals a time outside the view by centring it', () => {
    expect(revealTime({ t0: 0, span: 1000 }, 500, 1e6)).toEqual({ t0: 0, span: 1000 });
    expect(revealTime({ t0: 0, span: 1000 }, 5000, 1e6)).toEqual({ t0: 4500, span: 1000 });
    expect(revealTime({ t0: 0, span: 1000 }, 990, 1e6)).toEqual({ t0: 490, span: 1000 });
  });
});

describe('ticks', () => {
  it('picks 1-2-5 steps of whole nanoseconds', () => {
    expect(tickStep(0.3)).toBe(1);
    expect(tickStep(1)).toBe(1);
    expect(tickStep(1.01)).toBe(2);
    expect(tickStep(3)).toBe(5);
    expect(tickStep(7)).toBe(10);
    expect(tickStep(1000)).toBe(1000);
    expect(tickStep(420_000)).toBe(500_000);
    expect(tickStep(1.2e9)).toBe(2e9);
    expect(nextStep(1)).toBe(2);
    expect(nextStep(2)).toBe(5);
    expect(nextStep(5)).toBe(10);
    expect(nextStep(500_000)).toBe(1_000_000);
    expect(splitStep(200_000)).toEqual({ mantissa: 2, exp: 5 });
    expect(minorStep(1)).toBe(0);
    expect(minorStep(2)).toBe(1);
    expect(minorStep(10)).toBe(2);
    expect(minorStep(500)).toBe(100);
  });
  it('labels exactly, with the decimals the step needs', () => {
    expect(labelUnit(0).name).toBe('ns');
    expect(labelUnit(999).name).toBe('ns');
    expect(labelUnit(1000).name).toBe('us');
    expect(labelUnit(6_000_000).name).toBe('ms');
    expect(labelUnit(3e9).name).toBe('s');
    const ms = labelUnit(6e6);
    expect(tickLabel(0, 500_000, ms)).toBe('0.0 ms');
    expect(tickLabel(1_500_000, 500_000, ms)).toBe('1.5 ms');
    expect(tickLabel(1_220_000, 20_000, ms)).toBe('1.22 ms');
    const s = labelUnit(1e9);
    expect(tickLabel(1_000_000_010, 10, s)).toBe('1.00000001 s');
    expect(tickLabel(1_000_000_001, 1, s)).toBe('1.000000001 s');
    expect(tickLabel(2e9, 1e9, s)).toBe('2 s');
    expect(tickLabel(40, 10, labelUnit(50))).toBe('40 ns');
  });
  it('formats exact times in formatNs style', () => {
    expect(formatExact(0)).toBe('0 ns');
    expect(formatExact(40)).toBe('40 ns');
    expect(formatExact(1_500_000)).toBe('1.5 ms');
    expect(formatExact(1_234_567)).toBe('1.234567 ms');
    expect(formatExact(10_000_000)).toBe('10 ms');
    expect(formatExact(100_000_000)).toBe('100 ms');
    expect(formatExact(1_000_000_001)).toBe('1.000000001 s');
    expect(formatExact(2_000_000_000)).toBe('2 s');
    expect(formatExact(250_000)).toBe('250 us');
  });
  it('computes ticks for a 6 ms run on 1000 px', () => {
    const t = computeTicks(0, 6_000_000, 6000, 70, 7, 12);
    expect(t.step).toBe(500_000);
    expect(t.unit.name).toBe('ms');
    expect(t.times).toEqual([0, 0.5e6, 1e6, 1.5e6, 2e6, 2.5e6, 3e6, 3.5e6, 4e6, 4.5e6, 5e6, 5.5e6, 6e6]);
    expect(t.labels.slice(0, 3)).toEqual(['0.0 ms', '0.5 ms', '1.0 ms']);
    expect(t.minor).toBe(100_000);
  });
  it('widens the step until labels fit, even 10 ns after a second', () => {
    // 10 ns over 1000 px: 0.01 ns/px, 1 ns steps are 100 px, labels like "1.000000001 s" (13 chars, 96.5 px) fit.
    const t = computeTicks(1_000_000_000, 1_000_000_010, 0.01, 70, 6.5, 12);
    expect(t.step).toBe(1);
    expect(t.times.length).toBe(11);
    expect(t.labels[1]).toBe('1.000000001 s');
    // With 10 px per character they do not (143 px > 100 px): 2 ns steps.
    const wide = computeTicks(1_000_000_000, 1_000_000_010, 0.01, 70, 10, 12);
    expect(wide.step).toBe(2);
    expect(wide.labels).toEqual(['1.000000000 s', '1.000000002 s', '1.000000004 s', '1.000000006 s', '1.000000008 s', '1.000000010 s']);
  });
  it('covers seconds and skips negative times', () => {
    const t = computeTicks(-1e8, 5e9, 5e6, 70, 7, 12);
    expect(t.step).toBe(500_000_000);
    expect(t.times[0]).toBe(0);
    expect(t.labels[0]).toBe('0.0 s');
    expect(t.labels[3]).toBe('1.5 s');
    // Every adjacent pair of ticks is at least 70 px apart at every zoom.
    for (let span = 10; span < 1e11; span *= 3.7) {
      const k = computeTicks(span, 2 * span, span / 1000, 70, 7, 12);
      expect(k.step / (span / 1000)).toBeGreaterThanOrEqual(70);
      expect(new Set(k.labels).size).toBe(k.labels.length);
    }
  });
});

describe('searching', () => {
  const a = [10, 20, 20, 30, 40];
  it('finds bounds', () => {
    expect(lowerBound(a, 0, 5, 20)).toBe(1);
    expect(upperBound(a, 0, 5, 20)).toBe(3);
    expect(lowerBound(a, 0, 5, 5)).toBe(0);
    expect(lowerBound(a, 0, 5, 50)).toBe(5);
    expect(upperBound(a, 2, 4, 100)).toBe(4);
  });
  it('gallops to a pixel column', () => {
    const T = Array.from({ length: 1000 }, (_, i) => i); // one event per ns
    expect(gallopToColumn(T, 0, 1000, 0, 10, 1)).toBe(10);
    expect(gallopToColumn(T, 0, 1000, 0, 10, 57)).toBe(570);
    expect(gallopToColumn(T, 0, 1000, 0, 10, 200)).toBe(1000);
    expect(gallopToColumn(T, 5, 1000, 0, 10, 0)).toBe(5);
  });
});

describe('pixel merging', () => {
  it('gives one group per non-empty pixel column', () => {
    expect(groupsOf([0, 3, 9, 10, 25, 26, 100], 0, 10)).toEqual([
      [0, 0, 3],
      [1, 3, 4],
      [2, 4, 6],
      [10, 6, 7],
    ]);
  });
  it('never exceeds one group per pixel however dense', () => {
    const T = new Float64Array(1_000_000).map((_, i) => i * 3); // 1 M events over 3 ms
    const out = new Int32Array(3 * 2000);
    const n = pixelGroups(T, 0, T.length, 0, 3_000_000 / 1000, out);
    expect(n).toBe(1000);
    expect([out[0], out[1], out[2]]).toEqual([0, 0, 1000]);
    expect([out[3 * 999], out[3 * 999 + 1], out[3 * 999 + 2]]).toEqual([999, 999_000, 1_000_000]);
  });
  it('stops when the output is full', () => {
    const out = new Int32Array(6);
    expect(pixelGroups([0, 10, 20, 30], 0, 4, 0, 1, out)).toBe(2);
  });
});

describe('level trace', () => {
  const groups = new Int32Array(3 * 2000);
  const out = new Float64Array(8000);
  const busy = new Float64Array(4000);
  const counts = { points: 0, busy: 0 };
  const trace = (T: ArrayLike<number>, V: ArrayLike<number>, initial: number, t0: number, nsPerPx: number, plotW: number, tEnd: number): { points: number[][]; busy: number[][] } => {
    levelTrace(T, V, T.length, initial, t0, nsPerPx, plotW, tEnd, groups, out, busy, counts);
    return { points: points(counts.points, out), busy: points(counts.busy, busy) };
  };
  it('draws steps at each change up to now', () => {
    // High from the start, low at 100, high at 300; now = 500; 10 ns/px over 100 px.
    expect(trace([100, 300], [0, 1], 1, 0, 10, 100, 500)).toEqual({
      points: [
        [0, 3],
        [10, 1],
        [10, 0],
        [30, 0],
        [30, 1],
        [50, 1],
      ],
      busy: [],
    });
  });
  it('starts from the level at the left edge and stops at the right edge', () => {
    expect(trace([100, 300], [0, 1], 1, 200, 1, 50, 1000).points).toEqual([
      [0, 2],
      [50, 0],
    ]);
  });
  it('starts at time 0 when the view begins before it', () => {
    expect(trace([], [], 0, -20, 1, 100, 50).points).toEqual([
      [20, 2],
      [70, 0],
    ]);
  });
  it('pauses the line over a band where several changes share a pixel', () => {
    // Three changes within pixel 1 (10..19 ns): 1 -> 0 -> 1 -> 0, then one change in pixel 3.
    expect(trace([11, 12, 13, 35], [0, 1, 0, 1], 1, 0, 10, 100, 60)).toEqual({
      points: [
        [0, 3],
        [1, 1],
        [2, 2],
        [3.5, 0],
        [3.5, 1],
        [6, 1],
      ],
      busy: [[1, 2]],
    });
  });
  it('merges adjacent busy pixels into one band', () => {
    // Two changes in each of pixels 2, 3 and 4, then in 7.
    const T = [20, 25, 30, 35, 40, 45, 70, 75];
    const V = [0, 1, 0, 1, 0, 1, 0, 1];
    expect(trace(T, V, 1, 0, 10, 100, 100)).toEqual({
      points: [
        [0, 3],
        [2, 1],
        [5, 3],
        [7, 1],
        [8, 3],
        [10, 1],
      ],
      busy: [
        [2, 5],
        [7, 8],
      ],
    });
  });
  it('draws nothing before the run reaches the view', () => {
    expect(trace([], [], 0, 1000, 1, 100, 500)).toEqual({ points: [], busy: [] });
  });
  it('draws a steady clock faster than the pixels as one band', () => {
    // A million changes, 1000 per pixel: the line stops at the band's start and resumes after it.
    const T = new Float64Array(1_000_000).map((_, i) => i + 0.5);
    const V = new Uint8Array(1_000_000).map((_, i) => (i + 1) % 2);
    const r = trace(T, V, 0, 0, 1000, 1000, 1e9);
    expect(r.busy).toEqual([[0, 1000]]);
    expect(r.points).toEqual([
      [0, 2],
      [0, 0],
      [1000, 2],
      [1000, 0],
    ]);
  });
});

describe('strip layout', () => {
  const groups = new Int32Array(3 * 2000);
  const out = new Float64Array(3 * 2000);
  const layout = (T: number[], C: number[], crowd: number, minGap = 4): number[][] => {
    const n = stripLayout(T, C, 0, T.length, 0, 10, crowd, minGap, groups, out);
    return Array.from({ length: n }, (_, r) => [out[3 * r]!, out[3 * r + 1]!, out[3 * r + 2]!]);
  };
  it('gives isolated markers a glyph', () => {
    expect(layout([100, 200], [3, 5], 9)).toEqual([
      [10, 3, 0],
      [20, 5, 0],
    ]);
  });
  it('turns markers too close to the previous glyph into ticks', () => {
    expect(layout([100, 120, 300], [3, 5, 1], 9)).toEqual([
      [10, 3, 0],
      [12, 9, 1],
      [30, 1, 0],
    ]);
  });
  it('merges crowded adjacent pixels into one run', () => {
    // Pixels 1, 2 and 3 each hold two markers; pixel 5 holds one (4 px after nothing drawn as a glyph).
    expect(layout([10, 15, 20, 25, 30, 35, 50], [0, 3, 0, 3, 0, 3, 5], 9)).toEqual([
      [1, 9, 3],
      [5, 5, 0],
    ]);
  });
  it('keeps the most severe code of a crowded pixel when asked', () => {
    expect(layout([10, 12, 14, 20, 22], [1, 4, 2, 1, 2], -1)).toEqual([
      [1, 4, 1],
      [2, 2, 1],
    ]);
  });
  it('costs a handful of runs for a million markers', () => {
    const T = new Float64Array(1_000_000).map((_, i) => i);
    const C = new Uint8Array(1_000_000);
    const n = stripLayout(T, C, 0, T.length, 0, 1000, 9, 4, groups, out);
    expect(n).toBe(1);
    expect([out[0], out[1], out[2]]).toEqual([0, 9, 1000]);
  });
});

describe('interval bars', () => {
  const out = new Float64Array(4000);
  const bars = (S: number[], E: number[], t0: number, nsPerPx: number, plotW: number, now: number): number[][] => {
    const n = intervalBars(S, E, S.length, t0, nsPerPx, plotW, now, out);
    return points(n, out);
  };
  it('draws visible intervals, clipped to now when open', () => {
    expect(bars([10, 50], [20, Infinity], 0, 1, 100, 70)).toEqual([
      [10, 20],
      [50, 70],
    ]);
  });
  it('skips intervals that end before the view', () => {
    expect(bars([10, 50], [20, 60], 30, 1, 100, 100)).toEqual([[20, 30]]);
  });
  it('makes short intervals one pixel wide and merges those closer than a pixel', () => {
    expect(bars([10, 10.2, 10.5, 40], [10.1, 10.3, 10.6, 40.01], 0, 1, 100, 100)).toEqual([
      [10, 11],
      [40, 41],
    ]);
    // Adjacent runs (gap < 1 px) become one bar.
    expect(bars([0, 10.5], [10, 20], 0, 1, 100, 100)).toEqual([[0, 20]]);
  });
  it('costs O(pixels) for dense runs', () => {
    const S = Array.from({ length: 100_000 }, (_, i) => i * 10);
    const E = S.map((s) => s + 5);
    const n = intervalBars(S, E, S.length, 0, 1000, 1000, 1e9, out);
    expect(n).toBe(1);
    // One bar from the first run to the last pixel's (at least 1 px wide).
    expect([out[0], out[1]]).toEqual([0, 1000]);
  });
});
