import { describe, expect, test } from 'vitest';
import { GLOSSARY, LESSONS, glossaryEntry } from '../sim/index';
import { lessonJson, scenarioSource, stepMove, textParts } from './lesson-player';

describe('the lesson player', () => {
  test('splits lesson text into words and glossary links, keeping every word in order', () => {
    const parts = textParts('The [[handler]] runs; the [[masked-flag|masked]] flag is set.');
    expect(parts).toEqual([{ text: 'The ' }, { term: 'handler', shown: 'handler' }, { text: ' runs; the ' }, { term: 'masked-flag', shown: 'masked' }, { text: ' flag is set.' }]);
    expect(textParts('no links')).toEqual([{ text: 'no links' }]);
  });

  test('every link in every built-in lesson resolves to a glossary entry the page can show', () => {
    let links = 0;
    for (const e of LESSONS) {
      const l = lessonJson(e.id)!;
      const texts = [l.summary, ...l.steps.flatMap((s) => (s.kind === 'narration' ? [s.text] : s.kind === 'prediction' ? [s.question, s.why, ...s.choices] : [s.goal, s.hint ?? '']))];
      for (const t of texts) {
        for (const p of textParts(t)) {
          if (!('term' in p)) continue;
          links++;
          expect(glossaryEntry(p.term), `${e.id}: ${p.term}`).toBeDefined();
        }
      }
    }
    expect(links).toBeGreaterThan(50);
    expect(GLOSSARY.length).toBeGreaterThan(50);
  });

  test('a lesson loads its built-in scenario by id, an inline one as JSON', () => {
    expect(scenarioSource(lessonJson('mask-by-none-loses-edges')!)).toEqual({ kind: 'library', id: 'edge-while-away' });
    expect(scenarioSource(lessonJson('device-and-config')!).kind).toBe('json');
  });

  test('a narration runs through its event and marks it; an unanswered prediction stops just before; the challenge is live', () => {
    const l = lessonJson('device-and-config')!;
    const [narration, , prediction] = l.steps;
    const challenge = l.steps[l.steps.length - 1]!;
    const p = { t: 5000, seq: 12 };
    expect(stepMove(narration!, p, false)).toEqual({ runTo: 5000, cursor: 5000 });
    expect(stepMove(prediction!, p, false)).toEqual({ runTo: 4999, cursor: null });
    expect(stepMove(prediction!, p, true)).toEqual({ runTo: 5000, cursor: 5000 });
    expect(stepMove(challenge, null, false)).toEqual({ runTo: null, cursor: null });
  });
});
