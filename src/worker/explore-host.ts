import { firstFlag, prepareShard, runRandomShard, runShard, slotCounterexamples, type Counterexample, type Property, type Shard } from '../sim/index';
import { PROTOCOL_VERSION, unreachable, type ExploreCommand, type ExploreMessage, type SliceCounterexample } from './protocol';

/**
 * One pool worker of the Explore panel: prepares a search once, then runs the
 * slices of its frontier the page's coordinator hands out, and sends back the
 * records (see src/sim/explore/pool.ts). It never decides anything itself, so
 * the pool's answer is the sequential explorer's. It stays up between
 * searches (the page keeps its pool warm): a new `explore-prepare` replaces
 * the search, and slices of an older one are refused. For each confirmed
 * counterexample it also finds the first flag (where the app puts the cursor).
 * Plain class, tested in Node; never throws out of handle().
 */
export class ExploreHost {
  private _search = -1;
  private _shard: Shard | null = null;
  private _property: Property | null = null;

  private readonly _post: (msg: ExploreMessage, transfer?: ArrayBuffer[]) => void;
  private readonly _now: () => number;

  /** `post` sends a message (moving the buffers in `transfer`); `now` times each slice in ms. */
  constructor(post: (msg: ExploreMessage, transfer?: ArrayBuffer[]) => void, now: () => number = () => 0) {
    this._post = post;
    this._now = now;
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
        case 'explore-run':
        case 'explore-random': {
          const shard = this._shard;
          const prop = this._property;
          if (cmd.search !== this._search || shard === null || prop === null) {
            this._post({ type: 'explore-error', search: cmd.search, message: 'this worker has not prepared that search' });
            return;
          }
          const t0 = this._now();
          // For each confirmed counterexample, where it first shows (the app's cursor when it is opened).
          const flagged = (list: { k: number; counterexample: Counterexample }[]): SliceCounterexample[] =>
            list.map(({ k, counterexample }) => {
              const f = firstFlag(counterexample.scenario, prop);
              return { k, counterexample, flag: f.ok ? f.value : null };
            });
          if (cmd.type === 'explore-random') {
            const records = runRandomShard(shard, cmd.job);
            const cex = flagged(slotCounterexamples(records));
            this._post({ type: 'explore-random-records', search: cmd.search, from: cmd.job.from, records, cex, ms: this._now() - t0 });
            return;
          }
          const { data, cex } = runShard(shard, cmd.schedules, cmd.spare);
          this._post({ type: 'explore-records', search: cmd.search, from: cmd.from, data, cex: flagged(cex), ms: this._now() - t0 }, [data.buffer]);
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
