import { describe, expect, test } from 'vitest';
import {
  MAX_SPACER_PX,
  listWindow,
  lowerBound,
  maxScrollTop,
  moveActive,
  scrollTopForVirtual,
  spacerHeightFor,
  virtualTopFor,
  virtualTopToShow,
} from './tracelist-window';

describe('spacer', () => {
  test('is rows × height up to the cap', () => {
    expect(spacerHeightFor(0, 20)).toBe(0);
    expect(spacerHeightFor(100, 20)).toBe(2000);
    expect(spacerHeightFor(400_000, 20)).toBe(8_000_000);
    expect(spacerHeightFor(1_000_000, 20)).toBe(MAX_SPACER_PX);
    expect(spacerHeightFor(1_000_000, 20, 1000)).toBe(1000);
    expect(maxScrollTop(2000, 300)).toBe(1700);
    expect(maxScrollTop(100, 300)).toBe(0);
  });
});

describe('unscaled window', () => {
  test('rows under the viewport, with overscan clamped to the list', () => {
    expect(listWindow({ count: 100, rowHeight: 20, viewportHeight: 200, scrollTop: 0 })).toEqual({
      spacerHeight: 2000,
      scale: 1,
      virtualTop: 0,
      first: 0,
      end: 10,
      top: 0,
      pageRows: 10,
    });
    expect(listWindow({ count: 100, rowHeight: 20, viewportHeight: 200, scrollTop: 510, overscan: 3 })).toEqual({
      spacerHeight: 2000,
      scale: 1,
      virtualTop: 510,
      first: 22,
      end: 39,
      top: 440,
      pageRows: 10,
    });
  });

  test('scrollTop beyond the range is clamped; the last rows show', () => {
    const w = listWindow({ count: 100, rowHeight: 20, viewportHeight: 200, scrollTop: 99_999, overscan: 2 });
    expect(w).toEqual({ spacerHeight: 2000, scale: 1, virtualTop: 1800, first: 88, end: 100, top: 1760, pageRows: 10 });
  });

  test('fewer rows than fit', () => {
    expect(listWindow({ count: 3, rowHeight: 20, viewportHeight: 200, scrollTop: 0, overscan: 5 })).toEqual({
      spacerHeight: 60,
      scale: 1,
      virtualTop: 0,
      first: 0,
      end: 3,
      top: 0,
      pageRows: 10,
    });
  });

  test('an empty list', () => {
    expect(listWindow({ count: 0, rowHeight: 20, viewportHeight: 200, scrollTop: 0, overscan: 5 })).toEqual({
      spacerHeight: 0,
      scale: 1,
      virtualTop: 0,
      first: 0,
      end: 0,
      top: 0,
      pageRows: 10,
    });
  });
});

describe('scaled window (a million rows)', () => {
  // 1e6 rows × 20 px = 20M px of content in an 8M px spacer, viewport 200 px.
  const base = { count: 1_000_000, rowHeight: 20, viewportHeight: 200 };
  const scrollRange = 8_000_000 - 200;
  const contentRange = 20_000_000 - 200;

  test('the top is row 0 and the bottom is the last row', () => {
    const top = listWindow({ ...base, scrollTop: 0 });
    expect(top.spacerHeight).toBe(8_000_000);
    expect(top.scale).toBe(contentRange / scrollRange);
    expect([top.first, top.end, top.top]).toEqual([0, 10, 0]);
    const bottom = listWindow({ ...base, scrollTop: scrollRange });
    expect(bottom.virtualTop).toBe(contentRange);
    expect([bottom.first, bottom.end]).toEqual([999_990, 1_000_000]);
    // Row first sits exactly at the top of the viewport: scrollTop + (first × 20 − virtualTop).
    expect(bottom.top).toBe(scrollRange);
  });

  test('the middle maps linearly, and rows are placed relative to scrollTop', () => {
    const w = listWindow({ ...base, scrollTop: scrollRange / 2 });
    expect(w.virtualTop).toBe(contentRange / 2);
    expect(w.first).toBe(Math.floor(contentRange / 2 / 20));
    expect(w.first).toBe(499_995);
    expect(w.top).toBe(scrollRange / 2 + (499_995 * 20 - contentRange / 2));
    expect(w.top).toBe(3_999_900);
  });

  test('scrollTop and virtual offsets round-trip', () => {
    expect(virtualTopFor(scrollRange, 1_000_000, 20, 200)).toBe(contentRange);
    expect(scrollTopForVirtual(contentRange, 1_000_000, 20, 200)).toBe(scrollRange);
    expect(scrollTopForVirtual(20 * 500_000, 1_000_000, 20, 200)).toBeCloseTo((20 * 500_000 * scrollRange) / contentRange, 6);
    expect(virtualTopFor(scrollTopForVirtual(12_345_678, 1_000_000, 20, 200), 1_000_000, 20, 200)).toBeCloseTo(12_345_678, 3);
    // Out of range on both sides.
    expect(scrollTopForVirtual(-5, 1_000_000, 20, 200)).toBe(0);
    expect(scrollTopForVirtual(Number.MAX_SAFE_INTEGER, 1_000_000, 20, 200)).toBe(scrollRange);
    // Unscaled lists map one to one.
    expect(scrollTopForVirtual(700, 100, 20, 200)).toBe(700);
    expect(virtualTopFor(700, 100, 20, 200)).toBe(700);
  });

  test('an exact virtual offset overrides the rounded scrollTop', () => {
    const st = Math.round(scrollTopForVirtual(20 * 123_456, 1_000_000, 20, 200));
    const w = listWindow({ ...base, scrollTop: st, virtualTop: 20 * 123_456 });
    expect(w.first).toBe(123_456);
    expect(w.top).toBe(st);
  });
});

describe('showing a row', () => {
  test('nearest edge, unchanged when visible, centred on request', () => {
    expect(virtualTopToShow(5, 0, 100, 20, 200)).toBe(0);
    expect(virtualTopToShow(10, 0, 100, 20, 200)).toBe(20);
    expect(virtualTopToShow(3, 200, 100, 20, 200)).toBe(60);
    expect(virtualTopToShow(50, 0, 100, 20, 200, 'center')).toBe(910);
    expect(virtualTopToShow(0, 500, 100, 20, 200, 'center')).toBe(0);
    expect(virtualTopToShow(99, 0, 100, 20, 200, 'center')).toBe(1800);
  });
});

describe('keyboard', () => {
  test('moves the active row and clamps', () => {
    expect(moveActive('ArrowDown', -1, 50, 10, 7)).toBe(7);
    expect(moveActive('ArrowDown', 3, 50, 10, 0)).toBe(4);
    expect(moveActive('ArrowDown', 49, 50, 10, 0)).toBe(49);
    expect(moveActive('ArrowUp', 0, 50, 10, 0)).toBe(0);
    expect(moveActive('ArrowUp', 8, 50, 10, 0)).toBe(7);
    expect(moveActive('PageDown', 3, 50, 10, 0)).toBe(12);
    expect(moveActive('PageDown', 45, 50, 10, 0)).toBe(49);
    expect(moveActive('PageUp', 12, 50, 10, 0)).toBe(3);
    expect(moveActive('PageUp', 5, 50, 10, 0)).toBe(0);
    expect(moveActive('Home', 20, 50, 10, 0)).toBe(0);
    expect(moveActive('End', 20, 50, 10, 0)).toBe(49);
    expect(moveActive('x', 20, 50, 10, 0)).toBeNull();
    expect(moveActive('ArrowDown', -1, 0, 10, 0)).toBeNull();
  });
});

test('lowerBound over the used part of a column', () => {
  const col = new Float64Array([2, 4, 4, 9, 0, 0]);
  expect(lowerBound(col, 4, 1)).toBe(0);
  expect(lowerBound(col, 4, 4)).toBe(1);
  expect(lowerBound(col, 4, 5)).toBe(3);
  expect(lowerBound(col, 4, 10)).toBe(4);
  expect(lowerBound(col, 0, 10)).toBe(0);
});
