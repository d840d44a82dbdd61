/**
 * What the libgpiod tools get from the shell, and what they share: the
 * ToolContext (print, the port, the job host with its line flags table), the
 * one chip they see, die() and the usage error, --version, the shared options
 * (-h -v -b -B -c -C -l -Q -s), and resolving line ids against the chip.
 */
import type { OptItem } from '../getopt';
import { parseBias, parseUint } from '../formats';
import { printToolHelp } from '../help';
import type { Job, JobHost } from '../jobs';
import type { ShellPort } from '../port';

/** The libgpiod release whose tools this shell follows. */
export const LIBGPIOD_VERSION = '2.2.4';
export const CHIP_NAME = 'gpiochip0';
export const CHIP_PATH = '/dev/gpiochip0';
/** dev_name() of the virtio device: the chip label Linux gpio-virtio registers. */
export const CHIP_LABEL = 'virtio1';

/**
 * The shell's services a tool uses, and nothing else of the shell: it prints
 * the command's output, reads and requests through the port, and hands its
 * job (if any) to the job host.
 */
export interface ToolContext {
  readonly port: ShellPort;
  /** The shell's side of a job: output, end, timers, the line flags table. */
  readonly jobs: JobHost;
  /** Output of the command being executed. */
  print(text: string): void;
}

/** A tool's main: an exit status when it finished at once, else the job to start. */
export type ToolMain = (ctx: ToolContext, prog: string, argv: string[]) => number | Job;


/** Request options gpioget, gpioset and gpiomon parse alike. */
export interface RequestCommon {
  activeLow: boolean;
  unquoted: boolean;
  consumer: string;
  bias: string;
}

/** How the tools find their lines: on which chip, by name only, every match checked. */
export interface LineSelection {
  chipId: string | null;
  byName: boolean;
  strict: boolean;
}

/**
 * A user's argument or a line name as the tools print it: control and
 * invisible formatting characters (which the terminal boundary would strip)
 * are written as `\xHH` / `\uHHHH`, so a stray zero-width space or escape in
 * a line name shows in the error instead of vanishing; other characters,
 * non-ASCII included, are printed as typed.
 */
export function visible(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x100 ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

/** die(): `<prog>: <message>`, exit status 1. */
export function die(ctx: ToolContext, prog: string, msg: string): number {
  ctx.print(`${prog}: ${msg}\n`);
  return 1;
}

/** --version: which libgpiod these tools follow, and that they are a re-implementation. */
export function version(ctx: ToolContext, prog: string): number {
  ctx.print(
    `${prog} (libgpiod) v${LIBGPIOD_VERSION} [simulated]\n` +
      `vgpio-lab's re-implementation of the libgpiod v2 tools' command line and output formats; not libgpiod itself.\n`,
  );
  return 0;
}

/** The chip is registered with gpiolib (the guest driver probed it). */
export function present(ctx: ToolContext): boolean {
  return ctx.port.registered();
}

/** chip_path_lookup(): a number, a path or a device name, naming the one chip there is. */
export function chipMatches(ctx: ToolContext, id: string): boolean {
  const path = /^\d*$/.test(id) ? `/dev/gpiochip${id}` : id.includes('/') ? id : `/dev/${id}`;
  return path === CHIP_PATH && present(ctx);
}

/** The line's name, null when it has none. */
export function lineName(ctx: ToolContext, off: number): string | null {
  const n = ctx.port.gpiolib.lineName(off);
  return n === '' ? null : n;
}

/** A getopt error, then where to look. */
export function usageError(ctx: ToolContext, prog: string, error: string): number {
  ctx.print(`${visible(error)}\n${prog}: try ${prog} --help\n`);
  return 1;
}

/**
 * resolve_lines() + validate_resolution() for the single chip: by offset
 * only with -c (unless --by-name), else by name, the first match winning
 * (every match checked with --strict). Returns offsets in argument order,
 * or null after printing the errors.
 */
export function resolve(ctx: ToolContext, prog: string, ids: string[], chipId: string | null, strict: boolean, byName: boolean): number[] | null {
  if (chipId === null) byName = true;
  if (chipId !== null && !chipMatches(ctx, chipId)) {
    die(ctx, prog, `cannot find GPIO chip character device '${visible(chipId)}'`);
    return null;
  }
  const lines = ids.map((id) => ({ id, asOffset: byName ? -1 : parseUint(id), resolved: false, offset: 0 }));
  if (present(ctx)) {
    const n = ctx.port.gpiolib.ngpio;
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
      const name = lineName(ctx, off);
      for (const l of lines) {
        if (l.resolved && l.offset === off) found++;
        if (l.resolved && !strict) continue;
        if (name !== null && l.id === name) {
          if (strict && l.resolved) {
            die(ctx, prog, `line '${visible(l.id)}' is not unique`);
            return null;
          }
          l.resolved = true;
          l.offset = off;
          found++;
        }
      }
    }
  }
  if (!validate(ctx, prog, lines, chipId)) return null;
  return lines.map((l) => l.offset);
}

/** validate_resolution(): every line found, none twice; prints one error per problem. */
export function validate(ctx: ToolContext, prog: string, lines: { id: string; asOffset: number; resolved: boolean; offset: number }[], chipId: string | null): boolean {
  let valid = true;
  lines.forEach((l, i) => {
    if (l.resolved) {
      for (let j = 0; j < i; j++) {
        const p = lines[j] as (typeof lines)[number];
        if (p.resolved && p.offset === l.offset) {
          ctx.print(`${prog}: lines '${visible(p.id)}' and '${visible(l.id)}' are the same line\n`);
          valid = false;
          break;
        }
      }
      return;
    }
    valid = false;
    if (chipId !== null && l.asOffset !== -1) ctx.print(`${prog}: offset ${visible(l.id)} is out of range on chip '${visible(chipId)}'\n`);
    else ctx.print(`${prog}: cannot find line '${visible(l.id)}'\n`);
  });
  return valid;
}

/**
 * The options the line tools share (SHARED_OPTIONS in getopt.ts), parsed the
 * one way libgpiod's tools all do.
 * Returns an exit status to stop with, true when the option was one of them,
 * false when the tool parses it itself.
 */
/**
 * Walks a tool's parsed options: a parse error is a usage error, the options
 * every line tool shares are handled here, the tool's own go to `own`. Returns
 * the exit status when an option ends the tool (help, version, a bad value).
 */
export function eachOption(
  ctx: ToolContext,
  prog: string,
  items: readonly OptItem[],
  o: RequestCommon,
  sel: LineSelection,
  own?: (it: { key: string; arg: string }) => number | undefined,
): number | undefined {
  for (const it of items) {
    if ('error' in it) return usageError(ctx, prog, it.error);
    const r = sharedOption(ctx, prog, it, o, sel);
    if (typeof r === 'number') return r;
    if (r) continue;
    const stop = own?.(it);
    if (stop !== undefined) return stop;
  }
  return undefined;
}

export function sharedOption(ctx: ToolContext, prog: string, it: { key: string; arg: string }, o: RequestCommon, sel: LineSelection): number | boolean {
  switch (it.key) {
    case 'h':
      return printToolHelp(ctx, prog);
    case 'v':
      return version(ctx, prog);
    case 'b': {
      const b = parseBias(it.arg);
      if (b === null) return die(ctx, prog, `invalid bias: ${visible(it.arg)}`);
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
