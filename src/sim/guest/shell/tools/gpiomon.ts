/**
 * gpiomon: its options, its arguments, and MonJob, which watches the lines
 * through a gpiomon reader and prints each edge event.
 */
import type { GpiomonEvent, GpiomonListener, GpiomonReader } from '../../clients';
import { EdgeFlags } from '../../gpiolib';
import { eventTime, parseUint, periodArg, strerror } from '../formats';
import { getopt, REQUEST_OPTIONS, toolOptions } from '../getopt';
import { Job, type JobHost } from '../jobs';
import { CHIP_NAME, CHIP_PATH, die, resolve, eachOption, type LineSelection, type RequestCommon, type ToolContext, visible } from './context';

const MAX_MON_LINES = 64;

/** gpiomon's options: the shared ones and its own. */
export const OPTIONS = toolOptions(REQUEST_OPTIONS, [
  { key: '-', arg: false, short: false, long: ['banner'] },
  { key: 'p', arg: true, short: true, long: ['debounce-period'] },
  { key: 'e', arg: true, short: true, long: ['edges'] },
  { key: 'E', arg: true, short: true, long: ['event-clock'] },
  { key: 'F', arg: true, short: true, long: ['format'] },
  { key: 'i', arg: true, short: false, long: ['idle-timeout'] },
  { key: 'L', arg: false, short: false, long: ['localtime'] },
  { key: 'n', arg: true, short: true, long: ['num-events'] },
  { key: 'q', arg: false, short: true, long: ['quiet', 'silent'] },
  { key: 'U', arg: false, short: false, long: ['utc'] },
]);

/** gpiomon [OPTIONS] <line>...: an exit status, or the job that carries on. */
export function gpiomon(ctx: ToolContext, prog: string, argv: string[]): number | Job {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  const o: MonOptions = {
    activeLow: false,
    banner: false,
    quiet: false,
    unquoted: false,
    consumer: 'gpiomon',
    bias: '',
    edges: 'both',
    eventsWanted: 0,
    format: null,
    timestampFormat: 0,
    clock: '',
    idleNs: -1,
    chipId: null,
    debounceNs: 0,
  };
  const sel: LineSelection = { chipId: null, byName: false, strict: false };
  const stop = eachOption(ctx, prog, items, o, sel, (it) => {
    switch (it.key) {
      case '-':
        o.banner = true;
        break;
      case 'e':
        if (it.arg !== 'rising' && it.arg !== 'falling' && it.arg !== 'both') return die(ctx, prog, `invalid edges: ${visible(it.arg)}`);
        o.edges = it.arg;
        break;
      case 'E':
        if (it.arg !== 'monotonic' && it.arg !== 'realtime' && it.arg !== 'hte') return die(ctx, prog, `invalid event clock: ${visible(it.arg)}`);
        o.clock = it.arg;
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
      case 'p': {
        const p = periodArg(it.arg);
        if (p < 0) return die(ctx, prog, `invalid period: ${visible(it.arg)}`);
        // gpio-virtio has no .set_config: gpiolib-cdev debounces in software (guest/sw-debounce.ts).
        o.debounceNs = p;
        break;
      }
      case 'q':
        o.quiet = true;
        break;
    }
    return undefined;
  });
  if (stop !== undefined) return stop;
  // The default clock / format pairs: realtime when a date format is asked for, dates for realtime.
  if (o.clock === '') o.clock = o.timestampFormat ? 'realtime' : 'monotonic';
  else if (o.clock === 'realtime' && o.timestampFormat === 0) o.timestampFormat = 1;
  const ids = argv.slice(optind);
  if (ids.length < 1) return die(ctx, prog, 'at least one GPIO line must be specified');
  if (ids.length > MAX_MON_LINES) return die(ctx, prog, 'too many lines given');
  if (o.clock === 'hte') return die(ctx, prog, `unable to request lines on chip ${CHIP_PATH}: ${strerror(-95)} (no hardware timestamp engine in this guest)`);
  o.chipId = sel.chipId;
  const offsets = resolve(ctx, prog, ids, sel.chipId, sel.strict, sel.byName);
  if (!offsets) return 1;
  return new MonJob(ctx.jobs, prog, ids, offsets, o);
}

interface MonOptions extends RequestCommon {
  banner: boolean;
  quiet: boolean;
  /** Logical edges asked for. */
  edges: 'rising' | 'falling' | 'both';
  eventsWanted: number;
  format: string | null;
  /** 0 raw seconds, 1 UTC, 2 local time. */
  timestampFormat: number;
  clock: string;
  idleNs: number;
  chipId: string | null;
  debounceNs: number;
}

/**
 * gpiomon: a GpiomonReader (the cdev edge-detection request: a threaded
 * oneshot interrupt per line) printing each event as it is read. With -l the
 * kernel requests the opposite physical edges and reports them flipped.
 */
class MonJob extends Job implements GpiomonListener {
  private readonly _args: string[];
  private readonly _offsets: number[];
  private readonly _o: MonOptions;
  private _reader: GpiomonReader | null = null;
  private _count = 0;
  private _timer = -1;
  private _flagged = false;
  /** Lines whose request_irq has not returned yet. */
  private readonly _setup = new Set<number>();
  /** Events that came before the request returned. */
  private readonly _early: GpiomonEvent[] = [];

  constructor(host: JobHost, prog: string, args: string[], offsets: number[], o: MonOptions) {
    super(host, prog);
    this._args = args;
    this._offsets = offsets;
    this._o = o;
  }

  start(): void {
    const o = this._o;
    const phys = o.activeLow && o.edges !== 'both' ? (o.edges === 'rising' ? 'falling' : 'rising') : o.edges;
    const reader = this.host.port.addGpiomon(this._offsets, phys, o.consumer, o.debounceNs);
    this._reader = reader;
    reader.listener = this;
    // GPIO_V2_GET_LINE_IOCTL with edge detection: direction_input and request_irq per line, each a
    // virtio round trip, inside one uninterruptible call that returns when every line is ready.
    this.syscall = true;
    for (const off of this._offsets) this._setup.add(off);
    reader.start();
    if (this.done) return; // the request failed at once (busy line, no F_IRQ)
    const edges = o.edges === 'rising' ? EdgeFlags.Rising : o.edges === 'falling' ? EdgeFlags.Falling : EdgeFlags.Both;
    for (const off of this._offsets) this.host.flags[off] = { activeLow: o.activeLow, bias: o.bias, edges, clock: o.clock, debounceUs: Math.floor(o.debounceNs / 1000) };
    this._flagged = true;
  }

  /** One line's request_irq returned; when all have, the request ioctl returns to gpiomon. */
  gpiomonReady(line: number): void {
    if (this.done || !this._setup.delete(line) || this._setup.size > 0) return;
    if (this.syscallEnd()) return;
    const o = this._o;
    if (o.banner) {
      const names = this._args.map((a) => `'${visible(a)}'`);
      this.print(names.length > 1 ? `Monitoring lines ${names.slice(0, -1).map((n) => `${n}, `).join('')}and ${names[names.length - 1]}...\n` : `Monitoring line ${names[0]}...\n`);
    }
    // Edges on lines already set up waited in the kernel's event fifo; gpiomon reads them now.
    for (const ev of this._early.splice(0)) {
      this.gpiomonEvent(ev);
      if (this.done) return;
    }
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

  gpiomonEvent(ev: GpiomonEvent): void {
    if (this.done) return;
    if (this._setup.size > 0) {
      this._early.push(ev);
      return;
    }
    const rising = (ev.edge === 'rising') !== this._o.activeLow;
    if (!this._o.quiet) this.print(this._format(ev, rising) + '\n');
    this._count++;
    if (this._o.eventsWanted > 0 && this._count >= this._o.eventsWanted) return this.exit(0);
    this._armIdle();
  }

  gpiomonError(errno: number, what: string): void {
    if (this.done) return;
    if (what === 'unable to request lines') return this.die(`unable to request lines on chip ${CHIP_PATH}: ${strerror(errno)}`);
    this.die(`${what}: ${strerror(errno)}`);
  }

  private _name(off: number): string | null {
    const n = this.host.port.gpiolib.lineName(off);
    return n === '' ? null : visible(n);
  }

  private _format(ev: GpiomonEvent, rising: boolean): string {
    const o = this._o;
    if (o.format === null) {
      const name = this._name(ev.line);
      let id: string;
      if (name === null) id = `${CHIP_NAME} ${ev.line}`;
      else id = (o.chipId !== null ? `${CHIP_NAME} ${ev.line} ` : '') + (o.unquoted ? name : `"${name}"`);
      return `${eventTime(ev.t, o.timestampFormat)}\t${rising ? 'rising' : 'falling'}\t${id}`;
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
        case 'c':
          out += CHIP_NAME;
          break;
        case 'e':
          out += rising ? '1' : '2';
          break;
        case 'E':
          out += rising ? 'rising' : 'falling';
          break;
        case 'l':
          out += this._name(ev.line) ?? 'unnamed';
          break;
        case 'L':
          out += eventTime(ev.t, 2);
          break;
        case 'o':
          out += String(ev.line);
          break;
        case 'S':
          out += eventTime(ev.t, 0);
          break;
        case 'U':
          out += eventTime(ev.t, 1);
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
    if (this._flagged) for (const off of this._offsets) this.host.flags[off] = undefined;
    this._flagged = false;
    const r = this._reader;
    if (r) {
      r.listener = null;
      r.stop(); // free_irq (SET_IRQ_TYPE NONE), then SET_DIRECTION NONE per line
    }
  }
}
