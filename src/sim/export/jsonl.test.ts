import { describe, expect, test } from 'vitest';
import type { Machine } from '../machine';
import { validateScenario } from '../scenario/load';
import { runScenario } from '../scenario/runner';
import type { ScenarioInput } from '../scenario/schema';
import { describeEvent } from '../explain/describe';
import { jsonlChunks, toJsonl } from './jsonl';

const SCENARIO: ScenarioInput = {
  version: 1,
  title: 'jsonl "quoted" title',
  seed: 11,
  duration: '1ms',
  device: { lines: [{ name: 'btn', pull: 'up' }] },
  world: { btn: { kind: 'button' } },
  clients: [{ kind: 'irq-consumer', line: 'btn', trigger: 'edge-falling', name: 'keys' }],
  timeline: [{ at: '500us', do: 'press', line: 'btn', hold: '100us' }],
};

function run(traceCapacity = 1_000_000): Machine {
  const s = validateScenario(SCENARIO);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value, { traceCapacity });
  if (!r.ok) throw new Error(r.error);
  return r.value.machine;
}

describe('JSONL export', () => {
  test('a header line, then one record per event, each a JSON object on its own line', () => {
    const m = run();
    const text = toJsonl(m, { title: 'jsonl "quoted" title' });
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header).toEqual({
      format: 'vgpio-trace',
      version: 1,
      title: 'jsonl "quoted" title',
      seed: 11,
      hash: m.trace.hash(),
      events: m.trace.total,
      dropped: 0,
      simulatedNs: 1_000_000,
    });
    expect(Object.keys(header).slice(0, 6)).toEqual(['format', 'version', 'title', 'seed', 'hash', 'events']);
    const records = lines.slice(1).map((l) => JSON.parse(l));
    expect(records).toHaveLength(m.trace.total);
    records.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(r.text).toBe(describeEvent(m.trace.get(i)!));
    });
    const press = records.find((r) => r.kind === 'LineLevel');
    expect(press).toMatchObject({ t: 500_000, cat: 'line', line: 0, a: 0 });
    for (let i = 1; i < records.length; i++) expect(records[i].t).toBeGreaterThanOrEqual(records[i - 1].t);
  });

  test('a trace that lost its head says how many events were dropped', () => {
    const m = run(50);
    const lines = toJsonl(m, { title: 't' }).trim().split('\n');
    const header = JSON.parse(lines[0]!);
    expect(header.dropped).toBe(m.trace.total - 50);
    expect(lines).toHaveLength(51);
    expect(JSON.parse(lines[1]!).seq).toBe(header.dropped);
  });

  test('the chunked form streams the same text in bounded pieces', () => {
    const m = run();
    const chunks = [...jsonlChunks(m, { title: 'x' }, 10)];
    expect(chunks.length).toBe(1 + Math.ceil(m.trace.total / 10));
    expect(chunks.join('')).toBe(toJsonl(m, { title: 'x' }));
    for (const c of chunks.slice(1, -1)) expect(c.split('\n').length - 1).toBe(10);
  });
});
