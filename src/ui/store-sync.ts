import { client } from './sim-client';
import { useApp } from './store';

/**
 * The one link from the store to the worker: when the time-travel cursor moves
 * the worker is asked for the state at that time (`seek`), and when the
 * inspected line changes it is told which line's details to send (`inspect`).
 * Whoever changed the state (a click on the waveform or the trace, a key, a
 * newly loaded scenario) need not know the worker exists.
 * Returns the unsubscribe.
 */
export function syncStoreToWorker(): () => void {
  return useApp.subscribe((s, prev) => {
    if (s.cursor !== prev.cursor) client.send({ type: 'seek', t: s.cursor });
    if (s.inspectLine !== prev.inspectLine) client.send({ type: 'inspect', line: s.inspectLine });
    // A card opened (or another flag asked about): the worker looks its cause up.
    if (s.card && s.card.req !== prev.card?.req) client.send({ type: 'explain', req: s.card.req, seq: s.card.seq });
  });
}
