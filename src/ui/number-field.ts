/**
 * Checks what a person typed into a whole-number setting (a latency in ns, the
 * seed) before it is applied: the field shows either the value in use or an
 * error that says why the text is not used, never a silently different value.
 */
export type FieldCheck = { ok: true; value: number } | { ok: false; error: string };

export interface FieldRule {
  /** The setting's name, as the error names it. */
  name: string;
  min: number;
  max: number;
}

/** The seed is a 32-bit unsigned integer (src/sim/scenario/schema.ts, `seed`). */
export const SEED_RULE: Omit<FieldRule, 'name'> = { min: 0, max: 0xffffffff };
/** A latency is a duration of at most one simulated hour (schema.ts, MAX_DURATION_NS). */
export const LATENCY_RULE: Omit<FieldRule, 'name'> = { min: 0, max: 3_600_000_000_000 };

export function checkWholeNumber(text: string, rule: FieldRule): FieldCheck {
  const t = text.trim();
  if (t === '') return { ok: false, error: `${rule.name}: enter a whole number` };
  // Digits only (an optional minus, to name the problem): no "1e3", "0x10", "1.5" or "12abc".
  if (!/^-?\d+$/.test(t)) return { ok: false, error: `${rule.name}: "${t.slice(0, 24)}" is not a whole number` };
  const value = Number(t);
  if (value < rule.min) return { ok: false, error: `${rule.name} must be ${rule.min} or more` };
  if (value > rule.max || !Number.isSafeInteger(value)) return { ok: false, error: `${rule.name} must be at most ${rule.max}` };
  return { ok: true, value };
}
