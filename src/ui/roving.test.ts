import { describe, expect, it } from 'vitest';
import { nextIndex, PAGE_STEP } from './roving';

describe('roving focus keys', () => {
  it('moves one row with the arrows, stopping at the ends of a grid', () => {
    expect(nextIndex('ArrowDown', 0, 5)).toBe(1);
    expect(nextIndex('ArrowDown', 4, 5)).toBe(4);
    expect(nextIndex('ArrowUp', 0, 5)).toBe(0);
    expect(nextIndex('ArrowUp', 3, 5)).toBe(2);
  });
  it('wraps around in a menu', () => {
    expect(nextIndex('ArrowDown', 2, 3, true)).toBe(0);
    expect(nextIndex('ArrowUp', 0, 3, true)).toBe(2);
  });
  it('jumps to the first and last item with Home and End', () => {
    expect(nextIndex('Home', 7, 9)).toBe(0);
    expect(nextIndex('End', 0, 9)).toBe(8);
  });
  it('pages by PAGE_STEP rows in a grid, clamped', () => {
    expect(nextIndex('PageDown', 0, 100)).toBe(PAGE_STEP);
    expect(nextIndex('PageDown', 95, 100)).toBe(99);
    expect(nextIndex('PageUp', 5, 100)).toBe(0);
    expect(nextIndex('PageDown', 0, 3, true)).toBeNull();
  });
  it('ignores other keys and empty groups', () => {
    expect(nextIndex('a', 0, 3)).toBeNull();
    expect(nextIndex('Enter', 0, 3)).toBeNull();
    expect(nextIndex('ArrowDown', 0, 0)).toBeNull();
  });
});
