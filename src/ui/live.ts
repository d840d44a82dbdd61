import type { StepInput, Violation } from '../sim/index';
import type { FollowState, RunStatus, Speed, View } from '../worker/protocol';
import { TraceStore } from './trace-store';

/**
 * Fast-changing simulation data, outside React. The client applies worker
 * batches here once per animation frame, then calls the frame listeners;
 * canvases and DOM-updating components subscribe with onFrame().
 */
export const live = {
  /** The newest state from the running simulation. */
  view: null as View | null,
  /** The state at the time-travel cursor, when one is set. */
  snapshot: null as { t: number; view: View } | null,
  status: 'paused' as RunStatus,
  speed: 0.001 as Speed,
  hash: '',
  traceTotal: 0,
  recordedSteps: 0,
  /** The live steps recorded so far (file form), kept here so a worker crash loses nothing. */
  steps: [] as StepInput[],
  trace: new TraceStore(),
  /** Every spec violation of this run (bounded), newest last. */
  violations: [] as Violation[],
  /** Monotonic count of applied batches (so listeners can tell frames apart). */
  frame: 0,
  /** Follow mode's pace and the current event (the one Step or the pacer revealed last). */
  follow: { pace: null, current: -1, note: '' } as FollowState,
};

/** The view the panels should show: the time-travel snapshot if any, else live. */
export function shownView(): View | null {
  return live.snapshot?.view ?? live.view;
}

type FrameListener = () => void;
const listeners = new Set<FrameListener>();
const heavy: FrameListener[] = [];
let heavyTurn = 0;

/** Subscribes to "a new batch was applied" (at most once per animation frame). */
export function onFrame(fn: FrameListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Like onFrame, for panels whose refresh is expensive (a canvas, a long list).
 * While the simulation runs they take turns, one per frame, so each refreshes
 * at a fraction of the frame rate and no single frame pays for all of them.
 * When the run is not moving (paused, ended, a time-travel snapshot), all refresh.
 */
export function onHeavyFrame(fn: FrameListener): () => void {
  heavy.push(fn);
  return () => {
    const i = heavy.indexOf(fn);
    if (i >= 0) heavy.splice(i, 1);
  };
}

/** Runs the frame listeners. `all`: every heavy panel too (the picture must be complete now). */
export function notifyFrame(all = live.status !== 'running'): void {
  // Heavy panels first: the trace list reads its scroll position after growing its spacer (a forced
  // layout), which then covers only its own change, not every counter the other panels just wrote;
  // all of those are laid out once, with the frame.
  if (heavy.length > 0) {
    if (all) for (const fn of [...heavy]) fn();
    else {
      heavyTurn = (heavyTurn + 1) % heavy.length;
      heavy[heavyTurn]?.();
    }
  }
  for (const fn of listeners) fn();
}

type TerminalListener = (text: string) => void;
const terminalListeners = new Set<TerminalListener>();
/** Terminal output that arrived before a terminal was attached (replayed to it). */
let terminalBacklog = '';

export function onTerminal(fn: TerminalListener): () => void {
  terminalListeners.add(fn);
  if (terminalBacklog) fn(terminalBacklog);
  return () => terminalListeners.delete(fn);
}

export function emitTerminal(text: string): void {
  if (text.includes('\x1bc')) terminalBacklog = text.slice(text.lastIndexOf('\x1bc'));
  else terminalBacklog = (terminalBacklog + text).slice(-200_000);
  for (const fn of terminalListeners) fn(text);
}

/** Performance samples for `npm run bench:ui` (bounded rings, read through window.__vgpio). */
export const perf = {
  /** Interval between animation frames (60 Hz = 16.7 ms when nothing is dropped). */
  frameMs: [] as number[],
  /** Work per frame: from the frame's start until its rendering is done (rAF callbacks + style, layout, paint). */
  frameWorkMs: [] as number[],
  /** Script time per frame applying the batch (trace store, state), and running the panels' frame listeners. */
  applyMs: [] as number[],
  listenersMs: [] as number[],
  /** Trace events applied per frame. */
  eventsPerFrame: [] as number[],
  eventToPaintMs: [] as number[],
  push(arr: number[], v: number): void {
    arr.push(v);
    if (arr.length > 5000) arr.splice(0, arr.length - 5000);
  },
};
