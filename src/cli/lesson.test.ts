import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './cli-harness';

let dir = '';
const write = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const builtIn = (id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(resolve(__dirname, `../sim/scenario/library/${id}.json`), 'utf8')) as Record<string, unknown>;
/** edge-while-away with one more press at `at`. */
const withPress = (at: string): Record<string, unknown> => {
  const s = builtIn('edge-while-away');
  return { ...s, timeline: [...(s.timeline as unknown[]), { at, do: 'press', line: 'button', hold: '10us' }] };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-lesson-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('vgpio lesson', () => {
  test('list prints every built-in lesson with its minutes and title', async () => {
    const r = await cli('lesson', 'list');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(18);
    expect(lines[0]).toBe('id                          min  title');
    expect(lines[1]).toBe('device-and-config           4    What the device is: lines and the configuration space');
    expect(lines[17]).toBe('interrupt-domains           7    The interrupt domain hierarchy');
  });

  test('list --json gives each lesson\'s challenge in plain words', async () => {
    const r = await cli('lesson', 'list', '--json');
    const out = JSON.parse(r.stdout) as { lessons: { id: string; minutes: number; challenge: string }[] };
    expect(out.lessons).toHaveLength(17);
    expect(out.lessons[9]).toEqual({
      id: 'mask-by-none-loses-edges',
      title: 'Why masking by NONE loses edges',
      minutes: 6,
      challenge: 'Make the oracle report exactly one lost interrupt by changing one driver setting: show the edge that masking by NONE drops.',
    });
  });

  test('check: a right answer passes (exit 0) and says what it changed', async () => {
    const right = write('right.json', withPress('1180us'));
    const r = await cli('lesson', 'check', 'edge-latch-coalescing', right);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'lesson: edge-latch-coalescing (The edge latch and coalescing)',
        'challenge: Add exactly one press to the timeline so that three presses give only two handler calls.',
        `answer: ${right}`,
        'changed: timeline.2',
        '  ok  settings.changes           expected 1 changed, got 1 changed (timeline.2)',
        '  ok  settings.only              expected changes only under timeline, got yes',
        '  ok  lines.button.coalesced     expected 1, got 1',
        '  ok  lines.button.lost          expected 0, got 0',
        '  ok  lines.button.handlerCalls  expected 2, got 2',
        '  ok  violations                 expected none, got none',
        'result: passed',
        '',
      ].join('\n'),
    );
  });

  test('check: a wrong answer fails (exit 1) with the reason', async () => {
    const wrong = write('wrong.json', withPress('1600us'));
    const r = await cli('lesson', 'check', 'edge-latch-coalescing', wrong);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'lesson: edge-latch-coalescing (The edge latch and coalescing)',
        'challenge: Add exactly one press to the timeline so that three presses give only two handler calls.',
        `answer: ${wrong}`,
        'changed: timeline.2',
        '  ok    settings.changes           expected 1 changed, got 1 changed (timeline.2)',
        '  ok    settings.only              expected changes only under timeline, got yes',
        '  FAIL  lines.button.coalesced     expected 1, got 0',
        '  ok    lines.button.lost          expected 0, got 0',
        '  FAIL  lines.button.handlerCalls  expected 2, got 3',
        '  ok    violations                 expected none, got none',
        'result: not passed: lines.button.coalesced: expected 1, got 0',
        '',
      ].join('\n'),
    );
    const j = await cli('lesson', 'check', 'edge-latch-coalescing', wrong, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ lesson: 'edge-latch-coalescing', passed: false, reason: 'lines.button.coalesced: expected 1, got 0', changed: ['timeline.2'] });
  });

  test('check: a built-in scenario id is an answer too; the unchanged lesson scenario does not pass', async () => {
    const r = await cli('lesson', 'check', 'edge-latch-coalescing', 'edge-while-away');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\nresult: not passed: settings.changes: expected 1 changed, got 0 changed \(nothing\)\n$/);
  });

  test('check: a lesson file is graded like a built-in lesson', async () => {
    const lesson = {
      version: 1,
      id: 'my-course-1',
      title: 'Lose it',
      summary: 'Mask by [[NONE]].',
      minutes: 3,
      scenario: 'edge-while-away',
      steps: [
        { kind: 'narration', text: 'First call.', anchor: { on: 'handler-call', n: 1 } },
        {
          kind: 'challenge',
          goal: 'Lose one edge.',
          check: { expect: { total: { lost: 1 } }, settings: { only: ['driver'] } },
          solution: { patch: { driver: { mask: 'none-type' } } },
          wrong: { patch: { driver: { flow: 'edge' } } },
        },
      ],
    };
    const lp = write('lesson.json', lesson);
    const s = builtIn('edge-while-away');
    const ok = await cli('lesson', 'check', lp, write('a.json', { ...s, driver: { mask: 'none-type' } }));
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^lesson: my-course-1 \(Lose it\)\n/);
    const no = await cli('lesson', 'check', lp, write('b.json', { ...s, device: { ...(s.device as object), transport: 'intx' } }));
    expect(no.code).toBe(1);
    expect(no.stdout).toMatch(/\nresult: not passed: settings.only: expected changes only under driver, got also changed device.transport\n$/);
  });

  test('--max-events bounds the student\'s run: hitting it fails the check', async () => {
    const right = write('right-bounded.json', withPress('1180us'));
    const r = await cli('lesson', 'check', 'edge-latch-coalescing', right, '--max-events', '20');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\n {2}FAIL {2}run {24}expected reaches its end, got stopped after 20 events\n/);
    expect(r.stdout).toMatch(/\nresult: not passed: run: expected reaches its end, got stopped after 20 events\n$/);
    expect((await cli('lesson', 'list', '--max-events', '5')).code).toBe(2);
  });

  test('invalid input exits 2 with one line naming the problem', async () => {
    const unknown = await cli('lesson', 'check', 'no-such-lesson', 'edge-while-away');
    expect(unknown).toMatchObject({ code: 2, stdout: '', stderr: 'vgpio: no-such-lesson: no such built-in lesson (see `vgpio lesson list`) or lesson file\n' });
    const badAnswer = write('bad.json', { version: 1, title: 'x', duration: '1ms', device: { lines: [{ direction: 'sideways' }] } });
    const b = await cli('lesson', 'check', 'line-names', badAnswer);
    expect(b).toMatchObject({ code: 2, stderr: `vgpio: ${badAnswer}: invalid scenario: device.lines.0.direction: expected "in", "out" or "none"\n` });
    const badLesson = write('bad-lesson.json', { version: 1, id: 'x', title: 't', summary: 's', minutes: 3, scenario: 'calm-board', steps: [] });
    const l = await cli('lesson', 'check', badLesson, 'calm-board');
    expect(l).toMatchObject({ code: 2, stderr: `vgpio: ${badLesson}: invalid lesson: steps: a lesson needs at least two steps\n` });
    expect((await cli('lesson', 'grade')).code).toBe(2);
    expect((await cli('lesson', 'check', 'line-names')).stderr).toMatch(/^vgpio lesson: lesson check needs <lesson> and <answer.json>\n/);
  });

  test('text from a lesson file reaches the terminal with its escape sequences shown, not obeyed', async () => {
    const evil = write('evil.json', {
      version: 1,
      id: 'evil',
      title: 'T\u001b]0;pwned\u0007',
      summary: 's',
      minutes: 3,
      scenario: 'edge-while-away',
      steps: [
        { kind: 'narration', text: 'n', anchor: { on: 'time', at: 0 } },
        {
          kind: 'challenge',
          goal: 'g\nresult: passed',
          check: { expect: { total: { lost: 1 } } },
          solution: { patch: { driver: { mask: 'none-type' } } },
          wrong: { patch: { driver: { flow: 'edge' } } },
        },
      ],
    });
    const r = await cli('lesson', 'check', evil, 'edge-while-away');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('lesson: evil (T\\x1b]0;pwned\\x07)\n');
    expect(r.stdout).toContain('challenge: g\\nresult: passed\n');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout.split('\n').filter((x) => x.startsWith('result:'))).toEqual(['result: not passed: total.lost: expected 1, got 0']);
  });
});
