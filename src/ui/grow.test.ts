import { describe, expect, test } from 'vitest';
import { Grow } from './grow';

describe('Grow', () => {
  test('keeps every value across doublings, in order', () => {
    const g = new Grow((n) => new Float64Array(n), 2);
    for (let i = 0; i < 100; i++) g.push(i * 1.5);
    expect(g.length).toBe(100);
    expect(g.data.length).toBe(128);
    expect(Array.from(g.data.subarray(0, g.length))).toEqual(Array.from({ length: 100 }, (_, i) => i * 1.5));
  });

  test('clear empties it but keeps the storage for reuse', () => {
    const g = new Grow((n) => new Uint8Array(n), 4);
    for (let i = 0; i < 9; i++) g.push(i);
    const storage = g.data;
    g.clear();
    expect(g.length).toBe(0);
    g.push(7);
    expect(g.data).toBe(storage);
    expect(g.data[0]).toBe(7);
  });

  test('dropFront keeps the rest in order, and dropping everything empties it', () => {
    const g = new Grow((n) => new Int32Array(n), 4);
    for (let i = 0; i < 10; i++) g.push(i);
    g.dropFront(3);
    expect(Array.from(g.data.subarray(0, g.length))).toEqual([3, 4, 5, 6, 7, 8, 9]);
    g.dropFront(0);
    expect(g.length).toBe(7);
    g.dropFront(99);
    expect(g.length).toBe(0);
  });
});
