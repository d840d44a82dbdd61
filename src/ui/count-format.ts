/**
 * A counter in at most four characters, for the narrow counter columns of the
 * lines board: exact below 1000, then 1.2k / 18k / 181k / 1.2M / 12M. The
 * exact figure goes in the cell's title.
 */
export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${trim1(n / 1000)}k`;
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  if (n < 10_000_000) return `${trim1(n / 1_000_000)}M`;
  return `${Math.floor(n / 1_000_000)}M`;
}

/** One decimal, rounded down (a count never reads higher than it is), without a trailing ".0". */
function trim1(x: number): string {
  const s = (Math.floor(x * 10) / 10).toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
