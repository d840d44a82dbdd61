import { DEFAULT_SCENARIO_ID, LINK_PREFIX } from '../sim/index';
import type { TraceStore } from './trace-store';
import type { LoadSource } from '../worker/protocol';
import { live, perf } from './live';
import { client } from './sim-client';
import { useApp } from './store';

/** What the page was opened with: a share link in the hash, or the default scenario. */
export function initialSource(hash: string): LoadSource {
  const h = hash.replace(/^#/, '');
  if (h.startsWith(LINK_PREFIX) || /^s\d+\./.test(h)) return { kind: 'link', link: h };
  if (h.startsWith('scenario=')) return { kind: 'library', id: decodeURIComponent(h.slice(9)) };
  return { kind: 'library', id: DEFAULT_SCENARIO_ID };
}

/** A handle for tests and the UI benchmark: read state without scraping pixels. */
export interface TestHandle {
  state: typeof useApp.getState;
  live: typeof live;
  perf: typeof perf;
  client: typeof client;
  trace: () => TraceStore;
}

declare global {
  interface Window {
    __vgpio?: TestHandle;
  }
}

export function startApp(): void {
  client.start(initialSource(location.hash));
  window.__vgpio = { state: useApp.getState, live, perf, client, trace: () => live.trace };
  // Opening another link in the same tab (editing the hash) loads it.
  window.addEventListener('hashchange', () => {
    const src = initialSource(location.hash);
    if (src.kind === 'link') client.load(src);
  });
}
