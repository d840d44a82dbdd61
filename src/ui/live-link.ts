import type { Command, Message } from '../worker/protocol';

/*
 * What the page needs of a live real-guest source before (or without) loading
 * it: the Worker surface, the live address in a hash, and the connection's
 * state for the banner. The WebSocket source itself (live-source.ts) loads
 * only on a #live= page.
 */

/** The Worker surface the client uses. */
export interface WorkerLike {
  postMessage(cmd: Command): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<Message>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
}

/**
 * The WebSocket URL a page hash names, or null when it names none:
 * `#live=<port>.<token>` (the form `vgpio guest --ui` prints: this host, that
 * port) or `#live=ws://127.0.0.1:<port>/live?token=<token>`.
 */
export function liveUrlFromHash(hash: string, hostname: string): string | null {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith('live=')) return null;
  let v: string;
  try {
    v = decodeURIComponent(h.slice(5));
  } catch {
    return null; // malformed percent-encoding: no live address (never a throw before the page mounts)
  }
  const short = /^(\d{1,5})\.([A-Za-z0-9_-]{16,128})$/.exec(v);
  if (short) return `ws://${hostname}:${short[1]}/live?token=${short[2]}`;
  if (/^wss?:\/\/[^\s]+$/.test(v)) return v;
  return null;
}

type Listener = () => void;
let state: { url: string; connected: boolean; closed: boolean } | null = null;
const listeners = new Set<Listener>();
export function setLiveState(s: typeof state): void {
  state = s;
  for (const fn of listeners) fn();
}

/** The live connection's state for the banner (null: the page runs the simulation). */
export function liveState(): typeof state {
  return state;
}
export function onLiveState(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

