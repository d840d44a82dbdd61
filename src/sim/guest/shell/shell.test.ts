import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../scenario/load';
import { runScenario } from '../../scenario/runner';
import { TK } from '../../trace/kinds';
import { SHELL_INTERRUPT } from './shell';
import { build, LINES, MS, ready, type } from '../../testing/shell';

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
    expect(type(r, 'gpioget "\u202eevil"')).toBe("gpioget \"evil\"\ngpioget: cannot find line '\\u202eevil'\n$ ");
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
