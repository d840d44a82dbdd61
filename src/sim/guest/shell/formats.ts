/**
 * Number, time and error texts the shell's tools share: libgpiod's
 * parse_uint() and parse_period(), print_event_time()'s formats, strerror(),
 * and the bias and line-value words.
 */
import { formatSecNs } from '../../clock/time';

/** One simulated hour: the longest wait or run a command accepts. */
export const MAX_WAIT_NS = 3_600_000_000_000;

const STRERROR: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  4: 'Interrupted system call',
  5: 'Input/output error',
  6: 'No such device or address',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  16: 'Device or resource busy',
  19: 'No such device',
  22: 'Invalid argument',
  28: 'No space left on device',
  95: 'Operation not supported',
  110: 'Connection timed out',
};

/** strerror() of a (negative or positive) errno. */
export function strerror(errno: number): string {
  const e = Math.abs(errno);
  return STRERROR[e] ?? `Unknown error ${e}`;
}
/** unsigned long on the LP64 Linux guests the tools run on. */
const ULONG_MAX = (1n << 64n) - 1n;
const INT_MAX = 0x7fffffffn;

/**
 * parse_uint() of libgpiod's tools-common.c: strtoul(s, &end, 10), accepted
 * when it consumed the whole string and the value is at most INT_MAX; else -1.
 * strtoul skips leading blanks, takes one sign (a '-' negates modulo 2^64),
 * saturates at ULONG_MAX, and with no digits consumes nothing: so "" is 0,
 * " 3" and "+3" are 3, and "3 " is not a number.
 */
export function parseUint(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)$/.exec(s);
  if (!m) return -1;
  const digits = m[2] as string;
  if (digits === '') return s === '' ? 0 : -1; // strtoul consumed nothing: end == start
  let v = BigInt(digits);
  if (v > ULONG_MAX) return -1; // ERANGE: ULONG_MAX, above INT_MAX
  if (m[1] === '-') v = (ULONG_MAX + 1n - v) & ULONG_MAX;
  return v <= INT_MAX ? Number(v) : -1;
}

/**
 * parse_period(): an integer with an optional unit (us, ms, s, or m for
 * minutes; milliseconds without one), in nanoseconds here; -1 when invalid.
 * Like the original, text after a complete unit is ignored.
 */
/** A period option's value as the tools accept it: parsed like parsePeriodNs, at most MAX_WAIT_NS; -1 otherwise. */
export function periodArg(s: string): number {
  const p = parsePeriodNs(s);
  return p > MAX_WAIT_NS ? -1 : p;
}

export function parsePeriodNs(s: string): number {
  // strtoull: blanks, a sign, digits; with no digits nothing is consumed (the unit check sees the start).
  const m = /^([ \t\n\v\f\r]*([+-]?))(\d+)/.exec(s);
  const p = m ? Number(m[3]) : 0;
  const rest = m ? s.slice(m[0].length) : s;
  let us: number;
  const c = rest[0];
  if (c === undefined) us = 1000;
  else if (c === 'u') {
    if (rest[1] !== 's') return -1;
    us = 1;
  } else if (c === 'm') {
    if (rest.length === 1) us = 60_000_000;
    else if (rest[1] === 's') us = 1000;
    else return -1;
  } else if (c === 's') us = 1_000_000;
  else return -1;
  if (m && m[2] === '-' && p !== 0) return -1; // negated into a huge unsigned value: out of range
  const ns = p * us * 1000;
  return Number.isSafeInteger(ns) ? ns : -1;
}


/**
 * A timestamp as an ISO date, for gpiomon's realtime clock. The simulated
 * guest boots at the Unix epoch and runs in UTC, so realtime is simulated
 * time since 1970-01-01T00:00:00Z and local time equals UTC.
 */
export function formatIsoNs(ns: number, utc: boolean): string {
  const sec = Math.floor(ns / 1e9);
  const frac = ns - sec * 1e9;
  const days = Math.floor(sec / 86400);
  let rem = sec - days * 86400;
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mi = Math.floor(rem / 60);
  const ss = rem - mi * 60;
  // Civil date from a day count (proleptic Gregorian, 400-year eras).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p2 = (v: number): string => String(v).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}T${p2(hh)}:${p2(mi)}:${p2(ss)}.${String(frac).padStart(9, '0')}${utc ? 'Z' : ''}`;
}

/** print_event_time(): 0 raw seconds, 1 UTC, 2 local time. */
export function eventTime(ns: number, format: number): string {
  return format === 0 ? formatSecNs(ns) : formatIsoNs(ns, format === 1);
}

/** A --bias value: pull-up, pull-down or disabled; null otherwise. */
export function parseBias(s: string): string | null {
  return s === 'pull-up' || s === 'pull-down' || s === 'disabled' ? s : null;
}

/** gpioset values: 1/0, active/inactive, on/off, true/false; -1 otherwise. */
export function parseLineValue(s: string): number {
  if (s === '1' || s === 'active' || s === 'on' || s === 'true') return 1;
  if (s === '0' || s === 'inactive' || s === 'off' || s === 'false') return 0;
  return -1;
}

