import { describe, expect, test } from 'vitest';
import { MAX_CAUSES } from '../check/causes';
import { Machine } from '../machine';
import { LIBRARY } from '../scenario/library/index';
import { resolveScenario, validateScenario } from '../scenario/load';
import { DeliveryResult, OracleLabel, TK } from '../trace/kinds';
import { explainByReplay, explainFlag, findCause, isExplainable, parseSettings } from './card';

/** A library scenario's machine, traced, not yet run. */
function machine(id: string, traceCapacity = 1_000_000): Machine {
  const s = validateScenario(LIBRARY.find((e) => e.id === id)!.scenario);
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value, { traceEnabled: true, traceCapacity });
  if (!cfg.ok) throw new Error(cfg.error);
  const m = new Machine(cfg.value);
  ends.set(m, s.value.duration);
  return m;
}
const ends = new WeakMap<Machine, number>();

/** Runs a machine to its scenario's end. */
function toEnd(m: Machine): void {
  while (m.runUntil(ends.get(m)!) === 'paused');
}

/** Seqs of the events of one kind with field a, in order. */
function seqsOf(m: Machine, kind: number, a: number): number[] {
  const out: number[] = [];
  for (let s = m.trace.firstSeq; s < m.trace.total; s++) {
    const e = m.trace.get(s);
    if (e && e.kind === kind && e.a === a) out.push(s);
  }
  return out;
}

describe('the explanation card of mask-by-none-loses-edge', () => {
  const m = machine('mask-by-none-loses-edge');
  toEnd(m);
  const [lostSeq] = seqsOf(m, TK.OracleLabel, OracleLabel.Lost);
  const card = explainFlag(m, lostSeq!)!;

  test('the LOST flag names the falling edge at 1.05 ms, the SET_IRQ_TYPE NONE the driver sent, and driver.mask = none-type', () => {
    expect(card.flag).toBe('LOST');
    expect(card.kind).toBe('masked-by-none');
    expect(card.line).toBe(0);
    expect(card.t).toBe(1_550_000);
    expect(card.steps.map((s) => [s.time, s.role])).toEqual([
      ['1.008 ms', 'sent'],
      ['1.02 ms', 'type'],
      ['1.05 ms', 'owed'],
      ['1.05 ms', 'device'],
      ['1.55 ms', 'label'],
    ]);
    expect(card.steps[0]!.text).toBe('driver sends SET_IRQ_TYPE none for gpio 0 (from irq_mask)');
    expect(card.sentence).toContain('the falling edge at 1.050 ms on gpio 0 was lost');
    expect(card.settings).toEqual([{ path: 'driver.mask', value: 'none-type', editable: true }]);
    expect(card.section).toBe('5.18.6.9');
    expect(card.rule).toBe('gpio.irq.disable-discards-latch');
  });

  test('the settle window is named: judged lost 500 us after the edge, once the pipeline was idle', () => {
    expect(card.settle).toMatch(/^judged lost 500 us after it was owed, once the line's pipeline was idle \(the oracle waits a settle window of 500 us/);
  });

  test('the waveform draws the chain from the dropped edge to the LOST flag', () => {
    expect(card.arrow).toEqual({ fromT: 1_050_000, fromLine: 0, toT: 1_550_000, toLine: 0 });
  });

  test('the device-side MASKED mark opens its own card (no settle window), and so does the Cause event itself', () => {
    const [masked] = seqsOf(m, TK.DevIrqEvent, DeliveryResult.Masked);
    const dev = explainFlag(m, masked!)!;
    expect(dev.flag).toBe('device MASKED');
    expect(dev.settle).toBeUndefined();
    expect(dev.steps.map((s) => s.role)).toEqual(['sent', 'type', 'owed', 'device']);
    expect(explainFlag(m, card.seq)).toEqual(card);
  });

  test('an event that is not a flag has no card', () => {
    expect(explainFlag(m, 0)).toBeNull();
    expect(explainFlag(m, m.trace.total + 10)).toBeNull();
  });
});

describe('a flag older than the causes kept', () => {
  test('a traced replay of the same run finds the card of the first spurious flag of mock-storm', () => {
    const m = machine('mock-storm');
    // Past the scenario's end the storm goes on: run until more causes than are kept.
    m.runUntil(Number.MAX_SAFE_INTEGER, 20_000_000, () => m.causes.total > MAX_CAUSES + 10);
    expect(m.causes.total).toBe(MAX_CAUSES + 11);
    expect(m.causes.records.length).toBe(MAX_CAUSES);
    const [first] = seqsOf(m, TK.OracleLabel, OracleLabel.Spurious);
    expect(explainFlag(m, first!)).toBeNull();
    // A small ring: the tracker copies what its chains name, so the card does not depend on it.
    const card = explainByReplay(machine('mock-storm', 1024), first!, 10_000_000)!;
    expect(card.subject).toBe(first);
    expect(card.flag).toBe('SPURIOUS');
    expect(card.kind).toBe('mock-storm');
    expect(card.settings).toEqual([{ path: 'device.preset', value: 'rust-vmm-mock', editable: true }]);
  });

  test('a replay for a seq that is no flag gives up at the end of the run', () => {
    expect(explainByReplay(machine('calm-board', 1024), 5, 10_000_000)).toBeNull();
  });
});

describe('pure helpers', () => {
  test('the flags a card explains: lost, spurious and coalesced labels, masked and coalesced device results, causes', () => {
    expect(isExplainable(TK.OracleLabel, OracleLabel.Lost)).toBe(true);
    expect(isExplainable(TK.OracleLabel, OracleLabel.Spurious)).toBe(true);
    expect(isExplainable(TK.OracleLabel, OracleLabel.Coalesced)).toBe(true);
    expect(isExplainable(TK.OracleLabel, OracleLabel.Delivered)).toBe(false);
    expect(isExplainable(TK.DevIrqEvent, DeliveryResult.Masked)).toBe(true);
    expect(isExplainable(TK.DevIrqEvent, DeliveryResult.Coalesced)).toBe(true);
    expect(isExplainable(TK.DevIrqEvent, DeliveryResult.Delivered)).toBe(false);
    expect(isExplainable(TK.Cause, 3)).toBe(true);
    expect(isExplainable(TK.LineLevel, 0)).toBe(false);
  });

  test('a policy text becomes settings; only device.* and driver.* paths are settings-panel links', () => {
    expect(parseSettings('driver.flow = level; driver.requeue = after')).toEqual([
      { path: 'driver.flow', value: 'level', editable: true },
      { path: 'driver.requeue', value: 'after', editable: true },
    ]);
    expect(parseSettings('device.policy.levelSample = resample; client ack = handler')).toEqual([
      { path: 'device.policy.levelSample', value: 'resample', editable: true },
      { path: 'client ack', value: 'handler', editable: false },
    ]);
    expect(parseSettings(undefined)).toEqual([]);
  });

  test('findCause prefers the newest record for a seq', () => {
    const rec = (seq: number, subject: number) => ({ seq, subject, t: 0, line: 0, kind: 0, explains: 'lost', root: -1, chain: [], trigger: 0 }) as never;
    expect(findCause([rec(10, 5), rec(12, 11)], 11)).toMatchObject({ seq: 12 });
    expect(findCause([rec(10, 5), rec(12, 11)], 10)).toMatchObject({ seq: 10 });
    expect(findCause([rec(10, 5)], 7)).toBeUndefined();
  });
});
