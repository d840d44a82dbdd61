import type { Recording, recordingCounts } from '../sim/index';

/**
 * What the page knows about a recording without its reader: the banner's
 * state and which file names are recordings. Kept apart from
 * recording-source.ts so the reader and the recording's view load only when
 * a recording is opened (the first page load stays small).
 */

/** A file the user picked is a trace to open as a recording (by its name: `.jsonl`, `.ndjson`). */
export function isRecordingName(name: string): boolean {
  return /\.(jsonl|ndjson)$/i.test(name);
}

/** What the banner says about the recording shown (null: the page runs something else). */
export interface RecordingState {
  title: string;
  source: Recording['source'];
  events: number;
  dropped: number;
  endNs: number;
  counts: ReturnType<typeof recordingCounts>;
}

type Listener = () => void;
let state: RecordingState | null = null;
const listeners = new Set<Listener>();
export function setRecordingState(s: RecordingState | null): void {
  state = s;
  for (const fn of listeners) fn();
}
export function recordingState(): RecordingState | null {
  return state;
}
export function onRecordingState(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

