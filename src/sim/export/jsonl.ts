import type { Machine } from '../machine';
import { eventRecord } from '../explain/describe';
import type { TraceEvent } from '../trace/trace';

/**
 * The trace as JSON Lines: a header object, then one `eventRecord` per line,
 * oldest first. The header says how many events the ring dropped before the
 * first line, so a reader knows whether it has the whole run.
 */

export const JSONL_FORMAT = 'vgpio-trace';
export const JSONL_VERSION = 1;

/** What made a trace: the simulator, or the device model under a real guest (`vgpio guest --trace`: a recording). */
export type JsonlSource = 'simulation' | 'real-guest';

export interface JsonlMeta {
  title: string;
  seed?: number;
  /** Written only when given (older files have none): a reader can then name the lines and start the waveform right. */
  source?: JsonlSource;
  lines?: { name: string; direction: string }[];
  initialLevels?: number[];
}

export interface JsonlHeader {
  format: typeof JSONL_FORMAT;
  version: typeof JSONL_VERSION;
  title: string;
  seed: number;
  hash: string;
  /** Events recorded in the whole run (the hash covers all of them). */
  events: number;
  /** Events the trace ring dropped before the first line that follows. */
  dropped: number;
  /** Simulated time at the end of the run, in ns (a real guest's: wall-clock ns since the back end started). */
  simulatedNs: number;
  source?: JsonlSource;
  /** The device's lines (name, initial direction), in line order. */
  lines?: { name: string; direction: string }[];
  /** Each line's level at time zero. */
  initialLevels?: number[];
}

export function jsonlHeader(machine: Machine, meta: JsonlMeta): JsonlHeader {
  const trace = machine.trace;
  return {
    format: JSONL_FORMAT,
    version: JSONL_VERSION,
    title: meta.title,
    seed: meta.seed ?? machine.cfg.seed,
    hash: trace.hash(),
    events: trace.total,
    dropped: trace.dropped,
    simulatedNs: machine.now,
    ...(meta.source !== undefined ? { source: meta.source } : {}),
    ...(meta.lines !== undefined ? { lines: meta.lines } : {}),
    ...(meta.initialLevels !== undefined ? { initialLevels: meta.initialLevels } : {}),
  };
}

/** The whole JSONL text (ends with a newline). */
export function toJsonl(machine: Machine, meta: JsonlMeta): string {
  let out = '';
  for (const chunk of jsonlChunks(machine, meta)) out += chunk;
  return out;
}

/**
 * The same text in pieces of `eventsPerChunk` events (the first piece is the
 * header line), so a large trace can be streamed to a file without building
 * one huge string.
 */
export function* jsonlChunks(machine: Machine, meta: JsonlMeta, eventsPerChunk = 4096): Generator<string, void, undefined> {
  yield JSON.stringify(jsonlHeader(machine, meta)) + '\n';
  const trace = machine.trace;
  const size = Math.max(1, Math.floor(eventsPerChunk));
  for (let from = trace.firstSeq; from < trace.total; from += size) {
    const to = Math.min(trace.total, from + size);
    let buf = '';
    for (let seq = from; seq < to; seq++) buf += JSON.stringify(eventRecord(trace.get(seq) as TraceEvent)) + '\n';
    yield buf;
  }
}
