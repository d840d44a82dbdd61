import { statSync } from 'node:fs';
import {
  builtInLesson,
  checkChallenge,
  LESSONS,
  loadLesson,
  MAX_SCENARIO_BYTES,
  plainText,
  type ChallengeStep,
  type LoadedLesson,
  type Result,
} from '../sim/index';
import { UsageError, type ParsedArgs } from './args';
import { terminalJson, terminalLine, terminalText } from './safe';
import { loadSource, readRegularFile, validateSource } from './source';

/**
 * `vgpio lesson list` and `vgpio lesson check <lesson> <answer>`: a course
 * grades a student's scenario against a lesson's challenge headless (exit 0
 * passed, 1 not, 2 invalid input). Every text goes through ./safe.ts.
 */

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_INVALID = 2;

const out = (s: string): void => void process.stdout.write(terminalText(s));
const outJson = (v: unknown): void => void process.stdout.write(terminalJson(v) + '\n');
const errLine = (s: string): void => void process.stderr.write(terminalLine(s) + '\n');

export const LESSON_HELP = `Usage: vgpio lesson list [--json]
       vgpio lesson check <lesson> <answer.json> [--json] [--max-events N]

list    the built-in lessons: id, minutes and title (--json adds the challenge)
check   runs the student's scenario <answer.json> (a file, share link or built-in
        scenario id) and applies the challenge check of <lesson> (a built-in
        lesson id or a lesson file): the lesson's expected counts, violations
        and shell output, and which settings the answer may change compared
        with the lesson's scenario. Prints each condition and the result.

Options:
  --json             print one JSON object
  --max-events <N>   stop the student's run after N events (counts as not passed)

Exit status: 0 passed, 1 not passed, 2 invalid input (lesson, answer or usage).
`;

/** Columns padded on the right; each cell made one safe line first. */
function columns(rows: string[][]): string[] {
  const safe = rows.map((r) => r.map((c) => terminalLine(c)));
  const widths: number[] = [];
  for (const r of safe) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return safe.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  '));
}

const challengeOf = (l: LoadedLesson): ChallengeStep => l.lesson.steps[l.lesson.steps.length - 1] as ChallengeStep;

export function lessonList(json: boolean): number {
  const rows = LESSONS.map((e) => {
    const r = builtInLesson(e.id);
    if (!r.ok) throw new Error(`built-in lesson ${e.id} is invalid: ${r.error}`);
    return { id: e.id, title: r.value.lesson.title, minutes: r.value.lesson.minutes, challenge: plainText(challengeOf(r.value).goal) };
  });
  if (json) {
    outJson({ lessons: rows });
    return EXIT_OK;
  }
  out(`${columns([['id', 'min', 'title'], ...rows.map((r) => [r.id, String(r.minutes), r.title])]).join('\n')}\n`);
  return EXIT_OK;
}

/** A lesson by built-in id, else a lesson file. */
function findLesson(ref: string): Result<LoadedLesson> {
  if (LESSONS.some((e) => e.id === ref)) return builtInLesson(ref);
  let isFile = false;
  try {
    isFile = ref.length < 4096 && statSync(ref) !== undefined;
  } catch {
    isFile = false;
  }
  if (!isFile) return { ok: false, error: `${ref}: no such built-in lesson (see \`vgpio lesson list\`) or lesson file` };
  let text: string;
  try {
    const read = readRegularFile(ref, MAX_SCENARIO_BYTES);
    if (!read.ok) return read;
    text = read.text.replace(/^\uFEFF/, '');
  } catch (e) {
    return { ok: false, error: `${ref}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const r = loadLesson(text);
  return r.ok ? r : { ok: false, error: `${ref}: invalid lesson: ${r.error}` };
}

export async function lessonCheck(lessonRef: string, answerRef: string, json: boolean, maxEvents: number | undefined): Promise<number> {
  const lesson = findLesson(lessonRef);
  if (!lesson.ok) {
    errLine(`vgpio: ${lesson.error}`);
    return EXIT_INVALID;
  }
  const src = await loadSource(answerRef);
  if (!src.ok) {
    errLine(`vgpio: ${src.error}`);
    return EXIT_INVALID;
  }
  const answer = validateSource(src.value);
  if (!answer.ok) {
    errLine(`vgpio: ${answer.error}`);
    return EXIT_INVALID;
  }
  const l = lesson.value;
  const r = checkChallenge(l, answer.value, maxEvents === undefined ? {} : { maxEvents });
  if (json) {
    outJson({ lesson: l.lesson.id, answer: src.value.label, passed: r.passed, reason: r.reason, changed: r.changed, results: r.results });
    return r.passed ? EXIT_OK : EXIT_FAILED;
  }
  // Every item is made one safe line: a value cannot start a line of its own.
  const lines = [
    `lesson: ${l.lesson.id} (${l.lesson.title})`,
    `challenge: ${plainText(challengeOf(l).goal)}`,
    `answer: ${src.value.label}`,
    `changed: ${r.changed.length === 0 ? 'nothing' : r.changed.join(', ')}`,
  ].map(terminalLine);
  lines.push(...columns(r.results.map((x) => [x.ok ? '  ok' : '  FAIL', x.what, `expected ${x.expected}, got ${x.actual}`])));
  lines.push(terminalLine(r.passed ? 'result: passed' : `result: not passed: ${r.reason}`));
  out(`${lines.join('\n')}\n`);
  return r.passed ? EXIT_OK : EXIT_FAILED;
}

export async function lessonCommand(args: ParsedArgs, maxEvents: number | undefined): Promise<number> {
  const [sub, ...rest] = args.positional;
  const json = args.switches.has('--json');
  if (sub === 'list') {
    if (rest.length > 0) throw new UsageError(`lesson list takes no arguments, got ${JSON.stringify(rest[0])}`);
    if (maxEvents !== undefined) throw new UsageError('--max-events only applies to lesson check');
    return lessonList(json);
  }
  if (sub === 'check') {
    if (rest.length !== 2) throw new UsageError('lesson check needs <lesson> and <answer.json>');
    return lessonCheck(rest[0] as string, rest[1] as string, json, maxEvents);
  }
  throw new UsageError(`unknown lesson command ${JSON.stringify(sub)}: expected list or check`);
}
