/**
 * The Shell class: command lines in, text out. exec() and interrupt(), the
 * prompt and type-ahead, output and the transcript, timers, job control,
 * the builtins (help, clear, echo, jobs, kill, fg, time), and the table that
 * sends a command name to a libgpiod tool (tools/) or a simulator verb
 * (verbs.ts). The output contract hosts rely on is described in index.ts.
 */
import { formatNs, formatSecNs } from '../../clock/time';
import { sanitizeForTerminal } from '../line-editor';
import { printHelp } from './help';
import { jobLabel, SIGINT, SIGKILL, SIGTERM, type Job, type JobHost, type LineFlags } from './jobs';
import type { ShellPort } from './port';
import { shellQuote, tokenize } from './tokenizer';
import { CHIP_NAME, type ToolContext, type ToolMain } from './tools/context';
import { gpiodetect } from './tools/gpiodetect';
import { gpioget } from './tools/gpioget';
import { gpioinfo } from './tools/gpioinfo';
import { gpiomon } from './tools/gpiomon';
import { gpionotify } from './tools/gpionotify';
import { gpioset } from './tools/gpioset';
import { ACTION_VERBS, Verbs } from './verbs';

export const SHELL_PROMPT = '$ ';
/** Longest command line accepted. */
export const MAX_COMMAND_LENGTH = 4096;
/** exec() of exactly this string is Ctrl-C (so a recorded interrupt can be a shell step). */
export const SHELL_INTERRUPT = '\x03';
/** The transcript keeps about the last megabyte. */
const TRANSCRIPT_MAX = 1 << 20;
const TRANSCRIPT_SLACK = 1 << 18;

const SHELL_NAME = 'vsh';

const CONTROL_RE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;

/** The libgpiod tools, by command name. */
const TOOLS: ReadonlyMap<string, ToolMain> = new Map([
  ['gpiodetect', gpiodetect],
  ['gpioinfo', gpioinfo],
  ['gpioget', gpioget],
  ['gpioset', gpioset],
  ['gpiomon', gpiomon],
  ['gpionotify', gpionotify],
]);
/** Simulator verbs and shell builtins that still work while a foreground job runs. */
const ALWAYS = new Set(['help', 'clear', 'jobs', 'kill', 'echo', 'time', 'levels', ...ACTION_VERBS, 'run']);
const COMMANDS = [...TOOLS.keys(), ...ALWAYS, 'fg'];
/** Words that act on the simulated world: they reach the shell even while a job reads the terminal. */
const SIM_VERBS = new Set([...ACTION_VERBS, 'levels', 'time', 'run']);

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
  private readonly _flags: (LineFlags | undefined)[] = [];
  private readonly _jobHost: JobHost;
  private readonly _toolContext: ToolContext;
  private readonly _verbs: Verbs;

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
    this._toolContext = { port, jobs: this._jobHost, print: (text) => this._print(text) };
    this._verbs = new Verbs({ port, print: (text) => this._print(text), setTimer: (ns, fn) => this._setTimer(ns, fn), runner: () => this.runFor });
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
    // A foreground job reading the terminal (gpioset -i) gets the line; simulator verbs still reach the shell.
    const fg = this._fg;
    if (fg?.readsInput && !SIM_VERBS.has(/^\s*(\S*)/.exec(line)?.[1] ?? '')) {
      fg.input(line);
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
    const tool = TOOLS.get(cmd);
    if (tool) return this._runTool(tool, cmd, args, tk.background, sanitizeForTerminal(tk.words.map(shellQuote).join(' ')));
    let status: number;
    switch (cmd) {
      case 'help':
        status = printHelp(this._toolContext, args);
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
        status = this._verbs.levels(args);
        break;
      case 'run':
        status = this._verbs.run(args);
        break;
      default: {
        if (ACTION_VERBS.has(cmd)) {
          status = this._verbs.verb(cmd, args);
          break;
        }
        const hint = COMMANDS.find((c) => c.toLowerCase() === cmd.toLowerCase());
        this._print(`${SHELL_NAME}: ${shownCmd}: command not found${hint ? ` (did you mean '${hint}'?)` : " (type 'help')"}\n`);
        status = 127;
      }
    }
    this.lastStatus = status;
  }

  // ---- jobs -------------------------------------------------------------------------

  private _runTool(tool: ToolMain, cmd: string, args: string[], background: boolean, text: string): void {
    let num = 0;
    let pid = 0;
    if (background) {
      num = this._jobNumber();
      pid = this._nextPid++;
      this._print(`[${num}] ${pid}\n`);
    }
    const r = tool(this._toolContext, cmd, args);
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
}
