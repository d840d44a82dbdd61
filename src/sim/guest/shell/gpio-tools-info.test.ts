/**
 * The gpio-tools-test.bash port (see gpio-tools.test.ts): the gpiodetect and
 * gpioinfo cases that list a whole chip, the first and every match of a name,
 * and the attribute menagerie of lines held by gpioset and gpiomon.
 */
import { describe, expect, test } from 'vitest';
import { dut, run, sim } from '../../testing/gpio-sim';

const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

describe('gpio-tools-test.bash: gpiodetect and gpioinfo', () => {
  test('gpiodetect_a_chip', () => {
    // gpio-sim's label is its device name ("gpio-sim.N-node0"); the virtio chip's is the virtio device's.
    const r = sim(4);
    for (const id of ['gpiochip0', '/dev/gpiochip0', '0']) {
      expect(run(r, `gpiodetect ${id}`)).toEqual({ out: 'gpiochip0 [virtio1] (4 lines)\n', status: 0 });
    }
  });

  test('gpioinfo_a_chip', () => {
    const r = sim(4);
    for (const id of ['gpiochip0', '/dev/gpiochip0', '0']) {
      const x = run(r, `gpioinfo --chip ${id}`);
      expect(lines(x.out)).toHaveLength(5);
      expect(lines(x.out)).toContain('gpiochip0 - 4 lines:');
      for (let i = 0; i < 4; i++) expect(x.out).toMatch(new RegExp(`\\s+line\\s+${i}:\\s+unnamed\\s+input`));
      expect(x.status).toBe(0);
    }
  });

  test('gpioinfo_first_matching_named_line', () => {
    // sim0's names, with its 7:foobar kept: the first 'foobar' in offset order is listed, the second is not.
    const r = sim(8, { 1: 'foo', 2: 'bar', 3: 'foobar', 7: 'foobar' });
    const x = run(r, 'gpioinfo foobar');
    expect(lines(x.out)).toHaveLength(1);
    expect(x.out).toMatch(/^gpiochip0 3\s+"foobar"\s+input\n$/);
    expect(x.status).toBe(0);
  });

  test('gpioinfo_all_lines_matching_name', () => {
    // sim1's names: with --strict every match is listed, and more lines than ids is a failure.
    const r = sim(8, { 0: 'baz', 2: 'foobar', 4: 'xyz', 7: 'foobar' });
    const x = run(r, 'gpioinfo --strict foobar');
    expect(lines(x.out)).toHaveLength(2);
    expect(x.out).toMatch(/gpiochip0 2\s+"foobar"\s+input/);
    expect(x.out).toMatch(/gpiochip0 7\s+"foobar"\s+input/);
    expect(x.status).toBe(1);
  });

  test('gpioinfo_line_attribute_menagerie', () => {
    // sim0's foo (line 1) and sim1's baz (line 3) on the one chip.
    const r = sim(8, { 1: 'foo', 3: 'baz' });
    const info = (re: (name: string, off: number) => RegExp): void => {
      const x = run(r, 'gpioinfo foo baz');
      expect(lines(x.out)).toHaveLength(2);
      expect(x.out).toMatch(re('foo', 1));
      expect(x.out).toMatch(re('baz', 3));
      expect(x.status).toBe(0);
    };
    const next = (cmd: string): void => {
      run(r, 'kill %1'); // dut_kill, dut_wait
      dut(r, cmd);
    };
    dut(r, 'gpioset --banner --active-low --bias=pull-up --drive=open-source foo=1 baz=0');
    info((n, o) => new RegExp(`gpiochip0 ${o}\\s+"${n}"\\s+output active-low drive=open-source bias=pull-up consumer="gpioset"`));
    next('gpioset --banner --bias=pull-down --drive=open-drain foo=1 baz=0');
    info((n, o) => new RegExp(`gpiochip0 ${o}\\s+"${n}"\\s+output drive=open-drain bias=pull-down consumer="gpioset"`));
    next('gpiomon --banner --bias=disabled --utc -p 10ms foo baz');
    info((n, o) => new RegExp(`gpiochip0 ${o}\\s+"${n}"\\s+input bias=disabled edges=both event-clock=realtime debounce-period=10ms consumer="gpiomon"`));
    next('gpiomon --banner --edges=rising --localtime foo baz');
    info((n, o) => new RegExp(`gpiochip0 ${o}\\s+"${n}"\\s+input edges=rising event-clock=realtime consumer="gpiomon"`));
    next('gpiomon --banner --edges=falling foo baz');
    info((n, o) => new RegExp(`gpiochip0 ${o}\\s+"${n}"\\s+input edges=falling consumer="gpiomon"`));
  });
});
