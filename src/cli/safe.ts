import { sanitizeForTerminal } from '../sim/index';

/**
 * The CLI's one output sanitizer. Everything `vgpio` prints to a terminal from
 * user data (scenario titles, names, world and expectation keys, error
 * messages that quote them) passes through here, so a scenario or share link
 * cannot retitle the window, write the clipboard (OSC 52), clear the screen or
 * print a fake `result: ok`.
 *
 * The rule for what a terminal must not receive is the in-app terminal's,
 * `sanitizeForTerminal`: escape sequences, C0 / C1 controls, DEL and invisible
 * bidi / zero-width characters. The app drops them; the CLI shows them instead,
 * one character at a time, as visible escapes (`\x1b`, `\x07`, `\r`, `\u202e`),
 * so the user still sees that the text carried them and what it said.
 */

function shown(ch: string): string {
  if (ch === '\r') return '\\r';
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  const code = ch.codePointAt(0) as number;
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text made safe for a terminal. `lines`: newlines stay (the text is several
 * lines the CLI itself laid out); otherwise a newline is shown as `\n` too, so
 * a value cannot start a line of its own. Tabs stay either way.
 */
export function terminalText(text: string, opts: { lines: boolean } = { lines: true }): string {
  if (sanitizeForTerminal(text) === text && (opts.lines || !text.includes('\n'))) return text;
  let out = '';
  for (const ch of text) {
    if (ch === '\n' ? opts.lines : sanitizeForTerminal(ch) === ch) out += ch;
    else out += shown(ch);
  }
  return out;
}

/** One line of output: every character the terminal would interpret, newlines included, shown escaped. */
export function terminalLine(text: string): string {
  return terminalText(text, { lines: false });
}

/**
 * `JSON.stringify` escapes C0 controls but not DEL, C1 controls or bidi /
 * zero-width characters (nor U+2028 / U+2029); these are escaped here as
 * `\uXXXX` too. The result is still exact JSON: it parses to the same value.
 */
export function terminalJson(value: unknown): string {
  return jsonTextForTerminal(JSON.stringify(value));
}

/**
 * JSON text (from `JSON.stringify`, so C0 controls are already escaped) with
 * DEL, C1 controls, U+2028 / U+2029 and bidi / zero-width characters written
 * as `\uXXXX`. In JSON text they can only occur inside strings, so the result
 * parses to the same value; used for the JSON exports too (JSON Lines,
 * WaveJSON), which may go to a terminal (`-`, `cat`).
 */
export function jsonTextForTerminal(text: string): string {
  return text.replace(/[\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
