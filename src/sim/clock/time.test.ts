import { describe, expect, it } from 'vitest';
import { formatNs, formatSecNs, parseDuration } from './time';

describe('parseDuration', () => {
  it.each([
    ['1.5ms', 1_500_000],
    ['250us', 250_000],
    ['10 us', 10_000],
    ['40ns', 40],
    ['2s', 2_000_000_000],
    ['0.000000001s', 1],
    ['1.000000000s', 1_000_000_000],
    ['0.5us', 500],
    ['1.5000ms', 1_500_000], // trailing zeros beyond the unit's precision are fine
    ['1.0ns', 1],
    ['0ns', 0],
    ['  3ms  ', 3_000_000],
    ['999999999999999ns', 999_999_999_999_999],
    ['9007199s', 9_007_199_000_000_000], // just under 2^53 ns
  ])('parses %j exactly as %i ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  it.each([
    ['1.0000000001s', 'finer than a nanosecond (and more than 9 fraction digits)'],
    ['1.5ns', 'half a nanosecond'],
    ['0.0000001ms', 'a tenth of a nanosecond'],
    ['1.0005us', 'half a nanosecond'],
    ['9007200s', 'beyond 2^53 ns'],
    ['', 'empty'],
    ['ms', 'no number'],
    ['1.5', 'no unit'],
    ['-1ms', 'negative'],
    ['1e3ns', 'exponent'],
    ['1,5ms', 'comma'],
    ['.5ms', 'no integer part'],
    ['1.ms', 'empty fraction'],
    ['1.5MS', 'unit is case-sensitive'],
    ['1.5 m', 'unknown unit'],
    ['1.5msx', 'trailing garbage'],
    ['0x10ns', 'hex'],
    ['1 000ns', 'digit grouping'],
    ['1234567890123456ns', 'more than 15 integer digits'],
  ])('rejects %j (%s)', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('accepts numbers only as safe non-negative integers of nanoseconds', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 53]) expect(parseDuration(bad)).toBeNull();
  });
});

describe('formatSecNs', () => {
  it.each([
    [0, '0.000000000'],
    [1, '0.000000001'],
    [999_999_999, '0.999999999'],
    [1_000_000_000, '1.000000000'],
    [1_500_000_000, '1.500000000'],
    [123_456_789_012, '123.456789012'],
    [8_999_999_999_999_999, '8999999.999999999'], // the seconds must not round up
    [Number.MAX_SAFE_INTEGER, '9007199.254740991'],
  ])('formats %i ns as %s', (ns, text) => {
    expect(formatSecNs(ns)).toBe(text);
  });
});

describe('formatNs', () => {
  it.each([
    [0, '0 ns'],
    [40, '40 ns'],
    [999, '999 ns'],
    [1_500, '1.5 us'],
    [250_000, '250 us'],
    [1_500_000, '1.5 ms'],
    [1_234_567, '1.235 ms'],
    [2_000_000_000, '2 s'],
    [-1_500, '-1.5 us'],
  ])('formats %i ns as %j', (ns, text) => {
    expect(formatNs(ns)).toBe(text);
  });
});
