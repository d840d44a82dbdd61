import { describe, expect, test } from 'vitest';
import { DIRECTION_IN, DIRECTION_NONE, DIRECTION_OUT, MSG_SET_DIRECTION, MSG_SET_VALUE } from '../../../gpio/constants';
import { US, MS, ready, type, requests, req } from '../../../testing/shell';
import { SHELL_INTERRUPT } from '../shell';

describe('gpioset', () => {
  test('holds an output until Ctrl-C; the wire follows; gpioinfo shows it', () => {
    const r = ready();
    expect(r.m.wire.level[1]).toBe(0);
    const from = r.m.trace.total;
    expect(type(r, 'gpioset --banner led=1')).toBe("gpioset --banner led=1\nSetting line 'led'...\n");
    expect(r.shell.busy).toBe(true);
    expect(r.shell.atPrompt).toBe(false);
    expect(r.m.wire.level[1]).toBe(1);
    expect(requests(r.m, from)).toEqual([req(1, MSG_SET_VALUE, 1), req(1, MSG_SET_DIRECTION, DIRECTION_OUT)]);
    // Still held later: gpioset does not exit by itself.
    r.m.runUntil(r.m.now + 50 * MS);
    expect(r.m.wire.level[1]).toBe(1);
    expect(type(r, 'gpioinfo led')).toBe(
      'gpioinfo led\nvsh: gpioset is running in the foreground: press Ctrl-C to stop it first (simulator verbs such as drive and pulse still work)\n',
    );
    const mark = r.shell.transcript().length;
    const from2 = r.m.trace.total;
    r.shell.interrupt();
    expect(r.shell.transcript().slice(mark)).toBe('^C\n$ ');
    expect(r.shell.lastStatus).toBe(130);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(requests(r.m, from2)).toEqual([req(1, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.wire.level[1]).toBe(0); // back to its pull-down
    // Linux's gpiod_free() keeps FLAG_IS_OUT: the line still reads "output" although the device's is NONE
    // (gpio-tools-test's test_gpioget_with_direction_as_is relies on the same).
    expect(type(r, 'gpioinfo led')).toBe('gpioinfo led\ngpiochip0 1\t"led"           \toutput\n$ ');
  });

  test('-z: the prompt returns, the line stays held, kill releases it', () => {
    const r = ready();
    expect(type(r, 'gpioset -z led=on')).toBe('gpioset -z led=on\n$ ');
    expect(r.m.wire.level[1]).toBe(1);
    expect(type(r, 'gpioinfo led')).toBe('gpioinfo led\ngpiochip0 1\t"led"           \toutput consumer="gpioset"\n$ ');
    expect(type(r, 'jobs')).toBe('jobs\n[1]+  Running                 gpioset -z led=on\n$ ');
    expect(type(r, 'kill %1')).toBe('kill %1\n[1]+  Terminated              gpioset -z led=on\n$ ');
    expect(r.m.wire.level[1]).toBe(0);
    expect(type(r, 'jobs')).toBe('jobs\n$ ');
  });

  test('several lines, values in every spelling, the banner list, -l', () => {
    const r = ready();
    // The banner comes once the lines are set, while the prompt is showing: printed above a fresh prompt.
    expect(type(r, 'gpioset --banner -c 0 1=active 2=true clk=off &')).toMatch(
      /^gpioset --banner -c 0 1=active 2=true clk=off &\n\[1\] \d+\nSetting lines '1', '2', and 'clk'\.\.\.\n\$ $/,
    );
    expect([r.m.wire.level[1], r.m.wire.level[2], r.m.wire.level[6]]).toEqual([1, 1, 0]);
    type(r, 'kill %1');
    type(r, 'gpioset -z -l led=1');
    expect(r.m.wire.level[1]).toBe(0);
    expect(type(r, 'gpioinfo led')).toBe('gpioinfo led\ngpiochip0 1\t"led"           \toutput active-low consumer="gpioset"\n$ ');
  });

  test('-t toggles on simulated time; a final 0 exits', () => {
    const r = ready();
    r.shell.exec('gpioset -t 5ms,0 led=1');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.m.wire.level[1]).toBe(1);
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 5 * MS);
    expect(r.m.wire.level[1]).toBe(0);
    expect(r.shell.busy).toBe(false);
    expect(r.shell.transcript().endsWith('gpioset -t 5ms,0 led=1\n$ ')).toBe(true);

    // A repeating sequence: 2 ms high, 3 ms low, ...
    r.shell.exec('gpioset -t 2ms,3ms led=1 &');
    const t0 = r.m.now;
    const levels: number[] = [];
    for (let i = 1; i <= 12; i++) {
      r.m.runUntil(t0 + i * MS + 500 * US);
      levels.push(r.m.wire.level[1] as number);
    }
    expect(levels).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0]);
    type(r, 'kill %1');
    expect(r.m.wire.level[1]).toBe(0);
  });

  test('-t 0 sets and exits at once (gpio-tools-test uses it); bad values and periods', () => {
    const r = ready();
    expect(type(r, 'gpioset -t0 led=1')).toBe('gpioset -t0 led=1\n$ ');
    expect(type(r, 'gpioset led=2')).toBe("gpioset led=2\ngpioset: invalid line value: '2'\n$ ");
    expect(type(r, 'gpioset led')).toBe("gpioset led\ngpioset: invalid line value: 'led'\n$ ");
    expect(type(r, 'gpioset')).toBe('gpioset\ngpioset: at least one GPIO line value must be specified\n$ ');
    expect(type(r, 'gpioset -t 1ms,x led=1')).toBe('gpioset -t 1ms,x led=1\ngpioset: invalid period: x\n$ ');
    expect(type(r, 'gpioset -d weak led=1')).toBe('gpioset -d weak led=1\ngpioset: invalid drive: weak\n$ ');
    expect(type(r, `gpioset '"led"=1' &`)).toMatch(/^gpioset '"led"=1' &\n\[1\] \d+\n\$ $/);
    expect(r.m.gpiolib.consumer[1]).toBe('gpioset');
  });

  test('busy lines: one another gpioset holds, one a kernel irq consumer holds', () => {
    const r = ready();
    type(r, 'gpioset -z led=1');
    expect(type(r, 'gpioset led=0')).toBe("gpioset led=0\ngpioset: unable to request lines on chip '/dev/gpiochip0': Device or resource busy\n$ ");
    expect(type(r, 'gpioset irqline=1')).toBe("gpioset irqline=1\ngpioset: unable to request lines on chip '/dev/gpiochip0': Device or resource busy\n$ ");
    expect(r.m.wire.level[1]).toBe(1);
  });

  test('--drive open-drain: gpiolib emulates it (no .set_config): 1 switches the line to input, 0 drives it low', () => {
    const r = ready();
    const from = r.m.trace.total;
    r.shell.exec('gpioset -d open-drain -t 1ms,0 -c 0 1=0 &');
    r.m.runUntil(r.m.now + 500 * US);
    expect(r.m.wire.level[1]).toBe(0);
    expect(type(r, 'gpioinfo led', 100 * US)).toBe('gpioinfo led\ngpiochip0 1\t"led"           \toutput drive=open-drain consumer="gpioset"\n$ ');
    r.m.runUntil(r.m.now + 2 * MS);
    // direction_output(0) = SET_VALUE 0 + SET_DIRECTION OUT; value 1 = SET_DIRECTION IN (the pull-down decides); release.
    expect(requests(r.m, from)).toEqual([req(1, MSG_SET_VALUE, 0), req(1, MSG_SET_DIRECTION, DIRECTION_OUT), req(1, MSG_SET_DIRECTION, DIRECTION_IN), req(1, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.gpiolib.drive[1]).toBe(0);
  });

  test('--drive open-source: 1 drives the line high, 0 switches it to input; gpioinfo still says output', () => {
    const r = ready();
    const from = r.m.trace.total;
    r.shell.exec('gpioset -d open-source -t 1ms,0 -c 0 1=1 &');
    r.m.runUntil(r.m.now + 500 * US);
    expect(r.m.wire.level[1]).toBe(1);
    r.m.runUntil(r.m.now + 700 * US); // toggled to 0: the line is released to its pull-down
    expect(r.m.wire.level[1]).toBe(0);
    expect(r.m.gpiolib.isOut[1]).toBe(1);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(requests(r.m, from)).toEqual([req(1, MSG_SET_VALUE, 1), req(1, MSG_SET_DIRECTION, DIRECTION_OUT), req(1, MSG_SET_DIRECTION, DIRECTION_IN), req(1, MSG_SET_DIRECTION, DIRECTION_NONE)]);
  });
});

describe('gpioset --interactive', () => {
  test('the gpioset> prompt: get, set, toggle, sleep, help, errors, exit — with v2.2 messages', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'gpioset -i -c 0 1=1 clk=0')).toBe('gpioset -i -c 0 1=1 clk=0\ngpioset> ');
    expect(r.m.wire.level[1]).toBe(1);
    expect(type(r, 'get')).toBe('get\n"1"=active "clk"=inactive\ngpioset> ');
    expect(type(r, 'get clk')).toBe('get clk\n"clk"=inactive\ngpioset> ');
    expect(type(r, 'set 1=0 clk=on')).toBe('set 1=0 clk=on\ngpioset> ');
    expect([r.m.wire.level[1], r.m.wire.level[6]]).toEqual([0, 1]);
    expect(type(r, 'toggle 1')).toBe('toggle 1\ngpioset> ');
    expect([r.m.wire.level[1], r.m.wire.level[6]]).toEqual([1, 1]);
    expect(type(r, 'toggle')).toBe('toggle\ngpioset> ');
    expect([r.m.wire.level[1], r.m.wire.level[6]]).toEqual([0, 0]);
    expect(type(r, 'get 5')).toBe("get 5\nunknown line: '5'\ngpioset> ");
    expect(type(r, 'set 1')).toBe("set 1\ninvalid line value: '1'\ngpioset> ");
    expect(type(r, 'set 1=2')).toBe("set 1=2\ninvalid line value: '2'\ngpioset> ");
    expect(type(r, 'set')).toBe('set\nat least one GPIO line value must be specified\ngpioset> ');
    expect(type(r, 'get "clk')).toBe("get \"clk\ninvalid line id: '\"clk'\ngpioset> ");
    expect(type(r, 'get 1 clk 1')).toBe('get 1 clk 1\ntoo many command parameters provided\ngpioset> ');
    expect(type(r, 'sleep')).toBe('sleep\na period must be specified\ngpioset> ');
    expect(type(r, 'sleep 1 2')).toBe('sleep 1 2\nonly one period can be specified\ngpioset> ');
    expect(type(r, 'sleep 1x')).toBe("sleep 1x\ninvalid period: '1x'\ngpioset> ");
    expect(type(r, 'frob')).toBe("frob\nunknown command: 'frob'\nTry the 'help' command\ngpioset> ");
    expect(type(r, 'help')).toMatch(/^help\nCOMMANDS:\n\n {4}exit\n {8}Exit the program\n {4}get \[line\]\.\.\.\n[\s\S]*toggle \[line\]\.\.\.\n[\s\S]*\ngpioset> $/);
    // sleep holds the prompt back for the period; a line typed meanwhile waits for it.
    expect(type(r, 'sleep 5ms', 2 * MS)).toBe('sleep 5ms\n');
    expect(type(r, 'get 1', 1 * MS)).toBe('get 1\n');
    expect(type(r, '', 3 * MS)).toBe('\ngpioset> "1"=inactive\ngpioset> gpioset> ');
    // Simulator verbs still reach the shell; exit releases the lines and gives the prompt back.
    expect(type(r, 'levels')).toMatch(/^levels\n/);
    expect(type(r, 'exit')).toBe('exit\n$ ');
    expect(r.m.gpiolib.consumer[1]).toBe(null);
    expect(requests(r.m, from).filter((x) => x.startsWith('1:'))).toEqual([
      req(1, MSG_SET_VALUE, 1), req(1, MSG_SET_DIRECTION, DIRECTION_OUT), // request
      req(1, MSG_SET_VALUE, 0), req(1, MSG_SET_VALUE, 1), req(1, MSG_SET_VALUE, 0), // set, toggle 1, toggle
      req(1, MSG_SET_DIRECTION, DIRECTION_NONE), // exit
    ]);
  });

  test('-i with -t is refused; --unquoted applies to get; Ctrl-C ends it', () => {
    const r = ready();
    expect(type(r, 'gpioset -i -t 1ms led=1')).toBe("gpioset -i -t 1ms led=1\ngpioset: can't combine interactive with toggle\n$ ");
    type(r, 'gpioset --unquoted -i led=1');
    expect(type(r, 'get')).toBe('get\nled=active\ngpioset> ');
    r.shell.exec(SHELL_INTERRUPT);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.busy).toBe(false);
    expect(r.m.gpiolib.consumer[1]).toBe(null);
  });
});
