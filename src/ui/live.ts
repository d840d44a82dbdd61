import type { Violation } from '../sim/index';
import type { RunStatus, Speed, View } from '../worker/protocol';
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
  steps: [] as unknown[],
  trace: new TraceStore(),
  /** Every spec violation of this run (bounded), newest last. */
  violations: [] as Violation[],
  /** Monotonic count of applied batches (so listeners can tell frames apart). */
  frame: 0,
};

/** The view the panels should show: the time-travel snapshot if any, else live. */
export function shownView(): View | null {
  return live.snapshot?.view ?? live.view;
}

type FrameListener = () => void;
const listeners = new Set<FrameListener>();

/** Subscribes to "a new batch was applied" (at most once per animation frame). */
export function onFrame(fn: FrameListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function notifyFrame(): void {
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
  eventToPaintMs: [] as number[],
  push(arr: number[], v: number): void {
    arr.push(v);
    if (arr.length > 5000) arr.splice(0, arr.length - 5000);
  },
};
