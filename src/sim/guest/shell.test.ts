import { describe, expect, test } from 'vitest';
import { formatSecNs } from '../clock/time';
import { DIRECTION_IN, DIRECTION_NONE, DIRECTION_OUT, IRQ_TYPE_EDGE_FALLING, IRQ_TYPE_NONE, MSG_GET_VALUE, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE, MSG_SET_VALUE } from '../gpio/constants';
import { Machine } from '../machine';
import { loadScenario, resolveScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import { TK } from '../trace/kinds';
import { IrqConsumer } from './clients';
import { SHELL_INTERRUPT, type Shell } from './shell';

const US = 1_000;
const MS = 1_000_000;

const LINES = [
  { name: 'button' }, // 0: a button (active low: idles high)
  { name: 'led' }, // 1: nothing outside drives it (pull-down)
  {}, // 2: unnamed
  { name: 'irqline' }, // 3: taken by a kernel irq consumer
  { name: 'a_very_long_line_name' }, // 4
  { name: 'sw' }, // 5: a switch, low at start
  { name: 'clk' }, // 6
  { name: 'lvl' }, // 7: a level source
];

function build(extra: Record<string, unknown> = {}, withRun = true) {
  const s = loadScenario(
    JSON.stringify({
      version: 1,
      title: 'shell test',
      duration: '1s',
      device: { lines: LINES },
      world: { button: { kind: 'button' }, sw: { kind: 'toggle', initial: 0 }, lvl: { kind: 'level-source' } },
      clients: [{ kind: 'irq-consumer', line: 'irqline', trigger: 'edge-rising', name: 'mydrv' }],
      ...extra,
    }),
  );
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  const m = new Machine(cfg.value);
  const shell = m.shell;
  if (withRun) shell.runFor = (ns) => void m.runUntil(m.now + ns);
  return { m, shell };
}

/** A machine whose guest has probed the chip. */
function ready(extra: Record<string, unknown> = {}, probeNs = 1 * MS) {
  const r = build(extra);
  r.m.runUntil(probeNs);
  expect(r.m.chipReady).toBe(true);
  return r;
}

/** Types a command, lets `ns` of simulated time pass, returns what appeared. */
function type(r: { m: Machine; shell: Shell }, cmd: string, ns = 1 * MS): string {
  const from = r.shell.transcript().length;
  r.shell.exec(cmd);
  r.m.runUntil(r.m.now + ns);
  return r.shell.transcript().slice(from);
}

/** Requests the device read (MsgRequest: a = type, b = value), in order, from trace seq `from`. */
function requests(m: Machine, from = 0): string[] {
  const out: string[] = [];
  m.trace.forEach((e) => {
    if (e.kind === TK.MsgRequest) out.push(`${e.line}:${e.a}:${e.b}`);
  }, from);
  return out;
}

const req = (line: number, type: number, value = 0): string => `${line}:${type}:${value}`;

describe('gpiodetect', () => {
  test('lists the one chip, by every name it has', () => {
    const r = ready();
    expect(type(r, 'gpiodetect')).toBe('gpiodetect\ngpiochip0 [virtio1] (8 lines)\n$ ');
    expect(type(r, 'gpiodetect 0 gpiochip0 /dev/gpiochip0 gpiochip1')).toBe(
      'gpiodetect 0 gpiochip0 /dev/gpiochip0 gpiochip1\n' +
        'gpiochip0 [virtio1] (8 lines)\n'.repeat(3) +
        "gpiodetect: cannot find GPIO chip character device 'gpiochip1'\n$ ",
    );
    expect(r.shell.lastStatus).toBe(1);
  });

  test('a command typed before the guest probed waits for the chip', () => {
    const r = build();
    r.shell.exec('gpiodetect');
    expect(r.shell.transcript()).toBe('$ gpiodetect\n(gpiochip0 is not registered yet: the guest driver is still probing; the command runs when it is)\n');
    expect(r.shell.atPrompt).toBe(false);
    r.m.runUntil(1 * MS);
    expect(r.shell.transcript()).toMatch(/runs when it is\)\ngpiochip0 \[virtio1\] \(8 lines\)\n\$ $/);
    expect(r.shell.atPrompt).toBe(true);
  });

  test('--version, --help, and getopt errors', () => {
    const r = ready();
    expect(type(r, 'gpiodetect -v')).toMatch(/^gpiodetect -v\ngpiodetect \(libgpiod\) v2\.2\.4 \[simulated\]\n/);
    expect(type(r, 'gpiodetect --help')).toMatch(/^gpiodetect --help\nUsage: gpiodetect \[OPTIONS\] \[chip\]\.\.\.\n/);
    expect(type(r, 'gpiodetect -x')).toBe("gpiodetect -x\ngpiodetect: invalid option -- 'x'\ngpiodetect: try gpiodetect --help\n$ ");
    expect(type(r, 'gpiodetect --bogus=1')).toBe("gpiodetect --bogus=1\ngpiodetect: unrecognized option '--bogus=1'\ngpiodetect: try gpiodetect --help\n$ ");
    expect(type(r, 'gpiodetect --help=1')).toBe("gpiodetect --help=1\ngpiodetect: option '--help' doesn't allow an argument\ngpiodetect: try gpiodetect --help\n$ ");
    expect(type(r, 'gpiodetect --vers')).toMatch(/^gpiodetect --vers\ngpiodetect \(libgpiod\)/);
  });
});

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
});

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
      /^gpioset --banner -c 0 1=active 2=true clk=off &\n\[1\] \d+\nSetting lines '1', '2' and 'clk'\.\.\.\n\$ $/,
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
    expect(type(r, 'gpioset -d open-drain led=1')).toMatch(/^gpioset -d open-drain led=1\ngpioset: drive 'open-drain' is not modelled/);
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
});

describe('gpiomon', () => {
  /** Times of gpiomon's primary handler calls (where the event timestamp is taken). */
  function stamps(m: Machine, clientId: number, from: number): number[] {
    const t: number[] = [];
    m.trace.forEach((e) => {
      if (e.kind === TK.HandlerStart && e.a === clientId && e.c === 0) t.push(e.t);
    }, from);
    return t;
  }

  test('prints each edge with the timestamp taken by the handler; -n 2 exits and releases', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'gpiomon --banner -n 2 sw')).toBe("gpiomon --banner -n 2 sw\nMonitoring line 'sw'...\n");
    const id = r.m.clients.length - 1;
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    const [t1, t2] = stamps(r.m, id, from) as [number, number];
    expect(r.shell.transcript().endsWith(`Monitoring line 'sw'...\n${formatSecNs(t1)}\trising\t"sw"\n${formatSecNs(t2)}\tfalling\t"sw"\n$ `)).toBe(true);
    expect(r.shell.busy).toBe(false);
    // free_irq (SET_IRQ_TYPE NONE), then gpiod_free (SET_DIRECTION NONE).
    const tail = requests(r.m, from).slice(-2);
    expect(tail).toEqual([req(5, MSG_SET_IRQ_TYPE, IRQ_TYPE_NONE), req(5, MSG_SET_DIRECTION, DIRECTION_NONE)]);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    // More edges print nothing now.
    const mark = r.shell.transcript().length;
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().length).toBe(mark);
  });

  test('-c formats: "gpiochip0 N" before the name; unnamed lines; -e rising; Ctrl-C stops', () => {
    const r = ready();
    type(r, 'gpiomon -c 0 -e rising 5 2');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.world.set(2, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    const lines = r.shell.transcript().split('\n').slice(-3, -1);
    expect(lines[0]).toMatch(/^\d+\.\d{9}\trising\tgpiochip0 5 "sw"$/);
    expect(lines[1]).toMatch(/^\d+\.\d{9}\trising\tgpiochip0 2$/);
    expect(r.shell.busy).toBe(true);
    const mark = r.shell.transcript().length;
    r.shell.exec(SHELL_INTERRUPT); // a scripted Ctrl-C
    expect(r.shell.transcript().slice(mark)).toBe('^C\n$ ');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    expect(r.m.gpiolib.consumer[2]).toBe(null);
  });

  test('-F format specifiers, --utc, -q, --unquoted, -l', () => {
    const r = ready();
    type(r, 'gpiomon -n 1 -F "%o|%l|%c|%e|%E|%S|%%|%x|" sw &');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n5\|sw\|gpiochip0\|1\|rising\|\d\.\d{9}\|%\|%x\|\n\[1\]\+ {2}Done {20}gpiomon -n 1 -F '%o\|%l\|%c\|%e\|%E\|%S\|%%\|%x\|' sw\n\$ $/);
    type(r, 'gpiomon -n 1 --utc --unquoted sw &');
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n1970-01-01T00:00:00\.\d{9}Z\tfalling\tsw\n/);
    type(r, 'gpiomon -n 1 -l -F %E sw &');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\nfalling\n\[1\]\+ {2}Done/);
    const mark = r.shell.transcript().length;
    type(r, 'gpiomon -q -n 1 sw &');
    r.m.world.set(5, 0);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().slice(mark)).toMatch(/^gpiomon -q -n 1 sw &\n\[1\] \d+\n\[1\]\+ {2}Done {20}gpiomon -q -n 1 sw\n\$ $/);
  });

  test('Ctrl-C during the request (direction_input + request_irq) takes effect when it returns; nothing leaks', () => {
    const r = ready();
    const from = r.m.trace.total;
    r.shell.exec('gpiomon --banner sw');
    r.shell.interrupt();
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(false);
    expect(r.shell.transcript().endsWith('$ gpiomon --banner sw\n^C\n$ ')).toBe(true);
    expect(requests(r.m, from)).toEqual([
      req(5, MSG_SET_DIRECTION, DIRECTION_IN),
      req(5, MSG_SET_IRQ_TYPE, 3),
      req(5, MSG_SET_IRQ_TYPE, IRQ_TYPE_NONE),
      req(5, MSG_SET_DIRECTION, DIRECTION_NONE),
    ]);
    expect(r.m.irq.action[5]).toBe(null);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
    type(r, 'gpiomon sw');
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript()).toMatch(/\n\$ gpiomon sw\n\d+\.\d{9}\trising\t"sw"\n$/);
  });

  test('--idle-timeout exits after a quiet period', () => {
    const r = ready();
    r.shell.exec('gpiomon --idle-timeout 3ms sw');
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(false);
    expect(r.shell.lastStatus).toBe(0);
  });

  test('no VIRTIO_GPIO_F_IRQ: the error real users saw', () => {
    const r = ready({ device: { lines: LINES, irqFeature: false }, clients: [] });
    expect(type(r, 'gpiomon sw')).toBe('gpiomon sw\ngpiomon: error waiting for events: No such device\n$ ');
    expect(r.shell.lastStatus).toBe(1);
    expect(r.m.gpiolib.consumer[5]).toBe(null);
  });

  test('a busy line and option errors', () => {
    const r = ready();
    expect(type(r, 'gpiomon irqline')).toBe('gpiomon irqline\ngpiomon: unable to request lines on chip /dev/gpiochip0: Device or resource busy\n$ ');
    expect(type(r, 'gpiomon -e up sw')).toBe('gpiomon -e up sw\ngpiomon: invalid edges: up\n$ ');
    expect(type(r, 'gpiomon -n x sw')).toBe("gpiomon -n x sw\ngpiomon: invalid number: 'x'\n$ ");
    expect(type(r, 'gpiomon --s sw')).toBe("gpiomon --s sw\ngpiomon: option '--s' is ambiguous; possibilities: '--silent' '--strict'\ngpiomon: try gpiomon --help\n$ ");
    expect(type(r, 'gpiomon')).toBe('gpiomon\ngpiomon: at least one GPIO line must be specified\n$ ');
    const many = Array.from({ length: 65 }, (_, i) => `l${i}`).join(' ');
    expect(type(r, `gpiomon ${many}`)).toBe(`gpiomon ${many}\ngpiomon: too many lines given\n$ `);
  });
});

describe('jobs and the terminal contract', () => {
  test('background output while the prompt shows is printed above a redrawn prompt', () => {
    const r = ready();
    const chunks: [string, boolean][] = [];
    r.shell.onOutput = (t, redraw) => chunks.push([t, redraw]);
    type(r, 'gpiomon sw &');
    expect(r.shell.atPrompt).toBe(true);
    r.m.world.set(5, 1);
    r.m.runUntil(r.m.now + 1 * MS);
    const last = chunks[chunks.length - 1] as [string, boolean];
    expect(last[1]).toBe(true);
    expect(last[0]).toMatch(/^\r\x1b\[K\d+\.\d{9}\trising\t"sw"\n\$ $/);
    expect(r.shell.transcript()).toMatch(/\$ gpiomon sw &\n\[1\] \d+\n\d+\.\d{9}\trising\t"sw"\n\$ $/);
    expect(type(r, 'jobs')).toBe('jobs\n[1]+  Running                 gpiomon sw &\n$ ');
    expect(type(r, 'fg')).toBe('fg\ngpiomon sw\n');
    expect(r.shell.busy).toBe(true);
    r.shell.interrupt();
    expect(r.shell.busy).toBe(false);
    expect(type(r, 'fg %1')).toBe('fg %1\nvsh: fg: %1: no such job\n$ ');
    expect(type(r, 'kill %4 12345 abc')).toBe('kill %4 12345 abc\nvsh: kill: %4: no such job\nvsh: kill: (12345) - No such process\nvsh: kill: abc: arguments must be process or job IDs\n$ ');
  });

  test('a command while a foreground job runs is refused; simulator verbs still act', () => {
    const r = ready();
    type(r, 'gpiomon -n 1 sw');
    expect(type(r, 'gpioget led')).toBe('gpioget led\nvsh: gpiomon is running in the foreground: press Ctrl-C to stop it first (simulator verbs such as drive and pulse still work)\n');
    const out = type(r, 'drive sw 1');
    expect(out).toMatch(/^drive sw 1\n\d+\.\d{9}\trising\t"sw"\n\$ $/);
  });

  test('Ctrl-C while a request waits on the device takes effect when it completes (uninterruptible sleep)', () => {
    // A slow device: 10 ms per request.
    const r = ready({ device: { lines: LINES, latency: { request: '10ms' } } }, 500 * MS);
    r.shell.exec('gpioget sw');
    r.m.runUntil(r.m.now + 1 * MS);
    const mark = r.shell.transcript().length;
    r.shell.interrupt();
    expect(r.shell.transcript().slice(mark)).toBe('^C\n');
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 20 * MS);
    // The SET_DIRECTION completed, the signal was delivered: no value printed, the line released.
    expect(r.shell.transcript().slice(mark)).toBe('^C\n$ ');
    expect(r.shell.lastStatus).toBe(130);
    r.m.runUntil(r.m.now + 20 * MS);
    expect(r.m.gpiolib.consumer[5]).toBe(null);

    // A second Ctrl-C gives the terminal back; the job finishes in the background.
    r.shell.exec('gpioget sw');
    r.m.runUntil(r.m.now + 1 * MS);
    r.shell.interrupt();
    r.shell.interrupt();
    expect(r.shell.transcript()).toMatch(/\^C\n\^C\nvsh: gpioget is in uninterruptible sleep .*\n\[1\]\+ gpioget sw &\n\$ $/);
    expect(r.shell.busy).toBe(false);
    r.m.runUntil(r.m.now + 30 * MS);
    expect(r.shell.transcript()).toMatch(/\[1\]\+ {2}Interrupt {15}gpioget sw\n\$ $/);
  });

  test('Ctrl-C at the prompt, and type-ahead dropped by Ctrl-C', () => {
    const r = build();
    r.shell.exec('gpioinfo');
    r.shell.interrupt();
    r.m.runUntil(1 * MS);
    expect(r.shell.transcript()).toBe('$ gpioinfo\n(gpiochip0 is not registered yet: the guest driver is still probing; the command runs when it is)\n^C\n$ ');
  });

  test('exec(line, true): the terminal already echoed it; onOutput does not get it again', () => {
    const r = ready();
    const chunks: string[] = [];
    r.shell.onOutput = (t) => chunks.push(t);
    r.shell.exec('gpiodetect', true);
    expect(chunks).toEqual(['gpiochip0 [virtio1] (8 lines)\n', '$ ']);
    expect(r.shell.transcript().endsWith('$ gpiodetect\ngpiochip0 [virtio1] (8 lines)\n$ ')).toBe(true);
  });

  test('the trace records each command', () => {
    const r = ready();
    const from = r.m.trace.total;
    type(r, 'gpiodetect');
    type(r, 'time');
    const cmds: number[] = [];
    r.m.trace.forEach((e) => {
      if (e.kind === TK.ShellCommand) cmds.push(e.a);
    }, from);
    expect(cmds).toEqual([1, 2]);
  });

  test('a shell step in a scenario timeline runs at its time', () => {
    const r = build({ timeline: [{ at: '2ms', do: 'shell', command: 'gpioset -z led=1' }, { at: '5ms', do: 'shell', command: 'gpioget --numeric led' }] });
    r.m.runUntil(10 * MS);
    expect(r.shell.transcript()).toBe('$ gpioset -z led=1\n$ gpioget --numeric led\ngpioget: unable to request lines: Device or resource busy\n$ ');
    expect(r.m.wire.level[1]).toBe(1);
  });
});

describe('in a scenario run', () => {
  test('shell steps, a scripted Ctrl-C, and the shell expectation of the report', () => {
    const s = loadScenario(
      JSON.stringify({
        version: 1,
        title: 'shell steps',
        duration: '20ms',
        device: { lines: LINES },
        world: { button: { kind: 'button' } },
        timeline: [
          { at: 0, do: 'shell', command: 'gpiomon -n 2 -e falling button &' },
          { at: '2ms', do: 'shell', command: 'gpioset --banner led=1' },
          { at: '3ms', do: 'press', line: 'button', hold: '1ms' },
          { at: '5ms', do: 'shell', command: 'press button 1ms' },
          { at: '8ms', do: 'shell', command: SHELL_INTERRUPT },
          { at: '9ms', do: 'shell', command: 'gpioinfo led' },
        ],
        expect: { shell: ["Setting line 'led'...", 'falling\t"button"', 'gpiochip0 1\t"led"           \toutput\n'] },
      }),
    );
    if (!s.ok) throw new Error(s.error);
    const r = runScenario(s.value);
    if (!r.ok) throw new Error(r.error);
    const out = r.value.report.shellOutput;
    expect(out).toMatch(
      /^\$ gpiomon -n 2 -e falling button &\n\(gpiochip0 is not registered yet: the guest driver is still probing; the command runs when it is\)\n\[1\] 100\n\$ gpioset --banner led=1\nSetting line 'led'\.\.\.\n0\.00300\d{4}\tfalling\t"button"\npress button 1ms\n0\.00500\d{4}\tfalling\t"button"\n\[1\]\+ {2}Done {20}gpiomon -n 2 -e falling button\n\^C\n\$ gpioinfo led\ngpiochip0 1\t"led" {11}\toutput\n\$ $/,
    );
    expect(r.value.report.expectations.every((e) => e.ok)).toBe(true);
  });
});

describe('simulator verbs', () => {
  test('drive, release, pulse, press, clock, assert change the wire', () => {
    const r = ready();
    type(r, 'drive sw 1', 0);
    expect(r.m.wire.level[5]).toBe(1);
    type(r, 'drive 5 0', 0);
    expect(r.m.wire.level[5]).toBe(0);
    type(r, 'drive led 1', 0);
    expect(r.m.wire.level[1]).toBe(1);
    type(r, 'release led', 0);
    expect(r.m.wire.level[1]).toBe(0);
    type(r, 'pulse sw 50us', 20 * US);
    expect(r.m.wire.level[5]).toBe(1);
    r.m.runUntil(r.m.now + 40 * US);
    expect(r.m.wire.level[5]).toBe(0);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'press button 2ms', 1 * MS);
    expect(r.m.wire.level[0]).toBe(0);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'press button down', 0);
    expect(r.m.wire.level[0]).toBe(0);
    type(r, 'press button up', 0);
    expect(r.m.wire.level[0]).toBe(1);
    type(r, 'clock clk 1ms 2', 0);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(r.m.wire.level[6] as number);
      r.m.runUntil(r.m.now + 500 * US);
    }
    expect(seen).toEqual([1, 0, 1, 0, 0]);
    type(r, 'assert lvl', 0);
    expect(r.m.wire.level[7]).toBe(1);
  });

  test('irq changes the irq-consumer trigger through irq_set_irq_type', () => {
    const r = ready();
    const from = r.m.trace.total;
    expect(type(r, 'irq irqline edge-falling')).toBe('irq irqline edge-falling\n$ ');
    const c = r.m.clients[0] as IrqConsumer;
    expect(c.trigger).toBe(IRQ_TYPE_EDGE_FALLING);
    expect(requests(r.m, from)).toEqual([req(3, MSG_SET_IRQ_TYPE, IRQ_TYPE_EDGE_FALLING)]);
    expect(type(r, 'irq sw rising')).toBe('irq sw rising\nirq: no irq-consumer client on line 5 (the scenario\'s clients own interrupts; gpiomon uses its own)\n$ ');
    expect(type(r, 'irq irqline sideways')).toBe(
      "irq irqline sideways\nirq: invalid trigger 'sideways' (none, edge-rising, edge-falling, edge-both, level-high, level-low)\n$ ",
    );
  });

  test('verb errors', () => {
    const r = ready();
    expect(type(r, 'drive')).toBe('drive\ndrive: missing line (a name or an offset 0..7)\n$ ');
    expect(type(r, 'drive nope 1')).toBe("drive nope 1\ndrive: no line 'nope' (give a line name or an offset 0..7)\n$ ");
    expect(type(r, 'drive sw 2')).toBe("drive sw 2\ndrive: invalid level '2' (0 or 1)\n$ ");
    expect(type(r, 'drive sw 1 2')).toBe('drive sw 1 2\ndrive: too many arguments (usage: drive <line> <0|1>)\n$ ');
    expect(type(r, 'pulse sw 5')).toMatch(/^pulse sw 5\npulse: invalid width '5' \(a duration from 1 ns to 1 hour/);
    expect(type(r, 'press sw')).toBe("press sw\npress: line 5 is not wired to a button (its source is 'toggle'); use drive or pulse\n$ ");
    expect(type(r, 'assert sw')).toBe("assert sw\nassert: line 5 is not wired to a level source (its source is 'toggle')\n$ ");
    expect(type(r, 'clock clk 50ns')).toMatch(/^clock clk 50ns\nclock: invalid period '50ns'/);
    expect(type(r, 'clock clk 1ms 0')).toBe("clock clk 1ms 0\nclock: invalid count '0' (a number of periods, at least 1)\n$ ");
    expect(type(r, 'run')).toMatch(/^run\nrun: missing duration/);
  });

  test('run advances time through the host; without one it says who drives time', () => {
    const r = ready();
    const t = r.m.now;
    r.shell.exec('run 2ms');
    expect(r.m.now).toBe(t + 2 * MS);
    expect(type(r, 'time', 0)).toBe(`time\n0.003000000 s since boot (3 ms)\n$ `);
    const noHost = build({}, false);
    noHost.m.runUntil(1 * MS);
    expect(type(noHost, 'run 1ms', 0)).toBe("run 1ms\nrun: simulated time is driven by the app's controls here (play / step), not by the shell\n$ ");
  });

  test('levels', () => {
    const r = ready();
    type(r, 'drive sw 1');
    expect(type(r, 'levels sw 2 button')).toBe('levels sw 2 button\n   5  "sw"              1  world (1)\n   2  unnamed           0  pull-down\n   0  "button"          1  world (1)\n$ ');
  });

  test('help lists the tools and verbs', () => {
    const r = ready();
    const out = type(r, 'help', 0);
    for (const w of ['gpiodetect', 'gpioinfo', 'gpioget', 'gpioset', 'gpiomon', 'drive', 'release', 'pulse', 'press', 'clock', 'assert', 'irq', 'run', 'jobs']) expect(out).toContain(w);
    expect(type(r, 'help gpiomon', 0)).toContain('Format specifiers:');
  });
});

describe('bad input never throws', () => {
  test('unknown commands, syntax the shell refuses, control characters, huge lines', () => {
    const r = ready();
    expect(type(r, 'frobnicate')).toBe("frobnicate\nvsh: frobnicate: command not found (type 'help')\n$ ");
    expect(type(r, 'GPIOGET sw')).toBe("GPIOGET sw\nvsh: GPIOGET: command not found (did you mean 'gpioget'?)\n$ ");
    expect(r.shell.lastStatus).toBe(127);
    expect(type(r, 'echo $?')).toBe('echo $?\n127\n$ ');
    expect(type(r, 'gpioinfo | grep sw')).toBe("gpioinfo | grep sw\nvsh: '|' is not supported here: one simple command per line (no pipes, redirections, lists or substitutions)\n$ ");
    expect(type(r, "echo 'unterminated")).toBe("echo 'unterminated\nvsh: unexpected end of line while looking for matching `''\n$ ");
    expect(type(r, 'gpioinfo & gpiodetect')).toBe("gpioinfo & gpiodetect\nvsh: syntax error: '&' must end the line\n$ ");
    expect(type(r, '   # a comment')).toBe('   # a comment\n$ ');
    expect(type(r, 'gpiomon -F "%E %l" sw & # watch')).toMatch(/^gpiomon -F "%E %l" sw & # watch\n\[1\] \d+\n\$ $/);
    expect(type(r, 'jobs')).toBe("jobs\n[1]+  Running                 gpiomon -F '%E %l' sw &\n$ ");
    type(r, 'kill %1');
    expect(type(r, '')).toBe('\n$ ');
    expect(type(r, 'gpio\x1b[31mget sw')).toBe('gpioget sw\nvsh: control characters are not allowed in a command line\n$ ');
    const huge = 'gpioget ' + 'x'.repeat(10 * 1024);
    const out = type(r, huge);
    expect(out).toMatch(/^gpioget x+\.\.\. \(10248 characters\)\nvsh: line too long \(10248 characters; at most 4096\)\n\$ $/);
    expect(out.length).toBeLessThan(400);
    // A name with escapes in it never reaches the terminal raw.
    expect(type(r, "gpioget 'a\u009b2Jb'")).toBe("gpioget 'ab'\nvsh: control characters are not allowed in a command line\n$ ");
    expect(type(r, 'gpioget "\u202eevil"')).toBe("gpioget \"evil\"\ngpioget: cannot find line 'evil'\n$ ");
  });

  test('fuzz: random input, random timing', () => {
    const r = ready();
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const words = ['gpioget', 'gpioset', 'gpiomon', 'gpioinfo', 'gpiodetect', 'drive', 'pulse', 'press', 'clock', 'assert', 'irq', 'run', 'kill', 'fg', 'jobs', 'release', 'levels', 'echo', 'help', 'clear', 'time'];
    const args = ['sw', 'led', 'button', 'irqline', '0', '5', '9', '-c', '0', '-z', '-n', '2', '-t', '1ms,0', 'led=1', 'sw=0', '&', '%1', '"', "'", '-F', '%E', '--banner', '-e', 'both', '1ms', '50us', '\x00', '\x1b', '\u009b', '--', '-', '--x=', '$?', '\\', '#'];
    const chunks: string[] = [];
    r.shell.onOutput = (t) => chunks.push(t);
    for (let i = 0; i < 3000; i++) {
      let line: string;
      const k = rnd(10);
      if (k < 6) {
        line = [words[rnd(words.length)], ...Array.from({ length: rnd(5) }, () => args[rnd(args.length)])].join(' ');
      } else if (k < 8) {
        line = Array.from({ length: rnd(40) }, () => String.fromCharCode(rnd(0x3000))).join('');
      } else if (k < 9) {
        line = 'x'.repeat(rnd(20000));
      } else {
        r.shell.interrupt();
        continue;
      }
      expect(() => r.shell.exec(line)).not.toThrow();
      if (rnd(3) === 0) r.m.runUntil(r.m.now + rnd(3 * MS));
    }
    r.m.runUntil(r.m.now + 100 * MS);
    expect(r.shell.transcript()).not.toContain('internal error');
    expect(r.shell.transcript().length).toBeLessThanOrEqual((1 << 20) + (1 << 18));
    // Nothing that reached the terminal carried a raw control character other than the shell's own sequences.
    for (const c of chunks) expect(c.replace(/\r\x1b\[K|\x1b\[H\x1b\[2J\x1b\[3J/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  test('the transcript is bounded to about a megabyte', () => {
    const r = ready();
    for (let i = 0; i < 800; i++) r.shell.exec('help');
    const t = r.shell.transcript();
    expect(t.length).toBeLessThanOrEqual((1 << 20) + (1 << 18));
    expect(t.length).toBeGreaterThan(1 << 19);
    expect(t.endsWith('$ ')).toBe(true);
  });
});
