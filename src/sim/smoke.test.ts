import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadScenario } from './scenario/load';
import { runScenario } from './scenario/runner';
import { describeEvent } from './trace/describe';

test('smoke', () => {
  const s = loadScenario(readFileSync(process.env.SMOKE ?? '/tmp/smoke/calm.json', 'utf8'));
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  const { report, machine } = r.value;
  const { lines: _l, ...rest } = report;
  console.log(JSON.stringify({ ...rest, violations: report.violations.slice(0, 10) }));
  const out: string[] = [];
  machine.trace.forEach((e) => { if (e.kind > 9 || process.env.RING) out.push(`${String(e.t).padStart(9)} ${describeEvent(e)}`); });
  console.log(out.slice(0, Number(process.env.N ?? 300)).join('\n'));
  expect(report.events).toBeGreaterThan(0);
});
