import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from './cli-harness';

const require = createRequire(import.meta.url);
const wavedrom = require('wavedrom') as { renderAny: (index: number, source: unknown, skin: unknown) => unknown; waveSkin: unknown };
const onml = require('onml') as { stringify: (tree: unknown) => string };

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vgpio-wavejson-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vgpio run --wavejson', () => {
  test('calm-board, 1ms..2ms: a WaveJSON file WaveDrom renders, and the note says the period and what it lost', async () => {
    const out = join(dir, 'calm.json');
    const r = await cli('run', 'calm-board', '--wavejson', out, '--window', '1ms..2ms');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/wrote .*calm\.json \(WaveJSON, 1 ms to 2 ms, one column = 20 us \(the state at its start\); \d+ changes, .*; 50 columns, \d+ bytes\)/);
    const w = JSON.parse(readFileSync(out, 'utf8'));
    expect(w.head.text).toBe('A calm board: 1 ms to 2 ms');
    expect(w.signal.map((s: { name: string }) => s.name).slice(0, 3)).toEqual(['gpio0 button', 'gpio0 button armed', 'gpio0 button handler']);
    for (const s of w.signal) expect(s.wave).toMatch(/^[01][01.]{49}$/);
    expect(onml.stringify(wavedrom.renderAny(0, w, wavedrom.waveSkin))).toMatch(/^<svg /);
  });

  test('the whole run by default; `-` is stdout (the summary then goes to stderr)', async () => {
    const r = await cli('run', 'calm-board', '--wavejson', '-');
    expect(r.code).toBe(0);
    const w = JSON.parse(r.stdout);
    expect(w.head.text).toBe('A calm board: 0 ns to 6 ms');
    expect(r.stderr).toContain('result: ok');
  });

  test('bad windows and --window without --wavejson are refused (exit 2)', async () => {
    const out = join(dir, 'x.json');
    for (const argv of [['--window', '1ms..2ms'], ['--wavejson', out, '--window', '2ms..1ms'], ['--wavejson', out, '--window', 'soon'], ['--wavejson', out, '--window', '1ms-2ms']]) {
      const r = await cli('run', 'calm-board', ...argv);
      expect([argv, r.code]).toEqual([argv, 2]);
      expect(r.stdout).toBe('');
    }
    const late = await cli('run', 'calm-board', '--wavejson', out, '--window', '7ms..8ms');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('the run ended at 6 ms, before the window starts');
  });
});
