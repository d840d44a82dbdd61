import { describe, expect, test } from 'vitest';
import { Callback, TK, type TraceColumns } from '../sim/index';
import { Marker, TraceStore } from './trace-store';
import { LaneMarks } from './waveform-lanes';

function cols(firstSeq: number, n: number, kind: number = TK.RingAdd, line = 0): TraceColumns {
  return {
    firstSeq,
    t: Float64Array.from({ length: n }, (_, i) => (firstSeq + i) * 10),
    kind: new Uint8Array(n).fill(kind),
    line: new Int16Array(n).fill(line),
    a: new Int32Array(n),
    b: new Int32Array(n),
    c: new Int32Array(n),
  };
}

describe('TraceStore', () => {
  test('indexes line levels and markers per lane', () => {
    const s = new TraceStore(100);
    s.reset([1, 0]);
    const c = cols(0, 3, TK.LineLevel, 1);
    c.a.set([1, 0, 1]);
    s.append(c);
    s.append({ ...cols(3, 1, TK.OracleLabel, 1), a: Int32Array.of(3) });
    const lane = s.lanes[1]!;
    expect(lane.levelAt(-1)).toBe(0);
    expect(lane.levelAt(10)).toBe(0);
    expect(lane.levelAt(25)).toBe(1);
    expect([...lane.markKind.data.slice(0, lane.markKind.length)]).toEqual([Marker.Oracle]);
    expect(s.lanes[0]!.levelAt(0)).toBe(1);
  });

  test('the filtered index follows the filter and forgets what the ring no longer holds', () => {
    const s = new TraceStore(1000);
    s.reset([0]);
    s.append(cols(0, 600, TK.RingAdd));
    s.append(cols(600, 600, TK.LineLevel));
    s.setFilter(new Set(['ring']), null);
    // Only line events remain visible (600..1199), and only those still held.
    expect(s.filtered.length).toBe(600);
    s.append(cols(1200, 900, TK.LineLevel));
    expect(s.firstSeq).toBe(1100);
    for (let i = 0; i < s.filtered.length; i++) expect(s.get(s.filtered.data[i] as number)).not.toBeNull();
    expect(s.filtered.length).toBe(1000);
  });

  test('events sent twice are appended once', () => {
    const s = new TraceStore(100);
    s.reset([0]);
    s.append(cols(0, 10));
    s.append(cols(5, 10));
    expect(s.total).toBe(15);
    expect(s.filtered.length).toBe(15);
  });

  test('lane history beyond the budget is dropped oldest first, keeping the level where it starts', () => {
    // Two lanes; lane 0 toggles on every event, lane 1 gets an oracle marker every 4th event.
    const budget = 1000;
    const s = new TraceStore(100, budget);
    s.reset([0, 1]);
    const levelAt = (t: number): number => Math.floor(t / 10) % 2; // the level lane 0 had at time t
    let seq = 0;
    for (let batch = 0; batch < 30; batch++) {
      const c = cols(seq, 100, TK.LineLevel, 0);
      for (let i = 0; i < 100; i++) {
        c.a[i] = (seq + i) % 2;
        if ((seq + i) % 4 === 3) {
          c.kind[i] = TK.OracleLabel;
          c.line[i] = 1;
          c.a[i] = 3;
        }
      }
      s.append(c);
      seq += 100;
      const held = s.lanes[0]!.entries + s.lanes[1]!.entries;
      expect(held).toBeLessThanOrEqual(budget);
    }
    expect(s.lanesVersion).toBeGreaterThan(1);
    const since = s.lanesSince;
    expect(since).toBeGreaterThan(0);
    // Everything held is at or after the cut, everything after the cut is held.
    const l0 = s.lanes[0]!;
    const l1 = s.lanes[1]!;
    expect(l0.levelT.data[0]).toBeGreaterThanOrEqual(since);
    expect(l1.markT.data[0]).toBeGreaterThanOrEqual(since);
    const lastT = (seq - 1) * 10;
    const expectedLevels = Array.from({ length: seq }, (_, i) => i).filter((i) => i % 4 !== 3 && i * 10 >= since).length;
    expect(l0.levelT.length).toBe(expectedLevels);
    expect(l1.markT.length).toBe(Array.from({ length: seq }, (_, i) => i).filter((i) => i % 4 === 3 && i * 10 >= since).length);
    // The level from the cut on is what it was (the change before the cut became the initial level).
    for (let t = since; t <= lastT; t += 7) {
      // Events at seq % 4 === 3 were markers, not level changes: the level then is the previous change's.
      let i = Math.floor(t / 10);
      while (i % 4 === 3) i--;
      expect(l0.levelAt(t)).toBe(levelAt(i * 10));
    }
  });

  test('reset forgets the cut', () => {
    const s = new TraceStore(100, 10);
    s.reset([0]);
    s.append(cols(0, 50, TK.LineLevel, 0));
    expect(s.lanesSince).toBeGreaterThan(0);
    const v = s.lanesVersion;
    s.reset([1]);
    expect(s.lanesSince).toBe(0);
    expect(s.lanesVersion).toBe(v + 1);
    expect(s.lanes[0]!.levelAt(123)).toBe(1);
  });

  test('irq_disable and irq_mask callbacks put no marker on a lane (the core traces the end of every handler run, even one freed under it)', () => {
    const s = new TraceStore(100);
    s.reset([0, 0]);
    s.append({ ...cols(0, 2, TK.DrvFlags, 1), b: Int32Array.of(Callback.Disable, Callback.Mask) });
    expect(s.lanes[1]!.markKind.length).toBe(0);
  });
});

describe('TraceStore: a zero-time storm (a button bouncing with zero interval: time stands still)', () => {
  /** n events of `kind` on line 0, all at the same simulated instant. */
  function storm(firstSeq: number, n: number, kind: number, t = 5_000): TraceColumns {
    const c = cols(firstSeq, n, kind, 0);
    c.t.fill(t);
    for (let i = 0; i < n; i++) c.a[i] = (firstSeq + i) % 2;
    return c;
  }

  test('lane history stays within its budget by count, and the dropped part is announced', () => {
    const budget = 1000;
    const s = new TraceStore(100, budget);
    s.reset([0]);
    let seq = 0;
    for (let batch = 0; batch < 200; batch++) {
      s.append(storm(seq, 500, batch % 2 ? TK.LineLevel : TK.OracleLabel));
      seq += 500;
      expect(s.lanes[0]!.entries).toBeLessThanOrEqual(budget);
    }
    // 100,000 entries arrived at one instant; at most the budget is held, the rest is counted as dropped.
    expect(s.lanes[0]!.entries + s.lanesDropped).toBe(100_000);
    expect(s.lanesSince).toBe(5_000);
    // The level at the instant is the last one that arrived.
    expect(s.lanes[0]!.levelAt(5_000)).toBe((seq - 1) % 2);
  });

  test('the waveform index built on a stormed lane is bounded too', () => {
    const s = new TraceStore(100, 1000);
    s.reset([0]);
    let seq = 0;
    const marks = new LaneMarks();
    let version = s.lanesVersion;
    let current = marks;
    for (let batch = 0; batch < 100; batch++) {
      const c = storm(seq, 1000, TK.DevIrqEvent);
      s.append(c);
      seq += 1000;
      if (s.lanesVersion !== version) {
        version = s.lanesVersion;
        current = new LaneMarks(); // what the waveform does when history was dropped
      }
      current.sync(s.lanes[0]!);
      expect(current.events.length).toBeLessThanOrEqual(1000);
    }
  });
});
