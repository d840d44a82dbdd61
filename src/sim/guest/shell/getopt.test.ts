import { describe, expect, test } from 'vitest';
import { getopt, toolOptions, type LongOpt, type OptTable } from './getopt';
import { OPTIONS as GPIODETECT } from './tools/gpiodetect';
import { OPTIONS as GPIOGET } from './tools/gpioget';
import { OPTIONS as GPIOINFO } from './tools/gpioinfo';
import { OPTIONS as GPIOMON } from './tools/gpiomon';
import { OPTIONS as GPIOSET } from './tools/gpioset';

const l = (name: string, key: string, arg = false): LongOpt => ({ name, arg, key });

/** A getopt short string as letter -> takes an argument (the order of the letters means nothing). */
function shorts(s: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ':') continue;
    out[s[i] as string] = s[i + 1] === ':';
  }
  return out;
}

describe("the tools' option tables", () => {
  // The tables each tool declared by hand before they were built from the shared list.
  const before: Record<string, [OptTable, OptTable]> = {
    gpiodetect: [GPIODETECT, { short: 'hv', long: [l('help', 'h'), l('version', 'v')] }],
    gpioinfo: [GPIOINFO, { short: 'c:hsv', long: [l('by-name', 'B'), l('chip', 'c', true), l('help', 'h'), l('strict', 's'), l('unquoted', 'Q'), l('version', 'v')] }],
    gpioget: [
      GPIOGET,
      {
        short: 'ab:c:C:hlp:sv',
        long: [
          l('active-low', 'l'),
          l('as-is', 'a'),
          l('bias', 'b', true),
          l('by-name', 'B'),
          l('chip', 'c', true),
          l('consumer', 'C', true),
          l('help', 'h'),
          l('hold-period', 'p', true),
          l('numeric', 'N'),
          l('strict', 's'),
          l('unquoted', 'Q'),
          l('version', 'v'),
        ],
      },
    ],
    gpioset: [
      GPIOSET,
      {
        short: 'b:c:C:d:hilp:st:vz', // libgpiod built with GPIOSET_INTERACTIVE
        long: [
          l('active-low', 'l'),
          l('banner', '-'),
          l('bias', 'b', true),
          l('by-name', 'B'),
          l('chip', 'c', true),
          l('consumer', 'C', true),
          l('daemonize', 'z'),
          l('drive', 'd', true),
          l('help', 'h'),
          l('hold-period', 'p', true),
          l('interactive', 'i'),
          l('strict', 's'),
          l('toggle', 't', true),
          l('unquoted', 'Q'),
          l('version', 'v'),
        ],
      },
    ],
    gpiomon: [
      GPIOMON,
      {
        short: 'b:c:C:e:E:hF:ln:p:qsv',
        long: [
          l('active-low', 'l'),
          l('banner', '-'),
          l('bias', 'b', true),
          l('by-name', 'B'),
          l('chip', 'c', true),
          l('consumer', 'C', true),
          l('debounce-period', 'p', true),
          l('edges', 'e', true),
          l('event-clock', 'E', true),
          l('format', 'F', true),
          l('help', 'h'),
          l('idle-timeout', 'i', true),
          l('localtime', 'L'),
          l('num-events', 'n', true),
          l('quiet', 'q'),
          l('silent', 'q'),
          l('strict', 's'),
          l('unquoted', 'Q'),
          l('utc', 'U'),
          l('version', 'v'),
        ],
      },
    ],
  };
  for (const [tool, [built, hand]] of Object.entries(before)) {
    test(`${tool}: the same options as its hand-written table, long names in the same order`, () => {
      expect(built.long).toEqual(hand.long);
      expect(shorts(built.short)).toEqual(shorts(hand.short));
      expect(built.short.length).toBe(hand.short.length);
    });
  }

  test('toolOptions: shared options plus the own ones, long names sorted', () => {
    expect(toolOptions(['version', 'chip'], [{ key: 'x', arg: true, short: true, long: ['extra', 'another'] }])).toEqual({
      short: 'vc:x:',
      long: [l('another', 'x', true), l('chip', 'c', true), l('extra', 'x', true), l('version', 'v')],
    });
  });
});

describe('getopt', () => {
  const table: OptTable = { short: 'ab:c', long: [l('alpha', 'a'), l('bravo', 'b', true), l('banner', '-'), l('charlie', 'c'), l('charm', 'c')] };
  const run = (...argv: string[]) => getopt('prog', argv, table);

  test('short clusters, attached and separate arguments, then the operands', () => {
    expect(run('-ac', '-bx', '-b', 'y', 'op', '-a')).toEqual({
      items: [
        { key: 'a', arg: '' },
        { key: 'c', arg: '' },
        { key: 'b', arg: 'x' },
        { key: 'b', arg: 'y' },
      ],
      optind: 4,
    });
    // A cluster ends at an option that takes an argument: the rest of the word is that argument.
    expect(run('-abc')).toEqual({ items: [{ key: 'a', arg: '' }, { key: 'b', arg: 'c' }], optind: 1 });
  });

  test("'--' ends the options; '-' alone is an operand", () => {
    expect(run('-a', '--', '-c')).toEqual({ items: [{ key: 'a', arg: '' }], optind: 2 });
    expect(run('-', '-a')).toEqual({ items: [], optind: 0 });
  });

  test('long options: exact, --name=value, separate value, unique prefixes, prefixes of one option', () => {
    expect(run('--alpha', '--bravo=1', '--bravo', '2', '--al', '--charl', 'x')).toEqual({
      items: [
        { key: 'a', arg: '' },
        { key: 'b', arg: '1' },
        { key: 'b', arg: '2' },
        { key: 'a', arg: '' },
        { key: 'c', arg: '' },
      ],
      optind: 6,
    });
    // 'char' matches two names with the same key and argument: not ambiguous.
    expect(run('--char').items).toEqual([{ key: 'c', arg: '' }]);
  });

  test("glibc's error messages; an error ends the options", () => {
    expect(run('--b').items).toEqual([{ error: "prog: option '--b' is ambiguous; possibilities: '--bravo' '--banner'" }]);
    expect(run('--delta').items).toEqual([{ error: "prog: unrecognized option '--delta'" }]);
    expect(run('--alpha=1').items).toEqual([{ error: "prog: option '--alpha' doesn't allow an argument" }]);
    expect(run('--bravo')).toEqual({ items: [{ error: "prog: option '--bravo' requires an argument" }], optind: 1 });
    expect(run('-a', '-z', '-a')).toEqual({ items: [{ key: 'a', arg: '' }, { error: "prog: invalid option -- 'z'" }], optind: 2 });
    expect(run('-:').items).toEqual([{ error: "prog: invalid option -- ':'" }]);
    expect(run('-b')).toEqual({ items: [{ error: "prog: option requires an argument -- 'b'" }], optind: 1 });
  });
});
