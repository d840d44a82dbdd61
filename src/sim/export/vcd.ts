import { DIRECTION_NAMES, IRQ_TYPE_NAMES, MSG_NAMES, MSG_SET_DIRECTION, MSG_SET_IRQ_TYPE, MSG_SET_VALUE } from '../gpio/constants';
import { RULES } from '../check/rules';
import { Flag } from '../guest/gpio-driver';
import { ACTION_KINDS } from '../actions';
import type { Machine } from '../machine';
import { DELIVERY_NAMES, DeliveryResult, EventCause, ORACLE_NAMES, TK } from '../trace/kinds';
import type { TraceEvent } from '../trace/trace';
import { describeStatus } from '../virtio/device-status';

/**
 * Value Change Dump (IEEE 1364 §18) of a machine's trace, for PulseView
 * (libsigrok) and GTKWave.
 *
 * `wires` mode declares only `$var wire 1` signals, the subset libsigrok reads.
 * `rich` mode adds `$var string 0` lanes (message names, trigger types, driver
 * flags, device interrupt events, oracle labels, violations): a de-facto
 * extension GTKWave and Surfer show and libsigrok skips with a warning.
 *
 * Timescale. libsigrok resamples a VCD onto a constant rate of one sample per
 * timescale unit, so `1 ns` costs a thousand times the samples of `1 us`. The
 * default (`auto`) picks `1 us` when every time in the dump is a whole number
 * of microseconds (the default latencies are), so nothing is rounded, and
 * `1 ns` otherwise, because exactness wins: rounding can fold two ordered
 * changes into one instant and make a short pulse vanish. `1us` forces
 * microseconds and rounds times down (states shorter than 1 us then vanish or
 * widen to 1 us: {@link vcdShortStatesAt1us} counts them, so a caller can
 * refuse); `1ns` forces nanoseconds.
 *
 * The dump ends one unit after the end of the run: libsigrok drops a change
 * lying on the last timestamp.
 */

export type VcdMode = 'wires' | 'rich';
export type VcdTimescale = 'auto' | '1us' | '1ns';

export interface VcdOptions {
  mode: VcdMode;
  /** ISO-8601 UTC date for `$date` (the core has no clock; the caller passes it). */
  date: string;
  /** vgpio-lab version for `$version`. */
  version: string;
  timescale?: VcdTimescale;
  /** Scenario title for the `$comment`. */
  title?: string;
  /** Line names (the scenario's); defaults to the device's names block. */
  lineNames?: readonly string[];
  /**
   * Filled in when the dump is complete: `shortStates` counts the states (of
   * wires and string state lanes) that last less than one timescale unit, so
   * at `1 us` they vanish or are widened to a whole unit. Always 0 at `1 ns`.
   */
  stats?: VcdStats;
}

export interface VcdStats {
  /** States shorter than the timescale unit (dropped, or widened to one unit). */
  shortStates: number;
  /** The timescale written. */
  timescale: '1us' | '1ns';
}

/**
 * Identifier characters: punctuation only, never a letter, a digit, `-`, `\\`, `#` or `$`.
 * Readers tokenise the body by its first character (`#` time, `$` keyword, `0 1 x X z Z` scalar
 * values, `b B` vectors, `r R` reals, `s S` strings, `u w l h -` in nine-valued logic); an identifier
 * that starts with one of them can be taken for a value: libsigrok 0.5.2 then loses every sample
 * after a string lane with such a code, or shifts edges. Every position uses this set, so no
 * identifier can start, or end up looking like, a value token.
 */
const ID_CHARS = Array.from('!"%&\'()*+,./:;<=>?@[]^_`{|}~');

/** Short unique VCD identifier for the n-th signal. */
export function vcdId(n: number): string {
  let s = '';
  let k = n;
  do {
    s += ID_CHARS[k % ID_CHARS.length];
    k = Math.floor(k / ID_CHARS.length);
  } while (k > 0);
  return s;
}

/** A signal or lane name: letters, digits and `_` only. */
export function vcdName(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

/** A string-lane value: printable ASCII without spaces (values end at whitespace). */
function laneValue(s: string): string {
  const v = s.replace(/[^\x21-\x7e]/g, '_');
  return v === '' ? '-' : v;
}

/** A comment-safe quoted string: no `$` (it could end the block), ASCII only. */
function quoted(s: string): string {
  return JSON.stringify(s).replace(/[^\x20-\x7e]|\$/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const Kind = {
  Wire: 0,
  /** A string lane holding a state: the last value at an instant wins, repeats are not written. */
  State: 1,
  /** A string lane of happenings: several at one instant are joined with `|`, repeats are written. */
  Event: 2,
} as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface Signal {
  index: number;
  id: string;
  name: string;
  kind: Kind;
  /** Value at the start of the dump. */
  initial: string;
  /** Last value written. */
  written: string;
  /** Value at the current instant, not written yet (null: unchanged). */
  next: string | null;
  /** Exact-time bookkeeping (ns), to count states shorter than the unit: settled value, pending value, when it last changed. */
  nsValue: string;
  nsNext: string | null;
  nsSince: number;
}

interface LineSignals {
  level: Signal;
  armed: Signal;
  handler: Signal;
  msg?: Signal;
  type?: Signal;
  flags?: Signal;
  event?: Signal;
  oracle?: Signal;
}

const STEP_NAMES = ACTION_KINDS.byCode;
const MSIX_VECTOR_NAMES = ['msix_config', 'msix_requestq', 'msix_eventq'];
const FLAG_NAMES = ['disabled', 'masked', 'queued', 'update_pending', 'queue_pending'];

function flagsValue(bits: number): string {
  const f = FLAG_NAMES.filter((_, i) => bits & (1 << i));
  return f.length ? f.join('+') : 'none';
}

function msgValue(type: number, value: number): string {
  const name = MSG_NAMES[type] ?? `MSG${type}`;
  if (type === MSG_SET_IRQ_TYPE) return `${name}=${IRQ_TYPE_NAMES[value] ?? value}`;
  if (type === MSG_SET_DIRECTION) return `${name}=${DIRECTION_NAMES[value] ?? value}`;
  if (type === MSG_SET_VALUE) return `${name}=${value}`;
  return name;
}

function causeName(c: number): string {
  return c === EventCause.Rising ? 'rising' : c === EventCause.Falling ? 'falling' : 'level';
}

const WIRES_DOC = [
  'signals (all wires):',
  'gpioN_<name> = the line level on the wire;',
  'gpioN_<name>_armed = the line eventq buffer is with the device (from the device taking it until it returns it, VALID or INVALID);',
  'gpioN_<name>_handler = a handler call for the line is running (primary handler or its threaded part);',
  'msix_config / msix_requestq / msix_eventq (MSI-X transport) = an interrupt message is on its way to the guest (raised and delivered, not yet taken);',
  'intx (INTx transport) = the shared level interrupt line is asserted (raised until the guest reads ISR; with intx-irqfd, the GSI level at KVM).',
  'A state shorter than one timescale unit does not show.',
].join(' ');

const RICH_DOC = [
  'string lanes (rich mode):',
  'gpioN_<name>_msg = the requestq message of the line from the device reading it to the driver consuming the answer (NAME[=value], then NAME:OK or NAME:ERR, then -);',
  'gpioN_<name>_type = the trigger type the device has for the line;',
  'gpioN_<name>_flags = the guest driver irq_chip flags after each callback;',
  'gpioN_<name>_event = device-side interrupt events (cause:delivered|coalesced|masked) and eventq returns (VALID/INVALID);',
  'gpioN_<name>_oracle = oracle labels (delivered#call, coalesced#call*edges, spurious#call, lost*count);',
  'device_status = the virtio device status; violation = spec rules broken (rule id); warning = guest kernel warnings; step = timeline steps.',
  'Several happenings at one instant are joined with |.',
].join(' ');

/** The VCD text of a machine's trace (see the module comment). */
export function toVcd(machine: Machine, opts: VcdOptions): string {
  let out = '';
  for (const chunk of vcdChunks(machine, opts)) out += chunk;
  return out;
}

/**
 * The same VCD as {@link toVcd}, in pieces of about `chunkChars` characters,
 * so a caller can stream a large dump to a file.
 */
export function* vcdChunks(machine: Machine, opts: VcdOptions, chunkChars = 1 << 16): Generator<string, void, undefined> {
  const trace = machine.trace;
  const n = machine.cfg.device.ngpio;
  const rich = opts.mode === 'rich';
  const names = opts.lineNames ?? machine.cfg.device.names ?? [];
  const endNs = Math.max(machine.now, trace.total > 0 ? (trace.get(trace.total - 1) as TraceEvent).t : 0);
  const dropped = trace.dropped;
  // The whole trace starts at power-on; a trace that lost its head starts at its first retained event.
  const startNs = dropped > 0 && trace.total > trace.firstSeq ? (trace.get(trace.firstSeq) as TraceEvent).t : 0;

  // ---- timescale -------------------------------------------------------------------
  let scale = opts.timescale ?? 'auto';
  if (scale === 'auto') {
    let whole = endNs % 1000 === 0;
    trace.forEach((e) => {
      if (e.t % 1000 !== 0) whole = false;
    }, trace.firstSeq);
    scale = whole ? '1us' : '1ns';
  }
  const div = scale === '1us' ? 1000 : 1;

  // ---- signals ---------------------------------------------------------------------
  const signals: Signal[] = [];
  const add = (name: string, kind: Kind, initial: string): Signal => {
    const s: Signal = { index: signals.length, id: vcdId(signals.length), name: vcdName(name), kind, initial, written: initial, next: null, nsValue: initial, nsNext: null, nsSince: startNs };
    signals.push(s);
    return s;
  };
  const inferred = inferInitial(machine);
  const lines: LineSignals[] = [];
  for (let i = 0; i < n; i++) {
    const nm = names[i] ? `gpio${i}_${names[i]}` : `gpio${i}`;
    const ls: LineSignals = {
      level: add(nm, Kind.Wire, String(inferred.level[i])),
      armed: add(`${nm}_armed`, Kind.Wire, inferred.armed[i] ? '1' : '0'),
      handler: add(`${nm}_handler`, Kind.Wire, inferred.handler[i] ? '1' : '0'),
    };
    if (rich) {
      ls.msg = add(`${nm}_msg`, Kind.State, inferred.msg[i] as string);
      ls.type = add(`${nm}_type`, Kind.State, inferred.type[i] as string);
      ls.flags = add(`${nm}_flags`, Kind.State, inferred.flags[i] as string);
      ls.event = add(`${nm}_event`, Kind.Event, '-');
      ls.oracle = add(`${nm}_oracle`, Kind.Event, '-');
    }
    lines.push(ls);
  }
  const msi = machine.cfg.transport === 'msi';
  const vectors = msi ? MSIX_VECTOR_NAMES.map((nm, v) => add(nm, Kind.Wire, inferred.vector[v] ? '1' : '0')) : [];
  const intx = msi ? null : add('intx', Kind.Wire, inferred.intx ? '1' : '0');
  const irqfd = machine.cfg.transport === 'intx-irqfd';
  const status = rich ? add('device_status', Kind.State, inferred.status) : null;
  const violation = rich ? add('violation', Kind.Event, '-') : null;
  const warning = rich ? add('warning', Kind.Event, '-') : null;
  const step = rich ? add('step', Kind.Event, '-') : null;

  // ---- header ----------------------------------------------------------------------
  const head: string[] = [
    `$date ${opts.date} $end`,
    `$version vgpio-lab ${opts.version} $end`,
    `$comment scenario=${quoted(opts.title ?? '')} seed=${machine.cfg.seed} hash=${trace.hash()} events=${trace.total} $end`,
  ];
  if (dropped > 0) {
    head.push(
      `$comment the trace ring (capacity ${trace.capacity}) dropped the first ${dropped} events; this dump starts at the first retained event (seq ${trace.firstSeq}, t=${startNs} ns). ` +
        'Values there are inferred: each from the first retained event that shows the state before it, else from the machine at the end of the run; ' +
        'MSI-X messages in flight and string lanes that cannot be inferred start as 0 or ? $end',
    );
  }
  head.push(`$comment ${WIRES_DOC} $end`);
  if (rich) head.push(`$comment ${RICH_DOC} $end`);
  head.push(`$timescale ${scale === '1us' ? '1 us' : '1 ns'} $end`, '$scope module vgpio $end');
  for (const s of signals) head.push(s.kind === Kind.Wire ? `$var wire 1 ${s.id} ${s.name} $end` : `$var string 0 ${s.id} ${s.name} $end`);
  head.push('$upscope $end', '$enddefinitions $end', `#${Math.floor(startNs / div)}`);
  for (const s of signals) head.push(valueLine(s, s.initial));
  let buf = head.join('\n') + '\n';

  // ---- body ------------------------------------------------------------------------
  const armed = Int32Array.from(inferred.armed);
  const handler = Int32Array.from(inferred.handler);
  let curTick = Math.floor(startNs / div);
  let stamped = true; // `#curTick` is already written
  let dirty: Signal[] = [];
  // States shorter than one unit, measured on exact times (only needed when the unit is coarser than 1 ns).
  let shortStates = 0;
  let nsDirty: Signal[] = [];
  let curNs = startNs;
  const settleNs = (): void => {
    for (const s of nsDirty) {
      const v = s.nsNext as string;
      s.nsNext = null;
      if (v === s.nsValue) continue;
      if (curNs - s.nsSince < div) shortStates++;
      s.nsValue = v;
      s.nsSince = curNs;
    }
    nsDirty = [];
  };
  const set = (s: Signal, v: string): void => {
    if (div > 1 && s.kind !== Kind.Event) {
      if (s.nsNext === null) nsDirty.push(s);
      s.nsNext = v;
    }
    if (s.next === null) {
      dirty.push(s);
      s.next = v;
    } else if (s.kind === Kind.Event) s.next += `|${v}`;
    else s.next = v;
  };
  /** Writes what changed at `curTick` (a state that came back to its value writes nothing). */
  const flush = (): string => {
    if (dirty.length === 0) return '';
    let text = '';
    dirty.sort((a, b) => a.index - b.index);
    for (const s of dirty) {
      const v = s.next as string;
      s.next = null;
      if (s.kind !== Kind.Event && v === s.written) continue;
      s.written = v;
      text += valueLine(s, v) + '\n';
    }
    dirty = [];
    if (text !== '' && !stamped) {
      stamped = true;
      return `#${curTick}\n${text}`;
    }
    return text;
  };

  const onEvent = (e: TraceEvent): void => {
    const ls = e.line >= 0 && e.line < n ? lines[e.line] : undefined;
    switch (e.kind) {
      case TK.LineLevel:
        if (ls) set(ls.level, e.a ? '1' : '0');
        return;
      case TK.EvqArm:
        if (!ls) return;
        armed[e.line]!++;
        set(ls.armed, '1');
        return;
      case TK.EvqReturn:
        if (!ls) return;
        if (armed[e.line]! > 0) armed[e.line]!--;
        set(ls.armed, armed[e.line]! > 0 ? '1' : '0');
        if (ls.event) set(ls.event, e.a === 1 ? 'VALID' : e.a === 0 ? 'INVALID' : `status${e.a}`);
        return;
      case TK.HandlerStart:
        if (!ls) return;
        handler[e.line]!++;
        set(ls.handler, '1');
        return;
      case TK.HandlerEnd:
        if (!ls) return;
        if (handler[e.line]! > 0) handler[e.line]!--;
        set(ls.handler, handler[e.line]! > 0 ? '1' : '0');
        return;
      case TK.IrqRaise:
        if (e.c !== DeliveryResult.Delivered || irqfd) return;
        if (msi) {
          const v = vectors[e.b];
          if (v) set(v, '1');
        } else if (intx) set(intx, '1');
        return;
      case TK.IrqEntry:
        if (irqfd) return;
        if (msi) {
          const v = vectors[e.a];
          if (v) set(v, '0');
        } else if (intx) set(intx, '0');
        return;
      case TK.IrqLine:
        // intx-irqfd: the wire is the GSI's level at KVM, whichever party moved it.
        if (intx && (e.b === 0 || e.c === DeliveryResult.Delivered)) set(intx, e.b ? '1' : '0');
        return;
      case TK.DevStatus:
        if (e.b === 0) {
          // A reset takes every buffer back from the device.
          for (let i = 0; i < n; i++) {
            armed[i] = 0;
            set((lines[i] as LineSignals).armed, '0');
          }
        }
        if (status) set(status, laneValue(describeStatus(e.b)));
        return;
    }
    if (!rich) return;
    switch (e.kind) {
      case TK.MsgRequest:
        if (ls?.msg) set(ls.msg, laneValue(msgValue(e.a, e.b)));
        return;
      case TK.MsgResponse:
        if (ls?.msg) set(ls.msg, laneValue(`${MSG_NAMES[e.a] ?? `MSG${e.a}`}:${e.b & 0xff ? 'ERR' : 'OK'}`));
        return;
      case TK.MsgDone:
        if (ls?.msg) set(ls.msg, '-');
        return;
      case TK.DevIrqType:
        if (ls?.type) set(ls.type, laneValue(IRQ_TYPE_NAMES[e.b] ?? `type${e.b}`));
        return;
      case TK.DrvFlags:
        if (ls?.flags) set(ls.flags, flagsValue(e.a));
        return;
      case TK.DevIrqEvent:
        if (ls?.event) set(ls.event, `${causeName(e.c)}:${DELIVERY_NAMES[e.a] ?? e.a}`);
        return;
      case TK.OracleLabel:
        if (ls?.oracle) set(ls.oracle, oracleValue(e));
        return;
      case TK.Violation:
        if (violation) set(violation, laneValue(`${e.c ? '' : 'advisory:'}${RULES[e.a]?.id ?? `rule${e.a}`}`));
        return;
      case TK.DrvWarn:
        if (warning) set(warning, e.line >= 0 ? `warn${e.a}@gpio${e.line}` : `warn${e.a}`);
        return;
      case TK.Step:
        if (step) set(step, laneValue(STEP_NAMES[e.b] ?? `step${e.b}`));
        return;
    }
  };

  for (let seq = trace.firstSeq; seq < trace.total; seq++) {
    const e = trace.get(seq) as TraceEvent;
    if (e.t > curNs) {
      if (nsDirty.length) settleNs();
      curNs = e.t;
    }
    const tick = Math.floor(e.t / div);
    if (tick > curTick) {
      buf += flush();
      curTick = tick;
      stamped = false;
      if (buf.length >= chunkChars) {
        yield buf;
        buf = '';
      }
    }
    onEvent(e);
  }
  buf += flush();
  if (nsDirty.length) settleNs();
  // Close the dump one unit after the end of the run (or its last change, if later), so the last state
  // has a length and a change at the very end is not the dump's last timestamp (libsigrok drops that one).
  const endTick = Math.max(Math.floor(endNs / div), curTick) + 1;
  buf += `#${endTick}\n`;
  if (opts.stats) {
    opts.stats.shortStates = shortStates;
    opts.stats.timescale = scale;
  }
  yield buf;
}

function valueLine(s: Signal, v: string): string {
  return s.kind === Kind.Wire ? `${v}${s.id}` : `s${v} ${s.id}`;
}

function oracleValue(e: TraceEvent): string {
  const name = ORACLE_NAMES[e.a] ?? `label${e.a}`;
  if (e.a === 3) return `${name}*${e.b}`;
  return `${name}#${e.c}${e.b > 1 ? `*${e.b}` : ''}`;
}

interface Initial {
  level: number[];
  armed: number[];
  handler: number[];
  vector: number[];
  intx: boolean;
  msg: string[];
  type: string[];
  flags: string[];
  status: string;
}

/**
 * The value of every signal at the first retained event. With the whole trace
 * kept this is the power-on state; after the ring dropped events, each value
 * comes from the first retained event that reveals the state before it (a
 * level change to 1 means the line was 0), and a signal no retained event
 * touches still has the value the machine has now.
 */
function inferInitial(m: Machine): Initial {
  const n = m.cfg.device.ngpio;
  const trace = m.trace;
  const full = trace.dropped === 0;
  const level: (number | null)[] = new Array<number | null>(n).fill(null);
  const armed: (number | null)[] = new Array<number | null>(n).fill(null);
  const handler: (number | null)[] = new Array<number | null>(n).fill(null);
  const type: (string | null)[] = new Array<string | null>(n).fill(null);
  const msg: (string | null)[] = new Array<string | null>(n).fill(null);
  const flags: (string | null)[] = new Array<string | null>(n).fill(null);
  const vector: (number | null)[] = [null, null, null];
  let intx: boolean | null = null;
  let status: string | null = null;
  const first = <T>(arr: (T | null)[], i: number, v: T): void => {
    if (i >= 0 && i < arr.length && arr[i] === null) arr[i] = v;
  };
  trace.forEach((e) => {
    switch (e.kind) {
      case TK.LineLevel:
        return first(level, e.line, e.a ? 0 : 1);
      case TK.EvqArm:
        return first(armed, e.line, 0);
      case TK.EvqReturn:
        return first(armed, e.line, 1);
      case TK.HandlerStart:
        return first(handler, e.line, 0);
      case TK.HandlerEnd:
        return first(handler, e.line, 1);
      case TK.DevIrqType:
        return first(type, e.line, IRQ_TYPE_NAMES[e.a] ?? `type${e.a}`);
      case TK.MsgRequest:
        return first(msg, e.line, '-');
      case TK.MsgResponse:
      case TK.MsgDone:
        return first(msg, e.line, '?');
      case TK.DrvFlags:
        // virtio_gpio_probe leaves every line disabled and masked.
        return first(flags, e.line, full ? flagsValue(Flag.Disabled | Flag.Masked) : '?');
      case TK.IrqRaise:
        if (e.c !== DeliveryResult.Delivered || m.cfg.transport === 'intx-irqfd') return;
        if (m.cfg.transport === 'msi') first(vector, e.b, 0);
        else if (intx === null) intx = false;
        return;
      case TK.IrqEntry:
        if (m.cfg.transport === 'intx-irqfd') return;
        if (m.cfg.transport === 'msi') first(vector, e.a, 1);
        else if (intx === null) intx = true;
        return;
      case TK.IrqLine:
        if (intx === null && (e.b === 0 || e.c === DeliveryResult.Delivered)) intx = e.b === 0;
        return;
      case TK.DevStatus:
        if (status === null) status = laneValue(describeStatus(e.a));
        return;
    }
  }, trace.firstSeq);
  const chip = m.chip;
  const probed = chip.ngpio === n;
  return {
    level: level.map((v, i) => v ?? (m.wire.level[i] as number)),
    armed: armed.map((v, i) => v ?? (m.device.held[i] !== -1 ? 1 : 0)),
    handler: handler.map((v, i) => v ?? (m.irq.inProgress[i] || m.irq.threadActive[i] ? 1 : 0)),
    vector: vector.map((v) => v ?? 0),
    intx: intx ?? m.transport.asserted,
    msg: msg.map((v) => v ?? '-'),
    type: type.map((v, i) => v ?? laneValue(IRQ_TYPE_NAMES[m.device.irqType[i] as number] ?? '?')),
    flags: flags.map((v, i) => v ?? (probed && chip.hasIrq ? flagsValue(chip.flagBits(i)) : '-')),
    status: status ?? laneValue(describeStatus(m.device.status)),
  };
}

/**
 * How many states (of wires and string state lanes) a dump at `1 us` would
 * drop or widen because they last less than a microsecond; 0 means `1us`
 * loses nothing but the sub-microsecond position of changes. Runs the
 * export once without keeping its text.
 */
export function vcdShortStatesAt1us(machine: Machine, opts: VcdOptions): number {
  const stats: VcdStats = { shortStates: 0, timescale: '1us' };
  for (const chunk of vcdChunks(machine, { ...opts, timescale: '1us', stats })) void chunk;
  return stats.shortStates;
}
