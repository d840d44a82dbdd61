import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { EXPLORE_LIBRARY, Machine, resolveScenario, validateScenario } from '../sim/index';

// The collector, reached from a context made after the flag is set (vitest runs without --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (opts?: { type: 'minor' | 'major' }) => void;

describe('building machine after machine (the explorer)', () => {
  test('a machine nobody holds any more is freed by a minor collection', () => {
    // A getter written in an object literal, or a function literal inside the Machine constructor,
    // kept every machine alive through minor collections until the next full one (V8, Node 20):
    // 200 machines then held about 7 MB after two minor collections; freed, a few hundred KB remain.
    const e = EXPLORE_LIBRARY.find((x) => x.id === 'explore-level-timer-v1.2')!;
    const s = validateScenario(e.scenario);
    if (!s.ok) throw new Error(s.error);
    const cfg = resolveScenario(s.value, { traceCapacity: 1 });
    if (!cfg.ok) throw new Error(cfg.error);
    gc();
    gc();
    const before = process.memoryUsage().heapUsed;
    let last: Machine | null = null;
    for (let i = 0; i < 200; i++) last = new Machine({ ...cfg.value, causes: false, queueCapacity: 8 });
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const kept = process.memoryUsage().heapUsed - before;
    expect(last?.processed).toBe(0);
    expect(kept).toBeLessThan(2 * 1024 * 1024);
  });
});
