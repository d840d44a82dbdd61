import { expect, test } from 'vitest';
import { compactCount } from './count-format';

test('counters fit in four characters and never read higher than they are', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [999, '999'],
    [1000, '1k'],
    [1099, '1k'],
    [1250, '1.2k'],
    [9999, '9.9k'],
    [18_100, '18k'],
    [181_999, '181k'],
    [999_999, '999k'],
    [1_000_000, '1M'],
    [1_290_000, '1.2M'],
    [12_345_678, '12M'],
    [4_294_967_295, '4294M'],
  ];
  for (const [n, s] of cases) expect(compactCount(n)).toBe(s);
  for (const [n] of cases.slice(0, -1)) expect(compactCount(n).length).toBeLessThanOrEqual(4);
});
