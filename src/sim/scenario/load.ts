import * as v from 'valibot';
import {
  DIRECTION_IN,
  DIRECTION_NONE,
  DIRECTION_OUT,
  IRQ_TYPE_EDGE_BOTH,
  IRQ_TYPE_EDGE_FALLING,
  IRQ_TYPE_EDGE_RISING,
  IRQ_TYPE_LEVEL_HIGH,
  IRQ_TYPE_LEVEL_LOW,
  IRQ_TYPE_NONE,
} from '../gpio/constants';
import { policyPreset, type DevicePolicy, type LatencyRange } from '../gpio/policies';
import type { Pull, SourceSpec } from '../gpio/world';
import type { ClientSpec } from '../guest/clients';
import type { MachineConfig, MachineStep, StepAction } from '../machine';
import { SCENARIO_VERSION, ScenarioSchema, type Scenario } from './schema';

/** Largest scenario text accepted (files and decoded links alike). */
export const MAX_SCENARIO_BYTES = 512 * 1024;

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Default latencies (ns): a fast local device; scenarios override them. */
export const DEFAULT_LATENCY = {
  notify: { min: 2_000, max: 2_000 },
  request: { min: 10_000, max: 10_000 },
  event: { min: 5_000, max: 5_000 },
  interrupt: { min: 3_000, max: 3_000 },
  thread: { min: 5_000, max: 5_000 },
} as const;
export const DEFAULT_SETTLE_NS = 500_000;
export const DEFAULT_TRACE_CAPACITY = 200_000;

export const TRIGGER_CODES: Record<string, number> = {
  none: IRQ_TYPE_NONE,
  'edge-rising': IRQ_TYPE_EDGE_RISING,
  'edge-falling': IRQ_TYPE_EDGE_FALLING,
  'edge-both': IRQ_TYPE_EDGE_BOTH,
  'level-high': IRQ_TYPE_LEVEL_HIGH,
  'level-low': IRQ_TYPE_LEVEL_LOW,
};

/**
 * Parses JSON text from an untrusted place. Keys that could reach an object's
 * prototype are refused outright rather than silently dropped, so the error
 * says what was wrong.
 */
export function parseJsonSafely(text: string): Result<unknown> {
  if (text.length > MAX_SCENARIO_BYTES) return { ok: false, error: `scenario is larger than ${MAX_SCENARIO_BYTES / 1024} KB` };
  let bad: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, val: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) bad = key;
      return val;
    });
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (bad !== null) return { ok: false, error: `key "${bad}" is not allowed` };
  return { ok: true, value };
}

/** Validates a parsed object against format version 1, with one clear message naming the field. */
export function validateScenario(input: unknown): Result<Scenario> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: 'a scenario is a JSON object' };
  const version = (input as { version?: unknown }).version;
  if (typeof version === 'number' && version > SCENARIO_VERSION) {
    return {
      ok: false,
      error: `version: this scenario uses format version ${version}, newer than this vgpio-lab understands (${SCENARIO_VERSION}); update vgpio-lab`,
    };
  }
  const r = v.safeParse(ScenarioSchema, input);
  if (r.success) return { ok: true, value: r.output };
  const issue = r.issues[0];
  const path = v.getDotPath(issue) ?? '(top level)';
  return { ok: false, error: `${path}: ${issue.message}` };
}

/** Text -> validated scenario. */
export function loadScenario(text: string): Result<Scenario> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  return validateScenario(parsed.value);
}

/** Resolves line and client references and fills in defaults: scenario -> machine config. */
export function resolveScenario(s: Scenario, opts: { traceEnabled?: boolean; traceCapacity?: number } = {}): Result<MachineConfig> {
  try {
    return { ok: true, value: resolve(s, opts) };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: e.message };
    throw e;
  }
}

class ScenarioError extends Error {}

function resolve(s: Scenario, opts: { traceEnabled?: boolean; traceCapacity?: number }): MachineConfig {
  const lines = s.device.lines;
  const n = lines.length;
  const byName = new Map<string, number>();
  lines.forEach((l, i) => {
    if (l.name !== '' && !byName.has(l.name)) byName.set(l.name, i);
  });
  const line = (ref: string | number, where: string): number => {
    if (typeof ref === 'number') {
      if (ref >= n) throw new ScenarioError(`${where}: line ${ref} does not exist (the device has ${n} lines)`);
      return ref;
    }
    const i = byName.get(ref);
    if (i !== undefined) return i;
    if (/^\d+$/.test(ref) && Number(ref) < n) return Number(ref);
    throw new ScenarioError(`${where}: no line named "${ref}"`);
  };

  const policy: DevicePolicy = { ...policyPreset(s.device.preset, s.device.spec) };
  for (const [k, val] of Object.entries(s.device.policy)) if (val !== undefined) (policy as unknown as Record<string, unknown>)[k] = val;

  const world: SourceSpec[] = Array.from({ length: n }, () => ({ kind: 'none' }));
  for (const [ref, src] of Object.entries(s.world)) {
    const i = line(ref, `world.${ref}`);
    world[i] = sourceSpec(src);
  }

  const clientNames = new Map<string, number>();
  const clients: ClientSpec[] = s.clients.map((c, idx): ClientSpec => {
    const where = `clients.${idx}`;
    if (!clientNames.has(c.name)) clientNames.set(c.name, idx);
    switch (c.kind) {
      case 'irq-consumer':
        return {
          kind: 'irq-consumer',
          line: line(c.line, `${where}.line`),
          name: c.name,
          trigger: TRIGGER_CODES[c.trigger] as number,
          threaded: c.threaded,
          primaryNs: c.handlerTime,
          threadNs: c.threadTime,
          ack: c.ack ?? (c.trigger.startsWith('level') ? 'handler' : 'none'),
          ackDelayNs: c.ackDelay,
          startNs: c.start,
        };
      case 'gpiomon':
        return { kind: 'gpiomon', lines: c.lines.map((l, j) => line(l, `${where}.lines.${j}`)), edges: c.edges, name: c.name, startNs: c.start };
      case 'poller':
        return { kind: 'poller', line: line(c.line, `${where}.line`), name: c.name, intervalNs: c.interval, startNs: c.start };
      case 'output':
        return { kind: 'output', line: line(c.line, `${where}.line`), name: c.name, initial: c.initial, startNs: c.start };
    }
  });
  const client = (ref: string | number, where: string): number => {
    if (typeof ref === 'number') {
      if (ref >= clients.length) throw new ScenarioError(`${where}: client ${ref} does not exist (${clients.length} clients)`);
      return ref;
    }
    const i = clientNames.get(ref);
    if (i === undefined) throw new ScenarioError(`${where}: no client named "${ref}"`);
    return i;
  };

  const steps: MachineStep[] = [];
  let lastEvent = -1;
  s.timeline.forEach((st, idx) => {
    const where = `timeline.${idx}`;
    if (st.at > s.duration) throw new ScenarioError(`${where}.at: step at ${st.at} ns is after the end of the run (${s.duration} ns)`);
    if (st.event !== undefined) {
      if (st.event < lastEvent) throw new ScenarioError(`${where}.event: exact steps must be in event order`);
      lastEvent = st.event;
    }
    const push = (action: StepAction, at = st.at): void => {
      steps.push(st.event === undefined ? { at, action } : { at, event: st.event, action });
    };
    switch (st.do) {
      case 'drive':
        return push({ do: 'drive', line: line(st.line, `${where}.line`), level: st.level });
      case 'release':
        return push({ do: 'release', line: line(st.line, `${where}.line`) });
      case 'pulse':
        return push({ do: 'pulse', line: line(st.line, `${where}.line`), level: st.level, widthNs: st.width });
      case 'press': {
        const l = line(st.line, `${where}.line`);
        if (world[l]?.kind !== 'button') throw new ScenarioError(`${where}.line: line ${l} has no button in "world"`);
        push({ do: 'press', line: l, pressed: st.pressed });
        if (st.hold !== undefined) {
          if (st.event !== undefined) throw new ScenarioError(`${where}.hold: "hold" cannot be combined with "event"`);
          push({ do: 'press', line: l, pressed: !st.pressed }, st.at + st.hold);
        }
        return;
      }
      case 'clock': {
        const high = st.high ?? Math.floor(st.period / 2);
        if (high <= 0 || high >= st.period) throw new ScenarioError(`${where}.high: the high time must be inside the period`);
        return push({ do: 'clock', line: line(st.line, `${where}.line`), periodNs: st.period, highNs: high, count: st.count ?? null });
      }
      case 'assert': {
        const l = line(st.line, `${where}.line`);
        if (world[l]?.kind !== 'level-source') throw new ScenarioError(`${where}.line: line ${l} has no level-source in "world"`);
        return push({ do: 'assert', line: l });
      }
      case 'irq-type':
        return push({ do: 'irq-type', client: consumer(client(st.client, `${where}.client`), clients, `${where}.client`), trigger: TRIGGER_CODES[st.trigger] as number });
      case 'irq-disable':
        return push({ do: 'irq-disable', client: consumer(client(st.client, `${where}.client`), clients, `${where}.client`) });
      case 'irq-enable':
        return push({ do: 'irq-enable', client: consumer(client(st.client, `${where}.client`), clients, `${where}.client`) });
      case 'set-output': {
        const c = client(st.client, `${where}.client`);
        if (clients[c]?.kind !== 'output') throw new ScenarioError(`${where}.client: client ${c} is not an output client`);
        return push({ do: 'set-output', client: c, value: st.value });
      }
      case 'shell':
        return push({ do: 'shell', command: st.command });
      case 'pause':
        return push({ do: 'pause' });
    }
  });

  const lat = s.device.latency;
  return {
    seed: s.seed,
    device: {
      ngpio: n,
      names: s.device.names ? lines.map((l) => l.name) : null,
      offerIrq: s.device.irqFeature,
      offerEventIdx: s.device.eventIdx,
      spec: s.device.spec,
      policy,
      faults: { ...s.device.faults },
      latency: {
        notify: lat.notify ?? DEFAULT_LATENCY.notify,
        request: lat.request ?? DEFAULT_LATENCY.request,
        event: lat.event ?? DEFAULT_LATENCY.event,
        interrupt: lat.interrupt ?? DEFAULT_LATENCY.interrupt,
      },
      initialDirection: lines.map((l) => (l.direction === 'out' ? DIRECTION_OUT : l.direction === 'in' ? DIRECTION_IN : DIRECTION_NONE)),
      initialValue: lines.map((l) => l.value),
    },
    queueSize: s.device.queueSize,
    transport: s.device.transport,
    driver: { mask: s.driver.mask, eventIdx: s.driver.eventIdx },
    irqFlow: {
      flow: s.driver.flow,
      requeue: s.driver.requeue,
      typeChange: s.driver.typeChange,
      threadLatency: s.driver.threadLatency ?? DEFAULT_LATENCY.thread,
    },
    world,
    pulls: lines.map((l) => l.pull as Pull),
    clients,
    steps,
    traceCapacity: opts.traceCapacity ?? s.trace.capacity ?? DEFAULT_TRACE_CAPACITY,
    traceEnabled: opts.traceEnabled ?? true,
    settleNs: s.oracle.settle ?? DEFAULT_SETTLE_NS,
  };
}

function consumer(c: number, clients: ClientSpec[], where: string): number {
  if (clients[c]?.kind !== 'irq-consumer') throw new ScenarioError(`${where}: client ${c} is not an irq-consumer`);
  return c;
}

function sourceSpec(src: Scenario['world'][string]): SourceSpec {
  const ack: LatencyRange = { min: 1_000, max: 1_000 };
  switch (src.kind) {
    case 'none':
      return { kind: 'none' };
    case 'toggle':
      return { kind: 'toggle', initial: src.initial };
    case 'button':
      return { kind: 'button', activeLow: src.activeLow, bounce: src.bounce ? { count: src.bounce.count, interval: src.bounce.interval } : null };
    case 'clock': {
      const high = src.high ?? Math.floor(src.period / 2);
      if (high <= 0 || high >= src.period) throw new ScenarioError('world: a clock\'s high time must be inside its period');
      return { kind: 'clock', periodNs: src.period, highNs: high, startNs: src.start, count: src.count ?? null, initial: src.initial };
    }
    case 'level-source':
      return {
        kind: 'level-source',
        activeLow: src.activeLow,
        ackLatency: src.ackLatency ?? ack,
        reassert: src.reassert,
        everyNs: src.every ?? null,
        startNs: src.start,
      };
  }
}
