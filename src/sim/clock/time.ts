/**
 * Simulated time is an integer count of nanoseconds held in a JS number
 * (exact up to 2^53 ns, about 104 days). Durations in scenario files may be
 * written with a unit; they are parsed exactly, without floating-point rounding.
 */
export type Ns = number;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1_000, ms: 1_000_000, s: 1_000_000_000 };

const DURATION_RE = /^(\d{1,15})(?:\.(\d{1,9}))?\s*(ns|us|ms|s)$/;

/** Parses `"250us"`, `"1.5ms"` or a plain integer of nanoseconds. Returns null if malformed. */
export function parseDuration(input: string | number): Ns | null {
  if (typeof input === 'number') {
    return Number.isSafeInteger(input) && input >= 0 ? input : null;
  }
  const m = DURATION_RE.exec(input.trim());
  if (!m) return null;
  const [, whole, frac = '', unit] = m;
  const scale = UNIT_NS[unit as string] as number;
  // Exact decimal scaling: the fraction must resolve to whole nanoseconds.
  const fracDigits = frac.length;
  const scaleDigits = Math.round(Math.log10(scale));
  if (fracDigits > scaleDigits && /[1-9]/.test(frac.slice(scaleDigits))) return null;
  const fracNs = fracDigits === 0 ? 0 : Number(frac.slice(0, scaleDigits).padEnd(scaleDigits, '0'));
  const ns = Number(whole) * scale + fracNs;
  return Number.isSafeInteger(ns) ? ns : null;
}

/** Human-readable duration with the largest unit that keeps it short: `1.5 ms`, `250 us`, `40 ns`. */
export function formatNs(ns: Ns): string {
  if (ns === 0) return '0 ns';
  const abs = Math.abs(ns);
  if (abs >= 1e9) return `${trim(ns / 1e9)} s`;
  if (abs >= 1e6) return `${trim(ns / 1e6)} ms`;
  if (abs >= 1e3) return `${trim(ns / 1e3)} us`;
  return `${ns} ns`;
}

function trim(x: number): string {
  return x.toFixed(3).replace(/\.?0+$/, '');
}

/** `sec.nnnnnnnnn`, the timestamp format gpiomon prints. */
export function formatSecNs(ns: Ns): string {
  const sec = Math.floor(ns / 1e9);
  const rem = ns - sec * 1e9;
  return `${sec}.${String(rem).padStart(9, '0')}`;
}

/** A latency drawn per occurrence from the seeded PRNG: uniform in [min, max] ns (min = max is fixed). */
export interface LatencyRange {
  min: Ns;
  max: Ns;
}
