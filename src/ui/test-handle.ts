import type { live, perf } from './live';
import type { SimClient } from './sim-client';
import type { AppState } from './store';
import type { TraceStore } from './trace-store';

/**
 * The handles the page exposes to the e2e tests and the UI benchmark, so they
 * read state instead of scraping pixels. Typed once, here: the app sets them
 * and e2e/handle.ts reads them, both against these interfaces.
 */

/** `window.__vgpio`: the store, the live simulation data, the worker client. */
export interface TestHandle {
  state: () => AppState;
  live: typeof live;
  perf: typeof perf;
  client: SimClient;
  trace: () => TraceStore;
}

/** `window.__vgpioTerminal`, while the Terminal tab is mounted: the terminal's text. */
export interface TerminalTestHandle {
  /** The buffer (scrollback and screen), one string per logical line (wrapped rows joined), joined by "\n", up to the cursor's line (blank rows below it dropped). */
  text(): string;
  /** The raw data written to this terminal since it was mounted (the last 256 KiB), to check what reached it. */
  written(): string;
}

/** `window.__vgpioExplore`, once the Explore panel has loaded: a pooled search of a library entry with a chosen pool size (the UI benchmark's pool speedup). */
export interface ExploreTestHandle {
  /** Workers this machine gets (navigator.hardwareConcurrency, capped). */
  poolSize: number;
  /** `source`: an explore-* library id (its own property) or a scenario object (`opts.property` as on the command line, default `violation`); `opts.seed`: the randomized mode. */
  run(
    source: string | object,
    workers: number,
    maxSchedules?: number,
    opts?: { property?: string; seed?: number },
  ): Promise<{ stop: string; exhausted: boolean; schedules: number; ran: number; states: number; ms: number; hash: string | null; stats: { wallMs: number; busyMs: number[]; mergeMs: number; slices: number; meanSlice: number; spawned: number } }>;
}

declare global {
  interface Window {
    __vgpio?: TestHandle;
    __vgpioTerminal?: TerminalTestHandle;
    __vgpioExplore?: ExploreTestHandle;
  }
}
