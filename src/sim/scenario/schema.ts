import * as v from 'valibot';
import { parseDuration } from '../clock/time';
import { MAX_QUEUE_SIZE } from '../virtio/constants';
import { IRQ_TYPES, MSGS } from '../gpio/constants';
import { CAUSE } from '../trace/kinds';
import { MAX_DURATION_NS, MAX_SHELL_COMMAND } from '../actions';

/**
 * Scenario format, version 1 (docs/scenario-format.md). Every object is
 * strict: unknown keys are errors, so a typo never silently does nothing.
 * Durations are integers of ns or strings with a unit ("250us", "1.5ms");
 * latencies are a duration or a [min, max] pair drawn per occurrence.
 */

export const SCENARIO_VERSION = 1;
export const MAX_LINES = 1024;
export const MAX_STEPS = 10_000;
export const MAX_CLIENTS = 256;
export const MAX_SCHEDULE = 100_000;
/** One simulated hour: long enough for anything a person watches, short enough to stay finite (declared with the actions). */
export { MAX_DURATION_NS, MAX_SHELL_COMMAND };

const DURATION_MSG = 'expected a duration: an integer of ns or a string like "250us", "1.5ms" (units ns, us, ms, s)';

export const Duration = v.pipe(
  v.union([v.number(), v.string()], DURATION_MSG),
  v.check((x) => parseDuration(x) !== null, DURATION_MSG),
  v.transform((x) => parseDuration(x) as number),
  v.maxValue(MAX_DURATION_NS, 'duration is longer than one simulated hour'),
);

/** A latency: one duration (fixed) or [min, max]. */
export const Range = v.pipe(
  v.union([Duration, v.strictTuple([Duration, Duration])], 'expected a duration or a [min, max] pair of durations'),
  v.transform((x) => (Array.isArray(x) ? { min: x[0], max: x[1] } : { min: x, max: x })),
  v.check((r) => r.min <= r.max, 'range minimum is above its maximum'),
);

const Count = v.pipe(v.number(), v.integer('expected an integer'), v.minValue(0, 'expected a non-negative integer'));
const CountRange = v.pipe(
  v.union([Count, v.strictTuple([Count, Count])], 'expected a count or a [min, max] pair'),
  v.transform((x) => (Array.isArray(x) ? { min: x[0], max: x[1] } : { min: x, max: x })),
  v.check((r) => r.min <= r.max, 'range minimum is above its maximum'),
);
const Bit = v.picklist([0, 1], 'expected 0 or 1');
const LineName = v.pipe(
  v.string(),
  v.maxLength(64, 'line names are at most 64 characters'),
  v.regex(/^[\x20-\x7e]*$/, 'line names are printable 7-bit ASCII (virtio 1.2, 5.18.6.1)'),
);
/** A line, by name or number. */
export const LineRef = v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.minLength(1))], 'expected a line number or a line name');
const Trigger = v.picklist(IRQ_TYPES.names, `expected one of ${IRQ_TYPES.names.join(', ')}`);

const Line = v.strictObject({
  name: v.optional(LineName, ''),
  direction: v.optional(v.picklist(['in', 'out', 'none'], 'expected "in", "out" or "none"'), 'in'),
  value: v.optional(Bit, 0),
  pull: v.optional(v.picklist(['up', 'down', 'none'], 'expected "up", "down" or "none"'), 'down'),
});

const EdgeLatch = v.pipe(
  v.string(),
  v.regex(/^(single|queue:\d{1,4})$/, 'expected "single" or "queue:N"'),
  v.transform((s) => (s === 'single' ? ({ kind: 'single' } as const) : ({ kind: 'queue', depth: Number(s.slice(6)) } as const))),
  v.check((l) => l.kind === 'single' || (l.depth >= 1 && l.depth <= 4096), 'queue depth must be 1..4096'),
);

const Policy = v.strictObject({
  edgeLatch: v.optional(EdgeLatch),
  onNone: v.optional(v.picklist(['now', 'lazy'], 'expected "now" or "lazy"')),
  earlyBuffer: v.optional(v.picklist(['returned', 'held'], 'expected "returned" or "held"')),
  typeChange: v.optional(v.picklist(['accepted', 'rejected'], 'expected "accepted" or "rejected"')),
  sameType: v.optional(v.picklist(['ok', 'err'], 'expected "ok" or "err"')),
  level: v.optional(v.picklist(['supported', 'rejected'], 'expected "supported" or "rejected"')),
  levelSample: v.optional(v.picklist(['resample', 'transition'], 'expected "resample" or "transition"')),
  badGpio: v.optional(v.picklist(['err', 'crash'], 'expected "err" or "crash"')),
  malformed: v.optional(v.picklist(['err', 'stall', 'reset'], 'expected "err", "stall" or "reset"')),
  outNeedsValue: v.optional(v.boolean()),
  getNeedsDirection: v.optional(v.boolean()),
  mockStorm: v.optional(v.boolean()),
  responseSize: v.optional(v.picklist(['min', 'exact'], 'expected "min" or "exact"')),
  directionNone: v.optional(v.picklist(['discard', 'keep-irq-type'], 'expected "discard" or "keep-irq-type"')),
  hostRequest: v.optional(v.boolean()),
});

const Latency = v.strictObject({
  notify: v.optional(Range),
  request: v.optional(Range),
  event: v.optional(Range),
  interrupt: v.optional(Range),
  /** intx-irqfd only (seed 002): the assert path, the deassert path, and the resample eventfd (absent: none). */
  assert: v.optional(Range),
  deassert: v.optional(Range),
  resample: v.optional(Range),
});

const Device = v.strictObject({
  lines: v.pipe(v.array(Line), v.minLength(1, 'a device needs at least one line'), v.maxLength(MAX_LINES, `at most ${MAX_LINES} lines`)),
  names: v.optional(v.boolean(), true),
  irqFeature: v.optional(v.boolean(), true),
  eventIdx: v.optional(v.boolean(), false),
  spec: v.optional(v.picklist(['v1.2', 'v8'], 'expected "v1.2" or "v8"'), 'v1.2'),
  preset: v.optional(v.picklist(['spec', 'rust-vmm', 'rust-vmm-mock'], 'expected "spec", "rust-vmm" or "rust-vmm-mock"'), 'spec'),
  policy: v.optional(Policy, {}),
  faults: v.optional(
    v.strictObject({
      eventqUsedLen: v.optional(v.pipe(Count, v.maxValue(0xffff))),
      eventqValidStatus: v.optional(v.pipe(Count, v.maxValue(255))),
    }),
    {},
  ),
  latency: v.optional(Latency, {}),
  queueSize: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.check((n) => n >= 2 && n <= MAX_QUEUE_SIZE && (n & (n - 1)) === 0, 'queue size must be a power of two from 2 to 32768'),
    ),
    64,
  ),
  transport: v.optional(v.picklist(['msi', 'intx', 'intx-irqfd'], 'expected "msi", "intx" or "intx-irqfd"'), 'msi'),
});

const Driver = v.strictObject({
  flow: v.optional(v.picklist(['level', 'fasteoi', 'edge'], 'expected "level", "fasteoi" or "edge"'), 'level'),
  requeue: v.optional(v.picklist(['after', 'before'], 'expected "after" or "before"'), 'after'),
  mask: v.optional(v.picklist(['flag', 'none-type'], 'expected "flag" or "none-type"'), 'flag'),
  typeChange: v.optional(v.picklist(['direct', 'via-none'], 'expected "direct" or "via-none"'), 'direct'),
  eventIdx: v.optional(v.boolean(), false),
  threadLatency: v.optional(Range),
});

const Source = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('none') }),
    v.strictObject({ kind: v.literal('toggle'), initial: v.optional(Bit, 0) }),
    v.strictObject({
      kind: v.literal('button'),
      activeLow: v.optional(v.boolean(), true),
      bounce: v.optional(v.strictObject({ count: CountRange, interval: Range })),
    }),
    v.strictObject({
      kind: v.literal('clock'),
      period: v.pipe(Duration, v.minValue(100, 'clock period must be at least 100 ns')),
      high: v.optional(Duration),
      start: v.optional(Duration, 0),
      count: v.optional(v.pipe(Count, v.minValue(1))),
      initial: v.optional(Bit, 0),
    }),
    v.strictObject({
      kind: v.literal('level-source'),
      activeLow: v.optional(v.boolean(), false),
      ackLatency: v.optional(Range),
      reassert: v.optional(Count, 0),
      every: v.optional(v.pipe(Duration, v.minValue(100, 'period must be at least 100 ns'))),
      start: v.optional(Duration, 0),
    }),
  ],
  'expected a source with kind "none", "toggle", "button", "clock" or "level-source"',
);

const Client = v.variant(
  'kind',
  [
    v.strictObject({
      kind: v.literal('irq-consumer'),
      line: LineRef,
      trigger: Trigger,
      name: v.optional(v.pipe(v.string(), v.maxLength(32)), 'consumer'),
      threaded: v.optional(v.boolean(), false),
      handlerTime: v.optional(Duration, 1000),
      threadTime: v.optional(Duration, 10_000),
      /** Default: "handler" for level triggers, "none" for edges (nothing to acknowledge). */
      ack: v.optional(v.picklist(['none', 'handler', 'thread', 'deferred'], 'expected "none", "handler", "thread" or "deferred"')),
      ackDelay: v.optional(Duration, 50_000),
      start: v.optional(Duration, 0),
    }),
    v.strictObject({
      kind: v.literal('gpiomon'),
      lines: v.pipe(v.array(LineRef), v.minLength(1), v.maxLength(64, 'gpiomon watches at most 64 lines')),
      edges: v.optional(v.picklist(['rising', 'falling', 'both'], 'expected "rising", "falling" or "both"'), 'both'),
      name: v.optional(v.pipe(v.string(), v.maxLength(32)), 'gpiomon'),
      start: v.optional(Duration, 0),
    }),
    v.strictObject({
      kind: v.literal('poller'),
      line: LineRef,
      /** Time between reads; 0 reads back to back (each read is a full requestq round trip). */
      interval: v.optional(Duration, 0),
      name: v.optional(v.pipe(v.string(), v.maxLength(32)), 'poller'),
      start: v.optional(Duration, 0),
    }),
    v.strictObject({
      kind: v.literal('output'),
      line: LineRef,
      initial: v.optional(Bit, 0),
      name: v.optional(v.pipe(v.string(), v.maxLength(32)), 'output'),
      start: v.optional(Duration, 0),
    }),
  ],
  'expected a client with kind "irq-consumer", "gpiomon", "poller" or "output"',
);

/** Injected traffic (a misbehaving driver): any 16-bit field, any 32-bit value, buffers up to a page. */
const U16 = v.pipe(Count, v.maxValue(0xffff, 'expected an integer from 0 to 65535'));
const U32 = v.pipe(Count, v.maxValue(0xffffffff, 'expected an integer from 0 to 4294967295'));
const BufLen = v.pipe(Count, v.maxValue(4096, 'injected buffers are at most 4096 bytes'));
const MsgType = v.union([v.picklist(MSGS.names), U16], `expected a message type (${MSGS.names.join(', ')}) or a number from 0 to 65535`);
export const DESC_FLAG_NAMES = ['next', 'write', 'indirect'] as const;
const RawDescriptor = v.strictObject({
  index: v.pipe(Count, v.maxValue(32767, 'descriptor index is at most 32767')),
  /** Omitted: a scratch buffer of the misbehaving driver. */
  addr: v.optional(U32),
  len: U32,
  flags: v.optional(v.array(v.picklist(DESC_FLAG_NAMES, 'expected "next", "write" or "indirect"')), []),
  next: v.optional(U16, 0),
});

const ClientRef = v.union([v.pipe(v.number(), v.integer(), v.minValue(0)), v.pipe(v.string(), v.minLength(1))], 'expected a client index or name');
/**
 * A step's time: one duration, or a window [earliest, latest] that the run
 * draws from like a latency (a choice point the explorer varies). Normalized
 * below to `at` = earliest plus `atMax`, so a fixed step reads as before.
 */
const StepTime = v.union(
  [Duration, v.pipe(v.strictTuple([Duration, Duration]), v.check((w) => w[0] <= w[1], 'the window starts after it ends'))],
  'expected a duration or an [earliest, latest] window of durations',
);
const At = { at: StepTime, event: v.optional(v.pipe(Count, v.maxValue(Number.MAX_SAFE_INTEGER))) };

const Step = v.variant(
  'do',
  [
    v.strictObject({ ...At, do: v.literal('drive'), line: LineRef, level: Bit }),
    v.strictObject({ ...At, do: v.literal('release'), line: LineRef }),
    v.strictObject({ ...At, do: v.literal('pulse'), line: LineRef, level: v.optional(Bit, 1), width: Duration }),
    v.strictObject({ ...At, do: v.literal('press'), line: LineRef, pressed: v.optional(v.boolean(), true), hold: v.optional(Duration) }),
    v.strictObject({
      ...At,
      do: v.literal('clock'),
      line: LineRef,
      period: v.pipe(Duration, v.minValue(100, 'clock period must be at least 100 ns')),
      high: v.optional(Duration),
      count: v.optional(v.pipe(Count, v.minValue(1))),
    }),
    v.strictObject({ ...At, do: v.literal('assert'), line: LineRef }),
    v.strictObject({ ...At, do: v.literal('irq-type'), client: ClientRef, trigger: Trigger }),
    v.strictObject({ ...At, do: v.literal('irq-disable'), client: ClientRef }),
    v.strictObject({ ...At, do: v.literal('irq-enable'), client: ClientRef }),
    v.strictObject({ ...At, do: v.literal('set-output'), client: ClientRef, value: Bit }),
    v.strictObject({ ...At, do: v.literal('shell'), command: v.pipe(v.string(), v.maxLength(MAX_SHELL_COMMAND, `shell commands are at most ${MAX_SHELL_COMMAND} characters`)) }),
    v.strictObject({ ...At, do: v.literal('pause') }),
    v.strictObject({
      ...At,
      do: v.literal('inject-request'),
      type: MsgType,
      gpio: U16,
      value: v.optional(U32, 0),
      requestLen: v.optional(BufLen, 8),
      responseLen: v.optional(BufLen, 2),
      requestWritable: v.optional(v.boolean(), false),
      responseWritable: v.optional(v.boolean(), true),
    }),
    v.strictObject({
      ...At,
      do: v.literal('inject-event'),
      gpio: U16,
      requestLen: v.optional(BufLen, 2),
      responseLen: v.optional(BufLen, 1),
      requestWritable: v.optional(v.boolean(), false),
      responseWritable: v.optional(v.boolean(), true),
    }),
    v.strictObject({
      ...At,
      do: v.literal('inject-chain'),
      queue: v.picklist(['requestq', 'eventq'], 'expected "requestq" or "eventq"'),
      descriptors: v.pipe(v.array(RawDescriptor), v.minLength(1, 'a chain needs a descriptor'), v.maxLength(16, 'at most 16 descriptors')),
      /** Default: the first descriptor's index. */
      head: v.optional(U16),
      availJump: v.optional(U16, 0),
    }),
  ],
  'expected a step with do = drive, release, pulse, press, clock, assert, irq-type, irq-disable, irq-enable, set-output, shell, pause, inject-request, inject-event or inject-chain',
);

type Windowed<T> = T extends { at: unknown } ? Omit<T, 'at'> & { at: number; atMax?: number } : never;

/** `at: [a, b]` -> `at: a, atMax: b`; fixed steps pass through untouched. */
function windowed<T extends { at: number | readonly [number, number] }>(steps: T[]): Windowed<T>[] {
  return steps.map((st) => (Array.isArray(st.at) ? { ...st, at: st.at[0], atMax: st.at[1] } : st)) as unknown as Windowed<T>[];
}

/** An expected count: exact, or a [min, max] range. */
const Expect = CountRange;
const Counts = v.strictObject({
  delivered: v.optional(Expect),
  coalesced: v.optional(Expect),
  spurious: v.optional(Expect),
  lost: v.optional(Expect),
  handlerCalls: v.optional(Expect),
  invalid: v.optional(Expect),
  deviceDelivered: v.optional(Expect),
  deviceCoalesced: v.optional(Expect),
  deviceMasked: v.optional(Expect),
  gpiomonWrongDirection: v.optional(Expect),
  gpiomonMissed: v.optional(Expect),
  gpiomonPhantom: v.optional(Expect),
});

const CauseKinds = v.pipe(
  v.array(v.picklist(CAUSE.names, `expected cause kinds: ${CAUSE.names.join(', ')}`)),
  v.maxLength(CAUSE.names.length),
);

export const Expectations = v.strictObject({
  total: v.optional(v.strictObject({ ...Counts.entries, warnings: v.optional(Expect), requests: v.optional(Expect) })),
  transport: v.optional(v.strictObject({ raised: v.optional(Expect), delivered: v.optional(Expect), coalesced: v.optional(Expect) })),
  lines: v.optional(v.record(v.pipe(v.string(), v.minLength(1)), Counts)),
  /** "none": no MUST-level violation; a list: each of these rule ids occurs (others may too). */
  violations: v.optional(v.union([v.literal('none'), v.pipe(v.array(v.string()), v.minLength(1))], 'expected "none" or a list of rule ids')),
  deviceFailed: v.optional(v.boolean()),
  /** Substrings the shell output must contain. */
  shell: v.optional(v.array(v.string())),
  /** Per flag, exactly the cause kinds its explanations must show (docs/model.md, "Why: cause kinds"). */
  causes: v.optional(
    v.strictObject({
      lost: v.optional(CauseKinds),
      spurious: v.optional(CauseKinds),
      coalesced: v.optional(CauseKinds),
      deviceMasked: v.optional(CauseKinds),
      deviceCoalesced: v.optional(CauseKinds),
    }),
  ),
});

export const ScenarioSchema = v.strictObject({
  version: v.literal(SCENARIO_VERSION, `expected version ${SCENARIO_VERSION}`),
  title: v.pipe(v.string(), v.minLength(1, 'a scenario needs a title'), v.maxLength(200)),
  description: v.optional(v.pipe(v.string(), v.maxLength(20_000)), ''),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff, 'seed is a 32-bit unsigned integer')), 1),
  duration: Duration,
  device: Device,
  driver: v.optional(Driver, {}),
  world: v.optional(v.record(v.pipe(v.string(), v.minLength(1)), Source), {}),
  clients: v.optional(v.pipe(v.array(Client), v.maxLength(MAX_CLIENTS)), []),
  timeline: v.optional(v.pipe(v.array(Step), v.maxLength(MAX_STEPS, `at most ${MAX_STEPS} steps`), v.transform(windowed)), []),
  expect: v.optional(Expectations),
  oracle: v.optional(v.strictObject({ settle: v.optional(Duration) }), {}),
  /**
   * Schedule choices (docs/explore.md): [choice index, value] pairs in rising
   * index order; every choice not listed takes the seeded default. A share link
   * of an explored counterexample is the scenario plus this.
   */
  schedule: v.optional(
    v.pipe(
      v.array(v.strictTuple([v.pipe(Count, v.maxValue(Number.MAX_SAFE_INTEGER)), Duration], 'expected a [choice index, value] pair')),
      v.maxLength(MAX_SCHEDULE, `at most ${MAX_SCHEDULE} schedule choices`),
      v.check((xs) => xs.every((x, i) => i === 0 || x[0] > (xs[i - 1] as [number, number])[0]), 'schedule choices must be in rising choice-index order, each index once'),
    ),
  ),
  trace: v.optional(v.strictObject({ capacity: v.optional(v.pipe(Count, v.minValue(1), v.maxValue(5_000_000))) }), {}),
});

/** A scenario as written (after defaults and unit conversion). */
export type Scenario = v.InferOutput<typeof ScenarioSchema>;
/** A scenario as a file or link holds it. */
export type ScenarioInput = v.InferInput<typeof ScenarioSchema>;
export type ScenarioStep = Scenario['timeline'][number];
export type CountExpectation = { min: number; max: number };
