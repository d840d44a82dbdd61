import { describe, expect, test } from 'vitest';
import fixture from '../../e2e/fixtures/real-guest.jsonl?raw';
import { isRecordingName, readRecordingFile } from './recording-file';

const file = (name: string, text: string, size = text.length) => ({ name, size, text: () => Promise.resolve(text) });

describe('opening a recording file', () => {
  test('a .jsonl trace is a recording; a .json scenario is not', () => {
    expect(isRecordingName('out.jsonl')).toBe(true);
    expect(isRecordingName('OUT.NDJSON')).toBe(true);
    expect(isRecordingName('calm-board.json')).toBe(false);
  });

  test('the real-guest fixture opens with its 219 events', async () => {
    const r = await readRecordingFile(file('real-guest.jsonl', fixture));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.trace.t.length).toBe(219);
  });

  test('a file over the cap is refused without being read; a broken line is named with the file', async () => {
    let read = false;
    const big = { name: 'big.jsonl', size: 65 * 1024 * 1024, text: () => ((read = true), Promise.resolve('')) };
    expect(await readRecordingFile(big)).toEqual({ ok: false, error: 'big.jsonl: the file is 65 MB; a recording is at most 64 MB' });
    expect(read).toBe(false);
    const lines = fixture.split('\n');
    lines[2] = '{"seq":1,"t":"soon"}';
    expect(await readRecordingFile(file('bad.jsonl', lines.join('\n')))).toEqual({ ok: false, error: 'bad.jsonl: line 3: t must be a time in ns >= 0' });
  });
});
