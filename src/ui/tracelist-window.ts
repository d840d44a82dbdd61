/**
 * Window math for the virtualized trace list: which rows are visible for a
 * scroll position, where to draw them, and where to scroll to show a row.
 *
 * Rows have a fixed height. Browsers cap element heights (Firefox near 17.9M
 * px, Chromium near 33.5M), so when `count × rowHeight` passes `maxSpacer` the
 * spacer is capped and scroll positions map linearly onto the full content
 * ("virtual" pixels): the top of the scroll range is row 0, the bottom shows
 * the last row. Rows are then placed relative to the real scrollTop, so they
 * never drift, whatever the scale.
 */

/** Spacer cap: well under every browser's maximum element height. */
export const MAX_SPACER_PX = 8_000_000;

export interface WindowInput {
  /** Rows in the list. */
  count: number;
  rowHeight: number;
  /** Height of the scrolling viewport (clientHeight). */
  viewportHeight: number;
  /** The scroll container's scrollTop. */
  scrollTop: number;
  /** Extra rows drawn above and below the visible ones. */
  overscan?: number;
  maxSpacer?: number;
  /**
   * The exact virtual offset last scrolled to, when scrollTop is still the value
   * it was set to (scrollTop may be rounded to device pixels; with scaling, one
   * pixel is several virtual pixels).
   */
  virtualTop?: number;
}

export interface ListWindow {
  /** Height for the spacer element. */
  spacerHeight: number;
  /** Virtual pixels per scroll pixel (1 when nothing is capped). */
  scale: number;
  /** The virtual offset of the viewport's top edge (0 … count × rowHeight − viewport). */
  virtualTop: number;
  /** First row to draw (overscan included). */
  first: number;
  /** One past the last row to draw. */
  end: number;
  /** Where row `first` goes, in spacer coordinates. */
  top: number;
  /** Rows that fit in the viewport (at least 1). */
  pageRows: number;
}

export function spacerHeightFor(count: number, rowHeight: number, maxSpacer = MAX_SPACER_PX): number {
  return Math.min(Math.max(0, count) * rowHeight, maxSpacer);
}

/** Largest scrollTop the browser allows for a spacer of this height. */
export function maxScrollTop(spacerHeight: number, viewportHeight: number): number {
  return Math.max(0, spacerHeight - viewportHeight);
}

/** Virtual offset of the viewport for a scroll position. */
export function virtualTopFor(scrollTop: number, count: number, rowHeight: number, viewportHeight: number, maxSpacer = MAX_SPACER_PX): number {
  const content = Math.max(0, count) * rowHeight;
  const spacer = Math.min(content, maxSpacer);
  const scrollRange = maxScrollTop(spacer, viewportHeight);
  const contentRange = Math.max(0, content - viewportHeight);
  const st = Math.min(Math.max(0, scrollTop), scrollRange);
  if (content <= maxSpacer) return st;
  return scrollRange > 0 ? (st * contentRange) / scrollRange : 0;
}

/** The scrollTop that puts the viewport's top at this virtual offset. */
export function scrollTopForVirtual(virtualTop: number, count: number, rowHeight: number, viewportHeight: number, maxSpacer = MAX_SPACER_PX): number {
  const content = Math.max(0, count) * rowHeight;
  const spacer = Math.min(content, maxSpacer);
  const scrollRange = maxScrollTop(spacer, viewportHeight);
  const contentRange = Math.max(0, content - viewportHeight);
  const vt = Math.min(Math.max(0, virtualTop), contentRange);
  if (content <= maxSpacer) return vt;
  return contentRange > 0 ? (vt * scrollRange) / contentRange : 0;
}

export function listWindow(inp: WindowInput): ListWindow {
  const { count, rowHeight, viewportHeight } = inp;
  const overscan = inp.overscan ?? 0;
  const maxSpacer = inp.maxSpacer ?? MAX_SPACER_PX;
  const content = Math.max(0, count) * rowHeight;
  const spacerHeight = Math.min(content, maxSpacer);
  const scrollRange = maxScrollTop(spacerHeight, viewportHeight);
  const contentRange = Math.max(0, content - viewportHeight);
  const scrollTop = Math.min(Math.max(0, inp.scrollTop), scrollRange);
  const scale = content > maxSpacer && scrollRange > 0 ? contentRange / scrollRange : 1;
  let virtualTop = inp.virtualTop ?? virtualTopFor(scrollTop, count, rowHeight, viewportHeight, maxSpacer);
  virtualTop = Math.min(Math.max(0, virtualTop), contentRange);
  const pageRows = Math.max(1, Math.floor(viewportHeight / rowHeight));
  if (count <= 0) return { spacerHeight, scale, virtualTop: 0, first: 0, end: 0, top: 0, pageRows };
  const firstVisible = Math.min(count - 1, Math.floor(virtualTop / rowHeight));
  const endVisible = Math.min(count, Math.ceil((virtualTop + viewportHeight) / rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, Math.max(endVisible, firstVisible + 1) + overscan);
  const top = scrollTop + first * rowHeight - virtualTop;
  return { spacerHeight, scale, virtualTop, first, end, top, pageRows };
}

/**
 * The virtual offset that shows row `index`: unchanged if the row is already
 * fully visible, else the row aligned to the nearest edge (or centred).
 */
export function virtualTopToShow(
  index: number,
  currentVirtualTop: number,
  count: number,
  rowHeight: number,
  viewportHeight: number,
  align: 'nearest' | 'center' = 'nearest',
): number {
  const contentRange = Math.max(0, count * rowHeight - viewportHeight);
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  let vt = currentVirtualTop;
  if (align === 'center') vt = rowTop + rowHeight / 2 - viewportHeight / 2;
  else if (rowTop < currentVirtualTop) vt = rowTop;
  else if (rowBottom > currentVirtualTop + viewportHeight) vt = rowBottom - viewportHeight;
  return Math.min(Math.max(0, vt), contentRange);
}

/** Keyboard movement of the active row in a list of `count` rows (-1 = none yet). */
export function moveActive(key: string, active: number, count: number, pageRows: number, firstVisible: number): number | null {
  if (count <= 0) return null;
  const from = active < 0 || active >= count ? -1 : active;
  const step = Math.max(1, pageRows - 1);
  switch (key) {
    case 'ArrowDown':
      return from < 0 ? Math.min(count - 1, Math.max(0, firstVisible)) : Math.min(count - 1, from + 1);
    case 'ArrowUp':
      return from < 0 ? Math.min(count - 1, Math.max(0, firstVisible)) : Math.max(0, from - 1);
    case 'PageDown':
      return Math.min(count - 1, (from < 0 ? Math.max(0, firstVisible) : from) + step);
    case 'PageUp':
      return Math.max(0, (from < 0 ? Math.max(0, firstVisible) : from) - step);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** First index in a sorted numeric column (the first `length` entries of `data`) holding a value >= v. */
export function lowerBound(data: ArrayLike<number>, length: number, v: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((data[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
