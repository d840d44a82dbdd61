import { describe, expect, test } from 'vitest';
import { shellQuote, tokenize } from './tokenizer';

describe('tokenize', () => {
  test('blanks separate words; quotes and backslashes quote; # starts a comment', () => {
    expect(tokenize("  gpioget\t'a b'  \"c \\\"d\\\" \\x\" e\\ f  # a comment", 0)).toEqual({ words: ['gpioget', 'a b', 'c "d" \\x', 'e f'], background: false });
    expect(tokenize("a#b 'x'y\"z\"", 0)).toEqual({ words: ['a#b', 'xyz'], background: false });
    expect(tokenize("''", 0)).toEqual({ words: [''], background: false });
    expect(tokenize('   ', 0)).toEqual({ words: [], background: false });
  });

  test("$? is the last status, outside quotes and inside double quotes, not single quotes", () => {
    expect(tokenize(`echo $? "[$?]" '$?'`, 130)).toEqual({ words: ['echo', '130', '[130]', '$?'], background: false });
  });

  test("a final '&' runs in the background", () => {
    expect(tokenize('gpiomon button &', 0)).toEqual({ words: ['gpiomon', 'button'], background: true });
    expect(tokenize('gpiomon button&  ', 0)).toEqual({ words: ['gpiomon', 'button'], background: true });
    expect(tokenize('a & b', 0)).toEqual({ error: "syntax error: '&' must end the line" });
    expect(tokenize('&', 0)).toEqual({ error: "syntax error near unexpected token `&'" });
  });

  test('pipes, redirections, lists and substitutions are refused, unbalanced quotes too', () => {
    const refused = (what: string) => ({ error: `${what} is not supported here: one simple command per line (no pipes, redirections, lists or substitutions)` });
    expect(tokenize('a | b', 0)).toEqual(refused("'|'"));
    expect(tokenize('a > f', 0)).toEqual(refused("'>'"));
    expect(tokenize('a; b', 0)).toEqual(refused("';'"));
    expect(tokenize('a && b', 0)).toEqual(refused("'&&'"));
    expect(tokenize('echo $(x)', 0)).toEqual(refused("'$('"));
    expect(tokenize('echo "`x`"', 0)).toEqual(refused("'`'"));
    expect(tokenize("echo 'x", 0)).toEqual({ error: "unexpected end of line while looking for matching `''" });
    expect(tokenize('echo "x', 0)).toEqual({ error: 'unexpected end of line while looking for matching `"\'' });
  });
});

describe('shellQuote', () => {
  test('plain words as they are; anything else single-quoted', () => {
    expect(shellQuote('gpiochip0')).toBe('gpiochip0');
    expect(shellQuote('--chip=/dev/gpiochip0')).toBe('--chip=/dev/gpiochip0');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
  });
});
