import { describe, expect, test } from 'vitest';
import { LIBRARY } from './library/index';
import { changedSettings } from './settings-changed';

const calm = LIBRARY.find((e) => e.id === 'calm-board')!.scenario as Record<string, unknown>;
const withDevice = (s: Record<string, unknown>, d: Record<string, unknown>): Record<string, unknown> => ({ ...s, device: { ...(s['device'] as object), ...d } });

describe('which settings a session changed from its file', () => {
  test('the file itself has no change, and neither has a default written out', () => {
    expect(changedSettings(calm, structuredClone(calm))).toEqual([]);
    expect(changedSettings(calm, { ...calm, driver: { ...(calm['driver'] as object), mask: 'flag' } })).toEqual([]);
  });

  test('another preset is a change, with each policy it runs differently', () => {
    expect(changedSettings(calm, withDevice(calm, { preset: 'rust-vmm' }))).toEqual([
      'device.preset',
      'device.policy.edgeLatch',
      'device.policy.onNone',
      'device.policy.typeChange',
      'device.policy.sameType',
      'device.policy.level',
      'device.policy.badGpio',
      'device.policy.malformed',
      'device.policy.outNeedsValue',
      'device.policy.getNeedsDirection',
      'device.policy.responseSize',
      'device.policy.directionNone',
      'device.policy.hostRequest',
    ]);
  });

  test('a policy, a driver variant, a latency and the seed are each named', () => {
    const now = { ...withDevice(calm, { policy: { onNone: 'lazy' }, latency: { notify: [500, 500] } }), seed: 9, driver: { requeue: 'before' } };
    expect(changedSettings(calm, now)).toEqual(['seed', 'device.policy.onNone', 'device.latency.notify', 'driver.requeue']);
  });
});
