import {
  DEFAULT_LINK_BASE,
  encodeLink,
  explore,
  EXPLORE_DEFAULTS,
  formatNs,
  libraryEntry,
  MAX_LINK_CHARS,
  MAX_STATES,
  parseProperty,
  type ExploreResult,
  type Scenario,
} from '../sim/index';
import { intFlag, UsageError, type FlagSpec, type ParsedArgs } from './args';
import { checkOutputPath, STDOUT, writeOutput } from './files';
import { jsonTextForTerminal, terminalJson, terminalLine, terminalText } from './safe';
import type { Source } from './source';

/** Exit codes of `vgpio explore` (the contract of docs/cli.md). */
export const EXPLORE_NONE = 0;
export const EXPLORE_FOUND = 1;
export const EXPLORE_INVALID = 2;

export const EXPLORE_HELP = `Usage: vgpio explore <file.json | link | id> [options]

Searches the timings a scenario allows for one that breaks a property: every
latency given as a [min, max] range and every timeline step given a time window
("at": ["1ms", "1.2ms"]) is a choice point. Breadth-first by the number of
choices that differ from the seeded default run, so the first counterexample
found is a shortest one; or randomized with --random. See docs/explore.md.

Options:
  --property <p>        what counts as a failure (default: the built-in entry's, else lost):
                          lost | spurious | coalesced   an oracle label (on --line, or any line)
                          violation                     any MUST-level spec violation
                          rule:<id>                     one spec rule, e.g. rule:gpio.rq.type-change-via-none
                          livelock:<N>                  more than N INVALID eventq returns in one simulated ms
                          expect                        the scenario's expect section fails
  --line <L>            the line (name or number) for lost, spurious, coalesced
  --max-schedules <N>   run at most N schedules (default ${EXPLORE_DEFAULTS.maxSchedules})
  --max-seconds <S>     stop after S seconds of wall time
  --max-states <N>      size of the visited-state set (about 16.8 bytes per state; default ${EXPLORE_DEFAULTS.maxStates})
  --values <K>          values tried per choice point at most (default ${EXPLORE_DEFAULTS.valuesPerChoice})
  --max-depth <D>       at most D choices away from the default run
  --random              randomized search (a swarm of deviation probabilities), shrunk when found
  --seed <N>            the randomized search's seed (with --random; default 1)
  --json                print one JSON object: the result, counterexample included
  --link                print the counterexample's share link (scenario + schedule)
  --base <URL>          the app's address for --link (default ${DEFAULT_LINK_BASE})
  --out <cex.json>      write the counterexample as a scenario file with concrete times

Exit status: 0 no counterexample found (the output says whether the space was
exhausted), 1 a counterexample was found, 2 invalid input or usage.
`;

export const EXPLORE_SPEC: FlagSpec = {
  values: ['--property', '--line', '--max-schedules', '--max-seconds', '--max-states', '--values', '--max-depth', '--seed', '--base', '--out'],
  switches: ['--json', '--link', '--random', '--help', '-h'],
  positional: [1, 1],
};

export interface ExploreIo {
  out(s: string): void;
  err(s: string): void;
  /** Wall-clock milliseconds (performance.now): the core has no clock. */
  now(): number;
  load(ref: string): Promise<{ src: Source; scenario: Scenario } | null>;
}

function secondsFlag(args: ParsedArgs): number | undefined {
  const text = args.values.get('--max-seconds');
  if (text === undefined) return undefined;
  if (!/^\d{1,7}(\.\d{1,3})?$/.test(text) || Number(text) <= 0) throw new UsageError(`--max-seconds expects a positive number of seconds, got ${JSON.stringify(text)}`);
  return Number(text);
}

export async function exploreCommand(ref: string, args: ParsedArgs, io: ExploreIo): Promise<number> {
  const json = args.switches.has('--json');
  const random = args.switches.has('--random');
  const seed = intFlag(args, '--seed', 0, 0xffffffff);
  if (seed !== undefined && !random) throw new UsageError('--seed needs --random (the breadth-first search has no randomness)');
  const maxSchedules = intFlag(args, '--max-schedules', 1, 1_000_000_000);
  const maxStates = intFlag(args, '--max-states', 1, MAX_STATES);
  const values = intFlag(args, '--values', 2, 1000);
  const maxDepth = intFlag(args, '--max-depth', 0, 1_000_000);
  const maxSeconds = secondsFlag(args);
  const outPath = args.values.get('--out');
  const wantLink = args.switches.has('--link');
  let base: URL;
  try {
    base = new URL(args.values.get('--base') ?? DEFAULT_LINK_BASE);
  } catch {
    throw new UsageError(`--base expects a URL such as ${DEFAULT_LINK_BASE}`);
  }
  base.hash = '';
  if (args.values.has('--base') && !wantLink) throw new UsageError('--base needs --link');
  if (outPath !== undefined) {
    if (outPath === STDOUT) throw new UsageError('--out needs a file name (the report goes to stdout)');
    const problem = checkOutputPath(outPath);
    if (problem) {
      io.err(terminalLine(`vgpio: ${problem}`) + '\n');
      return EXPLORE_INVALID;
    }
  }

  const loaded = await io.load(ref);
  if (!loaded) return EXPLORE_INVALID;
  const { src, scenario } = loaded;
  const preset = src.kind === 'library' ? libraryEntry(ref)?.explore : undefined;
  const propText = args.values.get('--property') ?? preset?.property ?? 'lost';
  const lineText = args.values.get('--line') ?? (args.values.has('--property') ? undefined : preset?.line);
  const prop = parseProperty(propText, lineText ?? null, scenario);
  if (!prop.ok) {
    io.err(terminalLine(`vgpio explore: ${src.label}: ${prop.error}`) + '\n');
    return EXPLORE_INVALID;
  }
  const r = explore(src.json, {
    property: prop.value,
    now: io.now,
    ...(maxSchedules !== undefined ? { maxSchedules } : {}),
    ...(maxStates !== undefined ? { maxStates } : {}),
    ...(values !== undefined ? { valuesPerChoice: values } : {}),
    ...(maxDepth !== undefined ? { maxDepth } : {}),
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    random: random ? { seed: seed ?? 1 } : null,
  });
  if (!r.ok) {
    io.err(terminalLine(`vgpio explore: ${src.label}: invalid scenario: ${r.error}`) + '\n');
    return EXPLORE_INVALID;
  }
  const res = r.value;
  const cex = res.counterexample;
  let link: string | null = null;
  const notes: string[] = [];
  if (cex && wantLink) {
    try {
      link = `${base.href}#${await encodeLink(cex.scenario)}`;
      if (link.length > MAX_LINK_CHARS) throw new RangeError(`the counterexample is too large for a link: ${link.length} characters, the limit is ${MAX_LINK_CHARS}`);
    } catch (e) {
      notes.push(`no link: ${(e as Error).message}`);
      link = null;
    }
  }
  if (cex && outPath !== undefined) {
    try {
      const bytes = writeOutput(outPath, [jsonTextForTerminal(JSON.stringify(cex.concrete, null, 2)) + '\n']);
      notes.push(`wrote ${outPath} (the counterexample with concrete times, ${bytes} bytes)`);
    } catch (e) {
      io.err(terminalLine(`vgpio: cannot write the output: ${(e as Error).message}`) + '\n');
      return EXPLORE_INVALID;
    }
  }
  if (json) {
    const { counterexample: c, ...rest } = res;
    const body = {
      ...rest,
      verdict: verdict(res),
      counterexample: c && {
        schedule: c.schedule,
        choices: c.choices,
        traceHash: c.traceHash,
        lines: c.report.lines,
        violations: c.report.violations,
        scenario: c.scenario,
        concrete: c.concrete,
        ...(link ? { link } : {}),
      },
    };
    io.out(terminalJson(body) + '\n');
  } else {
    io.out(terminalText(formatExplore(res, link, notes)));
  }
  return cex ? EXPLORE_FOUND : EXPLORE_NONE;
}

/** One sentence: what the search found, and what "none found" means here. */
export function verdict(r: ExploreResult): string {
  const b = r.bounds;
  if (r.counterexample) {
    const n = r.counterexample.schedule.length;
    const how = r.mode === 'breadth-first' ? 'a shortest one' : 'found at random and shrunk';
    return `Counterexample: ${r.property}, ${n} choice${n === 1 ? '' : 's'} away from the seeded default run (${how}).`;
  }
  if (r.exhausted && r.choicePoints === 0) {
    return (
      'No counterexample: the scenario has no choice points (every latency fixed, no step window), so its one run is the whole space. ' +
      'Give latencies as [min, max] ranges or steps an "at": [earliest, latest] window to explore timings.'
    );
  }
  if (r.exhausted) {
    return (
      `No schedule within these bounds breaks the property: every choice point was tried at one value per order class ` +
      `(at most ${b.valuesPerChoice} per choice), over the latency ranges and step windows the scenario gives; ` +
      `${plural(r.schedules, 'schedule')}, ${plural(r.states, 'distinct state')}.`
    );
  }
  const why =
    r.stop === 'max-schedules'
      ? `it stopped at --max-schedules ${b.maxSchedules}`
      : r.stop === 'max-seconds'
        ? `it stopped at --max-seconds ${b.maxSeconds}`
        : r.mode === 'random'
          ? 'a randomized search never exhausts a space'
          : `--max-depth ${b.maxDepth} cut the search`;
  return `No counterexample found, but the space was NOT exhausted (${why}): this is no proof.`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function formatExplore(r: ExploreResult, link: string | null, notes: string[]): string {
  const lines: string[] = [];
  lines.push(`${r.title}`);
  lines.push(`property: ${r.property}`);
  lines.push(`search: ${r.mode}, ${r.choicePoints} choice points in the default run`);
  lines.push('');
  lines.push(verdict(r));
  const secs = r.elapsedMs === null ? null : r.elapsedMs / 1000;
  const rate = secs && secs > 0 ? `, ${Math.round(r.schedules / secs)} schedules/s` : '';
  lines.push(
    `explored: ${plural(r.schedules, 'schedule')}, ${plural(r.states, 'distinct state')}, ${plural(r.events, 'simulated event')}` +
      (secs === null ? '' : ` in ${secs.toFixed(2)} s${rate}`),
  );
  const b = r.bounds;
  lines.push(
    `bounds: max ${b.maxSchedules} schedules, ${b.valuesPerChoice} values per choice, ` +
      `${b.maxDepth === null ? 'no depth limit' : `depth ${b.maxDepth}`}, ${b.maxSeconds === null ? 'no time limit' : `${b.maxSeconds} s`}, ` +
      `visited set ${b.maxStates} states (${(b.visitedBytes / 1048576).toFixed(1)} MiB)` + (r.statesOverflow > 0 ? `, overflowed by ${r.statesOverflow}` : ''),
  );
  const c = r.counterexample;
  if (c) {
    lines.push('');
    lines.push('schedule (choices that differ from the seeded default):');
    if (c.choices.length === 0) lines.push('  none: the seeded default run itself breaks the property');
    for (const ch of c.choices) {
      const what = ch.what === 'window' ? 'step time' : 'latency';
      lines.push(`  choice ${ch.index} (${what}): ${formatNs(ch.value)} instead of ${formatNs(ch.dflt)} (range ${formatNs(ch.min)} .. ${formatNs(ch.max)})`);
    }
    const ls = c.report.lines.filter((l) => l.lost + l.spurious + l.coalesced + l.delivered > 0);
    for (const l of ls) {
      lines.push(`  line ${l.line}${l.name ? ` (${l.name})` : ''}: ${l.delivered} delivered, ${l.coalesced} coalesced, ${l.spurious} spurious, ${l.lost} lost, ${l.handlerCalls} handler calls`);
    }
    if (c.report.violationCount > 0) lines.push(`  spec violations: ${[...new Set(c.report.violations.map((v) => v.rule))].join(', ')}`);
    lines.push(`  trace hash ${c.traceHash}; replay: vgpio run <the --out file or the --link>`);
    if (link) lines.push(`link: ${link}`);
  }
  for (const n of notes) lines.push(n);
  return lines.map(terminalLine).join('\n') + '\n';
}
