import { describe, expect, test } from 'vitest';
import { ready, type, requests } from '../../../testing/shell';

describe('gpioinfo', () => {
  test('all lines: header, padded quoted names, unnamed, a kernel consumer', () => {
    const r = ready();
    expect(type(r, 'gpioinfo')).toBe(
      'gpioinfo\n' +
        'gpiochip0 - 8 lines:\n' +
        '\tline   0:\t"button"        \tinput\n' +
        '\tline   1:\t"led"           \tinput\n' +
        '\tline   2:\tunnamed         \tinput\n' +
        '\tline   3:\t"irqline"       \tinput consumer="mydrv"\n' +
        '\tline   4:\t"a_very_long_line_name"\tinput\n' +
        '\tline   5:\t"sw"            \tinput\n' +
        '\tline   6:\t"clk"           \tinput\n' +
        '\tline   7:\t"lvl"           \tinput\n' +
        '$ ',
    );
  });

  test('gpioinfo reads gpiolib state: no requestq traffic', () => {
    const r = ready();
    const from = r.m.trace.total;
    type(r, 'gpioinfo');
    expect(requests(r.m, from)).toEqual([]);
  });

  test('selected lines by name and, with -c, by offset; --unquoted', () => {
    const r = ready();
    expect(type(r, 'gpioinfo sw irqline')).toBe('gpioinfo sw irqline\ngpiochip0 3\t"irqline"       \tinput consumer="mydrv"\ngpiochip0 5\t"sw"            \tinput\n$ ');
    expect(type(r, 'gpioinfo -c gpiochip0 2 led')).toBe('gpioinfo -c gpiochip0 2 led\ngpiochip0 1\t"led"           \tinput\ngpiochip0 2\tunnamed         \tinput\n$ ');
    expect(type(r, 'gpioinfo --unquoted irqline')).toBe('gpioinfo --unquoted irqline\ngpiochip0 3\tirqline         \tinput consumer=mydrv\n$ ');
  });

  test('errors: unknown line, offsets without -c, out of range, the same line twice, unknown chip', () => {
    const r = ready();
    expect(type(r, 'gpioinfo nope')).toBe("gpioinfo nope\ngpioinfo: cannot find line 'nope'\n$ ");
    expect(r.shell.lastStatus).toBe(1);
    expect(type(r, 'gpioinfo 2')).toBe("gpioinfo 2\ngpioinfo: cannot find line '2'\n$ ");
    expect(type(r, 'gpioinfo -c 0 1 9')).toBe("gpioinfo -c 0 1 9\ngpiochip0 1\t\"led\"           \tinput\ngpioinfo: offset 9 is out of range on chip '0'\n$ ");
    expect(type(r, 'gpioinfo -c 0 sw 5')).toBe("gpioinfo -c 0 sw 5\ngpiochip0 5\t\"sw\"            \tinput\ngpioinfo: lines 'sw' and '5' are the same line\n$ ");
    expect(type(r, 'gpioinfo -c 1 sw')).toBe("gpioinfo -c 1 sw\ngpioinfo: cannot find GPIO chip character device '1'\n$ ");
    expect(type(r, 'gpioinfo -c')).toBe("gpioinfo -c\ngpioinfo: option requires an argument -- 'c'\ngpioinfo: try gpioinfo --help\n$ ");
    expect(type(r, 'gpioinfo --chip')).toBe("gpioinfo --chip\ngpioinfo: option '--chip' requires an argument\ngpioinfo: try gpioinfo --help\n$ ");
  });

  test('a line gpiomon watches shows edges=both and consumer="gpiomon"', () => {
    const r = ready();
    type(r, 'gpiomon sw &');
    expect(type(r, 'gpioinfo sw')).toBe('gpioinfo sw\ngpiochip0 5\t"sw"            \tinput edges=both consumer="gpiomon"\n$ ');
    type(r, 'kill %1');
    expect(type(r, 'gpiomon -e rising -l -C watcher sw &')).toMatch(/^gpiomon -e rising -l -C watcher sw &\n\[1\] \d+\n\$ $/);
    expect(type(r, 'gpioinfo sw')).toBe('gpioinfo sw\ngpiochip0 5\t"sw"            \tinput active-low edges=rising consumer="watcher"\n$ ');
  });
});
