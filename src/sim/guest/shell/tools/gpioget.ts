/**
 * gpioget: its options, its arguments, and GetJob, which requests the lines,
 * waits the hold period and reads them.
 */
import { GpioOp } from '../../gpiolib';
import { periodArg, strerror } from '../formats';
import { getopt, REQUEST_OPTIONS, toolOptions } from '../getopt';
import { LineHoldingJob, TAG_DIR, TAG_GET, type Job, type JobHost } from '../jobs';
import { die, resolve, eachOption, type LineSelection, type RequestCommon, type ToolContext, visible } from './context';

/** gpioget's options: the shared ones and its own. */
export const OPTIONS = toolOptions(REQUEST_OPTIONS, [
  { key: 'a', arg: false, short: true, long: ['as-is'] },
  { key: 'p', arg: true, short: true, long: ['hold-period'] },
  { key: 'N', arg: false, short: false, long: ['numeric'] },
]);

/** gpioget [OPTIONS] <line>...: an exit status, or the job that carries on. */
export function gpioget(ctx: ToolContext, prog: string, argv: string[]): number | Job {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  const o: GetOptions = { asIs: false, activeLow: false, numeric: false, unquoted: false, consumer: 'gpioget', bias: '', holdNs: 0 };
  const sel: LineSelection = { chipId: null, byName: false, strict: false };
  const stop = eachOption(ctx, prog, items, o, sel, (it) => {
    switch (it.key) {
      case 'a':
        o.asIs = true;
        break;
      case 'N':
        o.numeric = true;
        break;
      case 'p': {
        const p = periodArg(it.arg);
        if (p < 0) return die(ctx, prog, `invalid period: ${visible(it.arg)}`);
        o.holdNs = p;
        break;
      }
    }
    return undefined;
  });
  if (stop !== undefined) return stop;
  const ids = argv.slice(optind);
  if (ids.length < 1) return die(ctx, prog, 'at least one GPIO line must be specified');
  const offsets = resolve(ctx, prog, ids, sel.chipId, sel.strict, sel.byName);
  if (!offsets) return 1;
  return new GetJob(ctx.jobs, prog, ids, offsets, o);
}

interface GetOptions extends RequestCommon {
  asIs: boolean;
  numeric: boolean;
  holdNs: number;
}

/**
 * gpioget: request the lines (one by one, each set to input unless -a), wait
 * the hold period, read the values one line at a time in ascending offset
 * order, release the lines (SET_DIRECTION NONE through .free), print.
 */
class GetJob extends LineHoldingJob {
  private readonly _ids: string[];
  private readonly _offsets: number[];
  private readonly _o: GetOptions;
  private _i = 0;
  private _order: number[] = [];
  private readonly _values = new Map<number, number>();

  constructor(host: JobHost, prog: string, ids: string[], offsets: number[], o: GetOptions) {
    super(host, prog);
    this._ids = ids;
    this._offsets = offsets;
    this._o = o;
  }

  start(): void {
    this.syscall = true; // GPIO_V2_GET_LINE_IOCTL: linereq_create()
    this._requestNext();
  }

  private _requestNext(): void {
    const { gpiolib } = this.host.port;
    while (this._i < this._offsets.length) {
      const off = this._offsets[this._i] as number;
      const r = gpiolib.request(off, this._o.consumer);
      if (r < 0) return this.die(`unable to request lines: ${strerror(r)}`);
      this.held.push(off);
      this.host.flags[off] = { activeLow: this._o.activeLow, bias: this._o.bias, edges: 0, clock: '' };
      this._i++;
      if (!this._o.asIs) {
        gpiolib.call(off, GpioOp.DirectionInput, 0, this, TAG_DIR);
        return; // continues in gpioDone
      }
    }
    if (this.syscallEnd()) return;
    if (this._o.holdNs > 0) {
      this.timer = this.host.setTimer(this._o.holdNs, () => this._read());
      return;
    }
    this._read();
  }

  private _read(): void {
    this.timer = -1;
    this.syscall = true; // GPIO_V2_LINE_GET_VALUES_IOCTL
    this._order = [...this._offsets].sort((a, b) => a - b);
    this._i = 0;
    this._readNext();
  }

  private _readNext(): void {
    if (this._i < this._order.length) {
      this.host.port.gpiolib.call(this._order[this._i] as number, GpioOp.Get, 0, this, TAG_GET);
      return;
    }
    if (this.syscallEnd()) return;
    this.release();
    const o = this._o;
    const parts = this._ids.map((id, k) => {
      const v = (this._values.get(this._offsets[k] as number) ?? 0) ^ (o.activeLow ? 1 : 0);
      if (o.numeric) return String(v);
      const shown = visible(id);
      return `${o.unquoted ? shown : `"${shown}"`}=${v ? 'active' : 'inactive'}`;
    });
    this.print(parts.join(' ') + '\n');
    this.exit(0);
  }

  override gpioDone(tag: number, result: number): void {
    if (this.done) return;
    if (tag === TAG_DIR) {
      if (result < 0) return this.die(`unable to request lines: ${strerror(result)}`);
      return this._requestNext();
    }
    if (tag === TAG_GET) {
      if (result < 0) return this.die(`unable to read GPIO line values: ${strerror(result)}`);
      this._values.set(this._order[this._i] as number, result ? 1 : 0);
      this._i++;
      this._readNext();
    }
  }
}
