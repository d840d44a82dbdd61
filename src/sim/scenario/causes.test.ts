import { describe, expect, test } from 'vitest';
import { EXPLAINED, MAX_CAUSES } from '../check/causes';
import { DeliveryResult, CAUSE, CauseKind, OracleLabel, TK } from '../trace/kinds';
import { LIBRARY } from './library/index';
import { validateScenario } from './load';
import { runScenario, type Report } from './runner';
import type { Machine } from '../machine';
import type { Scenario } from './schema';

function scenario(id: string, patch: (s: Record<string, unknown>) => void = () => {}): Scenario {
  const raw = structuredClone(LIBRARY.find((e) => e.id === id)!.scenario) as Record<string, unknown>;
  patch(raw);
  const s = validateScenario(raw);
  if (!s.ok) throw new Error(s.error);
  return s.value;
}

function run(s: Scenario, traceEnabled = true): { report: Report; machine: Machine } {
  const r = runScenario(s, { traceEnabled });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** The flag an event raises that needs a cause, or null. */
function flagOf(kind: number, a: number): string | null {
  if (kind === TK.OracleLabel) return a === OracleLabel.Lost ? 'lost' : a === OracleLabel.Spurious ? 'spurious' : a === OracleLabel.Coalesced ? 'coalesced' : null;
  if (kind === TK.DevIrqEvent) return a === DeliveryResult.Masked ? 'device-masked' : a === DeliveryResult.Coalesced ? 'device-coalesced' : null;
  return null;
}

const KEY: Record<string, string> = { lost: 'lost', spurious: 'spurious', coalesced: 'coalesced', 'device-masked': 'deviceMasked', 'device-coalesced': 'deviceCoalesced' };

describe('why it was lost: mask-by-none-loses-edge', () => {
  const { report, machine } = run(scenario('mask-by-none-loses-edge'));
  const lost = report.causes.find((c) => c.label === 'lost')!;

  test('the LOST label at 1.55 ms is linked to the edge at 1.050 ms the device dropped while the driver had set NONE', () => {
    expect(lost.kind).toBe('masked-by-none');
    expect(lost.line).toBe(0);
    expect(lost.t).toBe(1_550_000);
    expect(lost.policy).toBe('driver.mask = none-type');
    expect(lost.rule).toBe('gpio.irq.disable-discards-latch');
    expect(lost.chain.map((l) => `${l.seq} ${l.t} ${l.role} ${l.text}`)).toEqual([
      '72 1008000 sent driver sends SET_IRQ_TYPE none for gpio 0 (from irq_mask)',
      '79 1020000 type device: gpio 0 trigger edge-falling -> none',
      '88 1050000 owed line 0 -> 0 (world)',
      '89 1050000 device device: falling edge on gpio 0: masked; sink now masked',
      '113 1550000 label oracle: 1 owed interrupt on gpio 0 LOST',
    ]);
    expect(lost.sentence).toBe(
      'the falling edge at 1.050 ms on gpio 0 was lost: the device dropped it, because the driver masks by setting the trigger type NONE: ' +
        'it sent SET_IRQ_TYPE NONE at 1.008 ms from irq_mask and the device took it at 1.020 ms, and a line set to NONE forgets what it would have latched ' +
        '(driver.mask = none-type); the spec has a line set to NONE discard what it had latched, 5.18.6.9',
    );
  });

  test('the cause is a trace event: a = kind, b = the label it explains, c = the root event', () => {
    const e = machine.trace.get(lost.seq)!;
    expect(e.kind).toBe(TK.Cause);
    expect([e.line, e.a, e.b, e.c]).toEqual([0, CauseKind.MaskedByNone, 113, 72]);
    expect(machine.trace.get(113)!.kind).toBe(TK.OracleLabel);
  });

  test('the device-side "masked" result has its own cause, and the flag-mask driver has neither', () => {
    expect(report.causes.filter((c) => c.label === 'device-masked').map((c) => [c.kind, c.subject])).toEqual([['masked-by-none', 89]]);
    const flag = run(scenario('mask-by-none-loses-edge', (s) => (s.driver = { mask: 'flag' }))).report;
    expect(flag.total.lost).toBe(0);
    expect(flag.causes).toEqual([]);
  });
});

describe('one sentence per cause, from its chain', () => {
  const first = (id: string, label: string): string => run(scenario(id)).report.causes.find((c) => c.label === label)!.sentence;

  test('a single latch folds a second edge in; a counting device reports an edge a call already covered', () => {
    expect(first('two-edges-while-away', 'device-coalesced')).toBe(
      "the falling edge at 1.100 ms on gpio 0 found the device's latch already set by the edge at 1.050 ms while the eventq buffer was with the driver; " +
        'the latch records that an edge happened, not how many, so the two come back as one VALID (device.policy.edgeLatch = single); ' +
        'the spec latches an edge that comes while the buffer is with the driver and reports it when the buffer returns, 5.18.6.9',
    );
    expect(first('two-edges-while-away-queued', 'spurious')).toBe(
      'the handler call at 1.428 ms on gpio 0 had nothing new to report: the device counted the falling edge at 1.100 ms and returned it again ' +
        'when the buffer was re-queued at 1.420 ms, but the handler call at 1.218 ms had already covered that edge (device.policy.edgeLatch = queue:16)',
    );
  });

  test('a refused type change, a refused level type, a dead line', () => {
    expect(first('type-change-without-none', 'lost')).toBe(
      'the falling edge at 2.020 ms on gpio 0 was never reported: the driver changed the trigger with SET_IRQ_TYPE edge-falling directly at 1.002 ms, ' +
        'without going through NONE; the device answered ERR at 1.012 ms and kept its old type, so it never watched for this edge ' +
        '(device.policy.typeChange = rejected; driver.typeChange = direct); the spec has the driver disable an interrupt (NONE) before giving it a new trigger, 5.18.6.8',
    );
    expect(first('invalid-livelock', 'lost')).toBe(
      'the level assertion at 1.000 ms on gpio 0 was never reported: the device refused SET_IRQ_TYPE level-high with ERR at 0.057 ms and kept the type NONE, ' +
        'the driver queued the eventq buffer anyway, and the device hands it straight back INVALID (last at 1.497 ms), over and over ' +
        '(device.policy.level = rejected); the spec has the driver enable the interrupt before it queues the buffer, 5.18.7.2',
    );
    expect(first('eventq-bad-length', 'lost')).toBe(
      "the falling edge at 1.000 ms on gpio 0 was never handled: the device returned the line's eventq buffer at 1.005 ms with used length 2 for a 1-byte response, " +
        "the driver rejected it at 1.008 ms and never re-queued it, so the line's interrupt is dead (device.faults.eventqUsedLen = 2); " +
        'the used length may count only bytes the device wrote, 2.7.8.2',
    );
  });

  test('a level served but re-queued before the client acknowledged; a level no device looks at again', () => {
    expect(first('level-requeue-before-ack', 'spurious')).toBe(
      'the handler call at 1.019 ms on gpio 0 found nothing new: the level assertion at 1.000 ms had already been served by the call at 1.008 ms, ' +
        'but the client had not yet cleared its source when the driver unmasked at 1.009 ms and re-queued the buffer, so the device sampled the line, ' +
        'found it still active and returned the buffer VALID at once (device.policy.levelSample = resample; client ack = deferred); ' +
        'the spec expects the client to clear the source before the line is unmasked, or to see a spurious interrupt, 5.18.7.1',
    );
    expect(first('level-timer-no-resample', 'lost')).toBe(
      'the level assertion at 1.0085 ms on gpio 0 was never reported: the line was already active, so there was no new transition, ' +
        'and this device does not look at the line again when the buffer is re-queued at 1.011 ms (device.policy.levelSample = transition); ' +
        'the spec does not latch levels but has the device look at the line again when the buffer comes back, 5.18.6.9',
    );
  });
});

describe('causes beyond the built-in scenarios (settings changed)', () => {
  const driver = (id: string, d: Record<string, string>) => run(scenario(id, (raw) => {
    raw.driver = { ...(raw.driver as object), ...d };
    delete raw.expect;
  })).report;

  test('an early re-queue hands the driver a VALID while the handler still runs: dropped, and what latched behind it is stuck', () => {
    const r = driver('two-edges-while-away', { requeue: 'before' });
    expect(r.causeCounts.lost).toEqual({ 'valid-while-running': 2 });
    expect(r.causes.map((c) => c.sentence)).toEqual([
      'the falling edge at 1.050 ms on gpio 0 was lost: the device reported it and the driver got the VALID buffer at 1.058 ms, but the handler call that started at 1.008 ms ' +
        'was still running, so the flow handler masked the line and dropped the interrupt instead of running the handler again (driver.flow = level; driver.requeue = before)',
      'the falling edge at 1.100 ms on gpio 0 was lost: the device latched it, but the eventq buffer never came back: the driver had got the previous VALID at 1.058 ms ' +
        'while the handler call that started at 1.008 ms still ran, and the flow handler dropped it and left the line masked (driver.flow = level; driver.requeue = before)',
    ]);
  });

  test('a refused type change explains an edge lost after the refusal was cleared by a later SET_IRQ_TYPE', () => {
    const r = driver('type-change-without-none', { mask: 'none-type' });
    expect(r.causeCounts.lost).toEqual({ 'type-change-rejected': 1 });
    const lost = r.causes.find((c) => c.label === 'lost')!;
    expect(lost.chain.map((l) => [l.role, l.t])).toEqual([
      ['sent', 1_002_000],
      ['rejected', 1_012_000],
      ['owed', 2_020_000],
      ['label', 2_520_000],
    ]);
  });

  test('changing the trigger through NONE on rust-vmm leaves nothing to explain: the waiter left from the first type reports the next edge', () => {
    // PhysDevice::wait_for_interrupt: the waiter keeps serving the line after NONE and a new type.
    const r = driver('type-change-without-none', { typeChange: 'via-none' });
    expect(r.causeCounts['device-masked']).toEqual({});
    expect(r.causeCounts.lost).toEqual({});
    expect(r.total).toMatchObject({ delivered: 2, lost: 0, spurious: 0 });
  });
});

describe('every flag of every built-in scenario is explained, and its expectations name the kinds', () => {
  for (const entry of LIBRARY) {
    test(entry.id, () => {
      const s = scenario(entry.id);
      const { report, machine } = run(s);
      const explainedBy = new Map<number, number>();
      const flags = new Map<number, string>();
      machine.trace.forEach((e) => {
        const f = flagOf(e.kind, e.a);
        if (f) flags.set(e.seq, f);
        if (e.kind === TK.Cause) {
          expect(explainedBy.has(e.b)).toBe(false); // One cause per flag.
          explainedBy.set(e.b, e.a);
        }
      });
      expect(machine.trace.dropped).toBe(0);
      // Each flag has exactly one cause, none of them a gap in the explainer, and nothing else has one.
      expect([...flags.keys()].filter((seq) => !explainedBy.has(seq))).toEqual([]);
      expect([...explainedBy.keys()].filter((seq) => !flags.has(seq))).toEqual([]);
      expect([...explainedBy.values()].filter((k) => k === CauseKind.Unexplained)).toEqual([]);
      // The scenario asserts exactly the kinds that appear, for every flag.
      const asserted = s.expect?.causes as Record<string, string[]> | undefined;
      expect(asserted).toBeDefined();
      for (const e of EXPLAINED) {
        expect(asserted![KEY[e]!], `${entry.id}: expect.causes.${KEY[e]}`).toEqual(Object.keys(report.causeCounts[e]).sort());
      }
      // The counts agree with the flags in the trace (a lost label may cover several edges: one cause per label).
      let n = 0;
      for (const e of EXPLAINED) for (const c of Object.values(report.causeCounts[e])) n += c;
      expect(n).toBe(flags.size);
    });
  }
});

describe('cause expectations', () => {
  test('a wrong explanation fails the scenario, naming what was expected and what was found', () => {
    const s = scenario('mask-by-none-loses-edge', (raw) => {
      (raw.expect as { causes: Record<string, string[]> }).causes.lost = ['level-not-resampled'];
    });
    const { report } = run(s);
    expect(report.ok).toBe(false);
    expect(report.expectations.filter((e) => !e.ok)).toEqual([
      { what: 'causes.lost', expected: 'level-not-resampled', actual: 'masked-by-none', ok: false },
    ]);
  });

  test('an unknown kind is a validation error naming the field', () => {
    const raw = structuredClone(LIBRARY.find((e) => e.id === 'calm-board')!.scenario) as { expect: { causes: Record<string, unknown> } };
    raw.expect.causes.lost = ['masked-by-nothing'];
    const v = validateScenario(raw);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.error).toMatch(/^expect\.causes\.lost\.0: expected cause kinds: unexplained, masked-by-none, /);
  });

  test('with the trace off nothing is recorded, and a cause expectation says so instead of passing', () => {
    const { report } = run(scenario('mask-by-none-loses-edge'), false);
    expect(report.causes).toEqual([]);
    expect(report.expectations.find((e) => e.what === 'causes.lost')).toEqual({
      what: 'causes.lost',
      expected: 'masked-by-none',
      actual: 'not recorded (the trace is off)',
      ok: false,
    });
  });

  test(`chains are kept for the most recent ${MAX_CAUSES} causes; the counts stay exact beyond that`, () => {
    const s = scenario('mock-storm', (raw) => {
      raw.duration = '30ms';
      raw.trace = { capacity: 100_000 };
    });
    const { report } = run(s);
    expect(report.total.spurious).toBeGreaterThan(MAX_CAUSES);
    expect(report.causes.length).toBe(MAX_CAUSES);
    expect(report.causeCounts.spurious).toEqual({ 'mock-storm': report.total.spurious });
    expect(report.causes.every((c) => c.kind === 'mock-storm' && c.chain.length === 4)).toBe(true);
  });
});

test('causes, their chains and the hash are the same however small the trace ring (the tracker keeps its own copies)', () => {
  for (const id of ['invalid-livelock', 'mask-by-none-loses-edge', 'two-edges-while-away-queued']) {
    const whole = runScenario(scenario(id));
    const small = runScenario(scenario(id), { traceCapacity: 16 });
    if (!whole.ok || !small.ok) throw new Error('run failed');
    expect(small.value.machine.trace.dropped).toBeGreaterThan(0);
    expect(small.value.report.traceHash).toBe(whole.value.report.traceHash);
    expect(small.value.report.causes).toEqual(whole.value.report.causes);
  }
  // The invalid livelock's chain still names the refused SET_IRQ_TYPE at 57 us, thousands of events back.
  const r = runScenario(scenario('invalid-livelock'), { traceCapacity: 16 });
  if (!r.ok) throw new Error(r.error);
  expect(r.value.report.causes[0]!.chain.map((l) => [l.role, l.t])).toEqual([
    ['sent', 47_000],
    ['rejected', 57_000],
    ['owed', 1_000_000],
    ['return', 1_497_000],
    ['label', 1_500_000],
  ]);
});

test('the cause vocabulary is declared once, with a name per code', () => {
  expect(CAUSE.names.length).toBe(Object.keys(CauseKind).length);
  expect(CAUSE.codeOf('masked-by-none')).toBe(CauseKind.MaskedByNone);
});
