import { describe, expect, it } from 'vitest';
import { TypedBlock } from './typed-block';

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
});
