/**
 * Reference answers of a challenge: a JSON merge patch (RFC 7386: objects
 * merge key by key, null deletes, anything else, arrays included, replaces)
 * on the lesson's scenario, and/or shell commands appended to its timeline.
 * Plain data in, plain data out; the result is validated like any scenario.
 */

export interface AnswerInput {
  patch?: Record<string, unknown>;
  shell?: readonly { at: number | string; command: string }[];
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** RFC 7386 merge patch; never writes a prototype key. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, val] of Object.entries(patch)) {
    if (FORBIDDEN.has(k)) continue;
    if (val === null) delete out[k];
    else out[k] = mergePatch(out[k], val);
  }
  return out;
}

/** The scenario (as JSON) a reference answer makes from the lesson's scenario. */
export function applyAnswer(scenario: Record<string, unknown>, answer: AnswerInput): Record<string, unknown> {
  let s = answer.patch ? (mergePatch(scenario, answer.patch) as Record<string, unknown>) : { ...scenario };
  if (answer.shell) {
    const timeline = Array.isArray(s.timeline) ? [...(s.timeline as unknown[])] : [];
    for (const c of answer.shell) timeline.push({ at: c.at, do: 'shell', command: c.command });
    s = { ...s, timeline };
  }
  return s;
}
