import { describe, expect, test } from 'vitest';
import { DeliveryResult, OracleLabel } from '../sim/index';
import { Marker } from './trace-store';
import { chainArrow, flagNear, type FlagColumns } from './waveform-chain';

function lane(marks: [t: number, kind: number, arg: number, seq: number][]): FlagColumns {
  return {
    markT: { data: Float64Array.from(marks.map((m) => m[0])), length: marks.length },
    markKind: { data: Uint8Array.from(marks.map((m) => m[1])), length: marks.length },
    markArg: { data: Int32Array.from(marks.map((m) => m[2])), length: marks.length },
    markSeq: { data: Float64Array.from(marks.map((m) => m[3])), length: marks.length },
  };
}

describe('the waveform opens a card on the flag clicked', () => {
  const l = lane([
    [1_050_000, Marker.DeviceEvent, DeliveryResult.Masked, 89],
    [1_200_000, Marker.DeviceEvent, DeliveryResult.Delivered, 95],
    [1_550_000, Marker.Oracle, OracleLabel.Lost, 113],
    [1_560_000, Marker.Oracle, OracleLabel.Delivered, 120],
  ]);

  test('a click near the LOST label finds it; near the masked device event, that one', () => {
    expect(flagNear(l, 1_549_000, 4000)).toBe(113);
    expect(flagNear(l, 1_051_000, 4000)).toBe(89);
  });

  test('delivered events and delivered labels are no flags; nothing near gives -1', () => {
    expect(flagNear(l, 1_200_000, 4000)).toBe(-1);
    expect(flagNear(l, 1_562_000, 1000)).toBe(-1);
    expect(flagNear(l, 3_000_000, 4000)).toBe(-1);
  });

  test('at the same distance the oracle label wins over a device result', () => {
    const same = lane([
      [1000, Marker.DeviceEvent, DeliveryResult.Coalesced, 5],
      [1000, Marker.Oracle, OracleLabel.Coalesced, 6],
    ]);
    expect(flagNear(same, 1000, 10)).toBe(6);
  });
});

describe('the chain arrow', () => {
  test('goes from the edge, mid-lane, to the flag at the top of its lane', () => {
    const v = { gutter: 100, axisH: 20, laneH: 40, scrollY: 0, t0: 1_000_000, span: 1_000_000, width: 1100 };
    expect(chainArrow({ fromT: 1_050_000, fromLine: 0, toT: 1_550_000, toLine: 0 }, v)).toEqual({ x1: 150, y1: 40, x2: 650, y2: 26 });
    expect(chainArrow({ fromT: 1_000_000, fromLine: 1, toT: 2_000_000, toLine: 2 }, { ...v, scrollY: 10 })).toEqual({ x1: 100, y1: 70, x2: 1100, y2: 96 });
  });
});
