import * as v from 'valibot';
import { RULES } from '../../check/rules';
import { libraryEntry } from '../library/index';
import { lessonEntry } from './library/index';
import { parseJsonSafely, resolveScenario, validateScenario, type Result } from '../load';
import type { Scenario } from '../schema';
import { applyAnswer } from './answer';
import { glossaryEntry, termLinks } from './glossary';
import { LESSON_VERSION, LessonSchema, type Anchor, type Lesson } from './schema';

/** A lesson with its scenario resolved and validated. */
export interface LoadedLesson {
  lesson: Lesson;
  /** The lesson's scenario, validated (defaults filled in). */
  scenario: Scenario;
  /** The scenario as JSON (the library entry or the inline object): what answers patch. */
  scenarioInput: Record<string, unknown>;
}

/** Text -> validated lesson. */
export function loadLesson(text: string): Result<LoadedLesson> {
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return parsed;
  return validateLesson(parsed.value);
}

/**
 * Validates a lesson against format version 1, then what the schema alone
 * cannot see: its scenario exists and is valid, every [[term]] is in the
 * glossary, anchors name lines the scenario has and times inside the run, and
 * both reference answers make valid scenarios. One message naming the field.
 */
export function validateLesson(input: unknown): Result<LoadedLesson> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, error: 'a lesson is a JSON object' };
  const version = (input as { version?: unknown }).version;
  if (typeof version === 'number' && version > LESSON_VERSION) {
    return { ok: false, error: `version: this lesson uses format version ${version}, newer than this vgpio-lab understands (${LESSON_VERSION}); update vgpio-lab` };
  }
  const r = v.safeParse(LessonSchema, input);
  if (!r.success) {
    const issue = r.issues[0];
    const path = v.getDotPath(issue);
    return { ok: false, error: path === null ? issue.message : `${path}: ${issue.message}` };
  }
  const lesson = r.output;

  let scenarioInput: Record<string, unknown>;
  if (typeof lesson.scenario === 'string') {
    const entry = libraryEntry(lesson.scenario);
    if (!entry) return { ok: false, error: `scenario: no built-in scenario "${lesson.scenario}"` };
    scenarioInput = entry.scenario as Record<string, unknown>;
  } else scenarioInput = lesson.scenario;
  const sv = validateScenario(scenarioInput);
  if (!sv.ok) return { ok: false, error: `scenario: ${sv.error}` };
  const scenario = sv.value;
  const resolved = resolveScenario(scenario, { traceEnabled: false });
  if (!resolved.ok) return { ok: false, error: `scenario: ${resolved.error}` };

  const terms = (text: string, where: string): string | null => {
    for (const link of termLinks(text)) if (!glossaryEntry(link.term)) return `${where}: [[${link.term}]] is not in the glossary`;
    return null;
  };
  const problem = (): string | null => {
    const s = terms(lesson.summary, 'summary');
    if (s) return s;
    for (const [i, st] of lesson.steps.entries()) {
      const where = `steps.${i}`;
      const texts: [string, string][] =
        st.kind === 'narration'
          ? [['text', st.text]]
          : st.kind === 'prediction'
            ? [['question', st.question], ['why', st.why], ...st.choices.map((c, j): [string, string] => [`choices.${j}`, c])]
            : [['goal', st.goal], ...(st.hint ? [['hint', st.hint] as [string, string]] : [])];
      for (const [field, text] of texts) {
        const bad = terms(text, `${where}.${field}`);
        if (bad) return bad;
      }
      if (st.kind !== 'challenge') {
        const bad = anchorProblem(st.anchor, scenario, `${where}.anchor`);
        if (bad) return bad;
        continue;
      }
      const ids = [...(st.check.absent ?? []), ...(Array.isArray(st.check.expect?.violations) ? st.check.expect.violations : [])];
      for (const id of ids) if (!RULES.some((r) => r.id === id)) return `${where}.check: no spec rule "${id}" (see docs/model.md)`;
      for (const ref of Object.keys(st.check.expect?.lines ?? {})) {
        if (lineIndex(scenario, ref) === null) return `${where}.check.expect.lines.${ref}: the scenario has no line "${ref}"`;
      }
      for (const which of ['solution', 'wrong'] as const) {
        const applied = applyAnswer(scenarioInput, st[which]);
        const ok = validateScenario(applied);
        if (!ok.ok) return `${where}.${which}: the answer is not a valid scenario: ${ok.error}`;
        const res = resolveScenario(ok.value, { traceEnabled: false });
        if (!res.ok) return `${where}.${which}: the answer is not a valid scenario: ${res.error}`;
      }
    }
    return null;
  };
  const bad = problem();
  if (bad) return { ok: false, error: bad };
  return { ok: true, value: { lesson, scenario, scenarioInput } };
}

/** A line of the scenario by name or number, or null. */
export function lineIndex(s: Scenario, ref: string | number): number | null {
  const n = s.device.lines.length;
  if (typeof ref === 'number') return ref < n ? ref : null;
  const i = s.device.lines.findIndex((l) => l.name === ref);
  if (i >= 0) return i;
  return /^\d+$/.test(ref) && Number(ref) < n ? Number(ref) : null;
}

function anchorProblem(a: Anchor, s: Scenario, where: string): string | null {
  if (a.on === 'time') return a.at > s.duration ? `${where}.at: ${a.at} ns is after the end of the run (${s.duration} ns)` : null;
  if (a.on === 'event' && a.after !== undefined && a.after > s.duration) return `${where}.after: ${a.after} ns is after the end of the run (${s.duration} ns)`;
  if (a.line !== undefined && lineIndex(s, a.line) === null) return `${where}.line: the scenario has no line "${a.line}"`;
  return null;
}

/** A built-in lesson by id, validated. */
export function builtInLesson(id: string): Result<LoadedLesson> {
  const entry = lessonEntry(id);
  if (!entry) return { ok: false, error: `no built-in lesson "${id}" (see vgpio lesson list)` };
  return validateLesson(entry.lesson);
}
