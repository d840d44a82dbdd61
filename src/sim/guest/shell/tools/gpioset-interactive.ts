/**
 * gpioset --interactive: the command language of libgpiod v2.2's interact()
 * (get, set, toggle, sleep, exit, help), its word splitting and its messages.
 * Pure text in, decisions out: SetJob carries them out on the lines.
 */
import { MAX_WAIT_NS, parseLineValue, parsePeriodNs } from '../formats';
import { visible } from './context';

export const INTERACTIVE_PROMPT = 'gpioset> ';

/** What a command line asks SetJob to do after printing `out`. */
export type InteractiveStep =
  | { kind: 'none' }
  /** Apply the (updated) values to every line: gpiod_line_request_set_values. */
  | { kind: 'apply' }
  | { kind: 'sleep'; ns: number }
  | { kind: 'exit' };

/** The lines as the interactive commands see them: ids as given on the command line, logical values. */
export interface InteractiveLines {
  ids: string[];
  values: number[];
  unquoted: boolean;
}

const HELP =
  'COMMANDS:\n\n' +
  '    exit\n' +
  '        Exit the program\n' +
  '    get [line]...\n' +
  '        Display the output values of the given requested lines\n\n' +
  '        If no lines are specified then all requested lines are displayed\n\n' +
  '    help\n' +
  '        Print this help\n\n' +
  '    set <line=value>...\n' +
  '        Update the output values of the given requested lines\n\n' +
  '    sleep <period>\n' +
  '        Sleep for the specified period\n\n' +
  '    toggle [line]...\n' +
  '        Toggle the output values of the given requested lines\n\n' +
  '        If no lines are specified then all requested lines are toggled\n\n';

/** split_words(): blank-separated words; a word opening with '"' runs to the next '"'. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] as string)) i++;
    if (i >= line.length) break;
    const start = i;
    let inQuotes = line[i] === '"';
    i++;
    while (i < line.length) {
      const c = line[i] as string;
      if (inQuotes) {
        if (c === '"') inQuotes = false;
      } else if (/\s/.test(c)) break;
      i++;
    }
    words.push(line.slice(start, i));
  }
  return words;
}

/** parse_line_ids(): a quoted id loses its quotes; an unterminated quote is an error. */
function parseIds(words: string[]): { ids: string[] } | { error: string } {
  const ids: string[] = [];
  for (const w of words) {
    if (w[0] !== '"') {
      ids.push(w);
      continue;
    }
    const inner = w.slice(1);
    if (inner.length === 0 || inner[inner.length - 1] !== '"') return { error: `invalid line id: '${visible(w)}'\n` };
    ids.push(inner.slice(0, -1));
  }
  return { ids };
}

/** valid_lines(): every id is one of the requested lines (compared as typed). */
function unknown(lines: InteractiveLines, ids: string[]): string {
  return ids
    .filter((id) => !lines.ids.includes(id))
    .map((id) => `unknown line: '${visible(id)}'\n`)
    .join('');
}

function shownValues(lines: InteractiveLines, which: number[]): string {
  const parts = which.map((k) => {
    const id = visible(lines.ids[k] as string);
    return `${lines.unquoted ? id : `"${id}"`}=${lines.values[k] ? 'active' : 'inactive'}`;
  });
  return parts.join(' ') + '\n';
}

/**
 * One line typed at the `gpioset> ` prompt: updates `lines.values` and says
 * what to print and what to do next, as interact() does.
 */
export function interactiveCommand(lines: InteractiveLines, input: string): { out: string; step: InteractiveStep } {
  const none = { kind: 'none' } as const;
  const words = splitWords(input);
  if (words.length === 0) return { out: '', step: none };
  if (words.length > lines.ids.length + 1) return { out: 'too many command parameters provided\n', step: none };
  const [cmd, ...args] = words as [string, ...string[]];
  switch (cmd) {
    case 'get': {
      if (args.length === 0) return { out: shownValues(lines, lines.ids.map((_, k) => k)), step: none };
      const p = parseIds(args);
      if ('error' in p) return { out: p.error, step: none };
      const bad = unknown(lines, p.ids);
      if (bad) return { out: bad, step: none };
      return { out: shownValues(lines, p.ids.map((id) => lines.ids.indexOf(id))), step: none };
    }
    case 'set': {
      if (args.length === 0) return { out: 'at least one GPIO line value must be specified\n', step: none };
      const ids: string[] = [];
      const vals: number[] = [];
      for (const lv of args) {
        // parse_line_values(..., interactive): errors go to stdout.
        let id: string;
        let val: string;
        if (lv[0] !== '"') {
          const eq = lv.indexOf('=');
          if (eq < 0) return { out: `invalid line value: '${visible(lv)}'\n`, step: none };
          id = lv.slice(0, eq);
          val = lv.slice(eq + 1);
        } else {
          const q = lv.indexOf('"=', 1);
          if (q < 0) return { out: `invalid line value: '${visible(lv)}'\n`, step: none };
          id = lv.slice(1, q);
          val = lv.slice(q + 2);
        }
        const v = parseLineValue(val);
        if (v < 0) return { out: `invalid line value: '${visible(val)}'\n`, step: none };
        ids.push(id);
        vals.push(v);
      }
      const bad = unknown(lines, ids);
      if (bad) return { out: bad, step: none };
      ids.forEach((id, i) => (lines.values[lines.ids.indexOf(id)] = vals[i] as number));
      return { out: '', step: { kind: 'apply' } };
    }
    case 'toggle': {
      if (args.length === 0) {
        for (let k = 0; k < lines.values.length; k++) lines.values[k] = lines.values[k] ? 0 : 1;
        return { out: '', step: { kind: 'apply' } };
      }
      const p = parseIds(args);
      // As in interact(): a bad id prints its error, and the (unchanged) values are applied anyway.
      if ('error' in p) return { out: p.error, step: { kind: 'apply' } };
      const bad = unknown(lines, p.ids);
      if (bad) return { out: bad, step: { kind: 'apply' } };
      for (const id of p.ids) {
        const k = lines.ids.indexOf(id);
        lines.values[k] = lines.values[k] ? 0 : 1;
      }
      return { out: '', step: { kind: 'apply' } };
    }
    case 'sleep': {
      if (args.length === 0) return { out: 'a period must be specified\n', step: none };
      if (args.length > 1) return { out: 'only one period can be specified\n', step: none };
      const ns = parsePeriodNs(args[0] as string);
      if (ns < 0 || ns > MAX_WAIT_NS) return { out: `invalid period: '${visible(args[0] as string)}'\n`, step: none };
      return { out: '', step: { kind: 'sleep', ns } };
    }
    case 'exit':
      return { out: '', step: { kind: 'exit' } };
    case 'help':
      return { out: HELP, step: none };
    default:
      return { out: `unknown command: '${visible(cmd)}'\nTry the 'help' command\n`, step: none };
  }
}
