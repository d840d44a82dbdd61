/**
 * parse_uint() as libgpiod v2.2.4's tools-common.c has it, checked against a
 * character-by-character model of glibc's strtoul on an LP64 guest.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseUint } from './formats';

const ULONG_MAX = (1n << 64n) - 1n;

/** strtoul(s, &end, 10) step by step: the value and how many characters it consumed. */
function strtoul(s: string): { value: bigint; end: number } {
  let i = 0;
  while (i < s.length && ' \t\n\v\f\r'.includes(s[i] as string)) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  let v = 0n;
  let overflow = false;
  while (i < s.length && (s[i] as string) >= '0' && (s[i] as string) <= '9') {
    v = v * 10n + BigInt(Number(s[i]));
    if (v > ULONG_MAX) overflow = true;
    i++;
  }
  if (i === start) return { value: 0n, end: 0 }; // no digits: nothing consumed
  if (overflow) return { value: ULONG_MAX, end: i };
  return { value: neg ? (ULONG_MAX + 1n - v) & ULONG_MAX : v, end: i };
}

/** parse_uint(): `*end == '\0' && o <= INT_MAX` ? o : -1. */
function model(s: string): number {
  const { value, end } = strtoul(s);
  return end === s.length && value <= 0x7fffffffn ? Number(value) : -1;
}

describe('parse_uint (tools-common.c)', () => {
  test('"" is 0, " 3" and "+3" are 3, "3 ", " ", "+" and "0x3" are not numbers', () => {
    expect(['', ' 3', '\t+3', '+3', '3 ', ' ', '+', '0x3', '-0', '-3'].map(parseUint)).toEqual([0, 3, 3, 3, -1, -1, -1, -1, 0, -1]);
  });

  test('INT_MAX is the largest; a negative wraps modulo 2^64 and a value past ULONG_MAX saturates', () => {
    expect(parseUint('2147483647')).toBe(2147483647);
    expect(parseUint('2147483648')).toBe(-1);
    expect(parseUint('4000000000')).toBe(-1);
    expect(parseUint('-18446744073709551615')).toBe(1); // 2^64 - (2^64 - 1)
    expect(parseUint('-18446744073709551616')).toBe(-1); // past ULONG_MAX: ERANGE
    expect(parseUint('000000000000000000000000000012')).toBe(12);
  });

  test('matches the strtoul model on any mix of blanks, signs and digits', () => {
    const ch = fc.constantFrom(' ', '\t', '+', '-', '0', '1', '2', '7', '9', 'x', '\n');
    const str = fc.array(ch, { maxLength: 24 }).map((a) => a.join(''));
    const near = fc.bigInt({ min: 0n, max: ULONG_MAX + 10n }).chain((v) => fc.constantFrom(`${v}`, `-${v}`, ` +${v}`, `${v} `));
    fc.assert(fc.property(fc.oneof(str, near), (s) => parseUint(s) === model(s)), { numRuns: 2000 });
  });
});
