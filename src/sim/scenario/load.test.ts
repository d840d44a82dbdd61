import { describe, expect, test } from 'vitest';
import { DIRECTIONS } from '../gpio/constants';
import { policyPreset } from '../gpio/policies';
import type { MachineConfig } from '../machine';
import {
  DEFAULT_LATENCY,
  DEFAULT_SETTLE_NS,
  DEFAULT_TRACE_CAPACITY,
  loadScenario,
  MAX_JSON_DEPTH,
  MAX_SCENARIO_BYTES,
  parseJsonSafely,
  resolveScenario,
  validateScenario,
  type Result,
} from './load';
import { jsonDepth } from './safe-json';

/** A small board: a button, a level source, a toggle, an unwired line; an irq-consumer and an output client. */
function board(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    title: 'board',
    duration: '1ms',
    device: { lines: [{ name: 'btn' }, { name: 'irq' }, { name: 'sw' }, { name: 'led', direction: 'out' }, {}] },
    world: { btn: { kind: 'button' }, irq: { kind: 'level-source' }, sw: { kind: 'toggle' } },
    clients: [
      { kind: 'irq-consumer', line: 'irq', trigger: 'level-high', name: 'sensor' },
      { kind: 'output', line: 'led', name: 'lamp' },
    ],
    ...extra,
  };
}

function resolved(s: Record<string, unknown>): Result<MachineConfig> {
  const v = validateScenario(s);
  if (!v.ok) return v;
  return resolveScenario(v.value);
}

function config(s: Record<string, unknown>): MachineConfig {
  const r = resolved(s);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function error(s: Record<string, unknown>): string {
  const r = resolved(s);
  return r.ok ? '(accepted)' : r.error;
}

describe('parseJsonSafely', () => {
  test.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key anywhere, naming it', (key) => {
    expect(parseJsonSafely(`{"a":{"b":[{"${key}":{"x":1}}]}}`)).toEqual({ ok: false, error: `key "${key}" is not allowed` });
  });

  test('refuses text over the size limit before parsing it', () => {
    const text = JSON.stringify({ pad: 'x'.repeat(MAX_SCENARIO_BYTES) });
    expect(parseJsonSafely(text)).toEqual({ ok: false, error: 'scenario is larger than 512 KB' });
  });

  test('accepts text exactly at the size limit', () => {
    const text = `"${'x'.repeat(MAX_SCENARIO_BYTES - 2)}"`;
    expect(text.length).toBe(MAX_SCENARIO_BYTES);
    expect(parseJsonSafely(text).ok).toBe(true);
  });

  test('says when the text is not JSON', () => {
    const r = parseJsonSafely('{"a":');
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/^not valid JSON: /);
  });

  test('refuses deeply nested JSON as nested too deeply, before parsing it', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseJsonSafely(deep)).toEqual({ ok: false, error: 'nested too deeply: more than 64 levels of arrays and objects' });
    expect(parseJsonSafely(`{"a":${'{"b":'.repeat(70)}1${'}'.repeat(70)}}`)).toEqual({
      ok: false,
      error: 'nested too deeply: more than 64 levels of arrays and objects',
    });
  });

  test('accepts nesting exactly at the depth cap; brackets inside strings do not count', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseJsonSafely('['.repeat(64) + ']'.repeat(64)).ok).toBe(true);
    expect(parseJsonSafely(JSON.stringify({ s: '[{'.repeat(5000) + '\\"[' })).ok).toBe(true);
    expect(jsonDepth('["\\"", [[1]]]')).toBe(3);
  });

  test('parses ordinary JSON, keys like "constructors" included', () => {
    expect(parseJsonSafely('{"constructors":[1,2],"proto":null}')).toEqual({ ok: true, value: { constructors: [1, 2], proto: null } });
  });
});

describe('validateScenario', () => {
  test('names the field at fault', () => {
    const s = board();
    (s.device as { lines: unknown[] }).lines[0] = { direction: 'sideways' };
    expect(validateScenario(s)).toEqual({ ok: false, error: 'device.lines.0.direction: expected "in", "out" or "none"' });
  });

  test('names a bad field inside a timeline step', () => {
    expect(validateScenario(board({ timeline: [{ at: 0, do: 'drive', line: 0, level: 2 }] }))).toEqual({
      ok: false,
      error: 'timeline.0.level: expected 0 or 1',
    });
  });

  test('refuses a newer format version with the "update vgpio-lab" message', () => {
    expect(validateScenario(board({ version: 2 }))).toEqual({
      ok: false,
      error: 'version: this scenario uses format version 2, newer than this vgpio-lab understands (1); update vgpio-lab',
    });
  });

  test.each([
    [{ device: { lines: [{ name: 'a', colour: 'red' }] } }, 'device.lines.0.colour: unknown field "colour" (expected one of name, direction, value, pull)'],
    [{ timeline: [{ at: 0, do: 'drive', line: 0 }] }, 'timeline.0.level: required field "level" is missing'],
    [{ timeline: [{ at: 0, do: 'release', line: 0, level: 1 }] }, 'timeline.0.level: unknown field "level" (expected one of at, event, do, line)'],
    [{ title: 5 }, 'title: expected text, got 5'],
    [{ clients: 'none' }, 'clients: expected a list, got "none"'],
    [{ seed: 1.5 }, 'seed: expected an integer, got 1.5'],
    [{ trace: { capacity: 0 } }, 'trace.capacity: at least 1, got 0'],
    [{ clients: [{ kind: 'poller', line: 0, name: 'p'.repeat(40) }] }, 'clients.0.name: at most 32 characters, got 40'],
  ])('says in our words what is wrong with %j', (patch, message) => {
    expect(validateScenario(board(patch))).toEqual({ ok: false, error: message });
  });

  test('refuses what is not an object', () => {
    expect(validateScenario([])).toEqual({ ok: false, error: 'a scenario is a JSON object' });
    expect(validateScenario(null)).toEqual({ ok: false, error: 'a scenario is a JSON object' });
  });

  test('a duration string is read with its unit', () => {
    const v = validateScenario(board({ duration: '1.5ms' }));
    expect(v.ok && v.value.duration).toBe(1_500_000);
  });

  test('loadScenario goes through the safe parser', () => {
    expect(loadScenario('{"__proto__":{}}')).toEqual({ ok: false, error: 'key "__proto__" is not allowed' });
  });
});

describe('resolveScenario: lines and clients', () => {
  test('lines are found by name, by number and by a numeric string', () => {
    const cfg = config(
      board({
        timeline: [
          { at: 0, do: 'drive', line: 'sw', level: 1 },
          { at: 0, do: 'drive', line: 2, level: 0 },
          { at: 0, do: 'drive', line: '4', level: 1 },
        ],
      }),
    );
    expect(cfg.steps.map((s) => s.action)).toEqual([
      { do: 'drive', line: 2, level: 1 },
      { do: 'drive', line: 2, level: 0 },
      { do: 'drive', line: 4, level: 1 },
    ]);
  });

  test('world sources are wired by line name or number', () => {
    const cfg = config(board({ world: { '4': { kind: 'toggle', initial: 1 }, btn: { kind: 'button', activeLow: false } } }));
    expect(cfg.world).toEqual([
      { kind: 'button', activeLow: false, bounce: null },
      { kind: 'none' },
      { kind: 'none' },
      { kind: 'none' },
      { kind: 'toggle', initial: 1 },
    ]);
  });

  test('an unknown line name or number is refused, naming the field', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'drive', line: 'nope', level: 1 }] }))).toBe('timeline.0.line: no line named "nope"');
    expect(error(board({ timeline: [{ at: 0, do: 'drive', line: 9, level: 1 }] }))).toBe(
      'timeline.0.line: line 9 does not exist (the device has 5 lines)',
    );
    expect(error(board({ timeline: [{ at: 0, do: 'drive', line: '9', level: 1 }] }))).toBe('timeline.0.line: no line named "9"');
    expect(error(board({ world: { ghost: { kind: 'toggle' } } }))).toBe('world.ghost: no line named "ghost"');
  });

  test('an unknown client name or index is refused, naming the field', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'irq-disable', client: 'nobody' }] }))).toBe('timeline.0.client: no client named "nobody"');
    expect(error(board({ timeline: [{ at: 0, do: 'irq-disable', client: 5 }] }))).toBe('timeline.0.client: client 5 does not exist (2 clients)');
  });

  test('clients are found by name or index', () => {
    const cfg = config(
      board({
        timeline: [
          { at: 0, do: 'set-output', client: 'lamp', value: 1 },
          { at: 0, do: 'irq-disable', client: 0 },
        ],
      }),
    );
    expect(cfg.steps.map((s) => s.action)).toEqual([
      { do: 'set-output', client: 1, value: 1 },
      { do: 'irq-disable', client: 0 },
    ]);
  });

  test('a press needs a button', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'press', line: 'irq' }] }))).toBe(
      "timeline.0.line: line 1 is not wired to a button (its source is 'level-source')",
    );
    expect(error(board({ timeline: [{ at: 0, do: 'press', line: 4 }] }))).toBe("timeline.0.line: line 4 is not wired to a button (its source is 'none')");
  });

  test('an assert needs a level source', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'assert', line: 'btn' }] }))).toBe(
      "timeline.0.line: line 0 is not wired to a level source (its source is 'button')",
    );
  });

  test('an irq-type change needs an irq-consumer', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'irq-type', client: 'lamp', trigger: 'edge-rising' }] }))).toBe(
      'timeline.0.client: client 1 is not an irq-consumer',
    );
    expect(error(board({ timeline: [{ at: 0, do: 'irq-enable', client: 1 }] }))).toBe('timeline.0.client: client 1 is not an irq-consumer');
  });

  test('set-output needs an output client', () => {
    expect(error(board({ timeline: [{ at: 0, do: 'set-output', client: 'sensor', value: 1 }] }))).toBe(
      'timeline.0.client: client 0 is not an output client',
    );
  });

  test('the step at fault is named by its index', () => {
    const steps = [
      { at: 0, do: 'drive', line: 0, level: 1 },
      { at: 0, do: 'pause' },
      { at: 0, do: 'assert', line: 'sw' },
    ];
    expect(error(board({ timeline: steps }))).toBe("timeline.2.line: line 2 is not wired to a level source (its source is 'toggle')");
  });
});

describe('resolveScenario: steps', () => {
  test('a step after the end of the run is refused', () => {
    expect(error(board({ timeline: [{ at: '2ms', do: 'pause' }] }))).toBe('timeline.0.at: step at 2000000 ns is after the end of the run (1000000 ns)');
  });

  test('a step exactly at the end of the run is accepted', () => {
    expect(config(board({ timeline: [{ at: '1ms', do: 'pause' }] })).steps).toEqual([{ at: 1_000_000, action: { do: 'pause' } }]);
  });

  test('exact steps must come in event order', () => {
    const steps = [
      { at: 10, event: 5, do: 'pause' },
      { at: 20, event: 4, do: 'pause' },
    ];
    expect(error(board({ timeline: steps }))).toBe('timeline.1.event: exact steps must be in event order');
  });

  test('exact steps keep their event number; time-only steps have none', () => {
    const steps = [
      { at: 10, event: 5, do: 'pause' },
      { at: 20, do: 'pause' },
      { at: 30, event: 5, do: 'shell', command: 'gpiodetect' },
    ];
    expect(config(board({ timeline: steps })).steps).toEqual([
      { at: 10, event: 5, action: { do: 'pause' } },
      { at: 20, action: { do: 'pause' } },
      { at: 30, event: 5, action: { do: 'shell', command: 'gpiodetect' } },
    ]);
  });

  test('a press with hold becomes a press and, hold later, a release', () => {
    expect(config(board({ timeline: [{ at: '100us', do: 'press', line: 'btn', hold: '50us' }] })).steps).toEqual([
      { at: 100_000, action: { do: 'press', line: 0, pressed: true } },
      { at: 150_000, action: { do: 'press', line: 0, pressed: false } },
    ]);
  });

  test('a press with hold cannot also be an exact step', () => {
    expect(error(board({ timeline: [{ at: 0, event: 3, do: 'press', line: 'btn', hold: '50us' }] }))).toBe(
      'timeline.0.hold: "hold" cannot be combined with "event"',
    );
  });

  test('a clock step defaults its high time to half the period and must keep it inside', () => {
    expect(config(board({ timeline: [{ at: 0, do: 'clock', line: 'sw', period: 1001 }] })).steps[0]?.action).toEqual({
      do: 'clock',
      line: 2,
      periodNs: 1001,
      highNs: 500,
      count: null,
    });
    expect(error(board({ timeline: [{ at: 0, do: 'clock', line: 'sw', period: 1000, high: 1000 }] }))).toBe(
      'timeline.0.high: the high time must be inside the period',
    );
    expect(error(board({ timeline: [{ at: 0, do: 'clock', line: 'sw', period: 1000, high: 0 }] }))).toBe(
      'timeline.0.high: the high time must be inside the period',
    );
  });

  test('a clock source in the world must keep its high time inside its period', () => {
    expect(error(board({ world: { sw: { kind: 'clock', period: 1000, high: 1500 } } }))).toBe("world: a clock's high time must be inside its period");
  });

  test('pulse defaults to a high pulse and irq-type names become trigger codes', () => {
    const cfg = config(
      board({
        timeline: [
          { at: 0, do: 'pulse', line: 'sw', width: '2us' },
          { at: 0, do: 'irq-type', client: 'sensor', trigger: 'level-low' },
        ],
      }),
    );
    expect(cfg.steps.map((s) => s.action)).toEqual([
      { do: 'pulse', line: 2, level: 1, widthNs: 2_000 },
      { do: 'irq-type', client: 0, trigger: 8 },
    ]);
  });
});

describe('resolveScenario: defaults', () => {
  test('latencies, settle window, trace capacity and driver variant have their defaults', () => {
    const cfg = config(board());
    expect(cfg.device.latency).toEqual({
      notify: DEFAULT_LATENCY.notify,
      request: DEFAULT_LATENCY.request,
      event: DEFAULT_LATENCY.event,
      interrupt: DEFAULT_LATENCY.interrupt,
    });
    expect(cfg.device.latency.request).toEqual({ min: 10_000, max: 10_000 });
    expect(cfg.irqFlow).toEqual({ flow: 'level', requeue: 'after', typeChange: 'direct', threadLatency: { min: 5_000, max: 5_000 } });
    expect(cfg.settleNs).toBe(DEFAULT_SETTLE_NS);
    expect(cfg.settleNs).toBe(500_000);
    expect(cfg.traceCapacity).toBe(DEFAULT_TRACE_CAPACITY);
    expect(cfg.traceEnabled).toBe(true);
    expect(cfg.seed).toBe(1);
    expect(cfg.queueSize).toBe(64);
    expect(cfg.transport).toBe('msi');
    expect(cfg.pulls).toEqual(['down', 'down', 'down', 'down', 'down']);
    const { in: IN, out: OUT } = DIRECTIONS.code;
    expect(cfg.device.initialDirection).toEqual([IN, IN, IN, OUT, IN]);
    expect(cfg.device.initialValue).toEqual([0, 0, 0, 0, 0]);
  });

  test('given latencies, settle window and trace capacity win over the defaults; options win over the file', () => {
    const s = board({
      device: { lines: [{}], latency: { request: ['1us', '3us'], interrupt: 500 } },
      world: {},
      clients: [],
      oracle: { settle: '1ms' },
      trace: { capacity: 77 },
    });
    const cfg = config(s);
    expect(cfg.device.latency.request).toEqual({ min: 1_000, max: 3_000 });
    expect(cfg.device.latency.interrupt).toEqual({ min: 500, max: 500 });
    expect(cfg.device.latency.notify).toEqual(DEFAULT_LATENCY.notify);
    expect(cfg.settleNs).toBe(1_000_000);
    expect(cfg.traceCapacity).toBe(77);
    const v = validateScenario(s);
    const r = v.ok ? resolveScenario(v.value, { traceCapacity: 5, traceEnabled: false }) : v;
    expect(r.ok && [r.value.traceCapacity, r.value.traceEnabled]).toEqual([5, false]);
  });

  test('a level-source ack latency defaults to 1 us; an irq-consumer acks level triggers from its handler', () => {
    const cfg = config(board());
    expect(cfg.world[1]).toEqual({
      kind: 'level-source',
      activeLow: false,
      ackLatency: { min: 1_000, max: 1_000 },
      reassert: 0,
      everyNs: null,
      startNs: 0,
    });
    expect(cfg.clients[0]).toMatchObject({ kind: 'irq-consumer', line: 1, trigger: 4, ack: 'handler' });
  });

  test('an edge-triggered irq-consumer acknowledges nothing by default', () => {
    const cfg = config(board({ clients: [{ kind: 'irq-consumer', line: 'btn', trigger: 'edge-falling' }] }));
    expect(cfg.clients[0]).toMatchObject({ ack: 'none', trigger: 2 });
  });

  test('the device policy is the preset for the spec revision, with given fields overriding it', () => {
    expect(config(board()).device.policy).toEqual(policyPreset('spec', 'v1.2'));
    expect(config(board({ device: { lines: [{}], spec: 'v8' }, world: {}, clients: [] })).device.policy.earlyBuffer).toBe('held');
    const cfg = config(board({ device: { lines: [{}], preset: 'rust-vmm', policy: { level: 'supported', edgeLatch: 'queue:4' } }, world: {}, clients: [] }));
    expect(cfg.device.policy).toEqual({ ...policyPreset('rust-vmm', 'v1.2'), level: 'supported', edgeLatch: { kind: 'queue', depth: 4 } });
  });
});
