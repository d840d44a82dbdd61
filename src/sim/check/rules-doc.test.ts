import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { RULES } from './rules';

test('docs/model.md lists every rule with its section', () => {
  const md = readFileSync(new URL('../../../docs/model.md', import.meta.url), 'utf8');
  for (const r of RULES) expect(md, r.id).toContain(`| \`${r.id}\` | ${r.section} |`);
});
