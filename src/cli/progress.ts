import { formatNs } from '../sim/index';

/** Where progress goes, and how it tells time (injected: tests fake both). */
export interface ProgressIo {
  /** stderr is a terminal: progress is shown only then (never into a file or a pipe). */
  tty: boolean;
  /** Wall-clock ms. */
  wallNow(): number;
  /** Raw write to stderr (the line is ours: numbers and two fixed control sequences). */
  write(text: string): void;
}

/** Wall time between two progress lines. */
export const PROGRESS_INTERVAL_MS = 1_000;
/** Back to column 0 and erase the line: each progress line replaces the previous one. */
const REWRITE = '\r\x1b[K';

/**
 * Progress of a long `vgpio run` on a terminal: one line on stderr, rewritten
 * about every second of wall time (simulated time and events so far), erased
 * when the run ends so the report starts on a clean line. On a pipe or a file
 * there is none at all, and `onProgress` is undefined so the run is not even
 * sliced.
 */
export function progressReporter(io: ProgressIo): { onProgress?: (now: number, events: number) => void; done(): void } {
  if (!io.tty) return { done: () => undefined };
  let shown = false;
  let last = io.wallNow();
  return {
    onProgress(now: number, events: number): void {
      const wall = io.wallNow();
      if (wall - last < PROGRESS_INTERVAL_MS) return;
      last = wall;
      shown = true;
      io.write(`${REWRITE}vgpio: running… simulated ${formatNs(now)}, ${events.toLocaleString('en-US')} events`);
    },
    done(): void {
      if (shown) io.write(REWRITE);
      shown = false;
    },
  };
}
