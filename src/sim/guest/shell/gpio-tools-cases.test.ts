/**
 * The count of the gpio-tools-test.bash port as a checked fact: the 163
 * test_* functions of libgpiod v2.2.4's tools/gpio-tools-test.bash (in file
 * order), the ones judged inapplicable with why, and a check that the cases
 * ported in gpio-tools*.test.ts (each a test named after its function) plus
 * the inapplicable ones are exactly those 163, and that the header comment of
 * gpio-tools.test.ts says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

/** grep '^test_' tools/gpio-tools-test.bash at tag v2.2.4, without the prefix. */
const ALL_CASES = [
  'gpiodetect_all_chips', 'gpiodetect_a_chip', 'gpiodetect_multiple_chips', 'gpiodetect_with_nonexistent_chip', 'gpioinfo_all_chips',
  'gpioinfo_all_chips_with_some_used_lines', 'gpioinfo_a_chip', 'gpioinfo_a_line', 'gpioinfo_first_matching_named_line',
  'gpioinfo_multiple_lines', 'gpioinfo_line_attribute_menagerie', 'gpioinfo_with_same_line_twice', 'gpioinfo_all_lines_matching_name',
  'gpioinfo_with_lines_strictly_by_name', 'gpioinfo_with_nonexistent_chip', 'gpioinfo_with_nonexistent_line',
  'gpioinfo_with_offset_out_of_range', 'gpioget_by_name', 'gpioget_by_offset', 'gpioget_by_symlink', 'gpioget_by_chip_and_name',
  'gpioget_first_matching_named_line', 'gpioget_multiple_lines', 'gpioget_multiple_lines_by_name_and_offset',
  'gpioget_multiple_lines_across_multiple_chips', 'gpioget_with_numeric_values', 'gpioget_with_active_low', 'gpioget_with_consumer',
  'gpioget_with_pull_up', 'gpioget_with_pull_down', 'gpioget_with_direction_as_is', 'gpioget_with_hold_period',
  'gpioget_with_strict_named_line_check', 'gpioget_with_lines_by_offset', 'gpioget_with_lines_strictly_by_name',
  'gpioget_with_no_arguments', 'gpioget_with_chip_but_no_line_specified', 'gpioget_with_offset_out_of_range',
  'gpioget_with_nonexistent_line', 'gpioget_with_same_line_twice', 'gpioget_with_invalid_bias', 'gpioget_with_invalid_hold_period',
  'gpioset_by_name', 'gpioset_by_offset', 'gpioset_by_symlink', 'gpioset_by_chip_and_name', 'gpioset_first_matching_named_line',
  'gpioset_multiple_lines', 'gpioset_multiple_lines_by_name_and_offset', 'gpioset_multiple_lines_across_multiple_chips',
  'gpioset_with_active_low', 'gpioset_with_consumer', 'gpioset_with_push_pull', 'gpioset_with_open_drain', 'gpioset_with_open_source',
  'gpioset_with_pull_up', 'gpioset_with_pull_down', 'gpioset_with_value_variants', 'gpioset_with_hold_period',
  'gpioset_reject_invalid_period', 'gpioset_interactive_exit', 'gpioset_interactive_help', 'gpioset_interactive_get',
  'gpioset_interactive_get_unquoted', 'gpioset_interactive_set', 'gpioset_interactive_toggle', 'gpioset_interactive_sleep',
  'gpioset_toggle_continuous', 'gpioset_toggle_terminated', 'gpioset_with_invalid_toggle_period', 'gpioset_with_strict_named_line_check',
  'gpioset_with_lines_by_offset', 'gpioset_with_lines_strictly_by_name', 'gpioset_interactive_after_SIGTERM', 'gpioset_with_no_arguments',
  'gpioset_with_chip_but_no_line_specified', 'gpioset_with_offset_out_of_range', 'gpioset_with_invalid_hold_period',
  'gpioset_with_invalid_value', 'gpioset_with_invalid_offset', 'gpioset_with_invalid_bias', 'gpioset_with_invalid_drive',
  'gpioset_with_interactive_and_toggle', 'gpioset_with_nonexistent_line', 'gpioset_with_same_line_twice', 'gpiomon_by_name',
  'gpiomon_by_offset', 'gpiomon_by_symlink', 'gpiomon_by_chip_and_name', 'gpiomon_first_matching_named_line', 'gpiomon_rising_edge',
  'gpiomon_falling_edge', 'gpiomon_both_edges', 'gpiomon_with_pull_up', 'gpiomon_with_pull_down', 'gpiomon_with_active_low',
  'gpiomon_with_consumer', 'gpiomon_with_quiet_mode', 'gpiomon_with_unquoted', 'gpiomon_with_num_events', 'gpiomon_with_debounce_period',
  'gpiomon_with_idle_timeout', 'gpiomon_multiple_lines', 'gpiomon_multiple_lines_by_name_and_offset',
  'gpiomon_multiple_lines_across_multiple_chips', 'gpiomon_exit_after_SIGTERM', 'gpiomon_with_nonexistent_line',
  'gpiomon_with_same_line_twice', 'gpiomon_with_strict_named_line_check', 'gpiomon_with_lines_by_offset',
  'gpiomon_with_lines_strictly_by_name', 'gpiomon_with_no_arguments', 'gpiomon_with_no_line_specified', 'gpiomon_with_offset_out_of_range',
  'gpiomon_with_invalid_bias', 'gpiomon_with_invalid_debounce_period', 'gpiomon_with_invalid_idle_timeout',
  'gpiomon_with_custom_format_event_type_offset', 'gpiomon_with_custom_format_event_type_offset_joined',
  'gpiomon_with_custom_format_edge_chip_and_line', 'gpiomon_with_custom_format_seconds_timestamp',
  'gpiomon_with_custom_format_UTC_timestamp', 'gpiomon_with_custom_format_localtime_timestamp',
  'gpiomon_with_custom_format_double_percent_sign', 'gpiomon_with_custom_format_double_percent_sign_event_type_specifier',
  'gpiomon_with_custom_format_single_percent_sign', 'gpiomon_with_custom_format_single_percent_sign_between_other_characters',
  'gpiomon_with_custom_format_unknown_specifier', 'gpionotify_by_name', 'gpionotify_by_offset', 'gpionotify_by_symlink',
  'gpionotify_by_chip_and_name', 'gpionotify_first_matching_named_line', 'gpionotify_with_requested', 'gpionotify_with_released',
  'gpionotify_with_quiet_mode', 'gpionotify_with_unquoted', 'gpionotify_with_num_events', 'gpionotify_with_idle_timeout',
  'gpionotify_multiple_lines', 'gpionotify_multiple_lines_by_name_and_offset', 'gpionotify_multiple_lines_across_multiple_chips',
  'gpionotify_exit_after_SIGTERM', 'gpionotify_with_nonexistent_line', 'gpionotify_with_same_line_twice',
  'gpionotify_with_strict_named_line_check', 'gpionotify_with_lines_by_offset', 'gpionotify_with_lines_strictly_by_name',
  'gpionotify_with_no_arguments', 'gpionotify_with_no_line_specified', 'gpionotify_with_offset_out_of_range',
  'gpionotify_with_invalid_idle_timeout', 'gpionotify_with_custom_format_event_type_offset',
  'gpionotify_with_custom_format_event_type_offset_joined', 'gpionotify_with_custom_format_event_chip_and_line',
  'gpionotify_with_custom_format_seconds_timestamp', 'gpionotify_with_custom_format_UTC_timestamp',
  'gpionotify_with_custom_format_localtime_timestamp', 'gpionotify_with_custom_format_double_percent_sign',
  'gpionotify_with_custom_format_double_percent_sign_event_type_specifier', 'gpionotify_with_custom_format_single_percent_sign',
  'gpionotify_with_custom_format_single_percent_sign_between_other_characters', 'gpionotify_with_custom_format_unknown_specifier',
];

const SEVERAL_CHIPS = 'several chips: the guest has one virtio-gpio chip, and the case is about lines or chips beyond the first';
const SYMLINK = 'a symlink to the chip device file: the simulated guest has no file system';
const BIAS = 'the bias must move the line: gpio-virtio has no .set_config, so Linux records a requested bias and the line keeps its level';

/** Cases a single virtio-gpio chip cannot express, with why. */
const INAPPLICABLE: Record<string, string> = {
  gpiodetect_all_chips: SEVERAL_CHIPS,
  gpiodetect_multiple_chips: SEVERAL_CHIPS,
  gpioinfo_all_chips: SEVERAL_CHIPS,
  gpioinfo_all_chips_with_some_used_lines: SEVERAL_CHIPS,
  gpioget_by_chip_and_name: SEVERAL_CHIPS,
  gpioset_by_chip_and_name: SEVERAL_CHIPS,
  gpiomon_by_chip_and_name: SEVERAL_CHIPS,
  gpionotify_by_chip_and_name: SEVERAL_CHIPS,
  gpioget_multiple_lines_across_multiple_chips: SEVERAL_CHIPS,
  gpioset_multiple_lines_across_multiple_chips: SEVERAL_CHIPS,
  gpiomon_multiple_lines_across_multiple_chips: SEVERAL_CHIPS,
  gpionotify_multiple_lines_across_multiple_chips: SEVERAL_CHIPS,
  gpioget_by_symlink: SYMLINK,
  gpioset_by_symlink: SYMLINK,
  gpiomon_by_symlink: SYMLINK,
  gpionotify_by_symlink: SYMLINK,
  gpioget_with_pull_up: BIAS,
  gpioget_with_pull_down: BIAS,
  gpioset_with_pull_up: BIAS,
  gpioset_with_pull_down: BIAS + ' (its expected values equal the default low of released lines, so a port would pass without testing the bias)',
  gpiomon_with_pull_up: BIAS,
  gpiomon_with_pull_down: BIAS,
};

const DIR = new URL('./', import.meta.url);
/** The ported cases: tests named exactly like a test_* function, in the port's files. */
function portedCases(): string[] {
  const files = readdirSync(DIR).filter((f) => /^gpio-tools.*\.test\.ts$/.test(f) && f !== 'gpio-tools-cases.test.ts');
  const out: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(new URL(f, DIR), 'utf8').matchAll(/\btest\('(gpio[a-z]+_[A-Za-z0-9_]+)'/g)) out.push(m[1] as string);
  }
  return out;
}

describe('the gpio-tools-test.bash port accounts for all 163 cases', () => {
  test('the list holds the 163 test_* names of v2.2.4, each once', () => {
    expect(ALL_CASES).toHaveLength(163);
    expect(new Set(ALL_CASES).size).toBe(163);
  });

  test('ported plus inapplicable are exactly the 163 cases: 141 ported, 22 inapplicable, none left', () => {
    const ported = portedCases();
    expect(new Set(ported).size).toBe(ported.length); // no case ported twice
    for (const name of ported) expect(ALL_CASES, name).toContain(name);
    for (const name of Object.keys(INAPPLICABLE)) {
      expect(ALL_CASES, name).toContain(name);
      expect(ported, name).not.toContain(name);
    }
    const accounted = new Set([...ported, ...Object.keys(INAPPLICABLE)]);
    expect(ALL_CASES.filter((n) => !accounted.has(n))).toEqual([]);
    expect(ported).toHaveLength(141);
    expect(Object.keys(INAPPLICABLE)).toHaveLength(22);
  });

  test("gpio-tools.test.ts's header gives the count, names every inapplicable case and says none is left", () => {
    const src = readFileSync(new URL('gpio-tools.test.ts', DIR), 'utf8');
    const header = src.slice(0, src.indexOf('*/'));
    expect(header).toContain('141 are ported');
    expect(header).toContain('22 are inapplicable');
    expect(header).toContain('not ported: none');
    for (const name of Object.keys(INAPPLICABLE)) expect(header, name).toMatch(new RegExp(`\\b${name}\\b`));
  });
});
