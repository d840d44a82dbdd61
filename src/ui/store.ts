import { create } from 'zustand';
import type { TraceCategory } from '../sim/index';
import type { RunStatus, ScenarioInfo, Speed } from '../worker/protocol';

export type Tab = 'trace' | 'queues' | 'terminal';

/**
 * UI state that changes at human speed (what is loaded, run status, selections,
 * banners). Simulation data that changes every frame lives in `live` instead.
 */
export interface AppState {
  info: ScenarioInfo | null;
  status: RunStatus;
  speed: Speed;
  /** A message for a link or file that could not be loaded. */
  loadError: string | null;
  /** A transient message (copied link, export ready, command error). */
  toast: string | null;
  workerDead: boolean;
  /** Time-travel cursor (ns), or null to follow the live run. */
  cursor: number | null;
  inspectLine: number | null;
  hiddenCategories: ReadonlySet<TraceCategory>;
  lineFilter: number | null;
  tab: Tab;
  theme: 'light' | 'dark';
}

export const useApp = create<AppState>()(() => ({
  info: null,
  status: 'paused',
  speed: 0.001,
  loadError: null,
  toast: null,
  workerDead: false,
  cursor: null,
  inspectLine: null,
  hiddenCategories: new Set<TraceCategory>(),
  lineFilter: null,
  tab: 'trace',
  theme: typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
}));

// Named selectors, so components subscribe to exactly what they show.
export const selectInfo = (s: AppState): ScenarioInfo | null => s.info;
export const selectStatus = (s: AppState): RunStatus => s.status;
export const selectSpeed = (s: AppState): Speed => s.speed;
export const selectCursor = (s: AppState): number | null => s.cursor;
export const selectTab = (s: AppState): Tab => s.tab;
export const selectInspectLine = (s: AppState): number | null => s.inspectLine;
