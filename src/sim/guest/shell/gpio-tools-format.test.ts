/**
 * The gpio-tools-test.bash port (see gpio-tools.test.ts): gpiomon's and
 * gpionotify's --format cases. Each starts the tool on line 4, flushes what it
 * printed, makes one event (a pull-up for gpiomon; a request or a release by
 * gpioget for gpionotify), and compares what the tool printed: exactly, where
 * the suite reads everything (dut_read + output_is), by pattern where it
 * matches one line (dut_regex_match).
 */
import { describe, expect, test } from 'vitest';
import { dut, dutOut, run, setPull, sim } from '../../testing/gpio-sim';

/** dut_run, dut_flush, one rising edge on line 4, then everything gpiomon printed. */
function mon(cmd: string, names: Record<number, string> = {}): string[] {
  const r = sim(8, names);
  dut(r, cmd);
  const mark = r.shell.transcript().length;
  setPull(r, 4, 'pull-up');
  return dutOut(r, mark);
}

/** dut_run, dut_flush, request_release_line on line 4, then everything gpionotify printed. */
function notify(cmd: string, names: Record<number, string> = {}): string[] {
  const r = sim(8, names);
  dut(r, cmd);
  const mark = r.shell.transcript().length;
  // request_release_line sends gpioget's own output to /dev/null: leave out its echo and its one line.
  expect(run(r, 'gpioget -c gpiochip0 4').status).toBe(0);
  const out = dutOut(r, mark);
  for (const line of ['gpioget -c gpiochip0 4', '"4"=inactive']) {
    expect(out).toContain(line);
    out.splice(out.indexOf(line), 1);
  }
  return out;
}

const DATE = '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]\\.[0-9]+';

describe('gpio-tools-test.bash: gpiomon --format', () => {
  test('gpiomon_with_custom_format_event_type_offset', () => {
    expect(mon('gpiomon --banner "--format=%e %o" -c gpiochip0 4')).toEqual(['1 4']);
  });

  test('gpiomon_with_custom_format_event_type_offset_joined', () => {
    expect(mon('gpiomon --banner "--format=%e%o" -c gpiochip0 4')).toEqual(['14']);
  });

  test('gpiomon_with_custom_format_edge_chip_and_line', () => {
    const out = mon('gpiomon --banner "--format=%e %o %E %c %l" -c gpiochip0 baz', { 4: 'baz' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/1 4 rising gpiochip0 baz/);
  });

  test('gpiomon_with_custom_format_seconds_timestamp', () => {
    const out = mon('gpiomon --banner "--format=%e %o %S" -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^1 4 [0-9]+\.[0-9]+$/);
  });

  test('gpiomon_with_custom_format_UTC_timestamp', () => {
    const out = mon('gpiomon --banner "--format=%U %e %o " --event-clock=realtime -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^${DATE}Z 1 4 $`));
  });

  test('gpiomon_with_custom_format_localtime_timestamp', () => {
    const out = mon('gpiomon --banner "--format=%L %e %o" --event-clock=realtime -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^${DATE} 1 4$`));
  });

  test('gpiomon_with_custom_format_double_percent_sign', () => {
    expect(mon('gpiomon --banner "--format=start%%end" -c gpiochip0 4')).toEqual(['start%end']);
  });

  test('gpiomon_with_custom_format_double_percent_sign_event_type_specifier', () => {
    expect(mon('gpiomon --banner "--format=%%e" -c gpiochip0 4')).toEqual(['%e']);
  });

  test('gpiomon_with_custom_format_single_percent_sign', () => {
    expect(mon('gpiomon --banner "--format=%" -c gpiochip0 4')).toEqual(['%']);
  });

  test('gpiomon_with_custom_format_single_percent_sign_between_other_characters', () => {
    expect(mon('gpiomon --banner "--format=foo % bar" -c gpiochip0 4')).toEqual(['foo % bar']);
  });

  test('gpiomon_with_custom_format_unknown_specifier', () => {
    expect(mon('gpiomon --banner "--format=%x" -c gpiochip0 4')).toEqual(['%x']);
  });
});

describe('gpio-tools-test.bash: gpionotify --format', () => {
  test('gpionotify_with_custom_format_event_type_offset', () => {
    expect(notify('gpionotify --banner --event=requested "--format=%e %o" -c gpiochip0 4')).toEqual(['1 4']);
  });

  test('gpionotify_with_custom_format_event_type_offset_joined', () => {
    expect(notify('gpionotify --banner --event=requested "--format=%e%o" -c gpiochip0 4')).toEqual(['14']);
  });

  test('gpionotify_with_custom_format_event_chip_and_line', () => {
    const out = notify('gpionotify --banner --event=released "--format=%e %o %E %c %l" -c gpiochip0 baz', { 4: 'baz' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/2 4 released gpiochip0 baz/);
  });

  test('gpionotify_with_custom_format_seconds_timestamp', () => {
    const out = notify('gpionotify --banner --event=requested "--format=%e %o %S" -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^1 4 [0-9]+\.[0-9]+$/);
  });

  test('gpionotify_with_custom_format_UTC_timestamp', () => {
    const out = notify('gpionotify --banner --event=released "--format=%U %e %o" -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^${DATE}Z 2 4$`));
  });

  test('gpionotify_with_custom_format_localtime_timestamp', () => {
    const out = notify('gpionotify --banner --event=released "--format=%L %e %o" -c gpiochip0 4');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^${DATE} 2 4$`));
  });

  test('gpionotify_with_custom_format_double_percent_sign', () => {
    expect(notify('gpionotify --banner --event=requested "--format=start%%end" -c gpiochip0 4')).toEqual(['start%end']);
  });

  test('gpionotify_with_custom_format_double_percent_sign_event_type_specifier', () => {
    expect(notify('gpionotify --banner --event=requested "--format=%%e" -c gpiochip0 4')).toEqual(['%e']);
  });

  test('gpionotify_with_custom_format_single_percent_sign', () => {
    expect(notify('gpionotify --banner --event=requested "--format=%" -c gpiochip0 4')).toEqual(['%']);
  });

  test('gpionotify_with_custom_format_single_percent_sign_between_other_characters', () => {
    expect(notify('gpionotify --banner --event=requested "--format=foo % bar" -c gpiochip0 4')).toEqual(['foo % bar']);
  });

  test('gpionotify_with_custom_format_unknown_specifier', () => {
    expect(notify('gpionotify --banner --event=requested "--format=%x" -c gpiochip0 4')).toEqual(['%x']);
  });
});
