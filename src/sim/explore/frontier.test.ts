import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Frontier } from './frontier';
import { packSchedules } from '../testing/explore';
import type { Schedule } from './recorder';

describe('the compact breadth-first frontier', () => {
  it('spells out each entry as its parent schedule plus one deviation (fast-check against arrays of pairs)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2_000_000_000 })), { maxLength: 200 }), (pushes) => {
        const f = new Frontier();
        const ref: Schedule[] = [[]];
        for (const [p, dj, v] of pushes) {
          const k = p % ref.length;
          const parent = ref[k] as Schedule;
          const j = (parent.length > 0 ? (parent[parent.length - 1] as readonly [number, number])[0] : -1) + 1 + dj;
          f.push(k, j, v);
          ref.push([...parent, [j, v]]);
        }
        expect(f.length).toBe(ref.length);
        ref.forEach((s, k) => {
          expect(f.schedule(k)).toEqual(s);
          expect(f.depth(k)).toBe(s.length);
          expect(f.lastChoice(k)).toBe(s.length > 0 ? (s[s.length - 1] as readonly [number, number])[0] : -1);
        });
        // Any run of entries packed for a worker, straight from the links, as the arrays pack.
        const a = pushes.length > 0 ? (pushes[0] as [number, number, number])[0] % ref.length : 0;
        const b = a + ((pushes.length * 7) % (ref.length - a + 1));
        expect(f.pack(a, b)).toEqual(packSchedules(ref.slice(a, b)));
      }),
      { numRuns: 200 },
    );
  });
});
