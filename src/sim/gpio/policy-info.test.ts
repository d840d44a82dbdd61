import { describe, expect, test } from 'vitest';
import { policyPreset, type DevicePolicy } from './policies';
import { DRIVER_INFO, POLICY_INFO, effectivePolicies, policyText } from './policy-info';

const asMap = (xs: ReturnType<typeof effectivePolicies>): Record<string, string> => Object.fromEntries(xs.map((p) => [p.key, p.value]));

describe('the settings in words and the policies in effect', () => {
  test('rust-vmm runs with its own policies, not the spec\u2019s, when the file sets none', () => {
    const p = effectivePolicies('rust-vmm', 'v1.2');
    expect(asMap(p)).toEqual({
      edgeLatch: 'queue:16',
      onNone: 'lazy',
      earlyBuffer: 'returned',
      typeChange: 'rejected',
      sameType: 'err',
      level: 'rejected',
      levelSample: 'resample',
      badGpio: 'crash',
      malformed: 'stall',
      outNeedsValue: 'true',
      getNeedsDirection: 'true',
      mockStorm: 'false',
      responseSize: 'exact',
      directionNone: 'keep-irq-type',
      hostRequest: 'true',
    });
    expect(p.filter((x) => x.differs)).toEqual([]);
  });

  test('every value is the one policyPreset gives the loader, for every preset and spec', () => {
    for (const preset of ['spec', 'rust-vmm', 'rust-vmm-mock'] as const) {
      for (const spec of ['v1.2', 'v8'] as const) {
        const own = policyPreset(preset, spec);
        for (const e of effectivePolicies(preset, spec)) expect(e.value).toBe(policyText(own, e.key));
      }
    }
    expect(asMap(effectivePolicies('spec', 'v8')).earlyBuffer).toBe('held');
    expect(asMap(effectivePolicies('spec', 'v1.2')).earlyBuffer).toBe('returned');
  });

  test('an override the file or a setting makes is in effect and marked as differing from the preset', () => {
    const p = effectivePolicies('rust-vmm', 'v1.2', { onNone: 'now', edgeLatch: 'queue:4', hostRequest: true });
    expect(p.filter((x) => x.differs).map((x) => `${x.key}: ${x.preset} -> ${x.value}`)).toEqual(['edgeLatch: queue:16 -> queue:4', 'onNone: lazy -> now']);
  });

  test('every policy and driver variant has a line of text, and each option the panel offers is described', () => {
    const keys = Object.keys(policyPreset('spec', 'v1.2')) as (keyof DevicePolicy)[];
    expect(Object.keys(POLICY_INFO).sort()).toEqual([...keys].sort());
    for (const preset of ['spec', 'rust-vmm', 'rust-vmm-mock'] as const) {
      for (const e of effectivePolicies(preset, 'v1.2')) expect(POLICY_INFO[e.key].options[e.value], `${preset} ${e.key}=${e.value}`).toBeTruthy();
    }
    for (const info of [...Object.values(POLICY_INFO), ...Object.values(DRIVER_INFO)]) {
      expect(info.text.length).toBeGreaterThan(10);
      expect(Object.keys(info.options).length).toBeGreaterThanOrEqual(2);
      for (const line of Object.values(info.options)) expect(line).not.toContain('\n');
    }
  });
});
