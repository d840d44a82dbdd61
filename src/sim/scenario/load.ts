import * as v from 'valibot';
import { DIRECTIONS, IRQ_TYPES } from '../gpio/constants';
import type { LatencyRange } from '../clock/time';
import { policyPreset, type DevicePolicy } from '../gpio/policies';
import type { Pull, SourceSpec } from '../gpio/world';
import type { ClientSpec } from '../guest/clients';
import type { TimedAction } from '../actions';
import type { MachineConfig, StepWindow } from '../machine';
import { resolveStep, StepError, type StepContext } from './steps';
import { SCENARIO_VERSION, ScenarioSchema, type Scenario } from './schema';
import { describeIssue } from './issues';
import { parseJsonSafely, type Result } from './safe-json';

export { MAX_SCENARIO_BYTES, MAX_JSON_DEPTH, parseJsonSafely, scenarioSizeError, type Result } from './safe-json';

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
  return { ok: false, error: describeIssue(r.issues[0], ScenarioSchema) };
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
    if (e instanceof ScenarioError || e instanceof StepError) return { ok: false, error: e.message };
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
          trigger: IRQ_TYPES.code[c.trigger],
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

  const ctx: StepContext = {
    ngpio: n,
    clientCount: clients.length,
    sourceKind: (l) => world[l]?.kind ?? 'none',
    clientKind: (c) => clients[c]?.kind ?? 'none',
    line,
    client,
  };
  const steps: TimedAction[] = [];
  const windows: StepWindow[] = [];
  let lastEvent = -1;
  s.timeline.forEach((st, idx) => {
    const where = `timeline.${idx}`;
    const latest = st.atMax ?? st.at;
    if (latest > s.duration) throw new ScenarioError(`${where}.at: step at ${latest} ns is after the end of the run (${s.duration} ns)`);
    if (st.atMax !== undefined && st.atMax > st.at) {
      if (st.event !== undefined) throw new ScenarioError(`${where}.at: a step placed by "event" cannot have a time window`);
      // A press with hold is two actions: both move with the one drawn time.
      const first = steps.length;
      steps.push(...resolveStep(st, ctx, where));
      windows.push({ width: st.atMax - st.at, steps: steps.slice(first).map((_, k) => first + k) });
      return;
    }
    if (st.event !== undefined) {
      if (st.event < lastEvent) throw new ScenarioError(`${where}.event: exact steps must be in event order`);
      lastEvent = st.event;
    }
    steps.push(...resolveStep(st, ctx, where));
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
        ...(lat.assert ? { irqfdAssert: lat.assert } : {}),
        ...(lat.deassert ? { irqfdDeassert: lat.deassert } : {}),
        ...(lat.resample ? { irqfdResample: lat.resample } : {}),
      },
      initialDirection: lines.map((l) => DIRECTIONS.code[l.direction]),
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
    ...(windows.length > 0 ? { windows } : {}),
    ...(s.schedule ? { schedule: s.schedule } : {}),
  };
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
