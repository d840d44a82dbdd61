/**
 * The terminal side of the shell: turns what a terminal emulator sends
 * (xterm.js `onData`: typed text, Enter, Backspace, Ctrl keys, arrow-key escape
 * sequences, pasted blocks) into completed command lines plus the echo to draw,
 * like a tiny readline. It is pure text in, text out, so the browser terminal
 * and the tests drive it the same way.
 *
 * Echo uses "\r\n" for Enter (what a terminal needs to return to column 0) and
 * plain cursor sequences for editing. Only printable ASCII enters the buffer:
 * line names are 7-bit ASCII (virtio 1.2, 5.18.6.1), and one byte per column
 * keeps cursor arithmetic exact. Other printable characters become '?', so a
 * stray smart quote shows up in the error message instead of vanishing.
 */

/** One thing the terminal glue must do, in order. */
export type EditorAction =
  /** Write this to the terminal (echo of typing, cursor movement). */
  | { kind: 'echo'; text: string }
  /** A completed line: give it to the shell (`shell.exec(text, true)`: already echoed). */
  | { kind: 'line'; text: string }
  /** Ctrl-C: the shell prints "^C" and stops the foreground job (`shell.interrupt()`). */
  | { kind: 'interrupt' }
  /** Ctrl-L: clear the screen, then redraw the prompt (if one is showing) and `editor.render()`. */
  | { kind: 'clear' };

export interface LineEditorOptions {
  /** Most lines kept for Up / Down recall. */
  historySize?: number;
  /** Longest line accepted; further typing rings the bell. */
  maxLength?: number;
}

export const DEFAULT_HISTORY_SIZE = 200;
export const DEFAULT_MAX_LINE = 4096;

/** Escape-sequence parser states (a const object: enums are not erasable syntax). */
const Esc = {
  None: 0,
  /** Saw ESC. */
  Start: 1,
  /** In a CSI sequence (ESC [ or 0x9b). */
  Csi: 2,
  /** Saw ESC O: one more character (SS3 keys: F1-F4, Home/End in application mode). */
  Ss3: 3,
  /** In a string sequence (OSC, DCS...: a terminal's reply to a query), up to BEL or ST. */
  Str: 4,
  /** In a string sequence, just after an ESC (ST is ESC \). */
  StrEsc: 5,
} as const;
type EscState = (typeof Esc)[keyof typeof Esc];

export class LineEditor {
  private _buf = '';
  private _cur = 0;
  private readonly _history: string[] = [];
  /** While recalling history: index into _history (== length when editing the new line). */
  private _hpos = 0;
  /** The line being typed before Up was pressed, restored by Down past the newest entry. */
  private _draft = '';
  private readonly _historySize: number;
  private readonly _maxLength: number;
  private _esc: EscState = Esc.None;
  private _csi = '';
  /** The previous character was "\r": a following "\n" is the same Enter (CRLF pastes). */
  private _afterCr = false;
  private _bellRung = false;

  constructor(opts: LineEditorOptions = {}) {
    this._historySize = Math.max(0, Math.floor(opts.historySize ?? DEFAULT_HISTORY_SIZE));
    this._maxLength = Math.max(1, Math.floor(opts.maxLength ?? DEFAULT_MAX_LINE));
  }

  /** The text typed so far on the current line. */
  get buffer(): string {
    return this._buf;
  }

  /** Cursor position within the buffer. */
  get cursor(): number {
    return this._cur;
  }

  get history(): readonly string[] {
    return this._history;
  }

  /**
   * The current input as it must appear after a freshly drawn prompt: the
   * buffer, then the cursor moved back to where it is. Used after Ctrl-L and
   * when the shell redrew the prompt for background output.
   */
  render(): string {
    return this._buf + left(this._buf.length - this._cur);
  }

  /** Forgets the current input (the shell's Ctrl-C already printed "^C"). */
  reset(): void {
    this._buf = '';
    this._cur = 0;
    this._hpos = this._history.length;
    this._draft = '';
    this._bellRung = false;
  }

  /** Processes terminal input and returns the actions, in order. */
  feed(data: string): EditorAction[] {
    const out: EditorAction[] = [];
    this.feedTo(data, (a) => out.push(a));
    return out;
  }

  /**
   * Processes terminal input, handing each action to `sink` as it happens.
   * A pasted "cmd1\ncmd2" gives cmd1's line action before cmd2 is typed into
   * the buffer, so a sink that runs the command at once sees a consistent editor.
   *
   * A chunk is either one key (one character, or one whole escape sequence such
   * as an arrow key's "ESC [ A") or a paste: a terminal sends each key in one
   * piece, and a paste in one piece too (wrapped in ESC[200~ ... ESC[201~ when
   * bracketed paste is on, as the worker turns it on). A paste is text: Enter
   * and Tab keep their meaning (a pasted script runs line by line), while escape
   * sequences (the paste markers included) and every other control character
   * are removed, never acted on, so a pasted "ESC [ A" cannot recall and run an
   * earlier command. Each pasted line is inserted in one step, so the work and
   * the echo are linear in the input, whatever its shape.
   */
  feedTo(data: string, sink: (a: EditorAction) => void): void {
    if (typeof data !== 'string' || data.length === 0) return;
    if (data.length === 1 || isOneKey(data)) this._key(data, sink);
    else this._paste(data, sink);
  }

  /** One key press: a character or one escape sequence. */
  private _key(data: string, sink: (a: EditorAction) => void): void {
    let echo = '';
    const flush = (): void => {
      if (echo !== '') sink({ kind: 'echo', text: echo });
      echo = '';
    };
    for (let i = 0; i < data.length; i++) {
      const ch = data[i] as string;
      const code = data.charCodeAt(i);

      // Escape sequences from special keys; unknown ones are swallowed whole.
      if (this._esc !== Esc.None) {
        echo += this._escape(ch, code);
        continue;
      }
      if (code === 0x1b) {
        this._esc = Esc.Start;
        continue;
      }
      if (code === 0x9b) {
        this._esc = Esc.Csi;
        this._csi = '';
        continue;
      }

      const afterCr = this._afterCr;
      this._afterCr = false;
      switch (code) {
        case 0x0d: // Enter
        case 0x0a:
          if (code === 0x0a && afterCr) break; // the LF of a CRLF
          if (code === 0x0d) this._afterCr = true;
          echo += '\r\n';
          flush();
          sink({ kind: 'line', text: this._enter() });
          break;
        case 0x7f: // Backspace (what xterm sends)
        case 0x08: // Ctrl-H
          echo += this._backspace();
          break;
        case 0x03: // Ctrl-C
          flush();
          this.reset();
          sink({ kind: 'interrupt' });
          break;
        case 0x15: // Ctrl-U: kill to the start of the line
          echo += this._killBefore();
          break;
        case 0x0b: // Ctrl-K: kill to the end of the line
          echo += this._killAfter();
          break;
        case 0x17: // Ctrl-W: kill the word before the cursor
          echo += this._killWord();
          break;
        case 0x0c: // Ctrl-L
          flush();
          sink({ kind: 'clear' });
          break;
        case 0x01: // Ctrl-A
          echo += this._moveTo(0);
          break;
        case 0x05: // Ctrl-E
          echo += this._moveTo(this._buf.length);
          break;
        case 0x02: // Ctrl-B
          echo += this._moveTo(this._cur - 1);
          break;
        case 0x06: // Ctrl-F
          echo += this._moveTo(this._cur + 1);
          break;
        case 0x10: // Ctrl-P
          echo += this._recall(-1);
          break;
        case 0x0e: // Ctrl-N
          echo += this._recall(1);
          break;
        case 0x09: // Tab: no completion
          echo += this._insertText(' ');
          break;
        default: {
          const t = textOf(data, i);
          echo += this._insertText(t);
        }
      }
    }
    // A terminal sends each key's sequence in one piece: an escape still open at the end of the
    // chunk was a lone Escape key (or Alt-]), and must not swallow the next keys typed.
    this._esc = Esc.None;
    flush();
  }

  /**
   * A paste: text and line ends only. Each line's text is gathered (never more
   * than the room left on the line) and inserted in one step.
   */
  private _paste(data: string, sink: (a: EditorAction) => void): void {
    this._esc = Esc.None;
    let pending = '';
    let dropped = false;
    const room = (): number => this._maxLength - this._buf.length;
    const insert = (): string => {
      const e = this._insertText(pending, dropped);
      pending = '';
      dropped = false;
      return e;
    };
    let echo = '';
    const n = data.length;
    let i = 0;
    while (i < n) {
      const code = data.charCodeAt(i);
      if (code === 0x1b || code === 0x9b || code === 0x90 || code === 0x98 || code === 0x9d || code === 0x9e || code === 0x9f) {
        i = Math.max(i + 1, skipEscape(data, i));
        continue;
      }
      const afterCr = this._afterCr;
      this._afterCr = false;
      if (code === 0x0d || code === 0x0a) {
        i++;
        if (code === 0x0a && afterCr) continue; // the LF of a CRLF
        if (code === 0x0d) this._afterCr = true;
        echo += insert() + '\r\n';
        sink({ kind: 'echo', text: echo });
        echo = '';
        sink({ kind: 'line', text: this._enter() });
        continue;
      }
      const t = code === 0x09 ? ' ' : textOf(data, i);
      i += code >= 0xd800 && code <= 0xdbff && isLowSurrogate(data.charCodeAt(i + 1)) ? 2 : 1;
      if (t === '') continue;
      if (pending.length < room()) pending += t;
      else dropped = true;
    }
    echo += insert();
    if (echo !== '') sink({ kind: 'echo', text: echo });
  }

  // ---- escape sequences ----------------------------------------------------------

  private _escape(ch: string, code: number): string {
    switch (this._esc) {
      case Esc.Start:
        if (ch === '[') {
          this._esc = Esc.Csi;
          this._csi = '';
        } else if (ch === 'O') {
          this._esc = Esc.Ss3;
        } else if (ch === ']' || ch === 'P' || ch === 'X' || ch === '^' || ch === '_') {
          this._esc = Esc.Str;
        } else {
          this._esc = Esc.None; // ESC + key (Alt-key): ignored
        }
        return '';
      case Esc.Ss3:
        this._esc = Esc.None;
        if (ch === 'A') return this._recall(-1);
        if (ch === 'B') return this._recall(1);
        if (ch === 'C') return this._moveTo(this._cur + 1);
        if (ch === 'D') return this._moveTo(this._cur - 1);
        if (ch === 'H') return this._moveTo(0);
        if (ch === 'F') return this._moveTo(this._buf.length);
        return '';
      case Esc.Csi:
        if (code >= 0x40 && code <= 0x7e) {
          this._esc = Esc.None;
          return this._csiKey(this._csi, ch);
        }
        if (code < 0x20 || code > 0x3f || this._csi.length > 32) {
          // Not a well-formed CSI: drop it (and this character) rather than insert garbage.
          this._esc = Esc.None;
          return '';
        }
        this._csi += ch;
        return '';
      case Esc.Str:
        if (code === 0x07 || code === 0x9c) this._esc = Esc.None;
        else if (code === 0x1b) this._esc = Esc.StrEsc;
        return '';
      case Esc.StrEsc:
        this._esc = ch === '\\' ? Esc.None : Esc.Str;
        return '';
      default:
        this._esc = Esc.None;
        return '';
    }
  }

  private _csiKey(params: string, final: string): string {
    switch (final) {
      case 'A':
        return this._recall(-1);
      case 'B':
        return this._recall(1);
      case 'C':
        return this._moveTo(this._cur + 1);
      case 'D':
        return this._moveTo(this._cur - 1);
      case 'H':
        return this._moveTo(0);
      case 'F':
        return this._moveTo(this._buf.length);
      case '~':
        if (params === '3') return this._delete();
        if (params === '1' || params === '7') return this._moveTo(0);
        if (params === '4' || params === '8') return this._moveTo(this._buf.length);
        return ''; // 200~ / 201~ (bracketed paste markers), PgUp/PgDn, F-keys: ignored
      default:
        return '';
    }
  }

  // ---- editing -------------------------------------------------------------------

  /**
   * Inserts text at the cursor in one step: the echo is the text and the rest
   * of the line once, however long the text. What does not fit rings the bell
   * (once per line).
   */
  private _insertText(text: string, overflow = false): string {
    const fit = Math.max(0, this._maxLength - this._buf.length);
    const ins = text.length > fit ? text.slice(0, fit) : text;
    let bell = '';
    if ((overflow || ins.length < text.length) && !this._bellRung) {
      this._bellRung = true;
      bell = '\x07';
    }
    if (ins === '') return bell;
    const tail = this._buf.slice(this._cur);
    this._buf = this._buf.slice(0, this._cur) + ins + tail;
    this._cur += ins.length;
    return ins + tail + left(tail.length) + bell;
  }

  private _backspace(): string {
    if (this._cur === 0) return '';
    const tail = this._buf.slice(this._cur);
    this._buf = this._buf.slice(0, this._cur - 1) + tail;
    this._cur--;
    this._bellRung = false;
    return '\b' + tail + ' ' + left(tail.length + 1);
  }

  private _delete(): string {
    if (this._cur >= this._buf.length) return '';
    const tail = this._buf.slice(this._cur + 1);
    this._buf = this._buf.slice(0, this._cur) + tail;
    this._bellRung = false;
    return tail + ' ' + left(tail.length + 1);
  }

  private _killBefore(): string {
    if (this._cur === 0) return '';
    const tail = this._buf.slice(this._cur);
    const n = this._cur;
    this._buf = tail;
    this._cur = 0;
    this._bellRung = false;
    return left(n) + tail + '\x1b[K' + left(tail.length);
  }

  private _killAfter(): string {
    if (this._cur >= this._buf.length) return '';
    this._buf = this._buf.slice(0, this._cur);
    this._bellRung = false;
    return '\x1b[K';
  }

  private _killWord(): string {
    let start = this._cur;
    while (start > 0 && this._buf[start - 1] === ' ') start--;
    while (start > 0 && this._buf[start - 1] !== ' ') start--;
    if (start === this._cur) return '';
    const n = this._cur - start;
    const tail = this._buf.slice(this._cur);
    this._buf = this._buf.slice(0, start) + tail;
    this._cur = start;
    this._bellRung = false;
    return left(n) + tail + '\x1b[K' + left(tail.length);
  }

  private _moveTo(pos: number): string {
    const p = Math.max(0, Math.min(this._buf.length, pos));
    const d = p - this._cur;
    this._cur = p;
    if (d < 0) return left(-d);
    if (d > 0) return `\x1b[${d}C`;
    return '';
  }

  /** Replaces the whole input line (history recall). */
  private _replace(text: string): string {
    const erase = left(this._cur) + '\x1b[K';
    this._buf = text;
    this._cur = text.length;
    this._bellRung = false;
    return erase + text;
  }

  private _recall(dir: -1 | 1): string {
    const h = this._history;
    if (dir < 0) {
      if (this._hpos === 0) return '';
      if (this._hpos === h.length) this._draft = this._buf;
      this._hpos--;
      return this._replace(h[this._hpos] as string);
    }
    if (this._hpos >= h.length) return '';
    this._hpos++;
    return this._replace(this._hpos === h.length ? this._draft : (h[this._hpos] as string));
  }

  private _enter(): string {
    const line = this._buf;
    if (line.trim() !== '' && this._historySize > 0 && this._history[this._history.length - 1] !== line) {
      this._history.push(line);
      if (this._history.length > this._historySize) this._history.splice(0, this._history.length - this._historySize);
    }
    this.reset();
    return line;
  }
}

/** True when the chunk is exactly one escape sequence (one special key), not a paste. */
function isOneKey(data: string): boolean {
  const c = data.charCodeAt(0);
  if (c !== 0x1b && c !== 0x9b) return false;
  if (data.startsWith('\x1b[200~')) return false; // a bracketed paste
  if (data.length === 2) return true; // ESC + key (Alt-key)
  // ESC O x (SS3 keys) or one CSI / string sequence running to the end of the chunk.
  if (data.length === 3 && data[1] === 'O') return true;
  return skipEscape(data, 0) === data.length;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The buffer's text for the character at i: printable ASCII as it is, other
 * printable characters (an astral pair counts as one) as '?', control and
 * invisible format characters as nothing.
 */
function textOf(data: string, i: number): string {
  const code = data.charCodeAt(i);
  if (code >= 0x20 && code < 0x7f) return data[i] as string;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || isInvisibleFormat(code)) return '';
  return '?';
}

/** Cursor left by n columns (nothing for 0). */
function left(n: number): string {
  return n <= 0 ? '' : n === 1 ? '\b' : `\x1b[${n}D`;
}

/**
 * Invisible format characters that can make text display differently from
 * what it is (bidirectional overrides and isolates, zero-width joiners, the
 * BOM): the "Trojan Source" family. Terminal text derived from user input
 * never carries them.
 */
function isInvisibleFormat(code: number): boolean {
  return (
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x2069) ||
    code === 0xfeff ||
    code === 0x061c
  );
}

/**
 * Makes user-provided text (echoed commands, line and consumer names,
 * scenario strings) safe to write to a terminal: removes escape sequences
 * (CSI, OSC and the other string sequences, in their 7-bit ESC and 8-bit C1
 * forms), every other C0 and C1 control character and DEL, and invisible
 * bidi / zero-width format characters. "\n" and "\t" stay. A terminal
 * interprets these bytes, so text that carried them could move the cursor,
 * rewrite what the user sees, set the window title or worse.
 */
export function sanitizeForTerminal(text: string): string {
  if (typeof text !== 'string') return '';
  // Fast path: nothing to remove.
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(text)) return text;
  let out = '';
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x1b || c === 0x9b || c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
      i = skipEscape(text, i);
      continue;
    }
    if (c === 0x0a || c === 0x09) {
      out += text[i];
    } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || isInvisibleFormat(c)) {
      // dropped
    } else {
      out += text[i];
    }
    i++;
  }
  return out;
}

/** Index just past the escape sequence starting at `i` (ESC or an 8-bit introducer). */
function skipEscape(s: string, i: number): number {
  const n = s.length;
  const c = s.charCodeAt(i);
  let kind: 'csi' | 'string' | 'esc';
  let j: number;
  if (c === 0x9b) {
    kind = 'csi';
    j = i + 1;
  } else if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
    kind = 'string';
    j = i + 1;
  } else {
    // ESC
    if (i + 1 >= n) return n;
    const d = s[i + 1] as string;
    if (d === '[') {
      kind = 'csi';
      j = i + 2;
    } else if (d === ']' || d === 'P' || d === 'X' || d === '^' || d === '_') {
      kind = 'string';
      j = i + 2;
    } else {
      kind = 'esc';
      j = i + 1;
    }
  }
  if (kind === 'csi') {
    // Parameter and intermediate bytes, then one final byte.
    while (j < n) {
      const e = s.charCodeAt(j);
      if (e >= 0x20 && e <= 0x3f) {
        j++;
        continue;
      }
      if (e >= 0x40 && e <= 0x7e) return j + 1;
      return j; // malformed: stop here; the rest is handled as ordinary text
    }
    return n;
  }
  if (kind === 'string') {
    // OSC / DCS / SOS / PM / APC run to BEL, ST (ESC \ or 0x9c), or the end of the text.
    while (j < n) {
      const e = s.charCodeAt(j);
      if (e === 0x07 || e === 0x9c) return j + 1;
      if (e === 0x1b) return s[j + 1] === '\\' ? j + 2 : j;
      j++;
    }
    return n;
  }
  // ESC, intermediates (0x20-0x2f), one final character.
  while (j < n) {
    const e = s.charCodeAt(j);
    if (e >= 0x20 && e <= 0x2f) {
      j++;
      continue;
    }
    if (e >= 0x30 && e <= 0x7e) return j + 1;
    return j;
  }
  return n;
}
