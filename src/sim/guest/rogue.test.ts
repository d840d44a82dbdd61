import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Action } from '../actions';
import { describeEvent } from '../explain/describe';
import { DriverWarning } from './warnings';
import { machineFor, events, count } from '../testing/build';
import { TK } from '../trace/kinds';
import type { Machine } from '../machine';

/** Two lines; a rising-edge consumer armed on line 0 (toggle); line 1 spare. */
const board = (preset: string, timeline: unknown[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  duration: '3ms',
  device: { lines: [{ name: 'sensor' }, { name: 'spare' }], preset, ...extra },
  world: { sensor: { kind: 'toggle' } },
  clients: [{ kind: 'irq-consumer', line: 'sensor', trigger: 'edge-rising', name: 'sensor' }],
  timeline,
});

function run(m: Machine, until = 3_000_000): Machine {
  m.runUntil(until);
  m.finish();
  return m;
}

const rules = (m: Machine): string[] => [...new Set(m.monitors.violations.map((v) => v.rule))];

describe('the misbehaving driver', () => {
  test('a second eventq pair for an armed line goes on the real eventq, comes back INVALID, and the real driver skips the chain it did not make', () => {
    const m = run(machineFor(board('spec', [{ at: '1ms', do: 'inject-event', gpio: 0 }, { at: '1500us', do: 'pulse', line: 'sensor', width: '20us' }])));
    expect(m.rogue.added).toBe(1);
    expect(m.rogue.returned).toBe(1);
    expect(rules(m)).toEqual(['gpio.eq.one-pair-per-line']);
    expect((m.clients[0] as unknown as { calls: number }).calls).toBe(1); // The real pair stayed armed.
    expect(count(m, TK.DrvWarn)).toBe(0);
  });

  test('an eventq pair with a write-only request is answered by the spec device and stalls rust-vmm (process_events returns Err for the batch)', () => {
    const step = { at: '1ms', do: 'inject-event', gpio: 0, requestWritable: true };
    const spec = run(machineFor(board('spec', [step])));
    expect(rules(spec)).toContain('gpio.eq.pair-shape');
    expect(spec.rogue.returned).toBe(1);
    const rv = run(machineFor(board('rust-vmm', [step])));
    expect(rules(rv)).toContain('gpio.eq.pair-shape');
    expect(rv.rogue.returned).toBe(0);
  });

  test('a descriptor loop written raw is refused by the device (vq.desc.no-loops, DEVICE_NEEDS_RESET); the trace shows each descriptor\'s 16 bytes', () => {
    const m = run(
      machineFor(
        board('spec', [{ at: '1ms', do: 'inject-chain', queue: 'requestq', descriptors: [{ index: 40, addr: 0x2000, len: 8, flags: ['next'], next: 41 }, { index: 41, addr: 0x2100, len: 2, flags: ['write', 'next'], next: 40 }] }]),
      ),
    );
    expect(rules(m)).toEqual(['vq.desc.no-loops']);
    expect(m.device.failure).not.toBe(0);
    expect(events(m, [TK.RogueDesc])).toEqual([
      'misbehaving driver writes requestq descriptor 40: addr 0x00002000 len 8 flags NEXT next 41 [00 20 00 00 00 00 00 00 08 00 00 00 01 00 29 00]',
      'misbehaving driver writes requestq descriptor 41: addr 0x00002100 len 2 flags NEXT|WRITE next 40 [00 21 00 00 00 00 00 00 02 00 00 00 03 00 28 00]',
    ]);
  });

  test('an out-of-range buffer address breaks vq.desc.in-range', () => {
    const m = run(machineFor(board('spec', [{ at: '1ms', do: 'inject-chain', queue: 'eventq', descriptors: [{ index: 50, addr: 0xfff00000, len: 2, flags: ['next'], next: 51 }, { index: 51, len: 1, flags: ['write'] }] }])));
    expect(rules(m)).toEqual(['vq.desc.in-range']);
  });

  test('an avail index jump past the queue size breaks vq.avail.monotonic; the device gives up and later kicks are ignored, nothing throws', () => {
    const m = run(
      machineFor(board('rust-vmm', [{ at: '1ms', do: 'inject-chain', queue: 'requestq', descriptors: [{ index: 40, len: 8, flags: ['next'], next: 41 }, { index: 41, len: 2, flags: ['write'] }], availJump: 100 }, { at: '1500us', do: 'pulse', line: 'sensor', width: '20us' }])),
    );
    expect(rules(m)).toContain('vq.avail.monotonic');
    expect(m.device.failure).not.toBe(0);
  });

  test('a well-formed raw chain the device answers surprises the real driver: its used id is no head it made, so the queue is broken (Linux: BAD_RING), with a warning and no crash', () => {
    const m = run(
      machineFor(
        board('spec', [
          { at: '1ms', do: 'inject-request', type: 'GET_VALUE', gpio: 0 }, // through addChain: fine for the real driver
          { at: '1200us', do: 'inject-chain', queue: 'requestq', descriptors: [{ index: 60, len: 8, flags: ['next'], next: 61 }, { index: 61, len: 2, flags: ['write'] }] },
        ]),
      ),
    );
    expect(m.rogue.returned).toBe(1);
    expect(count(m, TK.DrvWarn, DriverWarning.QueueBroken)).toBe(1);
    expect(m.chip.requestq!.broken).toBe('id 60 is not a head');
  });

  test('random injected traffic on a running board never throws, under every preset, and every trace event has words', () => {
    const buf = fc.record({ len: fc.integer({ min: 0, max: 64 }), write: fc.boolean() }).map((b) => ({ len: b.len, write: b.write }));
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({ t: fc.integer({ min: 0, max: 6 }), gpio: fc.integer({ min: 0, max: 3 }), value: fc.integer({ min: 0, max: 9 }), request: buf, response: buf }).map((r): Action => ({ do: 'inject-request', msgType: r.t, gpio: r.gpio, value: r.value, request: r.request, response: r.response })),
      fc.record({ gpio: fc.integer({ min: 0, max: 3 }), request: buf, response: buf }).map((r): Action => ({ do: 'inject-event', gpio: r.gpio, request: r.request, response: r.response })),
      fc
        .record({
          queue: fc.constantFrom(0, 1),
          descriptors: fc.array(fc.record({ index: fc.integer({ min: 0, max: 70 }), addr: fc.option(fc.integer({ min: 0, max: 0x100000 }), { nil: null }), len: fc.integer({ min: 0, max: 300 }), flags: fc.integer({ min: 0, max: 7 }), next: fc.integer({ min: 0, max: 70 }) }), { minLength: 1, maxLength: 4 }),
          head: fc.integer({ min: 0, max: 70 }),
          availJump: fc.integer({ min: 0, max: 3 }),
        })
        .map((r): Action => ({ do: 'inject-chain', queue: r.queue, descriptors: r.descriptors.map((d) => ({ ...d })), head: r.head, availJump: r.availJump })),
    );
    fc.assert(
      fc.property(fc.constantFrom('spec', 'rust-vmm', 'rust-vmm-mock'), fc.array(fc.tuple(fc.integer({ min: 0, max: 2_000_000 }), action), { maxLength: 6 }), (preset, acts) => {
        const m = machineFor(board(preset, [{ at: '1ms', do: 'pulse', line: 'sensor', width: '20us' }]));
        for (const [at, a] of [...acts].sort((x, y) => x[0] - y[0])) {
          m.runUntil(at, 20_000);
          expect(m.apply(a)).toBeNull();
        }
        m.runUntil(3_000_000, 50_000);
        m.finish();
        m.trace.forEach((e) => void expect(describeEvent(e).length).toBeGreaterThan(0));
      }),
      { numRuns: 40 },
    );
  });
});
