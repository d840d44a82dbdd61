/**
 * The shell's help: the overview `help` prints, each tool's --help text, and
 * the two functions that print them.
 */

interface Printer {
  print(text: string): void;
}

/** `help [tool]`: a tool's --help, else the overview. */
export function printHelp(out: Printer, args: string[]): number {
  const topic = args[0];
  if (topic !== undefined && Object.hasOwn(TOOL_HELP, topic)) return printToolHelp(out, topic);
  out.print(HELP_TEXT);
  return 0;
}

/** A tool's --help. */
export function printToolHelp(out: Printer, prog: string): number {
  out.print(TOOL_HELP[prog] ?? '');
  return 0;
}

export const HELP_TEXT = `vgpio-lab shell: the libgpiod v2 tools, run inside the simulated guest, plus simulator verbs.

libgpiod tools (add --help to any of them; lines by name, or by offset with -c gpiochip0):
  gpiodetect [chip]...                   list GPIO chips
  gpioinfo [-c chip] [line]...           directions, edges and consumers (from gpiolib, no device traffic)
  gpioget [-a] [-c chip] <line>...       read lines (requested as inputs unless -a)
  gpioset [-z] [-i] [-t period[,period]...] [-c chip] <line=value>...
                                         drive outputs and hold them until Ctrl-C (-z: in the background)
  gpiomon [-e edges] [-n N] [-F format] [-c chip] <line>...
                                         print edge events until Ctrl-C or N events
  gpionotify [-e event] [-n N] [-F format] [-c chip] <line>...
                                         print lines being requested, released, reconfigured

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

export const TOOL_HELP: Record<string, string> = {
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
  -d, --drive <drive>\tpush-pull, open-drain or open-source (emulated by gpiolib: virtio-gpio has no drive control)
  -h, --help\t\tthis help
  -i, --interactive\tset the lines, then read commands at a 'gpioset> ' prompt (type 'help' there)
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
  gpionotify:
    `Usage: gpionotify [OPTIONS] <line>...

Wait for changes to the info of GPIO lines (requested, released, reconfigured) and print them.
Lines are given by name, or by offset when a chip is given.

Options:
      --banner\t\tprint a banner once watching starts
      --by-name\t\ttake lines as names even when they look like offsets
  -c, --chip <chip>\tonly this chip
  -e, --event <event>\tonly this event: requested, released or reconfigured (default all)
  -F, --format <fmt>\tprint events with this format (see below)
  -h, --help\t\tthis help
      --idle-timeout <period>
\t\t\texit when no event came for this long
      --localtime\tprint timestamps as dates (local time is UTC here)
  -n, --num-events <num>\texit after this many events
  -q, --quiet\t\tprint nothing
  -s, --strict\t\tfail if a line name is not unique
      --unquoted\tdo not quote line or consumer names
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
  %e   numeric event type ('1' requested, '2' released, '3' reconfigured)
  %E   event type ('requested', 'released' or 'reconfigured')
  %a   line attributes
  %C   consumer
  %S   event timestamp as seconds
  %U   event timestamp as UTC
  %L   event timestamp as local time
`,
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
  -p, --debounce-period <period>
\t\t\tdebounce the lines (in software by gpiolib: virtio-gpio has no debounce)
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
