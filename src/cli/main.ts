import { version as VERSION } from '../../package.json';
import { Shell } from '../sim/guest/shell';
import { vcdChunks, type VcdMode, type VcdTimescale } from '../sim/export/vcd';
import { jsonlChunks } from '../sim/export/jsonl';
import { LIBRARY } from '../sim/scenario/library/index';
import { DEFAULT_LINK_BASE, encodeLink, MAX_LINK_CHARS } from '../sim/scenario/link';
import { DEFAULT_TRACE_CAPACITY } from '../sim/scenario/load';
import { DEFAULT_MAX_EVENTS, runScenario, type RunOptions } from '../sim/scenario/runner';
import type { Scenario } from '../sim/scenario/schema';
import { choiceFlag, intFlag, parseArgs, UsageError, type FlagSpec } from './args';
import { runBench, formatBench } from './bench';
import { checkOutputPath, writeAtomically } from './files';
import { formatReport, table } from './format';
import { loadSource, validateSource, type Source } from './source';

/** Exit codes: the contract of DESIGN.md §4. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
/** Not part of the contract's outcomes: a bug in vgpio-lab itself. */
export const EXIT_INTERNAL = 3;

/** Largest trace ring the CLI allocates to keep a whole run for --vcd / --trace (about 115 MB). */
export const MAX_EXPORT_TRACE = 5_000_000;

// The guest shell runs `shell` steps; its transcript is what `expect.shell` checks.
const attachShell: RunOptions['attachShell'] = (m) => {
  m.shell = new Shell(m);
};

const out = (s: string): void => void process.stdout.write(s);
const err = (s: string): void => void process.stderr.write(s);

const USAGE = `vgpio ${VERSION}: run vgpio-lab scenarios (virtio-gpio with interrupts) headless

Usage:
  vgpio run <file.json | link | id> [--json] [--vcd out.vcd] [--vcd-mode wires|rich]
            [--vcd-timescale auto|1us|1ns] [--trace out.jsonl] [--seed N] [--max-events N]
  vgpio list [--json]
  vgpio link <file.json | id> [--base URL]
  vgpio bench [--json] [--quick]
  vgpio guest --setup | vgpio guest [scenario] [--run 'commands']   (docs/guest.md)
  vgpio --help | vgpio <command> --help | vgpio --version

Exit status: 0 the expectations hold (or none are given), 1 they fail or the run
hit the event limit, 2 invalid input (file, JSON, scenario, link, id or flags),
3 an internal error (a bug in vgpio-lab).
`;

const HELP: Record<string, string> = {
  run: `Usage: vgpio run <file.json | link | id> [options]

Runs a scenario to its end and prints a summary: counts per line (delivered,
coalesced, spurious, lost interrupts, INVALID eventq returns, handler calls),
spec violations and expectation results. <file.json | link | id> is a scenario
file, a share link (a URL ending in #s1.…, or the s1.… text), or the id of a
built-in scenario (\`vgpio list\`).

Options:
  --json                 print exactly one JSON object: the run report
  --vcd <out.vcd>        write the waveforms as a Value Change Dump (PulseView, GTKWave)
  --vcd-mode <mode>      wires (default; PulseView-safe, 1-bit signals only)
                         or rich (adds string lanes for GTKWave / Surfer)
  --vcd-timescale <ts>   auto (default: 1 us when exact, else 1 ns), 1us (round down), 1ns
  --trace <out.jsonl>    write the event trace as JSON Lines
  --seed <N>             override the scenario's seed (0 to 4294967295)
  --max-events <N>       stop after N events (default ${DEFAULT_MAX_EVENTS}); counts as a failure

Exit status: 0 expectations hold (or none), 1 they fail or the event limit was
hit, 2 invalid input or usage.
`,
  list: `Usage: vgpio list [--json]

Lists the built-in scenarios: id, title and a one-line summary.
  --json   print one JSON object {"scenarios": [{"id", "title", "summary"}]}
`,
  link: `Usage: vgpio link <file.json | id> [--base URL]

Validates a scenario and prints a share link that carries it: <base>#s1.<data>,
where <data> is the scenario JSON, deflated and base64url-encoded. Links are at
most ${MAX_LINK_CHARS} characters.
  --base <URL>   the app's address (default ${DEFAULT_LINK_BASE})
`,
  bench: `Usage: vgpio bench [--json] [--quick]

Measures the simulator core: requestq round trips per second (trace off and on),
interrupt round trips per second (edge, VALID, handler, re-queue; trace on),
events per second on a 64-line board, and the memory of a 1M-event trace.
Takes about 15 seconds.
  --json    print one JSON object
  --quick   tiny fixed workloads (for checking the output shape, not for numbers)
`,
};

const SPECS: Record<string, FlagSpec> = {
  run: {
    values: ['--vcd', '--vcd-mode', '--vcd-timescale', '--trace', '--seed', '--max-events'],
    switches: ['--json', '--help', '-h'],
    positional: [1, 1],
  },
  list: { values: [], switches: ['--json', '--help', '-h'], positional: [0, 0] },
  link: { values: ['--base'], switches: ['--help', '-h'], positional: [1, 1] },
  bench: { values: [], switches: ['--json', '--quick', '--help', '-h'], positional: [0, 0] },
};

/** The CLI: returns the exit code; writes only through process.stdout / process.stderr. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && HELP[rest[0]]) out(HELP[rest[0]] as string);
    else if (cmd === undefined) {
      err(USAGE);
      return EXIT_INVALID;
    } else out(USAGE);
    return EXIT_OK;
  }
  if (cmd === '--version' || cmd === '-V') {
    out(`${VERSION}\n`);
    return EXIT_OK;
  }
  // A real QEMU guest on the device model (src/host, docs/guest.md): its own parser and help.
  if (cmd === 'guest') return (await import('./guest')).guestCommand(rest);
  const spec = SPECS[cmd];
  if (!spec) {
    err(`vgpio: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`);
    return EXIT_INVALID;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    out(HELP[cmd] as string);
    return EXIT_OK;
  }
  try {
    const args = parseArgs(rest, spec);
    switch (cmd) {
      case 'run':
        return await runCommand(args.positional[0] as string, args);
      case 'list':
        return listCommand(args.switches.has('--json'));
      case 'link':
        return await linkCommand(args.positional[0] as string, args.values.get('--base') ?? DEFAULT_LINK_BASE);
      case 'bench':
        return benchCommand(args.switches.has('--json'), args.switches.has('--quick'));
    }
    return EXIT_INVALID;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`vgpio ${cmd}: ${e.message}\n\n${HELP[cmd]}`);
      return EXIT_INVALID;
    }
    err(`vgpio: internal error (a bug in vgpio-lab, please report it): ${(e as Error).stack ?? String(e)}\n`);
    return EXIT_INTERNAL;
  }
}

// ---- run ---------------------------------------------------------------------------

async function runCommand(ref: string, args: ReturnType<typeof parseArgs>): Promise<number> {
  const json = args.switches.has('--json');
  const vcdPath = args.values.get('--vcd');
  const tracePath = args.values.get('--trace');
  const vcdMode = choiceFlag<VcdMode>(args, '--vcd-mode', ['wires', 'rich'], 'wires');
  const timescale = choiceFlag<VcdTimescale>(args, '--vcd-timescale', ['auto', '1us', '1ns'], 'auto');
  if (!vcdPath && (args.values.has('--vcd-mode') || args.values.has('--vcd-timescale'))) throw new UsageError('--vcd-mode and --vcd-timescale need --vcd');
  const seed = intFlag(args, '--seed', 0, 0xffffffff);
  const maxEvents = intFlag(args, '--max-events', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_MAX_EVENTS;
  if (vcdPath && tracePath && vcdPath === tracePath) throw new UsageError('--vcd and --trace name the same file');
  for (const p of [vcdPath, tracePath]) {
    const problem = p === undefined ? null : checkOutputPath(p);
    if (problem) {
      err(`vgpio: ${problem}\n`);
      return EXIT_INVALID;
    }
  }

  const loaded = await loadValidScenario(ref);
  if (!loaded) return EXIT_INVALID;
  const scenario: Scenario = seed === undefined ? loaded.scenario : { ...loaded.scenario, seed };
  const src = loaded.src;
  const exporting = vcdPath !== undefined || tracePath !== undefined;

  // The ring keeps the scenario's capacity; to export, the whole run when it fits in MAX_EXPORT_TRACE.
  const base = scenario.trace.capacity ?? DEFAULT_TRACE_CAPACITY;
  let result = runScenario(scenario, { traceEnabled: true, traceCapacity: base, maxEvents, attachShell });
  if (result.ok && exporting && result.value.machine.trace.dropped > 0 && base < MAX_EXPORT_TRACE) {
    // Runs are deterministic: run again with a ring big enough for every event.
    const needed = Math.min(result.value.machine.trace.total, MAX_EXPORT_TRACE);
    result = runScenario(scenario, { traceEnabled: true, traceCapacity: needed, maxEvents, attachShell });
  }
  if (!result.ok) {
    err(`vgpio: ${src.label}: invalid scenario: ${result.error}\n`);
    return EXIT_INVALID;
  }
  const { report, machine } = result.value;
  const notes: string[] = [];
  if (exporting && machine.trace.dropped > 0) {
    err(
      `vgpio: warning: the run recorded ${machine.trace.total} trace events; the exports keep the last ${machine.trace.capacity} ` +
        `(${machine.trace.dropped} dropped from the start)\n`,
    );
  }
  const lineNames = scenario.device.lines.map((l) => l.name);
  try {
    if (vcdPath) {
      const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const bytes = writeAtomically(vcdPath, vcdChunks(machine, { mode: vcdMode, date, version: VERSION, timescale, title: scenario.title, lineNames }));
      notes.push(`wrote ${vcdPath} (VCD, ${vcdMode}, ${bytes} bytes)`);
    }
    if (tracePath) {
      const bytes = writeAtomically(tracePath, jsonlChunks(machine, { title: scenario.title, seed: scenario.seed }));
      notes.push(`wrote ${tracePath} (JSON Lines, ${machine.trace.total - machine.trace.dropped} events, ${bytes} bytes)`);
    }
  } catch (e) {
    err(`vgpio: cannot write the output: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  if (json) out(JSON.stringify(report) + '\n');
  else out(formatReport(report) + (notes.length ? '\n' + notes.join('\n') + '\n' : ''));
  return report.ok ? EXIT_OK : EXIT_FAILED;
}

// ---- list --------------------------------------------------------------------------

function summaryOf(description: unknown): string {
  if (typeof description !== 'string') return '';
  const text = description.replace(/\s+/g, ' ').trim();
  const m = /^(.+?[.!?])(\s|$)/.exec(text);
  const first = m ? (m[1] as string) : text;
  return first.length > 110 ? first.slice(0, 107).trimEnd() + '...' : first;
}

function listCommand(json: boolean): number {
  const items = LIBRARY.map((e) => {
    const s = (e.scenario ?? {}) as { title?: unknown; description?: unknown };
    return { id: e.id, title: typeof s.title === 'string' ? s.title : '', summary: summaryOf(s.description) };
  });
  if (json) {
    out(JSON.stringify({ scenarios: items }) + '\n');
    return EXIT_OK;
  }
  const lines: string[] = [];
  const width = Math.max(...items.map((i) => i.id.length));
  for (const i of items) {
    lines.push(`${i.id.padEnd(width)}  ${i.title}`);
    if (i.summary) lines.push(`${' '.repeat(width)}  ${i.summary}`);
  }
  out(lines.join('\n') + `\n\nRun one with: vgpio run <id>\n`);
  return EXIT_OK;
}

// ---- link --------------------------------------------------------------------------

/** A scenario file, library id or link, read and validated; null (after saying why) when it cannot be used. */
async function loadValidScenario(ref: string): Promise<{ src: Source; scenario: Scenario } | null> {
  const src = await loadSource(ref);
  if (!src.ok) {
    err(`vgpio: ${src.error}\n`);
    return null;
  }
  const valid = validateSource(src.value);
  if (!valid.ok) {
    err(`vgpio: ${valid.error}\n`);
    return null;
  }
  return { src: src.value, scenario: valid.value };
}

async function linkCommand(ref: string, base: string): Promise<number> {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new UsageError(`--base expects a URL such as ${DEFAULT_LINK_BASE}, got ${JSON.stringify(base)}`);
  }
  url.hash = '';
  const loaded = await loadValidScenario(ref);
  if (!loaded) return EXIT_INVALID;
  const { src } = loaded;
  let payload: string;
  try {
    payload = await encodeLink(src.json);
  } catch (e) {
    err(`vgpio: ${src.label}: ${(e as Error).message}\n`);
    return EXIT_INVALID;
  }
  const link = `${url.href}#${payload}`;
  if (link.length > MAX_LINK_CHARS) {
    err(`vgpio: ${src.label}: the scenario is too large for a link: ${link.length} characters with this base, the limit is ${MAX_LINK_CHARS}\n`);
    return EXIT_INVALID;
  }
  out(link + '\n');
  return EXIT_OK;
}

// ---- bench -------------------------------------------------------------------------

function benchCommand(json: boolean, quick: boolean): number {
  const progress = json ? undefined : (s: string): void => err(s);
  const result = runBench({ quick, progress });
  if (json) out(JSON.stringify(result) + '\n');
  else out(formatBench(result, table));
  return result.problems.length === 0 ? EXIT_OK : EXIT_FAILED;
}
