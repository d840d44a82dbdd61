import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { libraryEntry } from '../library/index';
import { validateScenario } from '../load';
import type { Scenario } from '../schema';
import { mergePatch } from './answer';
import { settingsDiff } from './check';

/**
 * settingsDiff against a simple model: pick any set of driver and policy
 * settings to change, each to a value other than the base's; the diff names
 * exactly those settings, whatever order they are written in.
 */
const base = libraryEntry('edge-while-away')?.scenario as Record<string, unknown>;
const load = (x: unknown): Scenario => {
  const r = validateScenario(x);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const baseScenario = load(base);

/** Settings with their possible values; the base has the first of each. */
const CHOICES: Record<string, readonly (string | boolean)[]> = {
  'driver.flow': ['level', 'fasteoi', 'edge'],
  'driver.requeue': ['after', 'before'],
  'driver.mask': ['flag', 'none-type'],
  'driver.typeChange': ['direct', 'via-none'],
  'device.transport': ['msi', 'intx'],
  'device.policy.onNone': ['now', 'lazy'],
  'device.policy.edgeLatch': ['single', 'queue:4'],
};

describe('settings diff (property)', () => {
  test('names exactly the settings changed, in sorted path order', () => {
    const change = fc.record(
      Object.fromEntries(Object.entries(CHOICES).map(([k, vals]) => [k, fc.option(fc.constantFrom(...vals.slice(1)), { nil: undefined })])),
    );
    fc.assert(
      fc.property(change, (picked) => {
        let patch: Record<string, unknown> = {};
        const expected: string[] = [];
        for (const [path, value] of Object.entries(picked)) {
          if (value === undefined) continue;
          expected.push(path);
          const keys = path.split('.');
          const leaf: Record<string, unknown> = {};
          let node = leaf;
          keys.slice(0, -1).forEach((k) => {
            node[k] = {};
            node = node[k] as Record<string, unknown>;
          });
          node[keys[keys.length - 1] as string] = value;
          patch = mergePatch(patch, leaf) as Record<string, unknown>;
        }
        const diff = settingsDiff(baseScenario, load(mergePatch(base, patch)));
        expect(diff).toEqual([...expected].sort());
        // Symmetric: going back is the same set of changes.
        expect(settingsDiff(load(mergePatch(base, patch)), baseScenario)).toEqual(diff);
      }),
      { numRuns: 200 },
    );
  });

  test('a merge patch applied twice gives the same scenario as once (RFC 7386 is idempotent)', () => {
    const value = fc.oneof(fc.constant(null), fc.integer(), fc.string({ maxLength: 3 }), fc.boolean());
    const patch = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(value, fc.dictionary(fc.constantFrom('x', 'y'), value)));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'd'), fc.oneof(value, fc.dictionary(fc.constantFrom('x', 'z'), value))), patch, (target, p) => {
        const once = mergePatch(target, p);
        expect(mergePatch(once, p)).toEqual(once);
      }),
    );
  });
});
