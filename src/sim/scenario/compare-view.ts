import { describeEvent } from '../explain/describe';
import type { Machine } from '../machine';
import { OracleLabel, TK } from '../trace/kinds';
import type { Result } from './load';
import { applySetting, compareRuns, type CauseDiff, type CountDiff, type LineDiff } from './compare';
import type { LineReport, Totals } from './runner';
import type { Scenario } from './schema';
import type { SettingsPatch } from './workspace';

/**
 * Two runs side by side, as the app shows them: the comparison `vgpio diff`
 * prints (counts, differences, causes, first divergence), plus what the page
 * needs to draw both runs on one time axis: each line's level changes and
 * oracle flags, for each run. Plain data, so it crosses to the page in one
 * message.
 */

/** Most settings one comparison may change, and the longest setting text (they come from links: untrusted). */
export const MAX_COMPARE_SETTINGS = 32;
export const MAX_SETTING_CHARS = 200;
/** Events each side of an in-app comparison may run (the worker waits for both runs). */
export const COMPARE_MAX_EVENTS = 5_000_000;
/** Level changes and flags kept per lane; past it the lane says where it stops (`cutAt`). */
export const MAX_LANE_POINTS = 20_000;

/** One line of one run: its level over time and the oracle's flags. */
export interface CompareLane {
  line: number;
  name: string;
  /** Level at time zero (0 or 1). */
  initial: number;
  /** Level changes: times (ns, ascending) and the level from then on. */
  t: number[];
  level: number[];
  /** Oracle flags (lost, spurious, coalesced): times and ORACLE codes. */
  flagT: number[];
  flag: number[];
  /** The lane holds nothing after this time (MAX_LANE_POINTS reached), or null when it is whole. */
  cutAt: number | null;
}

export interface CompareSide {
  /** "as loaded", or the settings in words. */
  label: string;
  title: string;
  /** Simulated time the run reached, and its events. */
  endNs: number;
  events: number;
  traceHash: string;
  /** True when the run stopped at COMPARE_MAX_EVENTS before its end. */
  cut: boolean;
  lines: LineReport[];
  total: Totals;
  lanes: CompareLane[];
}

/** Where the two traces part: the event number, and what each run did there (null: that run had ended). */
export interface CompareDivergence {
  seq: number;
  /** The earlier of the two events' times: where the page puts its marker. */
  t: number;
  a: { t: number; line: number; text: string } | null;
  b: { t: number; line: number; text: string } | null;
}

export interface CompareView {
  /** The settings that make run B (dotted, as `vgpio diff --with` takes them). */
  settings: string[];
  a: CompareSide;
  b: CompareSide;
  sameTrace: boolean;
  lines: LineDiff[];
  total: CountDiff[];
  causes: CauseDiff[];
  divergence: CompareDivergence | null;
  truncated: boolean;
}

/**
 * Settings from a person or a link (untrusted): a bounded list of dotted
 * assignments merged into one patch, or the reason naming the setting.
 */
export function settingsPatch(settings: readonly unknown[]): Result<SettingsPatch> {
  if (!Array.isArray(settings)) return { ok: false, error: 'compare settings: expected a list of settings such as device.preset=rust-vmm' };
  if (settings.length === 0) return { ok: false, error: 'compare settings: give at least one setting to change, such as device.preset=rust-vmm' };
  if (settings.length > MAX_COMPARE_SETTINGS) return { ok: false, error: `compare settings: at most ${MAX_COMPARE_SETTINGS} settings (got ${settings.length})` };
  let patch: SettingsPatch = {};
  for (const s of settings) {
    if (typeof s !== 'string') return { ok: false, error: 'compare settings: each setting is text such as device.preset=rust-vmm' };
    if (s.length > MAX_SETTING_CHARS) return { ok: false, error: `compare settings: a setting is at most ${MAX_SETTING_CHARS} characters (got ${s.length})` };
    const r = applySetting(patch, s);
    if (!r.ok) return r;
    patch = r.value;
  }
  return { ok: true, value: patch };
}

function lanesOf(s: Scenario, m: Machine): CompareLane[] {
  const tr = m.trace;
  const lanes: CompareLane[] = s.device.lines.map((l, i) => ({ line: i, name: l.name, initial: -1, t: [], level: [], flagT: [], flag: [], cutAt: null }));
  for (let seq = tr.firstSeq; seq < tr.total; seq++) {
    const e = tr.get(seq);
    if (!e) continue;
    const lane = lanes[e.line];
    if (!lane) continue;
    if (e.kind === TK.LineLevel) {
      // A change flips the level, so the first one tells the level before it (as the WaveJSON export reads it).
      if (lane.initial === -1) lane.initial = e.a ? 0 : 1;
      if (lane.cutAt === null) push(lane, lane.t, lane.level, e.t, e.a);
    } else if (e.kind === TK.OracleLabel && e.a !== OracleLabel.Delivered) {
      if (lane.cutAt === null) push(lane, lane.flagT, lane.flag, e.t, e.a);
    }
  }
  for (const lane of lanes) if (lane.initial === -1) lane.initial = m.wire.level[lane.line] ?? 0;
  return lanes;
}

function push(lane: CompareLane, ts: number[], vs: number[], t: number, v: number): void {
  if (ts.length >= MAX_LANE_POINTS) {
    lane.cutAt = t;
    return;
  }
  ts.push(t);
  vs.push(v);
}

/**
 * Runs `a` and `b` (whole traces kept, at most COMPARE_MAX_EVENTS each) and
 * returns everything the Compare panel shows; the reason when a side cannot run.
 */
export function compareView(
  a: { label: string; scenario: Scenario },
  b: { label: string; scenario: Scenario; settings: readonly string[] },
  maxEvents = COMPARE_MAX_EVENTS,
): Result<CompareView> {
  const r = compareRuns(a, b, maxEvents);
  if (!r.ok) return r;
  const { comparison: c, a: ma, b: mb } = r.value;
  const side = (label: string, s: Scenario, m: Machine, rep: typeof c.a.report): CompareSide => ({
    label,
    title: rep.title,
    endNs: rep.simulatedNs,
    events: rep.events,
    traceHash: rep.traceHash,
    cut: rep.stop === 'event-limit',
    lines: rep.lines,
    total: rep.total,
    lanes: lanesOf(s, m),
  });
  let divergence: CompareDivergence | null = null;
  if (c.divergence) {
    const ev = (m: Machine): { t: number; line: number; text: string } | null => {
      const e = m.trace.get(c.divergence!.seq);
      return e ? { t: e.t, line: e.line, text: describeEvent(e) } : null;
    };
    const da = ev(ma);
    const db = ev(mb);
    divergence = { seq: c.divergence.seq, t: Math.min(da?.t ?? Infinity, db?.t ?? Infinity), a: da, b: db };
    if (!Number.isFinite(divergence.t)) divergence.t = 0;
  }
  return {
    ok: true,
    value: {
      settings: [...b.settings],
      a: side(a.label, a.scenario, ma, c.a.report),
      b: side(b.label, b.scenario, mb, c.b.report),
      sameTrace: c.sameTrace,
      lines: c.lines,
      total: c.total,
      causes: c.causes,
      divergence,
      truncated: c.truncated,
    },
  };
}
