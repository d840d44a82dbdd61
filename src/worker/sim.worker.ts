/// <reference lib="webworker" />
/**
 * The simulation's Web Worker: hosts the core, forwards commands to SimHost,
 * and ticks it on a timer so simulated time keeps pace with wall time.
 */
import { PROTOCOL_VERSION, type Command, type Message } from './protocol';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

const TICK_MS = 8;

const host = new SimHost({
  post: (msg: Message, transfer?: ArrayBuffer[]) => self.postMessage(msg, transfer ?? []),
  wallNow: () => performance.now(),
  stamp: () => performance.timeOrigin + performance.now(),
  isoDate: () => new Date().toISOString(),
});

// Commands are applied one at a time, in order (loading a link awaits its decompression).
let chain: Promise<void> = Promise.resolve();
self.onmessage = (e: MessageEvent<Command>) => {
  const cmd = e.data;
  chain = chain.then(() => host.handle(cmd)).catch((err: unknown) => {
    self.postMessage({ type: 'error', message: `internal error: ${(err as Error)?.message ?? String(err)}` } satisfies Message);
  });
};

setInterval(() => {
  try {
    host.tick();
  } catch (err) {
    self.postMessage({ type: 'error', message: `internal error: ${(err as Error)?.message ?? String(err)}` } satisfies Message);
  }
}, TICK_MS);

self.postMessage({ type: 'ready', protocol: PROTOCOL_VERSION } satisfies Message);
