import { describe, expect, test } from 'vitest';
import { count, events, machineFor, messages } from '../testing/build';
import { TK } from '../trace/kinds';
import { GpioOp } from './gpiolib';
import { DriverWarning, EIO, ENOSPC } from './warnings';
import { STATUS_DRIVER_OK } from '../virtio/constants';
import type { Machine } from '../machine';

const lines = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown>[] =>
  Array.from({ length: n }, (_, i) => ({ name: `l${i}`, ...extra }));

/** Records gpiolib results. */
function recorder(): { results: number[]; gpioDone(tag: number, r: number): void } {
  return {
    results: [] as number[],
    gpioDone(_tag: number, r: number) {
      this.results.push(r);
    },
  };
}

describe('probe (virtio_gpio_probe)', () => {
  test('reads the names block on line 0, then every line\'s direction, one request at a time', () => {
    const m = machineFor({ device: { lines: [{ name: 'a' }, { name: '', direction: 'out' }, { name: 'c', direction: 'none' }] } });
    m.runUntil(1_000_000);
    expect(messages(m)).toEqual(['GET_LINE_NAMES 0 0', 'GET_DIRECTION 0 0', 'GET_DIRECTION 1 0', 'GET_DIRECTION 2 0']);
    expect(m.chip.names).toEqual(['a', '', 'c']);
    expect(m.chip.ready).toBe(true);
    expect(m.device.status & STATUS_DRIVER_OK).toBe(STATUS_DRIVER_OK);
    expect([...m.gpiolib.isOut]).toEqual([0, 1, 0]);
  });

  test('a device without names is probed without GET_LINE_NAMES', () => {
    const m = machineFor({ device: { lines: lines(2), names: false } });
    m.runUntil(1_000_000);
    expect(messages(m)).toEqual(['GET_DIRECTION 0 0', 'GET_DIRECTION 1 0']);
    expect(m.chip.names).toBeNull();
  });

  test('without F_IRQ only the requestq exists', () => {
    const m = machineFor({ device: { lines: lines(1), irqFeature: false } });
    m.runUntil(1_000_000);
    expect(m.chip.hasIrq).toBe(false);
    expect(m.chip.eventq).toBeNull();
  });
});

describe('requests', () => {
  test('one request in flight per line; different lines in parallel', () => {
    const m = machineFor({ device: { lines: lines(2) } });
    m.runUntil(200_000);
    const r = recorder();
    const t0 = m.now;
    for (let i = 0; i < 3; i++) m.gpiolib.call(0, GpioOp.Get, 0, r, i);
    m.gpiolib.call(1, GpioOp.Get, 0, r, 9);
    m.runUntil(t0 + 200_000);
    const times: Record<number, number[]> = { 0: [], 1: [] };
    m.trace.forEach((e) => {
      if (e.kind === TK.MsgRequest && e.t >= t0) times[e.line]!.push(e.t);
    });
    // Round trip = notify 2 + request 10 + interrupt 3 us; the next request on the line waits for it.
    expect(times[0]).toEqual([t0 + 2_000, t0 + 17_000, t0 + 32_000]);
    expect(times[1]).toEqual([t0 + 2_000]);
    expect(r.results).toEqual([0, 0, 0, 0]);
  });

  test('direction_output is SET_VALUE then SET_DIRECTION OUT', () => {
    const m = machineFor({ device: { lines: lines(1) }, clients: [{ kind: 'output', line: 0, initial: 1 }] });
    m.runUntil(1_000_000);
    expect(messages(m).slice(2)).toEqual(['SET_VALUE 0 1', 'SET_DIRECTION 0 1']);
    expect(m.wire.level[0]).toBe(1);
  });

  test('a full requestq fails the request with -ENOSPC and logs it, as Linux does (no retry)', () => {
    const m = machineFor({ device: { lines: lines(2), queueSize: 2, names: false } });
    m.runUntil(200_000);
    const r = recorder();
    m.gpiolib.call(0, GpioOp.Get, 0, r, 0);
    m.gpiolib.call(1, GpioOp.Get, 0, r, 1);
    expect(r.results).toEqual([ENOSPC]);
    expect(count(m, TK.DrvWarn, DriverWarning.RequestqAddFailed)).toBe(1);
  });

  test('gpiolib refuses to make an enabled interrupt line an output (-EIO)', () => {
    const m = machineFor({ device: { lines: lines(1) }, clients: [{ kind: 'irq-consumer', line: 0, trigger: 'edge-rising' }] });
    m.runUntil(1_000_000);
    const r = recorder();
    m.gpiolib.call(0, GpioOp.DirectionOutput, 1, r, 0);
    expect(r.results).toEqual([EIO]);
  });
});

describe('request_irq and the bus lock', () => {
  test('SET_DIRECTION IN, then SET_IRQ_TYPE, and only after its answer the eventq buffer', () => {
    const m = machineFor({ device: { lines: lines(1) }, clients: [{ kind: 'irq-consumer', line: 0, trigger: 'edge-both' }] });
    m.runUntil(1_000_000);
    const seq = events(m, [TK.MsgDone, TK.RingAdd]).filter((t) => !t.includes('GET_')).slice(2); // After probe's two adds.
    expect(seq).toEqual([
      'driver adds chain 0 to requestq (avail idx 3)',
      'driver reads SET_DIRECTION gpio 0: status 0 value 0, rx length 2',
      'driver adds chain 0 to requestq (avail idx 4)',
      'driver reads SET_IRQ_TYPE gpio 0: status 0 value 0, rx length 2',
      'driver adds chain 0 to eventq (avail idx 1)',
    ]);
  });

  test('irq configuration is serialized chip-wide: the second line waits for the first SET_IRQ_TYPE', () => {
    const m = machineFor({
      device: { lines: lines(2) },
      clients: [
        { kind: 'irq-consumer', line: 0, trigger: 'edge-rising' },
        { kind: 'irq-consumer', line: 1, trigger: 'edge-rising' },
      ],
    });
    m.runUntil(1_000_000);
    const t: number[] = [];
    m.trace.forEach((e) => {
      if (e.kind === TK.MsgRequest && e.a === 6) t.push(e.t);
    });
    expect(t[1]! - t[0]!).toBe(15_000); // One full round trip later.
  });
});

/** A line with an edge-rising consumer; returns the machine after probe and setup. */
function edgeLine(driver: Record<string, unknown>, consumer: Record<string, unknown> = {}): Machine {
  const m = machineFor({
    device: { lines: lines(1) },
    driver,
    world: { l0: { kind: 'toggle' } },
    clients: [{ kind: 'irq-consumer', line: 'l0', trigger: 'edge-rising', handlerTime: '20us', ...consumer }],
  });
  m.runUntil(1_000_000);
  return m;
}

const FLOW = [TK.DrvFlags, TK.HandlerStart, TK.HandlerEnd];

describe('flow handlers', () => {
  test('level flow (Linux): mask, handler, unmask; the unmask re-queues the buffer', () => {
    const m = edgeLine({});
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(m.now + 100_000);
    expect(events(m, FLOW, 1_000_000)).toEqual([
      'driver eventq callback: gpio 0 [-] type edge-rising',
      'driver irq_mask: gpio 0 [masked] type edge-rising',
      'handler of client 0 starts for gpio 0 (call 1)',
      'handler of client 0 returns (call 1)',
      'driver irq_unmask: gpio 0 [-] type edge-rising',
      'driver prepare (queue buffer): gpio 0 [queued] type edge-rising',
    ]);
  });

  test('re-queue before the handler: unmask comes first', () => {
    const m = edgeLine({ requeue: 'before' });
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(m.now + 100_000);
    expect(events(m, FLOW, 1_000_000).slice(1, 5)).toEqual([
      'driver irq_mask: gpio 0 [masked] type edge-rising',
      'driver irq_unmask: gpio 0 [-] type edge-rising',
      'driver prepare (queue buffer): gpio 0 [queued] type edge-rising',
      'handler of client 0 starts for gpio 0 (call 1)',
    ]);
  });

  test('edge flow: ack re-queues first; an edge during the handler is replayed after it', () => {
    const m = edgeLine({ flow: 'edge' });
    m.apply({ do: 'pulse', line: 0, level: 1, widthNs: 5_000 });
    m.runUntil(m.now + 12_000);
    m.apply({ do: 'pulse', line: 0, level: 1, widthNs: 1_000 }); // While the 20 us handler runs.
    m.runUntil(m.now + 100_000);
    const calls = events(m, [TK.HandlerStart], 1_000_000);
    expect(calls).toEqual(['handler of client 0 starts for gpio 0 (call 1)', 'handler of client 0 starts for gpio 0 (call 2)']);
    expect(events(m, [TK.DrvFlags], 1_000_000)[1]).toBe('driver irq_ack: gpio 0 [-] type edge-rising');
    expect(m.oracle.total()).toMatchObject({ delivered: 2, lost: 0, spurious: 0 });
  });

  test('a threaded oneshot handler keeps the line masked until the thread ends', () => {
    const m = edgeLine({}, { threaded: true, threadTime: '40us' });
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(m.now + 200_000);
    const seq = events(m, FLOW, 1_000_000).map((s) => s.replace(/ type edge-rising/, ''));
    expect(seq).toEqual([
      'driver eventq callback: gpio 0 [-]',
      'driver irq_mask: gpio 0 [masked]',
      'handler of client 0 starts for gpio 0 (call 1)',
      'handler of client 0 returns (call 1)',
      'threaded handler of client 0 starts for gpio 0 (call 1)',
      'threaded handler of client 0 returns (call 1)',
      'driver irq_unmask: gpio 0 [-]',
      'driver prepare (queue buffer): gpio 0 [queued]',
    ]);
  });
});

describe('type changes on a live interrupt', () => {
  test('Linux sends the new type directly', () => {
    const m = edgeLine({});
    m.apply({ do: 'irq-type', client: 0, trigger: 2 });
    m.runUntil(m.now + 100_000);
    expect(messages(m, 1_000_000)).toEqual(['SET_IRQ_TYPE 0 2']);
  });

  test('via NONE inside one bus-locked sequence: the late INVALID races the re-enable (S-N3), then it recovers', () => {
    const m = edgeLine({ typeChange: 'via-none' });
    m.apply({ do: 'irq-type', client: 0, trigger: 2 });
    m.runUntil(m.now + 100_000);
    expect(messages(m, 1_000_000)).toEqual(['SET_IRQ_TYPE 0 0', 'SET_IRQ_TYPE 0 2']);
    // The INVALID for NONE arrives after irq_enable: ignore_irq re-queues it while the device is still NONE,
    // which comes back INVALID again; bus_sync_unlock's own prepare then hits WARN_ON(queued).
    expect(m.pipeline.invalidConsumed[0]).toBe(2);
    expect(count(m, TK.DrvWarn, DriverWarning.PrepareWarn)).toBe(1);
    expect(m.monitors.violations.map((v) => v.rule)).toEqual(['gpio.eq.enable-before-unmask']);
    expect(m.chip.queued[0]).toBe(1);
    expect(m.device.held[0]).toBeGreaterThanOrEqual(0); // Armed again with the new type.
    m.apply({ do: 'pulse', line: 0, level: 1, widthNs: 5_000 });
    m.runUntil(m.now + 100_000);
    expect(m.irq.calls[0]).toBe(1); // The falling edge of the pulse.
  });
});

describe('the driver\'s WARN paths', () => {
  test('re-enable before the lazy buffer comes back: prepare WARNs (S-N3), and the waiter left from before NONE reports the next edge VALID, because PhysDevice::set_irq_type gave it a buffer again (PhysDevice::wait_for_interrupt)', () => {
    const m = machineFor({
      device: { lines: lines(1), preset: 'rust-vmm' },
      world: { l0: { kind: 'toggle' } },
      clients: [{ kind: 'irq-consumer', line: 0, trigger: 'edge-rising' }],
    });
    m.runUntil(1_000_000);
    m.apply({ do: 'irq-disable', client: 0 });
    m.runUntil(1_100_000);
    m.apply({ do: 'irq-enable', client: 0 });
    m.runUntil(1_200_000);
    expect(count(m, TK.DrvWarn, DriverWarning.PrepareWarn)).toBe(1);
    m.apply({ do: 'drive', line: 0, level: 1 }); // Wakes rust-vmm's leftover waiter, which now has a buffer: VALID.
    m.runUntil(1_300_000);
    expect(m.pipeline.invalidConsumed[0]).toBe(0);
    expect(m.irq.calls[0]).toBe(1);
    expect(m.chip.queued[0]).toBe(1); // Re-queued after the handler: the line keeps working.
    m.apply({ do: 'drive', line: 0, level: 0 });
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(1_400_000);
    expect(m.irq.calls[0]).toBe(2);
  });

  test('a status that is neither VALID nor INVALID WARNs and is dropped', () => {
    const m = machineFor({
      device: { lines: lines(1), faults: { eventqValidStatus: 7 } },
      world: { l0: { kind: 'toggle' } },
      clients: [{ kind: 'irq-consumer', line: 0, trigger: 'edge-rising' }],
    });
    m.runUntil(1_000_000);
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(1_100_000);
    expect(count(m, TK.DrvWarn, DriverWarning.IrqBadStatus)).toBe(1);
    expect(m.irq.calls[0]).toBe(0);
  });
});
