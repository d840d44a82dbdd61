/**
 * gpiodetect: the GPIO chips with their labels and numbers of lines (here,
 * the one chip when the guest driver registered it).
 */
import { getopt, toolOptions } from '../getopt';
import { printToolHelp } from '../help';
import { CHIP_LABEL, CHIP_NAME, chipMatches, present, usageError, version, type ToolContext, visible } from './context';

/** gpiodetect's options. */
export const OPTIONS = toolOptions(['help', 'version']);

/** gpiodetect [OPTIONS] [chip]...: its exit status. */
export function gpiodetect(ctx: ToolContext, prog: string, argv: string[]): number {
  const { items, optind } = getopt(prog, argv, OPTIONS);
  for (const it of items) {
    if ('error' in it) return usageError(ctx, prog, it.error);
    if (it.key === 'h') return printToolHelp(ctx, prog);
    if (it.key === 'v') return version(ctx, prog);
  }
  const chips = argv.slice(optind);
  const line = `${CHIP_NAME} [${CHIP_LABEL}] (${ctx.port.gpiolib.ngpio} lines)\n`;
  if (chips.length === 0) {
    if (present(ctx)) ctx.print(line);
    return 0;
  }
  let status = 0;
  for (const c of chips) {
    if (chipMatches(ctx, c)) {
      ctx.print(line);
    } else {
      ctx.print(`${prog}: cannot find GPIO chip character device '${visible(c)}'\n`);
      status = 1;
    }
  }
  return status;
}
