import { describe, expect, test } from 'vitest';
import { TK, type TraceColumns } from '../sim/index';
import { Marker, TraceStore } from './trace-store';

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
});
