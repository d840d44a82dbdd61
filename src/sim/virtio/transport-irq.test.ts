import { describe, expect, test } from 'vitest';
import { EV, SimCore } from '../sim-context';
import { DeliveryResult, TK } from '../trace/kinds';
import { ISR_CONFIG, ISR_QUEUE, TransportInterrupt, type InterruptMode } from './transport-irq';

const LATENCY = 3_000;

/** A transport on a bare core, a sink that logs what the guest was told, and a hand-run queue. */
function harness(mode: InterruptMode) {
  const core = new SimCore(1, 1000, true);
  const t = new TransportInterrupt(core, mode, { min: LATENCY, max: LATENCY });
  const told: string[] = [];
  t.sink = {
    queueInterrupt: (q) => told.push(`${core.now}:queue ${q}`),
    configInterrupt: () => told.push(`${core.now}:config`),
  };
  const run = (until: number): void => {
    const q = core.queue;
    while (q.peekTime() <= until) {
      q.pop();
      core.now = q.time;
      if (q.kind === EV.GuestIrq) t.take(q.a);
    }
    core.now = until;
  };
  const raises = (): number[][] => {
    const out: number[][] = [];
    core.trace.forEach((e) => {
      if (e.kind === TK.IrqRaise) out.push([e.t, e.a, e.b, e.c]);
    });
    return out;
  };
  const entries = (): number[][] => {
    const out: number[][] = [];
    core.trace.forEach((e) => {
      if (e.kind === TK.IrqEntry) out.push([e.t, e.a, e.b]);
    });
    return out;
  };
  const counters = () => ({ raised: [...t.raised], delivered: [...t.delivered], coalesced: [...t.coalesced], masked: [...t.masked] });
  return { core, t, told, run, raises, entries, counters };
}

describe('TransportInterrupt: MSI-X', () => {
  test('a queue interrupt reaches the guest after the interrupt latency on its own vector', () => {
    const h = harness('msi');
    h.core.now = 100;
    h.t.raise(0);
    h.run(LATENCY + 99);
    expect(h.told).toEqual([]);
    h.run(10_000);
    expect(h.told).toEqual([`${100 + LATENCY}:queue 0`]);
    expect(h.raises()).toEqual([[100, 0, 1, DeliveryResult.Delivered]]);
    expect(h.entries()).toEqual([[100 + LATENCY, 1, 0]]);
    expect(h.counters()).toEqual({ raised: [0, 1, 0], delivered: [0, 1, 0], coalesced: [0, 0, 0], masked: [0, 0, 0] });
  });

  test('the config interrupt uses vector 0 and the eventq vector 2', () => {
    const h = harness('msi');
    h.t.raise(-1);
    h.t.raise(1);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:config`, `${LATENCY}:queue 1`]);
    expect(h.raises().map((r) => r.slice(1))).toEqual([
      [-1, 0, DeliveryResult.Delivered],
      [1, 2, DeliveryResult.Delivered],
    ]);
  });

  test('a second raise while the first message is in flight is coalesced into it', () => {
    const h = harness('msi');
    h.t.raise(0);
    h.core.now = 1_000;
    h.t.raise(0);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:queue 0`]);
    expect(h.raises()).toEqual([
      [0, 0, 1, DeliveryResult.Delivered],
      [1_000, 0, 1, DeliveryResult.Coalesced],
    ]);
    expect(h.counters()).toEqual({ raised: [0, 2, 0], delivered: [0, 1, 0], coalesced: [0, 1, 0], masked: [0, 0, 0] });
  });

  test('a raise after the message was taken is delivered again', () => {
    const h = harness('msi');
    h.t.raise(0);
    h.run(LATENCY);
    h.t.raise(0);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:queue 0`, `${2 * LATENCY}:queue 0`]);
    expect(h.counters().delivered).toEqual([0, 2, 0]);
  });

  test('vectors do not coalesce with each other', () => {
    const h = harness('msi');
    h.t.raise(0);
    h.t.raise(1);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:queue 0`, `${LATENCY}:queue 1`]);
    expect(h.counters().coalesced).toEqual([0, 0, 0]);
  });

  test('a masked vector only sets its pending bit; unmasking delivers it', () => {
    const h = harness('msi');
    h.t.setVectorMask(1, true);
    h.t.raise(0);
    h.t.raise(0);
    h.run(10_000);
    expect(h.told).toEqual([]);
    expect(h.t.vectorPending[1]).toBe(1);
    expect(h.raises().map((r) => r[3])).toEqual([DeliveryResult.Masked, DeliveryResult.Masked]);
    expect(h.counters()).toEqual({ raised: [0, 2, 0], delivered: [0, 0, 0], coalesced: [0, 0, 0], masked: [0, 2, 0] });
    h.t.setVectorMask(1, false);
    expect(h.t.vectorPending[1]).toBe(0);
    h.run(20_000);
    expect(h.told).toEqual([`${10_000 + LATENCY}:queue 0`]);
  });

  test('unmasking a vector with nothing pending sends nothing', () => {
    const h = harness('msi');
    h.t.setVectorMask(1, true);
    h.t.setVectorMask(1, false);
    h.run(10_000);
    expect(h.told).toEqual([]);
    expect(h.core.queue.size).toBe(0);
  });

  test('unmasking while a message is still in flight does not send a second one', () => {
    const h = harness('msi');
    h.t.raise(0); // In flight.
    h.t.setVectorMask(1, true);
    h.t.raise(0); // Masked: pending.
    h.t.setVectorMask(1, false);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:queue 0`]);
  });
});

describe('TransportInterrupt: INTx', () => {
  test('a queue interrupt asserts the line and sets ISR bit 0', () => {
    const h = harness('intx');
    h.t.raise(0);
    expect(h.t.asserted).toBe(true);
    expect(h.t.isr).toBe(ISR_QUEUE);
    expect(h.raises()).toEqual([[0, 0, TransportInterrupt.INTX_GSI, DeliveryResult.Delivered]]);
  });

  test('a config interrupt sets ISR bit 1', () => {
    const h = harness('intx');
    h.t.raise(-1);
    expect(h.t.isr).toBe(ISR_CONFIG);
    expect(h.t.isr).toBe(2);
  });

  test('a duplicate assert while asserted is coalesced but still sets its ISR bit', () => {
    const h = harness('intx');
    h.t.raise(1);
    h.t.raise(-1);
    expect(h.t.isr).toBe(ISR_QUEUE | ISR_CONFIG);
    expect(h.raises().map((r) => [r[1], r[3]])).toEqual([
      [1, DeliveryResult.Delivered],
      [-1, DeliveryResult.Coalesced],
    ]);
    expect(h.counters()).toEqual({ raised: [1, 0, 1], delivered: [0, 0, 1], coalesced: [1, 0, 0], masked: [0, 0, 0] });
    expect(h.core.queue.size).toBe(1);
  });

  test('taking the interrupt reads and clears ISR and deasserts the line', () => {
    const h = harness('intx');
    h.t.raise(0);
    h.t.raise(-1);
    h.run(10_000);
    expect(h.t.isr).toBe(0);
    expect(h.t.asserted).toBe(false);
    expect(h.entries()).toEqual([[LATENCY, -1, ISR_QUEUE | ISR_CONFIG]]);
  });

  test('a queue interrupt on INTx makes the guest scan both queues; config comes first', () => {
    const h = harness('intx');
    h.t.raise(1);
    h.t.raise(-1);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:config`, `${LATENCY}:queue 0`, `${LATENCY}:queue 1`]);
  });

  test('a config-only interrupt does not scan the queues', () => {
    const h = harness('intx');
    h.t.raise(-1);
    h.run(10_000);
    expect(h.told).toEqual([`${LATENCY}:config`]);
  });

  test('a raise after the interrupt was taken asserts the line again', () => {
    const h = harness('intx');
    h.t.raise(0);
    h.run(LATENCY);
    h.t.raise(0);
    expect(h.t.asserted).toBe(true);
    h.run(10_000);
    expect(h.entries()).toEqual([
      [LATENCY, -1, ISR_QUEUE],
      [2 * LATENCY, -1, ISR_QUEUE],
    ]);
    expect(h.counters()).toEqual({ raised: [0, 2, 0], delivered: [0, 2, 0], coalesced: [0, 0, 0], masked: [0, 0, 0] });
  });

  test('without a sink the interrupt is still taken and cleared', () => {
    const h = harness('intx');
    h.t.sink = null;
    h.t.raise(0);
    h.run(10_000);
    expect(h.t.isr).toBe(0);
    expect(h.t.asserted).toBe(false);
    expect(h.told).toEqual([]);
  });
});

describe('intx-irqfd: assert and deassert from two parties (seed 002)', () => {
  /** Assert path 2 us, QEMU's deassert 5 us, entry 3 us; optional resample eventfd 2 us. */
  function irqfd(resample: boolean) {
    const core = new SimCore(1, 1000, true);
    const us = (n: number) => ({ min: n * 1000, max: n * 1000 });
    const t = new TransportInterrupt(core, 'intx-irqfd', us(3), { assert: us(2), deassert: us(5), resample: resample ? us(2) : null });
    const told: number[] = [];
    t.sink = { queueInterrupt: (q) => void (q === 0 && told.push(core.now)), configInterrupt: () => {} };
    const run = (until: number): void => {
      const q = core.queue;
      while (q.peekTime() <= until) {
        q.pop();
        core.now = q.time;
        if (q.kind === EV.GuestIrq) t.take(q.a);
        else if (q.kind === EV.Irqfd) t.irqfdStep(q.a);
      }
      core.now = until;
    };
    const at = (time: number, f: () => void): void => {
      run(time);
      f();
    };
    return { core, t, told, run, at };
  }

  test('an assert that reaches KVM after the ISR read but before QEMU\'s deassert has no effect, and the deassert then leaves ISR set with the line down: lost', () => {
    const h = irqfd(false);
    h.at(0, () => h.t.raise(0)); // lands at 2 us, guest enters at 5 us and reads ISR
    h.at(6_000, () => h.t.raise(1)); // lands at 8 us: the line is still up (deassert lands at 10 us)
    h.run(100_000);
    expect(h.told).toEqual([5_000]);
    expect(h.t.isr).toBe(ISR_QUEUE);
    expect(h.t.asserted).toBe(false);
    expect(h.t.lostToDeassert).toBe(1);
    expect(h.t.coalesced[1]).toBe(1);
  });

  test('the same assert landing after the deassert raises the line again: a second entry', () => {
    const h = irqfd(false);
    h.at(0, () => h.t.raise(0));
    h.at(9_000, () => h.t.raise(1)); // lands at 11 us, after the deassert at 10 us
    h.run(100_000);
    expect(h.told).toEqual([5_000, 14_000]);
    expect(h.t.lostToDeassert).toBe(0);
  });

  test('with the resample eventfd KVM drops the line at EOI and the back end re-checks: the racing assert gets its own entry', () => {
    const h = irqfd(true);
    h.at(0, () => h.t.raise(0));
    h.at(6_000, () => h.t.raise(1));
    h.run(100_000);
    expect(h.told).toEqual([5_000, 11_000]);
    const resamples: number[][] = [];
    h.core.trace.forEach((e) => void (e.kind === TK.IrqResample && resamples.push([e.t, e.a, e.b])));
    expect(resamples).toEqual([
      [7_000, ISR_QUEUE, 1], // ISR set by the racing raise: the back end would assert again (its assert is already on the way)
      [13_000, 0, 0],
    ]);
  });
});
