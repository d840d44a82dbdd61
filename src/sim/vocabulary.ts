/**
 * A closed set of numeric codes, each with one name, declared once. Trace
 * fields, exports, the worker protocol and the UI carry the codes; people read
 * the names. Both directions derive from the single declaration, so a code and
 * its name can never drift apart in two tables.
 */
export interface Vocabulary<N extends string> {
  /** name -> code, as declared. */
  readonly code: { readonly [K in N]: number };
  /** Every name, in declaration order. */
  readonly names: readonly N[];
  /** code -> name, for indexing with a code read from the trace. */
  readonly byCode: Readonly<Record<number, N>>;
  /** The name of a code, or undefined for a code outside the set. */
  name(code: number): N | undefined;
  /** The code of a name, or undefined for any other string (never a prototype key such as "constructor"). */
  codeOf(name: string): number | undefined;
}

/** A vocabulary whose names are the keys as declared: `vocabulary({ none: 0, 'edge-rising': 1 })`. */
export function vocabulary<const T extends Record<string, number>>(codes: T): Vocabulary<Extract<keyof T, string>> {
  type N = Extract<keyof T, string>;
  const names = Object.keys(codes) as N[];
  const byCode: Record<number, N> = Object.create(null) as Record<number, N>;
  const byName = new Map<string, number>();
  for (const n of names) {
    const c = codes[n] as number;
    if (c in byCode) throw new Error(`vocabulary: code ${c} is declared twice`);
    byCode[c] = n;
    byName.set(n, c);
  }
  return {
    code: codes as { readonly [K in N]: number },
    names,
    byCode,
    name: (code) => byCode[code],
    codeOf: (name) => byName.get(name),
  };
}

/**
 * The vocabulary of a constants object written for code (`{ UpdatePending: 8 }`),
 * its names derived from the keys in the style people read them in:
 * `kebab` (update-pending), `snake` (update_pending, as Linux spells its flags).
 */
export function namesOf<const T extends Record<string, number>>(constants: T, style: 'kebab' | 'snake'): Vocabulary<string> {
  const sep = style === 'kebab' ? '-' : '_';
  const named: Record<string, number> = {};
  for (const [k, c] of Object.entries(constants)) named[k.replace(/(?<=[a-z0-9])([A-Z])/g, `${sep}$1`).toLowerCase()] = c;
  return vocabulary(named);
}
