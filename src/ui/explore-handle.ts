import { EXPLORE_LIBRARY } from '../sim/index';
import { ExplorePool, type PoolOutcome } from './explore-pool';
import { POOL_SIZE, propertyOf, formFor, DEFAULT_FORM, spawnWorker } from './explore-panel';

/**
 * window.__vgpioExplore: runs a library entry's own search in a pool of a
 * chosen size (its own pool: the panel's is left alone), for the UI benchmark
 * (one worker against the pool, the same exhaustive search) and the e2e tests.
 */
export function installExploreHandle(): void {
  window.__vgpioExplore = {
    poolSize: POOL_SIZE,
    run: (id, workers, maxSchedules = 100_000) =>
      new Promise((resolve, reject) => {
        const scenario = EXPLORE_LIBRARY.find((e) => e.id === id)?.scenario;
        if (scenario === undefined) return reject(new Error(`no explore entry ${id}`));
        const prop = propertyOf(formFor(id, DEFAULT_FORM), scenario);
        if (!prop.ok) return reject(new Error(prop.error));
        const p = new ExplorePool(spawnWorker, () => performance.now());
        const t0 = performance.now();
        const err = p.start(scenario, { property: prop.value, maxSchedules }, workers, (o: PoolOutcome) => {
          const r = o.result;
          resolve({ stop: o.cancelled ? 'cancelled' : r.stop, exhausted: r.exhausted, schedules: r.schedules, ran: o.ran, states: r.states, ms: performance.now() - t0, hash: r.counterexample?.traceHash ?? null });
        });
        if (err) reject(new Error(err));
      }),
  };
}
