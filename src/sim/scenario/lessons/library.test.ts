import { describe, expect, test } from 'vitest';
import { validateScenario } from '../load';
import { KINDS, TK } from '../../trace/kinds';
import { runScenario } from '../runner';
import { resolveAnchors } from './anchor';
import { applyAnswer } from './answer';
import { checkChallenge } from './check';
import { GLOSSARY, glossaryEntry, termLinks } from './glossary';
import { LESSONS } from './library/index';
import { builtInLesson, lineIndex, type LoadedLesson } from './load';
import type { ChallengeStep } from './schema';

const load = (id: string): LoadedLesson => {
  const r = builtInLesson(id);
  if (!r.ok) throw new Error(`${id}: ${r.error}`);
  return r.value;
};
const challengeOf = (l: LoadedLesson): ChallengeStep => l.lesson.steps[l.lesson.steps.length - 1] as ChallengeStep;
const answerScenario = (l: LoadedLesson, which: 'solution' | 'wrong') => {
  const v = validateScenario(applyAnswer(l.scenarioInput, challengeOf(l)[which]));
  if (!v.ok) throw new Error(v.error);
  return v.value;
};

describe('the built-in lessons', () => {
  test('there are 17, each validates, and its id is its file id', () => {
    expect(LESSONS.map((e) => e.id)).toEqual([
      'device-and-config',
      'requestq-round-trip',
      'line-names',
      'directions-and-values',
      'eventq-buffer-pair',
      'edge-interrupt-end-to-end',
      'edge-latch-coalescing',
      'level-resample-eoi',
      'timer-reasserts-before-eoi',
      'mask-by-none-loses-edges',
      'changing-trigger-safely',
      'real-stacks',
      'counted-edges',
      'lazy-none',
      'qemu-without-f-irq',
      'transport-interrupts',
      'interrupt-domains',
    ]);
    for (const e of LESSONS) expect(load(e.id).lesson.id).toBe(e.id);
  });

  test.each(LESSONS.map((e) => e.id))('%s: takes 3 to 10 minutes, has a prediction, cites the spec and ends with its one challenge', (id) => {
    const l = load(id).lesson;
    expect(l.minutes).toBeGreaterThanOrEqual(3);
    expect(l.minutes).toBeLessThanOrEqual(10);
    expect(l.steps.filter((s) => s.kind === 'prediction').length).toBeGreaterThanOrEqual(1);
    expect(l.steps.filter((s) => s.kind === 'narration').length).toBeGreaterThanOrEqual(2);
    expect(l.steps.some((s) => s.cite !== undefined)).toBe(true);
    expect(l.steps.map((s) => s.kind).lastIndexOf('challenge')).toBe(l.steps.length - 1);
  });

  test.each(LESSONS.map((e) => e.id))('%s: the reference solution passes its check and the wrong answer fails it', (id) => {
    const l = load(id);
    const good = checkChallenge(l, answerScenario(l, 'solution'));
    expect(good.reason).toBe('');
    expect(good.passed).toBe(true);
    const bad = checkChallenge(l, answerScenario(l, 'wrong'));
    expect(bad.passed).toBe(false);
    expect(bad.reason).not.toBe('');
    // The lesson's own scenario, unchanged, is not an answer either.
    expect(checkChallenge(l, l.scenario).passed).toBe(false);
  });

  test.each(LESSONS.map((e) => e.id))('%s: every step anchor resolves to the event it names in the scenario run', (id) => {
    const l = load(id);
    const r = resolveAnchors(l);
    if (!r.ok) throw new Error(r.error);
    const points = r.value;
    expect(points).toHaveLength(l.lesson.steps.length);
    const run = runScenario(l.scenario);
    if (!run.ok) throw new Error(run.error);
    const trace = run.value.machine.trace;
    l.lesson.steps.forEach((s, i) => {
      const p = points[i];
      if (s.kind === 'challenge') return expect(p).toBeNull();
      expect(p).not.toBeNull();
      expect(p?.t).toBeLessThanOrEqual(l.scenario.duration);
      const a = s.anchor;
      if (a.on === 'time') return expect(p).toEqual({ t: a.at, seq: null });
      // The event it lands on is the one it names: that kind, on that line.
      const e = trace.get(p?.seq as number);
      expect(e?.kind).toBe(a.on === 'event' ? KINDS.codeOf(a.kind) : TK.HandlerStart);
      if (a.line !== undefined) expect(e?.line).toBe(lineIndex(l.scenario, a.line));
      if (a.on === 'handler-call') expect(e?.c).toBe(0);
    });
    // An app runs forward from step to step: anchors never go back in time.
    const times = points.filter((p) => p !== null).map((p) => p.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('every [[term]] in every lesson resolves in the glossary', () => {
    let links = 0;
    for (const e of LESSONS) {
      const l = load(e.id).lesson;
      const texts = [l.summary, ...l.steps.flatMap((s) => (s.kind === 'narration' ? [s.text] : s.kind === 'prediction' ? [s.question, s.why, ...s.choices] : [s.goal, s.hint ?? '']))];
      for (const t of texts) {
        for (const link of termLinks(t)) {
          links++;
          expect(glossaryEntry(link.term), link.term).toBeDefined();
        }
      }
    }
    expect(links).toBeGreaterThanOrEqual(40);
  });
});

describe('the glossary', () => {
  test('ids are unique, every "see" names an entry, and no key resolves to two entries by id', () => {
    const ids = GLOSSARY.map((g) => g.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const g of GLOSSARY) for (const s of g.see ?? []) expect(ids, `${g.id} -> ${s}`).toContain(s);
    for (const g of GLOSSARY) expect(glossaryEntry(g.id)).toBe(g);
  });

  test('each sense of "masked" has its own entry, and the plain word lists them', () => {
    const senses = ['masked-flag', 'masked-none', 'masked-vector', 'masked-sink', 'masked-result'];
    for (const s of senses) expect(glossaryEntry(s)?.id).toBe(s);
    expect(glossaryEntry('Masked')?.see).toEqual(senses);
  });

  test('the terms the brief names are defined', () => {
    for (const t of ['virtqueue', 'descriptor', 'avail ring', 'used ring', 'kick', 'eventq buffer pair', 'armed', 'latched', 'sink', 'coalesced', 'spurious', 'lost', 'EOI', 'trigger type', 'level vs edge', 'INVALID', 'F_IRQ', 'VIRTIO_GPIO_F_IRQ']) {
      expect(glossaryEntry(t), t).toBeDefined();
    }
  });
});
