import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';

function drain(q: EventQueue): Array<[number, number, number, number, number]> {
  const out: Array<[number, number, number, number, number]> = [];
  while (q.pop()) out.push([q.time, q.kind, q.a, q.b, q.c]);
  return out;
}

describe('EventQueue', () => {
  it('is empty at first: size 0, peekTime Infinity, pop false', () => {
    const q = new EventQueue();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBe(false);
  });

  it('pops in time order, carrying kind and arguments', () => {
    const q = new EventQueue();
    q.push(30, 3, 300, 301, 302);
    q.push(10, 1, 100, 101, 102);
    q.push(20, 2, 200, 201, 202);
    expect(q.size).toBe(3);
    expect(q.peekTime()).toBe(10);
    expect(drain(q)).toEqual([
      [10, 1, 100, 101, 102],
      [20, 2, 200, 201, 202],
      [30, 3, 300, 301, 302],
    ]);
    expect(q.size).toBe(0);
  });

  it('pops events at the same time in insertion order', () => {
    const q = new EventQueue();
    for (let i = 0; i < 20; i++) q.push(i % 2 === 0 ? 5 : 1, 0, i);
    expect(drain(q).map((e) => e[2])).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  });

  it('grows past its initial capacity without losing or reordering events', () => {
    const q = new EventQueue(1);
    for (let i = 0; i < 100; i++) q.push(100 - i, i % 256, -i, i * 2, 7);
    expect(q.size).toBe(100);
    const out = drain(q);
    expect(out.map((e) => e[0])).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(out[0]).toEqual([1, 99, -99, 198, 7]);
  });

  it('keeps the fields of the last popped event when pop finds the queue empty', () => {
    const q = new EventQueue();
    q.push(7, 4, 1, 2, 3);
    q.pop();
    expect(q.pop()).toBe(false);
    expect([q.time, q.kind, q.a, q.b, q.c]).toEqual([7, 4, 1, 2, 3]);
  });

  it('clear empties it, and later ties still follow insertion order', () => {
    const q = new EventQueue();
    q.push(1, 0, 1);
    q.push(2, 0, 2);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
    q.push(9, 0, 'a'.charCodeAt(0));
    q.push(9, 0, 'b'.charCodeAt(0));
    expect(drain(q).map((e) => e[2])).toEqual([97, 98]);
  });
});
