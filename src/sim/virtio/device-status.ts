import {
  STATUS_ACKNOWLEDGE,
  STATUS_DEVICE_NEEDS_RESET,
  STATUS_DRIVER,
  STATUS_DRIVER_OK,
  STATUS_FAILED,
  STATUS_FEATURES_OK,
  F_VERSION_1,
  hasFeature,
} from './constants';

/** Result of a driver write to the device status register. */
export type StatusWrite =
  | { ok: true; status: number }
  | { ok: false; status: number; reason: string };

/**
 * The device status register as a guarded transition function (virtio 1.2
 * 2.1 and 3.1.1, in the style of rust-vmm's ack_device_status): the driver may
 * only add the next bit of the initialization sequence; writing 0 resets;
 * FAILED may be set at any time. FEATURES_OK is refused when the driver acked
 * a feature the device never offered, or left out VERSION_1.
 */
export function writeStatus(
  current: number,
  value: number,
  offered: { lo: number; hi: number },
  acked: { lo: number; hi: number },
): StatusWrite {
  if (value === 0) return { ok: true, status: 0 };
  const keep = current & STATUS_DEVICE_NEEDS_RESET; // Only the device clears this, by reset.
  const added = value & ~current & ~STATUS_DEVICE_NEEDS_RESET;
  if ((value & current & ~STATUS_DEVICE_NEEDS_RESET) !== (current & ~STATUS_DEVICE_NEEDS_RESET)) {
    return { ok: false, status: current, reason: 'status bits may only be added, never cleared (write 0 to reset)' };
  }
  switch (added) {
    case STATUS_ACKNOWLEDGE:
      if (current & ~STATUS_DEVICE_NEEDS_RESET) return { ok: false, status: current, reason: 'ACKNOWLEDGE only from reset' };
      break;
    case STATUS_DRIVER:
      if ((current & ~keep) !== STATUS_ACKNOWLEDGE) return { ok: false, status: current, reason: 'DRIVER only after ACKNOWLEDGE' };
      break;
    case STATUS_FEATURES_OK: {
      if ((current & ~keep) !== (STATUS_ACKNOWLEDGE | STATUS_DRIVER)) {
        return { ok: false, status: current, reason: 'FEATURES_OK only after ACKNOWLEDGE|DRIVER' };
      }
      if ((acked.lo & ~offered.lo) !== 0 || (acked.hi & ~offered.hi) !== 0) {
        return { ok: false, status: current, reason: 'driver accepted a feature the device did not offer' };
      }
      if (!hasFeature(acked.lo, acked.hi, F_VERSION_1)) {
        return { ok: false, status: current, reason: 'VERSION_1 not accepted (legacy drivers are not modelled)' };
      }
      break;
    }
    case STATUS_DRIVER_OK:
      if ((current & ~keep) !== (STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK)) {
        return { ok: false, status: current, reason: 'DRIVER_OK only after FEATURES_OK' };
      }
      break;
    case STATUS_FAILED:
      break;
    case 0:
      return { ok: true, status: current };
    default:
      return { ok: false, status: current, reason: `invalid status transition 0x${current.toString(16)} -> 0x${value.toString(16)}` };
  }
  return { ok: true, status: current | added };
}

export function describeStatus(status: number): string {
  if (status === 0) return 'RESET';
  const names: string[] = [];
  if (status & STATUS_ACKNOWLEDGE) names.push('ACKNOWLEDGE');
  if (status & STATUS_DRIVER) names.push('DRIVER');
  if (status & STATUS_FEATURES_OK) names.push('FEATURES_OK');
  if (status & STATUS_DRIVER_OK) names.push('DRIVER_OK');
  if (status & STATUS_DEVICE_NEEDS_RESET) names.push('DEVICE_NEEDS_RESET');
  if (status & STATUS_FAILED) names.push('FAILED');
  return names.join('|');
}
