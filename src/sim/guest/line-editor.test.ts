import { describe, expect, test } from 'vitest';
import { LineEditor, sanitizeForTerminal, type EditorAction } from './line-editor';

/** The echo of a feed, joined. */
const echo = (acts: EditorAction[]): string =>
  acts
    .filter((a): a is Extract<EditorAction, { kind: 'echo' }> => a.kind === 'echo')
    .map((a) => a.text)
    .join('');
const lines = (acts: EditorAction[]): string[] =>
  acts.filter((a): a is Extract<EditorAction, { kind: 'line' }> => a.kind === 'line').map((a) => a.text);

describe('LineEditor', () => {
  test('typing echoes; Enter completes the line with CR LF', () => {
    const ed = new LineEditor();
    expect(ed.feed('gpio')).toEqual([{ kind: 'echo', text: 'gpio' }]);
    expect(ed.feed('get sw')).toEqual([{ kind: 'echo', text: 'get sw' }]);
    expect(ed.buffer).toBe('gpioget sw');
    expect(ed.feed('\r')).toEqual([
      { kind: 'echo', text: '\r\n' },
      { kind: 'line', text: 'gpioget sw' },
    ]);
    expect(ed.buffer).toBe('');
  });

  test('backspace (DEL and ^H) erases the last character, and nothing at the start', () => {
    const ed = new LineEditor();
    ed.feed('abc');
    expect(echo(ed.feed('\x7f'))).toBe('\b \b');
    expect(echo(ed.feed('\b'))).toBe('\b \b');
    expect(ed.buffer).toBe('a');
    ed.feed('\x7f');
    expect(ed.feed('\x7f')).toEqual([]);
    expect(ed.buffer).toBe('');
  });

  test('Ctrl-C drops the line and asks for an interrupt; Ctrl-U kills to the start; Ctrl-L asks for a clear', () => {
    const ed = new LineEditor();
    ed.feed('gpiomon sw');
    expect(ed.feed('\x03')).toEqual([{ kind: 'interrupt' }]);
    expect(ed.buffer).toBe('');
    ed.feed('drive sw 1');
    expect(echo(ed.feed('\x15'))).toBe('\x1b[10D\x1b[K');
    expect(ed.buffer).toBe('');
    ed.feed('help');
    expect(ed.feed('\x0c')).toEqual([{ kind: 'clear' }]);
    expect(ed.buffer).toBe('help');
    expect(ed.render()).toBe('help');
  });

  test('history: Up and Down recall lines, the draft comes back, duplicates and blanks are skipped', () => {
    const ed = new LineEditor();
    ed.feed('gpiodetect\rgpioinfo\rgpioinfo\r   \r');
    expect(ed.history).toEqual(['gpiodetect', 'gpioinfo']);
    ed.feed('dri');
    expect(echo(ed.feed('\x1b[A'))).toBe('\x1b[3D\x1b[Kgpioinfo');
    expect(ed.buffer).toBe('gpioinfo');
    ed.feed('\x1b[A');
    expect(ed.buffer).toBe('gpiodetect');
    expect(ed.feed('\x1b[A')).toEqual([]); // the oldest
    ed.feed('\x1b[B');
    expect(ed.buffer).toBe('gpioinfo');
    ed.feed('\x1b[B');
    expect(ed.buffer).toBe('dri');
    expect(ed.feed('\x1bOA').length).toBe(1); // application cursor mode
    expect(ed.buffer).toBe('gpioinfo');
  });

  test('the history is bounded', () => {
    const ed = new LineEditor({ historySize: 3 });
    ed.feed('a\rb\rc\rd\r');
    expect(ed.history).toEqual(['b', 'c', 'd']);
  });

  test('cursor keys edit in the middle of the line', () => {
    const ed = new LineEditor();
    ed.feed('drive 1');
    expect(echo(ed.feed('\x1b[D'))).toBe('\b');
    // Text arriving in one chunk is inserted in one step: the rest of the line is echoed once.
    expect(echo(ed.feed('sw '))).toBe('sw 1\b');
    expect(ed.buffer).toBe('drive sw 1');
    expect(ed.cursor).toBe(9);
    expect(echo(ed.feed('\x1b[H'))).toBe('\x1b[9D');
    expect(echo(ed.feed('\x1b[3~'))).toBe('rive sw 1 \x1b[10D');
    expect(ed.buffer).toBe('rive sw 1');
    expect(echo(ed.feed('\x1b[F'))).toBe('\x1b[9C');
    expect(ed.render()).toBe('rive sw 1');
    ed.feed('\x01');
    expect(ed.render()).toBe('rive sw 1\x1b[9D');
  });

  test('a pasted block: CRLF and LF end lines, one line action per line, in order with the echo', () => {
    const ed = new LineEditor();
    const acts = ed.feed('drive sw 1\r\ngpioget sw\nrun 1ms');
    expect(acts).toEqual([
      { kind: 'echo', text: 'drive sw 1\r\n' },
      { kind: 'line', text: 'drive sw 1' },
      { kind: 'echo', text: 'gpioget sw\r\n' },
      { kind: 'line', text: 'gpioget sw' },
      { kind: 'echo', text: 'run 1ms' },
    ]);
    expect(ed.buffer).toBe('run 1ms');
    expect(lines(ed.feed('\n\r\r\n'))).toEqual(['run 1ms', '', '']);
  });

  test('feedTo hands out each line before the rest of a paste is typed', () => {
    const ed = new LineEditor();
    const seen: string[] = [];
    ed.feedTo('a\rb', (a) => {
      if (a.kind === 'line') seen.push(`${a.text}|${ed.buffer}`);
    });
    expect(seen).toEqual(['a|']);
  });

  test('escape sequences, bracketed paste markers, Alt keys and control characters never reach the buffer', () => {
    const ed = new LineEditor();
    ed.feed('\x1b[200~gpio\x1b[201~');
    ed.feed('\x1b[15~\x1b[1;5C\x1bx\x00\x07\x1b]0;title\x07\u0085info');
    expect(ed.buffer).toBe('gpioinfo');
    ed.feed('\x1b'); // a lone Escape key does not swallow the next key
    ed.feed('!');
    expect(ed.buffer).toBe('gpioinfo!');
  });

  test('tabs become spaces; non-ASCII becomes ?, invisible format characters vanish', () => {
    const ed = new LineEditor();
    ed.feed('gpioget\tcafé\u202e😀');
    expect(ed.buffer).toBe('gpioget caf??');
  });

  test('the line length is bounded, with one bell', () => {
    const ed = new LineEditor({ maxLength: 5 });
    expect(echo(ed.feed('abcdefgh'))).toBe('abcde\x07');
    expect(ed.buffer).toBe('abcde');
    ed.feed('\x7f');
    expect(echo(ed.feed('xy'))).toBe('x\x07');
  });

  test('a paste in the middle of a long line echoes the rest of the line once, not once per character', () => {
    const ed = new LineEditor();
    ed.feed('a'.repeat(2000));
    ed.feed('\x01'); // Ctrl-A: to the start
    let echoed = 0;
    ed.feedTo('b'.repeat(2000), (a) => {
      if (a.kind === 'echo') echoed += a.text.length;
    });
    // The pasted text, the 2,000 characters after it, and one cursor move back over them.
    expect(echoed).toBe(2000 + 2000 + '\x1b[2000D'.length);
    expect(ed.buffer).toBe('b'.repeat(2000) + 'a'.repeat(2000));
    expect(ed.cursor).toBe(2000);
  });

  test('a 1 MB crafted paste (insert, cursor left, repeated) is linear work, never throws, leaves a clean line', () => {
    const ed = new LineEditor();
    const paste = 'x\x02'.repeat(512 * 1024);
    let echoed = 0;
    let actions = 0;
    expect(() =>
      ed.feedTo(paste, (a) => {
        actions++;
        if (a.kind === 'echo') echoed += a.text.length;
      }),
    ).not.toThrow();
    // Control keys inside a paste are text-only (removed): the line fills to its limit and rings once.
    expect(ed.buffer).toBe('x'.repeat(4096));
    expect(ed.cursor).toBe(4096);
    expect(echoed).toBe(4096 + 1);
    expect(actions).toBe(1);
  });

  test('every byte of a large multi-line paste costs bounded echo', () => {
    const ed = new LineEditor();
    ed.feed('tail-after-cursor');
    ed.feed('\x01');
    const paste = ('gpioinfo  sw\t1\r\n' + 'y'.repeat(5000) + '\n').repeat(60); // 60 KB, lines over the limit included
    let echoed = 0;
    const got: string[] = [];
    ed.feedTo(paste, (a) => {
      if (a.kind === 'echo') echoed += a.text.length;
      if (a.kind === 'line') got.push(a.text);
    });
    expect(got.length).toBe(120);
    expect(got[0]).toBe('gpioinfo  sw 1tail-after-cursor');
    expect(got[1]).toBe('y'.repeat(4096));
    expect(echoed).toBeLessThanOrEqual(2 * paste.length);
  });

  test('a pasted ESC[A is text, not the Up key: it never recalls and runs an earlier command', () => {
    const ed = new LineEditor();
    ed.feed('drive sw 1\r');
    expect(lines(ed.feed('\x1b[A\r'))).toEqual(['']); // unbracketed: a chunk of several keys is a paste
    expect(lines(ed.feed('\x1b[200~\x1b[A\r\x1b[201~'))).toEqual(['']); // bracketed paste
    expect(lines(ed.feed('\x1b[200~ls\x03\x15 -l\x1b[201~'))).toEqual([]);
    expect(ed.buffer).toBe('ls -l');
    ed.feed('\x15');
    ed.feed('\x1b[A'); // the Up key, typed: recalls
    expect(ed.buffer).toBe('drive sw 1');
  });

  test('never throws on random input', () => {
    const ed = new LineEditor();
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: rnd(30) }, () => String.fromCharCode(rnd(4) === 0 ? rnd(0x40) : rnd(0x2100))).join('');
      expect(() => ed.feed(s)).not.toThrow();
      expect(ed.buffer).toMatch(/^[\x20-\x7e]*$/);
      expect(ed.cursor).toBeLessThanOrEqual(ed.buffer.length);
    }
  });
});

describe('sanitizeForTerminal', () => {
  test('keeps text, newlines and tabs', () => {
    expect(sanitizeForTerminal('gpiochip0 3\t"irq"\n')).toBe('gpiochip0 3\t"irq"\n');
    expect(sanitizeForTerminal('café ✓')).toBe('café ✓');
  });

  test('strips CSI, OSC and other escape sequences whole', () => {
    expect(sanitizeForTerminal('a\x1b[31mred\x1b[0m b')).toBe('ared b');
    expect(sanitizeForTerminal('\x1b[2J\x1b[Hx')).toBe('x');
    expect(sanitizeForTerminal('\x1b]0;pwned\x07title')).toBe('title');
    expect(sanitizeForTerminal('\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(sanitizeForTerminal('\x1bPdcs data\x1b\\ok')).toBe('ok');
    expect(sanitizeForTerminal('\x1b(Bx\x1bcy')).toBe('xy');
    expect(sanitizeForTerminal('end\x1b')).toBe('end');
  });

  test('strips 8-bit C1 controls and their sequences', () => {
    expect(sanitizeForTerminal('a\u009b31mb')).toBe('ab');
    expect(sanitizeForTerminal('a\u009d0;t\u009cb')).toBe('ab');
    expect(sanitizeForTerminal('a\u0085b\u0090c\u009cd')).toBe('abd');
  });

  test('strips C0 controls other than \\n and \\t, DEL, CR, and bidi / zero-width characters', () => {
    expect(sanitizeForTerminal('a\x00b\x07c\x08d\rx\x7fy')).toBe('abcdxy');
    expect(sanitizeForTerminal('x\u202egnp.exe\u2066y\u200bz\ufeff')).toBe('xgnp.exeyz');
  });

  test('non-strings become empty text', () => {
    expect(sanitizeForTerminal(undefined as unknown as string)).toBe('');
  });
});
