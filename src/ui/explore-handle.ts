import { EXPLORE_LIBRARY, parseProperty, validateScenario } from '../sim/index';
import { ExplorePool, type PoolOutcome } from './explore-pool';
import { POOL_SIZE, propertyOf, formFor, DEFAULT_FORM, spawnWorker } from './explore-panel';

/** The handle's own pools, one per size, kept warm between runs as the panel's is (the benchmark warms each first). */
const pools = new Map<number, ExplorePool>();

/**
 * window.__vgpioExplore: runs a search in a pool of a chosen size (its own
 * pool: the panel's is left alone), for the UI benchmark (one worker against
 * the pool, the same search, each warmed) and the e2e tests. The source is an
 * explore-* library entry (its own property) or a scenario object (`property`
 * as on the command line, `violation` if not given).
 */
export function installExploreHandle(): void {
  window.__vgpioExplore = {
    poolSize: POOL_SIZE,
    run: (source, workers, maxSchedules = 100_000, opts = {}) =>
      new Promise((resolve, reject) => {
        const scenario = typeof source === 'string' ? EXPLORE_LIBRARY.find((e) => e.id === source)?.scenario : source;
        if (scenario === undefined) return reject(new Error(`no explore entry ${String(source)}`));
        const s = validateScenario(scenario);
        if (!s.ok) return reject(new Error(s.error));
        const prop = typeof source === 'string' && opts.property === undefined ? propertyOf(formFor(source, DEFAULT_FORM), scenario) : parseProperty(opts.property ?? 'violation', null, s.value);
        if (!prop.ok) return reject(new Error(prop.error));
        let p = pools.get(workers);
        if (!p) pools.set(workers, (p = new ExplorePool(spawnWorker, () => performance.now())));
        const t0 = performance.now();
        const random = opts.seed === undefined ? null : { seed: opts.seed };
        const err = p.start(scenario, { property: prop.value, maxSchedules, random }, workers, (o: PoolOutcome) => {
          const r = o.result;
          resolve({ stop: o.cancelled ? 'cancelled' : r.stop, exhausted: r.exhausted, schedules: r.schedules, ran: o.ran, states: r.states, ms: performance.now() - t0, hash: r.counterexample?.traceHash ?? null, stats: o.stats });
        });
        if (err) reject(new Error(err));
      }),
  };
}
