import { describe, expect, test } from 'vitest';
import type { CompareLane, CompareView } from '../sim/index';
import { compareRows, compareWindow, describeCompare, levelAt, stepPoints, xOf } from './compare-draw';

const lane = (line: number, t: number[], level: number[], flagT: number[] = [], flag: number[] = []): CompareLane => ({ line, name: `l${line}`, initial: 1, t, level, flagT, flag, cutAt: null });

function view(divergenceLine: number | null): CompareView {
  const side = (lanes: CompareLane[], endNs: number) => ({ label: 'x', title: 't', endNs, events: 1, traceHash: 'h', cut: false, lines: [], total: {} as never, lanes });
  return {
    settings: ['device.preset=rust-vmm'],
    a: { ...side([lane(0, [100, 300], [0, 1], [500], [1]), lane(1, [], [])], 1_000_000), label: 'this run' },
    b: { ...side([lane(0, [100, 300], [0, 1], [500, 600], [1, 2]), lane(1, [], [])], 2_000_000), label: 'with device.preset=rust-vmm' },
    sameTrace: divergenceLine === null,
    lines: [],
    total: [],
    causes: [],
    divergence: divergenceLine === null ? null : { seq: 9, t: 500_000, a: { t: 500_000, line: divergenceLine, text: 'a' }, b: { t: 500_000, line: divergenceLine, text: 'b' } },
    truncated: false,
  };
}

describe('the aligned lanes of a comparison', () => {
  test('one time axis for both runs: the whole of the longer run, or around the divergence', () => {
    expect(compareWindow(view(0), 'all')).toEqual([0, 2_000_000]);
    expect(compareWindow(view(0), 'divergence')).toEqual([300_000, 700_000]);
    expect(compareWindow(view(null), 'divergence')).toEqual([0, 2_000_000]);
    expect(xOf(500_000, [0, 2_000_000], 170, 400)).toBe(270);
  });

  test('each line of this run has the other run under it; the diverging line is marked in both', () => {
    const rows = compareRows(view(1));
    expect(rows.map((r) => `${r.lane.line}${r.side}${r.diverges ? '!' : ''}`)).toEqual(['0a', '0b', '1a!', '1b!']);
  });

  test('levels step where the lane changed, starting from the level in effect at the window start', () => {
    const l = lane(0, [100, 300], [0, 1]);
    expect([levelAt(l, 0), levelAt(l, 100), levelAt(l, 299), levelAt(l, 300)]).toEqual([1, 0, 0, 1]);
    expect(stepPoints(l, [0, 1000])).toEqual([[0, 1], [100, 1], [100, 0], [300, 0], [300, 1], [1000, 1]]);
    expect(stepPoints(l, [200, 250])).toEqual([[200, 0], [250, 0]]);
  });

  test('the canvas says in words what it shows', () => {
    expect(describeCompare(view(0))).toBe(
      "Both runs on one time axis, each line of this run with the other run's lane under it. This run: 1 coalesced; with device.preset=rust-vmm: 1 coalesced, 1 spurious. The runs diverge at 500 us (event 9) on l0.",
    );
  });
});
