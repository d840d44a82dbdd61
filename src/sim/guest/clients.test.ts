import { describe, expect, test } from 'vitest';
import { machineFor, messages } from '../testing/build';
import { Poller, type GpiomonEvent } from './clients';

describe('gpiomon reader (cdev edge detection)', () => {
  test('for both edges it reads the level back with GET_VALUE to name the edge', () => {
    const m = machineFor({ device: { lines: [{ name: 'sw' }] }, world: { sw: { kind: 'toggle' } } });
    m.runUntil(200_000);
    const r = m.addGpiomon([0], 'both');
    const seen: GpiomonEvent[] = [];
    r.listener = { gpiomonEvent: (e) => seen.push(e), gpiomonError: () => {} };
    r.start();
    m.runUntil(1_000_000);
    m.apply({ do: 'drive', line: 0, level: 1 });
    m.runUntil(1_200_000);
    m.apply({ do: 'drive', line: 0, level: 0 });
    m.runUntil(1_400_000);
    expect(seen.map((e) => e.edge)).toEqual(['rising', 'falling']);
    // Timestamp = when the eventq buffer was processed: edge + event 5 us + interrupt 3 us.
    expect(seen[0]!.t).toBe(1_008_000);
    expect(messages(m, 1_000_000)).toEqual(['GET_VALUE 0 0', 'GET_VALUE 0 0']);
  });

  test('stopping it while its setup is still in flight leaves no interrupt behind', () => {
    const m = machineFor({ device: { lines: [{ name: 'sw' }] } });
    m.runUntil(200_000);
    const r = m.addGpiomon([0], 'rising');
    r.start();
    r.stop(); // Before direction_input and request_irq have come back.
    m.runUntil(1_000_000);
    expect(m.irq.action[0]).toBeNull();
    expect(m.gpiolib.consumer[0]).toBeNull();
    const again = m.addGpiomon([0], 'rising');
    const errors: number[] = [];
    again.listener = { gpiomonEvent: () => {}, gpiomonError: (e) => errors.push(e) };
    again.start();
    m.runUntil(2_000_000);
    expect(errors).toEqual([]);
    expect(m.irq.action[0]?.clientId).toBe(again.id);
  });
});

describe('irq consumer', () => {
  test('a deferred ack reaches the source ackDelay after the call', () => {
    const m = machineFor({
      device: { lines: [{ name: 'irq' }] },
      world: { irq: { kind: 'level-source', ackLatency: '1us' } },
      clients: [{ kind: 'irq-consumer', line: 'irq', trigger: 'level-high', ack: 'deferred', ackDelay: '30us', handlerTime: '100us' }],
    });
    m.runUntil(1_000_000);
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(1_200_000);
    // Asserted at 1.000 ms, call at 1.008 ms, ack issued 30 us later and effective 1 us after that.
    let low = -1;
    m.trace.forEach((e) => {
      if (e.kind === 30 && e.line === 0 && e.a === 0 && low < 0) low = e.t;
    });
    expect(low).toBe(1_039_000);
  });
});

describe('poller', () => {
  test('reads back to back: one GET_VALUE per request round trip', () => {
    const m = machineFor({ device: { lines: [{ name: 'adc' }], names: false }, clients: [{ kind: 'poller', line: 0 }] });
    m.runUntil(1_000_000);
    const p = m.clients[0] as Poller;
    // Probe takes one round trip (15 us), then ~15 us per read.
    expect(p.reads).toBe(Math.floor((1_000_000 - 15_000) / 15_000));
  });
});

describe('regression: many lines interrupting at once', () => {
  test('eight staggered edge-both clocks: every edge served, one buffer per line, no violations', () => {
    const lines = Array.from({ length: 8 }, (_, i) => ({ name: `clk${i}` }));
    const world = Object.fromEntries(lines.map((l, i) => [l.name, { kind: 'clock', period: '100us', start: `${500 + i * 7}us` }]));
    const clients = lines.map((l) => ({ kind: 'irq-consumer', line: l.name, trigger: 'edge-both' }));
    const m = machineFor({ device: { lines }, world, clients, duration: '20ms' });
    m.runUntil(20_000_000);
    m.finish();
    expect(m.monitors.violations).toEqual([]);
    const t = m.oracle.total();
    expect(t.lost).toBe(0);
    expect(t.spurious).toBe(0);
    expect(t.coalesced).toBe(0);
    let calls = 0;
    for (let i = 0; i < 8; i++) calls += m.irq.calls[i] as number;
    expect(calls).toBe(t.delivered);
    expect(calls).toBeGreaterThan(8 * 2 * 190);
  });
});
