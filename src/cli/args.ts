/**
 * A small, strict command-line parser: every flag must be declared, a flag
 * that takes a value takes exactly one (`--vcd out.vcd` or `--vcd=out.vcd`),
 * and anything unexpected is a usage error (exit 2), never ignored.
 */

export interface FlagSpec {
  /** Flags that take a value. */
  values: readonly string[];
  /** Flags that are on or off. */
  switches: readonly string[];
  /** How many positional arguments: [min, max]. */
  positional: [number, number];
  /** Flags that take a value and may be given more than once (collected in order in `multi`). */
  repeatable?: readonly string[];
}

export interface ParsedArgs {
  positional: string[];
  values: Map<string, string>;
  switches: Set<string>;
  /** Values of repeatable flags, in the order given. */
  multi: Map<string, string[]>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], values: new Map(), switches: new Set(), multi: new Map() };
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (flagsDone || !arg.startsWith('-') || arg === '-') {
      out.positional.push(arg);
      continue;
    }
    if (arg === '--') {
      flagsDone = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (spec.switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      out.switches.add(name);
    } else if (spec.values.includes(name) || spec.repeatable?.includes(name)) {
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined || value === '') throw new UsageError(`${name} needs a value`);
      if (spec.repeatable?.includes(name)) {
        out.multi.set(name, [...(out.multi.get(name) ?? []), value]);
        continue;
      }
      if (out.values.has(name)) throw new UsageError(`${name} is given twice`);
      out.values.set(name, value);
    } else {
      throw new UsageError(`unknown option ${name}`);
    }
  }
  const [min, max] = spec.positional;
  if (out.positional.length < min) throw new UsageError(min === 1 ? 'missing argument' : `expected at least ${min} arguments`);
  if (out.positional.length > max) throw new UsageError(`unexpected argument ${JSON.stringify(out.positional[max])}`);
  return out;
}

/** A whole number in [min, max], or a usage error naming the flag. */
export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const text = args.values.get(name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} expects a whole number, got ${JSON.stringify(text)}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${name} must be from ${min} to ${max}, got ${text}`);
  return n;
}

/** One of a fixed set of words, or a usage error. */
export function choiceFlag<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const text = args.values.get(name);
  if (text === undefined) return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${name} expects ${choices.join(' or ')}, got ${JSON.stringify(text)}`);
  return text as T;
}
