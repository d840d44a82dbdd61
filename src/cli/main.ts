import { version as VERSION } from '../../package.json';
import {
  compareScenarios,
  scenarioWithSettings,
  validateScenario,
  DEFAULT_LINK_BASE,
  DEFAULT_MAX_EVENTS,
  DEFAULT_TRACE_CAPACITY,
  encodeLink,
  EXPLORE_LIBRARY,
  formatNs,
  jsonlChunks,
  LIBRARY,
  MAX_LINK_CHARS,
  parseDuration,
  runScenario,
  toWaveJson,
  vcdChunks,
  vcdShortStatesAt1us,
  waveJsonText,
  type Scenario,
  type VcdMode,
  type VcdTimescale,
} from '../sim/index';
import { choiceFlag, intFlag, parseArgs, UsageError, type FlagSpec } from './args';
import { runBench, formatBench } from './bench';
import { EXPLORE_HELP, EXPLORE_SPEC, exploreCommand } from './explore';
import { comparisonJson, formatComparison } from './diff-format';
import { checkOutputPath, resolveOutput, STDOUT, writeOutput } from './files';
import { formatReport, table } from './format';
import { settingsHelp } from './settings-help';
import { LESSON_HELP, lessonCommand } from './lesson';
import { jsonTextForTerminal, terminalJson, terminalLine, terminalText } from './safe';
import { progressReporter } from './progress';
import { loadSource, validateSource, type Source } from './source';

/** Exit codes: the contract of DESIGN.md §4. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INVALID = 2;
/** Not part of the contract's outcomes: a bug in vgpio-lab itself. */
export const EXIT_INTERNAL = 3;

/** Largest trace ring the CLI allocates to keep a whole run for --vcd / --trace (about 115 MB). */
export const MAX_EXPORT_TRACE = 5_000_000;

// Every text the CLI prints passes through the one sanitizer (./safe.ts); JSON through its JSON form.
const out = (s: string): void => void process.stdout.write(terminalText(s));
const outJson = (v: unknown): void => void process.stdout.write(terminalJson(v) + '\n');
const err = (s: string): void => void process.stderr.write(terminalText(s));
/** A one-line message on stderr: a newline inside it is shown as `\n`, so it cannot fake a line of its own. */
const errLine = (s: string): void => err(terminalLine(s) + '\n');

const USAGE = `vgpio ${VERSION}: run vgpio-lab scenarios (virtio-gpio with interrupts) headless

Usage:
  vgpio run <file.json | link | id> [--json] [--vcd out.vcd|-] [--vcd-mode wires|rich]
            [--vcd-timescale auto|1us|1ns [--lossy]] [--trace out.jsonl|-]
            [--wavejson out.json|- [--window 1ms..2ms]] [--seed N] [--max-events N]
  vgpio explore <file.json | link | id> [--property P] [--line L] [--max-schedules N]
            [--max-seconds S] [--random --seed N] [--json] [--link] [--out cex.json]
  vgpio diff <scenario> --with <setting>... | vgpio diff <a> <b> [--with <setting>...] [--json]
  vgpio list [--json]
  vgpio link <file.json | id> [--base URL]
  vgpio bench [--json] [--quick]
  vgpio lesson list [--json]
  vgpio lesson check <lesson> <answer.json> [--json] [--max-events N]
  vgpio guest --setup | vgpio guest [scenario] [--run 'commands']   (docs/guest.md)
  vgpio --help | vgpio <command> --help | vgpio --version

Exit status: 0 the expectations hold (or none are given), 1 they fail or the run
hit the event limit (explore: 0 no counterexample, 1 one found), 2 invalid input (file, JSON, scenario, link, id or flags),
3 an internal error (a bug in vgpio-lab). vgpio lesson check: 0 the answer passes
the lesson's challenge, 1 it does not.
`;

const HELP: Record<string, string> = {
  explore: EXPLORE_HELP,
  run: `Usage: vgpio run <file.json | link | id> [options]

Runs a scenario to its end and prints a summary: counts per line (delivered,
coalesced, spurious, lost interrupts, INVALID eventq returns, handler calls),
spec violations and expectation results. <file.json | link | id> is a scenario
file, a share link (a URL ending in #s1.…, or the s1.… text), or the id of a
built-in scenario (\`vgpio list\`).

Options:
  --json                 print exactly one JSON object: the run report
  --vcd <out.vcd>        write the waveforms as a Value Change Dump (PulseView, GTKWave);
                         - writes to stdout (the summary then goes to stderr)
  --vcd-mode <mode>      wires (default; PulseView-safe, 1-bit signals only)
                         or rich (adds string lanes for GTKWave / Surfer)
  --vcd-timescale <ts>   auto (default: 1 us when exact, else 1 ns), 1us (round down), 1ns
  --lossy                with --vcd-timescale 1us: write it even if states shorter
                         than 1 us vanish or widen (refused otherwise, exit 2)
  --trace <out.jsonl>    write the event trace as JSON Lines (- for stdout)
  --wavejson <out.json>  write a WaveDrom (WaveJSON) diagram of the lines (- for stdout)
  --window <A..B>        the time window of --wavejson, e.g. 1ms..2ms (default: the whole run)
  --seed <N>             override the scenario's seed (0 to 4294967295)
  --max-events <N>       stop after N events (default ${DEFAULT_MAX_EVENTS}); counts as a failure

Exit status: 0 expectations hold (or none), 1 they fail or the event limit was
hit, 2 invalid input or usage.
`,
  diff: `Usage: vgpio diff <scenario> --with <setting> [--with <setting>...] [--json]
       vgpio diff <a> <b> [--with <setting>...] [--json]

Runs two scenarios and compares them: the count table of both, the per-line
differences (A -> B), the causes each shows where they differ, and the first
trace event at which the runs part (its number, time and both descriptions).
With one scenario, B is that scenario with the --with settings; with two, the
settings apply to B. Each argument is a file, a link or a built-in id.

  --with <key=value>   a setting of B, as the scenario file spells it:
                       seed=N, device.spec=v8, device.preset=rust-vmm,
                       device.transport=intx, device.policy.<field>=<value>
                       (e.g. device.policy.edgeLatch=queue:4),
                       device.latency.<notify|request|event|interrupt>=2us..9us,
                       driver.<field>=<value> (e.g. driver.mask=none-type); repeatable
  --json               print one JSON object: both sides, the differences, the divergence

${settingsHelp()}
Exit status: 0 when both ran (whatever they show), 2 invalid input or usage.
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

HELP.lesson = LESSON_HELP;

const SPECS: Record<string, FlagSpec> = {
  run: {
    values: ['--vcd', '--vcd-mode', '--vcd-timescale', '--trace', '--wavejson', '--window', '--seed', '--max-events'],
    switches: ['--json', '--lossy', '--help', '-h'],
    positional: [1, 1],
  },
  list: { values: [], switches: ['--json', '--help', '-h'], positional: [0, 0] },
  diff: { values: ['--max-events'], repeatable: ['--with'], switches: ['--json', '--help', '-h'], positional: [1, 2] },
  link: { values: ['--base'], switches: ['--help', '-h'], positional: [1, 1] },
  bench: { values: [], switches: ['--json', '--quick', '--help', '-h'], positional: [0, 0] },
  lesson: { values: ['--max-events'], switches: ['--json', '--help', '-h'], positional: [1, 3] },
  explore: EXPLORE_SPEC,
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
      case 'diff':
        return await diffCommand(args);
      case 'link':
        return await linkCommand(args.positional[0] as string, args.values.get('--base') ?? DEFAULT_LINK_BASE);
      case 'bench':
        return benchCommand(args.switches.has('--json'), args.switches.has('--quick'));
      case 'lesson':
        return await lessonCommand(args, intFlag(args, '--max-events', 1, Number.MAX_SAFE_INTEGER));
      case 'explore':
        return await exploreCommand(args.positional[0] as string, args, {
          out: (s) => void process.stdout.write(s),
          err: (s) => void process.stderr.write(s),
          now: () => performance.now(),
          load: loadValidScenario,
        });
    }
    return EXIT_INVALID;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`vgpio ${cmd}: ${terminalLine(e.message)}\n\n${HELP[cmd]}`);
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
  const lossy = args.switches.has('--lossy');
  if (lossy && timescale !== '1us') throw new UsageError('--lossy only applies to --vcd-timescale 1us');
  const seed = intFlag(args, '--seed', 0, 0xffffffff);
  const maxEvents = intFlag(args, '--max-events', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_MAX_EVENTS;
  const wavePath = args.values.get('--wavejson');
  const windowText = args.values.get('--window');
  if (windowText !== undefined && !wavePath) throw new UsageError('--window needs --wavejson');
  const window = windowText === undefined ? null : parseWindow(windowText);
  const outputs: [string, string][] = [];
  for (const [flag, p] of [['--vcd', vcdPath], ['--trace', tracePath], ['--wavejson', wavePath]] as const) if (p !== undefined) outputs.push([flag, p]);
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < outputs.length; j++) {
      const [fa, a] = outputs[i] as [string, string];
      const [fb, b] = outputs[j] as [string, string];
      if (a === b || (a !== STDOUT && b !== STDOUT && safeResolve(a) === safeResolve(b))) throw new UsageError(`${fa} and ${fb} name the same file`);
    }
  }
  // `-` is stdout: the export owns it, so the text report goes to stderr, and --json (whose whole point is
  // one object on stdout) cannot share it.
  const toStdout = outputs.some(([, p]) => p === STDOUT);
  const stdoutFlag = outputs.find(([, p]) => p === STDOUT)?.[0];
  if (toStdout && json) throw new UsageError(`--json cannot be combined with ${stdoutFlag} - (both would go to stdout)`);
  for (const p of [vcdPath, tracePath, wavePath]) {
    const problem = p === undefined ? null : checkOutputPath(p);
    if (problem) {
      errLine(`vgpio: ${problem}`);
      return EXIT_INVALID;
    }
  }

  const loaded = await loadValidScenario(ref);
  if (!loaded) return EXIT_INVALID;
  const scenario: Scenario = seed === undefined ? loaded.scenario : { ...loaded.scenario, seed };
  const src = loaded.src;
  const exporting = vcdPath !== undefined || tracePath !== undefined || wavePath !== undefined;

  // The ring keeps the scenario's capacity; to export, the whole run when it fits in MAX_EXPORT_TRACE.
  const base = scenario.trace.capacity ?? DEFAULT_TRACE_CAPACITY;
  // A long run shows where it is on a terminal (never into a pipe or a file); erased before the report.
  const progress = progressReporter({ tty: process.stderr.isTTY === true, wallNow: () => performance.now(), write: (t) => void process.stderr.write(t) });
  const onProgress = progress.onProgress;
  let result = runScenario(scenario, { traceEnabled: true, traceCapacity: base, maxEvents, onProgress });
  if (result.ok && exporting && result.value.machine.trace.dropped > 0 && base < MAX_EXPORT_TRACE) {
    // Runs are deterministic: run again with a ring big enough for every event.
    const needed = Math.min(result.value.machine.trace.total, MAX_EXPORT_TRACE);
    result = runScenario(scenario, { traceEnabled: true, traceCapacity: needed, maxEvents, onProgress });
  }
  progress.done();
  if (!result.ok) {
    errLine(`vgpio: ${src.label}: invalid scenario: ${result.error}`);
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
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const vcdOpts = { mode: vcdMode, date, version: VERSION, timescale, title: scenario.title, lineNames };
  if (vcdPath && timescale === '1us') {
    // Microseconds round times down: a state shorter than 1 us vanishes or becomes 1 us wide. Say how many, before writing anything.
    const short = vcdShortStatesAt1us(machine, vcdOpts);
    const what = `${short} state${short === 1 ? '' : 's'} (pulses) shorter than 1 us`;
    if (short > 0 && !lossy) {
      errLine(`vgpio: --vcd-timescale 1us would drop or widen ${what}; use --vcd-timescale auto or 1ns for exact times, or add --lossy to write it anyway`);
      return EXIT_INVALID;
    }
    if (short > 0) errLine(`vgpio: warning: --vcd-timescale 1us --lossy: ${what} dropped or widened to 1 us in ${vcdPath === STDOUT ? 'stdout' : vcdPath}`);
  }
  let wave: ReturnType<typeof toWaveJson> | null = null;
  if (wavePath) {
    const endNs = machine.now;
    const [fromNs, toNs] = window ?? [0, endNs];
    if (fromNs >= endNs) {
      errLine(`vgpio: --window ${windowText}: the run ended at ${formatNs(endNs)}, before the window starts`);
      return EXIT_INVALID;
    }
    try {
      wave = toWaveJson(machine, { fromNs, toNs: Math.min(toNs, endNs), lineNames, title: scenario.title });
    } catch (e) {
      errLine(`vgpio: ${windowText === undefined ? '--wavejson' : `--window ${windowText}`}: ${(e as Error).message}`);
      return EXIT_INVALID;
    }
  }
  try {
    if (vcdPath) {
      const bytes = writeOutput(vcdPath, vcdChunks(machine, vcdOpts));
      notes.push(`wrote ${vcdPath === STDOUT ? 'stdout' : vcdPath} (VCD, ${vcdMode}, ${bytes} bytes)`);
    }
    if (tracePath) {
      const bytes = writeOutput(tracePath, mapChunks(jsonlChunks(machine, { title: scenario.title, seed: scenario.seed }), jsonTextForTerminal));
      notes.push(`wrote ${tracePath === STDOUT ? 'stdout' : tracePath} (JSON Lines, ${machine.trace.total - machine.trace.dropped} events, ${bytes} bytes)`);
    }
    if (wavePath && wave) {
      const bytes = writeOutput(wavePath, [jsonTextForTerminal(waveJsonText(wave.wavejson))]);
      notes.push(
        `wrote ${wavePath === STDOUT ? 'stdout' : wavePath} (WaveJSON, ${wave.wavejson.foot.text}; ${wave.samples} columns, ${bytes} bytes)`,
      );
    }
  } catch (e) {
    errLine(`vgpio: cannot write the output: ${(e as Error).message}`);
    return EXIT_INVALID;
  }
  const text = formatReport(report) + (notes.length ? '\n' + notes.map(terminalLine).join('\n') + '\n' : '');
  if (json) outJson(report);
  else if (toStdout) err(text);
  else out(text);
  return report.ok ? EXIT_OK : EXIT_FAILED;
}

/** `A..B` (durations such as `1ms..2ms`, `500us..1.5ms`), from < to. */
function parseWindow(text: string): [number, number] {
  const m = /^(.+?)\.\.(.+)$/.exec(text);
  const from = m ? parseDuration(m[1] as string) : null;
  const to = m ? parseDuration(m[2] as string) : null;
  if (from === null || to === null) throw new UsageError(`--window expects FROM..TO durations such as 1ms..2ms, got ${JSON.stringify(text)}`);
  if (to <= from) throw new UsageError(`--window ${text}: the end must come after the start`);
  return [from, to];
}

function* mapChunks(chunks: Iterable<string>, f: (s: string) => string): Generator<string, void, undefined> {
  for (const c of chunks) yield f(c);
}

function safeResolve(p: string): string {
  try {
    return resolveOutput(p);
  } catch {
    return p;
  }
}

// ---- diff --------------------------------------------------------------------------

async function diffCommand(args: ReturnType<typeof parseArgs>): Promise<number> {
  const settings = args.multi.get('--with') ?? [];
  const [refA, refB] = args.positional as [string, string | undefined];
  if (refB === undefined && settings.length === 0) throw new UsageError('give a second scenario, or --with settings for the second run');
  const maxEvents = intFlag(args, '--max-events', 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_MAX_EVENTS;
  const a = await loadValidScenario(refA);
  if (!a) return EXIT_INVALID;
  const b = refB === undefined ? a : await loadValidScenario(refB);
  if (!b) return EXIT_INVALID;
  let scenarioB = b.scenario;
  let labelB = b.src.label;
  if (settings.length > 0) {
    const patched = scenarioWithSettings(b.src.json, settings);
    const valid = patched.ok ? validateScenario(patched.value) : patched;
    if (!valid.ok) {
      errLine(`vgpio: --with: ${valid.error}`);
      return EXIT_INVALID;
    }
    scenarioB = valid.value;
    labelB = `${labelB} with ${settings.join(', ')}`;
  }
  const c = compareScenarios({ label: a.src.label, scenario: a.scenario }, { label: labelB, scenario: scenarioB }, maxEvents);
  if (!c.ok) {
    errLine(`vgpio: ${c.error}`);
    return EXIT_INVALID;
  }
  if (args.switches.has('--json')) outJson(comparisonJson(c.value));
  else out(formatComparison(c.value));
  return EXIT_OK;
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
  const itemsOf = (lib: typeof LIBRARY): { id: string; title: string; summary: string }[] =>
    lib.map((e) => {
      const s = (e.scenario ?? {}) as { title?: unknown; description?: unknown };
      return { id: e.id, title: typeof s.title === 'string' ? s.title : '', summary: summaryOf(s.description) };
    });
  const items = itemsOf(LIBRARY);
  // Timing questions for `vgpio explore`, each with the property it is about.
  const exploreItems = itemsOf(EXPLORE_LIBRARY).map((i, k) => ({ ...i, property: EXPLORE_LIBRARY[k]?.explore?.property ?? '' }));
  if (json) {
    outJson({ scenarios: items, explore: exploreItems });
    return EXIT_OK;
  }
  const lines: string[] = [];
  const width = Math.max(...[...items, ...exploreItems].map((i) => i.id.length));
  for (const i of items) {
    lines.push(`${i.id.padEnd(width)}  ${i.title}`);
    if (i.summary) lines.push(`${' '.repeat(width)}  ${i.summary}`);
  }
  lines.push('', 'For the explorer (latency ranges and step windows; vgpio explore <id>):');
  for (const i of exploreItems) lines.push(`${i.id.padEnd(width)}  ${i.title}`);
  out(lines.map(terminalLine).join('\n') + `\n\nRun one with: vgpio run <id>\n`);
  return EXIT_OK;
}

// ---- link --------------------------------------------------------------------------

/** A scenario file, library id or link, read and validated; null (after saying why) when it cannot be used. */
async function loadValidScenario(ref: string): Promise<{ src: Source; scenario: Scenario } | null> {
  const src = await loadSource(ref);
  if (!src.ok) {
    errLine(`vgpio: ${src.error}`);
    return null;
  }
  const valid = validateSource(src.value);
  if (!valid.ok) {
    errLine(`vgpio: ${valid.error}`);
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
    errLine(`vgpio: ${src.label}: ${(e as Error).message}`);
    return EXIT_INVALID;
  }
  const link = `${url.href}#${payload}`;
  if (link.length > MAX_LINK_CHARS) {
    errLine(`vgpio: ${src.label}: the scenario is too large for a link: ${link.length} characters with this base, the limit is ${MAX_LINK_CHARS}`);
    return EXIT_INVALID;
  }
  out(link + '\n');
  return EXIT_OK;
}

// ---- bench -------------------------------------------------------------------------

function benchCommand(json: boolean, quick: boolean): number {
  const progress = json ? undefined : (s: string): void => err(s);
  const result = runBench({ quick, progress });
  if (json) outJson(result);
  else out(formatBench(result, table));
  return result.problems.length === 0 ? EXIT_OK : EXIT_FAILED;
}
