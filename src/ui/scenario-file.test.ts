import { describe, expect, test } from 'vitest';
import { MAX_SCENARIO_BYTES } from '../sim/index';
import { readScenarioFile, type ScenarioFile } from './scenario-file';

/** A File stand-in that counts reads. */
function file(text: string, size = text.length): ScenarioFile & { reads: number } {
  const f = {
    name: 'board.json',
    size,
    reads: 0,
    text: async () => {
      f.reads++;
      return text;
    },
  };
  return f;
}

describe('Open a scenario file: the same safe loader as the CLI', () => {
  test('a file over the size cap is refused from its size, without reading it', async () => {
    const big = file('{}', 50 * 1024 * 1024);
    expect(await readScenarioFile(big)).toEqual({ ok: false, error: 'board.json: the file is 51,200 KB; a scenario is at most 512 KB' });
    expect(big.reads).toBe(0);
    expect((await readScenarioFile(file('{}', MAX_SCENARIO_BYTES))).ok).toBe(true);
  });

  test.each(['__proto__', 'constructor'])('a %s key is refused, naming it', async (key) => {
    expect(await readScenarioFile(file(`{"device":{"${key}":{"polluted":true}}}`))).toEqual({ ok: false, error: `board.json: key "${key}" is not allowed` });
  });

  test('deep nesting is refused as nested too deeply; broken JSON says so; a BOM is fine', async () => {
    expect(await readScenarioFile(file('['.repeat(10_000) + ']'.repeat(10_000)))).toEqual({
      ok: false,
      error: 'board.json: nested too deeply: more than 64 levels of arrays and objects',
    });
    const broken = await readScenarioFile(file('{"version":'));
    expect(broken.ok ? '' : broken.error).toMatch(/^board\.json: not valid JSON: /);
    expect(await readScenarioFile(file('\uFEFF{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  test('a file that cannot be read is refused with the reason', async () => {
    const f: ScenarioFile = { name: 'x.json', size: 2, text: () => Promise.reject(new Error('permission denied')) };
    expect(await readScenarioFile(f)).toEqual({ ok: false, error: 'x.json: cannot read the file (permission denied)' });
  });
});
