import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { loadScenario } from './load';
import { runScenario } from './runner';

// The full example in docs/scenario-format.md must stay a valid, passing scenario.
test('the documented full example validates and meets its expectations', () => {
  const md = readFileSync(new URL('../../../docs/scenario-format.md', import.meta.url), 'utf8');
  const block = /## Full example\s+```json\n([\s\S]*?)\n```/.exec(md);
  expect(block).not.toBeNull();
  const s = loadScenario(block![1]!);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  expect(r.value.report.expectations.filter((e) => !e.ok)).toEqual([]);
});

// The misbehaving-driver example must stay valid and meet its expectations too.
test('the documented inject-* example validates and meets its expectations', () => {
  const md = readFileSync(new URL('../../../docs/scenario-format.md', import.meta.url), 'utf8');
  const block = /Example: a GET_VALUE for a line that does not exist, then a descriptor loop:\s+```json\n([\s\S]*?)\n```/.exec(md);
  expect(block).not.toBeNull();
  const s = loadScenario(block![1]!);
  if (!s.ok) throw new Error(s.error);
  const r = runScenario(s.value);
  if (!r.ok) throw new Error(r.error);
  expect(r.value.report.expectations.map((e) => e.what)).toEqual(['violations.gpio.rq.gpio-range', 'violations.vq.desc.no-loops', 'deviceFailed']);
  expect(r.value.report.expectations.filter((e) => !e.ok)).toEqual([]);
});
