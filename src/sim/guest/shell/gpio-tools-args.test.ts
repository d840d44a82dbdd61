/**
 * The gpio-tools-test.bash port (see gpio-tools.test.ts): how each tool finds
 * its lines and refuses bad arguments — the first and the strict name match,
 * missing, unknown, out-of-range and repeated lines, bad option values — for
 * gpioset, gpiomon and gpionotify (gpioget's and gpioinfo's are in
 * gpio-tools.test.ts), and how a line id is read (parse_uint, offset first).
 */
import { describe, expect, test } from 'vitest';

import { dut, dutOut, level, run, setPull, sim } from '../../testing/gpio-sim';

/** The suite's three-chip naming, on the one chip: sim0's names with sim0's 7:foobar kept (8 lines, not 4). */
const FIRST_MATCH = { 1: 'foo', 2: 'bar', 3: 'foobar', 7: 'foobar' };
/** sim1's names: 'foobar' twice on one chip, which --strict refuses as the suite's three chips do. */
const STRICT = { 0: 'baz', 2: 'foobar', 4: 'xyz', 7: 'foobar' };
const events = (out: string[]): string[] => out.filter((l) => /\t/.test(l)).map((l) => l.replace(/^[0-9]+\.[0-9]+\s+/, ''));

describe('gpio-tools-test.bash: the first and the strict name match', () => {
  test('gpioget_first_matching_named_line', () => {
    const r = sim(8, FIRST_MATCH, [3]);
    expect(run(r, 'gpioget foobar')).toEqual({ out: '"foobar"=active\n', status: 0 });
  });

  test('gpioset_first_matching_named_line', () => {
    const r = sim(8, FIRST_MATCH);
    dut(r, 'gpioset --banner foobar=1');
    expect([level(r, 3), level(r, 7)]).toEqual([1, 0]);
  });

  test('gpiomon_first_matching_named_line', () => {
    const r = sim(8, FIRST_MATCH);
    const mark = r.shell.transcript().length;
    dut(r, 'gpiomon --banner foobar');
    setPull(r, 3, 'pull-up');
    const out = dutOut(r, mark);
    expect(out[0]).toBe("Monitoring line 'foobar'...");
    expect(out.slice(1)).toHaveLength(1);
    expect(out[1]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+"foobar"$/);
  });

  test('gpionotify_first_matching_named_line', () => {
    const r = sim(8, FIRST_MATCH);
    const mark = r.shell.transcript().length;
    dut(r, 'gpionotify --banner foobar');
    run(r, 'gpioget -c gpiochip0 3');
    run(r, 'gpioget -c gpiochip0 7'); // the second 'foobar' is not watched
    const out = dutOut(r, mark);
    expect(out[0]).toBe("Watching line 'foobar'...");
    expect(events(out)).toEqual(['requested\t"foobar"', 'released\t"foobar"']);
  });

  const strict = (tool: string, cmd: string): void => {
    const r = sim(8, STRICT);
    expect(run(r, cmd)).toEqual({ out: `${tool}: line 'foobar' is not unique\n`, status: 1 });
  };
  test('gpioget_with_strict_named_line_check', () => strict('gpioget', 'gpioget --strict foobar'));
  test('gpioset_with_strict_named_line_check', () => strict('gpioset', 'gpioset --strict foobar=active'));
  test('gpiomon_with_strict_named_line_check', () => strict('gpiomon', 'gpiomon --strict foobar'));
  test('gpionotify_with_strict_named_line_check', () => strict('gpionotify', 'gpionotify --strict foobar'));
});

describe('gpio-tools-test.bash: missing, unknown, out-of-range and repeated lines', () => {
  const noArguments = (tool: string): void => {
    const r = sim(8);
    expect(run(r, tool)).toEqual({ out: `${tool}: at least one GPIO line must be specified\n`, status: 1 });
  };
  const noLineSpecified = (tool: string): void => {
    const r = sim(8);
    expect(run(r, `${tool} --chip gpiochip0`)).toEqual({ out: `${tool}: at least one GPIO line must be specified\n`, status: 1 });
  };
  const nonexistentLine = (tool: string): void => {
    const r = sim(8);
    expect(run(r, `${tool} nonexistent-line`)).toEqual({ out: `${tool}: cannot find line 'nonexistent-line'\n`, status: 1 });
  };
  const offsetOutOfRange = (tool: string): void => {
    const r = sim(4);
    expect(run(r, `${tool} --chip gpiochip0 5`)).toEqual({ out: `${tool}: offset 5 is out of range on chip 'gpiochip0'\n`, status: 1 });
  };
  const sameLineTwice = (tool: string): void => {
    const r = sim(8, { 1: 'foo' });
    expect(run(r, `${tool} --chip gpiochip0 0 0`)).toEqual({ out: `${tool}: lines '0' and '0' are the same line\n`, status: 1 });
    expect(run(r, `${tool} foo foo`)).toEqual({ out: `${tool}: lines 'foo' and 'foo' are the same line\n`, status: 1 });
    expect(run(r, `${tool} --chip gpiochip0 1 foo`)).toEqual({ out: `${tool}: lines '1' and 'foo' are the same line\n`, status: 1 });
  };
  test('gpiomon_with_no_arguments', () => noArguments('gpiomon'));
  test('gpionotify_with_no_arguments', () => noArguments('gpionotify'));
  test('gpiomon_with_no_line_specified', () => noLineSpecified('gpiomon'));
  test('gpionotify_with_no_line_specified', () => noLineSpecified('gpionotify'));
  test('gpiomon_with_nonexistent_line', () => nonexistentLine('gpiomon'));
  test('gpionotify_with_nonexistent_line', () => nonexistentLine('gpionotify'));
  test('gpiomon_with_offset_out_of_range', () => offsetOutOfRange('gpiomon'));
  test('gpionotify_with_offset_out_of_range', () => offsetOutOfRange('gpionotify'));
  test('gpiomon_with_same_line_twice', () => sameLineTwice('gpiomon'));
  test('gpionotify_with_same_line_twice', () => sameLineTwice('gpionotify'));

  test('gpioset_with_no_arguments', () => {
    const r = sim(8);
    expect(run(r, 'gpioset')).toEqual({ out: 'gpioset: at least one GPIO line value must be specified\n', status: 1 });
  });

  test('gpioset_with_chip_but_no_line_specified', () => {
    const r = sim(8);
    expect(run(r, 'gpioset --chip gpiochip0')).toEqual({ out: 'gpioset: at least one GPIO line value must be specified\n', status: 1 });
  });

  test('gpioset_with_nonexistent_line', () => {
    const r = sim(8);
    expect(run(r, 'gpioset nonexistent-line=0')).toEqual({ out: "gpioset: cannot find line 'nonexistent-line'\n", status: 1 });
  });

  test('gpioset_with_invalid_offset', () => {
    const r = sim(8);
    // 4000000000 > INT_MAX: parse_uint() gives -1, so it is looked up as a name.
    expect(run(r, 'gpioset --chip gpiochip0 4000000000=0')).toEqual({ out: "gpioset: cannot find line '4000000000'\n", status: 1 });
  });

  test('gpioset_with_offset_out_of_range', () => {
    const r = sim(4);
    expect(run(r, 'gpioset --chip gpiochip0 0=1 1=1 2=1 3=1 4=1 5=1')).toEqual({
      out: "gpioset: offset 4 is out of range on chip 'gpiochip0'\ngpioset: offset 5 is out of range on chip 'gpiochip0'\n",
      status: 1,
    });
    expect(level(r, 0)).toBe(0); // nothing was requested
  });

  test('gpioset_with_same_line_twice', () => {
    const r = sim(8, { 1: 'foo' });
    expect(run(r, 'gpioset --chip gpiochip0 0=1 0=1')).toEqual({ out: "gpioset: lines '0' and '0' are the same line\n", status: 1 });
    expect(run(r, 'gpioset --chip gpiochip0 foo=1 foo=1')).toEqual({ out: "gpioset: lines 'foo' and 'foo' are the same line\n", status: 1 });
    expect(run(r, 'gpioset --chip gpiochip0 foo=1 1=1')).toEqual({ out: "gpioset: lines 'foo' and '1' are the same line\n", status: 1 });
    expect(run(r, 'gpioset --chip gpiochip0 1=1 foo=1')).toEqual({ out: "gpioset: lines '1' and 'foo' are the same line\n", status: 1 });
  });
});

describe('gpio-tools-test.bash: bad option values', () => {
  const refused = (cmd: string, out: string): void => {
    const r = sim(8, { 1: 'foo', 4: 'bar', 7: 'baz' });
    expect(run(r, cmd)).toEqual({ out, status: 1 });
    expect(r.shell.busy).toBe(false);
  };

  test('gpioset_with_invalid_bias', () => refused('gpioset --bias=bad --chip gpiochip0 0=1 1=1', 'gpioset: invalid bias: bad\n'));
  test('gpioset_with_invalid_drive', () => refused('gpioset --drive=bad --chip gpiochip0 0=1 1=1', 'gpioset: invalid drive: bad\n'));
  test('gpioset_with_invalid_hold_period', () => refused('gpioset --hold-period=bad --chip gpiochip0 0=1', 'gpioset: invalid period: bad\n'));
  test('gpioset_with_invalid_toggle_period', () => refused('gpioset --toggle 1ns foo=1 bar=0 baz=0', 'gpioset: invalid period: 1ns\n'));
  test('gpioset_with_invalid_value', () => {
    refused('gpioset --chip gpiochip0 0=c', "gpioset: invalid line value: 'c'\n");
    refused('gpioset --chip gpiochip0 0=3', "gpioset: invalid line value: '3'\n");
  });
  test('gpioset_with_interactive_and_toggle', () =>
    refused('gpioset --interactive --toggle 1s --chip gpiochip0 0=1', "gpioset: can't combine interactive with toggle\n"));
  test('gpiomon_with_invalid_bias', () => refused('gpiomon --bias=bad -c gpiochip0 0 1', 'gpiomon: invalid bias: bad\n'));
  test('gpiomon_with_invalid_debounce_period', () => refused('gpiomon --debounce-period bad -c gpiochip0 0 1', 'gpiomon: invalid period: bad\n'));
  test('gpiomon_with_invalid_idle_timeout', () => refused('gpiomon --idle-timeout bad -c gpiochip0 0 1', 'gpiomon: invalid period: bad\n'));
  test('gpionotify_with_invalid_idle_timeout', () => refused('gpionotify --idle-timeout bad -c gpiochip0 0 1', 'gpionotify: invalid period: bad\n'));
});

describe('gpio-tools-test.bash: lines by offset and strictly by name (gpioset, gpiomon, gpionotify)', () => {
  // "not suggesting this setup makes any sense - just test that we can deal with it"
  const SWAPPED = { 1: '6', 6: '1' };

  test('gpioset_with_lines_by_offset', () => {
    const r = sim(8, SWAPPED, [6]);
    dut(r, 'gpioset --banner --chip gpiochip0 6=1 1=0');
    expect([level(r, 1), level(r, 6)]).toEqual([0, 1]);
  });

  test('gpioset_with_lines_strictly_by_name', () => {
    const r = sim(8, SWAPPED, [6]);
    dut(r, 'gpioset --banner --by-name --chip gpiochip0 6=1 1=0');
    expect([level(r, 1), level(r, 6)]).toEqual([1, 0]);
  });

  const monitor = (names: Record<number, string>, cmd: string): string[] => {
    const r = sim(8, names, [1]);
    dut(r, cmd);
    const mark = r.shell.transcript().length;
    setPull(r, 1, 'pull-down');
    setPull(r, 1, 'pull-up');
    setPull(r, 6, 'pull-up');
    setPull(r, 6, 'pull-down');
    return dutOut(r, mark).map((l) => l.replace(/^[0-9]+\.[0-9]+\s+/, ''));
  };
  const four = (n1: string, n6: string): string[] =>
    [`falling\tgpiochip0 1 "${n1}"`, `rising\tgpiochip0 1 "${n1}"`, `rising\tgpiochip0 6 "${n6}"`, `falling\tgpiochip0 6 "${n6}"`];

  test('gpiomon_with_lines_by_offset', () => {
    expect(monitor(SWAPPED, 'gpiomon --banner --chip gpiochip0 6 1')).toEqual(four('6', '1'));
  });

  test('gpiomon_with_lines_strictly_by_name', () => {
    expect(monitor({ 1: '42', 6: '13' }, 'gpiomon --banner --by-name --chip gpiochip0 42 13')).toEqual(four('42', '13'));
  });

  test('gpionotify_with_lines_by_offset', () => {
    const r = sim(8, SWAPPED);
    dut(r, 'gpionotify --banner --chip gpiochip0 1');
    const mark = r.shell.transcript().length;
    run(r, 'gpioget -c gpiochip0 1');
    run(r, 'gpioget -c gpiochip0 6');
    expect(events(dutOut(r, mark))).toEqual(['requested\tgpiochip0 1 "6"', 'released\tgpiochip0 1 "6"']);
  });

  test('gpionotify_with_lines_strictly_by_name', () => {
    const r = sim(8, SWAPPED);
    dut(r, 'gpionotify --banner --by-name --chip gpiochip0 1');
    const mark = r.shell.transcript().length;
    run(r, 'gpioget -c gpiochip0 6');
    run(r, 'gpioget -c gpiochip0 1');
    expect(events(dutOut(r, mark))).toEqual(['requested\tgpiochip0 6 "1"', 'released\tgpiochip0 6 "1"']);
  });
});


/**
 * How a line id is read, checked against libgpiod v2.2.4's tools/tools-common.c:
 * - resolve_lines(): without --chip every id is a name (`by_name = true`).
 * - resolver_init(): with --chip (and no --by-name) an id's offset is
 *   parse_uint(id) = strtoul(id, &end, 10), kept only when `*end == '\0'` and
 *   it is at most INT_MAX. strtoul skips leading blanks and takes a sign, and
 *   with no digits at all consumes nothing, so "" -> 0, " 3" -> 3, "+3" -> 3,
 *   while "3 " (a trailing blank) is no number.
 * - resolve_lines_by_offset() runs first: an id with an in-range offset is that
 *   line, whatever line bears it as a name; resolve_line() then matches names
 *   only for ids still unresolved, except that with --strict a name matching an
 *   id already resolved dies with "line '<id>' is not unique".
 * - gpiod_line_info_get_name() (lib/line-info.c) reports an empty name as none,
 *   so "" never matches a name.
 * - validate_resolution(): an id left unresolved is "offset <id> is out of
 *   range" when it was a number and --chip was given, else "cannot find line".
 * So `gpioget -c gpiochip0 ""` reads line 0 and `gpioset -c gpiochip0 =1` drives
 * it, as the real tools do; the issue's wish that they not resolve is not what
 * v2.2.4 does, and the shell follows v2.2.4.
 */
describe('a line id as parse_uint() and the resolver read it (tools-common.c, v2.2.4)', () => {
  const NAMED = { 1: ' 3', 2: '3 ', 5: '+3' };

  test('with --chip, "", " 3" and "+3" are offsets 0, 3 and 3, ahead of any line of that name', () => {
    for (const names of [{}, NAMED]) {
      const r = sim(8, names, [0, 3]);
      expect(run(r, 'gpioget --unquoted -c gpiochip0 ""')).toEqual({ out: '=active\n', status: 0 });
      expect(run(r, 'gpioget --unquoted -c gpiochip0 " 3"')).toEqual({ out: ' 3=active\n', status: 0 });
      expect(run(r, 'gpioget --unquoted -c gpiochip0 +3')).toEqual({ out: '+3=active\n', status: 0 });
      expect(run(r, 'gpioget -c gpiochip0 "" 0')).toEqual({ out: "gpioget: lines '' and '0' are the same line\n", status: 1 });
      expect(run(r, 'gpioget -c gpiochip0 " 3" +3')).toEqual({ out: "gpioget: lines ' 3' and '+3' are the same line\n", status: 1 });
    }
  });

  test('with --chip, "3 " is no number: it is found by name, else it is an unknown line (not an offset out of range)', () => {
    expect(run(sim(8), 'gpioget -c gpiochip0 "3 "')).toEqual({ out: "gpioget: cannot find line '3 '\n", status: 1 });
    const r = sim(8, NAMED, [2]);
    expect(run(r, 'gpioget --unquoted -c gpiochip0 "3 "')).toEqual({ out: '3 =active\n', status: 0 });
    expect(run(r, 'gpioinfo -c gpiochip0 "3 "').out).toMatch(/^gpiochip0 2\s+"3 "\s+input\n$/);
  });

  test('without --chip, or with --by-name, every id is a name: "" never matches, " 3" and "+3" only their lines', () => {
    const bare = sim(8);
    expect(run(bare, 'gpioget ""')).toEqual({ out: "gpioget: cannot find line ''\n", status: 1 });
    expect(run(bare, 'gpioget " 3"')).toEqual({ out: "gpioget: cannot find line ' 3'\n", status: 1 });
    expect(run(bare, 'gpioget +3')).toEqual({ out: "gpioget: cannot find line '+3'\n", status: 1 });
    expect(run(bare, 'gpioset =1')).toEqual({ out: "gpioset: cannot find line ''\n", status: 1 });
    const r = sim(8, NAMED, [1, 5]);
    expect(run(r, 'gpioget --unquoted " 3" "3 " +3')).toEqual({ out: ' 3=active 3 =inactive +3=active\n', status: 0 });
    expect(run(r, 'gpioget --unquoted --by-name -c gpiochip0 " 3" +3')).toEqual({ out: ' 3=active +3=active\n', status: 0 });
    expect(run(r, 'gpioget --by-name -c gpiochip0 ""')).toEqual({ out: "gpioget: cannot find line ''\n", status: 1 });
  });

  test('with --strict, an id taken as an offset that is also a line name is "not unique"', () => {
    const r = sim(8, NAMED);
    expect(run(r, 'gpioget --strict -c gpiochip0 " 3"')).toEqual({ out: "gpioget: line ' 3' is not unique\n", status: 1 });
    expect(run(r, 'gpioget --strict -c gpiochip0 +3')).toEqual({ out: "gpioget: line '+3' is not unique\n", status: 1 });
    expect(run(sim(8), 'gpioget --strict --unquoted -c gpiochip0 " 3"')).toEqual({ out: ' 3=inactive\n', status: 0 });
  });

  test('gpioset -c gpiochip0 =1 drives line 0, as the real gpioset splits "=1" into the id "" and the value 1', () => {
    const r = sim(8);
    dut(r, 'gpioset -c gpiochip0 =1');
    expect(level(r, 0)).toBe(1);
    expect(r.m.gpiolib.consumer[0]).toBe('gpioset');
  });
});
