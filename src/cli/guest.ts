import { parseArgs, UsageError, type FlagSpec } from './args';
import { SetupError, setupGuest } from '../host/setup';

/**
 * `vgpio guest`: a real Linux guest (QEMU, the kernel's gpio-virtio driver,
 * libgpiod v2 tools) on the project's device model through a vhost-user back
 * end in this process. See docs/guest.md.
 */
export const GUEST_HELP = `Usage: vgpio guest --setup [--force] [--kernel F] [--initrd F] [--qemu F]
       vgpio guest [scenario | id] [--run 'commands'] [--trace out.jsonl] [--json]
                   [--ui] [--kernel F] [--initrd F] [--qemu F] [--timeout S] [--verbose]
       vgpio guest --bench [--json]

--setup builds the guest once into the per-user cache (~/.cache/vgpio-lab/guest;
VGPIO_GUEST_CACHE overrides): the Debian kernel as an uncompressed vmlinux, the
kernel's gpio-virtio driver built out of tree against the matching headers, an
initramfs with busybox and the libgpiod v2 tools, and QEMU >= 9 from
bookworm-backports. Needs root and Debian 12; a complete cache returns at once
(--force rebuilds). --kernel, --initrd and --qemu use your own files instead.

Without --setup it boots the guest on the device of the scenario (a file, link
or built-in id; default: an 8-line board with a 100 ms clock on line 7), runs
the --run commands in the guest's shell (default: gpiodetect; gpioinfo), and
prints their output and exit status, the vhost-user message and interrupt
counts, and the spec monitors' verdict.

--ui also serves the built app (dist/; build it with \`npx vite build\`) on
127.0.0.1 at a random port and prints the URL to open (a random token in its
fragment): the page shows the real guest live (lines, waveform, trace, rings,
monitors, the guest console in the terminal tab) and its drive buttons drive
the guest's lines. It is a live recording: it cannot be paused, stepped,
replayed or shared. Without --run it runs gpioinfo, then gpiomon on every line
until Ctrl-C (--timeout defaults to 3600 with --ui).

--bench measures request round trips in the guest (ftrace on the driver's
virtio_gpio_get / virtio_gpio_set: 300 gpioget runs, then gpioset toggling a
line every 2 ms for 2 s) and the back end's own share of each request (kick
seen -> device done, call written): count, mean, p50, p90, p99, max.

Exit status: the commands' exit status when the monitors saw no MUST rule
broken; 1 when one was broken; 2 usage or setup problems; 3 internal errors;
4 the guest did not finish (boot failure, timeout, QEMU died).
`;

const SPEC: FlagSpec = {
  values: ['--run', '--trace', '--kernel', '--initrd', '--qemu', '--timeout'],
  switches: ['--setup', '--force', '--json', '--verbose', '--bench', '--ui', '--help', '-h'],
  positional: [0, 1],
};

const out = (s: string): void => void process.stdout.write(s);
const err = (s: string): void => void process.stderr.write(s);

export async function guestCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(GUEST_HELP);
    return 0;
  }
  let args;
  try {
    args = parseArgs(argv, SPEC);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`vgpio guest: ${e.message}\n\n${GUEST_HELP}`);
      return 2;
    }
    throw e;
  }
  const overrides = { kernel: args.values.get('--kernel'), initrd: args.values.get('--initrd'), qemu: args.values.get('--qemu') };
  if (args.switches.has('--setup')) {
    try {
      setupGuest({ force: args.switches.has('--force'), ...overrides, log: (s) => err(`${s}\n`) });
      return 0;
    } catch (e) {
      if (e instanceof SetupError) {
        err(`vgpio guest --setup: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }
  const { runGuestCommand } = await import('./guest-run');
  return runGuestCommand(args, overrides);
}
