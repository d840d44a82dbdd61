/**
 * Option parsing: getopt_long as glibc does it with a leading '+', and the
 * line tools' option tables, each built from one shared list of the options
 * libgpiod's tools have in common plus the tool's own.
 */

export interface LongOpt {
  name: string;
  arg: boolean;
  key: string;
}

export interface OptTable {
  /** getopt short-option string without the '+' ("c:hsv"). */
  short: string;
  long: LongOpt[];
}

export type OptItem = { key: string; arg: string } | { error: string };

/**
 * getopt_long as glibc does it with "+": options up to the first non-option
 * or "--", short clusters, attached or separate arguments, "--name=value",
 * unique prefixes of long names, and glibc's exact error messages. Returns
 * the options in order (an error item ends them) and the first operand index.
 */
export function getopt(prog: string, argv: string[], table: OptTable): { items: OptItem[]; optind: number } {
  const items: OptItem[] = [];
  let i = 0;
  const err = (msg: string): { items: OptItem[]; optind: number } => {
    items.push({ error: `${prog}: ${msg}` });
    return { items, optind: i };
  };
  while (i < argv.length) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    if (a[1] === '-') {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      let found = table.long.find((o) => o.name === name);
      if (!found) {
        const matches = table.long.filter((o) => o.name.startsWith(name));
        if (matches.length === 0) return err(`unrecognized option '--${body}'`);
        const first = matches[0] as LongOpt;
        if (matches.some((o) => o.arg !== first.arg || o.key !== first.key)) {
          return err(`option '--${body}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join('')}`);
        }
        found = first;
      }
      if (eq >= 0) {
        if (!found.arg) return err(`option '--${found.name}' doesn't allow an argument`);
        items.push({ key: found.key, arg: body.slice(eq + 1) });
      } else if (found.arg) {
        if (i + 1 >= argv.length) {
          i++;
          return err(`option '--${found.name}' requires an argument`);
        }
        items.push({ key: found.key, arg: argv[++i] as string });
      } else {
        items.push({ key: found.key, arg: '' });
      }
      i++;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      const at = c === ':' ? -1 : table.short.indexOf(c);
      if (at < 0) {
        i++;
        return err(`invalid option -- '${c}'`);
      }
      if (table.short[at + 1] === ':') {
        if (j + 1 < a.length) {
          items.push({ key: c, arg: a.slice(j + 1) });
        } else if (i + 1 < argv.length) {
          items.push({ key: c, arg: argv[++i] as string });
        } else {
          i++;
          return err(`option requires an argument -- '${c}'`);
        }
        break;
      }
      items.push({ key: c, arg: '' });
    }
    i++;
  }
  return { items, optind: i };
}

/** One option a tool takes: its getopt key, whether the key is also a short option (-k), its long names, its argument. */
export interface ToolOption {
  key: string;
  arg: boolean;
  /** The key is also the short option. */
  short: boolean;
  long: readonly string[];
}

/**
 * The options libgpiod's tools share, declared once: every tool that takes
 * one parses it the same way (see sharedOption() in tools/context.ts).
 */
export const SHARED_OPTIONS = {
  activeLow: { key: 'l', arg: false, short: true, long: ['active-low'] },
  bias: { key: 'b', arg: true, short: true, long: ['bias'] },
  byName: { key: 'B', arg: false, short: false, long: ['by-name'] },
  chip: { key: 'c', arg: true, short: true, long: ['chip'] },
  consumer: { key: 'C', arg: true, short: true, long: ['consumer'] },
  help: { key: 'h', arg: false, short: true, long: ['help'] },
  strict: { key: 's', arg: false, short: true, long: ['strict'] },
  unquoted: { key: 'Q', arg: false, short: false, long: ['unquoted'] },
  version: { key: 'v', arg: false, short: true, long: ['version'] },
} as const satisfies Record<string, ToolOption>;

export type SharedOption = keyof typeof SHARED_OPTIONS;

/** Every shared option: what the line-requesting tools (gpioget, gpioset, gpiomon) take. */
export const REQUEST_OPTIONS: readonly SharedOption[] = Object.keys(SHARED_OPTIONS) as SharedOption[];

/**
 * A tool's getopt table: the shared options it takes plus its own. Long names
 * are listed alphabetically, as libgpiod's tables list them; the order shows
 * only in the possibilities of an ambiguous-option error.
 */
export function toolOptions(shared: readonly SharedOption[], own: readonly ToolOption[] = []): OptTable {
  let short = '';
  const long: LongOpt[] = [];
  for (const o of [...shared.map((name) => SHARED_OPTIONS[name]), ...own]) {
    if (o.short) short += o.arg ? `${o.key}:` : o.key;
    for (const name of o.long) long.push({ name, arg: o.arg, key: o.key });
  }
  long.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { short, long };
}
