import { Prng } from '../clock/prng';
import { Machine, type MachineConfig, type RunStop } from '../machine';
import { resolveScenario, validateScenario, type Result } from '../scenario/load';
import { buildReport, type Report } from '../scenario/runner';
import type { Scenario } from '../scenario/schema';
import type { Chooser } from '../sim-context';
import { describeProperty, invalidTotal, LIVELOCK_WINDOW_NS, violates, type Property } from './property';
import { Recorder, type Schedule } from './recorder';
import { Frontier } from './frontier';
import { FingerprintSet } from './visited';
import { TableBuffers } from '../typed-block';

/** The bounds of a search; every one is named in the verdict. */
export interface ExploreOptions {
  property: Property;
  /** Runs at most this many schedules (default 100,000). */
  maxSchedules?: number;
  /** Wall-clock budget; needs `now` (the core has no clock of its own). */
  maxSeconds?: number;
  /** Milliseconds from some fixed point (performance.now in Node and browsers). */
  now?: () => number;
  /** Randomized mode (swarm of deviation probabilities) with this seed instead of breadth-first. */
  random?: { seed: number } | null;
  /** Size of the visited-state set (it grows as states arrive, to about 16.8 bytes per state at most; default 1,000,000). */
  maxStates?: number;
  /** Values tried per choice point, both ends included (default 8). */
  valuesPerChoice?: number;
  /** Deviations from the default per schedule at most (default: no limit). */
  maxDepth?: number;
  /** Events one run may process before it is cut short (default 5,000,000). */
  maxEventsPerRun?: number;
}

export const EXPLORE_DEFAULTS = {
  maxSchedules: 100_000,
  maxStates: 1_000_000,
  valuesPerChoice: 8,
  maxEventsPerRun: 5_000_000,
} as const;

/** One choice of a counterexample, in words. */
export interface ChoiceNote {
  index: number;
  /** `window` for a timeline step's time, `latency` for any drawn latency or count. */
  what: 'window' | 'latency';
  value: number;
  min: number;
  max: number;
  /** The seeded default this choice replaced. */
  dflt: number;
}

export interface Counterexample {
  /** The deviations from the default run, rising choice index. */
  schedule: Schedule;
  choices: ChoiceNote[];
  traceHash: string;
  report: Report;
  /** The scenario as given plus its `schedule`: what a share link carries. */
  scenario: Record<string, unknown>;
  /** The same run as a file with concrete times: windows pinned, every drawn latency listed in `schedule`. */
  concrete: Record<string, unknown>;
}

export type ExploreStop = 'found' | 'exhausted' | 'max-schedules' | 'max-seconds';

export interface ExploreResult {
  title: string;
  property: string;
  mode: 'breadth-first' | 'random';
  stop: ExploreStop;
  /** Breadth-first only: every schedule within the bounds was run (or pruned as a state already seen). */
  exhausted: boolean;
  schedules: number;
  /** Distinct machine states at choice points (fingerprints kept). */
  states: number;
  /** Simulated events processed, all runs. */
  events: number;
  /** Choice points in the default run. */
  choicePoints: number;
  /** Counterexamples the explorer found but threw away because a replay from the file did not reproduce them. */
  notReproduced: number;
  elapsedMs: number | null;
  bounds: { maxSchedules: number; maxSeconds: number | null; valuesPerChoice: number; maxDepth: number | null; maxStates: number; visitedBytes: number; maxEventsPerRun: number };
  /** States the visited set could not hold (pruning stopped for them). */
  statesOverflow: number;
  counterexample: Counterexample | null;
}

interface Setup {
  input: Record<string, unknown>;
  s: Scenario;
  cfg: MachineConfig;
  prop: Property;
  maxEvents: number;
  windows: number[];
  /** Whether explored runs follow causes: only an `expect` property can read them (expect.causes). */
  causes: boolean;
  /** Guest RAM of the last explored run, handed to the next (null before the first). */
  memory: ArrayBuffer | null;
  /** The host-side tables of the last explored run, handed to the next (null: each run makes its own). */
  tables: TableBuffers | null;
  /**
   * The config of every explored run, made once: only the chooser, the tap and the memory change
   * from run to run, and the machine reads those three only while it is being built.
   */
  runCfg: MachineConfig;
}

/** A run's outcome, from any chooser; the report is built only when asked for (a counterexample, or `expect`). */
interface Outcome {
  m: Machine;
  report: () => Report;
  bad: boolean;
}

/** Runs one schedule to the end and judges the property (livelock runs go in 1 ms slices to find the worst one). */
function runWith(st: Setup, cfg: MachineConfig, chooser: Chooser | null, rec: Recorder | null, causes = st.causes): Outcome {
  const c = cfg === st.cfg && causes === st.causes ? st.runCfg : { ...cfg, queueCapacity: EXPLORE_QUEUE_CAPACITY, causes };
  c.chooser = chooser;
  c.tap = rec;
  c.memory = st.memory ?? undefined;
  c.tables = st.tables ?? undefined;
  const m = new Machine(c);
  // One run at a time: the next run zeroes and reuses this one's guest RAM, so an outcome's machine
  // is only read (its event count) once the next run has started; a confirming replay takes its own.
  st.memory = m.mem.buffer;
  if (rec !== null) rec.core = m.core;
  const end = st.s.duration;
  let stop: RunStop;
  let peak = 0;
  if (st.prop.kind === 'livelock') {
    let t = 0;
    let before = 0;
    do {
      t = Math.min(end, t + LIVELOCK_WINDOW_NS);
      do stop = m.runUntil(t, st.maxEvents - m.processed);
      while (stop === 'paused');
      const now = invalidTotal(m);
      peak = Math.max(peak, now - before);
      before = now;
    } while (t < end && stop !== 'event-limit');
  } else {
    do stop = m.runUntil(end, st.maxEvents - m.processed);
    while (stop === 'paused');
  }
  m.finish();
  let built: Report | null = null;
  const report = (): Report => (built ??= buildReport(st.s, m, stop));
  return { m, report, bad: violates(st.prop, m, peak, report) };
}

/**
 * Explorer runs trace into a ring of one event: the recorder follows the trace as it is written,
 * nothing reads the ring back, and the hash covers every event whatever the capacity.
 */
const EXPLORE_TRACE_CAPACITY = 1;
/**
 * Pending events an explored run's queue holds before it grows (same order either way). Its arrays
 * come from the search's reused table buffers, so the size costs nothing per run; 16 holds what the
 * library's boards keep pending (the three-level-timers board outgrew 8 in 71 % of its runs, and each
 * growth made two new backing stores that the workers' GC then had to sweep).
 */
const EXPLORE_QUEUE_CAPACITY = 16;

function setup(input: unknown, prop: Property, maxEvents: number): Result<Setup> {
  const v = validateScenario(input);
  if (!v.ok) return v;
  // Exploration starts from the seeded default: a schedule the file carries is set aside.
  const { schedule: _ignored, ...rest } = input as Record<string, unknown>;
  const s: Scenario = { ...v.value, schedule: undefined };
  const cfg = resolveScenario(s, { traceCapacity: EXPLORE_TRACE_CAPACITY, traceEnabled: true });
  if (!cfg.ok) return cfg;
  const causes = prop.kind === 'expect';
  const windows: number[] = [];
  s.timeline.forEach((t, i) => {
    if (t.atMax !== undefined && t.atMax > t.at) windows.push(i);
  });
  return { ok: true, value: { input: rest, s, cfg: cfg.value, prop, maxEvents, windows, causes, memory: null, tables: new TableBuffers(), runCfg: { ...cfg.value, queueCapacity: EXPLORE_QUEUE_CAPACITY, causes } } };
}

/**
 * Searches the schedules of a scenario for one that breaks the property.
 * Breadth-first by the number of deviations from the default run, so the
 * first counterexample is a shortest one; or randomized (a swarm of deviation
 * probabilities) for spaces too big to exhaust. Every counterexample is
 * replayed from its scenario file before it is reported. Never throws on bad input.
 */
export function explore(input: unknown, opts: ExploreOptions): Result<ExploreResult> {
  const bad = checkOptions(opts);
  if (bad) return { ok: false, error: bad };
  const maxEvents = opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun;
  const st = setup(input, opts.property, maxEvents);
  if (!st.ok) return st;
  const maxSchedules = opts.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules;
  const maxStates = opts.maxStates ?? EXPLORE_DEFAULTS.maxStates;
  const cap = Math.max(2, opts.valuesPerChoice ?? EXPLORE_DEFAULTS.valuesPerChoice);
  const maxDepth = opts.maxDepth ?? Infinity;
  const now = opts.now;
  const t0 = now ? now() : 0;
  const deadline = now && opts.maxSeconds !== undefined ? t0 + opts.maxSeconds * 1000 : Infinity;
  const visited = new FingerprintSet(opts.random ? 1 : maxStates);
  const result = newResult(st.value, opts, opts.random ? 'random' : 'breadth-first', opts.random ? 0 : visited.maxBytes);
  const out = opts.random ? randomSearch(st.value, opts.random.seed, maxSchedules, deadline, now, result) : bfs(st.value, visited, cap, maxDepth, maxSchedules, deadline, now, result);
  out.states = opts.random ? 0 : visited.size;
  out.statesOverflow = visited.overflow;
  if (now) out.elapsedMs = now() - t0;
  return { ok: true, value: out };
}

/**
 * A search's result before anything ran: its title, the property in words and
 * every bound it runs under (defaults filled in). The one place both explore()
 * and the app's pool (pool.ts) start from, so their reports state the same bounds.
 */
export function newResult(st: Setup, opts: ExploreOptions, mode: ExploreResult['mode'], visitedBytes: number): ExploreResult {
  const maxDepth = opts.maxDepth ?? Infinity;
  return {
    title: st.s.title,
    property: describeProperty(opts.property, st.s),
    mode,
    stop: 'exhausted',
    exhausted: false,
    schedules: 0,
    states: 0,
    events: 0,
    choicePoints: 0,
    notReproduced: 0,
    elapsedMs: null,
    bounds: {
      maxSchedules: opts.maxSchedules ?? EXPLORE_DEFAULTS.maxSchedules,
      maxSeconds: opts.maxSeconds ?? null,
      valuesPerChoice: Math.max(2, opts.valuesPerChoice ?? EXPLORE_DEFAULTS.valuesPerChoice),
      maxDepth: Number.isFinite(maxDepth) ? maxDepth : null,
      maxStates: opts.maxStates ?? EXPLORE_DEFAULTS.maxStates,
      visitedBytes,
      maxEventsPerRun: opts.maxEventsPerRun ?? EXPLORE_DEFAULTS.maxEventsPerRun,
    },
    statesOverflow: 0,
    counterexample: null,
  };
}

/** The largest visited set: 2^25 slots, 256 MiB. */
export const MAX_STATES = 16_000_000;

/** Options from an untrusted caller: a clear error naming the field, never a huge allocation or a throw. */
function checkOptions(o: ExploreOptions): string | null {
  const whole = (name: string, v: number | undefined, min: number, max: number): string | null =>
    v === undefined || (Number.isSafeInteger(v) && v >= min && v <= max) ? null : `${name}: expected a whole number from ${min} to ${max}`;
  return (
    whole('maxSchedules', o.maxSchedules, 1, Number.MAX_SAFE_INTEGER) ??
    whole('maxStates', o.maxStates, 1, MAX_STATES) ??
    whole('valuesPerChoice', o.valuesPerChoice, 2, 1_000_000) ??
    whole('maxEventsPerRun', o.maxEventsPerRun, 1, Number.MAX_SAFE_INTEGER) ??
    (o.maxDepth === undefined || (Number.isSafeInteger(o.maxDepth) && o.maxDepth >= 0) ? null : 'maxDepth: expected a whole number from 0') ??
    (o.maxSeconds === undefined || (Number.isFinite(o.maxSeconds) && o.maxSeconds > 0) ? null : 'maxSeconds: expected a positive number') ??
    (o.random == null || (Number.isInteger(o.random.seed) && o.random.seed >= 0 && o.random.seed <= 0xffffffff) ? null : 'random.seed: expected a 32-bit unsigned integer')
  );
}

function bfs(st: Setup, visited: FingerprintSet, cap: number, maxDepth: number, maxSchedules: number, deadline: number, now: (() => number) | undefined, r: ExploreResult): ExploreResult {
  const frontier = new Frontier();
  let head = 0;
  let depthCut = false;
  let dropped = false;
  while (head < frontier.length) {
    if (r.schedules >= maxSchedules) return { ...r, stop: 'max-schedules' };
    if (now && now() > deadline) return { ...r, stop: 'max-seconds' };
    const at = head++;
    const sched = frontier.schedule(at);
    const rec = new Recorder(sched, visited, null);
    const o = runWith(st, st.cfg, rec, rec);
    r.schedules++;
    r.events += o.m.processed;
    // The states this search is heading for, were the rate so far to hold to the budget (the set sizes its growths by it).
    visited.projected = (visited.size / r.schedules) * maxSchedules;
    if (sched.length === 0) r.choicePoints = rec.index;
    if (o.bad) {
      const cex = confirm(st, sched, rec, o);
      if (cex) return { ...r, stop: 'found', counterexample: cex };
      r.notReproduced++;
    }
    if (sched.length >= maxDepth) {
      depthCut = true;
      continue;
    }
    const from = rec.last + 1;
    const to = Math.min(rec.cut, rec.index);
    for (let j = from; j < to; j++) {
      for (const v of rec.candidates(j, cap)) {
        // The queue never holds more than the budget could still run: memory stays bounded by --max-schedules.
        if (frontier.length - head >= maxSchedules - r.schedules) {
          dropped = true;
          break;
        }
        frontier.push(at, j, v);
      }
    }
  }
  if (dropped) return { ...r, stop: 'max-schedules' };
  return { ...r, stop: 'exhausted', exhausted: !depthCut };
}

/** Deviation probabilities of the swarm: each run picks one, so some runs stay near the default and some stray far. */
const SWARM = [0.02, 0.05, 0.1, 0.25, 0.5];

function randomSearch(st: Setup, seed: number, maxSchedules: number, deadline: number, now: (() => number) | undefined, r: ExploreResult): ExploreResult {
  const prng = new Prng(seed);
  while (r.schedules < maxSchedules) {
    if (now && now() > deadline) return { ...r, stop: 'max-seconds' };
    const cex = randomTry(st, prng, r);
    if (cex) return { ...r, stop: 'found', counterexample: cex };
  }
  return { ...r, stop: 'max-schedules' };
}

/** The counts one randomized try adds to (a search's result, or a pool worker's tally). */
export type RandomCounts = Pick<ExploreResult, 'schedules' | 'events' | 'choicePoints' | 'notReproduced'>;

/**
 * One try of the randomized search: a run with deviations drawn from `prng`
 * (its deviation probability drawn from the swarm), and when it breaks the
 * property, the shrinking and the confirmation. Adds every run it makes to
 * `r`; returns the confirmed counterexample or null. The app's pool runs the
 * very same tries (pool-random.ts), each from its own seed.
 */
function randomTry(st: Setup, prng: Prng, r: RandomCounts): Counterexample | null {
  const p = SWARM[prng.nextU32() % SWARM.length] as number;
  const rec = new Recorder([], null, { prng, probability: p });
  const o = runWith(st, st.cfg, rec, rec);
  r.schedules++;
  r.events += o.m.processed;
  if (r.schedules === 1) r.choicePoints = rec.index;
  if (!o.bad) return null;
  // Shrink: drop deviations one at a time while the property still breaks.
  let sched: Schedule = rec.taken.slice();
  let best = { rec, o };
  for (let k = sched.length - 1; k >= 0; k--) {
    const trial = sched.filter((_, i) => i !== k);
    const tr = new Recorder(trial, null, null);
    const to = runWith(st, st.cfg, tr, tr);
    r.schedules++;
    r.events += to.m.processed;
    if (to.bad) {
      sched = trial;
      best = { rec: tr, o: to };
    }
  }
  if (best.rec === rec) {
    // The random run's own record holds its deviations; replay it as a plain schedule for a clean record.
    const tr = new Recorder(sched, null, null);
    best = { rec: tr, o: runWith(st, st.cfg, tr, tr) };
    r.schedules++;
    if (!best.o.bad) {
      r.notReproduced++;
      return null;
    }
  }
  const cex = confirm(st, sched, best.rec, best.o);
  if (cex) return cex;
  r.notReproduced++;
  return null;
}

/**
 * Builds the counterexample's files and replays the link form through the
 * loader (validate, resolve, replay the schedule field) as a full run, causes
 * traced: only a run that breaks the property again, after the very same
 * number of events, is reported, with the replay's trace hash and report.
 */
function confirm(st: Setup, sched: Schedule, rec: Recorder, o: Outcome): Counterexample | null {
  const scenario: Record<string, unknown> = { ...st.input, schedule: sched.map(([i, v]) => [i, v]) };
  const replay = validateScenario(scenario);
  if (!replay.ok) return null;
  const cfg = resolveScenario(replay.value, { traceCapacity: EXPLORE_TRACE_CAPACITY, traceEnabled: true });
  if (!cfg.ok) return null;
  // The replay is a full run (causes followed): its hash and report are what the user will see.
  const again = runWith({ ...st, s: replay.value, memory: null, tables: null }, cfg.value, null, null, true);
  // Causes never change the simulation: the replay runs the very same events as the explored run.
  if (!again.bad || again.m.processed !== o.m.processed) return null;
  const hash = again.m.trace.hash();
  const nWin = st.windows.length;
  const timeline = Array.isArray(st.input.timeline) ? (st.input.timeline as Record<string, unknown>[]).map((x) => ({ ...x })) : [];
  st.windows.forEach((idx, k) => {
    const step = timeline[idx];
    if (step) step.at = (st.s.timeline[idx]?.at as number) + (rec.values[k] as number);
  });
  const concrete: Record<string, unknown> = {
    ...st.input,
    ...(timeline.length > 0 ? { timeline } : {}),
    schedule: rec.values.slice(nWin).map((v, k) => [k, v]),
  };
  const choices: ChoiceNote[] = sched.map(([i]) => ({
    index: i,
    what: i < nWin ? 'window' : 'latency',
    value: rec.values[i] as number,
    min: rec.mins[i] as number,
    max: rec.maxs[i] as number,
    dflt: rec.dflts[i] as number,
  }));
  return { schedule: sched, choices, traceHash: hash, report: again.report(), scenario, concrete };
}

// For the pool (pool.ts): the very setup, run and confirmation explore() uses, so a pooled search decides exactly as it does.
export { setup as setupSearch, runWith as runSchedule, confirm as confirmCounterexample, checkOptions as checkExploreOptions, randomTry };
export type { Setup as SearchSetup };
