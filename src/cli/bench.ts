import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_LATENCY, EXPLORE_LIBRARY, explore, THREE_LEVEL_TIMERS, Machine, parseProperty, resolveScenario, type ScenarioInput, TK, Trace, validateScenario, visitedSetBytes } from '../sim/index';

/**
 * `vgpio bench`: throughput of the real core (rings in guest memory, device,
 * driver, irq flow, oracle and monitors), on machines built from scenario JSON
 * the way any run builds them. Wall-clock rates, so measured, never asserted
 * in tests.
 */

export interface BenchOptions {
  /** Tiny fixed workloads: checks the output shape in a fraction of a second. */
  quick?: boolean;
  /** Progress lines (to stderr in the CLI's human mode). */
  progress?: (line: string) => void;
}

export interface BenchTarget {
  metric: string;
  /** `>=` or `<=` the threshold. */
  op: '>=' | '<=';
  threshold: number;
  value: number;
  pass: boolean;
}

export interface BenchResult {
  node: string;
  platform: string;
  cpu: string;
  quick: boolean;
  params: {
    runs: number;
    secondsPerRun: number;
    warmupSeconds: number;
    sliceNs: number;
    latencyNs: { notify: number; request: number; event: number; interrupt: number };
    request: { lines: number; client: string; traceCapacity: number };
    irq: { lines: number; clockPeriodNs: number; trigger: string; handlerNs: number; traceCapacity: number };
    events: { lines: number; clocks: number; clockPeriodNs: number; traceCapacity: number };
    traceEvents: number;
  };
  /** GET_VALUE round trips completed per wall second, trace off (median of the runs). */
  requestRoundTripsPerSec: number;
  requestRoundTripsPerSecTraced: number;
  /** Interrupt round trips (edge, VALID, handler, re-queue) per wall second, trace on. */
  irqRoundTripsPerSec: number;
  /** Simulator events processed per wall second on the 64-line board, trace on. */
  eventsPerSec: number;
  /** Trace(1_000_000).byteSize: the ring's typed arrays. */
  traceBytesPer1MEvents: number;
  /** Heap + ArrayBuffer growth measured around creating a 1M-event trace and filling it. */
  traceHeapBytesPer1MEvents: number;
  samples: { request: number[]; requestTraced: number[]; irq: number[]; events: number[] };
  /** The interleaving explorer on each entry of the explorer library, single-threaded, breadth-first. */
  explore: ExploreBench[];
  /** The explorer on a search too big to exhaust (its throughput per core once warm). */
  exploreSustained: ExploreSustained | null;
  /** Bytes of the explorer's visited-state set per million states it may hold. */
  exploreVisitedBytesPer1MStates: number;
  targets: BenchTarget[];
  /** Anything that makes the numbers meaningless (an interrupt coalesced or lost in the IRQ bench). */
  problems: string[];
}

export interface ExploreBench {
  id: string;
  /** `found` (a race: time to its shortest counterexample) or `exhausted` (a correct setup: time to the proof). */
  outcome: string;
  /** Choices away from the default run, when found. */
  depth: number | null;
  /** The first search in this process, as a user meets it (cold: the JIT has not seen this board yet). */
  ms: number;
  schedules: number;
  states: number;
  events: number;
  /** Events one explored run processes on average (the machine is built once per run). */
  eventsPerSchedule: number;
  /** Rates of the same search repeated for about a quarter of a second (warm: the steady state of a long search). */
  warmSearches: number;
  schedulesPerSec: number;
  statesPerSec: number;
  eventsPerSec: number;
}

/** A search too big to exhaust, run to a schedule bound: the explorer's throughput once it is warm. */
export interface ExploreSustained {
  title: string;
  schedules: number;
  events: number;
  eventsPerSchedule: number;
  ms: number;
  schedulesPerSec: number;
  eventsPerSec: number;
}

/** How long each entry's search is repeated for its warm rates. */
const WARM_MS = 250;

/** Runs the explorer on every entry of its library with the entry's own property; wall-clock figures. */
export function benchExplore(quick: boolean): ExploreBench[] {
  const out: ExploreBench[] = [];
  for (const e of EXPLORE_LIBRARY) {
    const s = validateScenario(e.scenario);
    if (!s.ok || !e.explore) continue;
    const p = parseProperty(e.explore.property, e.explore.line ?? null, s.value);
    if (!p.ok) continue;
    const opts = { property: p.value, ...(quick ? { maxSchedules: 20 } : {}) };
    const t0 = performance.now();
    const r = explore(e.scenario, opts);
    const ms = performance.now() - t0;
    if (!r.ok) continue;
    const v = r.value;
    // The same search again and again: every repeat explores exactly what the first did.
    let warmMs = 0;
    let searches = 0;
    while (searches === 0 || (!quick && warmMs < WARM_MS)) {
      const w0 = performance.now();
      explore(e.scenario, opts);
      warmMs += performance.now() - w0;
      searches++;
    }
    const per = (n: number): number => (warmMs > 0 ? Math.round(((n * searches) / warmMs) * 1000) : 0);
    out.push({
      id: e.id,
      outcome: v.counterexample ? 'found' : v.exhausted ? 'exhausted' : v.stop,
      depth: v.counterexample ? v.counterexample.schedule.length : null,
      ms: Math.round(ms * 10) / 10,
      schedules: v.schedules,
      states: v.states,
      events: v.events,
      eventsPerSchedule: Math.round((v.events / Math.max(1, v.schedules)) * 10) / 10,
      warmSearches: searches,
      schedulesPerSec: per(v.schedules),
      statesPerSec: per(v.states),
      eventsPerSec: per(v.events),
    });
  }
  return out;
}

/** The sustained search: a short warm-up, then 20,000 schedules (quick: 200) looking for any MUST violation. */
export function benchExploreSustained(quick: boolean): ExploreSustained | null {
  const property = { kind: 'violation' } as const;
  if (!explore(THREE_LEVEL_TIMERS, { property, maxSchedules: quick ? 20 : 2000 }).ok) return null;
  const t0 = performance.now();
  const r = explore(THREE_LEVEL_TIMERS, { property, maxSchedules: quick ? 200 : 20_000 });
  const ms = performance.now() - t0;
  if (!r.ok) return null;
  const v = r.value;
  return {
    title: THREE_LEVEL_TIMERS.title,
    schedules: v.schedules,
    events: v.events,
    eventsPerSchedule: Math.round((v.events / Math.max(1, v.schedules)) * 10) / 10,
    ms: Math.round(ms),
    schedulesPerSec: Math.round((v.schedules / ms) * 1000),
    eventsPerSec: Math.round((v.events / ms) * 1000),
  };
}

const HOUR = '3600s';
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function requestScenario(traced: boolean, capacity: number): ScenarioInput {
  return {
    version: 1,
    title: `bench: requestq round trips, trace ${traced ? 'on' : 'off'}`,
    seed: 1,
    duration: HOUR,
    device: { lines: range(8).map((i) => ({ name: `in${i}` })) },
    clients: range(8).map((i) => ({ kind: 'poller', line: i, interval: 0, name: `poll${i}` })),
    trace: { capacity },
  };
}

function irqScenario(periodNs: number, handlerNs: number, capacity: number): ScenarioInput {
  return {
    version: 1,
    title: 'bench: interrupt round trips',
    seed: 1,
    duration: HOUR,
    device: { lines: range(8).map((i) => ({ name: `clk${i}` })) },
    // Staggered phases so the lines do not all edge in the same nanosecond.
    world: Object.fromEntries(range(8).map((i) => [`clk${i}`, { kind: 'clock', period: periodNs, start: 200_000 + i * 1_000 }])),
    clients: range(8).map((i) => ({ kind: 'irq-consumer', line: i, trigger: 'edge-both', name: `irq${i}`, handlerTime: handlerNs })),
    trace: { capacity },
  };
}

function eventsScenario(periodNs: number, capacity: number): ScenarioInput {
  return {
    version: 1,
    title: 'bench: 64-line board',
    seed: 1,
    duration: HOUR,
    device: { lines: range(64).map((i) => ({ name: `l${i}` })) },
    world: Object.fromEntries(range(8).map((i) => [`l${i * 8}`, { kind: 'clock', period: periodNs, start: 200_000 + i * 10_000 }])),
    clients: range(8).map((i) => ({ kind: 'irq-consumer', line: i * 8, trigger: 'edge-both', name: `c${i}` })),
    trace: { capacity },
  };
}

function build(input: ScenarioInput, traceEnabled: boolean): Machine {
  const s = validateScenario(input);
  if (!s.ok) throw new Error(`bench scenario: ${s.error}`);
  const cfg = resolveScenario(s.value, { traceEnabled });
  if (!cfg.ok) throw new Error(`bench scenario: ${cfg.error}`);
  return new Machine(cfg.value);
}

interface Plan {
  runs: number;
  seconds: number;
  warmup: number;
  sliceNs: number;
  /** Quick mode: fixed simulated time per run instead of wall time. */
  fixedNs: number | null;
}

/** Runs `m` in slices for `plan.seconds` of wall time (or a fixed simulated time); returns count / wall second per run. */
function measure(m: Machine, count: () => number, plan: Plan): number[] {
  const runFor = (seconds: number): number => {
    const c0 = count();
    const t0 = performance.now();
    if (plan.fixedNs !== null) m.runUntil(m.now + plan.fixedNs);
    else {
      const end = t0 + seconds * 1000;
      do m.runUntil(m.now + plan.sliceNs);
      while (performance.now() < end);
    }
    const wall = (performance.now() - t0) / 1000;
    return (count() - c0) / Math.max(wall, 1e-9);
  };
  if (plan.warmup > 0) runFor(plan.warmup);
  return range(plan.runs).map(() => runFor(plan.seconds));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return Math.round(s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2);
}

function sum(a: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i] as number;
  return t;
}

/**
 * A full garbage collection. Without one before and after, garbage left by the
 * throughput runs can be collected in the middle of the measurement and make
 * the heap look smaller than it was (even negative). Node hides gc() unless
 * started with --expose-gc; the flag can also be set at run time and the
 * function picked up from a fresh context. ArrayBuffer memory is released by a
 * background sweeper unless told otherwise, which would free earlier buffers
 * during the measurement just the same.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  setFlagsFromString('--no-concurrent-array-buffer-sweeping');
  (runInNewContext('gc') as () => void)();
}

function traceMemory(events: number): { nominal: number; measured: number } {
  collectGarbage();
  const before = process.memoryUsage();
  const t = new Trace(events);
  for (let i = 0; i < events; i++) t.emit(i * 7, TK.LineLevel, i & 63, i & 1, 0, i);
  collectGarbage();
  const after = process.memoryUsage();
  const measured = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  // Keep the trace alive until after the measurement.
  return { nominal: t.byteSize * (1_000_000 / events), measured: Math.round(t.total > 0 ? measured * (1_000_000 / events) : 0) };
}

export function runBench(opts: BenchOptions = {}): BenchResult {
  const quick = opts.quick ?? false;
  const say = opts.progress ?? ((): void => {});
  const plan: Plan = quick
    ? { runs: 1, seconds: 0, warmup: 0, sliceNs: 1_000_000, fixedNs: 2_000_000 }
    : { runs: 3, seconds: 1, warmup: 0.3, sliceNs: 1_000_000, fixedNs: null };
  const capacity = 200_000;
  const irqPeriod = 100_000;
  const handlerNs = 1_000;
  const eventsPeriod = 1_000_000;
  const problems: string[] = [];

  say('requestq round trips, trace off...\n');
  const reqOff = build(requestScenario(false, capacity), false);
  const request = measure(reqOff, () => reqOff.chip.completed, plan);

  say('requestq round trips, trace on...\n');
  const reqOn = build(requestScenario(true, capacity), true);
  const requestTraced = measure(reqOn, () => reqOn.chip.completed, plan);

  say('interrupt round trips, trace on...\n');
  const irqM = build(irqScenario(irqPeriod, handlerNs, capacity), true);
  const irq = measure(irqM, () => sum(irqM.irq.calls), plan);
  {
    let coalesced = 0;
    let lost = 0;
    let spurious = 0;
    for (const l of irqM.oracle.lines) {
      coalesced += l.coalesced;
      lost += l.lost;
      spurious += l.spurious;
    }
    const devCoalesced = sum(irqM.device.evCoalesced);
    const devMasked = sum(irqM.device.evMasked);
    if (coalesced + lost + spurious + devCoalesced + devMasked > 0) {
      problems.push(
        `IRQ bench: every edge should get its own handler call, but the oracle saw ${coalesced} coalesced, ${lost} lost, ${spurious} spurious ` +
          `(device: ${devCoalesced} coalesced, ${devMasked} masked); the clock period is too short for the latencies`,
      );
    }
    if (sum(irqM.irq.calls) === 0) problems.push('IRQ bench: no handler ran');
  }

  say('events per second, 64-line board...\n');
  const evM = build(eventsScenario(eventsPeriod, capacity), true);
  const events = measure(evM, () => evM.processed, { ...plan, sliceNs: 10_000_000, fixedNs: plan.fixedNs === null ? null : 20_000_000 });

  say('interleaving explorer, its library...\n');
  const exploreFigures = benchExplore(quick);
  const sustained = benchExploreSustained(quick);

  say('trace memory...\n');
  const traceEvents = quick ? 100_000 : 1_000_000;
  const mem = traceMemory(traceEvents);

  const result: BenchResult = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    quick,
    params: {
      runs: plan.runs,
      secondsPerRun: plan.seconds,
      warmupSeconds: plan.warmup,
      sliceNs: plan.sliceNs,
      latencyNs: {
        notify: DEFAULT_LATENCY.notify.min,
        request: DEFAULT_LATENCY.request.min,
        event: DEFAULT_LATENCY.event.min,
        interrupt: DEFAULT_LATENCY.interrupt.min,
      },
      request: { lines: 8, client: 'poller, interval 0 (back-to-back GET_VALUE)', traceCapacity: capacity },
      irq: { lines: 8, clockPeriodNs: irqPeriod, trigger: 'edge-both', handlerNs, traceCapacity: capacity },
      events: { lines: 64, clocks: 8, clockPeriodNs: eventsPeriod, traceCapacity: capacity },
      traceEvents,
    },
    requestRoundTripsPerSec: median(request),
    requestRoundTripsPerSecTraced: median(requestTraced),
    irqRoundTripsPerSec: median(irq),
    eventsPerSec: median(events),
    traceBytesPer1MEvents: mem.nominal,
    traceHeapBytesPer1MEvents: mem.measured,
    samples: { request: request.map(Math.round), requestTraced: requestTraced.map(Math.round), irq: irq.map(Math.round), events: events.map(Math.round) },
    explore: exploreFigures,
    exploreSustained: sustained,
    exploreVisitedBytesPer1MStates: visitedSetBytes(1_000_000),
    targets: [],
    problems,
  };
  const target = (metric: keyof BenchResult, op: '>=' | '<=', threshold: number): BenchTarget => {
    const value = result[metric] as number;
    return { metric, op, threshold, value, pass: op === '>=' ? value >= threshold : value <= threshold };
  };
  const MB64 = 64 * 1024 * 1024;
  result.targets = [
    target('requestRoundTripsPerSec', '>=', 1_000_000),
    target('requestRoundTripsPerSecTraced', '>=', 300_000),
    target('irqRoundTripsPerSec', '>=', 300_000),
    target('traceBytesPer1MEvents', '<=', MB64),
    target('traceHeapBytesPer1MEvents', '<=', MB64),
  ];
  // Each race's shortest counterexample within a second on one core; a million simulated events explored per second.
  for (const x of exploreFigures) {
    if (x.outcome === 'found') result.targets.push({ metric: `explore ${x.id}: ms to counterexample`, op: '<=', threshold: 1000, value: x.ms, pass: x.ms <= 1000 });
  }
  // Throughput is judged where a search spends its time: the long search, warm. The library's own searches
  // (a few to a few thousand runs of 20 to 35 events) are listed with their warm rates beside it.
  const sustainedRate = sustained?.eventsPerSec ?? 0;
  result.targets.push({ metric: 'explore: simulated events per second per core (sustained search)', op: '>=', threshold: 1_000_000, value: sustainedRate, pass: sustainedRate >= 1_000_000 });
  return result;
}

const group = (n: number): string => Math.round(n).toLocaleString('en-US');

/** The human table. */
export function formatBench(r: BenchResult, table: (rows: string[][]) => string[]): string {
  const rows: string[][] = [['metric', 'value', 'target', '']];
  const targetOf = (m: string): BenchTarget | undefined => r.targets.find((t) => t.metric === m);
  const row = (label: string, metric: keyof BenchResult, unit: string): void => {
    const t = targetOf(metric);
    const v = r[metric] as number;
    const fmt = unit === 'MB' ? `${(v / 1048576).toFixed(1)} MB` : `${group(v)}/s`;
    const tfmt = t ? `${t.op} ${unit === 'MB' ? `${t.threshold / 1048576} MB` : `${group(t.threshold)}/s`}` : '';
    rows.push([label, fmt, tfmt, t ? (t.pass ? 'pass' : 'FAIL') : '']);
  };
  row('requestq round trips, trace off', 'requestRoundTripsPerSec', '/s');
  row('requestq round trips, trace on', 'requestRoundTripsPerSecTraced', '/s');
  row('interrupt round trips, trace on', 'irqRoundTripsPerSec', '/s');
  row('events (64-line board, trace on)', 'eventsPerSec', '/s');
  row('1M-event trace, typed arrays', 'traceBytesPer1MEvents', 'MB');
  row('1M-event trace, measured heap', 'traceHeapBytesPer1MEvents', 'MB');
  const lines = [
    `vgpio bench: node ${r.node}, ${r.platform}, ${r.cpu}${r.quick ? ' (quick: shape only, numbers meaningless)' : ''}`,
    `median of ${r.params.runs} run(s) of ${r.params.secondsPerRun} s after ${r.params.warmupSeconds} s warm-up`,
    '',
    ...table(rows),
  ];
  const ex: string[][] = [['explorer entry', 'outcome', 'first search', 'schedules', 'events/run', 'schedules/s warm', 'states/s warm', 'events/s warm']];
  for (const x of r.explore) {
    ex.push([x.id, x.depth === null ? x.outcome : `${x.outcome} (depth ${x.depth})`, `${x.ms} ms`, group(x.schedules), String(x.eventsPerSchedule), group(x.schedulesPerSec), group(x.statesPerSec), group(x.eventsPerSec)]);
  }
  const su = r.exploreSustained;
  if (su) ex.push([`sustained: ${su.title}`, 'max-schedules', `${group(su.ms)} ms`, group(su.schedules), String(su.eventsPerSchedule), group(su.schedulesPerSec), '', group(su.eventsPerSec)]);
  lines.push('', ...table(ex), `visited-state set: ${(r.exploreVisitedBytesPer1MStates / 1048576).toFixed(1)} MB per million states`);
  const exTargets = r.targets.filter((t) => t.metric.startsWith('explore'));
  for (const t of exTargets) lines.push(`${t.metric}: ${group(t.value)} (target ${t.op} ${group(t.threshold)}) ${t.pass ? 'pass' : 'FAIL'}`);
  if (r.problems.length) lines.push('', ...r.problems.map((p) => `PROBLEM: ${p}`));
  return lines.join('\n') + '\n';
}
