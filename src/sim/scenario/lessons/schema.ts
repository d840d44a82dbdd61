import * as v from 'valibot';
import { KINDS } from '../../trace/kinds';
import { Duration, Expectations, LineRef } from '../schema';
import { LESSON_VERSION } from './version';

/**
 * Lesson format, version 1 (docs/lessons.md). A lesson is a scenario (a
 * built-in id or an inline scenario) and an ordered list of steps: narration
 * anchored to a point of the run, predictions asked before the run goes on,
 * and a final challenge whose check the core evaluates on the student's run.
 * Strict objects throughout, like the scenario format: a typo is an error.
 */

export { LESSON_VERSION };
export const MAX_LESSON_STEPS = 40;
const MAX_TEXT = 2_000;

const Text = (what: string) => v.pipe(v.string(), v.minLength(1, `${what} is empty`), v.maxLength(MAX_TEXT, `${what} is longer than ${MAX_TEXT} characters`));
const Count = v.pipe(v.number(), v.integer('expected an integer'), v.minValue(0, 'expected a non-negative integer'));
const Ordinal = v.pipe(v.number(), v.integer('expected an integer'), v.minValue(1, 'counts from 1'));
const CountRange = v.pipe(
  v.union([Count, v.strictTuple([Count, Count])], 'expected a count or a [min, max] pair'),
  v.transform((x) => (Array.isArray(x) ? { min: x[0], max: x[1] } : { min: x, max: x })),
  v.check((r) => r.min <= r.max, 'range minimum is above its maximum'),
);
/** A virtio spec section, e.g. "5.18.6.9" (the lesson paraphrases it; never quotes it). */
const Section = v.pipe(v.string(), v.regex(/^\d{1,2}(\.\d{1,2}){0,4}$/, 'expected a spec section number such as "5.18.6.9"'));
/** A settings path prefix: "driver", "device.policy.edgeLatch", "clients.0.handlerTime", "timeline". */
const SettingPath = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/, 'expected a settings path such as "driver" or "device.policy.edgeLatch"'));

/** A point in the run a step belongs to; an app runs (or steps) the scenario to it. */
export const AnchorSchema = v.variant(
  'on',
  [
    v.strictObject({
      on: v.literal('event'),
      /** A trace kind name (RingAdd, EvqReturn, HandlerStart, ...). */
      kind: v.picklist(KINDS.names, 'expected a trace kind name such as "EvqReturn" or "MsgRequest"'),
      line: v.optional(LineRef),
      nth: v.optional(Ordinal, 1),
      /** Count only events at or after this time. */
      after: v.optional(Duration),
    }),
    v.strictObject({ on: v.literal('handler-call'), n: Ordinal, line: v.optional(LineRef) }),
    v.strictObject({ on: v.literal('time'), at: Duration }),
  ],
  'expected an anchor with on = "event", "handler-call" or "time"',
);

const Narration = v.strictObject({
  kind: v.literal('narration'),
  text: Text('narration text'),
  cite: v.optional(Section),
  anchor: AnchorSchema,
});

const Prediction = v.pipe(
  v.strictObject({
    kind: v.literal('prediction'),
    question: Text('question'),
    choices: v.pipe(v.array(Text('choice')), v.minLength(2, 'a prediction needs at least two choices'), v.maxLength(6, 'at most six choices')),
    /** Index of the right choice, from 0. */
    answer: Count,
    /** Shown after the answer, right or wrong. */
    why: Text('why'),
    cite: v.optional(Section),
    anchor: AnchorSchema,
  }),
  v.check((p) => p.answer < p.choices.length, 'answer: the right choice is not one of the choices'),
);

/** What the student may change, compared field by field with the lesson's scenario (after defaults). */
const Settings = v.strictObject({
  /** How many settings may differ in all. */
  changes: v.optional(CountRange),
  /** Every change lies under one of these paths. */
  only: v.optional(v.pipe(v.array(SettingPath), v.minLength(1))),
  /** Nothing under these paths changes. */
  keep: v.optional(v.pipe(v.array(SettingPath), v.minLength(1))),
});

export const CheckSchema = v.strictObject({
  /** The run's counts, violations and shell output, in the scenario format's `expect` shape. */
  expect: v.optional(Expectations),
  settings: v.optional(Settings),
  /** Spec rules (ids) that must not be broken in the run. */
  absent: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1))),
  /** Substrings the shell output must not contain. */
  shellLacks: v.optional(v.pipe(v.array(v.pipe(v.string(), v.minLength(1))), v.minLength(1))),
});

const ShellStep = v.strictObject({ at: Duration, command: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)) });
/** An answer a test applies: a merge patch on the lesson's scenario, and/or shell commands added to its timeline. */
const Answer = v.pipe(
  v.strictObject({
    patch: v.optional(v.record(v.string(), v.unknown())),
    shell: v.optional(v.pipe(v.array(ShellStep), v.minLength(1))),
    note: v.optional(Text('note')),
  }),
  v.check((a) => a.patch !== undefined || a.shell !== undefined, 'an answer needs a patch or shell commands'),
);

const Challenge = v.strictObject({
  kind: v.literal('challenge'),
  goal: Text('goal'),
  hint: v.optional(Text('hint')),
  cite: v.optional(Section),
  check: CheckSchema,
  /** The reference solution: passes the check. */
  solution: Answer,
  /** A plausible wrong answer: fails the check (tests prove both). */
  wrong: Answer,
});

const Step = v.variant('kind', [Narration, Prediction, Challenge], 'expected a step with kind = "narration", "prediction" or "challenge"');

export const LessonSchema = v.pipe(
  v.strictObject({
    version: v.literal(LESSON_VERSION, `expected version ${LESSON_VERSION}`),
    id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a lesson id of lowercase letters, digits and dashes')),
    title: v.pipe(v.string(), v.minLength(1, 'a lesson needs a title'), v.maxLength(200)),
    summary: Text('summary'),
    minutes: v.pipe(v.number(), v.integer(), v.minValue(1, 'a lesson takes at least a minute'), v.maxValue(30, 'a lesson takes at most 30 minutes')),
    /** A built-in scenario id, or a scenario inline. */
    scenario: v.union([v.pipe(v.string(), v.minLength(1)), v.record(v.string(), v.unknown())], 'expected a built-in scenario id or a scenario object'),
    steps: v.pipe(v.array(Step), v.minLength(2, 'a lesson needs at least two steps'), v.maxLength(MAX_LESSON_STEPS, `at most ${MAX_LESSON_STEPS} steps`)),
  }),
  v.check((l) => l.steps[l.steps.length - 1]?.kind === 'challenge', 'steps: a lesson ends with a challenge'),
  v.check((l) => l.steps.filter((s) => s.kind === 'challenge').length === 1, 'steps: a lesson has exactly one challenge'),
);

/** A lesson as validated (durations in ns, ranges as {min, max}). */
export type Lesson = v.InferOutput<typeof LessonSchema>;
/** A lesson as its JSON file holds it. */
export type LessonInput = v.InferInput<typeof LessonSchema>;
export type LessonStep = Lesson['steps'][number];
export type ChallengeStep = Extract<LessonStep, { kind: 'challenge' }>;
export type Anchor = v.InferOutput<typeof AnchorSchema>;
export type ChallengeAnswer = ChallengeStep['solution'];
