import { firstFlag, prepareShard, runShard, type Property, type Shard } from '../sim/index';
import { PROTOCOL_VERSION, unreachable, type ExploreCommand, type ExploreMessage } from './protocol';

/**
 * One pool worker of the Explore panel: prepares a search once, then runs the
 * slices of its frontier the page's coordinator hands out, and sends back the
 * records (see src/sim/explore/pool.ts). It never decides anything itself, so
 * the pool's answer is the sequential explorer's. For each confirmed
 * counterexample it also finds the first flag (where the app puts the cursor).
 * Plain class, tested in Node; never throws out of handle().
 */
export class ExploreHost {
  private _search = -1;
  private _shard: Shard | null = null;
  private _property: Property | null = null;

  private readonly _post: (msg: ExploreMessage) => void;

  constructor(post: (msg: ExploreMessage) => void) {
    this._post = post;
  }

  ready(): void {
    this._post({ type: 'explore-ready', protocol: PROTOCOL_VERSION });
  }

  handle(cmd: ExploreCommand): void {
    try {
      switch (cmd.type) {
        case 'explore-prepare': {
          const shard = prepareShard(cmd.input, cmd.options);
          this._search = cmd.search;
          this._shard = shard.ok ? shard.value : null;
          this._property = cmd.options.property;
          if (!shard.ok) this._post({ type: 'explore-refused', search: cmd.search, error: shard.error });
          return;
        }
        case 'explore-run': {
          if (cmd.search !== this._search || this._shard === null || this._property === null) {
            this._post({ type: 'explore-error', search: cmd.search, message: 'this worker has not prepared that search' });
            return;
          }
          const records = runShard(this._shard, cmd.job.schedules);
          const prop = this._property;
          const flags = records.map((r) => {
            if (!r.counterexample) return null;
            const f = firstFlag(r.counterexample.scenario, prop);
            return f.ok ? f.value : null;
          });
          this._post({ type: 'explore-records', search: cmd.search, from: cmd.job.from, records, flags });
          return;
        }
        default:
          unreachable(cmd);
      }
    } catch (err) {
      this._post({ type: 'explore-error', search: cmd.search, message: `internal error: ${(err as Error)?.message ?? String(err)}` });
    }
  }
}
