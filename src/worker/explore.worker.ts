/// <reference lib="webworker" />
/**
 * A pool worker of the Explore panel (one per core): runs the slices of a
 * search's frontier the page hands out. Separate from the simulation worker,
 * so a search never slows the live run's pacing, and Cancel can terminate it.
 */
import { ExploreHost } from './explore-host';
import type { ExploreCommand } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

const host = new ExploreHost(
  (msg, transfer) => self.postMessage(msg, transfer ?? []),
  () => performance.now(),
);
self.onmessage = (e: MessageEvent<ExploreCommand>) => host.handle(e.data);
host.ready();
