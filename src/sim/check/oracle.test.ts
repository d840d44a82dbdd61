import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { machineFor } from '../testing/build';
import type { Machine } from '../machine';

/** One line with an edge-both consumer and a toggle the test drives. */
function edgeMachine(consumer: Record<string, unknown> = {}, device: Record<string, unknown> = {}): Machine {
  const m = machineFor({
    device: { lines: [{ name: 'in' }], ...device },
    world: { in: { kind: 'toggle' } },
    clients: [{ kind: 'irq-consumer', line: 'in', trigger: 'edge-both', ...consumer }],
  });
  m.runUntil(1_000_000);
  return m;
}

function toggleAt(m: Machine, times: number[]): void {
  let level = m.wire.level[0] as number;
  for (const t of times) {
    m.runUntil(t);
    level ^= 1;
    m.apply({ do: 'drive', line: 0, level: level as 0 | 1 });
  }
}

describe('oracle labels', () => {
  test('an edge followed by its handler call is delivered', () => {
    const m = edgeMachine();
    toggleAt(m, [1_100_000]);
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 1, coalesced: 0, spurious: 0, lost: 0 });
  });

  test('two edges covered by one call: delivered once, coalesced once', () => {
    const m = edgeMachine({ handlerTime: '100us' });
    toggleAt(m, [1_100_000, 1_130_000, 1_140_000]); // The 2nd and 3rd arrive during the first handler.
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 2, coalesced: 1, spurious: 0, lost: 0 });
  });

  test('a call with nothing owed since the previous one is spurious', () => {
    const m = edgeMachine({}, { preset: 'rust-vmm-mock' });
    m.runUntil(1_100_000);
    m.finish();
    expect(m.oracle.lines[0]!.spurious).toBeGreaterThan(5);
    expect(m.oracle.lines[0]!.delivered).toBe(0);
  });

  test('edges during a long-running handler are not called lost while it runs', () => {
    // A 2 ms threaded handler, settle window 0.5 ms: the owed edge waits, then is delivered.
    const m = edgeMachine({ threaded: true, threadTime: '2ms' });
    toggleAt(m, [1_100_000, 1_200_000]);
    m.runUntil(6_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 2, coalesced: 0, spurious: 0, lost: 0 });
  });

  test('an edge the device dropped is lost after the settle window, with the pipeline idle', () => {
    const m = edgeMachine({ handlerTime: '100us' }, { spec: 'v8' });
    (m.chip.variant as { mask: string }).mask = 'none-type';
    toggleAt(m, [1_100_000, 1_150_000]);
    m.runUntil(1_600_000);
    expect(m.oracle.lines[0]!.lost).toBe(0); // Not yet: within the settle window.
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toMatchObject({ delivered: 1, lost: 1 });
  });

  test('edges while the client has the interrupt disabled are not owed', () => {
    const m = edgeMachine();
    m.apply({ do: 'irq-disable', client: 0 });
    toggleAt(m, [1_100_000, 1_200_000]);
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 0, coalesced: 0, spurious: 0, lost: 0 });
  });
});

describe('level assertions', () => {
  function levelMachine(source: Record<string, unknown>, consumer: Record<string, unknown> = {}): Machine {
    const m = machineFor({
      device: { lines: [{ name: 'irq' }] },
      world: { irq: { kind: 'level-source', ...source } },
      clients: [{ kind: 'irq-consumer', line: 'irq', trigger: 'level-high', ...consumer }],
    });
    m.runUntil(1_000_000);
    return m;
  }

  test('a re-assert without the line dropping is a new assertion, owed its own call', () => {
    const m = levelMachine({ reassert: 2, ackLatency: '500ns' });
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 3, coalesced: 0, spurious: 0, lost: 0 });
  });

  test('an assertion that ends before anyone served it is withdrawn, not lost', () => {
    const m = machineFor({
      device: { lines: [{ name: 'irq' }] },
      world: { irq: { kind: 'toggle' } },
      clients: [{ kind: 'irq-consumer', line: 'irq', trigger: 'level-high', handlerTime: '300us', ack: 'none' }],
    });
    m.runUntil(1_000_000);
    m.apply({ do: 'pulse', line: 0, level: 1, widthNs: 20_000 }); // Served.
    m.runUntil(1_100_000);
    m.apply({ do: 'pulse', line: 0, level: 1, widthNs: 20_000 }); // Gone before the buffer is back.
    m.runUntil(3_000_000);
    m.finish();
    expect(m.oracle.lines[0]).toEqual({ delivered: 1, coalesced: 0, spurious: 0, lost: 0 });
  });
});

describe('invariant: the spec device with the Linux driver never loses an enabled edge', () => {
  test('for any edge train, every qualifying edge is delivered or coalesced', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_000, max: 80_000 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1_000, max: 60_000 }),
        (gaps, handlerNs) => {
          const m = edgeMachine({ handlerTime: handlerNs });
          let t = 1_100_000;
          const times = gaps.map((g) => (t += g));
          toggleAt(m, times);
          m.runUntil(t + 5_000_000);
          m.finish();
          const o = m.oracle.lines[0]!;
          expect(o.lost).toBe(0);
          expect(o.delivered + o.coalesced).toBe(times.length);
          expect(m.oracle.pendingAtEnd).toBe(0);
        },
      ),
      { numRuns: 150, seed: 2021 },
    );
  });
});
