import { describe, expect, it } from 'vitest';
import { Callback, TK, runScenario, validateScenario } from '../sim/index';
import { LaneIndex, Marker, TraceStore } from './trace-store';
import { Ev, Flag, LaneMarks, countCodes } from './waveform-lanes';

function lane(marks: [t: number, kind: number, arg: number][]): LaneIndex {
  const l = new LaneIndex();
  marks.forEach(([t, kind, arg], seq) => {
    l.markT.push(t);
    l.markKind.push(kind);
    l.markArg.push(arg);
    l.markSeq.push(seq);
  });
  return l;
}

const strip = (s: { t: { data: Float64Array; length: number }; code: { data: Uint8Array } }): number[][] =>
  Array.from({ length: s.t.length }, (_, i) => [s.t.data[i]!, s.code.data[i]!]);

describe('LaneMarks', () => {
  it('splits markers into strips and notable subsets', () => {
    const src = lane([
      [10, Marker.Requeue, 0],
      [100, Marker.DeviceEvent, 0],
      [110, Marker.BufferReturned, 1],
      [150, Marker.DeviceEvent, 1],
      [160, Marker.DeviceEvent, 2],
      [170, Marker.BufferReturned, 0],
      [200, Marker.Oracle, 0],
      [210, Marker.Oracle, 1],
      [220, Marker.Oracle, 2],
      [230, Marker.Oracle, 3],
      [240, Marker.Violation, 5],
    ]);
    const m = new LaneMarks();
    m.sync(src);
    expect(strip(m.events)).toEqual([
      [10, Ev.Requeue],
      [100, Ev.Delivered],
      [110, Ev.Valid],
      [150, Ev.Coalesced],
      [160, Ev.Masked],
      [170, Ev.Invalid],
    ]);
    expect(strip(m.notable)).toEqual([
      [150, Ev.Coalesced],
      [160, Ev.Masked],
      [170, Ev.Invalid],
    ]);
    // Delivered needs no flag.
    expect(strip(m.warnFlags)).toEqual([[210, Flag.Coalesced]]);
    expect(strip(m.badFlags)).toEqual([
      [220, Flag.Spurious],
      [230, Flag.Lost],
      [240, Flag.Violation],
    ]);
    expect(countCodes(m.badFlags, 0, 3)).toEqual(
      new Map([
        [Flag.Spurious, 1],
        [Flag.Lost, 1],
        [Flag.Violation, 1],
      ]),
    );
  });

  it('pairs handler runs into intervals, hard-irq and threaded apart', () => {
    const src = lane([
      [100, Marker.HandlerStart, 0],
      [150, Marker.HandlerEnd, 0],
      [170, Marker.HandlerStart, 1],
      [180, Marker.HandlerStart, 0],
      [190, Marker.HandlerEnd, 0],
      [300, Marker.HandlerEnd, 1],
      [400, Marker.HandlerStart, 0],
    ]);
    const m = new LaneMarks();
    m.sync(src);
    expect(Array.from(m.hard.start.data.slice(0, m.hard.length))).toEqual([100, 180, 400]);
    expect(Array.from(m.hard.end.data.slice(0, m.hard.length))).toEqual([150, 190, Infinity]);
    expect(Array.from(m.threaded.start.data.slice(0, m.threaded.length))).toEqual([170]);
    expect(Array.from(m.threaded.end.data.slice(0, m.threaded.length))).toEqual([300]);
  });

  it('closes a run that never ended when the next begins, and ignores stray ends', () => {
    const m = new LaneMarks();
    m.sync(
      lane([
        [5, Marker.HandlerEnd, 0],
        [10, Marker.HandlerStart, 0],
        [20, Marker.HandlerStart, 0],
        [30, Marker.HandlerEnd, 0],
      ]),
    );
    expect(Array.from(m.hard.start.data.slice(0, 2))).toEqual([10, 20]);
    expect(Array.from(m.hard.end.data.slice(0, 2))).toEqual([20, 30]);
    expect(m.hard.length).toBe(2);
  });

  it('closes the thread that gpiomon -n 2 exits from: the core traces its end at free_irq', () => {
    // The real core: gpiomon -n 2 on a clocked line, run to the end, its trace through the store into the lanes.
    const s = validateScenario({
      version: 1,
      title: 'gpiomon -n 2',
      duration: '3ms',
      device: { lines: [{ name: 'clk' }] },
      world: { clk: { kind: 'clock', period: '200us', start: '1ms' } },
      timeline: [{ at: '500us', do: 'shell', command: 'gpiomon -n 2 -c gpiochip0 0 &' }],
    });
    if (!s.ok) throw new Error(s.error);
    const r = runScenario(s.value);
    if (!r.ok) throw new Error(r.error);
    const m = r.value.machine;
    const store = new TraceStore(100_000);
    store.reset([...m.wire.level]);
    store.append(m.trace.columns(0));
    const marks = new LaneMarks();
    marks.sync(store.lanes[0]!);
    const starts = Array.from(marks.threaded.start.data.slice(0, marks.threaded.length));
    const ends = Array.from(marks.threaded.end.data.slice(0, marks.threaded.length));
    // Two threaded runs (one per reported edge), both closed, the second where the irq was freed.
    expect(starts).toHaveLength(2);
    expect(ends.every((e) => Number.isFinite(e))).toBe(true);
    let freedAt = -1;
    m.trace.forEach((e) => {
      if (e.kind === TK.DrvFlags && e.b === Callback.Disable && freedAt < 0 && e.t > starts[1]!) freedAt = e.t;
    });
    expect(ends[1]).toBe(freedAt);
  });

  it('draws a thread still running (no end traced yet) on to the present', () => {
    const m = new LaneMarks();
    m.sync(
      lane([
        [10, Marker.HandlerStart, 1],
        [35, Marker.HandlerEnd, 1],
        [50, Marker.HandlerStart, 1],
      ]),
    );
    expect(Array.from(m.threaded.start.data.slice(0, m.threaded.length))).toEqual([10, 50]);
    expect(Array.from(m.threaded.end.data.slice(0, m.threaded.length))).toEqual([35, Infinity]);
  });

  it('indexes incrementally, growing past its initial capacity', () => {
    const src = new LaneIndex();
    const m = new LaneMarks();
    for (let i = 0; i < 1000; i++) {
      src.markT.push(i * 10);
      src.markKind.push(Marker.DeviceEvent);
      src.markArg.push(i % 3);
      src.markSeq.push(i);
      if (i % 97 === 0) m.sync(src);
    }
    m.sync(src);
    expect(m.done).toBe(1000);
    expect(m.events.length).toBe(1000);
    expect(m.notable.length).toBe(666);
    expect(m.events.t.data[999]).toBe(9990);
    expect(m.events.code.data[998]).toBe(Ev.Masked);
    m.sync(src);
    expect(m.events.length).toBe(1000);
  });
});
