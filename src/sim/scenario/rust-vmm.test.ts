import { describe, expect, test } from 'vitest';
import { MSG_GET_DIRECTION, MSG_GET_LINE_NAMES, MSG_GET_VALUE, MSG_SET_IRQ_TYPE, STATUS_ERR, STATUS_OK } from '../gpio/constants';
import type { Machine } from '../machine';
import { machineFor } from '../testing/build';
import { TK } from '../trace/kinds';
import { validateScenario } from './load';
import { runScenario } from './runner';

/**
 * The rust-vmm presets against vhost-device-gpio's code (rust-vmm/vhost-device
 * @d7ec5e4, vhost-device-gpio/src/{gpio,vhu_gpio,mock_gpio}.rs). Each expectation
 * is derived from the Rust function named in the test.
 */

const PULSE = (at: string): Record<string, unknown> => ({ at, do: 'pulse', line: 'sensor', width: '20us' });

function scenario(preset: string, timeline: unknown[], opts: { trigger?: string; driver?: Record<string, unknown>; duration?: string } = {}): Record<string, unknown> {
  return {
    version: 1,
    title: 't',
    duration: opts.duration ?? '4ms',
    device: { lines: [{ name: 'sensor' }, { name: 'spare' }], preset },
    world: { sensor: { kind: 'toggle' } },
    clients: [{ kind: 'irq-consumer', line: 'sensor', trigger: opts.trigger ?? 'edge-rising', name: 'sensor' }],
    driver: opts.driver ?? {},
    timeline,
  };
}

function report(raw: Record<string, unknown>) {
  const s = validateScenario(raw);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  return r.value.report;
}

/** The device's answers to `type` for `gpio`, in order: [status, used length]. */
function answers(m: Machine, type: number, gpio: number): [number, number][] {
  const out: [number, number][] = [];
  m.trace.forEach((e) => {
    if (e.kind === TK.MsgResponse && e.a === type && e.line === gpio) out.push([e.b & 0xff, e.c]);
  });
  return out;
}

function ran(raw: Record<string, unknown>): Machine {
  const { version: _v, title: _t, ...rest } = raw;
  const m = machineFor(rest);
  m.runUntil(4_000_000);
  m.finish();
  return m;
}

describe('rust-vmm as its code behaves', () => {
  test('edges during SET_IRQ_TYPE NONE stay queued on the host and are ALL delivered stale after re-enabling with the same type (PhysDevice::set_irq_type drops only the buffer; PhysDevice::wait_for_interrupt returns before read_edge_events when there is none)', () => {
    const timeline = [
      { at: '1ms', do: 'irq-disable', client: 'sensor' },
      PULSE('1200us'),
      PULSE('1400us'),
      PULSE('1600us'),
      { at: '2ms', do: 'irq-enable', client: 'sensor' },
    ];
    const rv = report(scenario('rust-vmm', timeline)).lines[0]!;
    // The first pulse wakes the leftover waiter, which hands back INVALID without reading; all three stay queued.
    expect(rv).toMatchObject({ invalid: 1, handlerCalls: 3, spurious: 3, delivered: 0, lost: 0, deviceDelivered: 3 });
    const spec = report(scenario('spec', timeline)).lines[0]!;
    expect(spec).toMatchObject({ handlerCalls: 0, spurious: 0, lost: 0 });
  });

  test('RISING -> NONE -> FALLING (the sequence of GpioController test_verify_gpio_operation): the waiter left from RISING finds the new buffer after the first falling edge and reports it VALID (PhysDevice::wait_for_interrupt reads state.buffer only after the wake), so no falling edge is lost', () => {
    const timeline = [{ at: '1ms', do: 'irq-type', client: 'sensor', trigger: 'edge-falling' }, PULSE('1500us'), PULSE('2500us'), PULSE('3200us')];
    const rv = report(scenario('rust-vmm', timeline, { driver: { typeChange: 'via-none' } })).lines[0]!;
    expect(rv).toMatchObject({ handlerCalls: 3, delivered: 3, lost: 0, spurious: 0 });
  });

  test('SET_DIRECTION NONE keeps irq_type (GpioController::set_direction): the same SET_IRQ_TYPE afterwards is ERR "no change" and the new host request has no edge detection, so the interrupt is silently dead', () => {
    const m = ran(machineScenario());
    expect(m.device.irqType[0]).toBe(1); // still EDGE_RISING
    expect(answers(m, MSG_SET_IRQ_TYPE, 0).at(-1)).toEqual([STATUS_ERR, 2]);
    expect((m.clients[0] as unknown as { calls: number }).calls).toBe(1);
    expect(m.oracle.lines[0]!.lost).toBe(2);
    const spec = ran(machineScenario('spec'));
    expect(spec.device.irqType[0]).toBe(1); // enabled again by the injected SET_IRQ_TYPE
    expect(answers(spec, MSG_SET_IRQ_TYPE, 0).at(-1)).toEqual([STATUS_OK, 2]);
    expect(spec.oracle.lines[0]!.lost).toBe(0);
  });

  test('the mock backend rejects a type change without NONE too: the check lives in GpioController::set_irq_type (GpioOldIrqTypeValid), in front of every backend', () => {
    const m = ran(scenario('rust-vmm-mock', [{ at: '1ms', do: 'irq-type', client: 'sensor', trigger: 'edge-falling' }]));
    expect(answers(m, MSG_SET_IRQ_TYPE, 0)).toEqual([
      [STATUS_OK, 2],
      [STATUS_ERR, 2],
    ]);
  });

  test('GET_VALUE on an input the host has not requested is ERR (PhysDevice::value: no request); after SET_DIRECTION IN it is answered', () => {
    const steps = [
      { at: '1ms', do: 'inject-request', type: 'GET_VALUE', gpio: 1 },
      { at: '1100us', do: 'inject-request', type: 'SET_DIRECTION', gpio: 1, value: 2 },
      { at: '1200us', do: 'inject-request', type: 'GET_VALUE', gpio: 1 },
    ];
    expect(answers(ran(scenario('rust-vmm', steps)), MSG_GET_VALUE, 1)).toEqual([
      [STATUS_ERR, 2],
      [STATUS_OK, 2],
    ]);
    expect(answers(ran(scenario('spec', steps)), MSG_GET_VALUE, 1)).toEqual([
      [STATUS_OK, 2],
      [STATUS_OK, 2],
    ]);
  });

  test('an edge SET_IRQ_TYPE on a line without a host request is ERR (PhysDevice::set_irq_type: GpioLineRequestNotConfigured)', () => {
    const m = ran(scenario('rust-vmm', [{ at: '1ms', do: 'inject-request', type: 'SET_IRQ_TYPE', gpio: 1, value: 1 }]));
    expect(answers(m, MSG_SET_IRQ_TYPE, 1)).toEqual([[STATUS_ERR, 2]]);
    expect(m.device.irqType[1]).toBe(0);
  });

  test('a response buffer that is not exactly 2 bytes: ERR with used length = the buffer length (VhostUserGpioBackend::process_requests); the spec model answers OK into 2 bytes', () => {
    const steps = [
      { at: '1ms', do: 'inject-request', type: 'GET_VALUE', gpio: 0, responseLen: 4 },
      { at: '1100us', do: 'inject-request', type: 'GET_VALUE', gpio: 0, responseLen: 1 },
    ];
    const rv = ran(scenario('rust-vmm', steps));
    expect(answers(rv, MSG_GET_VALUE, 0)).toEqual([
      [STATUS_ERR, 4],
      [STATUS_ERR, 1],
    ]);
    expect(rv.device.failure).toBe(0);
    const spec = ran(scenario('spec', steps));
    expect(answers(spec, MSG_GET_VALUE, 0)).toEqual([[STATUS_OK, 2]]); // the 1-byte one is refused as malformed
  });

  test('gpio = ngpio crashes rust-vmm only on the messages that index its line state; GET_DIRECTION is ERR (libgpiod line_info fails) and GET_LINE_NAMES ignores gpio (GpioController::operation)', () => {
    const m = ran(
      scenario('rust-vmm', [
        { at: '1ms', do: 'inject-request', type: 'GET_DIRECTION', gpio: 2 },
        { at: '1100us', do: 'inject-request', type: 'GET_LINE_NAMES', gpio: 2, responseLen: 1 + 'sensor'.length + 1 + 'spare'.length + 1 },
      ]),
    );
    expect(m.device.failure).toBe(0);
    expect(answers(m, MSG_GET_DIRECTION, 2)).toEqual([[STATUS_ERR, 2]]);
    expect(answers(m, MSG_GET_LINE_NAMES, 2)).toEqual([[STATUS_OK, 14]]);
    const crash = ran(scenario('rust-vmm', [{ at: '1ms', do: 'inject-request', type: 'SET_VALUE', gpio: 2, value: 1 }]));
    expect(crash.device.failure).not.toBe(0);
  });
});

/** The rogue-direction-none-armed scenario's traffic, as a machine config. */
function machineScenario(preset = 'rust-vmm'): Record<string, unknown> {
  return {
    ...scenario(preset, [
      PULSE('1ms'),
      { at: '1200us', do: 'inject-request', type: 'SET_DIRECTION', gpio: 0, value: 0 },
      { at: '1300us', do: 'inject-request', type: 'SET_DIRECTION', gpio: 0, value: 2 },
      { at: '1600us', do: 'inject-request', type: 'SET_IRQ_TYPE', gpio: 0, value: 1 },
      PULSE('2ms'),
      PULSE('2500us'),
    ]),
    clients: [{ kind: 'irq-consumer', line: 'sensor', trigger: 'edge-rising', name: 'sensor', threaded: true, threadTime: '500us' }],
  };
}
