import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { CAUSE } from '../trace/kinds';
import { RULES } from './rules';

test('docs/model.md lists every rule with its section', () => {
  const md = readFileSync(new URL('../../../docs/model.md', import.meta.url), 'utf8');
  for (const r of RULES) expect(md, r.id).toContain(`| \`${r.id}\` | ${r.section} |`);
});

test('docs/model.md lists every cause kind with what it explains', () => {
  const md = readFileSync(new URL('../../../docs/model.md', import.meta.url), 'utf8');
  for (const name of CAUSE.names) expect(md, name).toMatch(new RegExp(`^\\| \`${name}\` \\| `, 'm'));
});
