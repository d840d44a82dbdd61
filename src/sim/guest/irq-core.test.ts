import { describe, expect, test, vi } from 'vitest';
import { describeEvent } from '../explain/describe';
import { IRQ_TYPE_EDGE_RISING } from '../gpio/constants';
import { events, machineFor, messages } from '../testing/build';
import type { Machine } from '../machine';
import { TK } from '../trace/kinds';
import type { IrqConsumer } from './clients';
import { EINVAL } from './warnings';

const SETUP_DONE = 1_000_000;
const FLOW = [TK.DrvFlags, TK.HandlerStart, TK.HandlerEnd, TK.RingAdd];

/** Trace lines of these kinds as "t text", for assertions where timing matters. */
function timed(m: Machine, kinds: number[], from = 0): string[] {
  const out: string[] = [];
  m.trace.forEach((e) => {
    if (kinds.includes(e.kind) && e.t >= from) out.push(`${e.t} ${describeEvent(e)}`);
  });
  return out;
}

/** One line with a level source (ack 1 us) and one irq-consumer acking from its handler. */
function levelBoard(driver: Record<string, unknown> = {}, consumer: Record<string, unknown> = {}): Machine {
  const m = machineFor({
    driver,
    device: { lines: [{ name: 'sensor' }] },
    world: { sensor: { kind: 'level-source', ackLatency: '1us' } },
    clients: [{ kind: 'irq-consumer', line: 'sensor', trigger: 'level-high', handlerTime: '5us', ...consumer }],
  });
  m.runUntil(SETUP_DONE);
  return m;
}

/** Two lines, each with an edge-falling irq-consumer. */
function edgeBoard(driver: Record<string, unknown> = {}): Machine {
  return machineFor({
    driver,
    device: { lines: [{ name: 'a' }, { name: 'b' }] },
    clients: [
      { kind: 'irq-consumer', line: 'a', trigger: 'edge-falling' },
      { kind: 'irq-consumer', line: 'b', trigger: 'edge-falling' },
    ],
  });
}

describe('IrqCore: request_irq', () => {
  test('request_irq sends SET_IRQ_TYPE, and only after its answer queues the eventq buffer', () => {
    const m = levelBoard();
    expect(messages(m)).toEqual(['GET_LINE_NAMES 0 0', 'GET_DIRECTION 0 0', 'SET_DIRECTION 0 2', 'SET_IRQ_TYPE 0 4']);
    expect(events(m, [TK.DrvIrqTypeSent, TK.MsgDone, TK.RingAdd]).slice(-4)).toEqual([
      'driver sends SET_IRQ_TYPE level-high for gpio 0 (from bus_sync_unlock)',
      'driver adds chain 0 to requestq (avail idx 4)',
      'driver reads SET_IRQ_TYPE gpio 0: status 0 value 0, rx length 2',
      'driver adds chain 0 to eventq (avail idx 1)',
    ]);
    expect(m.irq.action[0]).toEqual({ clientId: 0, threaded: false });
    expect(m.irq.depth[0]).toBe(0);
    expect(m.irq.descDisabled[0]).toBe(0);
  });

  test('the bus lock serializes irq calls: a second request_irq waits for the first SET_IRQ_TYPE round trip', () => {
    const m = edgeBoard();
    m.runUntil(SETUP_DONE);
    expect(timed(m, [TK.DrvIrqTypeSent, TK.MsgDone]).filter((s) => !s.includes('GET_'))).toEqual([
      '60000 driver reads SET_DIRECTION gpio 0: status 0 value 0, rx length 2',
      '60000 driver sends SET_IRQ_TYPE edge-falling for gpio 0 (from bus_sync_unlock)',
      '60000 driver reads SET_DIRECTION gpio 1: status 0 value 0, rx length 2',
      // Line 1 is ready at 60 us but its request_irq holds until line 0's round trip ends.
      '75000 driver reads SET_IRQ_TYPE gpio 0: status 0 value 0, rx length 2',
      '75000 driver sends SET_IRQ_TYPE edge-falling for gpio 1 (from bus_sync_unlock)',
      '90000 driver reads SET_IRQ_TYPE gpio 1: status 0 value 0, rx length 2',
    ]);
  });

  test('while an irq call holds the bus lock, the next one is queued behind it', () => {
    const m = edgeBoard();
    m.runUntil(60_000);
    expect(m.irq.busQueueLength).toBe(2);
    m.runUntil(75_000);
    expect(m.irq.busQueueLength).toBe(1);
    m.runUntil(90_000);
    expect(m.irq.busQueueLength).toBe(0);
  });
});

describe('IrqCore: the level flow handler', () => {
  test('masks, runs the handler, and the unmask after it re-queues the buffer (requeue after)', () => {
    const m = levelBoard();
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(m.now + 100_000);
    expect(timed(m, FLOW, SETUP_DONE)).toEqual([
      '1008000 driver eventq callback: gpio 0 [-] type level-high',
      '1008000 driver irq_mask: gpio 0 [masked] type level-high',
      '1008000 handler of client 0 starts for gpio 0 (call 1)',
      '1013000 handler of client 0 returns (call 1)',
      '1013000 driver irq_unmask: gpio 0 [-] type level-high',
      '1013000 driver adds chain 0 to eventq (avail idx 2)',
      '1013000 driver prepare (queue buffer): gpio 0 [queued] type level-high',
    ]);
    expect(m.irq.calls[0]).toBe(1);
  });

  test('with requeue before, the unmask re-queues the buffer before the handler runs', () => {
    const m = levelBoard({ requeue: 'before' }, { ack: 'none' });
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(m.now + 8_000); // Up to the first handler call (the line stays asserted: no ack).
    expect(timed(m, FLOW, SETUP_DONE)).toEqual([
      '1008000 driver eventq callback: gpio 0 [-] type level-high',
      '1008000 driver irq_mask: gpio 0 [masked] type level-high',
      '1008000 driver irq_unmask: gpio 0 [-] type level-high',
      '1008000 driver adds chain 0 to eventq (avail idx 2)',
      '1008000 driver prepare (queue buffer): gpio 0 [queued] type level-high',
      '1008000 handler of client 0 starts for gpio 0 (call 1)',
    ]);
  });

  test('a threaded oneshot handler keeps the line masked until its thread ends', () => {
    const m = levelBoard({}, { threaded: true, handlerTime: '2us', threadTime: '20us', ack: 'thread' });
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(m.now + 100_000);
    expect(timed(m, FLOW, SETUP_DONE)).toEqual([
      '1008000 driver eventq callback: gpio 0 [-] type level-high',
      '1008000 driver irq_mask: gpio 0 [masked] type level-high',
      '1008000 handler of client 0 starts for gpio 0 (call 1)',
      '1010000 handler of client 0 returns (call 1)',
      '1015000 threaded handler of client 0 starts for gpio 0 (call 1)',
      '1035000 threaded handler of client 0 returns (call 1)',
      '1035000 driver irq_unmask: gpio 0 [-] type level-high',
      '1035000 driver adds chain 0 to eventq (avail idx 2)',
      '1035000 driver prepare (queue buffer): gpio 0 [queued] type level-high',
    ]);
  });

  test('while the thread runs the line is masked and the thread is active', () => {
    const m = levelBoard({}, { threaded: true, handlerTime: '2us', threadTime: '20us', ack: 'thread' });
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(1_020_000);
    expect(m.chip.masked[0]).toBe(1);
    expect(m.irq.threadActive[0]).toBe(1);
    expect(m.irq.busy(0)).toBe(true);
    m.runUntil(1_100_000);
    expect(m.chip.masked[0]).toBe(0);
    expect(m.irq.busy(0)).toBe(false);
  });
});

describe('IrqCore: disable_irq and enable_irq', () => {
  test('disables nest: the interrupt comes back only after as many enables as disables', () => {
    const m = levelBoard();
    m.apply({ do: 'irq-disable', client: 0 });
    m.apply({ do: 'irq-disable', client: 0 });
    m.runUntil(m.now + 100_000);
    expect(m.irq.depth[0]).toBe(2);
    expect(m.irq.descDisabled[0]).toBe(1);
    m.apply({ do: 'irq-enable', client: 0 });
    m.runUntil(m.now + 100_000);
    expect(m.irq.depth[0]).toBe(1);
    expect(m.irq.descDisabled[0]).toBe(1);
    m.apply({ do: 'irq-enable', client: 0 });
    m.runUntil(m.now + 100_000);
    expect(m.irq.depth[0]).toBe(0);
    expect(m.irq.descDisabled[0]).toBe(0);
  });

  test('an enable without a matching disable is "Unbalanced enable": EINVAL, nothing changes', () => {
    const m = levelBoard();
    const consumer = m.clients[0] as IrqConsumer;
    const done = vi.spyOn(consumer, 'irqOpDone');
    const sent = messages(m).length;
    m.apply({ do: 'irq-enable', client: 0 });
    m.runUntil(m.now + 100_000);
    expect(done.mock.calls).toEqual([[0, 'enable', EINVAL]]);
    expect(m.irq.depth[0]).toBe(0);
    expect(messages(m)).toHaveLength(sent);
  });

  test('an interrupt while disabled does not run the handler', () => {
    const m = levelBoard();
    m.apply({ do: 'irq-disable', client: 0 });
    m.runUntil(m.now + 100_000);
    m.apply({ do: 'assert', line: 0 });
    m.runUntil(m.now + 100_000);
    expect(m.irq.calls[0]).toBe(0);
    expect(events(m, [TK.HandlerStart])).toEqual([]);
  });
});

describe('IrqCore: changing the trigger type of a live interrupt', () => {
  test("'direct' sends the new type straight away, without NONE", () => {
    const m = edgeBoard({ typeChange: 'direct' });
    m.runUntil(SETUP_DONE);
    m.apply({ do: 'irq-type', client: 0, trigger: IRQ_TYPE_EDGE_RISING });
    m.runUntil(2_000_000);
    expect(messages(m, SETUP_DONE)).toEqual(['SET_IRQ_TYPE 0 1']);
  });

  test("'via-none' sends NONE first, then the new type", () => {
    const m = edgeBoard({ typeChange: 'via-none' });
    m.runUntil(SETUP_DONE);
    m.apply({ do: 'irq-type', client: 0, trigger: IRQ_TYPE_EDGE_RISING });
    m.runUntil(2_000_000);
    expect(messages(m, SETUP_DONE)).toEqual(['SET_IRQ_TYPE 0 0', 'SET_IRQ_TYPE 0 1']);
  });

  test('a type change on a disabled interrupt is stored: the device keeps NONE until the enable sends the new type', () => {
    const m = edgeBoard({ typeChange: 'via-none' });
    m.runUntil(SETUP_DONE);
    m.apply({ do: 'irq-disable', client: 0 });
    m.runUntil(1_500_000);
    m.apply({ do: 'irq-type', client: 0, trigger: IRQ_TYPE_EDGE_RISING });
    m.runUntil(2_000_000);
    m.apply({ do: 'irq-enable', client: 0 });
    m.runUntil(2_500_000);
    expect(messages(m, SETUP_DONE)).toEqual(['SET_IRQ_TYPE 0 0', 'SET_IRQ_TYPE 0 0', 'SET_IRQ_TYPE 0 1']);
    expect(messages(m, 2_000_000)).toEqual(['SET_IRQ_TYPE 0 1']);
  });
});

describe('IrqCore: free_irq while a handler runs', () => {
  /** One line edging every 200 us from 1.1 ms, its consumer's handler (threaded or not) long enough to be caught running. */
  function running(threaded: boolean): Machine {
    const m = machineFor({
      device: { lines: [{ name: 'clk' }] },
      world: { clk: { kind: 'clock', period: '200us', start: '1100us' } },
      clients: [{ kind: 'irq-consumer', line: 'clk', trigger: 'edge-falling', threaded, handlerTime: threaded ? '1us' : '80us', threadTime: '80us' }],
    });
    // Stop right after the handler part under test has started.
    const last = (): { kind: number; c: number } | null => m.trace.get(m.trace.total - 1);
    m.runUntil(5_000_000, Infinity, () => {
      const e = last();
      return e !== null && e.kind === TK.HandlerStart && e.c === (threaded ? 1 : 0);
    });
    return m;
  }

  /** HandlerStart / HandlerEnd of the threaded part (c = 1) or the hard-irq part (c = 0), as "t kind". */
  const runs = (m: Machine, c: number): string[] => {
    const out: string[] = [];
    m.trace.forEach((e) => {
      if ((e.kind === TK.HandlerStart || e.kind === TK.HandlerEnd) && e.c === c) out.push(`${e.t} ${e.kind === TK.HandlerStart ? 'start' : 'end'}`);
    });
    return out;
  };

  test('freeing the irq while its thread runs traces the end of the thread at the free (where free_irq waits for it to finish), and nothing runs after', () => {
    const m = running(true);
    const started = m.now;
    m.irq.freeIrq(0, 0);
    m.runUntil(5_000_000);
    // The run closes at the free, not 80 us later and not never; later edges run nothing.
    expect(runs(m, 1)).toEqual([`${started} start`, `${started} end`]);
    expect(runs(m, 0)).toHaveLength(2);
    expect(m.irq.action[0]).toBeNull();
    expect(m.irq.threadActive[0]).toBe(0);
  });

  test('freeing the irq while its hard-irq handler runs traces that end at the free', () => {
    const m = running(false);
    const started = m.now;
    m.irq.freeIrq(0, 0);
    m.runUntil(5_000_000);
    expect(runs(m, 0)).toEqual([`${started} start`, `${started} end`]);
    expect(m.irq.inProgress[0]).toBe(0);
  });

  test('a free between handler calls traces no end of its own', () => {
    const m = running(true);
    m.runUntil(m.now + 100_000); // The thread has ended by itself.
    const before = runs(m, 1);
    expect(before).toHaveLength(2);
    m.irq.freeIrq(0, 0);
    m.runUntil(5_000_000);
    expect(runs(m, 1)).toEqual(before);
    expect(runs(m, 0)).toHaveLength(2);
  });
});
