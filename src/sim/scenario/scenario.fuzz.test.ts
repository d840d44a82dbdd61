import { describe, expect, it } from 'vitest';
import { Prng } from '../clock/prng';
import { LIBRARY } from './library/index';
import { loadScenario, validateScenario } from './load';

// Hostile scenario files: library scenarios mutated at random (a field removed,
// renamed, retyped, set to a wrong value; a key added; text truncated or nested
// deep), fed to the loader. It must never throw, and every refusal must be one
// of our sentences naming the field, never the validation library's wording.

const MUTATIONS = 2_000;
const LIBRARY_WORDING = /Expected never|Invalid key|Invalid type:|Invalid length|Invalid value|Invalid integer|but received/;
const ODD_VALUES: unknown[] = [null, true, -1, 1.5, 1e300, '', 'x', '9ms', [], {}, [1, 2, 3], { kind: 'nope' }, 'x'.repeat(300), 2 ** 53];

function pick<T>(r: Prng, xs: readonly T[]): T {
  return xs[r.nextU32() % xs.length] as T;
}

/** Every (parent, key) pair in a JSON tree. */
function slots(x: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): typeof out {
  if (Array.isArray(x)) {
    x.forEach((c, i) => {
      out.push([x, i]);
      slots(c, out);
    });
  } else if (typeof x === 'object' && x !== null) {
    for (const [k, c] of Object.entries(x)) {
      out.push([x as Record<string, unknown>, k]);
      slots(c, out);
    }
  }
  return out;
}

function mutate(r: Prng, doc: unknown): unknown {
  const s = slots(doc);
  const n = 1 + (r.nextU32() % 3);
  for (let i = 0; i < n && s.length > 0; i++) {
    const [parent, key] = pick(r, s);
    const op = r.nextU32() % 5;
    if (Array.isArray(parent)) {
      if (op === 0) parent.splice(key as number, 1);
      else parent[key as number] = pick(r, ODD_VALUES);
    } else if (op === 0) delete parent[key];
    else if (op === 1) {
      parent[`${key}x`] = parent[key];
      delete parent[key];
    }
    else if (op === 2) parent.colour = 'red';
    else parent[key] = structuredClone(pick(r, ODD_VALUES));
  }
  return doc;
}

describe('scenario files: mutated library scenarios', () => {
  it(`${MUTATIONS} mutations are accepted or refused in our words, naming the field`, () => {
    const r = new Prng(41);
    let refused = 0;
    for (let i = 0; i < MUTATIONS; i++) {
      const entry = LIBRARY[i % LIBRARY.length]!;
      const doc = mutate(r, structuredClone(entry.scenario));
      const res = validateScenario(doc);
      if (res.ok) continue;
      refused++;
      expect(res.error).not.toMatch(LIBRARY_WORDING);
      // "path: sentence", the path being a dotted field name (or the whole scenario).
      expect(res.error).toMatch(/^(\(top level\)|[\w$-]+(\.[\w$-]+)*|a scenario is a JSON object|version): ./);
    }
    // Most mutations break something; the count is fixed by the seed.
    expect(refused).toBeGreaterThan(MUTATIONS / 2);
  });

  it('truncated or padded scenario text is refused with a reason, never a throw', () => {
    const r = new Prng(7);
    for (let i = 0; i < 500; i++) {
      const text = JSON.stringify(LIBRARY[i % LIBRARY.length]!.scenario);
      const cut = text.slice(0, r.nextU32() % text.length);
      const res = loadScenario(i % 2 ? cut : '['.repeat(r.nextU32() % 5000) + cut);
      expect(res.ok).toBe(false);
      if (!res.ok) expect(res.error).toMatch(/^(not valid JSON|nested too deeply|a scenario is a JSON object)/);
    }
  });
});
