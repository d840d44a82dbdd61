import { describe, expect, test } from 'vitest';
import { formatSecNs } from '../../../clock/time';
import { InfoEvent } from '../../gpiolib';
import { GpioOp } from '../../gpiolib';
import { SHELL_INTERRUPT } from '../shell';
import { MS, ready, type } from '../../../testing/shell';

describe('gpionotify', () => {
  test('prints requested and released as other tools take and give back the line; no device traffic of its own', () => {
    const r = ready();
    const before = r.m.trace.total;
    expect(type(r, 'gpionotify --banner led &')).toMatch(/^gpionotify --banner led &\n\[1\] \d+\nWatching line 'led'\.\.\.\n\$ $/);
    expect(r.m.trace.total).toBe(before + 1); // only the ShellCommand event
    const t0 = r.m.now;
    type(r, 'gpioget led');
    const out = r.shell.transcript();
    expect(out).toContain(`${formatSecNs(t0)}\trequested\t"led"\n`);
    expect(out).toMatch(/\d+\.\d{9}\treleased\t"led"\n/);
  });

  test('-c names the chip and offset; -e filters; -n exits; -q prints nothing; %-format', () => {
    const r = ready();
    r.shell.exec('gpionotify -c 0 -e released -n 1 1 2 &');
    type(r, 'gpioset -t 1ms,0 -c 0 1=1 2=1');
    expect(r.m.gpiolib.infoWatchers.size).toBe(1);
    r.m.runUntil(r.m.now + 3 * MS);
    expect(r.m.gpiolib.infoWatchers.size).toBe(0); // -n 1: exited after the first release
    const lines = r.shell.transcript().split('\n').filter((l) => l.includes('\treleased\t'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d+\.\d{9}\treleased\tgpiochip0 1 "led"$/);
    r.shell.exec('gpionotify -F "%o %l %E %e %C [%a] %c %% %x %" led sw &');
    type(r, 'gpioset -z led=1');
    expect(r.shell.transcript()).toContain('1 led requested 1 gpioset [output consumer="gpioset"] gpiochip0 % %x %\n');
    type(r, 'gpionotify -q led &');
    const mark = r.shell.transcript().length;
    r.shell.exec('kill %2');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.transcript().slice(mark)).not.toContain('gpioget');
  });

  test('a direction change on a held line is "reconfigured"; an unnamed line prints chip and offset; bad options', () => {
    const r = ready();
    r.shell.exec('gpionotify -c 0 2 &');
    expect(r.m.gpiolib.request(2, 'drv')).toBe(0);
    r.m.gpiolib.call(2, GpioOp.DirectionInput, 0, null, 0); // configures the request: no event
    r.m.runUntil(r.m.now + 1 * MS);
    r.m.gpiolib.call(2, GpioOp.DirectionOutput, 1, null, 0); // a later change: reconfigured
    r.m.runUntil(r.m.now + 1 * MS);
    const events = r.shell.transcript().split('\n').filter((l) => /\t(requested|released|reconfigured)\t/.test(l)).map((l) => l.split('\t').slice(1).join('\t'));
    expect(events).toEqual(['requested\tgpiochip0 2', 'reconfigured\tgpiochip0 2']);
    expect(InfoEvent.Reconfigured).toBe(3);
    r.shell.exec(SHELL_INTERRUPT);
    expect(type(r, 'gpionotify -e up led')).toBe('gpionotify -e up led\ngpionotify: invalid edge: up\n$ ');
    expect(type(r, 'gpionotify')).toBe('gpionotify\ngpionotify: at least one GPIO line must be specified\n$ ');
    expect(type(r, 'gpionotify nope')).toBe("gpionotify nope\ngpionotify: cannot find line 'nope'\n$ ");
    r.shell.exec('gpionotify --idle-timeout 2ms led');
    r.m.runUntil(r.m.now + 1 * MS);
    expect(r.shell.busy).toBe(true);
    r.m.runUntil(r.m.now + 2 * MS);
    expect(r.shell.busy).toBe(false);
  });
});
