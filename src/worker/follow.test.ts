import { describe, expect, test } from 'vitest';
import { FollowPacer, type FollowSource } from './follow';

/** A machine stand-in: each simulation event emits the given number of trace events (0 for a silent timer). */
function source(perEvent: number[], startTotal = 0): FollowSource & { steps: number } {
  let total = startTotal;
  let i = 0;
  return {
    steps: 0,
    traceTotal: () => total,
    step() {
      if (i >= perEvent.length) return false;
      total += perEvent[i++] as number;
      this.steps++;
      return true;
    },
  };
}

describe('follow mode pacing', () => {
  test('each advance reveals exactly one trace event, running a simulation event only when none is held back', () => {
    const p = new FollowPacer();
    const src = source([3, 0, 2], 10);
    p.start(2, 0, 10);
    const seen: number[] = [];
    while (p.advance(src) === 'advanced') seen.push(p.current);
    expect(seen).toEqual([10, 11, 12, 13, 14]);
    expect(src.steps).toBe(3); // the silent event was run on the way, never shown as a step of its own
    expect(p.shown).toBe(15);
  });

  test('with nothing pending an advance says idle and moves nothing', () => {
    const p = new FollowPacer();
    const src = source([], 4);
    expect(p.advance(src)).toBe('idle');
    expect(p.current).toBe(-1);
    expect(p.shown).toBe(4);
  });

  test('what an action emitted while following is held back and revealed one event per advance', () => {
    const p = new FollowPacer();
    const src = source([], 4);
    p.start(1, 0, 4);
    expect(p.shown).toBe(4);
    // An action adds three events at once; the page sees them one at a time.
    const act = source([3], 4);
    act.step();
    expect(p.advance(act)).toBe('advanced');
    expect([p.current, p.shown]).toEqual([4, 5]);
    expect(p.advance(act)).toBe('advanced');
    expect(p.advance(act)).toBe('advanced');
    expect([p.current, p.shown]).toEqual([6, 7]);
    expect(p.advance(act)).toBe('idle');
    expect(src.steps).toBe(0);
  });

  test('the pace is events per wall-clock second, one at a time: a late tick makes no burst', () => {
    const p = new FollowPacer();
    p.start(5, 1000, 0); // one every 200 ms, the first at once
    const dueAt: number[] = [];
    for (let wall = 1000; wall <= 2000; wall += 8) if (p.due(wall)) dueAt.push(wall);
    expect(dueAt).toEqual([1000, 1200, 1400, 1600, 1800, 2000]);
    // The tab slept for 3 s: one event, then the pace again from there.
    expect(p.due(5000)).toBe(true);
    expect(p.due(5008)).toBe(false);
    expect(p.due(5200)).toBe(true);
  });

  test('a faster pace takes effect without waiting out the slow period; stop and release', () => {
    const p = new FollowPacer();
    p.start(1, 0, 0);
    expect(p.due(0)).toBe(true);
    p.start(10, 50, 0);
    expect(p.due(100)).toBe(false);
    expect(p.due(150)).toBe(true);
    p.stop();
    expect(p.following).toBe(false);
    expect(p.due(10_000)).toBe(false);
    p.release();
    expect([p.shown, p.current]).toEqual([null, -1]);
  });

  test('a pace that is not a positive number is refused by name', () => {
    expect(() => new FollowPacer().start(0, 0, 0)).toThrow(/follow pace/);
    expect(() => new FollowPacer().start(Number.NaN, 0, 0)).toThrow(/follow pace/);
  });
});
