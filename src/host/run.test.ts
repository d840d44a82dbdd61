import { describe, expect, it } from 'vitest';
import { resolveScenario, validateScenario } from '../sim/scenario/load';
import { qemuPassesIrq } from './cache';
import { GUEST_BOARD } from './guest-scenario';
import { refuseIrq } from './run';

function cfg() {
  const v = validateScenario(GUEST_BOARD);
  if (!v.ok) throw new Error(v.error);
  const r = resolveScenario(v.value);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('interrupts and the QEMU version', () => {
  it('refuses F_IRQ with the reason on QEMU before 9.0, and offers it from 9.0', () => {
    const old = cfg();
    expect(refuseIrq(old, '7.2.0')).toMatch(/QEMU 7\.2\.0 is older than 9\.0.*VIRTIO_GPIO_F_IRQ/);
    expect(old.device.offerIrq).toBe(false);
    const now = cfg();
    expect(refuseIrq(now, '10.0.2')).toBeNull();
    expect(now.device.offerIrq).toBe(true);
    expect([qemuPassesIrq('8.2.9'), qemuPassesIrq('9.0.0'), qemuPassesIrq('garbage')]).toEqual([false, true, false]);
  });
});
