import { DEVICE_INFO, DRIVER_INFO, POLICY_INFO, type SettingDescription } from '../sim/index';

/**
 * The settings `--with` can change, in the words the app's settings panel
 * uses (declared once in src/sim/gpio/policy-info.ts): one line per setting
 * with its options, and one indented line per option.
 */
export function settingsHelp(): string {
  const block = (prefix: string, table: Readonly<Record<string, SettingDescription>>): string[] =>
    Object.entries(table).flatMap(([key, info]) => [
      `  ${prefix}${key}: ${info.text}`,
      ...Object.entries(info.options).map(([value, text]) => `      ${value.padEnd(14)} ${text}`),
    ]);
  return ['Settings and their options:', ...block('device.', DEVICE_INFO), ...block('device.policy.', POLICY_INFO), ...block('driver.', DRIVER_INFO), ''].join('\n');
}
