import { expect, test } from 'vitest';
import { OracleLabel, RULES, TK, describeEvent } from '../sim/index';
import { countText, rowFlavor, ruleTitle } from './tracelist-rows';

test('violations, advisories and bad oracle labels are flagged', () => {
  expect(rowFlavor(TK.Violation, 3, 1)).toBe('violation');
  expect(rowFlavor(TK.Violation, 3, 0)).toBe('advisory');
  expect(rowFlavor(TK.OracleLabel, OracleLabel.Lost, -1)).toBe('lost');
  expect(rowFlavor(TK.OracleLabel, OracleLabel.Spurious, 2)).toBe('spurious');
  expect(rowFlavor(TK.OracleLabel, OracleLabel.Coalesced, 2)).toBe('coalesced');
  expect(rowFlavor(TK.OracleLabel, OracleLabel.Delivered, 2)).toBe('');
  expect(rowFlavor(TK.HandlerStart, 3, 1)).toBe('');
});

test('a violation row says the rule id and section; its title gives the whole rule', () => {
  const i = RULES.findIndex((r) => r.id === 'gpio.rq.type-change-via-none');
  expect(i).toBeGreaterThanOrEqual(0);
  const r = RULES[i]!;
  const text = describeEvent({ seq: 0, t: 0, kind: TK.Violation, line: 0, a: i, b: -1, c: 1 });
  expect(text).toBe(`VIOLATION gpio.rq.type-change-via-none (virtio 1.2 ${r.section}): ${r.text}`);
  const title = ruleTitle(i)!;
  expect(title.startsWith(`gpio.rq.type-change-via-none: virtio 1.2 ${r.section} (${r.label}), ${r.level === 'must' ? 'MUST' : 'SHOULD'}, ${r.side} side.\n${r.text}`)).toBe(true);
  expect(ruleTitle(99_999)).toBeNull();
});

test('count text', () => {
  expect(countText(12, 12)).toBe('12 events');
  expect(countText(12, 340)).toBe('12 of 340 events');
  expect(countText(1_000_000, 1_000_250)).toBe('1,000,000 of 1,000,250 events');
});
