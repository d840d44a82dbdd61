import { client } from './sim-client';
import { appActions, useApp } from './store';

/**
 * Keeps the comparison current: asks the worker when "Compare with..." is
 * chosen, and again whenever the session is rebuilt (another scenario, a
 * settings change, a restart), so both runs start from what the page shows.
 * Only the answer to the newest request is kept (the store drops older ones).
 * Returns the unsubscribe.
 */
export function syncCompare(): () => void {
  return useApp.subscribe((s, prev) => {
    if (s.info !== prev.info && s.compare) {
      appActions().compareWith(s.compare.settings);
      return;
    }
    const asked = s.compare;
    if (asked && asked !== prev.compare && asked.busy) {
      void client.compare(asked.settings).then((r) => appActions().compared(asked, r.result, r.error));
    }
  });
}
