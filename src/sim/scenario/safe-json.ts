/**
 * Parsing JSON text from an untrusted place (a file, a link, a CLI argument):
 * the one loader the CLI, the worker and the page share. The size and the
 * nesting depth are checked before JSON.parse runs (a deeply nested file would
 * otherwise end as "Maximum call stack size exceeded" here, or as a
 * structured-clone failure when the page posts it to the worker), and keys that
 * could reach an object's prototype are refused outright rather than silently
 * dropped, so the error says what was wrong.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Largest scenario text accepted (files and decoded links alike). */
export const MAX_SCENARIO_BYTES = 512 * 1024;
/**
 * Deepest nesting of arrays and objects accepted. A scenario file needs about 6
 * levels; 64 leaves room for anything hand-written and stays far from every
 * engine's recursion limit (parse, structured clone, validation).
 */
export const MAX_JSON_DEPTH = 64;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The deepest bracket nesting in JSON-like text, counting only brackets outside
 * strings, stopping as soon as it passes `limit`: one linear pass, no recursion,
 * so it is safe on any input (malformed text included; JSON.parse judges that).
 */
export function jsonDepth(text: string, limit = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth = Math.max(0, depth - 1);
  }
  return max;
}

/**
 * Bytes -> the reason a scenario file of this size is refused, or null: checked
 * on a file's size before reading it (the page's File, the CLI's stat).
 */
export function scenarioSizeError(bytes: number): string | null {
  if (bytes <= MAX_SCENARIO_BYTES) return null;
  return `the file is ${Math.ceil(bytes / 1024).toLocaleString('en-US')} KB; a scenario is at most ${MAX_SCENARIO_BYTES / 1024} KB`;
}

/** Text -> plain JSON value, or the reason it was refused (never throws). A leading byte-order mark is ignored. */
export function parseJsonSafely(raw: string): Result<unknown> {
  if (typeof raw !== 'string') return { ok: false, error: 'not valid JSON: no text' };
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.length > MAX_SCENARIO_BYTES) return { ok: false, error: `scenario is larger than ${MAX_SCENARIO_BYTES / 1024} KB` };
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    return { ok: false, error: `nested too deeply: more than ${MAX_JSON_DEPTH} levels of arrays and objects` };
  }
  let bad: string | null = null;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, val: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) bad = key;
      return val;
    });
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  if (bad !== null) return { ok: false, error: `key "${bad}" is not allowed` };
  return { ok: true, value };
}
