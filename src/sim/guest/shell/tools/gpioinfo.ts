/**
 * gpioinfo: each line's name, direction, flags and consumer, read from
 * gpiolib and the tools' line flags table (no device traffic).
 */
import { EdgeFlags } from '../../gpiolib';
import { parseUint } from '../formats';
import { getopt, toolOptions } from '../getopt';
import { CHIP_NAME, chipMatches, die, lineName, present, eachOption, validate, type LineSelection, type RequestCommon, type ToolContext, visible } from './context';

/** gpioinfo's options. */
export const OPTIONS = toolOptions(['byName', 'chip', 'help', 'strict', 'unquoted', 'version']);

/** gpioinfo [OPTIONS] [line]...: its exit status. */
export function gpioinfo(ctx: ToolContext, prog: string, argv: string[]): number {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  // Only -c, -B, -s, -Q, -h and -v reach here: the table above has no request options.
  const o: RequestCommon = { activeLow: false, unquoted: false, consumer: '', bias: '' };
  const sel: LineSelection = { chipId: null, byName: false, strict: false };
  const stop = eachOption(ctx, prog, items, o, sel);
  if (stop !== undefined) return stop;
  const { chipId, strict } = sel;
  const unquoted = o.unquoted;
  // Without a chip, lines can only be found by name.
  const byName = sel.byName || chipId === null;
  const ids = argv.slice(optind);
  if (chipId !== null && !chipMatches(ctx, chipId)) return die(ctx, prog, `cannot find GPIO chip character device '${visible(chipId)}'`);
  const lines = ids.map((id) => ({ id, asOffset: byName ? -1 : parseUint(id), resolved: false, offset: 0 }));
  let found = 0;
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
    // list_lines(): in offset order, printing each line as soon as it matches.
    for (let off = 0; off < n && !(lines.length > 0 && !strict && found >= lines.length); off++) {
      if (lines.length > 0) {
        let match = false;
        const name = lineName(ctx, off);
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
        ctx.print(`${CHIP_NAME} ${off}\t${lineInfo(ctx, off, unquoted)}\n`);
      } else {
        if (off === 0) ctx.print(`${CHIP_NAME} - ${n} lines:\n`);
        ctx.print(`\tline ${String(off).padStart(3)}:\t${lineInfo(ctx, off, unquoted)}\n`);
      }
      found++;
    }
  }
  if (!validate(ctx, prog, lines, chipId)) return 1;
  return ids.length > 0 && found !== ids.length ? 1 : 0;
}


/** The name column and attributes of one line, as print_line_info() lays them out. */
function lineInfo(ctx: ToolContext, off: number, unquoted: boolean): string {
  const raw = lineName(ctx, off);
  const name = raw === null ? null : visible(raw);
  let col: string;
  if (name === null) col = 'unnamed'.padEnd(16) + '\t';
  else if (unquoted) col = name.padEnd(16) + '\t';
  else if (name.length <= 14) col = `"${name}"`.padEnd(16) + '\t';
  else col = `"${name}"\t`;
  return col + lineAttributes(ctx, off, unquoted);
}

/** print_line_attributes(): direction, flags and consumer (also gpionotify's %a). */
export function lineAttributes(ctx: ToolContext, off: number, unquoted: boolean): string {
  const lib = ctx.port.gpiolib;
  const f = ctx.jobs.flags[off];
  let attrs = lib.isOut[off] ? 'output' : 'input';
  if (f?.activeLow) attrs += ' active-low';
  if (f?.drive) attrs += ` drive=${f.drive}`;
  if (f?.bias) attrs += ` bias=${f.bias}`;
  const edges = f ? f.edges : (lib.edges[off] ?? 0);
  if (edges === EdgeFlags.Both) attrs += ' edges=both';
  else if (edges === EdgeFlags.Rising) attrs += ' edges=rising';
  else if (edges === EdgeFlags.Falling) attrs += ' edges=falling';
  if (f?.clock === 'realtime' || f?.clock === 'hte') attrs += ` event-clock=${f.clock}`;
  if (f?.debounceUs) attrs += ` debounce-period=${debounceText(f.debounceUs)}`;
  const consumer = lib.consumer[off];
  // FLAG_REQUESTED or FLAG_USED_AS_IRQ make the line "used"; an irq-only user is labelled "interrupt".
  if (consumer !== null && consumer !== undefined) {
    const c = consumer === '' ? 'kernel' : visible(consumer);
    attrs += unquoted ? ` consumer=${c}` : ` consumer="${c}"`;
  } else if (lib.usedAsIrq[off]) {
    attrs += unquoted ? ' consumer=interrupt' : ' consumer="interrupt"';
  }
  return attrs;
}

/** print_debounce(): whole seconds or milliseconds when exact, else microseconds. */
function debounceText(us: number): string {
  if (us % 1_000_000 === 0) return `${us / 1_000_000}s`;
  if (us % 1_000 === 0) return `${us / 1_000}ms`;
  return `${us}us`;
}
