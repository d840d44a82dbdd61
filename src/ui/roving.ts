/**
 * Keyboard movement through a list of items with one Tab stop (a "roving"
 * focus, as in a grid or a menu): the arrow keys, Home, End, PageUp and
 * PageDown pick the next item. Pure, so the rules are tested without a DOM.
 */

/** Items a PageUp / PageDown moves by. */
export const PAGE_STEP = 10;

/**
 * The index `key` moves to from `i` among `n` items, or null when the key does
 * not move. `wrap`: ArrowDown on the last item goes to the first (menus), else
 * it stays (grids).
 */
export function nextIndex(key: string, i: number, n: number, wrap = false): number | null {
  if (n <= 0) return null;
  const clamp = (j: number): number => Math.min(n - 1, Math.max(0, j));
  switch (key) {
    case 'ArrowDown':
      return wrap ? (i + 1) % n : clamp(i + 1);
    case 'ArrowUp':
      return wrap ? (i - 1 + n) % n : clamp(i - 1);
    case 'Home':
      return 0;
    case 'End':
      return n - 1;
    case 'PageDown':
      return wrap ? null : clamp(i + PAGE_STEP);
    case 'PageUp':
      return wrap ? null : clamp(i - PAGE_STEP);
    default:
      return null;
  }
}

/**
 * Moves the focus among `items` (the elements of one roving group) for a key
 * press on one of them: the new item gets tabindex 0 (the group's one Tab
 * stop), the others -1. Returns whether the key was used.
 */
export function moveFocus(items: readonly HTMLElement[], from: HTMLElement, key: string, wrap = false): boolean {
  const i = items.indexOf(from);
  if (i < 0) return false;
  const j = nextIndex(key, i, items.length, wrap);
  if (j === null) return false;
  const to = items[j] as HTMLElement;
  for (const el of items) el.tabIndex = el === to ? 0 : -1;
  to.focus();
  return true;
}
