import { formatNs } from '../clock/time';
import type { Machine } from '../machine';
import { TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';

/**
 * WaveJSON (WaveDrom) of a time window of a run: per line its level, whether
 * its eventq buffer is with the device (`armed`) and whether a handler call
 * for it is running (`handler`), the same states as the VCD wires.
 *
 * WaveJSON is a picture, not a dump: one character of `wave` is one period, so
 * the window is sampled at a fixed period, a round number (1, 2 or 5 × 10^k
 * ns) chosen so that the window fits in `maxSamples` columns (WaveDrom's
 * maintainers advise small diagrams; thousands of columns stall its
 * renderer). Each column shows the state at its start. Changes that the
 * sampling cannot show (a state shorter than a period, two edges in one
 * column) are counted in `lostEdges` and said in the `foot`; use VCD for
 * exact times.
 */

export interface WaveJsonSignal {
  name: string;
  /** One character per period: `0`, `1`, `.` (no change); `=` for a data value. */
  wave: string;
  /** Labels of the `=` periods, in order. */
  data?: string[];
}

export interface WaveJson {
  signal: WaveJsonSignal[];
  head: { text: string };
  foot: { text: string };
}

export interface WaveJsonOptions {
  /** The window, in ns: [fromNs, toNs). */
  fromNs: number;
  toNs: number;
  /** Line names (the scenario's); defaults to the device's names block. */
  lineNames?: readonly string[];
  /** Scenario title for the head. */
  title?: string;
  /** At most this many columns (default 64). */
  maxSamples?: number;
}

export interface WaveJsonResult {
  wavejson: WaveJson;
  /** The sample period, ns. */
  periodNs: number;
  samples: number;
  /** Changes inside the window that the sampled waves do not show, over all signals. */
  lostEdges: number;
  /** Changes inside the window, over all signals. */
  edges: number;
}

export const DEFAULT_WAVEJSON_SAMPLES = 64;

/** The smallest round period (1, 2 or 5 × 10^k ns) that fits `spanNs` in `maxSamples` columns. */
export function samplePeriod(spanNs: number, maxSamples: number): number {
  const want = Math.max(1, spanNs / maxSamples);
  for (let p = 1; ; p *= 10) {
    for (const m of [1, 2, 5]) if (p * m >= want) return p * m;
  }
}

interface Track {
  name: string;
  /** Value at fromNs. */
  start: number;
  /** Settled changes inside (fromNs, toNs): [t, value]. */
  changes: [number, number][];
}

/** The WaveJSON of `machine`'s trace over a window (see the module comment). */
export function toWaveJson(machine: Machine, opts: WaveJsonOptions): WaveJsonResult {
  const { fromNs, toNs } = opts;
  if (!(Number.isSafeInteger(fromNs) && Number.isSafeInteger(toNs) && fromNs >= 0 && toNs > fromNs)) {
    throw new RangeError(`the window must be from < to, in whole ns (got ${fromNs}..${toNs})`);
  }
  const trace = machine.trace;
  const first = trace.total > trace.firstSeq ? (trace.get(trace.firstSeq) as TraceEvent).t : 0;
  if (trace.dropped > 0 && fromNs < first) {
    throw new RangeError(`the trace ring dropped the events before ${formatNs(first)}: the window must start there or later`);
  }
  const n = machine.cfg.device.ngpio;
  const names = opts.lineNames ?? machine.cfg.device.names ?? [];
  const maxSamples = Math.max(2, opts.maxSamples ?? DEFAULT_WAVEJSON_SAMPLES);
  const periodNs = samplePeriod(toNs - fromNs, maxSamples);
  const samples = Math.ceil((toNs - fromNs) / periodNs);

  // Per line: level, armed, handler, as step functions over the whole trace.
  const levelTrack: Track[] = [];
  const armedTrack: Track[] = [];
  const handlerTrack: Track[] = [];
  const level: number[] = [];
  for (let i = 0; i < n; i++) {
    const nm = names[i] ? `gpio${i} ${names[i]}` : `gpio${i}`;
    levelTrack.push({ name: nm, start: 0, changes: [] });
    armedTrack.push({ name: `${nm} armed`, start: 0, changes: [] });
    handlerTrack.push({ name: `${nm} handler`, start: 0, changes: [] });
    level.push(-1);
  }
  // The level before the first change: a change to 1 means it was 0; no change: the level now.
  trace.forEach((e) => {
    if (e.kind === TK.LineLevel && e.line >= 0 && e.line < n && level[e.line] === -1) level[e.line] = e.a ? 0 : 1;
  }, trace.firstSeq);
  for (let i = 0; i < n; i++) if (level[i] === -1) level[i] = machine.wire.level[i] as number;
  const armed = new Array<number>(n).fill(0);
  const handler = new Array<number>(n).fill(0);
  const value = (track: Track[], i: number): number => (track === levelTrack ? (level[i] as number) : track === armedTrack ? ((armed[i] as number) > 0 ? 1 : 0) : (handler[i] as number) > 0 ? 1 : 0);

  // Values at an instant settle after its last event; record changes strictly inside the window.
  let curT = -1;
  const touched = new Set<Track>();
  const touchedLine = new Map<Track, [Track[], number]>();
  const settle = (): void => {
    for (const tr of touched) {
      const [kind, i] = touchedLine.get(tr) as [Track[], number];
      const v = value(kind, i);
      if (curT <= fromNs) tr.start = v;
      else if (curT < toNs) {
        const last = tr.changes.length ? (tr.changes[tr.changes.length - 1] as [number, number])[1] : tr.start;
        if (v !== last) tr.changes.push([curT, v]);
      }
    }
    touched.clear();
  };
  const touch = (kind: Track[], i: number): void => {
    const tr = kind[i] as Track;
    touched.add(tr);
    touchedLine.set(tr, [kind, i]);
  };
  for (let i = 0; i < n; i++) {
    (levelTrack[i] as Track).start = level[i] as number;
  }
  for (let seq = trace.firstSeq; seq < trace.total; seq++) {
    const e = trace.get(seq) as TraceEvent;
    if (e.t !== curT) {
      settle();
      curT = e.t;
      if (curT >= toNs) break;
    }
    const i = e.line;
    const on = i >= 0 && i < n;
    switch (e.kind) {
      case TK.LineLevel:
        if (on) {
          level[i] = e.a ? 1 : 0;
          touch(levelTrack, i);
        }
        break;
      case TK.EvqArm:
        if (on) {
          armed[i]!++;
          touch(armedTrack, i);
        }
        break;
      case TK.EvqReturn:
        if (on && armed[i]! > 0) {
          armed[i]!--;
          touch(armedTrack, i);
        }
        break;
      case TK.HandlerStart:
        if (on) {
          handler[i]!++;
          touch(handlerTrack, i);
        }
        break;
      case TK.HandlerEnd:
        if (on && handler[i]! > 0) {
          handler[i]!--;
          touch(handlerTrack, i);
        }
        break;
      case TK.DevStatus:
        if (e.b === 0) {
          // A reset takes every buffer back from the device.
          for (let j = 0; j < n; j++) {
            armed[j] = 0;
            touch(armedTrack, j);
          }
        }
        break;
    }
  }
  if (curT < toNs) settle();

  const signal: WaveJsonSignal[] = [];
  let lostEdges = 0;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    for (const tr of [levelTrack[i], armedTrack[i], handlerTrack[i]] as Track[]) {
      const { wave, transitions } = sample(tr, fromNs, periodNs, samples);
      edges += tr.changes.length;
      lostEdges += tr.changes.length - transitions;
      signal.push({ name: tr.name, wave });
    }
  }
  const span = `${formatNs(fromNs)} to ${formatNs(toNs)}`;
  const foot =
    `${span}, one column = ${formatNs(periodNs)} (the state at its start); ${edges} change${edges === 1 ? '' : 's'}` +
    (lostEdges > 0 ? `, ${lostEdges} not shown at this period (use the VCD for exact times)` : ', all shown');
  return {
    wavejson: { signal, head: { text: opts.title ? `${opts.title}: ${span}` : span }, foot: { text: foot } },
    periodNs,
    samples,
    lostEdges,
    edges,
  };
}

/** A track sampled at the start of each column, as a WaveJSON wave; and how many transitions it shows. */
function sample(tr: Track, fromNs: number, periodNs: number, samples: number): { wave: string; transitions: number } {
  let wave = '';
  let prev = -1;
  let transitions = 0;
  let k = 0; // changes applied
  let v = tr.start;
  for (let s = 0; s < samples; s++) {
    const t = fromNs + s * periodNs;
    while (k < tr.changes.length && (tr.changes[k] as [number, number])[0] <= t) v = (tr.changes[k++] as [number, number])[1];
    if (v === prev) wave += '.';
    else {
      if (prev !== -1) transitions++;
      wave += String(v);
      prev = v;
    }
  }
  return { wave, transitions };
}

/** The WaveJSON as text, one signal per line (readable, and pastes into the WaveDrom editor as is). */
export function waveJsonText(w: WaveJson): string {
  const signals = w.signal.map((s) => `  ${JSON.stringify(s)}`).join(',\n');
  return `{"signal": [\n${signals}\n],\n"head": ${JSON.stringify(w.head)},\n"foot": ${JSON.stringify(w.foot)}}\n`;
}
