/** The gpiomon and gpionotify cases of the gpio-tools-test.bash port: see gpio-tools.test.ts. */
import { describe, expect, test } from 'vitest';
import { MS } from '../../testing/shell';
import { dut, dutOut, run, setPull, sim, type Board } from '../../testing/gpio-sim';

describe('gpio-tools-test.bash: gpiomon', () => {
  /** dut_flush, then the pull changes, then what gpiomon printed. */
  function edges(r: Board, line: number, pulls: ('pull-up' | 'pull-down')[]): string[] {
    const mark = r.shell.transcript().length;
    for (const p of pulls) setPull(r, line, p);
    return dutOut(r, mark);
  }

  test('gpiomon_by_name', () => {
    const r = sim(8, { 4: 'foo' }, [4]);
    dut(r, 'gpiomon --banner --edges=rising foo');
    const out = edges(r, 4, ['pull-down', 'pull-up', 'pull-down']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+"foo"$/);
  });

  test('gpiomon_by_offset', () => {
    const r = sim(8, {}, [4]);
    const mark = r.shell.transcript().length;
    dut(r, 'gpiomon --banner --edges=rising --chip gpiochip0 4');
    expect(dutOut(r, mark)).toEqual(["Monitoring line '4'..."]);
    const out = edges(r, 4, ['pull-down', 'pull-up', 'pull-down']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+gpiochip0 4$/);
  });

  test('gpiomon_rising_edge', () => {
    const r = sim(8, {}, [4]);
    dut(r, 'gpiomon --banner --edges=rising --chip gpiochip0 4');
    const out = edges(r, 4, ['pull-down', 'pull-up', 'pull-down']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+gpiochip0 4$/);
  });

  test('gpiomon_falling_edge', () => {
    const r = sim(8);
    dut(r, 'gpiomon --banner --edges=falling --chip gpiochip0 4');
    const out = edges(r, 4, ['pull-up', 'pull-down', 'pull-up']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+falling\s+gpiochip0 4$/);
  });

  test('gpiomon_both_edges', () => {
    const r = sim(8);
    dut(r, 'gpiomon --banner --edges=both --chip gpiochip0 4');
    const out = edges(r, 4, ['pull-up', 'pull-down']);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+gpiochip0 4$/);
    expect(out[1]).toMatch(/^[0-9]+\.[0-9]+\s+falling\s+gpiochip0 4$/);
  });

  test('gpiomon_with_active_low', () => {
    const r = sim(8, {}, [4]);
    dut(r, 'gpiomon --banner --active-low --chip gpiochip0 4');
    const out = edges(r, 4, ['pull-down', 'pull-up']);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+gpiochip0 4$/);
    expect(out[1]).toMatch(/^[0-9]+\.[0-9]+\s+falling\s+gpiochip0 4$/);
  });

  test('gpiomon_with_consumer', () => {
    const r = sim(4, { 1: 'foo', 3: 'baz' });
    dut(r, 'gpiomon --banner --consumer gpio-tools-tests foo baz');
    const x = run(r, 'gpioinfo');
    expect(x.out).toMatch(/\s+line\s+0:\s+unnamed\s+input/);
    expect(x.out).toMatch(/\s+line\s+1:\s+"foo"\s+input edges=both consumer="gpio-tools-tests"/);
    expect(x.out).toMatch(/\s+line\s+3:\s+"baz"\s+input edges=both consumer="gpio-tools-tests"/);
  });

  test('gpiomon_with_quiet_mode', () => {
    const r = sim(8);
    dut(r, 'gpiomon --banner --edges=rising --quiet --chip gpiochip0 4');
    expect(edges(r, 4, ['pull-up'])).toEqual([]);
  });

  test('gpiomon_with_unquoted', () => {
    const r = sim(8, { 4: 'foo' }, [4]);
    dut(r, 'gpiomon --banner --unquoted --edges=rising foo');
    const out = edges(r, 4, ['pull-down', 'pull-up', 'pull-down']);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^[0-9]+\.[0-9]+\s+rising\s+foo$/);
  });

  test('gpiomon_with_num_events', () => {
    const r = sim(8);
    dut(r, 'gpiomon --num-events=4 --chip gpiochip0 4');
    const out = edges(r, 4, ['pull-up', 'pull-down', 'pull-up', 'pull-down']).filter((l) => /\t/.test(l));
    expect(out).toHaveLength(4);
    expect(out.map((l) => l.split('\t')[1])).toEqual(['rising', 'falling', 'rising', 'falling']);
    expect(out.every((l) => /^[0-9]+\.[0-9]+\s+(rising|falling)\s+gpiochip0 4$/.test(l))).toBe(true);
  });

  test('gpiomon_with_debounce_period', () => {
    const r = sim(4, { 1: 'foo', 3: 'baz' });
    dut(r, 'gpiomon --banner --debounce-period 123us foo baz');
    const x = run(r, 'gpioinfo');
    expect(x.out).toMatch(/\s+line\s+0:\s+unnamed\s+input/);
    expect(x.out).toMatch(/\s+line\s+1:\s+"foo"\s+input edges=both debounce-period=123us/);
    expect(x.out).toMatch(/\s+line\s+3:\s+"baz"\s+input edges=both debounce-period=123us/);
  });
});

describe('gpio-tools-test.bash: gpionotify', () => {
  test('gpionotify_by_name', () => {
    const r = sim(8, { 4: 'foo' });
    const mark = r.shell.transcript().length;
    dut(r, 'gpionotify --banner foo');
    run(r, 'gpioget foo');
    const out = dutOut(r, mark);
    expect(out[0]).toBe("Watching line 'foo'...");
    expect(out.filter((l) => /\t/.test(l)).map((l) => l.replace(/^[0-9]+\.[0-9]+\s+/, ''))).toEqual(['requested\t"foo"', 'released\t"foo"']);
  });

  /** request_release_line: a short request and release (gpioget). */
  const requestRelease = (r: Board, line: number): void => void run(r, `gpioget -c gpiochip0 ${line}`);
  const events = (out: string[]): string[] => out.filter((l) => /\t/.test(l)).map((l) => l.replace(/^[0-9]+\.[0-9]+\s+/, ''));

  test('gpionotify_by_offset', () => {
    const r = sim(8);
    const mark = r.shell.transcript().length;
    dut(r, 'gpionotify --banner --chip gpiochip0 4');
    requestRelease(r, 4);
    const out = dutOut(r, mark);
    expect(out[0]).toMatch(/^Watching line /);
    expect(events(out)).toEqual(['requested\tgpiochip0 4', 'released\tgpiochip0 4']);
  });

  test('gpionotify_with_requested', () => {
    const r = sim(8, {}, [4]);
    dut(r, 'gpionotify --banner --event=requested --chip gpiochip0 4');
    const mark = r.shell.transcript().length;
    requestRelease(r, 4);
    expect(events(dutOut(r, mark))).toEqual(['requested\tgpiochip0 4']);
  });

  test('gpionotify_with_released', () => {
    const r = sim(8);
    dut(r, 'gpionotify --banner --event=released --chip gpiochip0 4');
    const mark = r.shell.transcript().length;
    requestRelease(r, 4);
    expect(events(dutOut(r, mark))).toEqual(['released\tgpiochip0 4']);
  });

  test('gpionotify_with_quiet_mode', () => {
    const r = sim(8);
    dut(r, 'gpionotify --banner --quiet --chip gpiochip0 4');
    const mark = r.shell.transcript().length;
    requestRelease(r, 4);
    expect(events(dutOut(r, mark))).toEqual([]);
  });

  test('gpionotify_with_unquoted', () => {
    const r = sim(8, { 4: 'foo' });
    dut(r, 'gpionotify --banner --unquoted foo');
    const mark = r.shell.transcript().length;
    requestRelease(r, 4);
    expect(events(dutOut(r, mark))).toEqual(['requested\tfoo', 'released\tfoo']);
  });

  test('gpionotify_with_num_events', () => {
    const r = sim(8);
    dut(r, 'gpionotify --num-events=4 --chip gpiochip0 3 4');
    const mark = r.shell.transcript().length;
    requestRelease(r, 4);
    requestRelease(r, 3);
    expect(events(dutOut(r, mark))).toEqual(['requested\tgpiochip0 4', 'released\tgpiochip0 4', 'requested\tgpiochip0 3', 'released\tgpiochip0 3']);
    expect(r.m.gpiolib.infoWatchers.size).toBe(0); // exited after 4 events
  });

  test('gpionotify_with_idle_timeout', () => {
    const r = sim(8);
    const x = run(r, 'gpionotify --idle-timeout 10ms --chip gpiochip0 3 4', 11 * MS);
    expect(x).toEqual({ out: '', status: 0 });
  });

  test('gpionotify_multiple_lines', () => {
    const r = sim(8);
    const mark = r.shell.transcript().length;
    dut(r, 'gpionotify --banner --chip gpiochip0 1 2 3 4 5');
    for (const line of [2, 3, 4]) requestRelease(r, line);
    const out = dutOut(r, mark);
    expect(out[0]).toBe("Watching lines '1', '2', '3', '4', and '5'...");
    expect(events(out)).toEqual([2, 3, 4].flatMap((l) => [`requested\tgpiochip0 ${l}`, `released\tgpiochip0 ${l}`]));
  });
});

describe('gpio-tools-test.bash: gpiomon and gpionotify on several lines, by name and offset', () => {
  /** dut_flush after the banner, then each pull-up in turn: what gpiomon printed. */
  function risings(r: Board, cmd: string, order: number[]): string[] {
    const mark = r.shell.transcript().length;
    dut(r, cmd);
    for (const line of order) setPull(r, line, 'pull-up');
    return dutOut(r, mark);
  }

  test('gpiomon_multiple_lines', () => {
    const out = risings(sim(8), 'gpiomon --banner --format=%o --chip gpiochip0 1 3 2 5 4', [2, 3, 4]);
    expect(out).toEqual(["Monitoring lines '1', '3', '2', '5', and '4'...", '2', '3', '4']);
  });

  test('gpiomon_multiple_lines_by_name_and_offset', () => {
    const out = risings(sim(4, { 1: 'foo', 2: 'bar' }), 'gpiomon --banner --format=%o --chip gpiochip0 foo bar 3', [2, 3, 1]);
    expect(out).toEqual(["Monitoring lines 'foo', 'bar', and '3'...", '2', '3', '1']);
  });

  test('gpiomon_with_idle_timeout', () => {
    const r = sim(8);
    // gpiomon exits after 10 ms without an event, printing nothing, with status 0.
    expect(run(r, 'gpiomon --idle-timeout 10ms --chip gpiochip0 4', 11 * MS)).toEqual({ out: '', status: 0 });
    expect(r.shell.busy).toBe(false);
  });

  test('gpionotify_multiple_lines_by_name_and_offset', () => {
    const r = sim(4, { 1: 'foo', 2: 'bar' });
    const mark = r.shell.transcript().length;
    dut(r, 'gpionotify --banner --chip gpiochip0 bar foo 3');
    for (const line of [2, 1, 3]) run(r, `gpioget -c gpiochip0 ${line}`);
    const out = dutOut(r, mark);
    expect(out[0]).toBe("Watching lines 'bar', 'foo', and '3'...");
    expect(out.filter((l) => /\t/.test(l)).map((l) => l.replace(/^[0-9]+\.[0-9]+\s+/, ''))).toEqual([
      'requested\tgpiochip0 2 "bar"',
      'released\tgpiochip0 2 "bar"',
      'requested\tgpiochip0 1 "foo"',
      'released\tgpiochip0 1 "foo"',
      'requested\tgpiochip0 3',
      'released\tgpiochip0 3',
    ]);
  });
});
