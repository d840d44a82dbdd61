import { describe, expect, test, vi } from 'vitest';
import { TK, sequenceOf, type TraceEvent } from '../sim/index';
import { currentMessage, markCurrent } from './follow-current';
import { live, onFrame } from './live';

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

describe('the current event, mapped by a part loaded on first use', () => {
  test('answers null while the mapping loads, then repaints every panel once, then maps the event', async () => {
    // A ring kick on the requestq: the sequence chart's arrow from the driver to the device.
    const e: TraceEvent = { seq: 7, t: 1500, kind: TK.RingKick, line: -1, a: 0, b: 3, c: 0 };
    const get = vi.spyOn(live.trace, 'get').mockImplementation((seq) => (seq === e.seq ? e : null));
    let repaints = 0;
    const off = onFrame(() => repaints++);
    try {
      live.follow.current = -1;
      expect(currentMessage()).toBeNull(); // nothing current: nothing loads
      live.follow.current = e.seq;
      expect(currentMessage()).toBeNull(); // the first use asks for the mapping
      await vi.waitFor(() => expect(repaints).toBe(1));
      expect(currentMessage()).toEqual(sequenceOf(e));
      expect(currentMessage()?.t).toBe(1500);
      expect(repaints).toBe(1);
    } finally {
      off();
      get.mockRestore();
      live.follow.current = -1;
    }
  });
});
