import { describe, expect, test } from 'vitest';
import { Prng } from '../../clock/prng';
import { ready } from '../../testing/shell';
import { LineEditor } from '../line-editor';

// Hostile pastes into the terminal: random text with escape sequences, control
// keys, CR/LF mixes, non-ASCII and over-long lines, up to 1 MB, fed to the line
// editor the way the worker does (each completed line runs in the shell at
// once). The work is bounded by counters, never wall time: the echo per input
// character, the lines run per line end, the shell's transcript.

const PIECES = ['gpioinfo', 'gpioget sw', 'drive sw 1', 'help', '\x1b[A', '\x1b[B', '\x1b[200~', '\x1b[201~', '\x1b]0;t\x07', '\x03', '\x15', '\x01', '\x02', '\x7f', '\r', '\n', '\r\n', '\t', 'é', '😀', '\u202e', 'x'.repeat(300)];

function paste(r: Prng, size: number): string {
  let s = '';
  while (s.length < size) {
    const k = r.nextU32() % (PIECES.length + 4);
    s += k < PIECES.length ? PIECES[k] : String.fromCharCode(r.nextU32() % 0x250);
  }
  return s.slice(0, size);
}

/** Feeds one paste as the worker does; returns the counters. */
function feed(r: ReturnType<typeof ready>, text: string): { echoed: number; lines: number; lineEnds: number; transcript: number; buffer: string } {
  const ed = new LineEditor({ maxLength: 1024 });
  let echoed = 0;
  let lines = 0;
  ed.feedTo(text, (a) => {
    if (a.kind === 'echo') echoed += a.text.length;
    else if (a.kind === 'line') {
      lines++;
      r.shell.exec(a.text, true);
    } else if (a.kind === 'interrupt') r.shell.interrupt();
  });
  const lineEnds = (text.match(/\r\n|\r|\n/g) ?? []).length;
  return { echoed, lines, lineEnds, transcript: r.shell.transcript().length, buffer: ed.buffer };
}

describe('terminal pastes: random hostile text', () => {
  test('100 random pastes of up to 10 KB: linear echo, one shell line per line end, a clean buffer', () => {
    const r = new Prng(2026);
    const board = ready(); // one board takes every paste, as a long session would
    for (let i = 0; i < 100; i++) {
      const text = paste(r, 1 + (r.nextU32() % 10_000));
      const c = feed(board, text);
      // Each character echoes at most once, plus the line ends' CR LF and one bell per line.
      expect(c.echoed).toBeLessThanOrEqual(2 * text.length + 2);
      expect(c.lines).toBeLessThanOrEqual(c.lineEnds);
      expect(c.buffer).toMatch(/^[\x20-\x7e]{0,1024}$/);
    }
  });

  test('1 MB pastes (one long line; short lines; escape soup) are linear and never throw', () => {
    const r = new Prng(7);
    const big = [
      'y'.repeat(1 << 20),
      'gpioget sw\n'.repeat(Math.floor((1 << 20) / 11)).slice(0, 100_000) + 'z'.repeat((1 << 20) - 100_000),
      '\x1b[A\x1b[200~\x02x\x1b[201~'.repeat(Math.floor((1 << 20) / 20)),
      paste(r, 1 << 20).replace(/[\r\n]/g, ''),
    ];
    const board = ready();
    for (const text of big) {
      let c: ReturnType<typeof feed> | null = null;
      expect(() => (c = feed(board, text))).not.toThrow();
      const got = c as unknown as ReturnType<typeof feed>;
      expect(got.echoed).toBeLessThanOrEqual(2 * 1024 * (got.lines + 1) + 2 * got.lines + 2);
      expect(got.lines).toBeLessThanOrEqual(got.lineEnds);
      expect(got.transcript).toBeLessThanOrEqual((1 << 20) + (1 << 18)); // the shell keeps about the last megabyte
    }
  });
});
