import { describe, expect, test } from 'vitest';
import { markCurrent } from './follow-current';

/** Elements as markCurrent sees them: only their dataset. */
const els = (n: number): HTMLElement[] => Array.from({ length: n }, () => ({ dataset: {} as DOMStringMap }) as HTMLElement);
const marked = (list: HTMLElement[]): number[] => list.flatMap((e, i) => (e.dataset['current'] === '1' ? [i] : []));

describe('the current-event mark the panels share', () => {
  test('marks exactly the elements the predicate picks, and moves with it', () => {
    const rows = els(4);
    expect(markCurrent(rows, (i) => i === 2)).toBe(true);
    expect(marked(rows)).toEqual([2]);
    expect(markCurrent(rows, (i) => i === 2)).toBe(false); // nothing to write when it did not move
    expect(markCurrent(rows, (i) => i === 0)).toBe(true);
    expect(marked(rows)).toEqual([0]);
    expect(markCurrent(rows, () => false)).toBe(true);
    expect(marked(rows)).toEqual([]);
  });

  test('rows not rendered (null) are skipped', () => {
    const rows: (HTMLElement | null)[] = [null, ...els(2)];
    markCurrent(rows, (i) => i <= 1);
    expect((rows[1] as HTMLElement).dataset['current']).toBe('1');
  });
});
