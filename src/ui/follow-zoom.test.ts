import { describe, expect, test } from 'vitest';
import { MIN_FOLLOW_SPAN_NS, followWindow, niceSpan } from './follow-zoom';

describe("the waveform's window in follow mode", () => {
  test('a round trip of 11 us is shown whole, at a round span, the current event at 70 %', () => {
    const w = followWindow(1_011_000, [1_000_000, 1_005_000, 1_008_000], { t0: 0, span: 6_000_000 });
    expect(w.span).toBe(20_000);
    expect(w.t0).toBe(1_011_000 - 14_000);
    expect(w.t0).toBeLessThanOrEqual(1_000_000);
  });

  test('events at one instant still get the minimum span', () => {
    expect(followWindow(5_000, [5_000, 5_000], { t0: 0, span: 1_000_000 }).span).toBe(MIN_FOLLOW_SPAN_NS);
  });

  test('the window stays put while the next event fits in it, and moves when it does not', () => {
    const w = followWindow(1_005_000, [1_000_000], { t0: 0, span: 6_000_000 });
    expect(followWindow(1_008_000, [1_000_000, 1_005_000], w)).toBe(w);
    const moved = followWindow(1_030_000, [1_011_000], w);
    expect(moved).not.toBe(w);
    expect(moved.t0 + 0.7 * moved.span).toBe(1_030_000);
  });

  test('a stretch of 80 us between recent events widens the window to a 1-2-5 span; an idle millisecond before is left out', () => {
    expect(followWindow(1_080_000, [1_000_000], { t0: 0, span: 1 }).span).toBe(200_000);
    expect(followWindow(2_005_000, [1_000_000, 2_000_000], { t0: 0, span: 1 }).span).toBe(MIN_FOLLOW_SPAN_NS);
    expect([niceSpan(20_000), niceSpan(20_001), niceSpan(480_000), niceSpan(7)]).toEqual([20_000, 50_000, 500_000, 10]);
  });
});
