import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Action, TimedAction } from '../actions';
import { Machine } from '../machine';
import { LIBRARY } from './library/index';
import { resolveScenario, validateScenario, type Result } from './load';
import type { MachineConfig } from '../machine';
import { actionStep, type StepInput } from './steps';
import { Workspace } from './workspace';

const DURATION = 10_000_000;

/** Lines: 0 button, 1 level source, 2 toggle, 3 output, 4 unwired. Clients: 0 irq-consumer, 1 output. */
const BOARD = {
  version: 1,
  title: 'round trip',
  duration: DURATION,
  device: { lines: [{ name: 'btn' }, { name: 'irq' }, { name: 'sw' }, { name: 'led', direction: 'out' }, { name: 'free' }] },
  world: { btn: { kind: 'button' }, irq: { kind: 'level-source' }, sw: { kind: 'toggle' } },
  clients: [
    { kind: 'irq-consumer', line: 'irq', trigger: 'level-high', name: 'sensor' },
    { kind: 'output', line: 'led', name: 'lamp' },
  ],
};
const NGPIO = 5;

/** A scenario file holding one step, written out and read back as text, then loaded. */
function load(step: StepInput): Result<MachineConfig> {
  const file = JSON.parse(JSON.stringify({ ...BOARD, timeline: [step] })) as unknown;
  const v = validateScenario(file);
  if (!v.ok) return v;
  return resolveScenario(v.value);
}

const bit = fc.constantFrom<0 | 1>(0, 1);
const anyLine = fc.integer({ min: 0, max: NGPIO - 1 });
const width = fc.integer({ min: 0, max: 1_000_000_000 });
const clockAction = fc
  .integer({ min: 100, max: 100_000_000 })
  .chain((periodNs) =>
    fc.record({
      do: fc.constant('clock' as const),
      line: anyLine,
      periodNs: fc.constant(periodNs),
      highNs: fc.integer({ min: 1, max: periodNs - 1 }),
      count: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
    }),
  );

/** Injected traffic: any message, gpio, value, buffer sizes and flags; raw chains with any flags, addresses and jumps. */
const u16 = fc.integer({ min: 0, max: 0xffff });
const rogueBuf = fc.record({ len: fc.integer({ min: 0, max: 4096 }), write: fc.boolean() }).map((b) => ({ len: b.len, write: b.write }));
const rawDesc = fc
  .record({ index: fc.integer({ min: 0, max: 32767 }), addr: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: null }), len: fc.integer({ min: 0, max: 0xffffffff }), flags: fc.integer({ min: 0, max: 7 }), next: u16 })
  .map((d) => ({ index: d.index, addr: d.addr, len: d.len, flags: d.flags, next: d.next }));
const injectAction: fc.Arbitrary<Action> = fc.oneof(
  fc
    .record({ msgType: u16, gpio: u16, value: fc.integer({ min: 0, max: 0xffffffff }), request: rogueBuf, response: rogueBuf })
    .map((r): Action => ({ do: 'inject-request', msgType: r.msgType, gpio: r.gpio, value: r.value, request: r.request, response: r.response })),
  fc.record({ gpio: u16, request: rogueBuf, response: rogueBuf }).map((r): Action => ({ do: 'inject-event', gpio: r.gpio, request: r.request, response: r.response })),
  fc
    .record({ queue: fc.constantFrom(0, 1), descriptors: fc.array(rawDesc, { minLength: 1, maxLength: 16 }), head: u16, availJump: u16 })
    .map((r): Action => ({ do: 'inject-chain', queue: r.queue, descriptors: r.descriptors, head: r.head, availJump: r.availJump })),
);

/** Every action this board accepts (as plain objects: fast-check's records have no prototype). */
const validAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ do: fc.constant('drive' as const), line: anyLine, level: bit }),
  fc.record({ do: fc.constant('release' as const), line: anyLine }),
  fc.record({ do: fc.constant('pulse' as const), line: anyLine, level: bit, widthNs: width }),
  fc.record({ do: fc.constant('press' as const), line: fc.constant(0), pressed: fc.boolean() }),
  clockAction,
  fc.record({ do: fc.constant('assert' as const), line: fc.constant(1) }),
  fc.record({ do: fc.constant('irq-type' as const), client: fc.constant(0), trigger: fc.constantFrom(0, 1, 2, 3, 4, 8) }),
  fc.record({ do: fc.constant('irq-disable' as const), client: fc.constant(0) }),
  fc.record({ do: fc.constant('irq-enable' as const), client: fc.constant(0) }),
  fc.record({ do: fc.constant('set-output' as const), client: fc.constant(1), value: bit }),
  fc.record({ do: fc.constant('shell' as const), command: fc.string({ maxLength: 60 }) }),
  fc.constant<Action>({ do: 'pause' }),
  injectAction,
).map((a): Action => ({ ...a }));

const timedAction: fc.Arbitrary<TimedAction> = fc
  .tuple(fc.integer({ min: 0, max: DURATION }), fc.option(fc.nat(), { nil: null }), validAction)
  .map(([at, event, action]) => (event === null ? { at, action } : { at, event, action }));

/** Actions the board refuses: a press off the button, an assert off the level source, a missing line, a client of the wrong kind. */
const invalidAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ do: fc.constant('press' as const), line: fc.integer({ min: 1, max: NGPIO - 1 }), pressed: fc.boolean() }),
  fc.record({ do: fc.constant('assert' as const), line: fc.constantFrom(0, 2, 3, 4) }),
  fc.record({ do: fc.constant('drive' as const), line: fc.integer({ min: NGPIO, max: 1000 }), level: bit }),
  fc.record({ do: fc.constant('set-output' as const), client: fc.constant(0), value: bit }),
  fc.record({ do: fc.constant('irq-disable' as const), client: fc.constant(1) }),
  fc.record({ do: fc.constant('irq-type' as const), client: fc.constant(1), trigger: fc.constantFrom(0, 1, 2, 3, 4, 8) }),
);

describe('timeline steps: action <-> file', () => {
  test('every accepted action survives file -> action -> file -> action unchanged', () => {
    fc.assert(
      fc.property(timedAction, (t) => {
        const step = actionStep(t);
        const cfg = load(step);
        expect(cfg.ok ? '' : cfg.error).toBe('');
        if (!cfg.ok) return;
        expect(cfg.value.steps).toStrictEqual([t]);
        expect(actionStep(cfg.value.steps[0] as TimedAction)).toStrictEqual(step);
      }),
      { numRuns: 300 },
    );
  });

  test('an action the board refuses is refused by the loader naming the field, and by Machine.apply without changing anything', () => {
    const v = validateScenario(BOARD);
    if (!v.ok) throw new Error(v.error);
    const cfg = resolveScenario(v.value);
    if (!cfg.ok) throw new Error(cfg.error);
    const m = new Machine(cfg.value);
    m.runUntil(200_000);
    fc.assert(
      fc.property(invalidAction, (action) => {
        const err = m.apply(action);
        expect(err).not.toBeNull();
        if (!err) return;
        expect(err.field).toBe('line' in action ? 'line' : 'client');
        const loaded = load(actionStep({ at: 0, action }));
        expect(loaded).toEqual({ ok: false, error: `timeline.0.${err.field}: ${err.message}` });
      }),
      { numRuns: 200 },
    );
    const before = m.trace.total;
    const hash = m.trace.hash();
    expect(m.apply({ do: 'press', line: 2, pressed: true })).toEqual({ field: 'line', message: "line 2 is not wired to a button (its source is 'toggle')" });
    expect(m.apply({ do: 'set-output', client: 0, value: 1 })).toEqual({ field: 'client', message: 'client 0 is not an output client' });
    expect(m.trace.total).toBe(before);
    expect(m.trace.hash()).toBe(hash);
    expect(m.world.drive[2]).toBe(0);
  });

  test('a press on a line with no button names timeline.0.line; set-output on an irq-consumer names timeline.0.client', () => {
    expect(load({ at: 0, do: 'press', line: 4, pressed: true })).toEqual({
      ok: false,
      error: "timeline.0.line: line 4 is not wired to a button (its source is 'none')",
    });
    expect(load({ at: 0, do: 'set-output', client: 0, value: 1 })).toEqual({ ok: false, error: 'timeline.0.client: client 0 is not an output client' });
  });
});

// ---- live runs and their replay ------------------------------------------------------

const calmBoard = LIBRARY.find((e) => e.id === 'calm-board')?.scenario;

/** calm-board: 0 button, 1 level source (door), 2 output (led), 3..5 unwired; clients 0 and 1 irq-consumers, 2 output. */
const liveAction: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ do: fc.constant('drive' as const), line: fc.integer({ min: 0, max: 5 }), level: bit }),
  fc.record({ do: fc.constant('release' as const), line: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ do: fc.constant('pulse' as const), line: fc.integer({ min: 0, max: 5 }), level: bit, widthNs: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ do: fc.constant('press' as const), line: fc.integer({ min: 0, max: 3 }), pressed: fc.boolean() }),
  fc.record({
    do: fc.constant('clock' as const),
    line: fc.integer({ min: 3, max: 5 }),
    periodNs: fc.constant(20_000),
    highNs: fc.integer({ min: 1_000, max: 19_000 }),
    count: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  }),
  fc.record({ do: fc.constant('assert' as const), line: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ do: fc.constant('irq-type' as const), client: fc.integer({ min: 0, max: 2 }), trigger: fc.constantFrom(0, 1, 2, 3, 4, 8) }),
  fc.record({ do: fc.constant('irq-disable' as const), client: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ do: fc.constant('irq-enable' as const), client: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ do: fc.constant('set-output' as const), client: fc.integer({ min: 1, max: 2 }), value: bit }),
  fc.record({ do: fc.constant('shell' as const), command: fc.constantFrom('gpioinfo', 'gpiodetect', 'gpioget -c gpiochip0 3', 'gpioset -c gpiochip0 4=1', '\x03') }),
  fc.constant<Action>({ do: 'pause' }),
);

function machineOf(ws: Workspace): Machine {
  const s = ws.scenario();
  if (!s.ok) throw new Error(s.error);
  const cfg = resolveScenario(s.value);
  if (!cfg.ok) throw new Error(cfg.error);
  return new Machine(cfg.value);
}

/** Runs to `t`, going on past pause steps (a viewer would press play again). */
function runTo(m: Machine, t: number): void {
  while (m.runUntil(t) === 'paused');
}

describe('live runs', () => {
  test('a recorded live run replays to the same trace hash', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), liveAction), { maxLength: 16 }), fc.integer({ min: 0, max: 500_000 }), (slices, tail) => {
        const opened = Workspace.open(calmBoard);
        if (!opened.ok) throw new Error(opened.error);
        const ws = opened.value;
        const live = machineOf(ws);
        let t = 0;
        let refused = 0;
        for (const [advance, action] of slices) {
          t += advance;
          runTo(live, t);
          // As the worker does: the place is taken before the action, recorded only when it was done.
          const at = { at: live.now, event: live.processed };
          const err = live.apply(action);
          if (err) refused++;
          else ws.record({ ...at, action });
        }
        t += tail;
        runTo(live, t);
        expect(ws.recorded).toHaveLength(slices.length - refused);

        const replay = machineOf(ws);
        runTo(replay, t);
        expect(replay.now).toBe(live.now);
        expect(replay.processed).toBe(live.processed);
        expect(replay.trace.total).toBe(live.trace.total);
        expect(replay.trace.hash()).toBe(live.trace.hash());
      }),
      { numRuns: 30 },
    );
  });

  test('a live action changes the run, and its recording carries the change into the replay', () => {
    const opened = Workspace.open(calmBoard);
    if (!opened.ok) throw new Error(opened.error);
    const ws = opened.value;
    const plain = machineOf(ws);
    runTo(plain, 2_000_000);
    const live = machineOf(ws);
    runTo(live, 500_000);
    const at = { at: live.now, event: live.processed };
    expect(live.apply({ do: 'press', line: 0, pressed: true })).toBeNull();
    ws.record({ ...at, action: { do: 'press', line: 0, pressed: true } });
    runTo(live, 2_000_000);
    expect(ws.recorded).toStrictEqual([{ at: 500_000, event: at.event, do: 'press', line: 0, pressed: true }]);
    const replay = machineOf(ws);
    runTo(replay, 2_000_000);
    expect(live.trace.hash()).not.toBe(plain.trace.hash());
    expect(replay.trace.hash()).toBe(live.trace.hash());
  });
});
