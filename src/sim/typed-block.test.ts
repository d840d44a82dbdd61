import { describe, expect, it } from 'vitest';
import { TableBuffers, TypedBlock } from './typed-block';

describe('typed arrays carved from one block', () => {
  it('gives zeroed arrays of the asked length that never share a byte', () => {
    const b = new TypedBlock(5, 5);
    const arrays = [b.u8(), b.u16(), b.i32(), b.u32(), b.f64()];
    for (const a of arrays) {
      expect(a.length).toBe(5);
      expect([...a]).toEqual([0, 0, 0, 0, 0]);
      expect(a.byteOffset % 8).toBe(0);
    }
    // Fill each with its own mark: no array sees another's.
    arrays.forEach((a, k) => a.fill(k + 1));
    arrays.forEach((a, k) => expect([...a]).toEqual([k + 1, k + 1, k + 1, k + 1, k + 1]));
  });

  it('refuses to hand out more arrays than it was made for', () => {
    const b = new TypedBlock(3, 2);
    b.f64();
    b.f64();
    expect(() => b.u8()).toThrow(RangeError);
  });

  it('takes its bytes from a TableBuffers, which hands the same buffers back zeroed after a rewind, and new ones for a new size', () => {
    const t = new TableBuffers();
    const a = new TypedBlock(4, 2, t);
    const x = a.f64();
    x.fill(7);
    const y = t.take(16);
    new Uint8Array(y).fill(9);
    t.rewind();
    const b = new TypedBlock(4, 2, t);
    const x2 = b.f64();
    expect(x2.buffer).toBe(x.buffer);
    expect([...x2]).toEqual([0, 0, 0, 0]);
    const y2 = t.take(16);
    expect(y2).toBe(y);
    expect([...new Uint8Array(y2)]).toEqual(new Array(16).fill(0));
    // A different size at the same place, or one more take, is a new buffer.
    t.rewind();
    expect(t.take(32)).not.toBe(x.buffer);
    expect(t.take(16)).toBe(y);
    expect(t.take(8).byteLength).toBe(8);
  });
});
