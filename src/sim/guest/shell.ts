/**
 * The guest's shell: the libgpiod v2 tools (gpiodetect, gpioinfo, gpioget,
 * gpioset, gpiomon) plus simulator verbs that act on the world outside the
 * device. Pure text in, text out: the browser terminal, the CLI and the tests
 * all drive it through exec() and read what it prints.
 *
 * It runs INSIDE the simulation. A tool works through the simulated kernel
 * (gpiolib -> the virtio-gpio driver -> the virtqueues -> the device), so its
 * output appears when the simulated requests complete, never at once: after
 * `gpioget button`, nothing is printed until simulated time has passed.
 *
 * Output contract (the terminal glue relies on it):
 * - Everything printed goes to `onOutput(text, redrawInput)` and into the
 *   transcript. Newlines are "\n" (a terminal needs convertEol, or "\r\n").
 * - The shell prints its own prompt "$ " whenever it is ready for input: at
 *   construction, after each command that completes at once, and when a
 *   foreground job ends. `atPrompt` tells whether the prompt is the last
 *   thing printed (no foreground job, nothing running).
 * - exec(line) echoes the command after the prompt, so a transcript reads
 *   like a terminal session. exec(line, true) means "the terminal already
 *   echoed it" (the line editor did): the echo then goes to the transcript
 *   only, never again to onOutput.
 * - Output of a background job that arrives while the prompt is showing
 *   erases the prompt line ("\r\x1b[K" on the terminal; the transcript simply
 *   loses the prompt), prints, and draws the prompt again; `redrawInput` is
 *   then true and the glue must redraw what the user had typed
 *   (`editor.render()`).
 * - interrupt() is Ctrl-C: prints "^C" and a newline, stops the foreground
 *   job (releasing what it holds), and drops type-ahead. exec('\x03') does
 *   the same, so a recorded or scripted Ctrl-C can travel as a shell step.
 *
 * Suggested glue:
 *   term.onData((d) => editor.feedTo(d, (a) => a.kind === 'echo' ? term.write(a.text)
 *     : a.kind === 'line' ? shell.exec(a.text, true) : a.kind === 'interrupt' ? shell.interrupt()
 *     : (term.clear(), term.write((shell.atPrompt ? shell.prompt : '') + editor.render()))));
 *   shell.onOutput = (t, redraw) => { term.write(t); if (redraw) term.write(editor.render()); };
 *
 * Faithfulness: formats, messages and option parsing follow libgpiod v2.2.4's
 * tools and glibc getopt_long, re-implemented here from reading them. Linux
 * details that change what a user sees are kept: lines are requested one by
 * one and set to input / output as in linereq_create(); values are read and
 * toggled one line at a time in ascending offset order (gpio-virtio has no
 * get_multiple / set_multiple); a process waiting in a virtio request is in
 * uninterruptible sleep (the driver has no timeout), so Ctrl-C takes effect
 * only when the request completes.
 */
import type { Action, ActionError } from '../actions';
import { formatNs, formatSecNs, parseDuration } from '../clock/time';
import { IRQ_TYPES } from '../gpio/constants';
import type { Wire } from '../gpio/wire';
import type { GpiomonEvent, GpiomonListener, GpiomonReader } from './clients';
import { EdgeFlags, GpioOp, type GpioRequester, type Gpiolib } from './gpiolib';
import { sanitizeForTerminal } from './line-editor';

/**
 * What the shell may read and do: the guest kernel's gpiolib, which its tools
 * go through as real libgpiod tools go through the kernel; a few facts about
 * the board for its verbs; timers; and the one act() by which a verb changes
 * the world outside the device.
 */
export interface ShellPort {
  /** Simulated time now (ns). */
  readonly now: number;
  /** The kernel's gpiolib: the tools request lines and make their calls through it. */
  readonly gpiolib: Gpiolib;
  /** The physical lines, read by `levels`. */
  readonly wire: Pick<Wire, 'level' | 'worldDrive' | 'deviceDrive' | 'pull' | 'contended'>;
  /** Lines on the board. */
  readonly ngpio: number;
  /** The board's line names (the device's, else what the driver read), or null. */
  lineNames(): readonly string[] | null;
  /** The kind of the world source wired to a line. */
  sourceKind(line: number): string;
  /** The irq-consumer client of a line, or -1. */
  consumerOn(line: number): number;
  /** gpiochip0 is registered (the guest driver probed it). */
  registered(): boolean;
  /** gpiochip0 is registered, or its probe failed: commands may run. */
  ready(): boolean;
  /** The cdev edge request gpiomon makes: a reader on these lines (the caller starts it). */
  addGpiomon(lines: number[], edges: 'rising' | 'falling' | 'both', name: string): GpiomonReader;
  /** Carries out an action (the simulator verbs); returns why it was refused, or null. */
  act(action: Action): ActionError | null;
  /** Calls timer(id) after `ns` of simulated time. */
  setTimer(ns: number, id: number): void;
  /** Records command number `n` in the trace. */
  traceCommand(n: number): void;
}

export const SHELL_PROMPT = '$ ';
/** Longest command line accepted. */
export const MAX_COMMAND_LENGTH = 4096;
/** exec() of exactly this string is Ctrl-C (so a recorded interrupt can be a shell step). */
export const SHELL_INTERRUPT = '\x03';
/** The transcript keeps about the last megabyte. */
const TRANSCRIPT_MAX = 1 << 20;
const TRANSCRIPT_SLACK = 1 << 18;

const SHELL_NAME = 'vsh';
/** The libgpiod release whose tools this shell follows. */
const LIBGPIOD_VERSION = '2.2.4';
const CHIP_NAME = 'gpiochip0';
const CHIP_PATH = '/dev/gpiochip0';
/** dev_name() of the virtio device: the chip label Linux gpio-virtio registers. */
const CHIP_LABEL = 'virtio1';
const MAX_MON_LINES = 64;
/** One simulated hour: the longest wait or run a command accepts. */
const MAX_WAIT_NS = 3_600_000_000_000;
const DEFAULT_PRESS_NS = 100_000_000;

const SIGINT = 2;
const SIGKILL = 9;
const SIGTERM = 15;

const STRERROR: Record<number, string> = {
  1: 'Operation not permitted',
  2: 'No such file or directory',
  4: 'Interrupted system call',
  5: 'Input/output error',
  6: 'No such device or address',
  11: 'Resource temporarily unavailable',
  12: 'Cannot allocate memory',
  16: 'Device or resource busy',
  19: 'No such device',
  22: 'Invalid argument',
  28: 'No space left on device',
  95: 'Operation not supported',
  110: 'Connection timed out',
};

/** strerror() of a (negative or positive) errno. */
export function strerror(errno: number): string {
  const e = Math.abs(errno);
  return STRERROR[e] ?? `Unknown error ${e}`;
}

const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

// ---- line flags -------------------------------------------------------------------

/**
 * Descriptor flags a tool's line request sets (FLAG_ACTIVE_LOW, the bias, the
 * edge flags, the event clock) and gpioinfo reports while the line is held.
 * gpio-virtio has no .set_config, so a bias is recorded but changes nothing
 * on the wire, exactly as on a real virtio-gpio guest.
 */
interface LineFlags {
  activeLow: boolean;
  bias: string;
  /** Logical edges requested (EdgeFlags), for gpiomon lines. */
  edges: number;
  clock: string;
}

// ---- option parsing (getopt_long with a leading '+') --------------------------------

interface LongOpt {
  name: string;
  arg: boolean;
  key: string;
}

interface OptTable {
  /** getopt short-option string without the '+' ("c:hsv"). */
  short: string;
  long: LongOpt[];
}

type OptItem = { key: string; arg: string } | { error: string };

/**
 * getopt_long as glibc does it with "+": options up to the first non-option
 * or "--", short clusters, attached or separate arguments, "--name=value",
 * unique prefixes of long names, and glibc's exact error messages. Returns
 * the options in order (an error item ends them) and the first operand index.
 */
function getopt(prog: string, argv: string[], table: OptTable): { items: OptItem[]; optind: number } {
  const items: OptItem[] = [];
  let i = 0;
  const err = (msg: string): { items: OptItem[]; optind: number } => {
    items.push({ error: `${prog}: ${msg}` });
    return { items, optind: i };
  };
  while (i < argv.length) {
    const a = argv[i] as string;
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    if (a[1] === '-') {
      const body = a.slice(2);
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      let found = table.long.find((o) => o.name === name);
      if (!found) {
        const matches = table.long.filter((o) => o.name.startsWith(name));
        if (matches.length === 0) return err(`unrecognized option '--${body}'`);
        const first = matches[0] as LongOpt;
        if (matches.some((o) => o.arg !== first.arg || o.key !== first.key)) {
          return err(`option '--${body}' is ambiguous; possibilities:${matches.map((o) => ` '--${o.name}'`).join('')}`);
        }
        found = first;
      }
      if (eq >= 0) {
        if (!found.arg) return err(`option '--${found.name}' doesn't allow an argument`);
        items.push({ key: found.key, arg: body.slice(eq + 1) });
      } else if (found.arg) {
        if (i + 1 >= argv.length) {
          i++;
          return err(`option '--${found.name}' requires an argument`);
        }
        items.push({ key: found.key, arg: argv[++i] as string });
      } else {
        items.push({ key: found.key, arg: '' });
      }
      i++;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string;
      const at = c === ':' ? -1 : table.short.indexOf(c);
      if (at < 0) {
        i++;
        return err(`invalid option -- '${c}'`);
      }
      if (table.short[at + 1] === ':') {
        if (j + 1 < a.length) {
          items.push({ key: c, arg: a.slice(j + 1) });
        } else if (i + 1 < argv.length) {
          items.push({ key: c, arg: argv[++i] as string });
        } else {
          i++;
          return err(`option requires an argument -- '${c}'`);
        }
        break;
      }
      items.push({ key: c, arg: '' });
    }
    i++;
  }
  return { items, optind: i };
}

/** parse_uint(): strtoul in base 10, the whole string, at most INT_MAX; else -1. */
function parseUint(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)$/.exec(s);
  if (!m) return -1;
  const digits = m[2] as string;
  if (digits === '') return s === '' ? 0 : -1; // strtoul consumed nothing: end == start
  const v = Number(digits);
  if (m[1] === '-') return v === 0 ? 0 : -1; // negated into a huge unsigned value
  return v <= 0x7fffffff ? v : -1;
}

/**
 * parse_period(): an integer with an optional unit (us, ms, s, or m for
 * minutes; milliseconds without one), in nanoseconds here; -1 when invalid.
 * Like the original, text after a complete unit is ignored.
 */
function parsePeriodNs(s: string): number {
  // strtoull: blanks, a sign, digits; with no digits nothing is consumed (the unit check sees the start).
  const m = /^([ \t\n\v\f\r]*([+-]?))(\d+)/.exec(s);
  const p = m ? Number(m[3]) : 0;
  const rest = m ? s.slice(m[0].length) : s;
  let us: number;
  const c = rest[0];
  if (c === undefined) us = 1000;
  else if (c === 'u') {
    if (rest[1] !== 's') return -1;
    us = 1;
  } else if (c === 'm') {
    if (rest.length === 1) us = 60_000_000;
    else if (rest[1] === 's') us = 1000;
    else return -1;
  } else if (c === 's') us = 1_000_000;
  else return -1;
  if (m && m[2] === '-' && p !== 0) return -1; // negated into a huge unsigned value: out of range
  const ns = p * us * 1000;
  return Number.isSafeInteger(ns) ? ns : -1;
}

// ---- command-line words -------------------------------------------------------------

type Tokens = { words: string[]; background: boolean } | { error: string };

/**
 * Splits a command line like a POSIX shell does for simple commands: blanks
 * separate words; single quotes, double quotes and backslashes quote; '#'
 * starts a comment; a final '&' runs the command in the background; `$?` is
 * the last exit status. Pipes, redirections, lists and substitutions are
 * refused with a message rather than misread.
 */
function tokenize(line: string, lastStatus: number): Tokens {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let background = false;
  const n = line.length;
  let i = 0;
  const unsupported = (what: string): Tokens => ({ error: `${what} is not supported here: one simple command per line (no pipes, redirections, lists or substitutions)` });
  while (i < n) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (background) return { error: "syntax error: '&' must end the line" };
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return { error: "unexpected end of line while looking for matching `''" };
      cur += line.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < n) {
        const d = line[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1] as string)) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        if (d === '$' && line[i + 1] === '?') {
          cur += String(lastStatus);
          i += 2;
          continue;
        }
        if (d === '`' || (d === '$' && line[i + 1] === '(')) return unsupported(`'${d === '`' ? '`' : '$('}'`);
        cur += d;
        i++;
      }
      if (!closed) return { error: 'unexpected end of line while looking for matching `"\'' };
      continue;
    }
    if (c === '\\') {
      if (i + 1 < n) cur += line[i + 1];
      i += 2;
      inWord = true;
      continue;
    }
    if (c === '&') {
      if (line[i + 1] === '&') return unsupported("'&&'");
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      if (words.length === 0) return { error: "syntax error near unexpected token `&'" };
      background = true;
      i++;
      continue;
    }
    if (c === '|' || c === ';' || c === '<' || c === '>' || c === '`' || c === '(' || c === ')') return unsupported(`'${c}'`);
    if (c === '$' && line[i + 1] === '(') return unsupported("'$('");
    if (c === '$' && line[i + 1] === '?') {
      cur += String(lastStatus);
      inWord = true;
      i += 2;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return { words, background };
}

/** A word as it would have to be typed (for job listings): quoted when it holds anything special. */
function shellQuote(w: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, "'\\''")}'`;
}

// ---- time formats -----------------------------------------------------------------

/**
 * A timestamp as an ISO date, for gpiomon's realtime clock. The simulated
 * guest boots at the Unix epoch and runs in UTC, so realtime is simulated
 * time since 1970-01-01T00:00:00Z and local time equals UTC.
 */
function formatIsoNs(ns: number, utc: boolean): string {
  const sec = Math.floor(ns / 1e9);
  const frac = ns - sec * 1e9;
  const days = Math.floor(sec / 86400);
  let rem = sec - days * 86400;
  const hh = Math.floor(rem / 3600);
  rem -= hh * 3600;
  const mi = Math.floor(rem / 60);
  const ss = rem - mi * 60;
  // Civil date from a day count (proleptic Gregorian, 400-year eras).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const p2 = (v: number): string => String(v).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}T${p2(hh)}:${p2(mi)}:${p2(ss)}.${String(frac).padStart(9, '0')}${utc ? 'Z' : ''}`;
}

/** print_event_time(): 0 raw seconds, 1 UTC, 2 local time. */
function eventTime(ns: number, format: number): string {
  return format === 0 ? formatSecNs(ns) : formatIsoNs(ns, format === 1);
}

// ---- jobs -------------------------------------------------------------------------

/** The shell's side of a job: output, end, timers, and the line flags table. */
interface JobHost {
  readonly port: ShellPort;
  out(job: Job, text: string): void;
  ended(job: Job, status: number, signal: number): void;
  setTimer(delayNs: number, fn: () => void): number;
  clearTimer(id: number): void;
  daemonize(job: Job): void;
  readonly flags: (LineFlags | undefined)[];
}

/**
 * A running tool: one simulated process. It is in an uninterruptible kernel
 * call (`syscall`) while it waits for virtio requests (wait_for_completion in
 * the driver, no timeout); a signal then stays pending until the call returns.
 */
abstract class Job implements GpioRequester {
  /** Job number ([1]), 0 while it never left the foreground. */
  num = 0;
  pid = 0;
  /** The command line as typed (sanitized), for jobs and notices. */
  text = '';
  background = false;
  /** gpioset -z: detached with daemon(), not started with '&'. */
  daemon = false;
  done = false;
  protected syscall = false;
  private _pendingSignal = 0;
  protected readonly host: JobHost;
  readonly prog: string;

  constructor(host: JobHost, prog: string) {
    this.host = host;
    this.prog = prog;
  }

  abstract start(): void;
  /** Gives back everything the job holds (lines, timers); safe to call twice. */
  protected abstract release(): void;

  /** A signal is waiting for an uninterruptible call to return. */
  get stuck(): boolean {
    return this.syscall && this._pendingSignal !== 0;
  }

  /** Delivers a signal: now, or when the current uninterruptible call returns. */
  signal(sig: number): void {
    if (this.done) return;
    if (this.syscall) {
      if (this._pendingSignal === 0) this._pendingSignal = sig;
      return;
    }
    this.exit(128 + sig, sig);
  }

  /** Ends an uninterruptible call; true when a pending signal ended the job. */
  protected syscallEnd(): boolean {
    this.syscall = false;
    if (this._pendingSignal === 0) return false;
    this.exit(128 + this._pendingSignal, this._pendingSignal);
    return true;
  }

  protected exit(status: number, sig = 0): void {
    if (this.done) return;
    this.done = true;
    this.syscall = false;
    this.release();
    this.host.ended(this, status, sig);
  }

  protected print(text: string): void {
    if (!this.done) this.host.out(this, text);
  }

  /** die(): an error message, then exit status 1. */
  protected die(msg: string): void {
    this.print(`${this.prog}: ${msg}\n`);
    this.exit(1);
  }

  gpioDone(_tag: number, _result: number): void {}
}

/** A job that requests lines and holds them until it ends (gpioget, gpioset), with at most one timer. */
abstract class LineHoldingJob extends Job {
  /** Offsets requested so far, released (SET_DIRECTION NONE through .free) when the job ends. */
  protected readonly held: number[] = [];
  protected timer = -1;

  protected release(): void {
    if (this.timer >= 0) this.host.clearTimer(this.timer);
    this.timer = -1;
    for (const off of this.held.splice(0)) {
      this.host.flags[off] = undefined;
      this.host.port.gpiolib.release(off);
    }
  }
}

const TAG_DIR = 1;
const TAG_GET = 2;
const TAG_SET = 3;

/** Request options gpioget, gpioset and gpiomon parse alike. */
interface RequestCommon {
  activeLow: boolean;
  unquoted: boolean;
  consumer: string;
  bias: string;
}

/** How the tools find their lines: on which chip, by name only, every match checked. */
interface LineSelection {
  chipId: string | null;
  byName: boolean;
  strict: boolean;
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
      const shown = sanitizeForTerminal(id);
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

interface SetOptions extends RequestCommon {
  banner: boolean;
  daemonize: boolean;
  holdNs: number;
  /** Toggle periods (ns), empty when not toggling. */
  toggles: number[];
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
      this.host.flags[off] = { activeLow: this._o.activeLow, bias: this._o.bias, edges: 0, clock: '' };
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
      const names = this._ids.map((id) => `'${sanitizeForTerminal(id)}'`);
      this.print(names.length > 1 ? `Setting lines ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}...\n` : `Setting line ${names[0]}...\n`);
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
    // Otherwise (after the hold period, which changes nothing visible): wait for a signal. Nothing to schedule.
  }

  private _toggle(): void {
    this.timer = -1;
    for (let k = 0; k < this._values.length; k++) this._values[k] = this._values[k] ? 0 : 1;
    // gpiod_line_request_set_values: one SET_VALUE per line, ascending offsets.
    this.syscall = true;
    this._order = this._offsets.map((_, k) => k).sort((a, b) => (this._offsets[a] as number) - (this._offsets[b] as number));
    this._i = 0;
    this._setError = 0;
    this._setNext();
  }

  private _setNext(): void {
    if (this._i < this._order.length) {
      const k = this._order[this._i] as number;
      this.host.port.gpiolib.call(this._offsets[k] as number, GpioOp.Set, this._phys(k), this, TAG_SET);
      return;
    }
    if (this._setError < 0) this.print(`${this.prog}: unable to set values on '${CHIP_NAME}': ${strerror(this._setError)}\n`);
    if (this.syscallEnd()) return;
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
    const reader = this.host.port.addGpiomon(this._offsets, phys, o.consumer);
    this._reader = reader;
    reader.listener = this;
    // GPIO_V2_GET_LINE_IOCTL with edge detection: direction_input and request_irq per line, each a
    // virtio round trip, inside one uninterruptible call that returns when every line is ready.
    this.syscall = true;
    for (const off of this._offsets) this._setup.add(off);
    reader.start();
    if (this.done) return; // the request failed at once (busy line, no F_IRQ)
    const edges = o.edges === 'rising' ? EdgeFlags.Rising : o.edges === 'falling' ? EdgeFlags.Falling : EdgeFlags.Both;
    for (const off of this._offsets) this.host.flags[off] = { activeLow: o.activeLow, bias: o.bias, edges, clock: o.clock };
    this._flagged = true;
  }

  /** One line's request_irq returned; when all have, the request ioctl returns to gpiomon. */
  gpiomonReady(line: number): void {
    if (this.done || !this._setup.delete(line) || this._setup.size > 0) return;
    if (this.syscallEnd()) return;
    const o = this._o;
    if (o.banner) {
      const names = this._args.map((a) => `'${sanitizeForTerminal(a)}'`);
      this.print(names.length > 1 ? `Monitoring lines ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}...\n` : `Monitoring line ${names[0]}...\n`);
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
    return n === '' ? null : sanitizeForTerminal(n);
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

// ---- the shell --------------------------------------------------------------------

/** Simulator verbs and shell builtins that still work while a foreground job runs. */
const ALWAYS = new Set(['help', 'clear', 'jobs', 'kill', 'echo', 'time', 'levels', 'drive', 'release', 'pulse', 'press', 'clock', 'assert', 'irq', 'run']);
const TOOLS = new Set(['gpiodetect', 'gpioinfo', 'gpioget', 'gpioset', 'gpiomon']);
const COMMANDS = [...TOOLS, ...ALWAYS, 'fg'];

export class Shell {
  readonly prompt = SHELL_PROMPT;
  /** Receives every chunk printed; `redrawInput` asks the terminal to redraw the user's input line. */
  onOutput: ((text: string, redrawInput: boolean) => void) | null = null;
  /** Exit status of the last command that finished in the foreground (`$?`). */
  lastStatus = 0;

  /**
   * Advances simulated time by `ns` (the `run` verb), when the application
   * hosting the shell allows it. The shell never calls it re-entrantly; a host
   * that is itself inside a run should refuse.
   */
  runFor: ((ns: number) => void) | null = null;

  private readonly _port: ShellPort;
  private _t = '';
  private _atPrompt = false;
  /** Commands being executed right now (exec may nest: a timeline step during `run`). */
  private _depth = 0;
  private readonly _typeahead: string[] = [];
  private _fg: Job | null = null;
  private readonly _jobs: Job[] = [];
  private _nextPid = 100;
  private _cmdNo = 0;
  private readonly _timers = new Map<number, () => void>();
  private _timerSeq = 0;
  private _running = false;
  private readonly _flags: (LineFlags | undefined)[] = [];
  private readonly _jobHost: JobHost;

  constructor(port: ShellPort) {
    this._port = port;
    this._jobHost = {
      port,
      flags: this._flags,
      out: (_job, text) => this._async(text),
      ended: (job, status, sig) => this._jobEnded(job, status, sig),
      setTimer: (ns, fn) => this._setTimer(ns, fn),
      clearTimer: (id) => this._timers.delete(id),
      daemonize: (job) => this._daemonize(job),
    };
    this._maybePrompt();
  }

  // ---- what the machine calls -----------------------------------------------------------

  /** Everything printed so far (the last ~1 MB), as a terminal would show it. */
  transcript(): string {
    return this._t;
  }

  chipReady(): void {
    this._maybePrompt();
  }

  /** A timer set through the port came due. */
  timer(a: number): void {
    const fn = this._timers.get(a);
    if (!fn) return; // cancelled
    this._timers.delete(a);
    this._guard(fn);
    this._maybePrompt();
  }

  /**
   * Runs one command line (or several, one per line). `echoed`: the terminal
   * already shows the line (the line editor echoed it), so it is recorded in
   * the transcript without being printed again.
   */
  exec(command: string, echoed = false): void {
    const text = typeof command === 'string' ? command : '';
    if (text === SHELL_INTERRUPT) return this.interrupt();
    const lines = text.split(/\r\n|\r|\n/);
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) {
      this._depth++;
      this._guard(() => this._execLine(line, echoed));
      this._depth--;
      this._maybePrompt();
    }
  }

  /** Ctrl-C. */
  interrupt(): void {
    this._depth++;
    this._guard(() => {
      this._typeahead.length = 0;
      this._print('^C\n');
      const job = this._fg;
      if (!job) {
        this.lastStatus = 130;
        return;
      }
      if (job.stuck) {
        // A second Ctrl-C while the first still waits on the device: give the terminal back.
        this._print(
          `${SHELL_NAME}: ${job.prog} is in uninterruptible sleep waiting for a virtio-gpio request (the driver waits without a timeout); it stays in the background\n`,
        );
        this._toBackground(job);
        return;
      }
      job.signal(SIGINT);
    });
    this._depth--;
    this._maybePrompt();
  }

  /** A foreground job is running (commands other than simulator verbs are refused). */
  get busy(): boolean {
    return this._fg !== null;
  }

  /** The prompt is showing and the shell waits for a command. */
  get atPrompt(): boolean {
    return this._atPrompt;
  }

  /** Background jobs, for a UI list: number, pid, command. */
  jobs(): { num: number; pid: number; command: string }[] {
    return this._jobs.map((j) => ({ num: j.num, pid: j.pid, command: j.text }));
  }

  // ---- output -----------------------------------------------------------------------

  private _append(text: string): void {
    this._t += text;
    if (this._t.length > TRANSCRIPT_MAX + TRANSCRIPT_SLACK) {
      let cut = this._t.length - TRANSCRIPT_MAX;
      const nl = this._t.indexOf('\n', cut);
      if (nl >= 0 && nl - cut < 4096) cut = nl + 1; // start on a line boundary when one is near
      this._t = this._t.slice(cut);
    }
  }

  private _emit(text: string, redraw = false): void {
    this._append(text);
    const cb = this.onOutput;
    if (!cb) return;
    try {
      cb(text, redraw);
    } catch {
      // The terminal's failure must not break the simulation; the transcript has the text.
    }
  }

  /**
   * Output of the command being executed. Everything a command prints passes
   * the sanitizer, whatever it contains: user input never reaches the
   * terminal as control sequences, even through a path that forgot to clean it.
   */
  private _print(raw: string): void {
    const text = sanitizeForTerminal(raw);
    if (text === '') return;
    this._atPrompt = false;
    this._emit(text);
  }

  /** Output that may arrive while the prompt is showing (jobs, notices): printed above a fresh prompt. */
  private _async(raw: string): void {
    const text = sanitizeForTerminal(raw);
    if (text === '') return;
    if (!this._atPrompt || !this._t.endsWith(this.prompt)) return this._print(text);
    this._t = this._t.slice(0, this._t.length - this.prompt.length);
    this._append(text + this.prompt);
    const cb = this.onOutput;
    if (!cb) return;
    try {
      cb('\r\x1b[K' + text + this.prompt, true);
    } catch {
      // See _emit.
    }
  }

  private _isReady(): boolean {
    return this._port.ready();
  }

  /** Shows the prompt when nothing runs; first runs type-ahead that waited for the chip. */
  private _maybePrompt(): void {
    if (this._fg || this._depth > 0 || this._atPrompt) return;
    if (this._typeahead.length > 0) {
      if (!this._isReady()) return;
      while (this._typeahead.length > 0 && !this._fg) {
        const line = this._typeahead.shift() as string;
        this._depth++;
        this._guard(() => this._dispatch(line));
        this._depth--;
      }
      if (this._fg) return;
    }
    this._emit(this.prompt);
    this._atPrompt = true;
  }

  private _guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      // Never let a bug in a command escape into the simulation loop; say so instead.
      this._print(`${SHELL_NAME}: internal error: ${sanitizeForTerminal(e instanceof Error ? e.message : String(e))}\n`);
    }
  }

  // ---- timers -----------------------------------------------------------------------

  /** Schedules `fn` after `ns` simulated ns as an EV.Shell event (only numbers go on the queue). */
  private _setTimer(ns: number, fn: () => void): number {
    const id = ++this._timerSeq;
    this._timers.set(id, fn);
    this._port.setTimer(ns, id);
    return id;
  }

  // ---- command lines ----------------------------------------------------------------

  private _execLine(line: string, echoed: boolean): void {
    let shown = sanitizeForTerminal(line.replace(/\t/g, ' '));
    if (shown.length > 160 && line.length > MAX_COMMAND_LENGTH) shown = `${shown.slice(0, 120)}... (${line.length} characters)`;
    if (echoed) {
      this._append(shown + '\n');
      this._atPrompt = false;
    } else {
      this._print(shown + '\n');
    }
    if (line.length > MAX_COMMAND_LENGTH) {
      this._print(`${SHELL_NAME}: line too long (${line.length} characters; at most ${MAX_COMMAND_LENGTH})\n`);
      this.lastStatus = 2;
      return;
    }
    if (CONTROL_RE.test(line)) {
      this._print(`${SHELL_NAME}: control characters are not allowed in a command line\n`);
      this.lastStatus = 2;
      return;
    }
    // Until the guest has registered gpiochip0, commands wait (type-ahead), in order.
    if (!this._isReady()) {
      this._typeahead.push(line);
      this._print(`(${CHIP_NAME} is not registered yet: the guest driver is still probing; the command runs when it is)\n`);
      return;
    }
    this._dispatch(line);
  }

  private _dispatch(line: string): void {
    const tk = tokenize(line, this.lastStatus);
    if ('error' in tk) {
      this._print(`${SHELL_NAME}: ${tk.error}\n`);
      this.lastStatus = 2;
      return;
    }
    if (tk.words.length === 0) return;
    this._port.traceCommand(++this._cmdNo);
    const [cmd, ...args] = tk.words as [string, ...string[]];
    const shownCmd = sanitizeForTerminal(cmd);
    if (this._fg && !ALWAYS.has(cmd)) {
      this._print(`${SHELL_NAME}: ${this._fg.prog} is running in the foreground: press Ctrl-C to stop it first (simulator verbs such as drive and pulse still work)\n`);
      return;
    }
    if (TOOLS.has(cmd)) return this._runTool(cmd, args, tk.background, sanitizeForTerminal(tk.words.map(shellQuote).join(' ')));
    let status: number;
    switch (cmd) {
      case 'help':
        status = this._help(args);
        break;
      case 'clear':
        // Only the terminal is cleared: a transcript replayed later must not wipe anyone's screen.
        this._atPrompt = false;
        try {
          this.onOutput?.('\x1b[H\x1b[2J\x1b[3J', false);
        } catch {
          // See _emit.
        }
        status = 0;
        break;
      case 'echo':
        this._print(sanitizeForTerminal(args.join(' ')) + '\n');
        status = 0;
        break;
      case 'jobs':
        status = this._jobsCmd();
        break;
      case 'kill':
        status = this._kill(args);
        break;
      case 'fg':
        status = this._fgCmd(args);
        break;
      case 'time':
        this._print(`${formatSecNs(this._port.now)} s since boot (${formatNs(this._port.now)})\n`);
        status = 0;
        break;
      case 'levels':
        status = this._levels(args);
        break;
      case 'drive':
      case 'release':
      case 'pulse':
      case 'press':
      case 'clock':
      case 'assert':
      case 'irq':
        status = this._verb(cmd, args);
        break;
      case 'run':
        status = this._run(args);
        break;
      default: {
        const hint = COMMANDS.find((c) => c.toLowerCase() === cmd.toLowerCase());
        this._print(`${SHELL_NAME}: ${shownCmd}: command not found${hint ? ` (did you mean '${hint}'?)` : " (type 'help')"}\n`);
        status = 127;
      }
    }
    this.lastStatus = status;
  }

  // ---- jobs -------------------------------------------------------------------------

  private _runTool(cmd: string, args: string[], background: boolean, text: string): void {
    let num = 0;
    let pid = 0;
    if (background) {
      num = this._jobNumber();
      pid = this._nextPid++;
      this._print(`[${num}] ${pid}\n`);
    }
    const r = this._tool(cmd, args);
    if (typeof r === 'number') {
      if (background) this._print(`[${num}]+  ${jobLabel(r, 0).padEnd(24)}${text}\n`);
      else this.lastStatus = r;
      return;
    }
    r.text = text;
    r.num = num;
    r.pid = background ? pid : this._nextPid++;
    r.background = background;
    if (background) this._jobs.push(r);
    else this._fg = r;
    r.start();
  }

  private _jobNumber(): number {
    let max = 0;
    for (const j of this._jobs) max = Math.max(max, j.num);
    if (this._fg) max = Math.max(max, this._fg.num);
    return max + 1;
  }

  private _jobEnded(job: Job, status: number, sig: number): void {
    if (this._fg === job) {
      this._fg = null;
      this.lastStatus = status;
      if (sig === SIGTERM || sig === SIGKILL) this._print(`${jobLabel(status, sig)}\n`);
      this._maybePrompt();
      return;
    }
    const i = this._jobs.indexOf(job);
    if (i < 0) return;
    const mark = i === this._jobs.length - 1 ? '+' : i === this._jobs.length - 2 ? '-' : ' ';
    this._jobs.splice(i, 1);
    this._async(`[${job.num}]${mark}  ${jobLabel(status, sig).padEnd(24)}${job.text}\n`);
  }

  /** gpioset -z: daemon() — the parent exits, the prompt returns, the lines stay held. */
  private _daemonize(job: Job): void {
    if (this._fg !== job) return;
    this._fg = null;
    this.lastStatus = 0;
    job.background = true;
    job.daemon = true;
    if (job.num === 0) job.num = this._jobNumber();
    this._jobs.push(job);
    this._maybePrompt();
  }

  private _toBackground(job: Job): void {
    if (this._fg !== job) return;
    this._fg = null;
    job.background = true;
    if (job.num === 0) job.num = this._jobNumber();
    this._jobs.push(job);
    this._print(`[${job.num}]+ ${job.text} &\n`);
  }

  private _jobsCmd(): number {
    const n = this._jobs.length;
    this._jobs.forEach((j, i) => {
      const mark = i === n - 1 ? '+' : i === n - 2 ? '-' : ' ';
      this._print(`[${j.num}]${mark}  ${'Running'.padEnd(24)}${j.text}${j.daemon ? '' : ' &'}\n`);
    });
    return 0;
  }

  /** Finds a job by %N, %+, %-, %% or pid. */
  private _findJob(spec: string): Job | null {
    const all = this._fg ? [...this._jobs, this._fg] : this._jobs;
    if (spec.startsWith('%')) {
      const s = spec.slice(1);
      if (s === '' || s === '+' || s === '%') return this._jobs[this._jobs.length - 1] ?? null;
      if (s === '-') return this._jobs[this._jobs.length - 2] ?? null;
      if (!/^\d+$/.test(s)) return null;
      return all.find((j) => j.num === Number(s) && j.num !== 0) ?? null;
    }
    if (!/^\d+$/.test(spec)) return null;
    return all.find((j) => j.pid === Number(spec)) ?? null;
  }

  private _kill(args: string[]): number {
    let sig = SIGTERM;
    let a = args;
    const first = a[0];
    if (first !== undefined && first.startsWith('-') && first !== '-') {
      const name = first.slice(1).toUpperCase().replace(/^SIG/, '');
      const map: Record<string, number> = { INT: SIGINT, '2': SIGINT, TERM: SIGTERM, '15': SIGTERM, KILL: SIGKILL, '9': SIGKILL };
      const s = map[name];
      if (s === undefined) {
        this._print(`${SHELL_NAME}: kill: ${sanitizeForTerminal(first.slice(1))}: invalid signal specification (INT, TERM or KILL)\n`);
        return 1;
      }
      sig = s;
      a = a.slice(1);
    }
    if (a.length === 0) {
      this._print(`${SHELL_NAME}: kill: usage: kill [-INT|-TERM|-KILL] %job | pid ...\n`);
      return 2;
    }
    let status = 0;
    for (const spec of a) {
      const job = this._findJob(spec);
      if (!job) {
        const s = sanitizeForTerminal(spec);
        this._print(spec.startsWith('%') ? `${SHELL_NAME}: kill: ${s}: no such job\n` : /^\d+$/.test(spec) ? `${SHELL_NAME}: kill: (${s}) - No such process\n` : `${SHELL_NAME}: kill: ${s}: arguments must be process or job IDs\n`);
        status = 1;
        continue;
      }
      job.signal(sig);
    }
    return status;
  }

  private _fgCmd(args: string[]): number {
    const spec = args[0] ?? '%+';
    const job = this._findJob(spec.startsWith('%') ? spec : `%${spec}`);
    if (!job || job === this._fg) {
      this._print(`${SHELL_NAME}: fg: ${args[0] === undefined ? 'current' : sanitizeForTerminal(spec)}: no such job\n`);
      return 1;
    }
    this._jobs.splice(this._jobs.indexOf(job), 1);
    job.background = false;
    this._fg = job;
    this._print(job.text + '\n');
    return 0;
  }

  // ---- the libgpiod tools -----------------------------------------------------------

  private _tool(cmd: string, args: string[]): number | Job {
    switch (cmd) {
      case 'gpiodetect':
        return this._gpiodetect(cmd, args);
      case 'gpioinfo':
        return this._gpioinfo(cmd, args);
      case 'gpioget':
        return this._gpioget(cmd, args);
      case 'gpioset':
        return this._gpioset(cmd, args);
      default:
        return this._gpiomon(cmd, args);
    }
  }

  /** die(): `<prog>: <message>`, exit status 1. */
  private _die(prog: string, msg: string): number {
    this._print(`${prog}: ${msg}\n`);
    return 1;
  }

  private _version(prog: string): number {
    this._print(
      `${prog} (libgpiod) v${LIBGPIOD_VERSION} [simulated]\n` +
        `vgpio-lab's re-implementation of the libgpiod v2 tools' command line and output formats; not libgpiod itself.\n`,
    );
    return 0;
  }

  /** The chip is registered with gpiolib (the guest driver probed it). */
  private _present(): boolean {
    return this._port.registered();
  }

  /** chip_path_lookup(): a number, a path or a device name, naming the one chip there is. */
  private _chipMatches(id: string): boolean {
    const path = /^\d*$/.test(id) ? `/dev/gpiochip${id}` : id.includes('/') ? id : `/dev/${id}`;
    return path === CHIP_PATH && this._present();
  }

  private _lineName(off: number): string | null {
    const n = this._port.gpiolib.lineName(off);
    return n === '' ? null : n;
  }

  /**
   * resolve_lines() + validate_resolution() for the single chip: by offset
   * only with -c (unless --by-name), else by name, the first match winning
   * (every match checked with --strict). Returns offsets in argument order,
   * or null after printing the errors.
   */
  private _resolve(prog: string, ids: string[], chipId: string | null, strict: boolean, byName: boolean): number[] | null {
    if (chipId === null) byName = true;
    if (chipId !== null && !this._chipMatches(chipId)) {
      this._die(prog, `cannot find GPIO chip character device '${sanitizeForTerminal(chipId)}'`);
      return null;
    }
    const lines = ids.map((id) => ({ id, asOffset: byName ? -1 : parseUint(id), resolved: false, offset: 0 }));
    if (this._present()) {
      const n = this._port.gpiolib.ngpio;
      if (chipId !== null && !byName) {
        for (const l of lines) {
          if (l.asOffset !== -1 && l.asOffset < n) {
            l.resolved = true;
            l.offset = l.asOffset;
          }
        }
      }
      let found = 0;
      for (let off = 0; off < n && (strict || found < lines.length); off++) {
        const name = this._lineName(off);
        for (const l of lines) {
          if (l.resolved && l.offset === off) found++;
          if (l.resolved && !strict) continue;
          if (name !== null && l.id === name) {
            if (strict && l.resolved) {
              this._die(prog, `line '${sanitizeForTerminal(l.id)}' is not unique`);
              return null;
            }
            l.resolved = true;
            l.offset = off;
            found++;
          }
        }
      }
    }
    if (!this._validate(prog, lines, chipId)) return null;
    return lines.map((l) => l.offset);
  }

  /** validate_resolution(): every line found, none twice; prints one error per problem. */
  private _validate(prog: string, lines: { id: string; asOffset: number; resolved: boolean; offset: number }[], chipId: string | null): boolean {
    let valid = true;
    lines.forEach((l, i) => {
      if (l.resolved) {
        for (let j = 0; j < i; j++) {
          const p = lines[j] as (typeof lines)[number];
          if (p.resolved && p.offset === l.offset) {
            this._print(`${prog}: lines '${sanitizeForTerminal(p.id)}' and '${sanitizeForTerminal(l.id)}' are the same line\n`);
            valid = false;
            break;
          }
        }
        return;
      }
      valid = false;
      if (chipId !== null && l.asOffset !== -1) this._print(`${prog}: offset ${sanitizeForTerminal(l.id)} is out of range on chip '${sanitizeForTerminal(chipId)}'\n`);
      else this._print(`${prog}: cannot find line '${sanitizeForTerminal(l.id)}'\n`);
    });
    return valid;
  }

  private _gpiodetect(prog: string, argv: string[]): number {
    const { items, optind } = getopt(prog, argv, { short: 'hv', long: [LONG_HELP, LONG_VERSION] });
    for (const it of items) {
      if ('error' in it) return this._usageError(prog, it.error);
      if (it.key === 'h') return this._toolHelp(prog);
      if (it.key === 'v') return this._version(prog);
    }
    const chips = argv.slice(optind);
    const line = `${CHIP_NAME} [${CHIP_LABEL}] (${this._port.gpiolib.ngpio} lines)\n`;
    if (chips.length === 0) {
      if (this._present()) this._print(line);
      return 0;
    }
    let status = 0;
    for (const c of chips) {
      if (this._chipMatches(c)) {
        this._print(line);
      } else {
        this._print(`${prog}: cannot find GPIO chip character device '${sanitizeForTerminal(c)}'\n`);
        status = 1;
      }
    }
    return status;
  }

  private _usageError(prog: string, error: string): number {
    this._print(`${sanitizeForTerminal(error)}\n${prog}: try ${prog} --help\n`);
    return 1;
  }

  private _gpioinfo(prog: string, argv: string[]): number {
    const { items, optind } = getopt(prog, argv, {
      short: 'c:hsv',
      long: [{ name: 'by-name', arg: false, key: 'B' }, LONG_CHIP, LONG_HELP, LONG_STRICT, LONG_UNQUOTED, LONG_VERSION],
    });
    // Only -c, -B, -s, -Q, -h and -v reach here: the table above has no request options.
    const o: RequestCommon = { activeLow: false, unquoted: false, consumer: '', bias: '' };
    const sel: LineSelection = { chipId: null, byName: false, strict: false };
    for (const it of items) {
      if ('error' in it) return this._usageError(prog, it.error);
      const r = this._sharedOption(prog, it, o, sel);
      if (typeof r === 'number') return r;
    }
    const { chipId, strict } = sel;
    const unquoted = o.unquoted;
    // Without a chip, lines can only be found by name.
    const byName = sel.byName || chipId === null;
    const ids = argv.slice(optind);
    if (chipId !== null && !this._chipMatches(chipId)) return this._die(prog, `cannot find GPIO chip character device '${sanitizeForTerminal(chipId)}'`);
    const lines = ids.map((id) => ({ id, asOffset: byName ? -1 : parseUint(id), resolved: false, offset: 0 }));
    let found = 0;
    if (this._present()) {
      const n = this._port.gpiolib.ngpio;
      if (chipId !== null && !byName) {
        for (const l of lines) {
          if (l.asOffset !== -1 && l.asOffset < n) {
            l.resolved = true;
            l.offset = l.asOffset;
          }
        }
      }
      // list_lines(): in offset order, printing each line as soon as it matches.
      for (let off = 0; off < n && !(lines.length > 0 && !strict && found >= lines.length); off++) {
        if (lines.length > 0) {
          let match = false;
          const name = this._lineName(off);
          for (const l of lines) {
            if (l.resolved && l.offset === off) match = true;
            if (l.resolved && !strict) continue;
            if (name !== null && l.id === name) {
              l.resolved = true;
              l.offset = off;
              match = true;
            }
          }
          if (!match) continue;
          this._print(`${CHIP_NAME} ${off}\t${this._lineInfo(off, unquoted)}\n`);
        } else {
          if (off === 0) this._print(`${CHIP_NAME} - ${n} lines:\n`);
          this._print(`\tline ${String(off).padStart(3)}:\t${this._lineInfo(off, unquoted)}\n`);
        }
        found++;
      }
    }
    if (!this._validate(prog, lines, chipId)) return 1;
    return ids.length > 0 && found !== ids.length ? 1 : 0;
  }

  /** The name column and attributes of one line, as print_line_info() lays them out. */
  private _lineInfo(off: number, unquoted: boolean): string {
    const lib = this._port.gpiolib;
    const raw = this._lineName(off);
    const name = raw === null ? null : sanitizeForTerminal(raw);
    let col: string;
    if (name === null) col = 'unnamed'.padEnd(16) + '\t';
    else if (unquoted) col = name.padEnd(16) + '\t';
    else if (name.length <= 14) col = `"${name}"`.padEnd(16) + '\t';
    else col = `"${name}"\t`;
    const f = this._flags[off];
    let attrs = lib.isOut[off] ? 'output' : 'input';
    if (f?.activeLow) attrs += ' active-low';
    if (f?.bias) attrs += ` bias=${f.bias}`;
    const edges = f ? f.edges : (lib.edges[off] ?? 0);
    if (edges === EdgeFlags.Both) attrs += ' edges=both';
    else if (edges === EdgeFlags.Rising) attrs += ' edges=rising';
    else if (edges === EdgeFlags.Falling) attrs += ' edges=falling';
    if (f?.clock === 'realtime' || f?.clock === 'hte') attrs += ` event-clock=${f.clock}`;
    const consumer = lib.consumer[off];
    // FLAG_REQUESTED or FLAG_USED_AS_IRQ make the line "used"; an irq-only user is labelled "interrupt".
    if (consumer !== null && consumer !== undefined) {
      const c = consumer === '' ? 'kernel' : sanitizeForTerminal(consumer);
      attrs += unquoted ? ` consumer=${c}` : ` consumer="${c}"`;
    } else if (lib.usedAsIrq[off]) {
      attrs += unquoted ? ' consumer=interrupt' : ' consumer="interrupt"';
    }
    return col + attrs;
  }

  /**
   * The options the line tools share, parsed the one way libgpiod's tools all do.
   * Returns an exit status to stop with, true when the option was one of them,
   * false when the tool parses it itself.
   */
  private _sharedOption(prog: string, it: { key: string; arg: string }, o: RequestCommon, sel: LineSelection): number | boolean {
    switch (it.key) {
      case 'h':
        return this._toolHelp(prog);
      case 'v':
        return this._version(prog);
      case 'b': {
        const b = parseBias(it.arg);
        if (b === null) return this._die(prog, `invalid bias: ${sanitizeForTerminal(it.arg)}`);
        o.bias = b;
        return true;
      }
      case 'B':
        sel.byName = true;
        return true;
      case 'c':
        sel.chipId = it.arg;
        return true;
      case 'C':
        o.consumer = it.arg;
        return true;
      case 'l':
        o.activeLow = true;
        return true;
      case 'Q':
        o.unquoted = true;
        return true;
      case 's':
        sel.strict = true;
        return true;
      default:
        return false;
    }
  }

  private _gpioget(prog: string, argv: string[]): number | Job {
    const { items, optind } = getopt(prog, argv, {
      short: 'ab:c:C:hlp:sv',
      long: [
        { name: 'active-low', arg: false, key: 'l' },
        { name: 'as-is', arg: false, key: 'a' },
        LONG_BIAS,
        { name: 'by-name', arg: false, key: 'B' },
        LONG_CHIP,
        LONG_CONSUMER,
        LONG_HELP,
        { name: 'hold-period', arg: true, key: 'p' },
        { name: 'numeric', arg: false, key: 'N' },
        LONG_STRICT,
        LONG_UNQUOTED,
        LONG_VERSION,
      ],
    });
    const o: GetOptions = { asIs: false, activeLow: false, numeric: false, unquoted: false, consumer: 'gpioget', bias: '', holdNs: 0 };
    const sel: LineSelection = { chipId: null, byName: false, strict: false };
    for (const it of items) {
      if ('error' in it) return this._usageError(prog, it.error);
      const r = this._sharedOption(prog, it, o, sel);
      if (typeof r === 'number') return r;
      if (r) continue;
      switch (it.key) {
        case 'a':
          o.asIs = true;
          break;
        case 'N':
          o.numeric = true;
          break;
        case 'p': {
          const p = parsePeriodNs(it.arg);
          if (p < 0 || p > MAX_WAIT_NS) return this._die(prog, `invalid period: ${sanitizeForTerminal(it.arg)}`);
          o.holdNs = p;
          break;
        }
      }
    }
    const ids = argv.slice(optind);
    if (ids.length < 1) return this._die(prog, 'at least one GPIO line must be specified');
    const offsets = this._resolve(prog, ids, sel.chipId, sel.strict, sel.byName);
    if (!offsets) return 1;
    return new GetJob(this._jobHost, prog, ids, offsets, o);
  }

  private _gpioset(prog: string, argv: string[]): number | Job {
    const { items, optind } = getopt(prog, argv, {
      short: 'b:c:C:d:hlp:st:vz',
      long: [
        { name: 'active-low', arg: false, key: 'l' },
        { name: 'banner', arg: false, key: '-' },
        LONG_BIAS,
        { name: 'by-name', arg: false, key: 'B' },
        LONG_CHIP,
        LONG_CONSUMER,
        { name: 'daemonize', arg: false, key: 'z' },
        { name: 'drive', arg: true, key: 'd' },
        LONG_HELP,
        { name: 'hold-period', arg: true, key: 'p' },
        LONG_STRICT,
        { name: 'toggle', arg: true, key: 't' },
        LONG_UNQUOTED,
        LONG_VERSION,
      ],
    });
    const o: SetOptions = { activeLow: false, unquoted: false, banner: false, daemonize: false, consumer: 'gpioset', bias: '', holdNs: 0, toggles: [] };
    const sel: LineSelection = { chipId: null, byName: false, strict: false };
    for (const it of items) {
      if ('error' in it) return this._usageError(prog, it.error);
      const r = this._sharedOption(prog, it, o, sel);
      if (typeof r === 'number') return r;
      if (r) continue;
      switch (it.key) {
        case '-':
          o.banner = true;
          break;
        case 'd':
          if (it.arg === 'push-pull') break;
          if (it.arg === 'open-drain' || it.arg === 'open-source') {
            // gpiolib would emulate these by switching the line to input for one of the levels; not modelled.
            return this._die(prog, `drive '${it.arg}' is not modelled by this simulator (gpio-virtio has no .set_config; only push-pull is simulated)`);
          }
          return this._die(prog, `invalid drive: ${sanitizeForTerminal(it.arg)}`);
        case 'p': {
          const p = parsePeriodNs(it.arg);
          if (p < 0 || p > MAX_WAIT_NS) return this._die(prog, `invalid period: ${sanitizeForTerminal(it.arg)}`);
          o.holdNs = p;
          break;
        }
        case 't': {
          const periods: number[] = [];
          for (const part of it.arg.split(',')) {
            const p = parsePeriodNs(part);
            if (p < 0 || p > MAX_WAIT_NS) return this._die(prog, `invalid period: ${sanitizeForTerminal(part)}`);
            periods.push(p);
          }
          o.toggles = periods;
          break;
        }
        case 'z':
          o.daemonize = true;
          break;
      }
    }
    const lvs = argv.slice(optind);
    if (lvs.length < 1) return this._die(prog, 'at least one GPIO line value must be specified');
    const ids: string[] = [];
    const values: number[] = [];
    for (const lv of lvs) {
      // parse_line_values(): 'line=value' or '"line"=value'.
      let id: string;
      let val: string;
      if (lv[0] !== '"') {
        const eq = lv.indexOf('=');
        if (eq < 0) return this._die(prog, `invalid line value: '${sanitizeForTerminal(lv)}'`);
        id = lv.slice(0, eq);
        val = lv.slice(eq + 1);
      } else {
        const q = lv.indexOf('"=', 1);
        if (q < 0) return this._die(prog, `invalid line value: '${sanitizeForTerminal(lv)}'`);
        id = lv.slice(1, q);
        val = lv.slice(q + 2);
      }
      const v = parseLineValue(val);
      if (v < 0) return this._die(prog, `invalid line value: '${sanitizeForTerminal(val)}'`);
      ids.push(id);
      values.push(v);
    }
    const offsets = this._resolve(prog, ids, sel.chipId, sel.strict, sel.byName);
    if (!offsets) return 1;
    return new SetJob(this._jobHost, prog, ids, offsets, values, o);
  }

  private _gpiomon(prog: string, argv: string[]): number | Job {
    const { items, optind } = getopt(prog, argv, {
      short: 'b:c:C:e:E:hF:ln:p:qsv',
      long: [
        { name: 'active-low', arg: false, key: 'l' },
        { name: 'banner', arg: false, key: '-' },
        LONG_BIAS,
        { name: 'by-name', arg: false, key: 'B' },
        LONG_CHIP,
        LONG_CONSUMER,
        { name: 'debounce-period', arg: true, key: 'p' },
        { name: 'edges', arg: true, key: 'e' },
        { name: 'event-clock', arg: true, key: 'E' },
        { name: 'format', arg: true, key: 'F' },
        LONG_HELP,
        { name: 'idle-timeout', arg: true, key: 'i' },
        { name: 'localtime', arg: false, key: 'L' },
        { name: 'num-events', arg: true, key: 'n' },
        { name: 'quiet', arg: false, key: 'q' },
        { name: 'silent', arg: false, key: 'q' },
        LONG_STRICT,
        LONG_UNQUOTED,
        { name: 'utc', arg: false, key: 'U' },
        LONG_VERSION,
      ],
    });
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
    };
    const sel: LineSelection = { chipId: null, byName: false, strict: false };
    for (const it of items) {
      if ('error' in it) return this._usageError(prog, it.error);
      const r = this._sharedOption(prog, it, o, sel);
      if (typeof r === 'number') return r;
      if (r) continue;
      switch (it.key) {
        case '-':
          o.banner = true;
          break;
        case 'e':
          if (it.arg !== 'rising' && it.arg !== 'falling' && it.arg !== 'both') return this._die(prog, `invalid edges: ${sanitizeForTerminal(it.arg)}`);
          o.edges = it.arg;
          break;
        case 'E':
          if (it.arg !== 'monotonic' && it.arg !== 'realtime' && it.arg !== 'hte') return this._die(prog, `invalid event clock: ${sanitizeForTerminal(it.arg)}`);
          o.clock = it.arg;
          break;
        case 'F':
          o.format = it.arg;
          break;
        case 'i': {
          const p = parsePeriodNs(it.arg);
          if (p < 0 || p > MAX_WAIT_NS) return this._die(prog, `invalid period: ${sanitizeForTerminal(it.arg)}`);
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
          if (n < 0) return this._die(prog, `invalid number: '${sanitizeForTerminal(it.arg)}'`);
          o.eventsWanted = n;
          break;
        }
        case 'p': {
          const p = parsePeriodNs(it.arg);
          if (p < 0) return this._die(prog, `invalid period: ${sanitizeForTerminal(it.arg)}`);
          if (p > 0) return this._die(prog, 'debounce is not modelled by this simulator (Linux would debounce in software: gpio-virtio has no .set_config)');
          break;
        }
        case 'q':
          o.quiet = true;
          break;
      }
    }
    // The default clock / format pairs: realtime when a date format is asked for, dates for realtime.
    if (o.clock === '') o.clock = o.timestampFormat ? 'realtime' : 'monotonic';
    else if (o.clock === 'realtime' && o.timestampFormat === 0) o.timestampFormat = 1;
    const ids = argv.slice(optind);
    if (ids.length < 1) return this._die(prog, 'at least one GPIO line must be specified');
    if (ids.length > MAX_MON_LINES) return this._die(prog, 'too many lines given');
    if (o.clock === 'hte') return this._die(prog, `unable to request lines on chip ${CHIP_PATH}: ${strerror(-95)} (no hardware timestamp engine in this guest)`);
    o.chipId = sel.chipId;
    const offsets = this._resolve(prog, ids, sel.chipId, sel.strict, sel.byName);
    if (!offsets) return 1;
    return new MonJob(this._jobHost, prog, ids, offsets, o);
  }

  // ---- simulator verbs ----------------------------------------------------------------

  /** A line for a simulator verb: by the device's line name, else by offset. */
  private _verbLine(verb: string, ref: string | undefined): number | null {
    const n = this._port.ngpio;
    if (ref === undefined) {
      this._print(`${verb}: missing line (a name or an offset 0..${n - 1})\n`);
      return null;
    }
    const names = this._port.lineNames();
    if (names) {
      const i = names.indexOf(ref);
      if (i >= 0 && ref !== '') return i;
    }
    if (/^\d{1,6}$/.test(ref) && Number(ref) < n) return Number(ref);
    this._print(`${verb}: no line '${sanitizeForTerminal(ref)}' (give a line name or an offset 0..${n - 1})\n`);
    return null;
  }

  private _duration(verb: string, what: string, text: string | undefined, min: number): number | null {
    if (text === undefined) {
      this._print(`${verb}: missing ${what} (a duration such as 50us, 1.5ms or 2s)\n`);
      return null;
    }
    const ns = parseDuration(text);
    if (ns === null || ns < min || ns > MAX_WAIT_NS) {
      this._print(`${verb}: invalid ${what} '${sanitizeForTerminal(text)}' (a duration from ${formatNs(min)} to 1 hour, with a unit: ns, us, ms or s)\n`);
      return null;
    }
    return ns;
  }

  private _bit(verb: string, text: string | undefined): 0 | 1 | null {
    if (text === '0' || text === 'low') return 0;
    if (text === '1' || text === 'high') return 1;
    this._print(`${verb}: ${text === undefined ? 'missing level' : `invalid level '${sanitizeForTerminal(text)}'`} (0 or 1)\n`);
    return null;
  }

  private _verb(verb: string, args: string[]): number {
    const usage: Record<string, string> = {
      drive: 'drive <line> <0|1>',
      release: 'release <line>',
      pulse: 'pulse <line> <width> [0|1]',
      press: 'press <line> [hold|down|up]',
      clock: 'clock <line> <period> [count]',
      assert: 'assert <line>',
      irq: 'irq <line> <trigger>',
    };
    const max: Record<string, number> = { drive: 2, release: 1, pulse: 3, press: 2, clock: 3, assert: 1, irq: 2 };
    if (args.length > (max[verb] as number)) {
      this._print(`${verb}: too many arguments (usage: ${usage[verb]})\n`);
      return 2;
    }
    const line = this._verbLine(verb, args[0]);
    if (line === null) return 1;
    const action = this._verbAction(verb, line, args);
    if (action === null) return 1;
    const err = this._port.act(action);
    if (err) {
      this._print(`${verb}: ${err.message}${verb === 'press' ? '; use drive or pulse' : ''}\n`);
      return 1;
    }
    // `press <line> <hold>`: the release is the verb's own, a hold time later.
    if (verb === 'press' && action.do === 'press' && args[1] !== 'down' && args[1] !== 'up') {
      const hold = args[1] === undefined ? DEFAULT_PRESS_NS : (this._duration(verb, 'hold time', args[1], 1) as number);
      this._setTimer(hold, () => void this._port.act({ do: 'press', line, pressed: false }));
    }
    return 0;
  }

  /** Text -> action for a verb on `line`; null (with a message printed) when the arguments are wrong. */
  private _verbAction(verb: string, line: number, args: string[]): Action | null {
    switch (verb) {
      case 'drive': {
        const b = this._bit(verb, args[1]);
        return b === null ? null : { do: 'drive', line, level: b };
      }
      case 'release':
        return { do: 'release', line };
      case 'pulse': {
        const w = this._duration(verb, 'width', args[1], 1);
        if (w === null) return null;
        const b = args[2] === undefined ? 1 : this._bit(verb, args[2]);
        return b === null ? null : { do: 'pulse', line, level: b, widthNs: w };
      }
      case 'press': {
        const a = args[1];
        if (a === 'down' || a === 'up') return { do: 'press', line, pressed: a === 'down' };
        // The hold time is checked now, before anything is pressed.
        if (a !== undefined && this._duration(verb, 'hold time', a, 1) === null) return null;
        return { do: 'press', line, pressed: true };
      }
      case 'clock': {
        const period = this._duration(verb, 'period', args[1], 100);
        if (period === null) return null;
        let count: number | null = null;
        if (args[2] !== undefined) {
          if (!/^\d{1,9}$/.test(args[2]) || Number(args[2]) < 1) {
            this._print(`clock: invalid count '${sanitizeForTerminal(args[2])}' (a number of periods, at least 1)\n`);
            return null;
          }
          count = Number(args[2]);
        }
        return { do: 'clock', line, periodNs: period, highNs: Math.floor(period / 2), count };
      }
      case 'assert':
        return { do: 'assert', line };
      default: {
        // irq: irq_set_irq_type() on the live interrupt of the irq-consumer client of that line.
        const t = args[1];
        const code = t === undefined ? undefined : (IRQ_TYPES.codeOf(t) ?? IRQ_TYPES.codeOf(TRIGGER_ALIASES[t] ?? ''));
        if (code === undefined) {
          this._print(`irq: ${t === undefined ? 'missing trigger' : `invalid trigger '${sanitizeForTerminal(t)}'`} (${IRQ_TYPES.names.join(', ')})\n`);
          return null;
        }
        const client = this._port.consumerOn(line);
        if (client < 0) {
          this._print(`irq: no irq-consumer client on line ${line} (the scenario's clients own interrupts; gpiomon uses its own)\n`);
          return null;
        }
        return { do: 'irq-type', client, trigger: code };
      }
    }
  }

  private _run(args: string[]): number {
    const ns = this._duration('run', 'duration', args[0], 1);
    if (ns === null) return 1;
    if (args.length > 1) {
      this._print('run: too many arguments (usage: run <duration>)\n');
      return 2;
    }
    const runFor = this.runFor;
    if (!runFor) {
      this._print("run: simulated time is driven by the app's controls here (play / step), not by the shell\n");
      return 1;
    }
    if (this._running) {
      this._print('run: already running\n');
      return 1;
    }
    this._running = true;
    try {
      runFor(ns);
    } finally {
      this._running = false;
    }
    return 0;
  }

  private _levels(args: string[]): number {
    const n = this._port.ngpio;
    let lines: number[] = [];
    if (args.length === 0) lines = Array.from({ length: n }, (_, i) => i);
    for (const a of args) {
      const l = this._verbLine('levels', a);
      if (l === null) return 1;
      lines.push(l);
    }
    const wire = this._port.wire;
    const names = this._port.lineNames();
    for (const i of lines) {
      const nm = names?.[i] ? `"${sanitizeForTerminal(names[i] as string)}"` : 'unnamed';
      const dev = wire.deviceDrive[i] as number;
      const w = wire.worldDrive[i] as number;
      let by: string;
      if (dev >= 0) by = `device output (${dev})`;
      else if (w >= 0) by = `world (${w})`;
      else by = `pull-${wire.pull[i] ?? 'none'}`;
      if (wire.contended[i]) by += `, contention: world drives ${w}`;
      this._print(`${String(i).padStart(4)}  ${nm.padEnd(18)}${wire.level[i]}  ${by}\n`);
    }
    return 0;
  }

  // ---- help -------------------------------------------------------------------------

  private _help(args: string[]): number {
    const topic = args[0];
    if (topic !== undefined && TOOLS.has(topic)) return this._toolHelp(topic);
    this._print(HELP_TEXT);
    return 0;
  }

  private _toolHelp(prog: string): number {
    this._print(TOOL_HELP[prog] ?? '');
    return 0;
  }
}

const LONG_HELP: LongOpt = { name: 'help', arg: false, key: 'h' };
const LONG_VERSION: LongOpt = { name: 'version', arg: false, key: 'v' };
const LONG_CHIP: LongOpt = { name: 'chip', arg: true, key: 'c' };
const LONG_STRICT: LongOpt = { name: 'strict', arg: false, key: 's' };
const LONG_UNQUOTED: LongOpt = { name: 'unquoted', arg: false, key: 'Q' };
const LONG_BIAS: LongOpt = { name: 'bias', arg: true, key: 'b' };
const LONG_CONSUMER: LongOpt = { name: 'consumer', arg: true, key: 'C' };

const TRIGGER_ALIASES: Readonly<Record<string, string>> = { rising: 'edge-rising', falling: 'edge-falling', both: 'edge-both', high: 'level-high', low: 'level-low' };

function parseBias(s: string): string | null {
  return s === 'pull-up' || s === 'pull-down' || s === 'disabled' ? s : null;
}

/** gpioset values: 1/0, active/inactive, on/off, true/false; -1 otherwise. */
function parseLineValue(s: string): number {
  if (s === '1' || s === 'active' || s === 'on' || s === 'true') return 1;
  if (s === '0' || s === 'inactive' || s === 'off' || s === 'false') return 0;
  return -1;
}

/** bash's job status words. */
function jobLabel(status: number, sig: number): string {
  if (sig === SIGINT) return 'Interrupt';
  if (sig === SIGTERM) return 'Terminated';
  if (sig === SIGKILL) return 'Killed';
  return status === 0 ? 'Done' : `Exit ${status}`;
}

const HELP_TEXT = `vgpio-lab shell: the libgpiod v2 tools, run inside the simulated guest, plus simulator verbs.

libgpiod tools (add --help to any of them; lines by name, or by offset with -c gpiochip0):
  gpiodetect [chip]...                   list GPIO chips
  gpioinfo [-c chip] [line]...           directions, edges and consumers (from gpiolib, no device traffic)
  gpioget [-a] [-c chip] <line>...       read lines (requested as inputs unless -a)
  gpioset [-z] [-t period[,period]...] [-c chip] <line=value>...
                                         drive outputs and hold them until Ctrl-C (-z: in the background)
  gpiomon [-e edges] [-n N] [-F format] [-c chip] <line>...
                                         print edge events until Ctrl-C or N events

Simulator verbs (the world outside the device; they work while a job runs):
  drive <line> <0|1>              drive an input line from outside
  release <line>                  stop driving it (stops a clock too); it falls back to its pull
  pulse <line> <width> [0|1]      a pulse to a level and back, e.g. pulse button 50us
  press <line> [hold|down|up]     press a button line (default: released after 100ms)
  clock <line> <period> [count]   a square wave, e.g. clock 3 1ms 10
  assert <line>                   a level source asserts its interrupt
  irq <line> <trigger>            irq_set_irq_type() on the irq-consumer of that line:
                                  none, edge-rising, edge-falling, edge-both, level-high, level-low
  run <duration>                  advance simulated time, e.g. run 1ms
  time                            the simulated time
  levels [line]...                each line's level and what drives it

Shell: 'command &' runs in the background; jobs, fg [%N], kill [%N|pid], echo, clear, help.
Ctrl-C stops the foreground job; a job waiting on the device stops when its request completes.
`;

const CHIP_HELP = `
Chips:
    A GPIO chip may be given by number, name or path:
    '0', 'gpiochip0' and '/dev/gpiochip0' all name the same chip.
`;

const PERIOD_HELP = `
Periods:
    A period is in milliseconds unless it has a unit: 'us', 'ms', 's' or 'm' (minutes), e.g. 10us.
`;

const TOOL_HELP: Record<string, string> = {
  gpiodetect: `Usage: gpiodetect [OPTIONS] [chip]...

List the GPIO chips with their labels and numbers of lines (all chips when none is given).
A chip may be given by number, name or path: '0', 'gpiochip0' and '/dev/gpiochip0' are the same chip.

Options:
  -h, --help\t\tthis help
  -v, --version\t\tversion information
`,
  gpioinfo:
    `Usage: gpioinfo [OPTIONS] [line]...

Show information about GPIO lines (all lines when none is given).
Lines are given by name, or by offset when a chip is given.

Options:
      --by-name\t\ttake lines as names even when they look like offsets
  -c, --chip <chip>\tonly this chip
  -h, --help\t\tthis help
  -s, --strict\t\tshow every line with a matching name, not only the first
      --unquoted\tdo not quote line and consumer names
  -v, --version\t\tversion information
` + CHIP_HELP,
  gpioget:
    `Usage: gpioget [OPTIONS] <line>...

Read the values of GPIO lines.
Lines are given by name, or by offset when a chip is given.

Options:
  -a, --as-is\t\tkeep the line's direction (default: switch it to input)
  -b, --bias <bias>\tpull-up, pull-down or disabled (recorded; virtio-gpio has no bias control)
      --by-name\t\ttake lines as names even when they look like offsets
  -c, --chip <chip>\tonly this chip
  -C, --consumer <name>\tconsumer label (default 'gpioget')
  -h, --help\t\tthis help
  -l, --active-low\tthe lines are active low
  -p, --hold-period <period>
\t\t\twait this long between requesting the lines and reading them
      --numeric\t\tprint values as 0 (inactive) and 1 (active)
  -s, --strict\t\tfail if a line name is not unique
      --unquoted\tdo not quote line names
  -v, --version\t\tversion information
` +
    CHIP_HELP +
    PERIOD_HELP,
  gpioset:
    `Usage: gpioset [OPTIONS] <line=value>...

Set the values of GPIO lines and hold them.
Lines are given by name, or by offset when a chip is given.
Values are 1/0, active/inactive, on/off or true/false.
The lines keep their values only while gpioset runs: it does not exit until stopped (Ctrl-C, or kill with -z).

Options:
      --banner\t\tprint a banner once the lines are set
  -b, --bias <bias>\tpull-up, pull-down or disabled (recorded; virtio-gpio has no bias control)
      --by-name\t\ttake lines as names even when they look like offsets
  -c, --chip <chip>\tonly this chip
  -C, --consumer <name>\tconsumer label (default 'gpioset')
  -d, --drive <drive>\tpush-pull (open-drain and open-source are not simulated)
  -h, --help\t\tthis help
  -l, --active-low\tthe lines are active low
  -p, --hold-period <period>
\t\t\thold the values at least this long
  -s, --strict\t\tfail if a line name is not unique
  -t, --toggle <period>[,period]...
\t\t\ttoggle the lines after each period in turn; a final 0 exits, else the sequence repeats
  -v, --version\t\tversion information
  -z, --daemonize\tset the values, then keep holding them in the background
` +
    CHIP_HELP +
    PERIOD_HELP,
  gpiomon:
    `Usage: gpiomon [OPTIONS] <line>...

Wait for edge events on GPIO lines and print them.
Lines are given by name, or by offset when a chip is given.

Options:
      --banner\t\tprint a banner once monitoring starts
  -b, --bias <bias>\tpull-up, pull-down or disabled (recorded; virtio-gpio has no bias control)
      --by-name\t\ttake lines as names even when they look like offsets
  -c, --chip <chip>\tonly this chip
  -C, --consumer <name>\tconsumer label (default 'gpiomon')
  -e, --edges <edges>\trising, falling or both (default both)
  -E, --event-clock <clock>
\t\t\tmonotonic (default) or realtime (the simulated guest boots at the epoch, in UTC)
  -F, --format <fmt>\tprint events with this format (see below)
  -h, --help\t\tthis help
      --idle-timeout <period>
\t\t\texit when no event came for this long
  -l, --active-low\tthe lines are active low (rising and falling swap)
      --localtime\tprint timestamps as dates (local time is UTC here)
  -n, --num-events <num>\texit after this many events
  -q, --quiet\t\tprint nothing
  -s, --strict\t\tfail if a line name is not unique
      --unquoted\tdo not quote line names
      --utc\t\tprint timestamps as UTC dates
  -v, --version\t\tversion information
` +
    CHIP_HELP +
    PERIOD_HELP +
    `
Format specifiers:
  %o   line offset
  %l   line name
  %c   chip name
  %e   edge as a number (1 rising, 2 falling)
  %E   edge (rising or falling)
  %S   timestamp in seconds
  %U   timestamp as a UTC date
  %L   timestamp as a local date
  %%   a percent sign
`,
};
