/**
 * gpioset: its options, its line=value arguments, and SetJob, which sets the
 * lines as outputs and holds or toggles them.
 */
import { Drive, GpioOp } from '../../gpiolib';
import { parseLineValue, periodArg, strerror } from '../formats';
import { getopt, REQUEST_OPTIONS, toolOptions } from '../getopt';
import { LineHoldingJob, TAG_DIR, TAG_SET, type Job, type JobHost } from '../jobs';
import { INTERACTIVE_PROMPT, interactiveCommand } from './gpioset-interactive';
import { CHIP_NAME, CHIP_PATH, die, resolve, eachOption, type LineSelection, type RequestCommon, type ToolContext, visible } from './context';

/** gpioset's options: the shared ones and its own. */
export const OPTIONS = toolOptions(REQUEST_OPTIONS, [
  { key: '-', arg: false, short: false, long: ['banner'] },
  { key: 'z', arg: false, short: true, long: ['daemonize'] },
  { key: 'd', arg: true, short: true, long: ['drive'] },
  { key: 'p', arg: true, short: true, long: ['hold-period'] },
  { key: 't', arg: true, short: true, long: ['toggle'] },
  { key: 'i', arg: false, short: true, long: ['interactive'] },
]);

/** gpioset [OPTIONS] <line=value>...: an exit status, or the job that carries on. */
export function gpioset(ctx: ToolContext, prog: string, argv: string[]): number | Job {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  const o: SetOptions = { activeLow: false, unquoted: false, banner: false, daemonize: false, consumer: 'gpioset', bias: '', holdNs: 0, toggles: [], drive: Drive.PushPull, interactive: false };
  const sel: LineSelection = { chipId: null, byName: false, strict: false };
  const stop = eachOption(ctx, prog, items, o, sel, (it) => {
    switch (it.key) {
      case '-':
        o.banner = true;
        break;
      case 'd':
        // gpio-virtio has no .set_config: gpiolib emulates open-drain / open-source (see Gpiolib.call).
        if (it.arg !== 'push-pull' && it.arg !== 'open-drain' && it.arg !== 'open-source') return die(ctx, prog, `invalid drive: ${visible(it.arg)}`);
        o.drive = it.arg === 'push-pull' ? Drive.PushPull : it.arg === 'open-drain' ? Drive.OpenDrain : Drive.OpenSource;
        break;
      case 'p': {
        const p = periodArg(it.arg);
        if (p < 0) return die(ctx, prog, `invalid period: ${visible(it.arg)}`);
        o.holdNs = p;
        break;
      }
      case 't': {
        const periods: number[] = [];
        for (const part of it.arg.split(',')) {
          const p = periodArg(part);
          if (p < 0) return die(ctx, prog, `invalid period: ${visible(part)}`);
          periods.push(p);
        }
        o.toggles = periods;
        break;
      }
      case 'z':
        o.daemonize = true;
        break;
      case 'i':
        o.interactive = true;
        break;
    }
    return undefined;
  });
  if (stop !== undefined) return stop;
  if (o.toggles.length > 0 && o.interactive) return die(ctx, prog, "can't combine interactive with toggle");
  const lvs = argv.slice(optind);
  if (lvs.length < 1) return die(ctx, prog, 'at least one GPIO line value must be specified');
  const ids: string[] = [];
  const values: number[] = [];
  for (const lv of lvs) {
    // parse_line_values(): 'line=value' or '"line"=value'.
    let id: string;
    let val: string;
    if (lv[0] !== '"') {
      const eq = lv.indexOf('=');
      if (eq < 0) return die(ctx, prog, `invalid line value: '${visible(lv)}'`);
      id = lv.slice(0, eq);
      val = lv.slice(eq + 1);
    } else {
      const q = lv.indexOf('"=', 1);
      if (q < 0) return die(ctx, prog, `invalid line value: '${visible(lv)}'`);
      id = lv.slice(1, q);
      val = lv.slice(q + 2);
    }
    const v = parseLineValue(val);
    if (v < 0) return die(ctx, prog, `invalid line value: '${visible(val)}'`);
    ids.push(id);
    values.push(v);
  }
  const offsets = resolve(ctx, prog, ids, sel.chipId, sel.strict, sel.byName);
  if (!offsets) return 1;
  return new SetJob(ctx.jobs, prog, ids, offsets, values, o);
}

interface SetOptions extends RequestCommon {
  banner: boolean;
  daemonize: boolean;
  holdNs: number;
  /** Toggle periods (ns), empty when not toggling. */
  toggles: number[];
  /** Drive (Drive codes). */
  drive: number;
  interactive: boolean;
}

/**
 * gpioset: request the lines as outputs with their values (direction_output:
 * SET_VALUE then SET_DIRECTION OUT, line by line), print the banner, then
 * hold them until a signal, or toggle them on the -t periods.
 */
class SetJob extends LineHoldingJob {
  private readonly _ids: string[];
  private readonly _offsets: number[];
  private readonly _values: number[];
  private readonly _o: SetOptions;
  private _i = 0;
  private _ti = 0;
  private _order: number[] = [];
  private _setError = 0;
  /** What follows when the values are applied (the next toggle, or the interactive prompt). */
  private _afterApply: () => void = () => {};
  /** At the `gpioset> ` prompt, waiting for a line. */
  private _reading = false;
  /** Lines typed while a command (a set, a sleep) was still running. */
  private readonly _typeahead: string[] = [];

  constructor(host: JobHost, prog: string, ids: string[], offsets: number[], values: number[], o: SetOptions) {
    super(host, prog);
    this._ids = ids;
    this._offsets = offsets;
    this._values = values;
    this._o = o;
  }

  start(): void {
    this.syscall = true;
    this._requestNext();
  }

  private _phys(k: number): number {
    return (this._values[k] as number) ^ (this._o.activeLow ? 1 : 0);
  }

  private _requestNext(): void {
    const { gpiolib } = this.host.port;
    if (this._i < this._offsets.length) {
      const off = this._offsets[this._i] as number;
      const r = gpiolib.request(off, this._o.consumer);
      if (r < 0) return this.die(`unable to request lines on chip '${CHIP_PATH}': ${strerror(r)}`);
      this.held.push(off);
      const drive = this._o.drive === Drive.OpenDrain ? 'open-drain' : this._o.drive === Drive.OpenSource ? 'open-source' : undefined;
      this.host.flags[off] = { activeLow: this._o.activeLow, bias: this._o.bias, edges: 0, clock: '', ...(drive ? { drive } : {}) };
      gpiolib.drive[off] = this._o.drive;
      const k = this._i++;
      gpiolib.call(off, GpioOp.DirectionOutput, this._phys(k), this, TAG_DIR);
      return;
    }
    if (this.syscallEnd()) return;
    this._requested();
  }

  private _requested(): void {
    const o = this._o;
    if (o.banner) {
      const names = this._ids.map((id) => `'${visible(id)}'`);
      this.print(names.length > 1 ? `Setting lines ${names.slice(0, -1).map((n) => `${n}, `).join('')}and ${names[names.length - 1]}...\n` : `Setting line ${names[0]}...\n`);
    }
    if (o.daemonize) this.host.daemonize(this);
    const t = o.toggles;
    if (t.length > 0) {
      // A hold period longer than a toggle period stretches it (but never the final 0 that ends the sequence).
      for (let i = 0; i < t.length; i++) if (o.holdNs > (t[i] as number) && (i !== t.length - 1 || t[i] !== 0)) t[i] = o.holdNs;
      if (t.length === 1 && t[0] === 0) return this._afterToggles();
      this._ti = 0;
      this.timer = this.host.setTimer(t[0] as number, () => this._toggle());
      return;
    }
    if (o.interactive) {
      // After the hold period, the prompt.
      if (o.holdNs > 0) this.timer = this.host.setTimer(o.holdNs, () => ((this.timer = -1), this._prompt()));
      else this._prompt();
      return;
    }
    // Otherwise (after the hold period, which changes nothing visible): wait for a signal. Nothing to schedule.
  }

  private _toggle(): void {
    this.timer = -1;
    for (let k = 0; k < this._values.length; k++) this._values[k] = this._values[k] ? 0 : 1;
    this._apply(() => this._nextToggle());
  }

  /** gpiod_line_request_set_values: one SET_VALUE per line, ascending offsets; then `then`. */
  private _apply(then: () => void): void {
    this._afterApply = then;
    this.syscall = true;
    this._order = this._offsets.map((_, k) => k).sort((a, b) => (this._offsets[a] as number) - (this._offsets[b] as number));
    this._i = 0;
    this._setError = 0;
    this._setNext();
  }

  override get readsInput(): boolean {
    return this._o.interactive && !this.done;
  }

  override input(line: string): void {
    this._typeahead.push(line);
    if (this._reading) this._readNext();
  }

  private _prompt(): void {
    if (this.done) return;
    this.print(INTERACTIVE_PROMPT);
    this._reading = true;
    if (this._typeahead.length > 0) this._readNext();
  }

  /** interact(): one line from the terminal, its output, then what it asks for. */
  private _readNext(): void {
    const line = this._typeahead.shift() as string;
    this._reading = false;
    const r = interactiveCommand({ ids: this._ids, values: this._values, unquoted: this._o.unquoted }, line);
    if (r.out) this.print(r.out);
    switch (r.step.kind) {
      case 'none':
        return this._prompt();
      case 'apply':
        return this._apply(() => this._prompt());
      case 'sleep':
        this.timer = this.host.setTimer(r.step.ns, () => ((this.timer = -1), this._prompt()));
        return;
      case 'exit':
        return this.exit(0);
    }
  }

  private _setNext(): void {
    if (this._i < this._order.length) {
      const k = this._order[this._i] as number;
      this.host.port.gpiolib.call(this._offsets[k] as number, GpioOp.Set, this._phys(k), this, TAG_SET);
      return;
    }
    if (this._setError < 0) this.print(`${this.prog}: unable to set values on '${CHIP_NAME}': ${strerror(this._setError)}\n`);
    if (this.syscallEnd()) return;
    this._afterApply();
  }

  private _nextToggle(): void {
    const t = this._o.toggles;
    this._ti++;
    if (this._ti === t.length - 1 && t[this._ti] === 0) return this._afterToggles();
    if (this._ti === t.length) this._ti = 0;
    this.timer = this.host.setTimer(t[this._ti] as number, () => this._toggle());
  }

  private _afterToggles(): void {
    if (this._o.holdNs > 0) {
      this.timer = this.host.setTimer(this._o.holdNs, () => this.exit(0));
      return;
    }
    this.exit(0);
  }

  override gpioDone(tag: number, result: number): void {
    if (this.done) return;
    if (tag === TAG_DIR) {
      if (result < 0) return this.die(`unable to request lines on chip '${CHIP_PATH}': ${strerror(result)}`);
      return this._requestNext();
    }
    if (tag === TAG_SET) {
      if (result < 0 && this._setError === 0) this._setError = result;
      this._i++;
      this._setNext();
    }
  }
}
