import { describe, expect, test } from 'vitest';
import { settingsHelp } from './settings-help';

describe('vgpio diff --help lists every setting with its options', () => {
  const lines = settingsHelp().split('\n');

  test('each policy and driver variant has its line and one line per option, as the settings panel words them', () => {
    expect(lines[0]).toBe('Settings and their options:');
    const at = lines.indexOf('  device.policy.onNone: when SET_IRQ_TYPE NONE gives a held eventq buffer back');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '      now            at once, INVALID (the spec)',
      '      lazy           only at the next edge, edge detection staying on (rust-vmm)',
    ]);
    expect(lines).toContain('  driver.mask: how irq_mask masks the line');
    expect(lines.filter((l) => /^ {2}\S/.test(l))).toHaveLength(3 + 15 + 4);
  });

  test('the lines carry no control characters (nothing a terminal would act on)', () => {
    for (const l of lines) expect(l).not.toMatch(/[\x00-\x1f\x7f]/);
  });
});
