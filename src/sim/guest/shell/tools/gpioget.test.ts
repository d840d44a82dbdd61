import { describe, expect, test } from 'vitest';
import { DIRECTION_IN, DIRECTION_NONE, MSG_GET_VALUE, MSG_SET_DIRECTION } from '../../../gpio/constants';
import { MS, ready, type, requests, req } from '../../../testing/shell';

describe('gpioget', () => {
  test('reads a line driven high once the requests complete, and the trace shows the messages', () => {
    const r = ready();
    r.m.world.set(5, 1);
    const from = r.m.trace.total;
    r.shell.exec('gpioget sw');
    // Nothing yet: the answer needs requestq round trips in simulated time.
    expect(r.shell.transcript().endsWith('$ gpioget sw\n')).toBe(true);
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().endsWith('$ gpioget sw\n"sw"=active\n$ ')).toBe(true);
    expect(r.shell.busy).toBe(false);
    expect(requests(r.m, from)).toEqual([req(5, MSG_SET_DIRECTION, DIRECTION_IN), req(5, MSG_GET_VALUE), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
  });

  test('several lines: ids as typed, values read in ascending offset order; --unquoted, --numeric, -l, -a', () => {
    const r = ready();
    r.m.world.set(5, 1);
    let from = r.m.trace.total;
    expect(type(r, 'gpioget sw button led')).toBe('gpioget sw button led\n"sw"=active "button"=active "led"=inactive\n$ ');
    expect(requests(r.m, from)).toEqual([
      req(5, MSG_SET_DIRECTION, DIRECTION_IN),
      req(0, MSG_SET_DIRECTION, DIRECTION_IN),
      req(1, MSG_SET_DIRECTION, DIRECTION_IN),
      req(0, MSG_GET_VALUE),
      req(1, MSG_GET_VALUE),
      req(5, MSG_GET_VALUE),
      req(5, MSG_SET_DIRECTION, DIRECTION_NONE),
      req(0, MSG_SET_DIRECTION, DIRECTION_NONE),
      req(1, MSG_SET_DIRECTION, DIRECTION_NONE),
    ]);
    expect(type(r, 'gpioget --unquoted -c 0 5 1')).toBe('gpioget --unquoted -c 0 5 1\n5=active 1=inactive\n$ ');
    expect(type(r, 'gpioget --numeric sw led')).toBe('gpioget --numeric sw led\n1 0\n$ ');
    expect(type(r, 'gpioget -l sw')).toBe('gpioget -l sw\n"sw"=inactive\n$ ');
    from = r.m.trace.total;
    expect(type(r, 'gpioget -a --by-name sw')).toBe('gpioget -a --by-name sw\n"sw"=active\n$ ');
    expect(requests(r.m, from)).toEqual([req(5, MSG_GET_VALUE), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
  });

  test('a busy line: the libgpiod error, no traffic for it', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'gpioget irqline')).toBe('gpioget irqline\ngpioget: unable to request lines: Device or resource busy\n$ ');
    expect(r.shell.lastStatus).toBe(1);
    expect(requests(r.m, from)).toEqual([]);
    expect(r.m.gpiolib.consumer[3]).toBe('mydrv');
  });

  test('a busy line after others were set up: those are released again', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'gpioget sw irqline')).toBe('gpioget sw irqline\ngpioget: unable to request lines: Device or resource busy\n$ ');
    expect(requests(r.m, from)).toEqual([req(5, MSG_SET_DIRECTION, DIRECTION_IN), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
  });

  test('resolution errors', () => {
    const r = ready();
    expect(type(r, 'gpioget')).toBe('gpioget\ngpioget: at least one GPIO line must be specified\n$ ');
    expect(type(r, 'gpioget x')).toBe("gpioget x\ngpioget: cannot find line 'x'\n$ ");
    expect(type(r, 'gpioget sw sw')).toBe("gpioget sw sw\ngpioget: lines 'sw' and 'sw' are the same line\n$ ");
    expect(type(r, 'gpioget -c gpiochip0 sw 5')).toBe("gpioget -c gpiochip0 sw 5\ngpioget: lines 'sw' and '5' are the same line\n$ ");
    expect(type(r, 'gpioget -c /dev/gpiochip0 8 99')).toBe(
      "gpioget -c /dev/gpiochip0 8 99\ngpioget: offset 8 is out of range on chip '/dev/gpiochip0'\ngpioget: offset 99 is out of range on chip '/dev/gpiochip0'\n$ ",
    );
    expect(type(r, 'gpioget -p bad sw')).toBe('gpioget -p bad sw\ngpioget: invalid period: bad\n$ ');
    expect(type(r, 'gpioget -b up sw')).toBe('gpioget -b up sw\ngpioget: invalid bias: up\n$ ');
  });

  test('-p holds the lines before reading', () => {
    const r = ready();
    r.shell.exec('gpioget -p 2ms sw');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.busy).toBe(true);
    r.m.world.set(5, 1); // changes during the hold are seen
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.transcript().endsWith('gpioget -p 2ms sw\n"sw"=active\n$ ')).toBe(true);
  });

  test('odd line ids: parse_uint() as libgpiod has it, names matched exactly, nothing invisible dropped', () => {
    const r = ready();
    // libgpiod's parse_uint() is strtoul() with *end == '\0': "" parses as 0 and " 3" as 3 (strtoul skips
    // leading blanks), so with -c these are offsets 0 and 3 in the real tools too.
    expect(type(r, 'gpioget -c gpiochip0 ""')).toBe('gpioget -c gpiochip0 ""\n""=active\n$ ');
    expect(type(r, 'gpioget -c gpiochip0 " 3"')).toBe('gpioget -c gpiochip0 " 3"\ngpioget: unable to request lines: Device or resource busy\n$ ');
    // Without -c they are names, and no line is named "" or " sw".
    expect(type(r, 'gpioget ""')).toBe("gpioget \"\"\ngpioget: cannot find line ''\n$ ");
    expect(type(r, 'gpioget " sw"')).toBe("gpioget \" sw\"\ngpioget: cannot find line ' sw'\n$ ");
    expect(type(r, 'gpioget --by-name -c 0 ""')).toBe("gpioget --by-name -c 0 \"\"\ngpioget: cannot find line ''\n$ ");
    // Non-ASCII is printed as typed; invisible characters are shown escaped, never silently dropped.
    expect(type(r, 'gpioget -c 0 swé')).toBe("gpioget -c 0 swé\ngpioget: cannot find line 'swé'\n$ ");
    expect(type(r, 'gpioget "sw\u200b"')).toBe("gpioget \"sw\"\ngpioget: cannot find line 'sw\\u200b'\n$ ");
    expect(type(r, 'gpioset -c 0 "\u200b=1"')).toBe("gpioset -c 0 \"=1\"\ngpioset: cannot find line '\\u200b'\n$ ");
  });
});
