import { describe, expect, test } from 'vitest';
import { MS, build, ready, type } from '../../../testing/shell';

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
