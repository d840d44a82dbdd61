import { policyPreset, type DevicePolicy, type PolicyPreset } from './policies';

/**
 * The settings a person can choose, in words: every device policy and driver
 * variant with a one-line description of each option, declared once beside
 * the policy vocabulary (policies.ts) and read by the settings panel and the
 * docs. `effectivePolicies` says what the device really runs with for a
 * preset, from the same `policyPreset` the scenario loader resolves with.
 */

export type PolicyKey = keyof DevicePolicy;

export interface SettingDescription {
  /** The short label the settings panel shows. */
  label: string;
  /** What the setting decides. */
  text: string;
  /** Each option (file form) and what choosing it means. */
  options: Readonly<Record<string, string>>;
}

/** Every device policy, in the order the settings panel lists them. */
export const POLICY_INFO: Readonly<Record<PolicyKey, SettingDescription>> = {
  edgeLatch: {
    label: 'edge latch',
    text: 'what the device keeps of edges that come while the line\u2019s eventq buffer is with the driver',
    options: {
      single: 'one latch: any number of edges come back as one interrupt (the spec)',
      'queue:4': 'a queue of 4 counted edges, each reported on its own',
      'queue:16': 'a queue of 16 counted edges, as vhost-device-gpio\u2019s kfifo',
    },
  },
  onNone: {
    label: 'on NONE',
    text: 'when SET_IRQ_TYPE NONE gives a held eventq buffer back',
    options: { now: 'at once, INVALID (the spec)', lazy: 'only at the next edge, edge detection staying on (rust-vmm)' },
  },
  earlyBuffer: {
    label: 'early buffer',
    text: 'an eventq buffer queued while the line\u2019s trigger type is NONE',
    options: { returned: 'handed straight back INVALID (v1.2 "should")', held: 'held until the interrupt is enabled (V8 "must wait")' },
  },
  typeChange: {
    label: 'type change',
    text: 'a trigger type changed to another without NONE in between',
    options: { accepted: 'the new type takes effect', rejected: 'answered ERR, the old type kept (rust-vmm)' },
  },
  sameType: {
    label: 'same type',
    text: 'SET_IRQ_TYPE with the type the line already has',
    options: { ok: 'answered OK', err: 'answered ERR, NONE to NONE included (rust-vmm)' },
  },
  level: {
    label: 'level types',
    text: 'level-high and level-low trigger types',
    options: { supported: 'supported', rejected: 'answered ERR: only edge interrupts (rust-vmm)' },
  },
  levelSample: {
    label: 'level sample',
    text: 'what the device does with a level line when its eventq buffer comes back',
    options: { resample: 'looks at the line again and reports it at once if still active (the spec)', transition: 'reports only a new transition to active' },
  },
  badGpio: {
    label: 'bad gpio',
    text: 'a request for a gpio number past the last line',
    options: { err: 'answered ERR', crash: 'the device fails (rust-vmm indexes without a check)' },
  },
  malformed: {
    label: 'malformed',
    text: 'a request chain of the wrong shape or sizes',
    options: { err: 'answered ERR when the response buffer allows it', stall: 'never used: the driver waits forever (rust-vmm)', reset: 'the device sets DEVICE_NEEDS_RESET' },
  },
  outNeedsValue: {
    label: 'out needs value',
    text: 'SET_DIRECTION OUT before any SET_VALUE',
    options: { false: 'allowed (the spec\u2019s "should")', true: 'answered ERR (rust-vmm)' },
  },
  getNeedsDirection: {
    label: 'get needs direction',
    text: 'GET_VALUE on a line whose direction is NONE',
    options: { false: 'answered with the level', true: 'answered ERR: the line is not requested (rust-vmm)' },
  },
  mockStorm: {
    label: 'mock storm',
    text: 'the mock backend of vhost-device-gpio',
    options: { false: 'off', true: 'every queued eventq buffer comes straight back VALID' },
  },
  responseSize: {
    label: 'response size',
    text: 'the size of a request\u2019s response buffer',
    options: { min: 'at least what the message needs (the spec)', exact: 'exactly what it needs, else ERR (rust-vmm)' },
  },
  directionNone: {
    label: 'direction NONE',
    text: 'what SET_DIRECTION NONE forgets',
    options: { discard: 'everything about the line, its trigger type included (the spec)', 'keep-irq-type': 'the value and the host request, keeping the trigger type (rust-vmm)' },
  },
  hostRequest: {
    label: 'host request',
    text: 'whether the device holds a host line request made by SET_DIRECTION',
    options: { false: 'no host request: every line is usable', true: 'GET_VALUE and edge types need one; only SET_IRQ_TYPE turns edge detection on (rust-vmm)' },
  },
};

export type DriverKey = 'flow' | 'requeue' | 'mask' | 'typeChange';

/** The guest driver's variants (defaults: the first option of each, as the scenario format has them). */
export const DRIVER_INFO: Readonly<Record<DriverKey, SettingDescription>> = {
  flow: {
    label: 'flow',
    text: 'the Linux flow handler for the line\u2019s interrupt',
    options: { level: 'handle_level_irq: masks while the handler runs, unmasks (and re-queues) after it (Linux gpio-virtio)', fasteoi: 'handle_fasteoi_irq: no mask, the handler, then irq_eoi, which re-queues', edge: 'handle_edge_irq: irq_ack re-queues first; an interrupt during the handler is replayed after it' },
  },
  requeue: {
    label: 're-queue',
    text: 'when the driver gives the eventq buffer back to the device',
    options: { after: 'after the client\u2019s handler (Linux)', before: 'unmask (and re-queue) before the handler runs' },
  },
  mask: {
    label: 'mask',
    text: 'how irq_mask masks the line',
    options: { flag: 'a local flag in the driver: the device keeps watching (Linux)', 'none-type': 'SET_IRQ_TYPE NONE, unmask by sending the type again: the device forgets what it latched (the V8 reading)' },
  },
  typeChange: {
    label: 'type change',
    text: 'how the driver changes a trigger type',
    options: { direct: 'one SET_IRQ_TYPE with the new type (Linux)', 'via-none': 'disable (NONE) first, then enable with the new type' },
  },
};

/** A policy's value in file form ("queue:16", "lazy", "true"). */
export function policyText(p: DevicePolicy, key: PolicyKey): string {
  const v = p[key];
  if (key === 'edgeLatch') {
    const l = v as DevicePolicy['edgeLatch'];
    return l.kind === 'single' ? 'single' : `queue:${l.depth}`;
  }
  return String(v);
}

/** Whether a policy is a yes/no one (a boolean in the scenario format). */
export function isBooleanPolicy(key: PolicyKey): boolean {
  return typeof policyPreset('spec', 'v1.2')[key] === 'boolean';
}

/** One policy as the device runs it, and the preset's own value. */
export interface EffectivePolicy {
  key: PolicyKey;
  /** The value in use (file form). */
  value: string;
  /** The chosen preset's own value (file form). */
  preset: string;
  /** The value in use differs from the preset's (the file or a setting overrides it). */
  differs: boolean;
}

/**
 * Every policy the device runs with for `preset` on spec `spec` with the
 * scenario's overrides (file form, as in `device.policy`): resolved by the
 * same `policyPreset` the loader uses, overrides on top.
 */
export function effectivePolicies(preset: PolicyPreset, spec: 'v1.2' | 'v8', overrides: Readonly<Record<string, unknown>> = {}): EffectivePolicy[] {
  const own = policyPreset(preset, spec);
  return (Object.keys(POLICY_INFO) as PolicyKey[]).map((key) => {
    const o = overrides[key];
    const presetValue = policyText(own, key);
    const value = typeof o === 'string' || typeof o === 'boolean' ? String(o) : presetValue;
    return { key, value, preset: presetValue, differs: value !== presetValue };
  });
}

/** The device's other settings in the panel: spec revision, policy preset and interrupt transport. */
export const DEVICE_INFO: Readonly<Record<'spec' | 'preset' | 'transport', SettingDescription>> = {
  spec: {
    label: 'spec',
    text: 'which text of the virtio-gpio spec the device and its checks follow',
    options: { 'v1.2': 'virtio 1.2 as merged', v8: 'the V8 draft: a buffer queued while NONE waits' },
  },
  preset: {
    label: 'preset',
    text: 'the device implementation whose policies the device runs with (each policy below can override it)',
    options: {
      spec: 'what the spec asks for',
      'rust-vmm': 'vhost-device-gpio\u2019s physical backend, as its code behaves',
      'rust-vmm-mock': 'vhost-device-gpio\u2019s mock backend: every queued eventq buffer comes back VALID',
    },
  },
  transport: {
    label: 'transport',
    text: 'how the device interrupts the guest',
    options: { msi: 'MSI-X-like messages, a vector each for configuration, requestq and eventq', intx: 'legacy INTx with the ISR status register', 'intx-irqfd': 'INTx through KVM irqfd, with its assert and resample paths' },
  },
};
