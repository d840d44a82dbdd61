/**
 * gpionotify: watch lines' info (GPIO_V2_GET_LINEINFO_WATCH) and print each
 * change gpiolib reports: requested, released, reconfigured. No virtio
 * traffic: the events come from gpiolib's own bookkeeping in the guest
 * (Gpiolib.notify), as in Linux, where gpiod_line_state_notify() feeds the
 * character device's info fifo.
 */
import { InfoEvent, type InfoWatcher } from '../../gpiolib';
import { eventTime, parseUint, periodArg } from '../formats';
import { getopt, toolOptions } from '../getopt';
import { Job } from '../jobs';
import { CHIP_NAME, die, resolve, eachOption, visible, type LineSelection, type RequestCommon, type ToolContext } from './context';
import { lineAttributes } from './gpioinfo';

const MAX_LINES = 64;
const EVENT_NAMES: Record<number, string> = { [InfoEvent.Requested]: 'requested', [InfoEvent.Released]: 'released', [InfoEvent.Reconfigured]: 'reconfigured' };

/** gpionotify's options ("+c:e:hF:n:qshv" and its long options). */
export const OPTIONS = toolOptions(
  ['byName', 'chip', 'help', 'strict', 'unquoted', 'version'],
  [
    { key: '-', arg: false, short: false, long: ['banner'] },
    { key: 'e', arg: true, short: true, long: ['event'] },
    { key: 'F', arg: true, short: true, long: ['format'] },
    { key: 'i', arg: true, short: false, long: ['idle-timeout'] },
    { key: 'L', arg: false, short: false, long: ['localtime'] },
    { key: 'n', arg: true, short: true, long: ['num-events'] },
    { key: 'q', arg: false, short: true, long: ['quiet', 'silent'] },
    { key: 'U', arg: false, short: false, long: ['utc'] },
  ],
);

interface NotifyOptions {
  banner: boolean;
  quiet: boolean;
  unquoted: boolean;
  /** InfoEvent to keep, 0 for all. */
  eventType: number;
  eventsWanted: number;
  format: string | null;
  /** 0 raw seconds, 1 UTC, 2 local time. */
  timestampFormat: number;
  idleNs: number;
  chipId: string | null;
}

/** gpionotify [OPTIONS] <line>...: an exit status, or the job that carries on. */
export function gpionotify(ctx: ToolContext, prog: string, argv: string[]): number | Job {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  const o: NotifyOptions = { banner: false, quiet: false, unquoted: false, eventType: 0, eventsWanted: 0, format: null, timestampFormat: 0, idleNs: -1, chipId: null };
  const sel: LineSelection = { chipId: null, byName: false, strict: false };
  const common: RequestCommon = { activeLow: false, unquoted: false, consumer: '', bias: '' };
  const stop = eachOption(ctx, prog, items, common, sel, (it) => {
    switch (it.key) {
      case '-':
        o.banner = true;
        break;
      case 'e':
        if (it.arg === 'requested') o.eventType = InfoEvent.Requested;
        else if (it.arg === 'released') o.eventType = InfoEvent.Released;
        // parse_event_type_or_die() says "edge" here, as libgpiod v2.2 does.
        else if (it.arg === 'reconfigured') o.eventType = InfoEvent.Reconfigured;
        else return die(ctx, prog, `invalid edge: ${visible(it.arg)}`);
        break;
      case 'F':
        o.format = it.arg;
        break;
      case 'i': {
        const p = periodArg(it.arg);
        if (p < 0) return die(ctx, prog, `invalid period: ${visible(it.arg)}`);
        o.idleNs = p;
        break;
      }
      case 'L':
        o.timestampFormat = 2;
        break;
      case 'U':
        o.timestampFormat = 1;
        break;
      case 'n': {
        const n = parseUint(it.arg);
        if (n < 0) return die(ctx, prog, `invalid number: '${visible(it.arg)}'`);
        o.eventsWanted = n;
        break;
      }
      case 'q':
        o.quiet = true;
        break;
    }
    return undefined;
  });
  if (stop !== undefined) return stop;
  o.unquoted = common.unquoted;
  const ids = argv.slice(optind);
  if (ids.length < 1) return die(ctx, prog, 'at least one GPIO line must be specified');
  if (ids.length > MAX_LINES) return die(ctx, prog, 'too many lines given');
  o.chipId = sel.chipId;
  const offsets = resolve(ctx, prog, ids, sel.chipId, sel.strict, sel.byName);
  if (!offsets) return 1;
  return new NotifyJob(ctx, prog, ids, offsets, o);
}

/** gpionotify: an info watcher on the lines, printing each event gpiolib reports. */
class NotifyJob extends Job implements InfoWatcher {
  private readonly _ctx: ToolContext;
  private readonly _args: string[];
  private readonly _lines: Set<number>;
  private readonly _o: NotifyOptions;
  private _count = 0;
  private _timer = -1;

  constructor(ctx: ToolContext, prog: string, args: string[], offsets: number[], o: NotifyOptions) {
    super(ctx.jobs, prog);
    this._ctx = ctx;
    this._args = args;
    this._lines = new Set(offsets);
    this._o = o;
  }

  start(): void {
    this.host.port.gpiolib.infoWatchers.add(this);
    if (this._o.banner) {
      const names = this._args.map((a) => `'${visible(a)}'`);
      this.print(names.length > 1 ? `Watching lines ${names.slice(0, -1).map((n) => `${n}, `).join('')}and ${names[names.length - 1]}...\n` : `Watching line ${names[0]}...\n`);
    }
    this._armIdle();
  }

  watches(line: number): boolean {
    return !this.done && this._lines.has(line);
  }

  lineInfoChanged(line: number, event: InfoEvent): void {
    if (this.done) return;
    const o = this._o;
    if (o.eventType !== 0 && event !== o.eventType) return;
    if (!o.quiet) this.print(this._format(line, event) + '\n');
    this._count++;
    if (o.eventsWanted > 0 && this._count >= o.eventsWanted) return this.exit(0);
    this._armIdle();
  }

  private _armIdle(): void {
    if (this._o.idleNs <= 0) return;
    if (this._timer >= 0) this.host.clearTimer(this._timer);
    this._timer = this.host.setTimer(this._o.idleNs, () => {
      this._timer = -1;
      this.exit(0);
    });
  }

  private _name(off: number): string | null {
    const n = this.host.port.gpiolib.lineName(off);
    return n === '' ? null : visible(n);
  }

  private _format(line: number, event: InfoEvent): string {
    const o = this._o;
    const t = this.host.port.now;
    if (o.format === null) {
      // print_line_id()
      const name = this._name(line);
      let id: string;
      if (name === null) id = `${CHIP_NAME} ${line}`;
      else id = (o.chipId !== null ? `${CHIP_NAME} ${line} ` : '') + (o.unquoted ? name : `"${name}"`);
      return `${eventTime(t, o.timestampFormat)}\t${EVENT_NAMES[event]}\t${id}`;
    }
    // event_print_formatted(): %-specifiers; an unknown one is printed as is, a lone '%' at the end too.
    const f = o.format;
    let out = '';
    for (let i = 0; i < f.length; i++) {
      const c = f[i];
      if (c !== '%') {
        out += c;
        continue;
      }
      const s = f[i + 1];
      if (s === undefined) {
        out += '%';
        break;
      }
      i++;
      switch (s) {
        case 'a':
          out += lineAttributes(this._ctx, line, o.unquoted);
          break;
        case 'c':
          out += CHIP_NAME;
          break;
        case 'C': {
          const consumer = this.host.port.gpiolib.consumer[line];
          const used = consumer !== null && consumer !== undefined;
          out += used ? (consumer === '' ? 'kernel' : visible(consumer)) : this.host.port.gpiolib.usedAsIrq[line] ? 'interrupt' : 'unused';
          break;
        }
        case 'e':
          out += String(event);
          break;
        case 'E':
          out += EVENT_NAMES[event];
          break;
        case 'l':
          out += this._name(line) ?? 'unnamed';
          break;
        case 'L':
          out += eventTime(t, 2);
          break;
        case 'o':
          out += String(line);
          break;
        case 'S':
          out += eventTime(t, 0);
          break;
        case 'U':
          out += eventTime(t, 1);
          break;
        case '%':
          out += '%';
          break;
        default:
          out += '%' + s;
      }
    }
    return out;
  }

  protected release(): void {
    if (this._timer >= 0) this.host.clearTimer(this._timer);
    this._timer = -1;
    this.host.port.gpiolib.infoWatchers.delete(this);
  }
}
