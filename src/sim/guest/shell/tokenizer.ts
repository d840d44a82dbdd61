/**
 * The shell's command-line words: tokenize() splits a line as a POSIX shell
 * splits a simple command, shellQuote() writes a word back as it would have
 * to be typed.
 */

export type Tokens = { words: string[]; background: boolean } | { error: string };

/**
 * Splits a command line like a POSIX shell does for simple commands: blanks
 * separate words; single quotes, double quotes and backslashes quote; '#'
 * starts a comment; a final '&' runs the command in the background; `$?` is
 * the last exit status. Pipes, redirections, lists and substitutions are
 * refused with a message rather than misread.
 */
export function tokenize(line: string, lastStatus: number): Tokens {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let background = false;
  const n = line.length;
  let i = 0;
  const unsupported = (what: string): Tokens => ({ error: `${what} is not supported here: one simple command per line (no pipes, redirections, lists or substitutions)` });
  while (i < n) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      i++;
      continue;
    }
    if (c === '#' && !inWord) break;
    if (background) return { error: "syntax error: '&' must end the line" };
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return { error: "unexpected end of line while looking for matching `''" };
      cur += line.slice(i + 1, j);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < n) {
        const d = line[i] as string;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`'.includes(line[i + 1] as string)) {
          cur += line[i + 1];
          i += 2;
          continue;
        }
        if (d === '$' && line[i + 1] === '?') {
          cur += String(lastStatus);
          i += 2;
          continue;
        }
        if (d === '`' || (d === '$' && line[i + 1] === '(')) return unsupported(`'${d === '`' ? '`' : '$('}'`);
        cur += d;
        i++;
      }
      if (!closed) return { error: 'unexpected end of line while looking for matching `"\'' };
      continue;
    }
    if (c === '\\') {
      if (i + 1 < n) cur += line[i + 1];
      i += 2;
      inWord = true;
      continue;
    }
    if (c === '&') {
      if (line[i + 1] === '&') return unsupported("'&&'");
      if (inWord) {
        words.push(cur);
        cur = '';
        inWord = false;
      }
      if (words.length === 0) return { error: "syntax error near unexpected token `&'" };
      background = true;
      i++;
      continue;
    }
    if (c === '|' || c === ';' || c === '<' || c === '>' || c === '`' || c === '(' || c === ')') return unsupported(`'${c}'`);
    if (c === '$' && line[i + 1] === '(') return unsupported("'$('");
    if (c === '$' && line[i + 1] === '?') {
      cur += String(lastStatus);
      inWord = true;
      i += 2;
      continue;
    }
    cur += c;
    inWord = true;
    i++;
  }
  if (inWord) words.push(cur);
  return { words, background };
}

/** A word as it would have to be typed (for job listings): quoted when it holds anything special. */
export function shellQuote(w: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, "'\\''")}'`;
}
