/**
 * The simulator verbs: the world outside the device. drive, release, pulse,
 * press, clock, assert and irq turn their words into an `Action` and carry it
 * out through the port's act(); `levels` reads the wire; `run` asks the host
 * to advance simulated time.
 */
import type { Action } from '../../actions';
import { formatNs, parseDuration } from '../../clock/time';
import { IRQ_TYPES } from '../../gpio/constants';
import { sanitizeForTerminal } from '../line-editor';
import { MAX_WAIT_NS } from './formats';
import type { ShellPort } from './port';

/** The verbs that become an action. */
export const ACTION_VERBS: ReadonlySet<string> = new Set(['drive', 'release', 'pulse', 'press', 'clock', 'assert', 'irq']);

const DEFAULT_PRESS_NS = 100_000_000;

const TRIGGER_ALIASES: Readonly<Record<string, string>> = { rising: 'edge-rising', falling: 'edge-falling', both: 'edge-both', high: 'level-high', low: 'level-low' };

/** What the verbs need from the shell. */
export interface VerbContext {
  readonly port: ShellPort;
  /** Output of the command being executed. */
  print(text: string): void;
  /** Calls `fn` after `ns` of simulated time. */
  setTimer(ns: number, fn: () => void): number;
  /** The host's way to advance simulated time (Shell.runFor, set after construction), or null. */
  runner(): ((ns: number) => void) | null;
}

export class Verbs {
  private readonly _ctx: VerbContext;
  private _running = false;

  constructor(ctx: VerbContext) {
    this._ctx = ctx;
  }

  /** A line for a simulator verb: by the device's line name, else by offset. */
  private _verbLine(verb: string, ref: string | undefined): number | null {
    const n = this._ctx.port.ngpio;
    if (ref === undefined) {
      this._ctx.print(`${verb}: missing line (a name or an offset 0..${n - 1})\n`);
      return null;
    }
    const names = this._ctx.port.lineNames();
    if (names) {
      const i = names.indexOf(ref);
      if (i >= 0 && ref !== '') return i;
    }
    if (/^\d{1,6}$/.test(ref) && Number(ref) < n) return Number(ref);
    this._ctx.print(`${verb}: no line '${sanitizeForTerminal(ref)}' (give a line name or an offset 0..${n - 1})\n`);
    return null;
  }

  private _duration(verb: string, what: string, text: string | undefined, min: number): number | null {
    if (text === undefined) {
      this._ctx.print(`${verb}: missing ${what} (a duration such as 50us, 1.5ms or 2s)\n`);
      return null;
    }
    const ns = parseDuration(text);
    if (ns === null || ns < min || ns > MAX_WAIT_NS) {
      this._ctx.print(`${verb}: invalid ${what} '${sanitizeForTerminal(text)}' (a duration from ${formatNs(min)} to 1 hour, with a unit: ns, us, ms or s)\n`);
      return null;
    }
    return ns;
  }

  private _bit(verb: string, text: string | undefined): 0 | 1 | null {
    if (text === '0' || text === 'low') return 0;
    if (text === '1' || text === 'high') return 1;
    this._ctx.print(`${verb}: ${text === undefined ? 'missing level' : `invalid level '${sanitizeForTerminal(text)}'`} (0 or 1)\n`);
    return null;
  }

  /** drive, release, pulse, press, clock, assert, irq: the arguments as an action, carried out through the port. */
  verb(verb: string, args: string[]): number {
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
      this._ctx.print(`${verb}: too many arguments (usage: ${usage[verb]})\n`);
      return 2;
    }
    const line = this._verbLine(verb, args[0]);
    if (line === null) return 1;
    const action = this._verbAction(verb, line, args);
    if (action === null) return 1;
    const err = this._ctx.port.act(action);
    if (err) {
      this._ctx.print(`${verb}: ${err.message}${verb === 'press' ? '; use drive or pulse' : ''}\n`);
      return 1;
    }
    // `press <line> <hold>`: the release is the verb's own, a hold time later.
    if (verb === 'press' && action.do === 'press' && args[1] !== 'down' && args[1] !== 'up') {
      const hold = args[1] === undefined ? DEFAULT_PRESS_NS : (this._duration(verb, 'hold time', args[1], 1) as number);
      this._ctx.setTimer(hold, () => void this._ctx.port.act({ do: 'press', line, pressed: false }));
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
            this._ctx.print(`clock: invalid count '${sanitizeForTerminal(args[2])}' (a number of periods, at least 1)\n`);
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
          this._ctx.print(`irq: ${t === undefined ? 'missing trigger' : `invalid trigger '${sanitizeForTerminal(t)}'`} (${IRQ_TYPES.names.join(', ')})\n`);
          return null;
        }
        const client = this._ctx.port.consumerOn(line);
        if (client < 0) {
          this._ctx.print(`irq: no irq-consumer client on line ${line} (the scenario's clients own interrupts; gpiomon uses its own)\n`);
          return null;
        }
        return { do: 'irq-type', client, trigger: code };
      }
    }
  }

  /** `run <duration>`: advances simulated time through the host. */
  run(args: string[]): number {
    const ns = this._duration('run', 'duration', args[0], 1);
    if (ns === null) return 1;
    if (args.length > 1) {
      this._ctx.print('run: too many arguments (usage: run <duration>)\n');
      return 2;
    }
    const runFor = this._ctx.runner();
    if (!runFor) {
      this._ctx.print("run: simulated time is driven by the app's controls here (play / step), not by the shell\n");
      return 1;
    }
    if (this._running) {
      this._ctx.print('run: already running\n');
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

  /** `levels [line]...`: each line's level and what drives it. */
  levels(args: string[]): number {
    const n = this._ctx.port.ngpio;
    let lines: number[] = [];
    if (args.length === 0) lines = Array.from({ length: n }, (_, i) => i);
    for (const a of args) {
      const l = this._verbLine('levels', a);
      if (l === null) return 1;
      lines.push(l);
    }
    const wire = this._ctx.port.wire;
    const names = this._ctx.port.lineNames();
    for (const i of lines) {
      const nm = names?.[i] ? `"${sanitizeForTerminal(names[i] as string)}"` : 'unnamed';
      const dev = wire.deviceDrive[i] as number;
      const w = wire.worldDrive[i] as number;
      let by: string;
      if (dev >= 0) by = `device output (${dev})`;
      else if (w >= 0) by = `world (${w})`;
      else by = `pull-${wire.pull[i] ?? 'none'}`;
      if (wire.contended[i]) by += `, contention: world drives ${w}`;
      this._ctx.print(`${String(i).padStart(4)}  ${nm.padEnd(18)}${wire.level[i]}  ${by}\n`);
    }
    return 0;
  }
}
