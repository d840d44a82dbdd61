import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './cli-harness';
import { terminalJson, terminalLine, terminalText } from './safe';

const ESC = '\x1b';
const TITLE = `Evil ${ESC}]0;pwned\x07 clip ${ESC}]52;c;cm0gLXJmIH4K\x07 clear ${ESC}[2J\rresult: ok`;
const KEY = `x${ESC}]0;key\x07\rresult: ok`;
const EVIL = {
  version: 1,
  title: TITLE,
  seed: 5,
  duration: '2ms',
  device: { lines: [{ name: 'button', pull: 'up' }, { name: 'led', direction: 'out' }] },
  world: { button: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'button', trigger: 'edge-falling', name: `keys${ESC}[2J` }],
  timeline: [{ at: '500us', do: 'press', line: 'button', hold: '200us' }],
  expect: { total: { delivered: 1 }, lines: { [KEY]: { handlerCalls: 0 } }, shell: [`a${ESC}[2J\nresult: ok`] },
};

/** Bytes a terminal would act on: C0 controls but \n and \t, DEL, C1 controls, bidi / zero-width format characters. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

let dir = '';
const write = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(content));
  return p;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-safe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no escape sequence from user data reaches the terminal', () => {
  test('the text report shows a hostile title and keys escaped, and no fake "result: ok" line', async () => {
    const r = await cli('run', write('evil.json', EVIL));
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toMatch(CONTROL);
    expect(r.stdout).toContain('Evil \\x1b]0;pwned\\x07 clip \\x1b]52;c;cm0gLXJmIH4K\\x07 clear \\x1b[2J\\rresult: ok');
    expect(r.stdout).toContain('lines.x\\x1b]0;key\\x07\\rresult: ok: expected a line of the device');
    // The only line that starts with "result:" is the real one.
    expect(r.stdout.match(/^result: .*$/gm)).toEqual(['result: FAILED (2 of 3 expectations not met)']);
  });

  test('error messages quoting a world key or a line reference are escaped, on one line', async () => {
    const world = await cli('run', write('evil-world.json', { ...EVIL, world: { [KEY]: { kind: 'button' } } }));
    expect(world.code).toBe(2);
    expect(world.stdout).toBe('');
    expect(world.stderr).not.toMatch(CONTROL);
    expect(world.stderr).toContain('world.x\\x1b]0;key\\x07\\rresult: ok');
    expect(world.stderr.trimEnd().split('\n')).toHaveLength(1);

    const line = `z${ESC}[2J\nresult: ok`;
    const tl = await cli('run', write('evil-timeline.json', { ...EVIL, timeline: [{ at: '1us', do: 'press', line, hold: '1us' }] }));
    expect(tl.code).toBe(2);
    expect(tl.stderr).not.toMatch(CONTROL);
    expect(tl.stderr).toContain('\\x1b[2J');
    expect(tl.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(tl.stderr).not.toMatch(/^result: ok/m);

    const type = await cli('run', write('evil-type.json', { ...EVIL, expect: { shell: `a${ESC}]0;t\x07` } }));
    expect(type.code).toBe(2);
    expect(type.stderr).not.toMatch(CONTROL);
    expect(type.stderr).toContain('\\x1b]0;t\\x07');
  });

  test('--json stays exact JSON and carries no raw control, C1 or bidi character', async () => {
    const title = `${TITLE} c1 \x9b2J del \x7f bidi \u202e ls \u2028`;
    const r = await cli('run', write('evil-json.json', { ...EVIL, title }), '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stdout).not.toMatch(/[\u2028\u2029]/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(r.stdout);
    expect(report.title).toBe(title);
    expect(report.expectations[1].what).toBe(`lines.${KEY}`);
  });

  test('JSON exports to stdout (--trace -, --wavejson -) carry no raw C1 or bidi character and parse to the same title', async () => {
    const title = `t \x9b2J \u202e \u2028 ${ESC}]0;x\x07`;
    const file = write('evil-export.json', { ...EVIL, title, expect: {} });
    const trace = await cli('run', file, '--trace', '-');
    expect(trace.code).toBe(0);
    expect(trace.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(trace.stdout.split('\n')[0]!).title).toBe(title);
    const wave = await cli('run', file, '--wavejson', '-');
    expect(wave.code).toBe(0);
    expect(wave.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(wave.stdout).head.text).toBe(`${title}: 0 ns to 2 ms`);
    expect(trace.stderr + wave.stderr).not.toMatch(CONTROL);
  });

  test('the sanitizer: visible escapes, newlines kept only in multi-line text, JSON round-trips', () => {
    expect(terminalLine(`a${ESC}[31mb\rc\nd\te`)).toBe('a\\x1b[31mb\\rc\\nd\te');
    expect(terminalText(`a${ESC}[31mb\nc`)).toBe('a\\x1b[31mb\nc');
    expect(terminalLine('\x9b\u202e\x7f')).toBe('\\x9b\\u202e\\x7f');
    expect(terminalLine('plain ✓ text')).toBe('plain ✓ text');
    const v = { s: `${ESC}\x07\x9b\u202e\u2028\ufeff` };
    expect(JSON.parse(terminalJson(v))).toEqual(v);
    expect(terminalJson(v)).not.toMatch(CONTROL);
  });
});
